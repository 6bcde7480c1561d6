"""Find conditions that can never be true, or are always true, before a rule ever runs.

A rule that can never fire (`site.funding_coverage < 0.5 and site.funding_coverage > 2`) or fires
for every site (`site.setting == "rural" or site.setting != "rural"`) is almost always a slip of
the pen, and neither shows up in ordinary use. The conditions are small and the language has no
arithmetic, so the outcome of a condition only changes where a field crosses one of the literals
it is compared with. For each field the condition reads we therefore build a handful of
*representative values* (each literal, values just below, between and above numeric literals,
each choice of an enumerated field, lists with and without each literal, and "not stated") and
evaluate the condition on every combination, when there are few
enough. Otherwise each `and` / `or` is checked pair by pair.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from typing_extensions import assert_never

from .compiler import compile_condition
from .evaluate import MISSING, Truth
from .fields import FieldSpec
from .nodes import (
    And,
    Compare,
    Condition,
    Constant,
    Field,
    ListConstant,
    Member,
    Not,
    Or,
    Presence,
    Truthy,
    Value,
)
from .text import literal_text, render
from .walk import fields_in

MAX_COMBINATIONS = 20_000
"""Above this many combinations of representative values, fall back to pairwise checks."""
OTHER_TEXT = "(any other text)"
"""A free-text value different from every literal the condition mentions."""
MAX_LIST_LITERALS_FOR_SUBSETS = 4


@dataclass(frozen=True)
class ConditionFinding:
    """Something wrong with a condition as a whole, in words for its author."""

    message: str


def _literals(condition: Condition) -> tuple[dict[str, list[Any]], dict[str, set[str]]]:
    """The literals each field is compared with, and which fields are compared with each other."""
    literals: dict[str, list[Any]] = {}
    linked: dict[str, set[str]] = {}

    def add(path: str, values: Sequence[Any]) -> None:
        bucket = literals.setdefault(path, [])
        for value in values:
            if not any(type(value) is type(old) and value == old for old in bucket):
                bucket.append(value)

    def visit(node: Condition) -> None:
        match node:
            case And(operands=operands) | Or(operands=operands):
                for operand in operands:
                    visit(operand)
            case Not(operand=operand):
                visit(operand)
            case Compare(left=Field(path=left), right=Field(path=right)):
                linked.setdefault(left, set()).add(right)
                linked.setdefault(right, set()).add(left)
            case Compare(left=Field(path=path), right=Constant(value=value)) | Compare(
                left=Constant(value=value), right=Field(path=path)
            ):
                add(path, [value])
            case Member(item=Field(path=path), container=ListConstant(values=values)):
                add(path, list(values))
            case Member(item=Constant(value=value), container=Field(path=path)):
                add(path, [value])
            case Compare() | Member() | Presence() | Truthy():
                pass  # nothing compared with a literal
            case _:
                assert_never(node)

    visit(condition)
    return literals, linked


def _numbers(points: Sequence[float]) -> list[Any]:
    """Values in every region the points cut the number line into, and the points themselves."""
    ordered = sorted(set(points)) or [0]
    values: list[Any] = [ordered[0] - 1]
    for index, point in enumerate(ordered):
        values.append(point)
        if index + 1 < len(ordered):
            values.append((point + ordered[index + 1]) / 2)
    values.append(ordered[-1] + 1)
    return values


def _lists(literals: Sequence[str], choices: Sequence[str]) -> list[Any]:
    items = list(dict.fromkeys(literals)) or list(choices[:1])
    if len(items) <= MAX_LIST_LITERALS_FOR_SUBSETS:
        subsets = [combo for size in range(len(items) + 1) for combo in itertools.combinations(items, size)]
    else:
        subsets = [(), *((item,) for item in items), tuple(items),
                   *(tuple(i for i in items if i != left_out) for left_out in items)]
    return [tuple(sorted(subset)) for subset in dict.fromkeys(subsets)]


def representatives(
    condition: Condition, specs: Mapping[str, FieldSpec], *, include_missing: bool = True
) -> dict[str, list[Any]]:
    """For each field the condition reads, values that between them reach every outcome the
    condition can have. `MISSING` stands for "not stated"."""
    literals, linked = _literals(condition)
    found: dict[str, list[Any]] = {}
    for path in dict.fromkeys(f.path for f in fields_in(condition)):
        spec = specs.get(path)
        own = literals.get(path, [])
        values: list[Any]
        if spec is None:
            values = list(own) or [OTHER_TEXT]
        elif spec.type == "boolean":
            values = [True, False]
        elif spec.type == "number":
            points = [v for v in own if isinstance(v, int | float) and not isinstance(v, bool)]
            for other in linked.get(path, ()):
                points += [v for v in literals.get(other, []) if isinstance(v, int | float) and not isinstance(v, bool)]
            values = _numbers([p for p in points if math.isfinite(p)])
        elif spec.type == "list":
            values = _lists([str(v) for v in own], spec.choices)
        else:
            texts = [v for v in own if isinstance(v, str)]
            for other in linked.get(path, ()):
                texts += [v for v in literals.get(other, []) if isinstance(v, str)]
            values = list(dict.fromkeys([*spec.choices, *texts])) if spec.choices else \
                list(dict.fromkeys([*texts, OTHER_TEXT]))
        if include_missing:
            values.append(MISSING)
        found[path] = values
    return found


def combination_count(values: Mapping[str, Sequence[Any]]) -> int:
    return math.prod(len(v) for v in values.values())


def combinations(values: Mapping[str, Sequence[Any]]) -> Iterator[dict[str, Value]]:
    """Every fact the representative values make; a `MISSING` value leaves its field out."""
    paths = list(values)
    for combo in itertools.product(*(values[p] for p in paths)):
        yield {path: value for path, value in zip(paths, combo, strict=True) if value is not MISSING}


def show_values(fact: Mapping[str, Value], paths: Sequence[str]) -> str:
    """`site.setting = "rural", site.partner_count not stated`: a combination in words."""
    parts = []
    for path in paths:
        if path not in fact:
            parts.append(f"{path} not stated")
        else:
            value = fact[path]
            shown = literal_text(value) if not isinstance(value, tuple) else \
                "[" + ", ".join(literal_text(v) for v in value) + "]"
            parts.append(f"{path} = {shown}")
    return ", ".join(parts)


def _has_presence(condition: Condition) -> bool:
    match condition:
        case Presence():
            return True
        case Not(operand=operand):
            return _has_presence(operand)
        case And(operands=operands) | Or(operands=operands):
            return any(_has_presence(o) for o in operands)
        case Compare() | Member() | Truthy():
            return False
        case _:
            assert_never(condition)


def _outcomes(condition: Condition, values: Mapping[str, Sequence[Any]]) -> tuple[bool, bool, bool]:
    """(ever TRUE, always TRUE, always TRUE when every field is stated)."""
    ever, always, always_known = False, True, True
    run = compile_condition(condition)
    for fact in combinations(values):
        truth = run(fact)
        if truth is Truth.TRUE:
            ever = True
        else:
            always = False
            if len(fact) == len(values):
                always_known = False
    return ever, always, always_known


Pair = tuple[Condition, Condition]


def _pairs_never_both(operands: Sequence[Condition], specs: Mapping[str, FieldSpec]) -> Pair | None:
    for first, second in itertools.combinations(operands, 2):
        if not {f.path for f in fields_in(first)} & {f.path for f in fields_in(second)}:
            continue
        both = And(0, (first, second))
        values = representatives(both, specs)
        if combination_count(values) <= MAX_COMBINATIONS and not _outcomes(both, values)[0]:
            return first, second
    return None


def _pairs_always_one(operands: Sequence[Condition], specs: Mapping[str, FieldSpec]) -> Pair | None:
    for first, second in itertools.combinations(operands, 2):
        either = Or(0, (first, second))
        if _has_presence(either):
            continue
        values = representatives(either, specs)
        if combination_count(values) <= MAX_COMBINATIONS and _outcomes(either, values)[2]:
            return first, second
    return None


def analyse_condition(condition: Condition, specs: Mapping[str, FieldSpec]) -> list[ConditionFinding]:
    """What is wrong with the condition as a whole: it can never be true, or it always is.
    `specs`: the fields the condition's rule can see."""
    values = representatives(condition, specs)
    if combination_count(values) > MAX_COMBINATIONS:
        return _analyse_pairwise(condition, specs)
    ever, always, always_known = _outcomes(condition, values)
    if not ever:
        pair = _contradiction(condition, specs)
        reason = f": '{render(pair[0])}' and '{render(pair[1])}' contradict each other" if pair else ""
        return [ConditionFinding(f"the condition can never be true{reason}, so the rule never fires")]
    if always:
        return [ConditionFinding("the condition is always true, whatever the profile says, so the rule fires "
                                 "for everyone")]
    if always_known and not _has_presence(condition):
        return [ConditionFinding("the condition is true for every value its fields can take, so the rule fires "
                                 "whenever they are stated")]
    return []


