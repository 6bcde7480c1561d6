"""Levers: the single realistic changes to a site that could move a rule.

The values come from the rules' own conditions: every test a rule makes of a field
(`site.leadership.lead_hours_per_week < 4`, `"skills" in site.partner_contributions`,
`partner.regular_meetings is missing`) gives the values on either side of it. The catalogue says
which fields the site may change, and how; any field the profile leaves unstated may be answered
either way. A lever is kept only if it changes a fact that a rule which fired, or which missing
information left open, reads (`footprint`): the rest could not move the decision.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from typing_extensions import assert_never

from ..conditions import (
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
)
from ..facts import FactBuilder
from ..rules.model import Rule
from ..rules.templates import show
from ..schema import Programme, SiteProfile
from ..schema.common import LEVELS
from .catalogue import Catalogue, ChangeSpec, Via, companion_value, programme_number, programme_values
from .footprint import FactIndex, fact_index
from .profile import Change, Slot, slots

_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!="}
STATED = "stated"
"""The text an unstated free-text field (an adaptation's reason) is answered with."""


@dataclass(frozen=True)
class Test:
    """One test a rule makes of a field: a comparison, `has` (list membership), `one_of`, `presence`
    or `same_as` (equal to another field)."""

    op: str
    value: Any = None


def rule_tests(rules: Iterable[Rule]) -> dict[str, list[Test]]:
    """Every test the rules make, by the field tested."""
    tests: dict[str, list[Test]] = {}

    def add(path: str, test: Test) -> None:
        tests.setdefault(path, []).append(test)

    def visit(node: Condition) -> None:
        match node:
            case Compare(left=Field() as left, right=Constant() as right):
                add(left.path, Test(node.op, right.value))
            case Compare(left=Constant() as left, right=Field() as right):
                add(right.path, Test(_FLIP[node.op], left.value))
            case Compare(left=Field() as left, right=Field() as right):
                add(left.path, Test("same_as", right.path))
                add(right.path, Test("same_as", left.path))
            case Compare():
                pass
            case Member(item=Constant() as item, container=Field() as container):
                add(container.path, Test("has", item.value))
            case Member(item=Field() as item, container=ListConstant() as container):
                add(item.path, Test("one_of", container.values))
            case Member():
                pass
            case Presence():
                add(node.field.path, Test("presence"))
            case Truthy():
                add(node.field.path, Test("==", True))
            case Not():
                visit(node.operand)
            case And() | Or():
                for operand in node.operands:
                    visit(operand)
            case _:
                assert_never(node)

    for rule in rules:
        visit(rule.condition)
    return tests


def _tidy(number: float) -> int | float:
    rounded = round(number, 4)
    return int(rounded) if rounded == int(rounded) else rounded


def _round_above(number: float) -> int:
    """The next figure above `number` rounded to two significant digits (whole units below 100)."""
    if number < 100:
        return math.floor(number) + 1
    step: int = 10 ** (len(str(math.floor(number))) - 2)
    return (math.floor(number / step) + 1) * step


def _thresholds(tests: Sequence[Test], programme: Programme, via: Via | None) -> list[int | float]:
    """Numbers on either side of every threshold; through `via`, in the profile field's own units."""
    factor = None
    if via is not None:
        factor = programme_number(programme, via.times or via.divides or "")
        if factor is None:
            return []
    found: set[int | float] = set()
    for test in tests:
        if test.op not in _FLIP or isinstance(test.value, bool) or not isinstance(test.value, int | float):
            continue
        bound = float(test.value)
        if via is not None and factor is not None:
            if via.times is not None:
                bound = bound * factor
            elif bound == 0:
                continue
            else:
                bound = factor / bound
            # Whole units at the threshold and clearly below it: derived ratios are rounded, so
            # one unit below a large threshold would still read as on it. Above it, the next round
            # figure (76,000 past a line at 75,000), as a council would budget, not 75,001; a line
            # that falls between whole units (a cost over a share, 57,894.7) is offered only as the
            # round figure above it, as no board reads "57,895" as a budget (2093).
            at = [math.ceil(bound)] if abs(bound - round(bound)) < 1e-6 else []
            found.update(_tidy(b) for b in (math.floor(bound * 0.9), *at, _round_above(bound)))
        else:
            found.update(_tidy(b) for b in (bound - 1, bound, bound + 1))
    return sorted(n for n in found if n >= 0)


def _at_least(current: Any, wanted: Any) -> bool:
    """Whether a stated value already gives what a companion would set: as much or more."""
    if current is None:
        return False
    if isinstance(wanted, bool) or isinstance(current, bool):
        return bool(current == wanted)
    if isinstance(wanted, int | float) and isinstance(current, int | float):
        return current >= wanted
    if current in LEVELS and wanted in LEVELS:
        return LEVELS.index(current) >= LEVELS.index(wanted)
    return bool(current == wanted)


def change_label(template: str, item: str, value: Any, clients: str = "people") -> str:
    """A catalogue label filled in: `{s}` makes a count plural, so one reads "Name 1 champion", not
    "Name 1 champions" (round 34); `{clients}` is what the programme calls the people it serves
    (young people, where "engage families" read as another programme's words, 2256)."""
    return template.format(item=item, new=_text(value), s="" if value == 1 else "s", clients=clients)


def _text(value: Any) -> str:
    """A value in plain words: yes/no, 12,000, a list, 'none', 'stated'."""
    if value is None:
        return "not stated"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) if value else "none"
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 1000:
        return f"{value:,.0f}" if value == int(value) else f"{value:,}"
    return show(value)


