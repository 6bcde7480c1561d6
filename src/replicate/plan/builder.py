"""Turn findings into an adaptation plan: a decision, a verdict per principle and component,
phased actions with owners, readiness by theme and the questions still to answer.

Everything here is derived from the findings, the rules' declared effects and the decision model
(`decision.py`, whose numbers are named parameters), so every line of the plan can be traced to
the rule or the parameter that caused it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pydantic import BaseModel
from typing_extensions import assert_never

from ..facts import DERIVED_FROM, DERIVED_FROM_ITEMS, stated_in_site
from ..findings import Finding, principles_affected
from ..guidance import THEMES
from ..rules.model import PHASES, SEVERITY_RANK
from ..rules.parameters import Parameter
from ..schema import Programme, SiteProfile
from ..schema.common import models_in
from . import decision as model
from . import scoring
from .model import (
    VERDICT_ORDER,
    Action,
    AdaptationPlan,
    ComponentStatus,
    ComponentVerdict,
    Condition,
    Decision,
    DecisionChange,
    FidelityCheck,
    ParameterRef,
    PlanSummary,
    PrincipleStatus,
    PrincipleVerdict,
    ProfileRef,
    Question,
    Reason,
    Review,
    RulePackRef,
    Strength,
    Sustaining,
    Verdict,
)

PRINCIPLE_ORDER: tuple[PrincipleStatus, ...] = ("keep", "tailor", "at_risk")
COMPONENT_ORDER: tuple[ComponentStatus, ...] = ("deliver", "tailor", "drop", "build_on")
"""Later wins. Building on an existing service outranks dropping: where a local service already
meets the need, the plan names it rather than leaving the need unmet."""
@dataclass(frozen=True)
class UndeterminedRule:
    """A rule that missing information left open, and the fields it needed."""

    rule_id: str
    theme: str
    subject_id: str
    missing: tuple[str, ...]
    category: str = ""
    """The rule's category; open strength rules are asked about but never count as risks."""
    title: str = ""
    severity: str = "info"
    effect: str | None = None
    before_launch: bool = False
    subject: str = "site"
    subject_label: str = ""
    about_site: bool = True
    """Whether the rule reads the site (only those count against a theme's confidence)."""

    @property
    def is_risk(self) -> bool:
        return self.category != "strength"

    def as_risk(self) -> model.Risk:
        return model.Risk(f"{self.rule_id}@{self.subject_id}", self.title, self.theme, self.severity, self.effect,
                          self.before_launch)


@dataclass(frozen=True)
class DecisiveInformation:
    """Information without which no decision can be defended: if every field of the group is left
    out, the decision is "information needed", whatever else the profile says."""

    label: str
    fields: tuple[str, ...]


DECISIVE: tuple[DecisiveInformation, ...] = (
    DecisiveInformation("Funding is not stated at all (months secured, budget, sources or a financial plan)",
                        ("site.funding.months_secured", "site.funding.annual_budget", "site.funding.sources",
                         "site.funding.financial_plan")),
    DecisiveInformation("Leadership is not stated at all (a named lead, their time, a senior sponsor or "
                        "champions)",
                        ("site.leadership.named_lead", "site.leadership.lead_hours_per_week",
                         "site.leadership.strategic_sponsor", "site.leadership.champions")),
    DecisiveInformation("Local need is not stated", ("site.local_needs",)),
)
"""Funding and leadership are the two failures the guidance returns to most ("early financial
planning is essential"; "a leader with drive and dedicated time"), and local need is "key"."""


def decisive_missing(site: SiteProfile) -> list[DecisiveInformation]:
    return [group for group in DECISIVE if not any(stated_in_site(site, f) for f in group.fields)]


def _reason(finding: Finding) -> Reason:
    return Reason(finding=finding.ref, text=finding.title)


def _worst(current: str, candidate: str, order: Sequence[str]) -> str:
    return candidate if order.index(candidate) > order.index(current) else current


def risk_of(finding: Finding) -> model.Risk:
    """What the decision model needs of a risk finding."""
    before = finding.action is not None and finding.action.phase == "before_launch"
    return model.Risk(finding.ref, finding.title, finding.theme, finding.severity, finding.effect.decision, before)


