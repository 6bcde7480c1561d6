"""The fields a condition names: the one walk over the tree that evaluation-time code needs, kept
apart from the analysis so that advising loads none of the rule checker's machinery."""

from __future__ import annotations

from typing_extensions import assert_never

from .nodes import And, Compare, Condition, Constant, Field, ListConstant, Member, Not, Operand, Or, Presence, Truthy

Test = Compare | Member | Presence | Truthy
"""A condition's leaves: the tests, which `and`, `or` and `not` combine."""


def tests_in(condition: Condition) -> list[Test]:
    """Every test a condition makes, in order of appearance: the one walk through `and`, `or` and
    `not` that the other questions about a condition share."""
    found: list[Test] = []

    def visit(node: Condition) -> None:
        match node:
            case Compare() | Member() | Presence() | Truthy():
                found.append(node)
            case Not(operand=inner):
                visit(inner)
            case And(operands=operands) | Or(operands=operands):
                for inner in operands:
                    visit(inner)
            case _:
                assert_never(node)

    visit(condition)
    return found


def fields_in(condition: Condition) -> list[Field]:
    """Every field a condition names, in order of appearance."""
    found: list[Field] = []

    def operand(node: Operand) -> None:
        match node:
            case Field():
                found.append(node)
            case Constant() | ListConstant():
                pass
            case _:
                assert_never(node)

    for test in tests_in(condition):
        match test:
            case Compare(left=first, right=second) | Member(item=first, container=second):
                operand(first)
                operand(second)
            case Presence(field=field) | Truthy(field=field):
                found.append(field)
            case _:
                assert_never(test)
    return found


def presence_tested(condition: Condition) -> frozenset[str]:
    """The fields a condition asks to be known or missing: the only fields whose being unstated can
    make it true. Any other field left unstated cannot have mattered to a condition that held, since
    an unknown only ever makes a test unknown, so a finding need not list it among its facts."""
    return frozenset(test.field.path for test in tests_in(condition) if isinstance(test, Presence))


__all__ = ["Test", "fields_in", "presence_tested", "tests_in"]
