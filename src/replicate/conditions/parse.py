"""Parsing the condition language: a small, safe expression syntax for policy staff, without `eval`.

    site.setting == "rural" and "cross_borough_working" in programme.proven_context.relies_on
    partner.critical and partner.regular_meetings is missing
    not (site.funding.funding_coverage >= 1) or site.funding.financial_plan == false

Grammar (lowest precedence first):

    condition  := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | test
    test       := operand [ ("=="|"!="|"<"|"<="|">"|">=") operand
                          | ["not"] "in" operand
                          | "is" ["not"] ("missing"|"known") ]
    operand    := field | string | number | "true" | "false" | list | "(" condition ")"
    field      := NAME ("." NAME)*
    list       := "[" [literal ("," literal)*] "]"

There are no calls, no subscripts, no attribute access on values and no arithmetic, so a rule file
can never run code. Every node keeps its column so that errors point at the exact place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from typing_extensions import assert_never

from .nodes import (
    COMPARISONS,
    KEYWORDS,
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

MAX_LENGTH = 2000
MAX_DEPTH = 24
MAX_NUMBER = 10**15
"""Larger than any quantity in the schema, small enough for every engine to hold exactly."""
MIN_FRACTION = 0.0001
"""The smallest non-zero size of a number: durable_rules cannot read the exponent form (1e-05)
that Python writes for anything smaller, and refuses the whole rule base."""


class ExpressionError(ValueError):
    """A syntax error at a 1-based column of the condition text."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