def _condition(finding: Finding, fallback_check: str) -> Condition | None:
    if finding.action is None:
        return None
    return Condition(do=finding.action.do, done_when=finding.action.done_when or fallback_check,
                     owner=finding.action.owner, answers=[finding.ref])


def _merge_conditions(conditions: Iterable[Condition | None]) -> list[Condition]:
    merged: dict[str, Condition] = {}
    for condition in conditions:
        if condition is None:
            continue
        if condition.do in merged:
            first = merged[condition.do]
            merged[condition.do] = first.model_copy(update={"answers": [*first.answers, *condition.answers]})
        else:
            merged[condition.do] = condition
    return list(merged.values())


def _summary(verdict: Verdict, judgement: model.Judgement, conditions: int, provisional: bool) -> str:
    """The decision and its main reason in one sentence; further reasons are listed, not repeated."""
    own = [cause for cause in judgement.causes if cause.verdict == verdict]
    top = own[0].text if own else ""
    top = top[:1].lower() + top[1:]
    more = f" (and {len(own) - 1} more)" if len(own) > 1 else ""
    match verdict:
        case "go":
            text = "Go ahead: nothing needs to be done before launch"
        case "go_with_conditions":
            text = (f"Go ahead once {conditions} condition{'s' if conditions != 1 else ''} "
                    f"{'are' if conditions != 1 else 'is'} met; the most serious: {top}")
        case "information_needed":
            text = f"Information needed before a decision: {top}{more}"
        case "not_yet":
            text = f"Not yet: {top}{more}; do the groundwork, then advise again"
        case "do_not_replicate":
            text = f"Do not replicate here: {top}{more}"
        case _:
            assert_never(verdict)
    if provisional and verdict != "information_needed":  # waiting for answers says so already
        return text + ", on what is known so far: unanswered questions could change it."
    return text + "."


def judge_findings(findings: Sequence[Finding], site: SiteProfile, confidence: Mapping[str, float],
                   params: model.DecisionParameters) -> model.Judgement:
    """The verdict and theme scores alone, without building a plan: what-if analysis weighs many
    candidate sites this way (the plan's own decision is made by the same call)."""
    risks, build_on = _risks_and_build_on(findings)
    missing = [g.label for g in decisive_missing(site)]
    return model.judge(risks, build_on, _all_themes(confidence), missing, params)


def _risks_and_build_on(findings: Sequence[Finding]) -> tuple[list[model.Risk], list[str]]:
    """What the decision model reads of the findings: the risks, and the services built on."""
    return ([risk_of(f) for f in findings if not f.is_strength],
            [f.ref for f in findings if f.effect.component == "build_on"])


def _decision(findings: Sequence[Finding], undetermined: Sequence[UndeterminedRule], programme: Programme,
              site: SiteProfile, confidence: Mapping[str, float], params: model.DecisionParameters,
              questions: Mapping[str, str]) -> Decision:
    risks, build_on = _risks_and_build_on(findings)
    missing = decisive_missing(site)
    judgement = model.judge(risks, build_on, confidence, [g.label for g in missing], params)
    open_risks = _open_risks(undetermined, programme, site)
    changes = model.what_could_change(judgement, risks, build_on, confidence,
                                      {g.label: g.fields for g in missing}, open_risks, params)
    verdict = judgement.verdict
    causing = {ref for cause in judgement.causes for ref in cause.refs}
    # The reasons are the causes of the verdict itself, one line each; what only rules out a better
    # verdict is said in the conditions and actions, not repeated here.
    reasons = [Reason(finding=", ".join(cause.refs), text=cause.text)
               for cause in judgement.causes if cause.verdict == verdict]
    check = "Recorded as done, with the evidence, by the owner"
    conditions: list[Condition] = []
    groundwork: list[Condition] = []
    if verdict == "go_with_conditions":
        conditions = _merge_conditions(_condition(f, check) for f in findings if f.ref in causing)
    elif verdict in ("not_yet", "do_not_replicate"):
        # Only what blocks: the rest of the work is in the actions, and a long list hides the point.
        blocking = {ref for cause in judgement.causes if cause.verdict == verdict for ref in cause.refs}
        groundwork = _merge_conditions(_condition(f, check) for f in findings if f.ref in blocking)
    questions_first = [field for g in missing for field in g.fields] if verdict == "information_needed" else []
    could_change = [
        DecisionChange(field=change.field, question=questions.get(change.field, f"Not stated: {change.field}."),
                       to=change.to, rules=list(change.rules),
                       if_answer="if it is answered" if change.better else "if the answer is unfavourable")
        for change in changes
    ]
    provisional = bool(could_change)
    return Decision(verdict=verdict, summary=_summary(verdict, judgement, len(conditions), provisional),
                    reasons=reasons, provisional=provisional, could_change=could_change, conditions=conditions,
                    groundwork=groundwork, questions_first=questions_first)


