"""Run the examples written beside each rule, on both engines, and say what each condition saw.

A rule's examples are its tests, written where the rule is (as Semgrep keeps `# ruleid:` lines
beside its rules): a fragment of a profile and whether the rule should fire on it. Each example is
run on the reference evaluator, which defines what a condition means, and on the durable_rules
engine the advisor really uses, so an example also catches the engine disagreeing with the
language. A failure carries the expected and actual outcome and every test's values, from
`reference.explain`, so the author can see why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..conditions import Step, Truth, explain
from ..engine.base import EngineRule, RuleEngine
from ..facts import SubjectFact, Value
from .fields import catalogue
from .model import ExampleSpec, Rule

EngineChoice = Literal["both", "reference"]


@dataclass(frozen=True)
class ExampleOutcome:
    """One example of one rule: what was expected, what each engine did, and what the condition saw."""

    rule: Rule
    index: int
    example: ExampleSpec
    truth: Truth
    """The reference evaluator's verdict: the rule fires only on TRUE."""
    durable_fired: bool | None
    """What the durable_rules engine did, or None when it was not run."""
    steps: list[Step] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.example.name or f"example {self.index + 1}"

    @property
    def fired(self) -> bool:
        return self.truth is Truth.TRUE

    @property
    def engines_agree(self) -> bool:
        return self.durable_fired is None or self.durable_fired == self.fired

    @property
    def passed(self) -> bool:
        return self.fired == self.example.fires and self.engines_agree


def example_fact(rule: Rule, example: ExampleSpec) -> SubjectFact:
    """The flat fact an example describes; lists become sorted tuples, as in real facts."""
    values: dict[str, Value] = {}
    for path, value in example.given.items():
        values[path] = tuple(sorted(value)) if isinstance(value, list) else value
    return SubjectFact(rule.subject, f"{rule.id}#{example.name or ''}", example.name or rule.id, values)


def _durable(rules: Sequence[Rule]) -> RuleEngine:
    from ..engine.durable_adapter import DurableEngine

    list_fields = frozenset(path for path, spec in catalogue().items() if spec.type == "list")
    return DurableEngine([EngineRule(r.id, r.subject, r.condition, r.fields) for r in rules], list_fields)


def run_examples(rules: Sequence[Rule], *, engine: EngineChoice = "both") -> list[ExampleOutcome]:
    """Run every example of every rule, in rule-id order."""
    with_examples = [rule for rule in sorted(rules, key=lambda r: r.id) if rule.spec.examples]
    durable = _durable(with_examples) if engine == "both" and with_examples else None
    outcomes = []
    for rule in with_examples:
        for index, example in enumerate(rule.spec.examples):
            fact = example_fact(rule, example)
            truth, steps = explain(rule.condition, fact.values)
            durable_fired = None
            if durable is not None:
                durable_fired = any(m.rule_id == rule.id for m in durable.evaluate([fact]))
            outcomes.append(ExampleOutcome(rule, index, example, truth, durable_fired, steps))
    return outcomes


def rules_lacking_examples(rules: Sequence[Rule]) -> list[tuple[Rule, list[str]]]:
    """Rules without an example that fires, or without one that does not: half-tested rules."""
    lacking = []
    for rule in sorted(rules, key=lambda r: r.id):
        kinds = {example.fires for example in rule.spec.examples}
        missing = [label for flag, label in ((True, "one that fires"), (False, "one that does not fire"))
                   if flag not in kinds]
        if missing:
            lacking.append((rule, missing))
    return lacking


__all__ = ["ExampleOutcome", "example_fact", "rules_lacking_examples", "run_examples"]
