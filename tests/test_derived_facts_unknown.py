"""Derived facts never turn "not stated" into "no".

For every generated programme and site, and every field the site states, leaving that field out
must leave each derived value (counts, shares, overlaps, what a principle lacks) either unchanged
or unknown: never false, zero or a smaller count. Otherwise a plan could assert that "none of the
2 partners shares information" when nobody said.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, given, settings
from strategies import programme_and_site

from replicate.errors import InputError
from replicate.facts import DERIVED_MODELS, FactBuilder, FlatFact, months_from_sources
from replicate.loading import load_programme, load_site

Path_ = tuple[str | int, ...]


def _stated(data: Any, path: Path_ = ()) -> Iterator[Path_]:
    """Every stated leaf or list of the site, as a path into the dict."""
    if isinstance(data, dict):
        for key, value in data.items():
            # Ids and names are required; `adaptations` lists the changes the site plans, so leaving
            # it out means none are planned (the schema's default), not that they are unknown.
            if key in ("id", "name", "adaptations"):
                continue
            yield from _stated(value, (*path, key))
            if not isinstance(value, dict):
                yield (*path, key)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            if isinstance(item, dict):
                yield from _stated(item, (*path, index))


def _without(site: dict[str, Any], path: Path_) -> dict[str, Any]:
    copied = copy.deepcopy(site)
    node: Any = copied
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return copied


def _derived(programme: dict[str, Any], site: dict[str, Any]) -> dict[tuple[str, str], FlatFact] | None:
    try:
        builder = FactBuilder(load_programme(programme), load_site(site))
    except InputError:
        return None  # a required field: it cannot be left out, so it is never unknown
    derived_names = {subject: {f"{subject}.{name}" for name in model.model_fields}
                     for subject, model in DERIVED_MODELS.items()}
    result: dict[tuple[str, str], FlatFact] = {}
    for fact in builder.subject_facts():
        names = derived_names["site"] | derived_names.get(fact.subject, set())
        result[(fact.subject, fact.key)] = {k: v for k, v in fact.values.items() if k in names}
        result[(fact.subject, fact.key)].update({k: "<unknown>" for k in names if k not in fact.values})
    return result


AT_LEAST = {"site.partners_meeting_regularly", "site.partners_with_live_history", "site.partners_with_informal_contact",
            "site.partners_sharing_information", "site.critical_partners_not_on_board"}
"""Counts that give at least the partners known to, when there is one, rather than unknown."""
KNOWN_TO = {"site.critical_partners_cut_off_names", "site.critical_partners_not_on_board_names",
            "site.partner_contributions", "site.evaluation_parts_described", "site.partners_bringing_skills",
            "site.partners_bringing_funding", "site.partners_bringing_profile", "site.external_forces",
            "site.involved_partner_contributions", "principle.known_unmet_needs", "component.covered_by_without_room"}
"""Lists of what is known to be so (partners, parts of an evaluation): leaving a field out can only
take names off."""


def _within_bounds(name: str, value: Any, now: Any) -> bool | None:
    """Whether a bound moved the way a field left out can move it (the fewest there can be only
    falls, the most only rises, the names of those known to only shrink); None if not a bound."""
    if name.endswith(("_at_least", "_at_most")) and now in (value, "<unknown>"):
        return True
    if name.endswith("_at_least"):
        return isinstance(now, int) and isinstance(value, int) and now <= value
    if name.endswith("_at_most"):
        return isinstance(now, int) and isinstance(value, int) and now >= value
    if name in KNOWN_TO:
        return now == "<unknown>" or set(now) <= set(value)
    if name == "site.source_months_total":
        # A source that leaves its months out can only add to the total, so the total given beside
        # one is the least the sources come to: leaving another source's months out lowers it.
        return now == "<unknown>" or (isinstance(now, int | float) and isinstance(value, int | float)
                                      and now <= value)
    return None

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programme_and_site())
def test_leaving_a_field_out_makes_derived_values_unknown_or_leaves_them(pair: tuple[dict[str, Any], dict[str, Any]]
                                                                          ) -> None:
    programme, site = pair
    before = _derived(programme, site)
    assert before is not None
    for path in _stated(site):
        left = _without(site, path)
        after = _derived(programme, left)
        if after is None:
            continue
        # The one field another field answers: a total of months secured left out is read from the
        # sources when every one is secure and covers the run (the stated total wins while stated).
        from_sources = months_from_sources(load_site(left), programme["costs"]["duration_months"])
        answered = ({"site.funding_coverage": from_sources / programme["costs"]["duration_months"]}
                    if path == ("funding", "months_secured") and from_sources is not None else {})
        for key, values in before.items():
            if key not in after:
                continue  # the subject itself went (a list of partners left out)
            for name, value in values.items():
                now = after[key][name]
                if name in answered:
                    assert now == answered[name]
                    continue
                bounded = _within_bounds(name, value, now)
                if bounded is not None:
                    assert bounded, (path, name, value, now)
                    continue
                if name in AT_LEAST and now != "<unknown>":
                    # A count of partners known to (meet, share...) counts those that are known to.
                    assert now == value or (isinstance(value, int) and isinstance(now, int) and 1 <= now <= value), (
                        path, name)
                    continue
                assert now in (value, "<unknown>"), (
                    f"leaving out {'.'.join(map(str, path))} turned {name} of {key} from {value!r} into {now!r}")
