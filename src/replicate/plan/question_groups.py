"""Questions a manager sends out once, asked once: a section of the profile left out whole, the
months secured in total and by source, and every open detail of a site's partners (or services, or
adaptations). The question list is ranked field by field (`questions.py`); this module then joins
the questions a site would answer in one go, where the first of them stood.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from ..schema import SiteProfile
from .model import Question
from .question_words import description_of, in_words

_SECTION_NAMES = {"climate": "the external climate", "staff": "the staff", "leadership": "the leadership",
                  "funding": "the funding",
                  "evaluation": "the evaluation", "operational_plan": "the operational plan",
                  "dissemination": "how practice will be shared"}
"""Sections of the site profile that, left out whole, are asked as one question."""
_PARTS_SHOWN = 4


def left_out_sections(site: SiteProfile) -> set[str]:
    """The sections of the profile left out whole: built from their defaults, with no field set but
    to null or its default (funding that says only its currency, GBP, says nothing of the money) (a
    cheap test: dumping each section cost a tenth of the questions' time)."""
    sections = {name: getattr(site, name) for name in _SECTION_NAMES}
    return {name for name, part in sections.items()
            if all(getattr(part, field) in (None, type(part).model_fields[field].default)
                   for field in part.model_fields_set)}


def section_of(field: str) -> str:
    """The section of the site profile a field is in (`site.funding.sources` is in "funding"), or ""."""
    head, _, rest = field.partition(".")
    return rest.partition(".")[0] if head == "site" else ""


def by_section(asked: list[Question], left_out: set[str], descriptions: dict[str, str]) -> list[Question]:
    """A section of the profile left out whole is one question, where its first field's question
    stood, listing what it should say: five lines asking the parts of one blank section bury the
    questions after them (546)."""
    merged: list[Question] = []
    into: dict[str, int] = {}
    for question in asked:
        section = section_of(question.field)
        if section not in left_out or question.subject:
            merged.append(question)
            continue
        if section not in into:
            into[section] = len(merged)
            merged.append(question)
            continue
        first = merged[into[section]]
        moves = [q.could_change_to for q in (first, question) if q.could_change_to]
        merged[into[section]] = first.model_copy(update={
            "fields": [*first.fields, *question.fields],
            "needed_by": sorted({*first.needed_by, *question.needed_by}),
            "could_change_to": moves[0] if moves else None,
        })
    for section, index in into.items():
        question = merged[index]
        if len(question.fields) > 1:
            # Each part by what it is, without its own list of what to give: "where the money comes
            # from, with each source's kind, how stable it is and ..." ran into the parts after it.
            parts = [description_of(f, descriptions).rstrip(".").split(", with ")[0] for f in question.fields]
            parts = [p[:1].lower() + p[1:] for p in parts]
            if len(parts) > _PARTS_SHOWN:  # the fields are all listed with the question
                parts = [*parts[:_PARTS_SHOWN - 1], f"{len(parts) - _PARTS_SHOWN + 1} more"]
            text = f"Not stated: {_SECTION_NAMES[section]}, left out whole: {in_words(parts)}."
            merged[index] = question.model_copy(update={"question": text})
    return merged


def months_together(asked: list[Question]) -> list[Question]:
    """The months secured and each source's months, both unknown, are one question where the first
    of them stood: two lines read to a manager as the same thing asked twice (560)."""
    total = next((i for i, q in enumerate(asked) if q.field == "site.funding.months_secured"), None)
    each = next((i for i, q in enumerate(asked)
                 if q.field.startswith("site.funding.sources.") and q.field.endswith(".months")), None)
    if total is None or each is None:
        return asked
    first, second = sorted((total, each))
    moves = [q.could_change_to for q in (asked[first], asked[second]) if q.could_change_to]
    merged = asked[first].model_copy(update={
        "field": asked[total].field,
        "fields": [*asked[total].fields, *asked[each].fields],
        "question": f"Not stated: the months of funding secured, in total and for {asked[each].subject}.",
        "needed_by": sorted({*asked[total].needed_by, *asked[each].needed_by}),
        "subject": None,
        "could_change_to": moves[0] if moves else None,
    })
    return [merged if i == first else q for i, q in enumerate(asked) if i != second]


def grouped(asked: list[Question], left_out: set[str], descriptions: dict[str, str]) -> list[Question]:
    """The ranked questions with those a site answers in one go joined (see the module's note)."""
    return months_together(by_section(asked, left_out, descriptions))


_ANSWERED_BY_ITEM = ("site.partners", "site.existing_services", "site.adaptations")
"""The site's own lists whose items it answers for one at a time (a partner, say, of its meetings,
its sharing and its say in the plan)."""


def by_item(units: list[list[str]], item_of: Callable[[str], tuple[str, str, str] | None],
            moves: Mapping[str, str]) -> list[list[str]]:
    """The questions' fields (`units`, each the same field of several items, in rank order) joined
    where a site answers them together, each group where the most decisive of its fields stood. A
    partner left blank was asked about in six lines, each opening with its name, and three partners
    in eight lines scattered down the list, so the partner form went round eight times (1888, 1895).

    Of a list's open details whose answers could move the decision alike (one that could is not
    joined with one that could not: a partner not critical to delivery), either the items with the
    same details open are asked together ("for Jobcentre Plus: ..."), or the details open for the
    same items are ("for each of the 11 partners: ..."), whichever asks fewer questions; the second
    when even, as it names fewer partners. `item_of(path)` is (list, item, field) for a field of an
    item of a list, else None."""
    found: dict[tuple[str, str], list[tuple[str, str, int]]] = {}
    for index, unit in enumerate(units):
        for path in unit:
            parts = item_of(path)
            if parts is not None and parts[0] in _ANSWERED_BY_ITEM:
                found.setdefault((parts[0], moves.get(path, "")), []).append((parts[1], parts[2], index))
    at: dict[int, list[list[str]]] = {}
    joined: set[str] = set()
    for (kind, _), details in found.items():
        for group, index in _fewest_questions(details):
            paths = [f"{kind}.{item}.{field}" for item, field in group]
            joined.update(paths)
            at.setdefault(index, []).append(paths)
    out: list[list[str]] = []
    for index, unit in enumerate(units):
        out += at.get(index, [])
        kept = [path for path in unit if path not in joined]
        if kept:
            out.append(kept)
    return out


def _fewest_questions(details: list[tuple[str, str, int]]) -> list[tuple[list[tuple[str, str]], int]]:
    """(item, field) groups of one list's open details (each with the unit it was ranked in), and
    where each group stands: the details open for the same items, or the items with the same
    details open, whichever makes fewer groups."""
    by_field: dict[str, list[str]] = {}
    by_item: dict[str, list[str]] = {}
    item_rank: dict[str, int] = {}
    field_rank: dict[str, int] = {}
    for item, field, index in details:
        by_field.setdefault(field, []).append(item)
        by_item.setdefault(item, []).append(field)
        item_rank.setdefault(item, index)
        field_rank.setdefault(field, index)
    same_items: dict[frozenset[str], list[str]] = {}
    for field, items in by_field.items():
        same_items.setdefault(frozenset(items), []).append(field)
    same_fields: dict[frozenset[str], list[str]] = {}
    for item, fields in by_item.items():
        same_fields.setdefault(frozenset(fields), []).append(item)
    if len(same_fields) < len(same_items):
        return [([(item, field) for field in by_item[items[0]] for item in items],
                 min(item_rank[item] for item in items)) for items in same_fields.values()]
    return [([(item, field) for field in fields for item in by_field[fields[0]]],
             min(field_rank[field] for field in fields)) for fields in same_items.values()]


_ITEM_PARTS_SHOWN = 6
"""More than a section's four: an item's details are short, and the form goes to the partner once."""


def item_details(paths: Sequence[str], descriptions: dict[str, str]) -> str:
    """The details of an item asked for together, each by what it is ("whether it shares knowledge
    and data"), without the list of what to give that one asked alone carries."""
    details = []
    for name in dict.fromkeys(path.rsplit(".", 1)[1] for path in paths):
        what = description_of(next(p for p in paths if p.endswith(f".{name}")), descriptions)
        what = what.rstrip(".").split(", with ")[0].split(": ")[0]
        details.append(what[:1].lower() + what[1:])
    if len(details) > _ITEM_PARTS_SHOWN:  # every field is listed with the question
        details = [*details[:_ITEM_PARTS_SHOWN - 1], f"{len(details) - _ITEM_PARTS_SHOWN + 1} more"]
    return in_words(details)


__all__ = ["by_item", "grouped", "item_details", "left_out_sections", "section_of"]
