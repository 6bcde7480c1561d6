"""The fields a condition names: the one walk over the tree that evaluation-time code needs, kept
apart from the analysis so that advising loads none of the rule checker's machinery."""

from __future__ import annotations

from typing_extensions import assert_never

from .nodes import And, Compare, Condition, Constant, Field, ListConstant, Member, Not, Operand, Or, Presence, Truthy


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

    def visit(node: Condition) -> None:
        match node:
            case Compare(left=left, right=right):
                operand(left)
                operand(right)
            case Member(item=item, container=container):
                operand(item)
                operand(container)
            case Presence(field=field) | Truthy(field=field):
                found.append(field)
            case Not(operand=inner):
                visit(inner)
            case And(operands=operands) | Or(operands=operands):
                for inner in operands:
                    visit(inner)
            case _:
                assert_never(node)

    visit(condition)
    return found


def presence_tested(condition: Condition) -> frozenset[str]:
    """The fields a condition asks to be known or missing: the only fields whose being unstated can
    make it true. Any other field left unstated cannot have mattered to a condition that held, since
    an unknown only ever makes a test unknown, so a finding need not list it among its facts."""
    found: set[str] = set()

    def visit(node: Condition) -> None:
        match node:
            case Presence(field=field):
                found.add(field.path)
            case Compare() | Member() | Truthy():
                pass
            case Not(operand=inner):
                visit(inner)
            case And(operands=operands) | Or(operands=operands):
                for inner in operands:
                    visit(inner)
            case _:
                assert_never(node)

    visit(condition)
    return frozenset(found)


__all__ = ["fields_in", "presence_tested"]
