"""Open rules that would absorb risks already found, and what answering them really does.

Were such a rule to fire, the risks it absorbs would go with it: many agencies past the tipping
point, every one of them critical, is one finding in the tipping point's place (a better decision,
so the plan is provisional on the answer); a plan imposed takes the place of a partner not
consulted (so the worse decision a plain count would fear may not come). The decision's
counterfactuals add one risk at a time; these checks take the absorbed risks out as well.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

from ..absorption import reaches
from ..findings import Finding
from . import decision as model
from .model import Verdict
from .questions import AnswerFields, UndeterminedRule

Judge = Callable[[list[model.Risk]], Verdict]
"""The verdict for a list of risks, with everything else as the plan has it."""


Tried = Sequence[tuple[UndeterminedRule, Verdict]]
"""Each open rule that would absorb a risk already found, with the verdict were it to fire."""


def tried_with_reliefs(findings: Sequence[Finding], risks: Sequence[model.Risk],
                       undetermined: Sequence[UndeterminedRule],
                       judge: Judge) -> Iterator[tuple[UndeterminedRule, Verdict]]:
    """Each open rule that would absorb risks already found, with the verdict were it to fire: its
    own risk in, and the risks it absorbs out. Worked out once a plan, for both checks below."""
    risky = [f for f in findings if not f.is_strength]
    for rule in undetermined:
        if not rule.absorbs:
            continue
        relieved = {f.ref for f in risky if f.rule_id in rule.absorbs and reaches(rule.subject, rule.subject_id, f)}
        if relieved:
            kept = [r for r in risks if r.ref not in relieved] + ([rule.as_risk()] if rule.is_risk else [])
            yield rule, judge(kept)


def without_false_alarms(changes: list[model.Change], tried: Tried, answers: AnswerFields,
                         current: Verdict) -> list[model.Change]:
    """The worse decisions open rules were said to lead to, checked against the risks each would
    absorb: a plan found imposed takes the place of a partner not consulted, so buy-in is not one
    serious risk heavier and the "not yet" it was said to threaten does not come (1145). Such a
    rule is moved to the decision it would really bring, or dropped if that is no worse than now;
    a change no rule is left behind is no change."""
    actual: dict[tuple[str, str], Verdict] = {}  # (rule, field): the worst it would bring on any subject
    for rule, verdict in tried:
        if rule.is_risk:
            for field in answers.of(rule):
                actual[(rule.rule_id, field)] = max(actual.get((rule.rule_id, field), "go"), verdict, key=model.rank)
    if not actual:
        return changes
    regrouped: dict[tuple[str, Verdict], model.Change] = {}
    for change in changes:
        moved = {} if change.better else {r: actual[(r, change.field)] for r in change.rules
                                            if (r, change.field) in actual}
        parts = [(change.to, tuple(r for r in change.rules if r not in moved))]
        parts += [(to, (rule,)) for rule, to in moved.items() if model.rank(to) > model.rank(current)]
        for to, rules in parts:
            if moved and not rules:  # every rule it rested on moved away (one for the better rests on none)
                continue
            key = (change.field, to)
            held = regrouped.get(key)
            regrouped[key] = replace(change, to=to, rules=rules) if held is None else replace(
                held, rules=tuple(sorted({*held.rules, *rules})), alone=held.alone or change.alone)
    return sorted(regrouped.values(), key=model.change_order)


def with_reliefs(changes: list[model.Change], tried: Tried, answers: AnswerFields,
                 current: Verdict) -> list[model.Change]:
    """The open rules that, were they to fire, would absorb risks already found and leave a better
    decision: many agencies past the tipping point, with whether each is critical left unsaid, are
    one answer away from "every one is critical", which takes the tipping point's place. Their
    fields could change the decision for the better, so the decision is provisional on them."""
    known = {(c.field, c.to) for c in changes}
    added: dict[tuple[str, Verdict], set[str]] = {}
    alone: dict[tuple[str, Verdict], bool] = {}
    for rule, verdict in tried:
        if model.rank(verdict) < model.rank(current):
            fields = answers.of(rule)
            for field in fields:
                if (field, verdict) not in known:
                    added.setdefault((field, verdict), set()).add(rule.rule_id)
                    alone[(field, verdict)] = alone.get((field, verdict), False) or len(fields) == 1
    if not added:
        return changes
    more = [model.Change(field, to, tuple(sorted(rules)), True, alone[(field, to)])
            for (field, to), rules in added.items()]
    return sorted([*changes, *more], key=model.change_order)
