"""Find conditions that can never be true, or are always true, before a rule ever runs.

A rule that can never fire (`site.funding_coverage < 0.5 and site.funding_coverage > 2`) or fires
for every site (`site.setting == "rural" or site.setting != "rural"`) is almost always a slip of
the pen, and neither shows up in ordinary use. The conditions are small and the language has no
arithmetic, so the outcome of a condition only changes where a field crosses one of the literals
it is compared with. For each field the condition reads we therefore build a handful of
*representative values* (each literal, values just below, between and above numeric literals,
each choice of an enumerated field, lists with and without each literal, and "not stated") and
evaluate the condition with the reference evaluator on every combination, when there are few
enough. Otherwise each `and` / `or` is checked pair by pair.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..engine.reference import MISSING, Truth, evaluate
from ..facts import Subject, Value
from .expression import (
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
    fields_in,
    render,
)
from .fields import FieldSpec, fields_for

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
        if isinstance(node, And | Or):
            for operand in node.operands:
                visit(operand)
        elif isinstance(node, Not):
            visit(node.operand)
        elif isinstance(node, Compare):
            left, right = node.left, node.right
            if isinstance(left, Field) and isinstance(right, Field):
                linked.setdefault(left.path, set()).add(right.path)
                linked.setdefault(right.path, set()).add(left.path)
            elif isinstance(left, Field) and isinstance(right, Constant):
                add(left.path, [right.value])
            elif isinstance(right, Field) and isinstance(left, Constant):
                add(right.path, [left.value])
        elif isinstance(node, Member):
            if isinstance(node.item, Field) and isinstance(node.container, ListConstant):
                add(node.item.path, list(node.container.values))
            elif isinstance(node.container, Field) and isinstance(node.item, Constant):
                add(node.container.path, [node.item.value])

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
            shown = render(Constant(0, value)) if not isinstance(value, tuple) else \
                "[" + ", ".join(render(Constant(0, v)) for v in value) + "]"
            parts.append(f"{path} = {shown}")
    return ", ".join(parts)


def _has_presence(condition: Condition) -> bool:
    if isinstance(condition, Presence):
        return True
    if isinstance(condition, Not):
        return _has_presence(condition.operand)
    if isinstance(condition, And | Or):
        return any(_has_presence(o) for o in condition.operands)
    return False


def _outcomes(condition: Condition, values: Mapping[str, Sequence[Any]]) -> tuple[bool, bool, bool]:
    """(ever TRUE, always TRUE, always TRUE when every field is stated)."""
    ever, always, always_known = False, True, True
    for fact in combinations(values):
        truth = evaluate(condition, fact)
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


def analyse_condition(condition: Condition, subject: Subject) -> list[ConditionFinding]:
    """What is wrong with the condition as a whole: it can never be true, or it always is."""
    specs = fields_for(subject)
    values = representatives(condition, specs)
    if combination_count(values) <= MAX_COMBINATIONS:
        ever, always, always_known = _outcomes(condition, values)
        if not ever:
            reason = ""
            if isinstance(condition, And):
                pair = _pairs_never_both(condition.operands, specs)
                if pair is not None:
                    reason = f": '{render(pair[0])}' and '{render(pair[1])}' contradict each other"
            return [ConditionFinding(f"the condition can never be true{reason}, so the rule never fires")]
        if always:
            return [ConditionFinding("the condition is always true, whatever the profile says, so the rule fires "
                                     "for everyone")]
        if always_known and not _has_presence(condition):
            return [ConditionFinding("the condition is true for every value its fields can take, so the rule fires "
                                     "whenever they are stated")]
        return []
    if isinstance(condition, And):
        pair = _pairs_never_both(condition.operands, specs)
        if pair is not None:
            return [ConditionFinding(f"the condition can never be true: '{render(pair[0])}' and "
                                     f"'{render(pair[1])}' contradict each other, so the rule never fires")]
    if isinstance(condition, Or):
        pair = _pairs_always_one(condition.operands, specs)
        if pair is not None:
            return [ConditionFinding(f"the condition is always true when its fields are stated: '{render(pair[0])}' "
                                     f"or '{render(pair[1])}' always holds")]
    return []


__all__ = [
    "MAX_COMBINATIONS",
    "ConditionFinding",
    "analyse_condition",
    "combination_count",
    "combinations",
    "representatives",
    "show_values",
]
