"""Compile a condition once into a Python closure with the evaluator's three-valued meaning.

`evaluate()` walks the tree on every call, re-dispatching on each node's type and building a dict
of the values it saw; the advisor asks every rule about every fact of every profile, so that walk
was a large share of `advise`. Here the dispatch happens once, at compile time: each node becomes a
small closure over its own constants (the comparison's operator, a list's values as a frozenset),
and `and` / `or` stop at the first decisive part. `tests/test_compiled_conditions.py` checks that
the closure and `evaluate()` agree on generated conditions and facts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from typing_extensions import assert_never

from .evaluate import COMPARE, MISSING, Truth
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

Fact = Mapping[str, Value]
Compiled = Callable[[Fact], Truth]
"""A compiled condition: the fact's outcome, exactly as `evaluate(condition, fact)` gives it."""
_Read = Callable[[Fact], Any]

TRUE, FALSE, UNKNOWN = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN


def compile_condition(condition: Condition) -> Compiled:
    """The closure for `condition`; build it once and call it for every fact."""
    match condition:
        case And(operands=operands):
            return _all_of(tuple(compile_condition(o) for o in operands))
        case Or(operands=operands):
            return _any_of(tuple(compile_condition(o) for o in operands))
        case Not(operand=operand):
            return _negated(compile_condition(operand))
        case Presence(field=Field(path=path), known=known):
            return _presence(path, known)
        case Truthy(field=Field(path=path)):
            return _truthy(path)
        case Compare(op=op, left=Field(path=path), right=Constant(value=value)):
            return _field_against(path, COMPARE[op], value)
        case Compare(op=op, left=left, right=right):
            return _compare(COMPARE[op], _reader(left), _reader(right))
        case Member(item=Field(path=path), container=ListConstant(values=values), negated=negated):
            return _field_in_values(path, values, negated)
        case Member(item=item, container=container, negated=negated):
            return _member(_reader(item), _reader(container), negated)
        case _:
            assert_never(condition)


def _reader(operand: Operand) -> _Read:
    """How to read an operand's value from a fact (`MISSING` for a field the fact does not state)."""
    match operand:
        case Field(path=path):
            return lambda fact: fact.get(path, MISSING)
        case Constant(value=value):
            return lambda fact: value
        case ListConstant(values=values):
            return lambda fact: values
        case _:
            assert_never(operand)


def _all_of(parts: tuple[Compiled, ...]) -> Compiled:
    def run(fact: Fact) -> Truth:
        outcome = TRUE
        for part in parts:
            result = part(fact)
            if result is FALSE:
                return FALSE
            if result is UNKNOWN:
                outcome = UNKNOWN
        return outcome

    return run


def _any_of(parts: tuple[Compiled, ...]) -> Compiled:
    def run(fact: Fact) -> Truth:
        outcome = FALSE
        for part in parts:
            result = part(fact)
            if result is TRUE:
                return TRUE
            if result is UNKNOWN:
                outcome = UNKNOWN
        return outcome

    return run


def _negated(inner: Compiled) -> Compiled:
    flip = {TRUE: FALSE, FALSE: TRUE, UNKNOWN: UNKNOWN}
    return lambda fact: flip[inner(fact)]


def _presence(path: str, known: bool) -> Compiled:
    if known:
        return lambda fact: TRUE if path in fact else FALSE
    return lambda fact: FALSE if path in fact else TRUE


def _truthy(path: str) -> Compiled:
    def run(fact: Fact) -> Truth:
        value = fact.get(path, MISSING)
        if value is MISSING:
            return UNKNOWN
        return TRUE if value is True else FALSE

    return run


def _field_against(path: str, test: Callable[[Any, Any], bool], constant: Any) -> Compiled:
    """`field op constant`: the commonest test, read and compared without a reader per side."""

    def run(fact: Fact) -> Truth:
        value = fact.get(path, MISSING)
        if value is MISSING:
            return UNKNOWN
        return TRUE if test(value, constant) else FALSE

    return run


def _compare(test: Callable[[Any, Any], bool], left: _Read, right: _Read) -> Compiled:
    def run(fact: Fact) -> Truth:
        lhs, rhs = left(fact), right(fact)
        if lhs is MISSING or rhs is MISSING:
            return UNKNOWN
        return TRUE if test(lhs, rhs) else FALSE

    return run


def _field_in_values(path: str, values: tuple[Any, ...], negated: bool) -> Compiled:
    """`field in [..]`: a set look-up. A set finds the same members the tuple does (equal values
    hash alike, so `1 in {True}` as `1 in (True,)`); a value that cannot be hashed is looked for in
    the tuple, as `evaluate` does."""
    hit, miss = (FALSE, TRUE) if negated else (TRUE, FALSE)
    members = frozenset(values)

    def run(fact: Fact) -> Truth:
        value = fact.get(path, MISSING)
        if value is MISSING:
            return UNKNOWN
        try:
            return hit if value in members else miss
        except TypeError:
            return hit if value in values else miss

    return run


def _member(item: _Read, container: _Read, negated: bool) -> Compiled:
    hit, miss = (FALSE, TRUE) if negated else (TRUE, FALSE)

    def run(fact: Fact) -> Truth:
        found, within = item(fact), container(fact)
        if found is MISSING or within is MISSING:
            return UNKNOWN
        return hit if found in within else miss

    return run


__all__ = ["Compiled", "Fact", "compile_condition"]
