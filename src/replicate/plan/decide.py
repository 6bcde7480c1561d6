"""The plan's decision: the decision model's judgement of the findings, put into words a board
can be given, with the conditions or groundwork it asks for and what could still change it.

The model itself (`decision.py`) is plain numbers; this module reads findings into it and its
judgement back out; the information without which no decision can be defended is named in
`decisive.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from typing_extensions import assert_never

from ..facts.provenance import DERIVED_FROM
from ..findings import Finding
from ..guidance import THEMES
from ..schema import SiteProfile
from . import decision as model
from .decisive import DecisiveInformation, decisive_missing
from .model import Condition, Decision, DecisionChange, Reason, Verdict
from .owners import acting_owner
from .question_words import question_text
from .questions import AnswerFields, UndeterminedRule, open_risks
from .reliefs import tried_with_reliefs, with_reliefs, without_false_alarms


def risk_of(finding: Finding) -> model.Risk:
    """What the decision model needs of a risk finding."""
    before = finding.action is not None and finding.action.phase == "before_launch"
    return model.Risk(finding.ref, finding.title, finding.theme, finding.severity, finding.effect.decision, before)


def _condition(finding: Finding, fallback_check: str, site: SiteProfile) -> Condition | None:
    if finding.action is None:
        return None
    return Condition(do=finding.action.do, done_when=finding.action.done_when or fallback_check,
                     owner=acting_owner(finding.action.owner, site), answers=[finding.ref])


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


def _whose_questions(fields: Sequence[str]) -> str:
    """Who can answer the questions that could change a decision, so that a site whose own profile
    is complete sees that the wait is on the programme owner, not on itself."""
    if fields and all(f.startswith("programme.") for f in fields):
        return "questions to the programme owner"
    if fields and all(f.startswith("site.") for f in fields):
        return "unanswered questions about the site"
    return "unanswered questions"


def _summary(verdict: Verdict, judgement: model.Judgement, conditions: int, could_change: Sequence[str],
             on_programme: bool = False) -> str:
    """The decision and its main reason in one sentence; further reasons are listed, not repeated.
    `on_programme`: all that holds a "not yet" is about the programme itself, which no change to the
    site's profile can lift (1002: "do the groundwork, then advise again" gave the same answer)."""
    own = [cause for cause in judgement.causes if cause.verdict == verdict]
    top = own[0].text if own else ""
    top = top[:1].lower() + top[1:]
    extra = len(own) - 1
    more = f", and {extra} more reason{'s' if extra != 1 else ''}" if extra else ""
    match verdict:
        case "go":
            text = "Go ahead: nothing needs to be done before launch"
        case "go_with_conditions":
            # The cause is why there are conditions, not a condition: "once 1 condition is met: a critical
            # partner does not share" read as if not sharing were the condition (1010). One is not ranked.
            # A low risk is "the first reason", not "the most serious": beside a medium risk left to
            # the first months, that read as a misjudged risk (1282).
            serious = bool(own) and own[0].gravity <= model.GRAVITY["medium"]
            ranked = "the most serious reason" if serious else "the first reason"
            text = (f"Go ahead once {conditions} conditions are met; {ranked}: {top}"
                    if conditions != 1 else f"Go ahead once 1 condition is met, because: {top}")
        case "information_needed":
            text = f"Information needed before a decision: {top}{more}"
        case "not_yet" if on_programme:
            text = (f"Not yet: {top}{more}; this is about the programme itself, which no change to the site "
                    "lifts: do the groundwork, then advise again with the programme's new evidence or description")
        case "not_yet":
            text = f"Not yet: {top}{more}; do the groundwork, then advise again"
        case "do_not_replicate":
            text = f"Do not replicate here: {top}{more}"
        case _:
            assert_never(verdict)
    if could_change and verdict == "go":  # "nothing to do" must not read as "nothing to ask"
        return (f"Go ahead on what is known so far: nothing known needs to be done before launch, but "
                f"{_whose_questions(could_change)} could change that, so answer them first.")
    if could_change and verdict != "information_needed":  # waiting for answers says so already
        return text + f", on what is known so far: {_whose_questions(could_change)} could change it."
    return text + "."


_WOULD_MEAN = {"do_not_replicate": "not replicating", "not_yet": "groundwork first ('not yet')"}


def open_refusals(undetermined: Sequence[UndeterminedRule], answers: AnswerFields,
                  effect: Verdict = "do_not_replicate") -> list[DecisiveInformation]:
    """Open rules that would mean "do not replicate" (or `effect`), each with the site fields that
    settle it. Like the decisive information, they hold the decision at "information needed": a go,
    with or without conditions, that one answer could turn into "do not replicate" cannot be
    defended to a board (an area that may already run all of the programme, with room, is told to
    find out first)."""
    held: dict[str, DecisiveInformation] = {}
    for item in undetermined:
        if not item.is_risk or item.effect != effect:
            continue
        fields = answers.of(item)
        if not fields:
            continue  # nothing the site can answer: the question is not asked, so it cannot hold
        if any(set(fields) <= set(known.fields) for known in held.values()):
            continue  # the same answers already hold it: a second reason would ask them twice
        title = f"{item.title[:1].lower()}{item.title[1:]}"
        label = f"Not yet known whether {title}, which would mean {_WOULD_MEAN[effect]}"
        known = held.get(label)
        held[label] = DecisiveInformation(label, tuple(dict.fromkeys((*(known.fields if known else ()), *fields))))
    return list(held.values())


