"""Which rules a change can move: the rule instances whose facts it alters.

Kept apart from the levers (which propose changes) because the search asks it of every lever: a
change whose footprint reaches no finding and no open question is never advised.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..facts import FactBuilder, SubjectFact
from ..rules.model import Rule
from ..schema import Programme, SiteProfile

FactIndex = dict[tuple[str, str], Mapping[str, Any]]
RuleInstance = tuple[str, str]
"""(rule id, subject key): one rule on one subject instance, as findings and open rules are keyed."""


def fact_index(facts: Iterable[SubjectFact]) -> FactIndex:
    return {(fact.subject, fact.key): fact.values for fact in facts}


def footprint(programme: Programme, before: FactIndex, after: SiteProfile,
              rules_by_subject: Mapping[str, Sequence[Rule]]) -> frozenset[RuleInstance]:
    """The rule instances whose facts a change alters: the only ones it can make fire or stop firing.
    A rule over findings can move whenever any other rule does; and a finding a moved rule absorbs
    can go without its own facts changing, so it counts as touched too when that could help (see
    `_may_relieve`)."""
    now = fact_index(FactBuilder(programme, after).subject_facts())
    touched: set[RuleInstance] = set()
    for subject_key in before.keys() | now.keys():
        old, new = before.get(subject_key), now.get(subject_key)
        subject, key = subject_key
        for rule in rules_by_subject.get(subject, ()):
            if old is None or new is None or any(old.get(path) != new.get(path) for path in rule.fields):
                touched.add((rule.id, key))
    if not touched:
        return frozenset()
    touched.update((rule.id, "findings") for rule in rules_by_subject.get("findings", ()))
    by_id = {rule.id: rule for rules in rules_by_subject.values() for rule in rules}
    absorbed = {target for rule_id, _ in touched if rule_id in by_id
                for target in (*by_id[rule_id].spec.supersedes, *by_id[rule_id].spec.mitigates)
                if target in by_id and _may_relieve(by_id[rule_id], by_id[target])}
    for subject, key in before.keys() | now.keys() | {("findings", "findings")}:
        touched.update((rule.id, key) for rule in rules_by_subject.get(subject, ()) if rule.id in absorbed)
    return frozenset(touched)


def _may_relieve(absorber: Rule, target: Rule) -> bool:
    """Whether the absorber's finding in place of the target's could ever weigh less in the decision.
    A rule that mitigates may weigh less. One that supersedes weighs at least as much in severity and
    decision effect (the rule base checks it), so it relieves nothing unless it moves the risk to
    another theme or out of the before-launch list."""
    if target.id in absorber.spec.mitigates:
        return True
    return (absorber.spec.theme != target.spec.theme
            or (_before_launch(target) and not _before_launch(absorber)))


def _before_launch(rule: Rule) -> bool:
    return rule.spec.action is not None and rule.spec.action.phase == "before_launch"
