"""A change that sets several fields at once, as the plan's condition asks (1260, 1277).

What-if proposed one field at a time, so "name a lead" alone left the lead's hours unknown (the
decision then waits for them) and "plan an evaluation" alone left it unsystematic: the plan said "go
once its conditions are met" while what-if said no set of changes reached go.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from whatif_support import check_promises

from replicate.advisor import Advisor
from replicate.scenarios import load_scenario
from replicate.whatif import what_if
from replicate.whatif.catalogue import Catalogue, load_catalogue
from replicate.whatif.levers import LeverFinder

SCENARIOS = Path(__file__).parent / "scenarios"


@pytest.mark.parametrize(("number", "changes"), [("1277", 1), ("1260", 2)])
def test_what_if_reaches_go_with_the_plans_own_conditions(durable_advisor: Advisor, number: str,
                                                          changes: int) -> None:
    scenario = load_scenario(next(SCENARIOS.glob(f"{number}-*.yaml")))
    plan = durable_advisor.advise(scenario.programme, scenario.site)
    assert plan.decision.verdict == "go_with_conditions" and len(plan.decision.conditions) == changes
    result = what_if(durable_advisor, scenario.programme, scenario.site)
    go = result.goals[-1]
    assert go.target == "go" and go.reached_with == changes, go
    check_promises(durable_advisor, scenario.programme, scenario.site, result)


def test_a_bundle_sets_only_what_the_site_has_less_of(durable_advisor: Advisor) -> None:
    """Appointing a lead never cuts hours, standing or a deputy the profile already states."""
    scenario = load_scenario(next(SCENARIOS.glob("1277-*.yaml")))
    leadership = scenario.site.leadership.model_copy(update={"lead_hours_per_week": 20, "lead_influence": "high",
                                                             "succession_plan": True})
    site = scenario.site.model_copy(update={"leadership": leadership})
    parameters = {name: p.spec.value for name, p in durable_advisor.rule_base.parameters.items()}
    finder = LeverFinder(scenario.programme, site, durable_advisor.rule_base.rules, load_catalogue(), parameters)
    [lead] = [c for c in finder.changes() if c.slot.path == "leadership.named_lead"]
    also = {slot.path: value for slot, value in lead.also}
    assert "leadership.lead_hours_per_week" not in also
    assert "leadership.lead_influence" not in also and "leadership.succession_plan" not in also
    assert also["leadership.lead_skills"] == "high" and also["leadership.lead_local_knowledge"] is True
    # From nothing stated, the hours are the rule base's own line, not a number of the catalogue's.
    finder = LeverFinder(scenario.programme, scenario.site, durable_advisor.rule_base.rules, load_catalogue(),
                         parameters)
    [lead] = [c for c in finder.changes() if c.slot.path == "leadership.named_lead"]
    hours = dict((slot.path, value) for slot, value in lead.also)["leadership.lead_hours_per_week"]
    assert hours == parameters["lead_hours_min"]


def test_a_bundle_cannot_set_a_field_the_site_cannot_change() -> None:
    data = load_catalogue().model_dump(by_alias=True)
    lead = next(c for c in data["changes"] if c["path"] == "leadership.named_lead")
    lead["with"] = {**lead["with"], "climate.political": "supportive"}
    with pytest.raises(ValidationError, match=r"climate\.political is listed as fixed"):
        Catalogue.model_validate(data)
