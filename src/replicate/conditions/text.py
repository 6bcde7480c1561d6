"""Writing a condition back as text: for explanations, error messages and generated rules."""

from __future__ import annotations

from typing_extensions import assert_never

from .nodes import (
    And,
    AnyNode,
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


def render(node: AnyNode) -> str:
    """Write a condition back as text, fully parenthesised where precedence needs it."""
    match node:
        case Field(path=path):
            return path
        case Constant(value=value):
            return literal_text(value)
        case ListConstant(values=values):
            return "[" + ", ".join(literal_text(v) for v in values) + "]"
        case Compare(op=op, left=left, right=right):
            return f"{render(left)} {op} {render(right)}"
        case Member(item=item, container=container, negated=negated):
            return f"{render(item)} {'not in' if negated else 'in'} {render(container)}"
        case Presence(field=field, known=known):
            return f"{field.path} is {'known' if known else 'missing'}"
        case Truthy(field=field):
            return field.path
        case Not(operand=operand):
            return f"not ({render(operand)})"
        case And(operands=operands):
            return " and ".join(_grouped(o) for o in operands)
        case Or(operands=operands):
            return " or ".join(_grouped(o) for o in operands)
        case _:
            assert_never(node)


def _grouped(node: Condition) -> str:
    """An operand of `and` / `or`, in parentheses when it is itself an `and` or an `or`."""
    match node:
        case And() | Or():
            return f"({render(node)})"
        case Compare() | Member() | Presence() | Truthy() | Not():
            return render(node)
        case _:
            assert_never(node)


def literal_text(value: Literal_) -> str:
    """A value as the condition language writes it: `true`, `"rural"`, `0.5`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


__all__ = ["literal_text", "render"]
