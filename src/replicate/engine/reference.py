"""The reference evaluator: the condition language's meaning, in plain Python.

It defines what a condition means (three-valued logic: a comparison with an unknown field is
*unknown*, never false), and the durable_rules adapter is tested against it on generated profiles.
It also explains: `explain()` records every step with the values it saw, which is what
`replicate explain` prints, and `undetermined()` tells which rules missing data left open.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..facts import SubjectFact, Value
from ..rules.expression import (
    And,
    Compare,
    Condition,
    Constant,
    Field,
    ListConstant,
    Not,
    Operand,
    Or,
    Presence,
    Truthy,
    render,
)
from .base import EngineRule, Match


class Truth(enum.Enum):
    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"

    def __invert__(self) -> Truth:
        if self is Truth.UNKNOWN:
            return self
        return Truth.FALSE if self is Truth.TRUE else Truth.TRUE


def _truth(value: bool) -> Truth:
    return Truth.TRUE if value else Truth.FALSE


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}

MISSING = object()


@dataclass
class Step:
    """One test inside a condition: its text, its outcome and the values it read."""

    text: str
    truth: Truth
    seen: dict[str, Any] = field(default_factory=dict)
    depth: int = 0


class _Evaluator:
    def __init__(self, fact: Mapping[str, Value], trace: list[Step] | None) -> None:
        self.fact = fact
        self.trace = trace
        self.depth = 0

    def _value(self, operand: Operand, seen: dict[str, Any]) -> Any:
        if isinstance(operand, Field):
            value = self.fact.get(operand.path, MISSING)
            seen[operand.path] = value
            return value
        if isinstance(operand, Constant):
            return operand.value
        return operand.values

    def _record(self, node: Condition, truth: Truth, seen: dict[str, Any]) -> Truth:
        if self.trace is not None:
            self.trace.append(Step(render(node), truth, seen, self.depth))
        return truth

    def run(self, node: Condition) -> Truth:
        seen: dict[str, Any] = {}
        if isinstance(node, And | Or):
            index = len(self.trace) if self.trace is not None else 0
            self.depth += 1
            results = [self.run(operand) for operand in node.operands]
            self.depth -= 1
            decisive, neutral = (Truth.FALSE, Truth.TRUE) if isinstance(node, And) else (Truth.TRUE, Truth.FALSE)
            if decisive in results:
                truth = decisive
            elif all(r is neutral for r in results):
                truth = neutral
            else:
                truth = Truth.UNKNOWN
            if self.trace is not None:
                self.trace.insert(index, Step(render(node), truth, {}, self.depth))
            return truth
        if isinstance(node, Not):
            index = len(self.trace) if self.trace is not None else 0
            self.depth += 1
            truth = ~self.run(node.operand)
            self.depth -= 1
            if self.trace is not None:
                self.trace.insert(index, Step(render(node), truth, {}, self.depth))
            return truth
        if isinstance(node, Presence):
            present = self._value(node.field, seen) is not MISSING
            return self._record(node, _truth(present == node.known), seen)
        if isinstance(node, Truthy):
            value = self._value(node.field, seen)
            truth = Truth.UNKNOWN if value is MISSING else _truth(value is True)
            return self._record(node, truth, seen)
        if isinstance(node, Compare):
            left, right = self._value(node.left, seen), self._value(node.right, seen)
            if left is MISSING or right is MISSING:
                return self._record(node, Truth.UNKNOWN, seen)
            return self._record(node, _truth(_COMPARE[node.op](left, right)), seen)
        item, container = self._value(node.item, seen), self._value(node.container, seen)
        if item is MISSING or container is MISSING:
            return self._record(node, Truth.UNKNOWN, seen)
        found = item in container
        return self._record(node, _truth(found != node.negated), seen)


def evaluate(condition: Condition, fact: Mapping[str, Value]) -> Truth:
    return _Evaluator(fact, None).run(condition)


def explain(condition: Condition, fact: Mapping[str, Value]) -> tuple[Truth, list[Step]]:
    """Evaluate and return every step in reading order, each with the values it saw."""
    trace: list[Step] = []
    truth = _Evaluator(fact, trace).run(condition)
    return truth, trace


class ReferenceEngine:
    """Evaluates rules directly in Python. The baseline the durable_rules adapter must agree with."""

    def __init__(self, rules: Sequence[EngineRule]) -> None:
        self._by_subject: dict[str, list[EngineRule]] = {}
        for rule in rules:
            self._by_subject.setdefault(rule.subject, []).append(rule)

    def evaluate(self, facts: Sequence[SubjectFact]) -> list[Match]:
        matches = [
            Match(rule.id, fact.subject, fact.key)
            for fact in facts
            for rule in self._by_subject.get(fact.subject, ())
            if evaluate(rule.condition, fact.values) is Truth.TRUE
        ]
        return sorted(matches)

    def undetermined(self, facts: Sequence[SubjectFact]) -> list[tuple[EngineRule, SubjectFact, list[str]]]:
        """Rules whose outcome missing data left open, with the unknown fields they needed."""
        open_rules = []
        for fact in facts:
            for rule in self._by_subject.get(fact.subject, ()):
                if evaluate(rule.condition, fact.values) is Truth.UNKNOWN:
                    missing = sorted({path for path in rule.fields if path not in fact.values})
                    open_rules.append((rule, fact, missing))
        return open_rules


__all__ = ["MISSING", "ListConstant", "ReferenceEngine", "Step", "Truth", "evaluate", "explain"]
