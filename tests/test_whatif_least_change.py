"""What-if proposes the least change that keeps a plan's promise (round 38).

A lead with little influence and no sponsor was told by the plan to win a seat at the board, yet
what-if could not raise the lead's standing at all (1073); a rural site told to cost travel could
not record that its home visits work around the missing buses (1106); and once the lead's standing
could be raised, "to partial" and "to high" were listed as two ways where one is the smaller step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from whatif_support import check_promises

from replicate.advisor import Advisor
from replicate.loading import load_site
from replicate.scenarios import load_scenario
from replicate.whatif import what_if

SCENARIOS = Path(__file__).resolve().parent / "scenarios"


def _scenario(number: int) -> Any:
    return load_scenario(next(SCENARIOS.glob(f"{number}-*.yaml")))


def test_of_two_ways_a_graded_step_apart_only_the_smaller_is_listed(durable_advisor: Advisor) -> None:
    scenario = _scenario(1073)
    result = what_if(durable_advisor, scenario.programme, scenario.site)
    go = result.goals[-1]
    assert go.target == "go" and go.reached_with == 2
    raised = [change.new for suggestion in go.suggestions for change in suggestion.changes
              if change.field == "leadership.lead_influence"]
    assert raised == ["partial"]
    check_promises(durable_advisor, scenario.programme, scenario.site, result)


def test_an_adaptation_can_be_planned_around_missing_buses(durable_advisor: Advisor) -> None:
    """1106 is 1103 with every condition its plan set met; without the home visits recorded as
    working around the buses, the travel condition is left, and what-if offers that change."""
    scenario = _scenario(1106)
    data = scenario.site.model_dump(mode="json", exclude_none=True)
    for adaptation in data["adaptations"]:
        adaptation.pop("works_around", None)
    site = load_site(data)
    assert "FL-RURAL-TRAVEL-UNMET" in {f.rule_id for f in durable_advisor.advise(scenario.programme, site).findings}
    result = what_if(durable_advisor, scenario.programme, site)
    go = result.goals[-1]
    assert go.target == "go" and go.reached_with == 1
    [suggestion] = go.suggestions
    [change] = suggestion.changes
    assert change.field == "adaptations[home_visits].works_around" and change.new == ["public_transport"]
    check_promises(durable_advisor, scenario.programme, site, result)


def test_finding_out_a_number_is_shown_with_the_answer_that_serves_best(durable_advisor: Advisor) -> None:
    """The lead's hours, not stated: any answer lifts "information needed", and the least move from
    nothing was the worst answer, so a board was shown "find out the lead's hours: 0" as its way up
    (1876). An answer is a fact to find out, not a step to take: the best outcome is shown."""
    scenario = _scenario(1876)
    assert scenario.site.leadership.lead_hours_per_week is None
    result = what_if(durable_advisor, scenario.programme, scenario.site)
    hours = [change for goal in result.goals for suggestion in goal.suggestions for change in suggestion.changes
             if change.field == "leadership.lead_hours_per_week"]
    assert hours and all(change.kind == "answer" and change.new for change in hours)
    check_promises(durable_advisor, scenario.programme, scenario.site, result)