def _contradiction(condition: Condition, specs: Mapping[str, FieldSpec]) -> Pair | None:
    """Two parts of an `and` that can never both be true, if the condition is an `and`."""
    match condition:
        case And(operands=operands):
            return _pairs_never_both(operands, specs)
        case Or() | Not() | Compare() | Member() | Presence() | Truthy():
            return None
        case _:
            assert_never(condition)


def _analyse_pairwise(condition: Condition, specs: Mapping[str, FieldSpec]) -> list[ConditionFinding]:
    """Too many combinations to try them all: look for two parts that settle the whole."""
    match condition:
        case And(operands=operands):
            pair = _pairs_never_both(operands, specs)
            if pair is not None:
                return [ConditionFinding(f"the condition can never be true: '{render(pair[0])}' and "
                                         f"'{render(pair[1])}' contradict each other, so the rule never fires")]
        case Or(operands=operands):
            pair = _pairs_always_one(operands, specs)
            if pair is not None:
                return [ConditionFinding(f"the condition is always true when its fields are stated: "
                                         f"'{render(pair[0])}' or '{render(pair[1])}' always holds")]
        case Not() | Compare() | Member() | Presence() | Truthy():
            pass
        case _:
            assert_never(condition)
    return []


__all__ = [
    "MAX_COMBINATIONS",
    "ConditionFinding",
    "analyse_condition",
    "combination_count",
    "combinations",
    "fields_in",
    "representatives",
    "show_values",
]
