"""What an open rule would set off, were it to fire: the rules over findings its finding would make fire.

A question's worth is what its answer could do to the decision. A rule left open for want of an
answer is tried as if it fired; but its finding can also tip a rule over findings (two core
principles at risk make the model "too diluted"), and a question whose "no" means groundwork first
must not read as one that "could not change the decision". Only rules whose finding would move a
count some rule over findings reads are tried, and the findings already made are counted once per
plan, so the shipped rule base tries a rule or two per plan for a few microseconds each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .conditions import Truth
from .conditions.compiler import Compiled
from .engine.base import EngineRule
from .facts import FlatFact, SubjectFact, flatten
from .findings import Finding
from .rules.model import EffectSpec, Rule
from .schema import Programme, SiteProfile
from .tally import FindingsTally, summary_fields_moved, tally


@dataclass(frozen=True)
class Supposed:
    """An open rule's finding, supposed made: only what counting reads (building a `Finding` cost
    more than all the rest of the knock-on)."""

    rule_id: str
    subject: str
    subject_id: str
    severity: str
    category: str
    effect: EffectSpec

    @property
    def subject_ids(self) -> list[str]:
        return [self.subject_id]

    @property
    def is_strength(self) -> bool:
        return self.category == "strength"


@dataclass(frozen=True)
class Baseline:
    """One plan's findings as the rules over findings saw them: their tally, the rules that fired
    (those over findings included) and the findings fact."""

    tally: FindingsTally
    fired: frozenset[str]
    values: FlatFact


class KnockOn:
    """The rules over findings an open rule's finding would set off."""

    def __init__(self, rules: Mapping[str, Rule], engine_rules: Sequence[EngineRule],
                 over_findings: Sequence[tuple[EngineRule, Compiled, tuple[str, ...]]]) -> None:
        self._rules = rules
        self._over_findings = over_findings
        read = {path for rule, _, fields in over_findings for path in fields if path.startswith("findings.")}
        self.tried = frozenset(rule.id for rule in engine_rules if rule.subject != "findings"
                               and summary_fields_moved(rules[rule.id].spec) & read)
        """The rules whose finding could move a count a rule over findings reads."""

    @staticmethod
    def baseline(found: Sequence[Finding], summary: SubjectFact, programme: Programme,
                 site: SiteProfile) -> Baseline:
        """The findings made (`summary` is the findings fact the rules over findings saw)."""
        return Baseline(tally((f for f in found if f.subject != "findings"), programme, site),
                        frozenset(f.rule_id for f in found), summary.values)

    def set_off(self, rule_id: str, subject: str, subject_id: str, baseline: Baseline) -> tuple[str, ...]:
        """The rules over findings that do not fire now but would, were `rule_id` to fire on
        `subject_id` beside the findings made."""
        spec = self._rules[rule_id].spec
        extra = Supposed(rule_id, subject, subject_id, spec.severity, spec.category, spec.effect)
        counted = baseline.tally.copy()
        counted.add(extra)
        values = dict(baseline.values)
        flatten("findings", counted.counts(), values)
        return tuple(rule.id for rule, run, _ in self._over_findings
                     if rule.id not in baseline.fired and run(values) is Truth.TRUE)
