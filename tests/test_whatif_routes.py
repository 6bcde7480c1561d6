"""Routes what-if offers besides money: a site whose budget is half the cost can build the work into
posts it already pays for (its twin 1377 does, and the guidance says such costs are "potentially
mitigated"), but it cannot make the programme an extension of work the area does not do."""

from __future__ import annotations

from pathlib import Path

from whatif_support import check_promises

from replicate.advisor import Advisor
from replicate.scenarios import load_scenario
from replicate.whatif import what_if
from replicate.whatif.catalogue import load_catalogue

SCENARIOS = Path(__file__).parent / "scenarios"


def test_a_budget_far_short_of_the_cost_can_be_met_by_existing_roles(durable_advisor: Advisor) -> None:
    first = load_scenario(next(SCENARIOS.glob("1376-*.yaml")))
    twin = load_scenario(next(SCENARIOS.glob("1377-*.yaml")))
    result = what_if(durable_advisor, first.programme, first.site)
    assert result.verdict == "not_yet"
    [roles] = [lever for lever in result.levers if lever.change.field == "funding.extends_existing_roles"]
    assert roles.change.new is True and not roles.change.also
    # The twin that built the work into existing roles gets what the lever promised.
    assert durable_advisor.advise(twin.programme, twin.site).decision.verdict == roles.verdict == "go_with_conditions"
    check_promises(durable_advisor, first.programme, first.site, result)


def test_extending_existing_work_is_a_fact_of_the_area_not_a_change() -> None:
    catalogue = load_catalogue()
    assert catalogue.change_for("funding.extends_existing_work") is None
    assert "funding.extends_existing_work" in catalogue.fixed