# -- tokens -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    kind: str  # name, string, number, op, end
    text: str
    column: int
    value: Literal_ | None = None


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>-?\d+(?:\.\d+)?(?![\w.]))
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
  | (?P<string>"(?:[^"\\\n]|\\["\\])*"|'(?:[^'\\\n]|\\['\\])*')
  | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)
    """,
    re.VERBOSE,
)

_HINTS = {
    "=": "use '==' to compare",
    "&": "write 'and'",
    "|": "write 'or'",
    "!": "write 'not' (or '!=' to compare)",
    "{": "braces are not part of the condition language",
    "+": "there is no arithmetic; ask for a derived field instead",
    "*": "there is no arithmetic; ask for a derived field instead",
    "/": "there is no arithmetic; ask for a derived field instead",
}


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"condition is {len(text)} characters long; the limit is {MAX_LENGTH}", 1)
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        column = position + 1
        if match is None or match.end() == position:
            char = text[position]
            hint = _HINTS.get(char, "")
            if char in "\"'":
                hint = "this quote is never closed"
            raise ExpressionError(f"unexpected character {char!r}" + (f": {hint}" if hint else ""), column)
        kind = match.lastgroup or ""
        word = match.group()
        position = match.end()
        if kind == "space":
            continue
        if kind == "number":
            value: int | float = float(word) if "." in word else int(word)
            if abs(value) > MAX_NUMBER:
                raise ExpressionError(f"the number {word[:20]}{'...' if len(word) > 20 else ''} is too large: "
                                      f"no field holds more than {MAX_NUMBER:,}", column)
            if 0 < abs(value) < MIN_FRACTION:
                raise ExpressionError(f"the number {word[:20]} is too small: use 0 or at least {MIN_FRACTION}",
                                      column)
            tokens.append(Token("number", word, column, value))
        elif kind == "string":
            body = word[1:-1].replace("\\" + word[0], word[0]).replace("\\\\", "\\")
            tokens.append(Token("string", word, column, body))
        else:
            tokens.append(Token(kind, word, column))
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


# -- the parser -------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.index = 0
        self.depth = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def _next(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def _at_word(self, *words: str) -> bool:
        return self.current.kind == "name" and self.current.text in words

    def _expect(self, kind: str, text: str, what: str) -> Token:
        token = self.current
        if token.kind != kind or token.text != text:
            found = repr(token.text) if token.text else "the end of the condition"
            raise ExpressionError(f"expected {what}, found {found}", token.column)
        return self._next()

    def _enter(self, column: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"condition is nested more than {MAX_DEPTH} levels deep", column)

    def parse(self) -> Condition:
        if self.current.kind == "end":
            raise ExpressionError("the condition is empty", 1)
        condition = self._or()
        if self.current.kind != "end":
            token = self.current
            raise ExpressionError(
                f"unexpected {token.text!r}: join conditions with 'and' or 'or'", token.column
            )
        return condition

    def _or(self) -> Condition:
        column = self.current.column
        operands = [self._and()]
        while self._at_word("or"):
            self._next()
            operands.append(self._and())
        return operands[0] if len(operands) == 1 else Or(column, tuple(operands))

    def _and(self) -> Condition:
        column = self.current.column
        operands = [self._not()]
        while self._at_word("and"):
            self._next()
            operands.append(self._not())
        return operands[0] if len(operands) == 1 else And(column, tuple(operands))

    def _not(self) -> Condition:
        if self._at_word("not"):
            token = self._next()
            self._enter(token.column)
            operand = self._not()
            self.depth -= 1
            return Not(token.column, operand)
        return self._test()

    def _test(self) -> Condition:
        column = self.current.column
        if self.current.kind == "op" and self.current.text == "(":
            self._next()
            self._enter(column)
            inner = self._or()
            self.depth -= 1
            self._expect("op", ")", "')'")
            return inner
        left = self._operand()
        token = self.current
        if token.kind == "op" and token.text in COMPARISONS:
            self._next()
            return Compare(token.column, token.text, left, self._operand())
        if self._at_word("in"):
            self._next()
            return Member(token.column, left, self._operand(), negated=False)
        if self._at_word("not"):
            self._next()
            self._expect("name", "in", "'in' after 'not'")
            return Member(token.column, left, self._operand(), negated=True)
        if self._at_word("is"):
            self._next()
            negate = False
            if self._at_word("not"):
                self._next()
                negate = True
            if not self._at_word("missing", "known"):
                raise ExpressionError("expected 'missing' or 'known' after 'is'", self.current.column)
            known = self._next().text == "known"
            match left:
                case Field():
                    return Presence(token.column, left, known != negate)
                case Constant() | ListConstant():
                    raise ExpressionError("only a field can be missing or known", left.column)
                case _:
                    assert_never(left)
        match left:
            case Field():
                return Truthy(left.column, left)
            case Constant() | ListConstant():
                raise ExpressionError("a value on its own is not a condition: compare it with a field", left.column)
            case _:
                assert_never(left)

    def _literal(self) -> Constant:
        token = self.current
        if token.kind in ("string", "number"):
            self._next()
            assert token.value is not None
            return Constant(token.column, token.value)
        if self._at_word("true", "false"):
            self._next()
            return Constant(token.column, token.text == "true")
        found = repr(token.text) if token.text else "the end of the condition"
        raise ExpressionError(f"expected a value, found {found}", token.column)

    def _operand(self) -> Operand:
        token = self.current
        if token.kind == "op" and token.text == "[":
            self._next()
            values: list[Literal_] = []
            while not (self.current.kind == "op" and self.current.text == "]"):
                values.append(self._literal().value)
                if self.current.kind == "op" and self.current.text == ",":
                    self._next()
                elif not (self.current.kind == "op" and self.current.text == "]"):
                    raise ExpressionError("expected ',' or ']' in a list", self.current.column)
            self._next()
            return ListConstant(token.column, tuple(values))
        if token.kind == "name" and token.text not in KEYWORDS:
            self._next()
            if self.current.kind == "op" and self.current.text == "(":
                raise ExpressionError(f"{token.text!r} is not a function: calls are not allowed", token.column)
            if any(part.startswith("_") for part in token.text.split(".")):
                raise ExpressionError("names starting with '_' are not allowed", token.column)
            return Field(token.column, token.text)
        return self._literal()


def parse(text: str) -> Condition:
    """Parse a condition, raising `ExpressionError` with a column on any problem."""
    return _Parser(text).parse()


__all__ = ["MAX_DEPTH", "MAX_LENGTH", "MAX_NUMBER", "MIN_FRACTION", "ExpressionError", "Token", "parse", "tokenize"]
