"""What the profile leaves out that holds the decision at "information needed", and which changes
answer it: the part of the search that reads the decisive information rather than the rules.

Kept apart from the search so that what counts as answering a question (the field the plan asks
first, a theme's fields, an answer joining the one that raises it) is in one place.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from ..plan.decisive import DECISIVE, DecisiveInformation
from .footprint import RuleInstance
from .profile import Change, question_slot

_TOO_LITTLE = "Too little is known about "


def _under(path: str, fields: Sequence[str]) -> bool:
    return any(path == f or path.startswith((f + ".", f + "[")) for f in fields)


@dataclass(frozen=True)
class Blockers:
    """The site's blockers, each keyed as ("information", label), with the fields that answer it."""

    holding: Mapping[RuleInstance, tuple[str, ...]]
    """What alone holds the decision at "information needed", with the profile fields that answer it
    (none, for a theme too little is known about: any field its rules read)."""
    nested: Mapping[RuleInstance, tuple[tuple[str, ...], tuple[str, ...]]]
    """Decisive information asked only once a field now holding the decision is stated, with the
    fields that raise it and those that answer it."""
    unasked: frozenset[str] = frozenset()
    """The other fields of a group now holding the decision, which the plan does not ask: stating one
    alone would lift a section left out whole, a partial answer the plan's one question does not
    invite (2196: "whether the evaluation will be systematic -> go", beside whether one is planned)."""

    @classmethod
    def of(cls, holding: Sequence[DecisiveInformation], confidence: Mapping[str, float],
           min_theme_confidence: float) -> Blockers:
        """The blockers as the plan's decision finds them. A group is answered by the fields the plan
        asks first: any answer lifts a section left out whole, but five one-answer ways to "go"
        invited a partial answer where the plan asks one question (2101)."""
        blockers = {("information", group.label): tuple(question_slot(f) for f in group.asked) for group in holding}
        for theme, known in confidence.items():
            if known < min_theme_confidence:
                blockers[("information", f"{_TOO_LITTLE}{theme.replace('_', ' ')}")] = ()
        held = {f for fields in blockers.values() for f in fields}
        # Whether the local needs were assessed is asked only once they are listed: an answer to it
        # moves nothing now, but joins the answer that raises it (2096 was told no set of three
        # changes reached a decision its twin reached with the two answers).
        nested = {("information", group.label): (tuple(question_slot(f) for f in group.within),
                                                 tuple(question_slot(f) for f in group.fields))
                  for group in DECISIVE
                  if group.within and {question_slot(f) for f in group.within} <= held
                  and not any(question_slot(f) in held for f in group.fields)}
        asked = {f for fields in blockers.values() for f in fields}
        unasked = frozenset(question_slot(f) for group in holding for f in group.fields) - asked
        return cls(blockers, nested, unasked)

    def answered(self, change: Change, themes_reached: Collection[str]) -> frozenset[RuleInstance]:
        """The blockers a change answers: a field of a decisive group, or a field read by a rule of a
        theme that too little is known about (`themes_reached`: the themes its footprint reaches);
        and the nested groups it raises or answers."""
        path = change.slot.path
        found = {key for key, fields in self.holding.items()
                 if (_under(path, fields) if fields
                     else key[1].removeprefix(_TOO_LITTLE).replace(" ", "_") in themes_reached)}
        found |= {key for key, (within, fields) in self.nested.items() if _under(path, (*within, *fields))}
        return frozenset(found)
