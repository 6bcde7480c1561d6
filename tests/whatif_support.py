"""Independent checks of `whatif` suggestions: apply a suggested change set to a site from its
field paths alone (not with the library's own code) and re-advise."""

from __future__ import annotations

import copy
import re
from typing import Any

from replicate.advisor import Advisor
from replicate.plan.model import VERDICT_ORDER
from replicate.schema import Programme, SiteProfile
from replicate.whatif import WhatIf
from replicate.whatif.catalogue import Catalogue, ChangeSpec, load_catalogue
from replicate.whatif.model import ProposedChange

_PART = re.compile(r"^([a-z_]+)(?:\[(.+)\])?$")


def rank(verdict: str) -> int:
    return VERDICT_ORDER.index(verdict)


def _split(path: str) -> list[tuple[str, str | None]]:
    """`funding.sources[A grant].stability` -> [(funding, None), (sources, 'A grant'), (stability, None)]."""
    parts: list[tuple[str, str | None]] = []
    for piece in re.findall(r"[a-z_]+(?:\[[^\]]+\])?", path):
        match = _PART.match(piece)
        assert match is not None, piece
        parts.append((match.group(1), match.group(2)))
    return parts


def apply_changes(site: SiteProfile, changes: list[ProposedChange]) -> SiteProfile:
    data: dict[str, Any] = copy.deepcopy(site.model_dump(mode="json", exclude_none=True))
    # The other fields a change sets with it (a lead's hours with the lead) are plain sets too.
    sets = [*changes, *(ProposedChange(field=c.field, old=c.old, new=c.new, kind="change", label="")
                        for change in changes for c in change.also)]
    for change in sorted(sets, key=lambda c: c.kind == "withdraw"):
        parts = _split(change.field)
        holder: Any = data
        for index, (name, item) in enumerate(parts):
            last = index == len(parts) - 1
            if item is None:
                if last:
                    holder[name] = change.new
                else:
                    holder = holder.setdefault(name, {})
                continue
            entries = holder[name]
            position = next(i for i, e in enumerate(entries) if str(e.get("id") or e.get("name")) == item)
            if last:
                assert change.kind == "withdraw"
                del entries[position]
            else:
                holder = entries[position]
    return SiteProfile.model_validate(data)


def pattern(field: str) -> str:
    """`partners[housing].regular_meetings` -> `partners[].regular_meetings`."""
    return re.sub(r"\[[^\]]+\]", "[]", field)


def is_allowed(change: ProposedChange) -> bool:
    """A change the catalogue marks changeable, or an answer to something the site did not state."""
    catalogue = load_catalogue()
    if change.kind == "answer":
        return change.old is None
    specs = catalogue.changes_for(pattern(change.field))
    return any(_allowed_by(spec, change, catalogue) for spec in specs)


def _allowed_by(spec: ChangeSpec, change: ProposedChange, catalogue: Catalogue) -> bool:
    """Whether one of the catalogue's changes for the field allows the proposed change."""
    # What a change sets with it: the catalogue's companions (`with`); for a change made to several
    # items at once (`together`), the same field of the other items, to the same value, and the item
    # fields set with it (`with_item`) and the site's (`with`); or the item field a number is spread
    # over (`spread`), raised.
    together = spec.together is not None
    with_item = {f"{spec.path.rsplit('.', 1)[0]}.{name}": value
                 for name, value in (spec.together.with_item.items() if spec.together else ())}
    with_site = spec.together.with_ if spec.together else {}  # the site's fields set with it
    if any(c.field not in spec.with_ and not (together and pattern(c.field) == spec.path and c.new == change.new)
           and not (c.field in with_site and with_site[c.field] == c.new)
           and not (pattern(c.field) in with_item and with_item[pattern(c.field)] == c.new)
           and not (pattern(c.field) == spec.spread and _raised(c.old, c.new))
           for c in change.also):
        return False
    fixed = any(pattern(change.field) == f or pattern(change.field).startswith(f + ".") for f in catalogue.fixed)
    return not fixed and (change.kind == "withdraw") == spec.withdraw


def _raised(old: object, new: object) -> bool:
    return isinstance(old, int | float) and isinstance(new, int | float) and new > old


def check_promises(advisor: Advisor, programme: Programme, site: SiteProfile, result: WhatIf) -> None:
    """Every suggestion, applied independently and re-advised, gives the decision it promises, which
    reaches its goal; every change is one the catalogue allows; no single lever makes the case
    worse; and no single lever (re-advised here, not taken from the result) reaches a goal that
    needed more than one change."""
    decision = advisor.advise(programme, site).decision
    now = decision.verdict
    assert result.verdict == now and result.provisional == decision.provisional
    for goal in result.goals:
        assert rank(goal.target) < rank(now)
        assert goal.found >= len(goal.suggestions)
        for suggestion in goal.suggestions:
            assert len(suggestion.changes) == goal.reached_with
            changed = apply_changes(site, suggestion.changes)
            reached = advisor.advise(programme, changed).decision
            verdict = reached.verdict
            assert verdict == suggestion.verdict
            assert reached.provisional == suggestion.provisional  # the plan's own proviso, said here too
            assert rank(verdict) <= rank(goal.target)
            for change in suggestion.changes:
                assert is_allowed(change), change
    singles = {}
    for lever in result.levers:
        assert is_allowed(lever.change), lever.change
        # A single change is offered only as a way forward, never one that makes the case worse.
        assert lever.readiness_gain >= 0 and rank(lever.verdict) <= rank(now), lever
        singles[lever.change.field, repr(lever.change.new)] = advisor.advise(
            programme, apply_changes(site, [lever.change])).decision.verdict
        assert singles[lever.change.field, repr(lever.change.new)] == lever.verdict
    for goal in result.goals:
        if goal.reached_with is None or goal.reached_with > 1:
            assert all(rank(v) > rank(goal.target) for v in singles.values()), goal.target
