"""Checks that span more than one field: unique ids, and references that must resolve.

Kept out of the models' validators so that each problem can be reported with its exact field path
(`adaptations[1].touches`), which pydantic's model-level validators cannot give.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from difflib import get_close_matches
from functools import cache

from pydantic import BaseModel

from .common import unwrap
from .programme import Programme
from .site import SiteProfile

Located = tuple[tuple[str | int, ...], str]
"""A field path and what is wrong there."""


def _duplicate_ids(field: str, ids: Sequence[str]) -> Iterable[Located]:
    seen: set[str] = set()
    for index, item_id in enumerate(ids):
        if item_id in seen:
            yield (field, index, "id"), f"duplicate id {item_id!r}: ids must be unique"
        seen.add(item_id)


def _suggest(value: str, choices: Iterable[str]) -> str:
    close = get_close_matches(value, sorted(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_programme(programme: Programme) -> list[Located]:
    problems: list[Located] = []
    problems += _duplicate_ids("principles", [p.id for p in programme.principles])
    problems += _duplicate_ids("components", [c.id for c in programme.components])
    principle_ids = {p.id for p in programme.principles}
    for index, component in enumerate(programme.components):
        if component.id in principle_ids:
            problems.append(
                (("components", index, "id"), f"id {component.id!r} is already used by a principle")
            )
        for ref_index, ref in enumerate(component.principles):
            if ref not in principle_ids:
                problems.append(
                    (
                        ("components", index, "principles", ref_index),
                        f"names principle {ref!r}, which the programme does not define"
                        + _suggest(ref, principle_ids),
                    )
                )
    for index, principle in enumerate(programme.principles):
        for need_index, need in enumerate(principle.needs):
            if need.field is not None and (problem := _not_a_yes_no_site_field(need.field)):
                problems.append((("principles", index, "needs", need_index, "field"), problem))
    return problems


@cache
def _yes_no_site_fields(model: type[BaseModel] = SiteProfile, prefix: str = "") -> tuple[str, ...]:
    """Every yes/no field of a section of the site profile (`leadership.co_designed`): what a
    principle's need can name. A list's items (a partner's fields) are not one answer per site.
    The schema is fixed, so it is walked once."""
    fields: list[str] = []
    for name, info in model.model_fields.items():
        annotation = unwrap(info.annotation)
        if annotation is bool and prefix:
            fields.append(f"{prefix}{name}")
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            fields += _yes_no_site_fields(annotation, f"{prefix}{name}.")
    return tuple(fields)


def _not_a_yes_no_site_field(path: str) -> str | None:
    """Why a principle's need cannot name `path`: it would be asked of every site and never answered."""
    choices = _yes_no_site_fields()
    if path in choices:
        return None
    return (f"names {path!r}, which is not a yes/no field of the site profile (such as "
            f"'leadership.co_designed'){_suggest(path, choices)}")


def check_site(site: SiteProfile) -> list[Located]:
    problems: list[Located] = []
    problems += _duplicate_ids("partners", [p.id for p in site.partners or []])
    problems += _duplicate_ids("existing_services", [s.id for s in site.existing_services or []])
    problems += _duplicate_ids("adaptations", [a.id for a in site.adaptations])
    return problems


def other_programme(programme: Programme, site: SiteProfile) -> list[Located]:
    """Why the site was written for some other programme, if it was: it names another programme, or
    none of its adaptations touches anything this programme has (a lone near miss counts as a typo). Such a site is
    not wrong, only in the wrong batch; a single typo among good references is left to `cross_check`."""
    if site.programme is not None and site.programme != programme.id:
        return [(("programme",), f"written for programme {site.programme!r}, not {programme.id!r}: "
                                 "advise it with that programme")]
    targets = {p.id for p in programme.principles} | {c.id for c in programme.components}
    touched = [a.touches for a in site.adaptations]
    if site.programme is not None or not touched or any(t in targets for t in touched):
        return []
    if len(touched) == 1 and get_close_matches(touched[0], sorted(targets), n=1):
        return []  # one near miss is more likely a typo, which `cross_check` answers with a did-you-mean
    return [(("adaptations", index, "touches"),
             f"names {name!r}, which is neither a principle nor a component of programme {programme.id!r}, nor "
             "is any other adaptation's: the site was written for another programme (name it in 'programme')")
            for index, name in enumerate(touched)]


def cross_check(programme: Programme, site: SiteProfile) -> list[Located]:
    """Problems of the site that only show against this programme: adaptations must touch something
    real, and a budget must be in the currency of the costs it is weighed against (the tool compares
    amounts; it does not convert them, so a budget in euros against a cost in pounds would be a guess)."""
    targets = {p.id for p in programme.principles} | {c.id for c in programme.components}
    problems: list[Located] = []
    funding = site.funding
    if funding is not None and funding.annual_budget is not None and funding.currency != programme.costs.currency:
        problems.append((("funding", "currency"),
                         f"is {funding.currency}, but programme {programme.id!r} gives its costs in "
                         f"{programme.costs.currency}: state the yearly budget in {programme.costs.currency} "
                         "(amounts are compared, never converted)"))
    for index, adaptation in enumerate(site.adaptations):
        if adaptation.touches not in targets:
            problems.append(
                (
                    ("adaptations", index, "touches"),
                    f"names {adaptation.touches!r}, which is neither a principle nor a component of "
                    f"programme {programme.id!r}" + _suggest(adaptation.touches, targets),
                )
            )
    return problems
