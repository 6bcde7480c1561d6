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


def test_more_months_secured_come_with_a_source_that_pays_for_them(durable_advisor: Advisor) -> None:
    """One year of a two-year run funded by a one-year grant (1385). Securing the second year alone
    would leave the grant short of the months claimed (a finding of its own), and extending the grant
    alone changes nothing standing: only the pair reaches go, and what-if must find it where it said
    "no set of up to 3 changes"."""
    scenario = load_scenario(next(SCENARIOS.glob("1385-*.yaml")))
    result = what_if(durable_advisor, scenario.programme, scenario.site)
    [to_go] = [goal for goal in result.goals if goal.target == "go"]
    assert to_go.reached_with == 2
    fields = [sorted(change.field for change in suggestion.changes) for suggestion in to_go.suggestions]
    assert ["funding.months_secured", "funding.sources[Police and Crime Commissioner grant].months"] in fields
    # The grant extended alone moves nothing, so it is never offered as a single change.
    assert not any(lever.change.field.startswith("funding.sources[") for lever in result.levers)
    check_promises(durable_advisor, scenario.programme, scenario.site, result)