def _answer_fields(path: str, item: UndeterminedRule, programme: Programme, site: SiteProfile) -> list[str]:
    """The profile fields that would settle `path` for one open rule: each partner's own field for
    a partner count, what a principle needs of the site, or the field it is worked out from."""
    per_partner = [field for field, _ in _partner_fields(path, site)]
    return per_partner or _need_fields(path, item.subject_id, programme, site) or [
        _profile_field(path, item.subject_id)]


def _open_risks(undetermined: Sequence[UndeterminedRule], programme: Programme, site: SiteProfile
                ) -> list[model.OpenRisk]:
    return [model.OpenRisk(u.as_risk(), tuple(dict.fromkeys(
        field for p in u.missing for field in _answer_fields(p, u, programme, site))))
        for u in undetermined if u.is_risk]


def _targets(site: SiteProfile) -> dict[str, str]:
    return {a.id: a.touches for a in site.adaptations}


def _about(finding: Finding, targets: dict[str, str]) -> set[str]:
    """The principles or components a finding is about: its subjects, or what its adaptations touch."""
    if finding.subject == "adaptation":
        return {targets.get(subject_id, subject_id) for subject_id in finding.subject_ids}
    return set(finding.subject_ids)


def _advice_for(finding: Finding, subject_id: str) -> str:
    """The advice a finding gives about one of its subjects (all of it, for a site finding)."""
    own = [i.advice for i in finding.instances if i.subject_id == subject_id]
    return own[0] if own else finding.advice


def _principles(programme: Programme, site: SiteProfile, findings: Sequence[Finding]) -> list[PrincipleVerdict]:
    verdicts = []
    for principle in sorted(programme.principles, key=lambda p: p.id):
        status: str = "keep" if principle.kind == "core" else "tailor"
        guidance = (
            "Keep exactly as the programme defines it: it is core."
            if principle.kind == "core"
            else "May be tailored to local need, within the framework the core principles set."
        )
        relevant = [
            f for f in findings
            if f.effect.principle is not None and principle.id in principles_affected(f, programme, site)
        ]
        for finding in relevant:
            assert finding.effect.principle is not None
            status = _worst(status, finding.effect.principle, PRINCIPLE_ORDER)
        # Say first what decides the status: the threatening adaptations when it is at risk.
        deciding = [f for f in relevant if f.effect.principle == status] + [
            f for f in relevant if f.effect.principle != status
        ]
        notes = [
            (f"At risk from adaptation \"{f.subject_id}\": " if f.effect.principle == "at_risk"
             and f.subject == "adaptation" and f'"{f.subject_id}"' not in f.advice else "")
            + _advice_for(f, principle.id)
            for f in deciding
        ]
        if notes:
            guidance = " ".join(dict.fromkeys(notes))
        verdicts.append(
            PrincipleVerdict(
                id=principle.id,
                statement=principle.statement,
                kind=principle.kind,
                status=status,  # type: ignore[arg-type]
                guidance=guidance,
                reasons=[_reason(f) for f in relevant],
            )
        )
    return verdicts


