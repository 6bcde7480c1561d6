"""The meaning of a condition: three-valued evaluation by walking the tree, with an optional trace.

A comparison with a field the fact does not state is *unknown*, never false; `not` keeps unknown
unknown; `and` is false if any part is false, true if all are true, unknown otherwise (and `or`
the other way round). This walk defines the language: the compiled closures (`compiler.py`) and
the durable_rules patterns are tested against it. `explain()` records every test with the values
it read, which is what `replicate explain` shows.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from typing_extensions import assert_never

from .nodes import (
    And,
    Compare,
    Condition,
    Constant,
    Field,
    ListConstant,
    Member,
    Not,
    Operand,
    Or,
    Presence,
    Truthy,
    Value,
)
from .text import render


class Truth(enum.Enum):
    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"

    def __invert__(self) -> Truth:
        if self is Truth.UNKNOWN:
            return self
        return Truth.FALSE if self is Truth.TRUE else Truth.TRUE


def truth(value: bool) -> Truth:
    return Truth.TRUE if value else Truth.FALSE


COMPARE: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}

MISSING: Final[Any] = object()
"""What a field the fact does not state reads as."""


@dataclass
class Step:
    """One test inside a condition: its text, its outcome and the values it read."""

    text: str
    truth: Truth
    seen: dict[str, Any] = field(default_factory=dict)
    depth: int = 0


def conjunction(results: list[Truth]) -> Truth:
    """Three-valued `and`: false if any part is false, true if all are true, else unknown."""
    if Truth.FALSE in results:
        return Truth.FALSE
    return Truth.TRUE if all(r is Truth.TRUE for r in results) else Truth.UNKNOWN


def disjunction(results: list[Truth]) -> Truth:
    """Three-valued `or`: true if any part is true, false if all are false, else unknown."""
    if Truth.TRUE in results:
        return Truth.TRUE
    return Truth.FALSE if all(r is Truth.FALSE for r in results) else Truth.UNKNOWN


class _Evaluator:
    def __init__(self, fact: Mapping[str, Value], trace: list[Step] | None) -> None:
        self.fact = fact
        self.trace = trace
        self.depth = 0

    def _value(self, operand: Operand, seen: dict[str, Any]) -> Any:
        match operand:
            case Field(path=path):
                value = self.fact.get(path, MISSING)
                seen[path] = value
                return value
            case Constant(value=value):
                return value
            case ListConstant(values=values):
                return values
            case _:
                assert_never(operand)

    def _record(self, node: Condition, outcome: Truth, seen: dict[str, Any]) -> Truth:
        if self.trace is not None:
            self.trace.append(Step(render(node), outcome, seen, self.depth))
        return outcome

    def _group(self, parts: list[Condition]) -> list[Truth]:
        """The outcomes of a node's parts, one level deeper in the trace."""
        self.depth += 1
        results = [self.run(part) for part in parts]
        self.depth -= 1
        return results

    def run(self, node: Condition) -> Truth:
        seen: dict[str, Any] = {}
        index = len(self.trace) if self.trace is not None else 0
        match node:
            case And(operands=operands):
                outcome = conjunction(self._group(list(operands)))
            case Or(operands=operands):
                outcome = disjunction(self._group(list(operands)))
            case Not(operand=operand):
                outcome = ~self._group([operand])[0]
            case Presence(field=field_, known=known):
                return self._record(node, truth((self._value(field_, seen) is not MISSING) == known), seen)
            case Truthy(field=field_):
                value = self._value(field_, seen)
                return self._record(node, Truth.UNKNOWN if value is MISSING else truth(value is True), seen)
            case Compare(op=op, left=left, right=right):
                lhs, rhs = self._value(left, seen), self._value(right, seen)
                if lhs is MISSING or rhs is MISSING:
                    return self._record(node, Truth.UNKNOWN, seen)
                return self._record(node, truth(COMPARE[op](lhs, rhs)), seen)
            case Member(item=item, container=container, negated=negated):
                found, within = self._value(item, seen), self._value(container, seen)
                if found is MISSING or within is MISSING:
                    return self._record(node, Truth.UNKNOWN, seen)
                return self._record(node, truth((found in within) != negated), seen)
            case _:
                assert_never(node)
        if self.trace is not None:  # a group's own step goes before its parts' steps
            self.trace.insert(index, Step(render(node), outcome, {}, self.depth))
        return outcome


def evaluate(condition: Condition, fact: Mapping[str, Value]) -> Truth:
    """The condition's outcome on a fact (flat: dotted field paths to values)."""
    return _Evaluator(fact, None).run(condition)


def explain(condition: Condition, fact: Mapping[str, Value]) -> tuple[Truth, list[Step]]:
    """Evaluate and return every step in reading order, each with the values it saw."""
    trace: list[Step] = []
    outcome = _Evaluator(fact, trace).run(condition)
    return outcome, trace


__all__ = ["COMPARE", "MISSING", "Step", "Truth", "conjunction", "disjunction", "evaluate", "explain", "truth"]
