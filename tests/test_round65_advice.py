"""Advice that round 65's examiners found wrong: the decision's method saying an unstated plan of
objectives, targeted outcomes and timeline means "information needed" where only all three left out
does (round 65 B's check of a site stating its objectives alone); and a rural condition asking for
the venues older people would use, for a programme that visits them at home (2340)."""

from __future__ import annotations

from pathlib import Path

from replicate.advisor import Advisor
from replicate.scenarios import Scenario, load_scenario

SCENARIOS = Path(__file__).parent / "scenarios"


def _scenario(number: str) -> Scenario:
    return load_scenario(next(SCENARIOS.glob(f"{number}-*.yaml")))


def test_the_method_says_a_clear_plan_is_decisive_only_when_all_of_it_is_left_out(durable_advisor: Advisor) -> None:
    """A site stating its objectives, with its targeted outcomes and timeline left out, is asked for
    them but not held at "information needed"; left out all three, it is. The method text said "the
    objectives, targeted outcomes and timeline", which a programme office read as any of them."""
    scenario = _scenario("2317")
    plan_of = scenario.site.operational_plan
    partly = scenario.site.model_copy(update={"operational_plan": type(plan_of)(
        objectives=True, documented_process=True)})
    wholly = scenario.site.model_copy(update={"operational_plan": type(plan_of)(documented_process=True)})
    asked = durable_advisor.advise(scenario.programme, partly)
    assert asked.decision.verdict != "information_needed"
    assert {"site.operational_plan.targeted_outcomes", "site.operational_plan.timeline"} <= {
        field for q in asked.missing_information for field in q.fields}
    assert durable_advisor.advise(scenario.programme, wholly).decision.verdict == "information_needed"
    assert "all three of the objectives, targeted outcomes and timeline" in " ".join(asked.decision_method.split())


def test_a_rural_condition_counts_visits_at_home_as_where_people_are_seen(durable_advisor: Advisor) -> None:
    """2340: befriending visits older people at home; the condition asked for the venues or outreach
    sessions they would use."""
    scenario = _scenario("2340")
    plan = durable_advisor.advise(scenario.programme, scenario.site)
    rural = [a for a in plan.actions if "travel line" in a.done_when]
    assert rural and all("(venues, outreach or at home)" in a.done_when for a in rural)
