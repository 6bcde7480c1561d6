"""The site's conditions against the ones the programme relied on: which are missing, and which
the site's planned adaptations work around.

A condition an adaptation works around is answered, not missing: it is judged once, by
FL-CONDITIONS-WORKED-AROUND, rather than as a gap the plan has already closed. What a core
principle needs is judged through the principle, worked around or not: an information-sharing
agreement cannot be done without, only put in place.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..schema import SiteProfile


def condition_facts(relied_on: Iterable[str], conditions: Iterable[str], answered: Iterable[str],
                    needed: set[str]) -> dict[str, object]:
    """The site's derived condition values, from the conditions the programme relied on, those the
    site lists, those its plan works around (`works_around`) and those core principles need."""
    lacking = set(relied_on) - set(conditions)
    worked_around = (lacking - needed) & set(answered)
    missing = tuple(sorted(lacking - worked_around))
    other = tuple(c for c in missing if c not in needed)
    return {
        "worked_around_conditions": tuple(sorted(worked_around)),
        "worked_around_condition_count": len(worked_around),
        "missing_conditions": missing,
        "missing_condition_count": len(missing),
        "missing_other_conditions": other,
        "missing_other_condition_count": len(other),
    }


def works_around(site: SiteProfile) -> tuple[str, ...]:
    """The conditions the site's plan works around: those its adaptations name, and public transport
    where a listed service provides rural transport (a community transport scheme) and is said to
    have room: one whose room is not stated is not taken to carry the families."""
    tags = {tag for a in site.adaptations for tag in a.works_around or ()}
    if any("rural_transport" in s.covers and s.has_capacity is True for s in site.existing_services or ()):
        tags.add("public_transport")
    return tuple(sorted(tags))