def _components(programme: Programme, site: SiteProfile, findings: Sequence[Finding], targets: dict[str, str]
                ) -> list[ComponentVerdict]:
    verdicts = []
    services = site.existing_services or []
    for component in sorted(programme.components, key=lambda c: c.id):
        status: str = "deliver"
        relevant = [f for f in findings if f.effect.component is not None and component.id in _about(f, targets)]
        for finding in relevant:
            assert finding.effect.component is not None
            status = _worst(status, finding.effect.component, COMPONENT_ORDER)
        build_on = []
        if status == "build_on":
            build_on = sorted(s.name for s in services if set(s.covers) & set(component.serves))
        guidance = " ".join(dict.fromkeys(_advice_for(f, component.id) for f in relevant)) or (
            "Deliver as the programme defines it.")
        verdicts.append(
            ComponentVerdict(
                id=component.id,
                name=component.name,
                status=status,  # type: ignore[arg-type]
                guidance=guidance,
                build_on=build_on,
                reasons=[_reason(f) for f in relevant],
            )
        )
    return verdicts


THEME_PRECEDENCE: tuple[str, ...] = (
    "buy_in", "resources", "partnership_working", "flexibility", "operational_model", "cultural_change", "impact",
)
"""Within a phase, what must come first: a lead and the money, then agreements with partners, then
fitting the model to the place and planning, then staff, then evidence. Someone has to own the
work and it has to be paid for before partners can sign up to it or staff be recruited to it."""
SUMMARY_ACTIONS = 10
SUMMARY_QUESTIONS = 5
SUMMARY_STRENGTHS = 3


def _summary_of(actions: Sequence[Action], questions: Sequence[Question], findings: Sequence[Finding],
                readiness_order: Sequence[str]) -> PlanSummary:
    """The first page: the first actions in order, the questions that could change the decision
    first, and the strengths in the themes that most need them."""
    weakness = {theme: index for index, theme in enumerate(readiness_order)}
    strengths = sorted((f for f in findings if f.is_strength),
                       key=lambda f: (weakness.get(f.theme, len(weakness)), f.rule_id))
    return PlanSummary(
        actions=list(actions[:SUMMARY_ACTIONS]),
        more_actions=max(0, len(actions) - SUMMARY_ACTIONS),
        questions=list(questions[:SUMMARY_QUESTIONS]),
        more_questions=max(0, len(questions) - SUMMARY_QUESTIONS),
        strengths=[Strength(finding=f.ref, title=f.title, theme=f.theme) for f in strengths[:SUMMARY_STRENGTHS]],
    )


def _actions(findings: Sequence[Finding]) -> list[Action]:
    grouped: dict[str, tuple[Finding, list[str]]] = {}
    for finding in findings:
        if finding.action is None:
            continue
        first, refs = grouped.setdefault(finding.action.do, (finding, []))
        refs.append(finding.ref)
        if SEVERITY_RANK[finding.severity] < SEVERITY_RANK[first.severity]:
            grouped[finding.action.do] = (finding, refs)
    ordered = sorted(
        grouped.values(),
        key=lambda item: (
            PHASES.index(item[0].action.phase),  # type: ignore[union-attr]
            THEME_PRECEDENCE.index(item[0].theme),
            SEVERITY_RANK[item[0].severity],
            item[0].rule_id,
        ),
    )
    actions = []
    for order, (finding, refs) in enumerate(ordered, start=1):
        assert finding.action is not None
        actions.append(
            Action(
                order=order,
                phase=finding.action.phase,
                priority=finding.severity,
                owner=finding.action.owner,
                do=finding.action.do,
                done_when=finding.action.done_when or "",
                answers=refs,
            )
        )
    return actions


_ITEM_LISTS = {"partner": "site.partners", "service": "site.existing_services", "adaptation": "site.adaptations",
               "component": "programme.components", "principle": "programme.principles"}


def _profile_field(path: str, subject_id: str = "") -> str:
    """The profile field a user fills in to settle `path`: itself, what it is derived from, or, for
    a field of one partner (service, component...), that item's field, e.g. `site.partners.housing.consulted`."""
    if path in DERIVED_FROM:
        return DERIVED_FROM[path]
    head, _, rest = path.partition(".")
    if head in _ITEM_LISTS and subject_id:
        return f"{_ITEM_LISTS[head]}.{subject_id}.{rest}"
    return path


