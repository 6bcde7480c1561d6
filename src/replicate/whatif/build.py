"""`what_if`: find the levers, search, and describe each smallest set of changes for a reader."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..advisor import Advisor
from ..findings import Finding
from ..loading import check_site_against
from ..plan.decision import rank
from ..plan.model import VERDICT_ORDER, DecisionChange, ProfileRef, Verdict
from ..plan.owners import acting_owner
from ..schema import Programme, SiteProfile
from ..schema.common import LEVELS
from .catalogue import Catalogue, load_catalogue
from .levers import LeverFinder
from .model import ActionRef, FieldChange, FindingRef, Goal, LeverEffect, ProposedChange, Suggestion, ThemeGain, WhatIf
from .profile import Change, apply, question_slot
from .search import Outcome, Search, instances

DEFAULT_MAX_CHANGES = 3
DEFAULT_LIMIT = 5
"""Suggestions listed per goal; `Goal.found` says how many there are in all."""


def _proposed(change: Change) -> ProposedChange:
    old = change.slot.value
    if change.kind == "withdraw":
        old = change.slot.item
    return ProposedChange(field=change.slot.path, old=old, new=change.new, kind=change.kind, label=change.label,
                          also=[FieldChange(field=slot.path, old=slot.value, new=value) for slot, value in change.also])


def _ref(finding: Finding) -> FindingRef:
    return FindingRef(ref=finding.ref, rule_id=finding.rule_id, title=finding.title)


def _gains(before: Outcome, after: Outcome) -> list[ThemeGain]:
    return [ThemeGain(theme=theme, before=score, after=after.readiness.get(theme, score))  # type: ignore[arg-type]
            for theme, score in before.readiness.items() if after.readiness.get(theme, score) != score]


def _suggestion(search: Search, chosen: Sequence[int], outcome: Outcome) -> Suggestion:
    base = search.base
    resolved = [f for ref, f in base.findings.items() if ref not in outcome.findings]
    # A finding it resolves may have absorbed others (one pattern, one finding): those that now stand
    # on their own were there all along, so they are not "brought in".
    held = {ref for finding in resolved for ref in finding.absorbs}
    actions: list[ActionRef] = []
    for finding in resolved:
        # An action the site records as done is not in the plan, so the change cannot clear it (2211).
        if finding.action is not None and finding.done is None and all(a.do != finding.action.do for a in actions):
            # Owned as the plan owns it: the site has no sponsor yet, so the commissioner holds it (1689).
            owner = acting_owner(finding.action.owner, search.site)
            actions.append(ActionRef(do=finding.action.do, phase=finding.action.phase, owner=owner))
    return Suggestion(
        changes=[_proposed(search.levers[i].change) for i in chosen],
        verdict=outcome.verdict,
        # Terms signed with a service to build on clear its condition, but resolve no risk.
        resolves=[_ref(f) for f in resolved if not f.is_strength],
        introduces=[_ref(f) for ref, f in outcome.findings.items() if ref not in base.findings and ref not in held],
        uncovers=[_ref(f) for ref, f in outcome.findings.items() if ref not in base.findings and ref in held],
        readiness=_gains(base, outcome),
        actions=actions,
    )


def _with_proviso(search: Search, chosen: Sequence[int], suggestion: Suggestion) -> Suggestion:
    """Whether the plan, with the changes made, would call its decision provisional: worked out only
    for the suggestions listed (one whole plan each), so that none promises more than the plan says."""
    changed = apply(search.site, [search.levers[i].change for i in chosen])
    if changed is None:
        return suggestion
    provisional = search.advisor.advise(search.programme, changed).decision.provisional
    return suggestion.model_copy(update={"provisional": provisional})


def _gain(suggestion: Suggestion) -> int:
    return sum(g.after - g.before for g in suggestion.readiness)


def _step(new: object, old: object, kind: str) -> float | None:
    """How far a change moves a number or a graded answer; None for any other kind of change (and
    for an answer to a graded question, which is not a step along a scale but one of its answers)."""
    if isinstance(new, int | float) and not isinstance(new, bool):
        return abs(new - (old if isinstance(old, int | float) and not isinstance(old, bool) else 0))
    if kind == "change" and new in LEVELS:
        return abs(LEVELS.index(new) - (LEVELS.index(old) if old in LEVELS else 0))
    return None


def _smallest_numbers(search: Search, sets: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """Of sets that differ only in how far a number or a graded answer moves, keep the one that
    moves it least. Where one of them answers an unstated number, the answer is a fact to find out,
    not a step to take: the set with the best outcome is kept, for the least move there was the
    worst answer ("find out the lead's hours: 0", 1876)."""
    kept: dict[tuple[object, ...], tuple[tuple[float, ...], tuple[int, ...]]] = {}
    for chosen in sets:
        changes = [search.levers[i].change for i in chosen]
        moves = [_step(c.new, c.slot.value, c.kind) for c in changes]
        shape = tuple((c.slot.path, "#" if move is not None else repr(c.new)) for c, move in zip(changes, moves,
                                                                                              strict=True))
        distance = tuple(move if move is not None else 0.0 for move in moves)
        if any(c.kind == "answer" and move is not None for c, move in zip(changes, moves, strict=True)):
            outcome = search.outcome(frozenset(chosen))
            if outcome is not None:
                gain = sum(g.after - g.before for g in _gains(search.base, outcome))
                distance = (float(rank(outcome.verdict)), float(-gain), *distance)
        if shape not in kept or distance < kept[shape][0]:
            kept[shape] = (distance, chosen)
    survivors = {chosen for _, chosen in kept.values()}
    return _without_supersets(search, [chosen for chosen in sets if chosen in survivors])


def _without_supersets(search: Search, sets: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """Drop a way whose settings hold every setting of another way and more: with as many changes
    as the other, it does all the other does and adds work (a local cost/benefit case planned with
    the statistics it needs, beside the statistics alone: 2088), so it is not among the fewest."""
    settings = [frozenset((path, repr(value)) for i in chosen for path, value in search.levers[i].change.settings)
                for chosen in sets]
    return [chosen for chosen, own in zip(sets, settings, strict=True)
            if not any(other < own for other in settings)]


def _goal(search: Search, target: Verdict, label: str, max_changes: int, limit: int) -> Goal:
    result = search.goal(target, max_changes)
    suggestions = []
    for chosen in _smallest_numbers(search, result.sets):
        outcome = search.outcome(frozenset(chosen))
        assert outcome is not None
        suggestions.append((chosen, _suggestion(search, chosen, outcome)))
    order = {id(s): n for n, (_, s) in enumerate(suggestions)}
    # Among equals, a way that gives up less comes first: a board asked to decide a local tailoring
    # should not be told first to withdraw it (1441).
    suggestions.sort(key=lambda pair: (rank(pair[1].verdict), -_gain(pair[1]), _withdrawals(pair[1].changes),
                                       order[id(pair[1])]))
    shown = [_with_proviso(search, chosen, suggestion) for chosen, suggestion in suggestions[:limit]]
    titles = {key: f for f in search.base_findings for key in instances(f, search.over_findings)}
    out_of_reach = []
    listed: set[str] = set()
    for rule_id, subject_id in result.out_of_reach:
        known = titles.get((rule_id, subject_id))
        if known is not None and known.ref in listed:
            continue  # one finding about several items is in the way once
        if known is not None:
            listed.add(known.ref)
        if rule_id == "information":  # something decisive the profile leaves out, not a rule
            out_of_reach.append(FindingRef(ref="", rule_id="", title=subject_id))
            continue
        finding = titles.get((rule_id, subject_id))
        ref = finding.ref if finding is not None else (
            rule_id if subject_id in ("site", "findings") else f"{rule_id}@{subject_id}")
        spec = search.advisor.rule_base.by_id()[rule_id].spec
        title = finding.title if finding is not None else spec.title
        # Its condition is met by a record, which the site lists once done: say so, where "act on it
        # directly" left a resubmission that did it with nowhere to show it (1284).
        recorded = " (once its action is done, list it under actions_done)" if (
            spec.action is not None and spec.action.recordable) else ""
        out_of_reach.append(FindingRef(ref=ref, rule_id=rule_id,
                                       title=title + ("" if finding else " (not known)") + recorded))
    return Goal(target=target, label=label, reached_with=result.size, found=len(suggestions),
                suggestions=shown, out_of_reach=out_of_reach, complete=result.complete)


def _lever_effects(search: Search) -> list[LeverEffect]:
    effects = []
    now = rank(search.base.verdict)
    for lever in search.levers:
        if lever.change.slot.path in search.blockers.unasked:
            continue  # a part of a section the plan asks as one question: its first field stands for it
        outcome = search.outcome(frozenset([lever.order]))
        if outcome is None:
            continue
        gain = sum(outcome.readiness.get(t, s) - s for t, s in search.base.readiness.items())
        introduces = [ref for ref in outcome.findings if ref not in search.base.findings]
        resolves = [ref for ref in search.base.findings if ref not in outcome.findings]
        same = rank(outcome.verdict) == now
        # A change that makes things worse, trades one finding for another (an unfavourable answer to
        # a question, say) or does nothing at all (a budget raised past what any rule reads) is not a
        # way forward: the list holds only what improves the case. An answer that moves nothing else
        # still tells more, so it stays.
        idle = not resolves and lever.change.kind != "answer"
        if gain < 0 or rank(outcome.verdict) > now or (gain == 0 and same and (introduces or idle)):
            continue
        effects.append(LeverEffect(change=_proposed(lever.change), verdict=outcome.verdict,
                                   resolves=resolves, introduces=introduces, readiness_gain=gain))
    # Of the values one number or graded answer could take for the same decision, keep the one that
    # does most, then the smallest move: 18 and 19 months side by side, one line of readiness apart,
    # read as thresholds, not choices (2021).
    kept: dict[tuple[object, ...], LeverEffect] = {}
    for effect in effects:
        shape = (effect.change.field, effect.verdict)
        rival = kept.get(shape)
        if rival is None or (-effect.readiness_gain, -len(effect.resolves), _distance(effect.change)) < (
                -rival.readiness_gain, -len(rival.resolves), _distance(rival.change)):
            kept[shape] = effect
    survivors = [e for e in effects if kept.get((e.change.field, e.verdict)) is e]
    order = {id(e): n for n, e in enumerate(survivors)}
    return sorted(survivors, key=lambda e: (rank(e.verdict), -len(e.resolves), -e.readiness_gain,
                                            _withdrawals([e.change]), order[id(e)]))


def _withdrawals(changes: Sequence[ProposedChange]) -> int:
    return sum(1 for change in changes if change.kind == "withdraw")


def _distance(change: ProposedChange) -> float:
    return _step(change.new, change.old, change.kind) or 0.0


def what_if(advisor: Advisor, programme: Programme, site: SiteProfile, *, max_changes: int = DEFAULT_MAX_CHANGES,
            limit: int = DEFAULT_LIMIT, catalogue: Catalogue | None = None) -> WhatIf:
    """The smallest sets of realistic changes to `site` that move the decision one step up, and
    all the way to go, each re-advised by `advisor`. Raises `InputError` if the site does not fit
    the programme (as `Advisor.advise` does)."""
    if max_changes < 1:
        raise ValueError("max_changes must be at least 1")
    check_site_against(programme, site, f"site {site.id}")
    advisor.check_site(site, f"site {site.id}")
    rules = [r for r in advisor.rule_base.rules if r.spec.enabled]
    parameters = {name: parameter.spec.value for name, parameter in advisor.rule_base.parameters.items()}
    changes = LeverFinder(programme, site, rules, catalogue or load_catalogue(), parameters).changes()
    search = Search(advisor, programme, site, changes)
    verdict = search.base.verdict
    # The plan's own decision, from the evaluation the search already made of the site: its proviso,
    # and what another answer to each open question could bring.
    decision = advisor.plan(programme, site, search.base_findings, search.base_open, search.base_confidence).decision
    goals = []
    if verdict != "go":
        step = VERDICT_ORDER[rank(verdict) - 1]
        to_go = _goal(search, "go", "all the way to go", max_changes, limit)
        if step != "go":
            step_up = _goal(search, step, f"one step up: {step.replace('_', ' ')} or better", max_changes, limit)
            # A step up that takes as many changes as going all the way is a worse way to spend them:
            # its smallest sets are the ones that reach it by giving bad answers (a lead with no
            # hours, eight months funded), which read as advice (1347).
            if to_go.reached_with is None or step_up.reached_with is None or step_up.reached_with < to_go.reached_with:
                goals.append(step_up)
        goals.append(to_go)
    return WhatIf(
        programme=ProfileRef(id=programme.id, name=programme.name),
        site=ProfileRef(id=site.id, name=site.name),
        verdict=verdict,
        provisional=decision.provisional,
        max_changes=max_changes,
        goals=_with_other_answers(goals, worse := _worse_answers(decision.could_change, verdict)),
        levers=[lever.model_copy(update={"change": _other_answer(lever.change, worse)})
                for lever in _lever_effects(search)],
    )


def _worse_answers(could_change: Sequence[DecisionChange], verdict: Verdict) -> dict[str, Verdict]:
    """Per field (as what-if names it), the worst decision the plan says another answer could bring."""
    worse: dict[str, Verdict] = {}
    for change in could_change:
        field = question_slot(change.field)
        if rank(change.to) > rank(verdict) and rank(change.to) > rank(worse.get(field, verdict)):
            worse[field] = change.to
    return worse


def _other_answer(change: ProposedChange, worse: Mapping[str, Verdict]) -> ProposedChange:
    if change.kind != "answer" or change.field not in worse:
        return change
    return change.model_copy(update={"another_answer_could": worse[change.field]})


def _with_other_answers(goals: Sequence[Goal], worse: Mapping[str, Verdict]) -> list[Goal]:
    """The goals with each answer saying what another answer could bring."""
    return [goal.model_copy(update={"suggestions": [
        suggestion.model_copy(update={"changes": [_other_answer(c, worse) for c in suggestion.changes]})
        for suggestion in goal.suggestions]}) for goal in goals]