class LeverFinder:
    """Proposes every candidate change for one programme and site."""

    def __init__(self, programme: Programme, site: SiteProfile, rules: Sequence[Rule], catalogue: Catalogue,
                 parameters: Mapping[str, float] | None = None) -> None:
        self.programme = programme
        self.site = site
        self.catalogue = catalogue
        self.tests = rule_tests(rules)
        self.parameters = dict(parameters or {})
        self._slots = slots(site)
        self._by_path = {slot.path: slot for slot in self._slots}

    def changes(self) -> list[Change]:
        """Every candidate, changes before answers, in profile order; one per slot and value."""
        found: dict[tuple[str, str], Change] = {}
        for slot in self._slots:
            specs = self.catalogue.changes_for(slot.pattern)
            spec = specs[0] if specs else None
            # Every change listed for the field: the second of two used to be dead (1626: agreeing
            # cross-boundary working was never proposed, as signing an agreement was listed first).
            proposals = [change for each in specs for change in self._changes(slot, each)]
            if slot.value is None:
                # Of the same value, an answer first: for a field nobody stated, "give the lead 7
                # hours" presumes a shortfall; "find out the lead's hours" does not (1404).
                proposals = self._answers(slot, spec) + proposals
            for change in proposals:
                found.setdefault(change.key, change)
        for change in self._together():
            found.setdefault(change.key, change)
        return list(found.values())

    def _together(self) -> Iterator[Change]:
        """The catalogue's changes made to every item at once (`together`), each where at least two
        items need it (with one, it is that item's own change), or one where it sets other fields of
        the item too (`with_item`), which no single change does."""
        facts: FactIndex | None = None
        for spec in self.catalogue.changes:
            if spec.together is None or spec.to is None:
                continue
            if facts is None:
                facts = fact_index(FactBuilder(self.programme, self.site).subject_facts())
            where, extra = spec.together.where, spec.together.with_item
            wanted = {spec.path.rsplit(".", 1)[1]: spec.to[0], **extra}
            chosen = [(slot, needs) for slot in self._slots if slot.pattern == spec.path
                      and (needs := self._item_needs(slot, wanted))
                      and (where is None or facts.get((where.split(".")[0], slot.item or ""), {}).get(where) is True)]
            # The change is of its own field, for at least one item: what only sets the others is
            # their own change (agreeing the benefit with partners already consulted).
            settings = sorted((s for _, needs in chosen for s in needs), key=lambda s: s[0].pattern != spec.path)
            if len(chosen) < (1 if extra else 2) or settings[0][0].pattern != spec.path:
                continue
            items = ", ".join(slot.item_label or slot.item or "" for slot, _ in chosen)
            (first, new), *rest = settings
            also = self._companions(spec.together.with_)
            yield Change(first, new, spec.together.label.format(items=items), "change", (*rest, *also))

    def _item_needs(self, slot: Slot, wanted: Mapping[str, Any]) -> list[tuple[Slot, Any]]:
        """The item fields (`slot` and its siblings named in `wanted`) not yet at the wanted value."""
        item = slot.path.rsplit(".", 1)[0]
        fields = [(self._by_path[f"{item}.{name}"], value) for name, value in wanted.items()]
        return [(field, value) for field, value in fields if field.value != value]

    # -- changes the catalogue allows -------------------------------------------------------------

    def _changes(self, slot: Slot, spec: ChangeSpec) -> Iterable[Change]:
        if spec.withdraw:
            if slot.kind == "item":
                yield Change(slot, None, spec.label.format(item=slot.item, new="", s="s"), "withdraw")
            return
        sibling = self._by_path.get(f"{slot.path.rsplit('.', 1)[0]}.{spec.unstated}") if spec.unstated else None
        if slot.kind == "item" or (sibling is not None and sibling.value is not None):
            return
        also = self._companions(spec.with_)
        for value in self._change_values(slot, spec):
            yield Change(slot, value, change_label(spec.label, slot.item_label or "", value,
                                                   self.programme.clients.plural), "change",
                         (*also, *self._spread(spec, slot, value)))

    def _spread(self, spec: ChangeSpec, slot: Slot, value: Any) -> tuple[tuple[Slot, Any], ...]:
        """The item raised with a number (`spread`): where the items' values fall short of the new
        value between them, the largest takes up the shortfall, as a grant extended to cover the
        months now secured would. Items adding up to more than the field now says run side by side,
        so the largest runs on from there (two 12-month sources securing 12 months: one extended by
        12 left a year unfunded, 2021). Unstated items leave the sum unknown, and nothing is spread."""
        items = [item for item in self._slots if item.pattern == spec.spread]
        if not items or not isinstance(value, int | float) or any(item.value is None for item in items):
            return ()
        total = sum(item.value for item in items)
        shortfall = value - (min(total, slot.value) if isinstance(slot.value, int | float) else total)
        if shortfall <= 0:
            return ()
        largest = max(items, key=lambda slot: slot.value)
        return ((largest, _tidy(largest.value + shortfall)),)

    def _companions(self, with_: Mapping[str, Any]) -> tuple[tuple[Slot, Any], ...]:
        """The fields the catalogue sets with a change (`with`), each only where the site has less:
        a stated 20 hours a week is not cut to the 7 a lead needs at least."""
        found = []
        for path, wanted in with_.items():
            slot = self._by_path.get(path)
            value = companion_value(wanted, self.programme, self.parameters)
            if slot is not None and value is not None and not _at_least(slot.value, value):
                found.append((slot, value))
        return tuple(found)

    def _change_values(self, slot: Slot, spec: ChangeSpec) -> list[Any]:
        if spec.to is not None:
            return [v for v in spec.to if v != slot.value]
        if spec.add is not None:
            current = list(slot.value or [])
            return [sorted([*current, tag]) for tag in spec.add if tag not in current]
        if slot.kind != "number" or (slot.value is None and slot.item is not None):
            # An item's number left out is a question, not a shortfall: "extend the funding from the
            # trust's top-slice to 36 months" where its months were never stated presumed both (2103).
            return []
        values = self._numbers(slot, spec)
        ceiling = programme_number(self.programme, spec.max) if spec.max is not None else None
        if ceiling is not None:
            values = [v for v in values if v <= ceiling] + [_tidy(ceiling)]
        if spec.direction == "up":  # from an unstated value, up from nothing: "give the lead 0 hours" is no change
            values = [v for v in values if v > (slot.value if slot.value is not None else 0)]
        elif spec.direction == "down":  # an interval shortened: only from a stated one, never to nothing
            values = [v for v in values if slot.value is not None and 0 < v < slot.value]
        return sorted(set(values))

    def _numbers(self, slot: Slot, spec: ChangeSpec | None) -> list[int | float]:
        via = spec.via if spec is not None else None
        tests = self.tests.get(via.field if via is not None else slot.fact or "", [])
        return _thresholds(tests, self.programme, via)

    # -- answers to what the profile leaves unstated ----------------------------------------------

    def _answers(self, slot: Slot, spec: ChangeSpec | None) -> list[Change]:
        values: list[Any] = []
        tests = self.tests.get(slot.fact or "", [])
        if slot.kind == "boolean":
            values = [True, False]
        elif slot.kind == "number":
            values = list(self._numbers(slot, spec))
        elif slot.kind == "string" and slot.choices:
            named = {t.value for t in tests if t.op in _FLIP and isinstance(t.value, str)}
            named |= {v for t in tests if t.op == "one_of" for v in t.value if isinstance(v, str)}
            named |= {v for t in tests if t.op == "same_as" and t.value.startswith("programme.")
                      for v in programme_values(self.programme, t.value) if isinstance(v, str)}
            if named:
                values = [c for c in slot.choices if c in named]
                values += [c for c in slot.choices if c not in named][:1]
        elif slot.kind == "string":
            values = [STATED] if any(t.op == "presence" for t in tests) else []
        elif slot.kind == "tags":
            return [Change(slot, value, self._answer_label(slot, shown), "answer")
                    for value, shown in self._tag_answers(slot, tests)]
        elif slot.kind == "objects":
            values = [[]]
        return [Change(slot, value, self._answer_label(slot, _text(value)), "answer") for value in values]

    def _tag_answers(self, slot: Slot, tests: Sequence[Test]) -> list[tuple[list[str], str]]:
        """Answers to an unstated list, each with how to say it: the programme's own tags (as the
        catalogue says), the tags the rules look for, or none."""
        answers: list[tuple[list[str], str]] = []
        spec = self.catalogue.answer_for(slot.pattern)
        if spec is not None:
            answers.append((sorted({str(v) for v in programme_values(self.programme, spec.from_, spec.where)}),
                            spec.label))
        named = sorted({str(t.value) for t in tests if t.op == "has"})
        if named and slot.choices:
            named = [tag for tag in named if tag in slot.choices]
        if named:
            answers.append((named, _text(named)))
        answers.append(([], "none"))
        unique: list[tuple[list[str], str]] = []
        for answer in answers:
            if all(answer[0] != seen for seen, _ in unique):
                unique.append(answer)
        return unique

    @staticmethod
    def _answer_label(slot: Slot, shown: str) -> str:
        # The local conditions are asked in the programme's terms, as the plan's question asks them:
        # the schema's examples (cross-borough working...) may be none of this programme's (558).
        about = ("Which of the conditions the programme relied on the area has" if slot.path == "conditions"
                 else (slot.description or slot.path).rstrip("."))
        about = about[:1].lower() + about[1:]
        where = f" ({slot.item_label})" if slot.item_label else ""
        # An answer is something to find out, not something to claim: the label says which answer
        # the effect shown is for, never "state yes", nor "(if the answer is: 0)", which a board read
        # as advice to answer 0 (835).
        return f"Find out {about}{where} (the effect shown is for the answer: {shown})"
