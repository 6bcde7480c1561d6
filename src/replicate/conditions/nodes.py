"""The condition tree: one frozen dataclass per kind of node, and the unions every walk matches on.

Every walk over a condition (parsing's callers, the checker, the analysis, the evaluators, the
compilers) is one `match` over `Condition` or `Operand` that ends in `assert_never`, so adding a
kind of node here makes mypy name every walk that does not handle it yet, instead of letting an
`else` branch quietly treat it as something else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Literal_ = str | int | float | bool
"""A value written in a condition."""
Value = Literal_ | tuple[str, ...]
"""A value a fact holds for a field: a scalar, or a sorted tuple of tags for a list field."""

COMPARISONS = ("==", "!=", "<=", ">=", "<", ">")
KEYWORDS = frozenset({"and", "or", "not", "in", "is", "missing", "known", "true", "false"})


@dataclass(frozen=True)
class Node:
    """Every node keeps its 1-based column so that errors point at the exact place."""

    column: int = field(compare=False)


@dataclass(frozen=True)
class Field(Node):
    path: str


@dataclass(frozen=True)
class Constant(Node):
    value: Literal_


@dataclass(frozen=True)
class ListConstant(Node):
    values: tuple[Literal_, ...]


Operand = Field | Constant | ListConstant


@dataclass(frozen=True)
class Compare(Node):
    op: str  # == != < <= > >=
    left: Operand
    right: Operand


@dataclass(frozen=True)
class Member(Node):
    item: Operand
    container: Operand
    negated: bool


@dataclass(frozen=True)
class Presence(Node):
    field: Field
    known: bool
    """True for `is known`, False for `is missing`."""


@dataclass(frozen=True)
class Truthy(Node):
    """A bare boolean field used as a condition: `partner.critical` means `partner.critical == true`."""

    field: Field


@dataclass(frozen=True)
class Not(Node):
    operand: Condition


@dataclass(frozen=True)
class And(Node):
    operands: tuple[Condition, ...]


@dataclass(frozen=True)
class Or(Node):
    operands: tuple[Condition, ...]


Condition = Compare | Member | Presence | Truthy | Not | And | Or
"""A test or a combination of tests: what a rule's `when:` parses to."""
AnyNode = Condition | Operand
"""Every kind of node, for walks (such as `render`) that visit operands too."""

__all__ = [
    "COMPARISONS",
    "KEYWORDS",
    "And",
    "AnyNode",
    "Compare",
    "Condition",
    "Constant",
    "Field",
    "ListConstant",
    "Literal_",
    "Member",
    "Node",
    "Not",
    "Operand",
    "Or",
    "Presence",
    "Truthy",
    "Value",
]