def information_holding(site: SiteProfile, undetermined: Sequence[UndeterminedRule],
                        answers: AnswerFields | None) -> list[DecisiveInformation]:
    """What holds the decision at "information needed": the decisive information left out or, when
    none is, the open rules that would mean not replicating (both at once would say one gap twice:
    an unstated local need is also an open "no local need")."""
    missing = decisive_missing(site, answers.programme if answers is not None else None)
    if missing or answers is None:
        return missing
    return open_refusals(undetermined, answers)


def judged(risks: Sequence[model.Risk], build_on: Sequence[str], site: SiteProfile, confidence: Mapping[str, float],
           params: model.DecisionParameters, undetermined: Sequence[UndeterminedRule],
           answers: AnswerFields | None) -> tuple[model.Judgement, list[DecisiveInformation]]:
    """The judgement, and what holds it at "information needed". A go, with or without conditions,
    that one answer could turn into "not yet" (the service a core principle cannot do without, say)
    is held too, as one that could turn into "do not replicate" is: it cannot be defended to a board,
    and holding only a plain go would let a site with more risks (conditions) read better than one
    with fewer (499, 255)."""
    missing = information_holding(site, undetermined, answers)
    judgement = model.judge(risks, build_on, confidence, [g.label for g in missing], params)
    if judgement.verdict in ("go", "go_with_conditions") and answers is not None:
        held = open_refusals(undetermined, answers, "not_yet")
        if held:
            missing = held
            judgement = model.judge(risks, build_on, confidence, [g.label for g in missing], params)
    return judgement, missing


def judge_findings(findings: Sequence[Finding], site: SiteProfile, confidence: Mapping[str, float],
                   params: model.DecisionParameters, undetermined: Sequence[UndeterminedRule] = (),
                   answers: AnswerFields | None = None) -> tuple[model.Judgement, list[DecisiveInformation]]:
    """The verdict and theme scores, and what holds it at "information needed", without building a
    plan: what-if analysis weighs many candidate sites this way (the plan's own decision is made by
    the same call)."""
    risks, build_on = _risks_and_build_on(findings)
    return judged(risks, build_on, site, all_themes(confidence), params, undetermined, answers)


def terms_to_agree(finding: Finding) -> bool:
    """Whether a finding builds a component on a service whose terms are still to sign before
    launch: a condition of going ahead. One whose terms are signed builds on it and asks nothing."""
    return (finding.effect.component == "build_on" and finding.action is not None
            and finding.action.phase == "before_launch")


def weighs(finding: Finding) -> bool:
    """Whether a finding is a risk the decision weighs: not one whose launch condition the site
    records as done (actions_done), which stands in the plan with its record and holds nothing."""
    return not finding.is_strength and finding.done is None


def _risks_and_build_on(findings: Sequence[Finding]) -> tuple[list[model.Risk], list[str]]:
    """What the decision model reads of the findings: the risks, and the terms still to agree."""
    return ([risk_of(f) for f in findings if weighs(f)], [f.ref for f in findings if terms_to_agree(f)])


def _raised_by_leaving_out(finding: Finding, asked: set[str]) -> bool:
    """Whether a risk rests on one of the asked fields being unstated (a finding lists an unstated
    field only where its rule asks whether it is known): giving the answer takes it away, so the
    best the answers can do is judged without it. "Go with conditions at best" was promised to a
    site whose only risk was not listing its services (1375)."""
    return any(value is None and _within(DERIVED_FROM.get(path, path), asked)
               for path, value in finding.matched.items())


def _standing_once_answered(findings: Sequence[Finding], risks: Sequence[model.Risk],
                            missing: Sequence[DecisiveInformation]) -> list[model.Risk]:
    """The risks (those `_risks_and_build_on` made, in order) that giving the missing information
    would leave standing."""
    asked = {field for g in missing for field in g.asked}
    weighed = [f for f in findings if weighs(f)]
    return [risk for risk, f in zip(risks, weighed, strict=True) if not _raised_by_leaving_out(f, asked)]


def _within(field: str, asked: set[str]) -> bool:
    return any(field == a or field.startswith(a + ".") or a.startswith(field + ".") for a in asked)