def _description(path: str, descriptions: dict[str, str]) -> str:
    """What a profile field is, in words: from the field catalogue, or the schema's own description
    (lists of objects, such as funding sources, are not in the catalogue); never a bare path."""
    if path in descriptions:
        return descriptions[path]
    head, _, rest = path.partition(".")
    model: type[BaseModel] | None = SiteProfile if head == "site" else Programme if head == "programme" else None
    names = rest.split(".")
    description = ""
    while model is not None and names:
        name = names.pop(0)
        field = model.model_fields.get(name)
        if field is None:
            continue  # an item id inside a list path (site.partners.<id>.consulted)
        description = field.description or description
        model = next(iter(models_in(field.annotation)), None)
    return description or path.rsplit(".", 1)[-1].replace("_", " ")


def _question_text(path: str, descriptions: dict[str, str], subject: str = "") -> str:
    description = _description(path, descriptions).rstrip(".")
    about = f" for {subject}" if subject else ""
    return f"Not stated{about}: {description[:1].lower()}{description[1:]}."


def _partner_fields(path: str, site: SiteProfile) -> list[tuple[str, str]]:
    """For a partner count left unknown by partners that do not say, each such partner's own field
    (`site.partners.housing.shares_information`) and the partner's name."""
    names = DERIVED_FROM_ITEMS.get(path)
    if not names or site.partners is None:
        return []
    return [(f"site.partners.{partner.id}.{name}", f"partner {partner.name}")
            for partner in site.partners for name in names if getattr(partner, name) is None]


def _need_fields(path: str, subject_id: str, programme: Programme, site: SiteProfile) -> list[str]:
    """What a principle needs of the site, for a principle left open by it: the site fields (or
    the site's conditions) still unstated, which are what the site can answer."""
    if path not in ("principle.has_unmet_need", "principle.unmet_needs"):
        return []
    principle = next((p for p in programme.principles if p.id == subject_id), None)
    if principle is None:
        return []
    fields = ["site.conditions" for need in principle.needs if need.condition and site.conditions is None]
    fields += [f"site.{need.field}" for need in principle.needs
               if need.field and not stated_in_site(site, f"site.{need.field}")]
    return list(dict.fromkeys(fields))


def _questions(undetermined: Iterable[UndeterminedRule], descriptions: dict[str, str],
               changes: Sequence[DecisionChange], site: SiteProfile, current: Verdict,
               programme: Programme) -> list[Question]:
    """Every question, the most decisive first: those whose answer could move the decision
    (furthest first), then those that could reveal the most serious risk, then the most needed."""
    needed: dict[str, set[str]] = {}
    subjects: dict[str, str] = {}
    gravest: dict[str, int] = {}
    for item in undetermined:
        weight = SEVERITY_RANK[item.severity] if item.is_risk else len(SEVERITY_RANK)
        for path in item.missing:
            per_partner = _partner_fields(path, site)
            needs = _need_fields(path, item.subject_id, programme, site)
            fields = [field for field, _ in per_partner] or needs or [_profile_field(path, item.subject_id)]
            for field, subject in per_partner:
                subjects[field] = subject
            if not per_partner and not needs and path not in DERIVED_FROM \
                    and path.partition(".")[0] in _ITEM_LISTS and item.subject_label:
                subjects[fields[0]] = f"{item.subject} {item.subject_label.rstrip('.')}"
            for field in fields:
                needed.setdefault(field, set()).add(item.rule_id)
                gravest[field] = min(gravest.get(field, weight), weight)
    for change in changes:
        needed.setdefault(change.field, set())
    moves: dict[str, Verdict] = {}
    for change in changes:
        moves.setdefault(change.field, change.to)
    questions = []
    for path, rule_ids in needed.items():
        questions.append(
            Question(field=path, question=_question_text(path, descriptions, subjects.get(path, "")),
                     needed_by=sorted(rule_ids), subject=subjects.get(path),
                     answer_by="programme owner" if path.startswith("programme.") else "site",
                     could_change_to=moves.get(path))
        )
    order = {verdict: index for index, verdict in enumerate(VERDICT_ORDER)}
    return sorted(questions, key=lambda q: (
        q.could_change_to is None,
        -abs(order[q.could_change_to] - order[current]) if q.could_change_to else 0,
        gravest.get(q.field, len(SEVERITY_RANK)),
        -len(q.needed_by),
        q.field,
    ))


