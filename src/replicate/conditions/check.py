"""Type-check a parsed condition against the fields its rule can see, before anything runs.

Every problem comes back with the column it is at and, where a near miss is likely, a suggestion,
so that `replicate rules check` can print `rules/x.yaml:14:9 FUND-003: unknown field ...`. The
fields come in as mappings (those the rule's subject can see, and every field of every subject) so
that the language does not depend on the schema that produces them.
"""

from __future__ import annotations

from collections.abc import Mapping

from typing_extensions import assert_never

from ..errors import did_you_mean
from .fields import FieldSpec
from .hints import WORD_HINTS
from .nodes import (
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

TypeProblem = tuple[int, str]
"""(1-based column, message)."""
Fields = Mapping[str, FieldSpec]


def _kind_of(value: Literal_) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "string"


def _article(kind: str) -> str:
    return {"boolean": "a true/false value", "number": "a number", "string": "text", "list": "a list"}.get(kind, kind)


class Checker:
    def __init__(self, visible: Fields, everywhere: Fields) -> None:
        self.visible = visible
        self.everywhere = everywhere
        self.problems: list[TypeProblem] = []

    def _error(self, column: int, message: str) -> None:
        self.problems.append((column, message))

    def field(self, node: Field) -> FieldSpec | None:
        spec = self.visible.get(node.path)
        if spec is not None:
            return spec
        word = WORD_HINTS.get(node.path.lower())
        if word is not None:
            self._error(node.column, f"{node.path!r} is not a field or a value (did you mean {word}?)")
            return None
        elsewhere = self.everywhere.get(node.path)
        if elsewhere is not None:
            self._error(
                node.column,
                f"field {node.path!r} is only available in rules with 'for_each: {elsewhere.namespace}'",
            )
            return None
        hint = did_you_mean(node.path, sorted(self.visible))
        if not hint:
            known_prefixes = sorted({p.rsplit(".", 1)[0] for p in self.visible})
            head = node.path.split(".")[0]
            if head not in {p.split(".")[0] for p in self.visible}:
                hint = f" (fields start with {', '.join(sorted({p.split('.')[0] for p in known_prefixes}))})"
        self._error(node.column, f"unknown field {node.path!r}{hint}")
        return None

    def _value_fits(self, spec: FieldSpec, value: Literal_, column: int) -> None:
        expected = "string" if spec.type == "list" else spec.type
        kind = _kind_of(value)
        if kind != expected:
            self._error(column, f"{spec.path} holds {_article(expected)}, not {_article(kind)} ({value!r})")
            return
        if spec.choices and isinstance(value, str) and value not in spec.choices:
            self._error(
                column,
                f"{value!r} is not a value {spec.path} can take{did_you_mean(value, spec.choices)}; "
                f"it takes {', '.join(repr(c) for c in spec.choices)}",
            )

    def check(self, node: Condition) -> None:
        match node:
            case And(operands=operands) | Or(operands=operands):
                for operand in operands:
                    self.check(operand)
            case Not(operand=operand):
                self.check(operand)
            case Presence(field=field):
                self.field(field)
            case Truthy(field=field):
                spec = self.field(field)
                if spec is not None and spec.type != "boolean":
                    self._error(
                        node.column,
                        f"{spec.path} is {_article(spec.type)}, not true/false: compare it with a value",
                    )
            case Compare():
                self._compare(node)
            case Member():
                self._member(node)
            case _:
                assert_never(node)

    def _compare(self, node: Compare) -> None:
        left, right = node.left, node.right
        match left:
            case ListConstant():
                self._error(node.column, "a list can only be used with 'in' or 'not in'")
            case Field():
                match right:
                    case ListConstant():
                        self._error(node.column, "a list can only be used with 'in' or 'not in'")
                    case Field():
                        self._fields_compared(node, left, right)
                    case Constant():
                        self._field_compared(node, left, right)
                    case _:
                        assert_never(right)
            case Constant():
                match right:
                    case ListConstant():
                        self._error(node.column, "a list can only be used with 'in' or 'not in'")
                    case Field():
                        self._field_compared(node, right, left)
                    case Constant():
                        self._error(node.column, "compares two values: one side must be a field")
                    case _:
                        assert_never(right)
            case _:
                assert_never(left)

    def _comparable(self, node: Compare, spec: FieldSpec, other: FieldSpec | None) -> bool:
        """Whether the field (and the other field, if any) can be compared with `node.op` at all."""
        if spec.type == "list" or (other is not None and other.type == "list"):
            name = spec.path if spec.type == "list" else other.path if other is not None else spec.path
            self._error(node.column, f"{name} is a list: use 'in' or 'not in'")
            return False
        if node.op in ("<", "<=", ">", ">=") and spec.type != "number":
            self._error(node.column, f"'{node.op}' compares numbers, but {spec.path} is {_article(spec.type)}")
            return False
        return True

    def _fields_compared(self, node: Compare, left: Field, right: Field) -> None:
        spec = self.field(left)
        other = self.field(right)
        if spec is None or other is None or not self._comparable(node, spec, other):
            return
        if other.type != spec.type:
            self._error(node.column, f"{spec.path} ({spec.type}) and {other.path} ({other.type}) differ in type")

    def _field_compared(self, node: Compare, left: Field, right: Constant) -> None:
        spec = self.field(left)
        if spec is not None and self._comparable(node, spec, None):
            self._value_fits(spec, right.value, right.column)

    def _member(self, node: Member) -> None:
        item, container = node.item, node.container
        match container:
            case ListConstant():
                match item:
                    case Field():
                        self._in_values(node, item, container)
                    case Constant() | ListConstant():
                        self._error(node.column, "'in' a list of values needs a field on the left")
                    case _:
                        assert_never(item)
            case Field():
                spec = self.field(container)
                if spec is None:
                    return
                if spec.type != "list":
                    self._error(node.column, f"{spec.path} is {_article(spec.type)}, not a list")
                    return
                match item:
                    case Constant():
                        self._value_fits(spec, item.value, item.column)
                    case Field() | ListConstant():
                        self._error(item.column, "write the value to look for, in quotes, before 'in'")
                    case _:
                        assert_never(item)
            case Constant():
                self._error(container.column, "'in' needs a list field or a list of values [..] after it")
            case _:
                assert_never(container)

    def _in_values(self, node: Member, item: Field, container: ListConstant) -> None:
        spec = self.field(item)
        if spec is None:
            return
        if spec.type == "list":
            self._error(node.column, f"{spec.path} is itself a list: test one value with 'in'")
            return
        if not container.values:
            self._error(container.column, "the list is empty")
        for value in container.values:
            self._value_fits(spec, value, container.column)


def check_condition(condition: Condition, visible: Fields, everywhere: Fields) -> list[TypeProblem]:
    """Every type problem of `condition`, for a rule that sees the fields `visible`
    (`everywhere`: every field of every subject, to say where a field the rule cannot see lives)."""
    checker = Checker(visible, everywhere)
    checker.check(condition)
    return checker.problems


__all__ = ["Checker", "Fields", "TypeProblem", "check_condition"]
