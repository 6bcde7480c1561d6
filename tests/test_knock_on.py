"""A question is worth what its answer could do to the decision, knock-on effects included: a
service's room left unstated, where a component carrying core principles is handed to it, is one
answer away from the model being too diluted. Each claim a plan makes of such a question must come
true when it is answered, and an answer that would worsen the decision must have been announced."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from replicate.advisor import Advisor
from replicate.loading import load_programme, load_site
from replicate.plan.decision import rank
from replicate.scenarios import load_scenario

PROFILES = Path(__file__).parent.parent / "profiles"
SCENARIOS = Path(__file__).parent / "scenarios"


def _bases() -> list[tuple[str, dict[str, Any]]]:
    """Ready sites for two programmes whose components carry one or two core principles each."""
    cafe = load_scenario(next(SCENARIOS.glob("402-*.yaml")))
    holding = load_scenario(next(SCENARIOS.glob("403-*.yaml")))
    return [("cafe-families-of-offenders", cafe.site.model_dump(exclude_none=True)),
            ("holding-families", holding.site.model_dump(exclude_none=True))]


def _cases() -> list[tuple[str, dict[str, Any], str, bool]]:
    cases = []
    for programme_id, site in _bases():
        programme = load_programme(PROFILES / "programmes" / f"{programme_id}.json")
        for component in programme.components:
            for substituted in (True, False):
                cases.append((programme_id, site, component.id, substituted))
    return cases


def _site_with(site: dict[str, Any], programme_id: str, component_id: str, substituted: bool,
               has_capacity: bool | None) -> dict[str, Any]:
    """The base site with its own services and adaptations replaced by one service covering the
    whole of `component_id`'s need (its room as given) and, if `substituted`, the component handed to it."""
    programme = load_programme(PROFILES / "programmes" / f"{programme_id}.json")
    component = next(c for c in programme.components if c.id == component_id)
    data = copy.deepcopy(site)
    service: dict[str, Any] = {"id": "local_service", "name": "Local service", "covers": list(component.serves),
                               "provider": "A local provider"}
    if has_capacity is not None:
        service["has_capacity"] = has_capacity
    data["existing_services"] = [service]
    data["adaptations"] = [{"id": "hand_over", "touches": component_id, "nature": "substitute",
                            "description": "Refer families to the local service instead.",
                            "reason": "The local service already does this work.",
                            "decided_by": "partnership_board"}] if substituted else []
    return data


@pytest.mark.parametrize(("programme_id", "site", "component_id", "substituted"), _cases(),
                         ids=lambda value: value if isinstance(value, str) else None)
def test_what_a_plan_says_of_an_unstated_room_comes_true(durable_advisor: Advisor, programme_id: str,
                                                         site: dict[str, Any], component_id: str,
                                                         substituted: bool) -> None:
    programme = load_programme(PROFILES / "programmes" / f"{programme_id}.json")
    unknown = durable_advisor.advise(programme, load_site(_site_with(site, programme_id, component_id,
                                                                      substituted, None)))
    field = "site.existing_services.local_service.has_capacity"
    claims = {c.to for c in unknown.decision.could_change if c.field == field}
    for answer in (True, False):
        answered = durable_advisor.advise(programme, load_site(_site_with(site, programme_id, component_id,
                                                                           substituted, answer)))
        verdict = answered.decision.verdict
        if rank(verdict) > rank(unknown.decision.verdict):
            assert verdict in claims, (answer, verdict, claims)
    for claim in claims:
        outcomes = {durable_advisor.advise(programme, load_site(_site_with(site, programme_id, component_id,
                                                                            substituted, answer))).decision.verdict
                    for answer in (True, False)}
        assert claim in outcomes


def test_a_full_service_given_two_core_principles_is_groundwork_and_the_question_says_so(
        durable_advisor: Advisor) -> None:
    """Holding Families' direct support for children carries two core principles: handed to a
    young carers service whose room is unstated, the plan asks before deciding (a go one answer from
    "not yet" is held), and says a "no" means "not yet" because the model would be too diluted;
    answered "no", it is."""
    scenario = load_scenario(next(SCENARIOS.glob("403-*.yaml")))
    plan = durable_advisor.advise(scenario.programme, scenario.site)
    assert plan.decision.verdict == "information_needed" and plan.decision.provisional
    change = next(c for c in plan.decision.could_change if c.field.endswith("young_carers.has_capacity"))
    assert change.to == "not_yet" and "FL-DILUTED-BY-ONE-CHANGE" in change.rules
    data = scenario.site.model_dump(exclude_none=True)
    next(s for s in data["existing_services"] if s["id"] == "young_carers")["has_capacity"] = False
    full = durable_advisor.advise(scenario.programme, load_site(data))
    assert full.decision.verdict == "not_yet"
    [dilution] = [f for f in full.findings if f.rule_id == "FL-DILUTED-BY-ONE-CHANGE"]
    assert any(ref.startswith("FL-CORE-COMPONENT-TO-FULL-SERVICE@") for ref in dilution.absorbs)
    assert "DU-SERVICE-AT-CAPACITY" not in {f.rule_id for f in full.findings}