def decide(findings: Sequence[Finding], undetermined: Sequence[UndeterminedRule], answers: AnswerFields,
           site: SiteProfile, confidence: Mapping[str, float], params: model.DecisionParameters,
           descriptions: dict[str, str]) -> Decision:
    """The plan's decision section: the verdict, its reasons, the conditions or groundwork it
    needs, and the unanswered questions that could still change it."""
    risks, build_on = _risks_and_build_on(findings)
    judgement, missing = judged(risks, build_on, site, confidence, params, undetermined, answers)
    said = {g.theme for g in missing if g.theme}
    judgement = replace(judgement, causes=tuple(c for c in judgement.causes if c.unknown_theme not in said))
    # The fields that would settle an open rule are worked out only for the rules that could move
    # the decision, and each kind of risk is tried once for both steps.
    counterfactuals = model.Counterfactuals(risks, build_on, confidence, bool(missing), params)
    current = model.rank(judgement.verdict)
    opened = open_risks(undetermined, answers, lambda kind: model.rank(counterfactuals.verdict_of(kind)) > current)
    standing = _standing_once_answered(findings, risks, missing) if judgement.verdict == "information_needed" else None
    changes = model.what_could_change(judgement, risks, build_on, confidence, {g.label: g.asked for g in missing},
                                      opened, params, counterfactuals, standing)
    tried = list(tried_with_reliefs(findings, risks, undetermined, lambda kept: model.verdict(
        kept, build_on, confidence, [g.label for g in missing], params)))
    changes = with_reliefs(without_false_alarms(changes, tried, answers, judgement.verdict), tried, answers,
                           judgement.verdict)
    verdict = judgement.verdict
    causing = {ref for cause in judgement.causes for ref in _needed(cause, findings, params)}
    # The reasons are the causes of the verdict itself, one line each; what only rules out a better
    # verdict is said in the conditions and actions, not repeated here.
    # A finding that is both a risk and terms to agree (a core component handed to a full service)
    # is one reason, not two lines naming it.
    reasons: list[Reason] = []
    named: set[str] = set()
    for cause in judgement.causes:
        if cause.verdict == verdict and not (cause.refs and set(cause.refs) <= named):
            reasons.append(Reason(finding=", ".join(cause.refs), text=cause.text))
            named.update(cause.refs)
    check = "Recorded as done, with the evidence, by the owner"
    held_by = {ref for cause in judgement.causes if cause.verdict == verdict for ref in cause.refs}
    conditions: list[Condition] = []
    groundwork: list[Condition] = []
    if verdict == "go_with_conditions":
        conditions = _merge_conditions(_condition(f, check, site) for f in findings if f.ref in causing)
    elif verdict in ("not_yet", "do_not_replicate"):
        # Only what blocks: the rest of the work is in the actions, and a long list hides the point.
        groundwork = _merge_conditions(_condition(f, check, site) for f in findings if f.ref in held_by)
    questions_first = [field for g in missing for field in g.asked] if verdict == "information_needed" else []
    could_change = [
        DecisionChange(field=change.field, question=question_text(change.field, descriptions, "", answers.programme),
                       to=change.to, rules=list(change.rules), with_other_answers=not change.alone,
                       if_answer=(("if the answer is unfavourable" if change.alone
                                   else "if this answer and the others its rules need are unfavourable")
                                  if not change.better
                                  else "at best, once it and the rest of the missing information are answered"
                                  if verdict == "information_needed" else "if the answer is favourable"))
        for change in changes
    ]
    if verdict == "information_needed" and not questions_first:
        # Held because too little of a theme is known, not for a section left out: what to answer
        # first is what could move the decision, then what the unknown themes read (888: the text
        # asked them first, the JSON listed none).
        unknown = {c.unknown_theme for c in judgement.causes if c.verdict == verdict and c.unknown_theme}
        questions_first = list(dict.fromkeys([*(change.field for change in could_change),
                                              *(field for rule in undetermined if rule.theme in unknown
                                                for field in answers.of(rule))]))
    provisional = bool(could_change)
    on_programme = verdict == "not_yet" and all(f.about == "programme" for f in findings if f.ref in held_by)
    summary = _summary(verdict, judgement, len(conditions), [c.field for c in could_change], on_programme)
    return Decision(verdict=verdict, summary=summary,
                    reasons=reasons, provisional=provisional, could_change=could_change, conditions=conditions,
                    groundwork=groundwork, questions_first=questions_first)


def _needed(cause: model.Cause, findings: Sequence[Finding], params: model.DecisionParameters) -> tuple[str, ...]:
    """The findings a cause needs dealt with before launch. Risks that weigh only together (medium
    risks like a high one, a theme's score under its floor) are met through those of them whose
    action belongs before launch, where dealing with those alone frees the theme: sharing practice
    once it has proved itself read as a launch condition only because it was counted with three
    evaluation gaps (1042)."""
    if cause.gravity != 1 or len(cause.refs) < 2:
        return cause.refs
    by_ref = {f.ref: f for f in findings}
    before = tuple(ref for ref in cause.refs if (action := by_ref[ref].action) is not None
                   and action.phase == "before_launch")
    if not before or len(before) == len(cause.refs):
        return cause.refs
    theme = by_ref[cause.refs[0]].theme
    left = [f.severity for f in findings if f.theme == theme and not f.is_strength and f.ref not in before]
    mix = (left.count("high"), left.count("medium"), left.count("low"))
    return before if model.theme_rank(mix, params) == model.rank("go") else cause.refs


def all_themes(confidence: Mapping[str, float]) -> dict[str, float]:
    """Confidence for every theme: one whose rules read nothing of the site has nothing unknown."""
    return {theme: confidence.get(theme, 1.0) for theme in THEMES}
