"""Independent checks of `whatif` suggestions: apply a suggested change set to a site from its
field paths alone (not with the library's own code) and re-advise."""

from __future__ import annotations

import copy
import re
from typing import Any

from replicate.plan.model import VERDICT_ORDER
from replicate.schema import SiteProfile
from replicate.whatif.catalogue import load_catalogue
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
    for change in sorted(changes, key=lambda c: c.kind == "withdraw"):
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
    spec = catalogue.change_for(pattern(change.field))
    if spec is None:
        return False
    fixed = any(pattern(change.field) == f or pattern(change.field).startswith(f + ".") for f in catalogue.fixed)
    return not fixed and (change.kind == "withdraw") == spec.withdraw
