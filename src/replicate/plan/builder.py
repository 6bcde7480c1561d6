"""Turn findings into an adaptation plan: a decision, a verdict per principle and component,
phased actions with owners, readiness by theme and the questions still to answer.

Everything here is derived from the findings, the rules' declared effects and the decision model
(`decision.py`, whose numbers are named parameters), so every line of the plan can be traced to
the rule or the parameter that caused it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..facts import backed_months
from ..findings import Finding, guidance_order
from ..rules.model import PHASES, SEVERITY_RANK, Phase
from ..rules.parameters import Parameter
from ..schema import Programme, SiteProfile
from . import decision as model
from . import scoring
from .decide import all_themes, decide
from .model import (
    IF_FUNDED,
    Action,
    AdaptationPlan,
    Decision,
    DecisionChange,
    FidelityCheck,
    ParameterRef,
    PlanSummary,
    ProfileRef,
    Question,
    Review,
    RulePackRef,
    Strength,
    Sustaining,
    ThemeReadiness,
)
from .owners import acting_owner
from .questions import AnswerFields, UndeterminedRule, questions, with_reasons
from .verdicts import components, principles, targets_of

THEME_PRECEDENCE: tuple[str, ...] = (
    "buy_in", "resources", "partnership_working", "flexibility", "operational_model", "cultural_change", "impact",
)
"""Within a phase, what must come first: a lead and the money, then agreements with partners, then
fitting the model to the place and planning, then staff, then evidence. Someone has to own the
work and it has to be paid for before partners can sign up to it or staff be recruited to it."""
SUMMARY_ACTIONS = 10
SUMMARY_QUESTIONS = 5
SUMMARY_STRENGTHS = 3


NAMED = frozenset({"partner", "service"})
"""Subjects a strength names that the site brings: a partner, an existing service."""


def _summary_of(actions: Sequence[Action], questions: Sequence[Question], findings: Sequence[Finding],
                readiness_order: Sequence[str], verdict: str) -> PlanSummary:
    """The first page: the first actions in order, the questions that could change the decision
    first, and the strengths in the themes that most need them. Advised not to replicate, the page
    keeps only what could change that: strengths and open questions about delivering the programme
    would read as steps towards it."""
    if verdict == "do_not_replicate":
        questions = [q for q in questions if q.could_change_to is not None]
        findings = [f for f in findings if not f.is_strength]
    # The programme owner's questions about its evidence that cannot change the decision are counted,
    # not listed: on every plan of a programme they are the same, and they would push the site's own
    # questions off the page.
    held = [q for q in questions if q.answer_by != "site" and q.could_change_to is None]
    page = [q for q in questions if q.answer_by == "site" or q.could_change_to is not None]
    weakness = {theme: index for index, theme in enumerate(readiness_order)}
    by_theme: dict[str, list[Finding]] = {}
    # Within a theme, in the guidance's order: the context it was proven in before how it is tailored
    # (a site scaling up its own run says so before its adaptations). A part left out is sound
    # tailoring, but nothing to build on.
    built_on = (f for f in findings if f.is_strength and f.effect.component != "drop")
    for finding in sorted(built_on, key=lambda f: (guidance_order(f.factors), f.rule_id)):
        by_theme.setdefault(finding.theme, []).append(finding)
    # One strength from each theme in turn, the weakest themes first, so the page shows what there
    # is to build on across the plan, not three strengths of one theme; but first one the site brings
    # by name (a partner, a service with room), which no other site has: every plan led with the same
    # three that any well-prepared site has (1007, 1013).
    themes = sorted(by_theme, key=lambda theme: weakness.get(theme, len(weakness)))
    strengths = [by_theme[theme][round_] for round_ in range(max(map(len, by_theme.values()), default=0))
                 for theme in themes if round_ < len(by_theme[theme])]
    named = next((f for f in strengths if f.subject in NAMED), None)
    if named is not None:
        strengths = [named, *(f for f in strengths if f is not named)]
    return PlanSummary(
        actions=list(actions[:SUMMARY_ACTIONS]),
        more_actions=max(0, len(actions) - SUMMARY_ACTIONS),
        questions=list(page[:SUMMARY_QUESTIONS]),
        more_questions=max(0, len(page) - SUMMARY_QUESTIONS),
        for_programme_owner=len(held),
        # Counted as "none could change the decision", one that could add a condition surfaced as a
        # gate only once the site had met every condition (2039, 2040).
        for_programme_owner_adding=sum(1 for q in held if q.adds_condition),
        strengths=[Strength(finding=f.ref, title=f.title, theme=f.theme) for f in strengths[:SUMMARY_STRENGTHS]],
    )


def _actions(findings: Sequence[Finding], site: SiteProfile, required: Iterable[str] = ()) -> list[Action]:
    """Every action once, in the order to act. An action the decision makes a condition of launch
    (or groundwork) is listed before launch whatever its rule's own phase, so the list never puts in
    the first six months what the decision says must be done first; and it comes first, in the
    decision's order, so that item 2 on the first page is item 2 in the details."""
    decision_order = {do: rank for rank, do in enumerate(dict.fromkeys(required))}
    before = set(decision_order)
    grouped: dict[str, tuple[Finding, list[str]]] = {}
    for finding in findings:
        if finding.action is None or finding.done is not None:  # done, as the site records: nothing to do
            continue
        first, refs = grouped.setdefault(finding.action.do, (finding, []))
        refs.append(finding.ref)
        if SEVERITY_RANK[finding.severity] < SEVERITY_RANK[first.severity]:
            grouped[finding.action.do] = (finding, refs)

    def phase(finding: Finding) -> Phase:
        assert finding.action is not None
        return "before_launch" if finding.action.do in before else finding.action.phase

    ordered = sorted(
        grouped.items(),
        key=lambda item: (
            PHASES.index(phase(item[1][0])),
            decision_order.get(item[0], len(decision_order)),
            THEME_PRECEDENCE.index(item[1][0].theme),
            SEVERITY_RANK[item[1][0].severity],
            guidance_order(item[1][0].factors),
            item[1][0].rule_id,
        ),
    )
    actions = []
    for order, (_, (finding, refs)) in enumerate(ordered, start=1):
        assert finding.action is not None
        actions.append(
            Action(
                order=order,
                phase=phase(finding),
                priority=finding.severity,
                owner=acting_owner(finding.action.owner, site),
                do=finding.action.do,
                done_when=finding.action.done_when or "",
                answers=refs,
            )
        )
    return actions


