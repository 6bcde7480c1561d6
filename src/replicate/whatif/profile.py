"""The places in a site profile where a change can be made, and making one.

A *slot* is one field of the profile as its author sees it (`leadership.champions`,
`partners[district_housing].regular_meetings`), with its type, its current value (None: not
stated) and the fact field the rules read it as. Changes are applied to a copy of the profile's
JSON and validated again, so a proposed site is always one `load_site` would accept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ..rules.fields import scalar_type
from ..schema import SiteProfile
from ..schema.common import unwrap

SlotKind = Literal["boolean", "number", "string", "tags", "objects", "item"]
ITEM_LISTS: dict[str, str | None] = {
    "partners": "partner",
    "existing_services": "service",
    "adaptations": "adaptation",
    "funding.sources": None,
}
"""Lists of objects in a site profile, and the rule subject each item is (None: not a subject)."""
_IDENTITY = frozenset({"id", "name", "touches", "nature", "type", "covers", "kind"})
"""Fields that say what an item *is*; changing them would make it another item."""


@dataclass(frozen=True)
class Slot:
    path: str
    """Where, in profile terms: `partners[housing].regular_meetings`."""
    pattern: str
    """The same without the item: `partners[].regular_meetings`, as the catalogue names it."""
    kind: SlotKind
    value: Any
    """The current value as JSON; None when not stated."""
    fact: str | None
    """The field the rules read it as (`partner.regular_meetings`), if they read it directly."""
    item: str | None = None
    """The item's id (or a funding source's name)."""
    item_label: str | None = None
    choices: tuple[str, ...] = ()
    description: str = ""
    """What the field is: the first sentence of its description (what follows says how a blank is
    read, which is nothing to find out)."""


@dataclass(frozen=True)
class Change:
    """One change to a profile: set `slot` to `new`, or (kind `item`) withdraw the item."""

    slot: Slot
    new: Any
    label: str
    kind: Literal["change", "answer", "withdraw"]
    also: tuple[tuple[Slot, Any], ...] = ()
    """Other fields set by the same change (the catalogue's `with`)."""

    @property
    def key(self) -> tuple[str, str]:
        return ("+".join(self.paths), repr(self.new))

    @property
    def paths(self) -> tuple[str, ...]:
        """Every field the change sets."""
        return tuple(path for path, _ in self.settings)

    @property
    def settings(self) -> tuple[tuple[str, Any], ...]:
        """Every field the change sets, with its value: two changes that set one field to different
        values cannot be made together."""
        return ((self.slot.path, self.new), *((slot.path, value) for slot, value in self.also))


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _leaf(annotation: Any) -> tuple[SlotKind, tuple[str, ...]] | None:
    """A field a change can set: a scalar as the rules read it, or a list of tags."""
    annotation = unwrap(annotation)
    if get_origin(annotation) is list:
        item = scalar_type(get_args(annotation)[0])
        return ("tags", item[1]) if item is not None and item[0] == "string" else None
    scalar = scalar_type(annotation)
    if scalar is None:
        return None
    kind: SlotKind = {"boolean": "boolean", "number": "number"}.get(scalar[0], "string")  # type: ignore[assignment]
    return kind, scalar[1]


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _walk_model(model: type[BaseModel], data: dict[str, Any], prefix: str, pattern: str,
                fact_prefix: str | None, item: tuple[str, str] | None) -> Iterator[Slot]:
    for name, info in model.model_fields.items():
        annotation = unwrap(info.annotation)
        path, pat = _join(prefix, name), _join(pattern, name)
        value = data.get(name)
        fact = f"{fact_prefix}.{name}" if fact_prefix is not None else None
        item_id, item_label = item if item is not None else (None, None)
        if item is not None and name in _IDENTITY:
            continue
        if _is_model(annotation):
            yield from _walk_model(annotation, value or {}, path, pat, fact, item)
            continue
        list_item = unwrap(get_args(annotation)[0]) if get_origin(annotation) is list else None
        if list_item is not None and _is_model(list_item):
            yield from _walk_items(list_item, value, path, pat, info.description or "")
            continue
        leaf = _leaf(annotation)
        if leaf is not None:
            yield Slot(path, pat, leaf[0], value, fact, item_id, item_label, leaf[1],
                       _first_sentence(info.description or ""))


def _first_sentence(text: str) -> str:
    return re.split(r"\.\s+(?=[A-Z])", text)[0]


def _walk_items(model: type[BaseModel], items: list[dict[str, Any]] | None, path: str, pattern: str,
                description: str) -> Iterator[Slot]:
    subject = ITEM_LISTS.get(path)
    if items is None:
        yield Slot(path, pattern, "objects", None, None, description=description)
        return
    for entry in items:
        ident = str(entry.get("id") or entry.get("name"))
        label = str(entry.get("name") or ident)
        item_path = f"{path}[{ident}]"
        yield Slot(item_path, f"{pattern}[]", "item", entry, None, ident, label, description=description)
        yield from _walk_model(model, entry, item_path, f"{pattern}[]", subject, (ident, label))


def slots(site: SiteProfile) -> list[Slot]:
    """Every field of the profile a change or an answer could touch, in schema order."""
    data = site.model_dump(mode="json")
    return [s for s in _walk_model(SiteProfile, data, "", "", "site", None) if s.path not in ("id", "name")]


def _locate(data: dict[str, Any], slot: Slot) -> tuple[dict[str, Any] | list[Any], str | int]:
    """The container holding the slot's value in `data`, and the key or index within it."""
    if slot.item is None:
        parts = slot.path.split(".")
        holder = data
        for part in parts[:-1]:
            holder = holder.setdefault(part, {})
        return holder, parts[-1]
    list_path = slot.pattern.split("[]")[0]
    holder_list: Any = data
    for part in list_path.split("."):
        holder_list = holder_list[part]
    index = next(i for i, entry in enumerate(holder_list) if str(entry.get("id") or entry.get("name")) == slot.item)
    if slot.kind == "item":
        return holder_list, index
    rest = slot.pattern.split("[]", 1)[1].lstrip(".").split(".")
    holder = holder_list[index]
    for part in rest[:-1]:
        holder = holder.setdefault(part, {})
    return holder, rest[-1]


def apply(site: SiteProfile, changes: Sequence[Change]) -> SiteProfile | None:
    """The site with every change made, or None if the result is not a valid profile."""
    data = site.model_dump(mode="json", exclude_none=True)  # a new document each time: nothing shared to copy
    # Withdraw items last, so indices found for the other changes stay right.
    for change in sorted(changes, key=lambda c: c.kind == "withdraw"):
        holder, key = _locate(data, change.slot)
        if change.kind == "withdraw":
            assert isinstance(holder, list) and isinstance(key, int)
            del holder[key]
        else:
            holder[key] = change.new  # type: ignore[index]
            for slot, value in change.also:
                companion_holder, companion_key = _locate(data, slot)
                companion_holder[companion_key] = value  # type: ignore[index]
    try:
        return SiteProfile.model_validate(data)
    except ValidationError:
        return None


def question_slot(field: str) -> str:
    """A question's profile field as what-if names the slot: `site.existing_services.fis.has_capacity`
    is `existing_services[fis].has_capacity`."""
    path = field.removeprefix("site.")
    head, _, rest = path.partition(".")
    if head in ITEM_LISTS and rest:
        item, _, leaf = rest.partition(".")
        return f"{head}[{item}]" + (f".{leaf}" if leaf else "")
    return path
