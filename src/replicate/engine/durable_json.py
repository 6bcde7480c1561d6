"""Conditions compiled to durable_rules JSON patterns (no durable import: only the adapter has one).

A pattern matches exactly when the condition is TRUE under the language's three-valued logic
(`replicate.conditions.evaluate`). durable_rules has no 'not', and a missing field never matches
`$neq`, so negation is pushed down to the tests (`false()`), each with the test that is TRUE when
the original is FALSE; `$iall` over an empty list is true only with the list's length beside it,
so list tests read the `__length` companion field the adapter sends.
"""

from __future__ import annotations

from typing import Any

from typing_extensions import assert_never

from ..conditions import (
    And,
    Compare,
    Condition,
    Constant,
    Field,
    ListConstant,
    Literal_,
    Member,
    Not,
    Or,
    Presence,
    Truthy,
)

Pattern = dict[str, Any]

LENGTH_SUFFIX = "__length"
"""Companion field holding a list's length; no schema field name contains a double underscore."""

_NEGATED = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
_FLIPPED = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}
"""`value op field` read as `field op' value`."""
_OPERATOR = {"!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}


class _Compiler:
    """Turns a condition into a durable_rules pattern that matches exactly when the reference
    evaluator says TRUE, recording the field paths it reads."""

    def __init__(self, list_fields: frozenset[str]) -> None:
        self.list_fields = list_fields
        self.paths: set[str] = set()

    def _field(self, node: Field) -> str:
        self.paths.add(node.path)
        return node.path

    def _length(self, node: Field) -> str:
        self.paths.add(node.path)
        return node.path + LENGTH_SUFFIX

    def _compare(self, node: Compare, op: str) -> Pattern:
        match node.left, node.right:
            case (Field() as left, Field() as right):
                path, other = self._field(left), self._field(right)
                reference = {"$m": other}
                test: Pattern = {path: reference} if op == "==" else {_OPERATOR[op]: {path: reference}}
                return {"$and": [{"$ex": {path: 1}}, {"$ex": {other: 1}}, test]}
            case (Field() as left, Constant(value=value)):
                return self._against(self._field(left), op, value)
            case (Constant(value=value), Field() as right):
                return self._against(self._field(right), _FLIPPED.get(op, op), value)
            case _:  # the checker refuses every other pair before a rule reaches an engine
                raise ValueError(f"cannot compile a comparison of {node.left!r} with {node.right!r}")

    @staticmethod
    def _against(path: str, op: str, value: Literal_) -> Pattern:
        return {path: value} if op == "==" else {_OPERATOR[op]: {path: value}}

    def _member(self, node: Member, positive: bool) -> Pattern:
        match node.item, node.container:
            case (Field() as item, ListConstant(values=values)):
                path = self._field(item)
                if positive:
                    return {"$or": [{path: value} for value in values]} if len(values) > 1 else {path: values[0]}
                tests: list[Pattern] = [{"$neq": {path: value}} for value in values]
                return {"$and": tests} if len(tests) > 1 else tests[0]
            case (Constant(value=value), Field() as container):
                path = self._field(container)
                if positive:
                    return {"$iany": {path: {"$i": value}}}
                return {"$or": [{self._length(container): 0}, {"$iall": {path: {"$neq": {"$i": value}}}}]}
            case _:  # the checker refuses every other pair before a rule reaches an engine
                raise ValueError(f"cannot compile {node.item!r} in {node.container!r}")

    def _presence(self, node: Presence, known: bool) -> Pattern:
        path = self._length(node.field) if node.field.path in self.list_fields else self._field(node.field)
        return {"$ex" if known else "$nex": {path: 1}}

    def true(self, node: Condition) -> Pattern:
        """The pattern matching where `node` is TRUE."""
        match node:
            case And(operands=operands):
                return {"$and": [self.true(o) for o in operands]}
            case Or(operands=operands):
                return {"$or": [self.true(o) for o in operands]}
            case Not(operand=operand):
                return self.false(operand)
            case Truthy(field=field):
                return {self._field(field): True}
            case Presence(known=known):
                return self._presence(node, known)
            case Compare(op=op):
                return self._compare(node, op)
            case Member(negated=negated):
                return self._member(node, positive=not negated)
            case _:
                assert_never(node)

    def false(self, node: Condition) -> Pattern:
        """The pattern matching where `node` is FALSE (not where it is unknown)."""
        match node:
            case And(operands=operands):
                return {"$or": [self.false(o) for o in operands]}
            case Or(operands=operands):
                return {"$and": [self.false(o) for o in operands]}
            case Not(operand=operand):
                return self.true(operand)
            case Truthy(field=field):
                return {self._field(field): False}
            case Presence(known=known):
                return self._presence(node, not known)
            case Compare(op=op):
                return self._compare(node, _NEGATED[op])
            case Member(negated=negated):
                return self._member(node, positive=negated)
            case _:
                assert_never(node)


def count_tests(pattern: Pattern) -> int:
    """How many leaf tests a compiled pattern has: the unit of durable_rules' per-fact limit."""
    total = 0
    for key, value in pattern.items():
        if key in ("$and", "$or"):
            total += sum(count_tests(p) for p in value)
        else:
            total += 1
    return total


def durable_pattern(condition: Condition, subject: str, list_fields: frozenset[str]) -> tuple[Pattern, set[str]]:
    """The durable_rules pattern for a condition, guarded by a positive subject test (so a rule
    whose only test is a negation cannot match the engine's own state), and the paths it reads."""
    compiler = _Compiler(list_fields)
    body = compiler.true(condition)
    return {"$and": [{"subject": subject}, body]}, compiler.paths


__all__ = ["LENGTH_SUFFIX", "Pattern", "count_tests", "durable_pattern"]