def _sustaining(programme: Programme, params: model.DecisionParameters) -> Sustaining:
    """What keeps the copy faithful and funded after launch: the guidance's lessons on sustaining
    (a documented process "modified and monitored regularly", evidence of impact, cost/benefit)."""
    every = params.review_every_months
    duration = programme.costs.duration_months
    checks = [FidelityCheck(principle=p.id, check=f"Check that delivery still does this: {p.statement}")
              for p in sorted(programme.principles, key=lambda p: p.id) if p.kind == "core"]
    reviews = [Review(month=month, what="Review outcomes against the targets and the action plan; record them")
               for month in range(every, min(duration, 24) + 1, every)]
    if reviews:
        last = reviews[-1]
        reviews[-1] = last.model_copy(update={"what": last.what + "; update the local cost/benefit case"})
    return Sustaining(
        fidelity_checks=checks,
        reviews=reviews,
        cost_benefit="Build a local cost/benefit case from the site's own delivery outcomes (as CAFÉ's "
        "analysis did), compared with what the area achieved before, in time for the funding decision.",
        reassess_when=[
            "funding the plan counted on is cut, delayed or ends",
            "the named lead or senior sponsor leaves",
            "a critical partner withdraws or stops sharing information",
            "national or local policy the programme depends on changes",
            "outcome reviews show targets missed at two reviews running",
        ],
    )


def _open_by_theme(undetermined: Sequence[UndeterminedRule]) -> dict[str, int]:
    """Open checks of the site, by theme."""
    counts: dict[str, int] = {}
    for item in undetermined:
        if item.about_site:
            counts[item.theme] = counts.get(item.theme, 0) + 1
    return counts


def _all_themes(confidence: Mapping[str, float]) -> dict[str, float]:
    """Confidence for every theme: one whose rules read nothing of the site has nothing unknown."""
    return {theme: confidence.get(theme, 1.0) for theme in THEMES}


def _parameter_refs(names: Iterable[str], parameters: Mapping[str, Parameter]) -> list[ParameterRef]:
    return [ParameterRef(name=p.name, value=p.value, unit=p.spec.unit, basis=p.spec.basis, reason=p.spec.reason,
                         pack=p.pack) for p in (parameters[n] for n in dict.fromkeys(names) if n in parameters)]


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
    targets = _targets(site)
    confidence = _all_themes(confidence)
    questions = {field: _question_text(field, field_descriptions)
                 for u in undetermined for path in u.missing for field in _answer_fields(path, u, programme, site)}
    for group in decisive_missing(site):
        for path in group.fields:
            questions.setdefault(path, _question_text(path, field_descriptions))
    decision = _decision(findings, undetermined, programme, site, confidence, params, questions)
    used = [*model.DECISION_PARAMETERS, *(p.name for f in findings for p in f.parameters)]
    actions = _actions(findings)
    readiness = scoring.readiness(findings, _open_by_theme(undetermined), confidence, params)
    missing_information = _questions(undetermined, field_descriptions, decision.could_change, site,
                                     decision.verdict, programme)
    return AdaptationPlan(
        programme=ProfileRef(id=programme.id, name=programme.name),
        site=ProfileRef(id=site.id, name=site.name),
        decision=decision,
        summary=_summary_of(actions, missing_information, findings, [r.theme for r in readiness]),
        principles=_principles(programme, site, findings),
        components=_components(programme, site, findings, targets),
        actions=actions,
        readiness=readiness,
        readiness_method=scoring.method(params),
        decision_method=model.method(params),
        missing_information=missing_information,
        sustaining=_sustaining(programme, params),
        findings=list(findings),
        parameters=_parameter_refs(used, parameters),
        rule_packs=list(packs),
    )
