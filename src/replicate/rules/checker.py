"""Type-check a parsed condition against the field catalogue before anything runs.

Every problem comes back with the column it is at and, where a near miss is likely, a suggestion,
so that `replicate rules check` can print `rules/x.yaml:14:9 FUND-003: unknown field ...`.
"""

from __future__ import annotations

from difflib import get_close_matches

from ..facts import Subject
from .expression import (
    And,
    Compare,
    Condition,
    Constant,
    Field,
    ListConstant,
    Literal_,
    Member,
    Not,
    Operand,
    Or,
    Presence,
    Truthy,
)
from .fields import FieldSpec, catalogue, fields_for

TypeProblem = tuple[int, str]


def _kind_of(value: Literal_) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "string"


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class Checker:
    def __init__(self, subject: Subject) -> None:
        self.subject = subject
        self.visible = fields_for(subject)
        self.problems: list[TypeProblem] = []

    def _error(self, column: int, message: str) -> None:
        self.problems.append((column, message))

    def field(self, node: Field) -> FieldSpec | None:
        spec = self.visible.get(node.path)
        if spec is not None:
            return spec
        word = _WORD_HINTS.get(node.path.lower())
        if word is not None:
            self._error(node.column, f"{node.path!r} is not a field or a value (did you mean {word}?)")
            return None
        elsewhere = catalogue().get(node.path)
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
        if isinstance(node, And | Or):
            for operand in node.operands:
                self.check(operand)
        elif isinstance(node, Not):
            self.check(node.operand)
        elif isinstance(node, Presence):
            self.field(node.field)
        elif isinstance(node, Truthy):
            spec = self.field(node.field)
            if spec is not None and spec.type != "boolean":
                self._error(
                    node.column,
                    f"{spec.path} is {_article(spec.type)}, not true/false: compare it with a value",
                )
        elif isinstance(node, Compare):
            self._compare(node)
        else:
            self._member(node)

    def _compare(self, node: Compare) -> None:
        left, right = node.left, node.right
        if isinstance(left, ListConstant) or isinstance(right, ListConstant):
            self._error(node.column, "a list can only be used with 'in' or 'not in'")
            return
        if not isinstance(left, Field) and not isinstance(right, Field):
            self._error(node.column, "compares two values: one side must be a field")
            return
        if not isinstance(left, Field):
            left, right = right, left
        assert isinstance(left, Field)
        spec = self.field(left)
        other = self.field(right) if isinstance(right, Field) else None
        if spec is None or (isinstance(right, Field) and other is None):
            return
        if spec.type == "list" or (other is not None and other.type == "list"):
            self._error(node.column, f"{spec.path if spec.type == 'list' else right} is a list: use 'in' or 'not in'")
            return
        if node.op in ("<", "<=", ">", ">=") and spec.type != "number":
            self._error(node.column, f"'{node.op}' compares numbers, but {spec.path} is {_article(spec.type)}")
            return
        if other is not None:
            if other.type != spec.type:
                self._error(node.column, f"{spec.path} ({spec.type}) and {other.path} ({other.type}) differ in type")
        elif isinstance(right, Constant):
            self._value_fits(spec, right.value, right.column)

    def _member(self, node: Member) -> None:
        item, container = node.item, node.container
        if isinstance(container, ListConstant):
            if not isinstance(item, Field):
                self._error(node.column, "'in' a list of values needs a field on the left")
                return
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
        elif isinstance(container, Field):
            spec = self.field(container)
            if spec is None:
                return
            if spec.type != "list":
                self._error(node.column, f"{spec.path} is {_article(spec.type)}, not a list")
                return
            if not isinstance(item, Constant):
                self._error(item.column, "write the value to look for, in quotes, before 'in'")
                return
            self._value_fits(spec, item.value, item.column)
        else:
            self._error(container.column, "'in' needs a list field or a list of values [..] after it")


_WORD_HINTS = {
    "true": "'true', in lower case",
    "false": "'false', in lower case",
    "yes": "'true'",
    "no": "'false'",
    "none": "'is missing'",
    "null": "'is missing'",
    "nil": "'is missing'",
}
"""Words from other languages that authors reach for, and what the condition language calls them."""

_OPERATOR_HINTS: tuple[tuple[str, str], ...] = (
    ("===", "=="),
    ("=>", ">="),
    ("=<", "<="),
    ("<>", "!="),
    ("&&", "and"),
    ("||", "or"),
    ("=", "=="),
    ("&", "and"),
    ("|", "or"),
    ("!", "not"),
)
"""Operators from spreadsheets and programming languages, longest first, with their spelling here."""

_KEYWORD_HINTS = {"AND": "and", "And": "and", "OR": "or", "Or": "or", "NOT": "not", "Not": "not",
                  "IN": "in", "IS": "is", "&&": "and", "||": "or"}


def explain_syntax_error(text: str, message: str, column: int) -> str:
    """Add a did-you-mean to a syntax error when the text near the error looks like an operator or
    keyword from another language (`=>`, `&&`, `AND`, `is None`), so the author sees the fix."""
    index = max(column - 1, 0)
    for start in (index - 2, index - 1, index):
        if start < 0:
            continue
        for wrong, right in _OPERATOR_HINTS:
            if text.startswith(wrong, start) and start <= index < start + len(wrong) and (
                wrong != "=" or not text.startswith("==", start)
            ):
                if wrong == "!" and text.startswith("!=", start):
                    continue
                return f"{wrong!r} is not an operator in conditions (did you mean {right!r}?)"
    word = text[index:].split(" ", 1)[0].split("(", 1)[0]
    if word in _KEYWORD_HINTS:
        return f"{message} (did you mean {_KEYWORD_HINTS[word]!r}?)"
    if message.startswith("expected 'missing' or 'known'") and word.lower() in _WORD_HINTS:
        return f"{message} (did you mean 'is missing'?)" if word.lower() in ("none", "null", "nil", "empty") \
            else f"{message} (write 'is missing' or 'is known', or compare with '==')"
    return message


def _article(kind: str) -> str:
    return {"boolean": "a true/false value", "number": "a number", "string": "text", "list": "a list"}.get(kind, kind)


def check_condition(condition: Condition, subject: Subject) -> list[TypeProblem]:
    checker = Checker(subject)
    checker.check(condition)
    return checker.problems


__all__ = ["Operand", "TypeProblem", "check_condition", "did_you_mean", "explain_syntax_error"]