REVIEW_HORIZON_MONTHS = 60
"""Reviews are scheduled over the programme's whole run, or while money secured past it lasts (the
last one updates the cost/benefit case in time for the funding decision), up to five years ahead: a
plan is advised again long before."""


def _sustaining(programme: Programme, site: SiteProfile, params: model.DecisionParameters) -> Sustaining:
    """What keeps the copy faithful and funded after launch: the guidance's lessons on sustaining
    (a documented process "modified and monitored regularly", evidence of impact, cost/benefit).
    Reviews come at the site's own interval when it reviews often enough over the run, and the
    cost/benefit case is updated at the review before the money ends, in time for a decision."""
    stated = site.operational_plan.review_every_months
    duration = programme.costs.duration_months
    # The site's own rhythm (every school term, say) where it reviews often enough over the run.
    regular = stated is not None and stated > 0 and duration / stated >= params.reviews_over_run_min
    # Otherwise the default interval, shortened where a short run would get too few reviews (654).
    every = max(1, round(stated) if stated is not None and regular
                else min(params.review_every_months, duration // params.reviews_over_run_min))
    checks = [FidelityCheck(principle=p.id, check=f"Check that delivery still does this: {p.statement}")
              for p in sorted(programme.principles, key=lambda p: p.id) if p.kind == "core"]
    # Sharing each review's results is how staff see the impact ("a really great motivator").
    # Targets the plan does not (yet) name cannot be reviewed against: the review sets them first.
    plan = site.operational_plan
    targets = ("the targets" if plan.targeted_outcomes
               else "the targeted outcomes (set before launch: the plan names none yet)"
               if plan.targeted_outcomes is False
               else "the targeted outcomes (set them first, if the plan does not name them yet)")
    actions = "the action plan" if plan.action_plan is not False else "the action plan (once it is written)"
    # Money secured past the run keeps the programme going: reviews go on while it lasts (1648).
    funded = backed_months(site, duration)
    beyond = funded is not None and funded > duration
    last = round(funded) if funded is not None and beyond else duration
    reviews = [Review(month=month, what=f"Review outcomes against {targets} and {actions}, record them "
                      "and share them with staff and partners")
               for month in range(every, min(last, REVIEW_HORIZON_MONTHS) + 1, every)]
    if reviews:
        # The case is wanted before the money runs out: the end of the months funded, where they fall
        # short of the run (a pilot grant's first year, say) or go past it, else the end of the run.
        short = funded is not None and 0 < funded < duration
        decision = funded if funded is not None and (short or beyond) else duration
        # With notice: staff and the budget round need the answer well before the money ends.
        due_by = decision - params.funding_decision_notice_months
        before = [index for index, review in enumerate(reviews) if review.month <= due_by]
        at = before[-1] if before else 0
        # A case the profile describes for an evaluation it says is not planned is not yet one to complete.
        planned = site.evaluation.local_cost_benefit is True and site.evaluation.planned is not False
        # A case due before any outcome is measured cannot rest on outcomes (818, 821: due at the very
        # month the first are measured, or before): it rests on the early measures agreed instead.
        lag = programme.evidence.outcomes_measured_after_months
        early = lag is not None and reviews[at].month <= lag
        source = ("the early measures agreed for the funding decision (take-up, engagement, interim outcomes)" if early
                  else "the site's own delivery outcomes")
        since = (f", since the outcomes of the first {programme.clients.plural} are measured only at month {lag:g}"
                 if early and lag is not None else "")
        task = (f"{'complete' if planned else 'draw up'} the local cost/benefit case from {source}, compared with "
                f"what the area achieved before{since}")
        ends = f"{'it ends' if short else 'the money ends' if beyond else 'the run ends'} at month {round(decision)}"
        when = (f"in time to decide on funding at least {params.funding_decision_notice_months} months before"
                if before else "as early as the reviews allow before")
        reviews[at] = reviews[at].model_copy(update={"what": f"{reviews[at].what}; {task}, {when} {ends}"})
        if short:  # reviews after the money ends happen only if more comes
            reviews = [r.model_copy(update={"what": f"{IF_FUNDED}{r.what[:1].lower()}{r.what[1:]}"})
                       if r.month > decision else r for r in reviews]
    return Sustaining(
        fidelity_checks=checks,
        reviews=reviews,
        cost_benefit="Build the local cost/benefit case from the site's own delivery outcomes, compared with "
        "what the area achieved before: it is what shows that spending the money this way buys better outcomes.",
        reassess_when=[
            "funding the plan counted on is cut, delayed or ends",
            _who_leaves(site),
            "a critical partner withdraws or stops sharing information",
            # A change already under way is in the plan (its fallback): what would call for new
            # advice is a further one.
            "national or local policy the programme depends on changes"
            + (" further than the change already under way" if site.climate.national_policy_change else ""),
            "outcome reviews show targets missed at two reviews running",
        ],
    )


def _who_leaves(site: SiteProfile) -> str:
    """The people whose leaving calls for new advice: a lead only where one is named (834)."""
    lead = site.leadership.named_lead is True
    sponsor = site.leadership.strategic_sponsor is not False
    match lead, sponsor:
        case True, True:
            return "the named lead or senior sponsor leaves"
        case True, False:
            return "the named lead leaves"
        case False, True:
            return "the senior sponsor leaves"
        case _:
            return "a lead or a senior sponsor is appointed"


def _jointly(asked: list[Question], changes: Sequence[DecisionChange]) -> list[Question]:
    """Marks each question whose answer could move the decision only together with other answers:
    one "no" to meetings with a partner, where only "no" to meetings and to sharing is the risk, is
    not a change on its own (1113, 1149)."""
    alone = {(c.field, c.to) for c in changes if not c.with_other_answers}
    jointly = {(c.field, c.to) for c in changes if c.with_other_answers} - alone
    # A question that already asks for several fields (a section left out whole) asks for the
    # others too; one that asks the same field of several partners does not.
    return [q.model_copy(update={"with_other_answers": True})
            if (q.field, q.could_change_to) in jointly and len({f.rsplit(".", 1)[-1] for f in q.fields}) == 1 else q
            for q in asked]


def _adding_conditions(asked: list[Question], undetermined: Sequence[UndeterminedRule], answers: AnswerFields,
                       verdict: str, found: set[str], unknown_themes: Sequence[str] = ()) -> list[Question]:
    """Marks each question that cannot change a go-with-conditions decision but whose answer alone
    would settle an open rule that adds a condition to meet before launch: "none could change the
    decision" read to a board as "none matters", when one answer adds a second condition (1319).
    A rule that would take the place of a risk already found (`found`) adds nothing. A decision
    waiting for other answers says so too: its first question names the best the decision could
    become, which read as the whole story beside a question on conditions that could add one (1824);
    but not of a question on a theme too little known to decide, which the decision waits for."""
    if verdict not in ("go_with_conditions", "information_needed"):
        return asked
    adding = [set(fields) for u in undetermined if u.is_risk and u.as_risk().makes_condition
              and not u.absorbs & found if (fields := answers.of(u))]
    theme_of = {u.rule_id: u.theme for u in undetermined}
    return [q.model_copy(update={"adds_condition": True})
            if q.could_change_to is None and any(fields <= set(q.fields) for fields in adding)
            and not any(theme_of.get(rule) in unknown_themes for rule in q.needed_by) else q for q in asked]


def _open_by_theme(undetermined: Sequence[UndeterminedRule]) -> dict[str, int]:
    """Open checks of the site, by theme."""
    counts: dict[str, int] = {}
    for item in undetermined:
        if item.about_site:
            counts[item.theme] = counts.get(item.theme, 0) + 1
    return counts


def _parameter_refs(names: Iterable[str], parameters: Mapping[str, Parameter]) -> list[ParameterRef]:
    return [ParameterRef(name=p.name, value=p.value, unit=p.spec.unit, basis=p.spec.basis, reason=p.spec.reason,
                         pack=p.pack) for p in (parameters[n] for n in dict.fromkeys(names) if n in parameters)]


def _marking_deciders(readiness: list[ThemeReadiness], decision: Decision,
                      findings: Sequence[Finding]) -> list[ThemeReadiness]:
    """Each theme's score, marked where a finding of the theme is among the decision's reasons: a
    board read "Impact 70" beside "not yet" as the theme being fine (1390)."""
    theme_of = {f.ref: f.theme for f in findings}
    deciding = {theme_of[ref] for reason in decision.reasons for ref in reason.finding.split(", ") if ref in theme_of}
    return [r.model_copy(update={"decides": True}) if r.theme in deciding else r for r in readiness]


def build_plan(
    programme: Programme,
    site: SiteProfile,
    findings: Sequence[Finding],
    undetermined: Sequence[UndeterminedRule],
    field_descriptions: dict[str, str],
    packs: Sequence[RulePackRef],
    parameters: Mapping[str, Parameter],
    confidence: Mapping[str, float],
) -> AdaptationPlan:
    """The plan. `confidence` is, per theme, how much of the site its rules read is stated."""
    params = model.DecisionParameters.from_values({name: p.value for name, p in parameters.items()})
    targets = targets_of(site)
    confidence = all_themes(confidence)
    answers = AnswerFields(programme, site)
    decision = decide(findings, undetermined, answers, site, confidence, params, field_descriptions)
    used = [*model.DECISION_PARAMETERS, *(p.name for f in findings for p in f.parameters)]
    required = [c.do for c in (*decision.conditions, *decision.groundwork)]
    # Not replicating, the only actions are what to do instead: launch steps would read as a plan to
    # go ahead (the findings behind them are still listed, with their advice).
    replicating = decision.verdict != "do_not_replicate"
    acting = findings if replicating else [
        f for f in findings if f.action is not None and f.action.do in required]
    actions = _actions(acting, site, required)
    readiness = _marking_deciders(scoring.readiness(findings, _open_by_theme(undetermined), confidence, params),
                                  decision, findings)
    unknown_themes = [theme for theme, share in confidence.items() if share < params.min_theme_confidence
                      and decision.verdict == "information_needed"]
    verdicts = components(programme, site, findings, targets, replicating)
    missing_information = with_reasons(_adding_conditions(
        _jointly(questions(undetermined, answers, field_descriptions, decision.could_change, decision.verdict,
                           unknown_themes), decision.could_change), undetermined, answers, decision.verdict,
        {f.rule_id for f in findings if not f.is_strength}, unknown_themes), undetermined)
    return AdaptationPlan(
        programme=ProfileRef(id=programme.id, name=programme.name),
        site=ProfileRef(id=site.id, name=site.name),
        decision=decision,
        summary=_summary_of(actions, missing_information, findings, [r.theme for r in readiness], decision.verdict),
        principles=principles(programme, site, findings, replicating,
                              builds_on=any(c.status == "build_on" for c in verdicts)),
        components=verdicts,
        actions=actions,
        readiness=readiness,
        readiness_method=scoring.method(params, findings),
        decision_method=model.method(params),
        missing_information=missing_information,
        sustaining=_sustaining(programme, site, params),
        findings=list(findings),
        parameters=_parameter_refs(used, parameters),
        rule_packs=list(packs),
    )
