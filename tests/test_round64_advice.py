"""Advice that round 64's examiners found wrong: a site planning no evaluation told to plan one
with a comparison and, as a second condition, to choose a comparison (2259); a one-party cut to a
core component checked on a looser test than the board's own change (2278 beside 2279); and
what-if's "ones what-if does not try" with no word of which (2287)."""

from __future__ import annotations

from pathlib import Path

from replicate.advisor import Advisor
from replicate.render.whatif import render_whatif_text
from replicate.scenarios import Scenario, load_scenario
from replicate.whatif import what_if

SCENARIOS = Path(__file__).parent / "scenarios"


def _scenario(number: str) -> Scenario:
    return load_scenario(next(SCENARIOS.glob(f"{number}-*.yaml")))


def test_no_evaluation_planned_asks_for_its_comparison_once(durable_advisor: Advisor) -> None:
    """1954's programme reports figures with no comparison, and the site names none: one condition.
    With no evaluation planned at all, the plan for one names its comparison, so choosing a comparison
    is not a second condition beside it."""
    scenario = _scenario("1954")
    before = {f.rule_id for f in durable_advisor.advise(scenario.programme, scenario.site).findings}
    assert "IM-ORIGINAL-NO-COMPARISON" in before
    site = scenario.site.model_copy(update={"evaluation": type(scenario.site.evaluation)(planned=False)})
    plan = durable_advisor.advise(scenario.programme, site)
    rules = {f.rule_id: f for f in plan.findings}
    evaluation = next(rules[r] for r in ("IM-NO-EVALUATION-NOR-FIGURES", "IM-NO-EVALUATION") if r in rules)
    assert "IM-ORIGINAL-NO-COMPARISON" not in rules
    assert "IM-ORIGINAL-NO-COMPARISON" in evaluation.absorbs
    assert evaluation.action is not None and "the comparison" in evaluation.action.done_when
    assert not any(a.do.startswith("Choose a local comparison") for a in plan.actions)


def test_a_one_party_cut_to_the_core_is_checked_against_the_evidence_as_the_boards_own_is(
        durable_advisor: Advisor) -> None:
    """The check asked of a cut one party made (its local need and how the component still carries
    the core) was looser than the one asked of the board's own cut (the evidence it was checked
    against), and said nothing of what happens if the check fails."""
    rules = durable_advisor.rule_base.by_id()
    alone = rules["FL-ADAPT-CUTS-CORE-COMPONENT"].spec.action
    owned = rules["FL-ADAPT-COMPONENT-CHANGE-OWNED"].spec.action
    assert alone is not None and owned is not None
    assert "evidence it was checked against" in owned.done_when
    assert "evidence it was checked against" in alone.done_when
    assert "withdraw the change" in alone.do


def test_a_goal_out_of_reach_says_which_changes_what_if_does_not_try(durable_advisor: Advisor) -> None:
    """2287: a city model in a rural county, where bringing delivery to where young people are is the
    way forward; what-if said only "ones what-if does not try"."""
    scenario = _scenario("2287")
    result = what_if(durable_advisor, scenario.programme, scenario.site)
    goal = result.goals[-1]
    assert goal.reached_with is None and not goal.out_of_reach
    text = " ".join(render_whatif_text(result).split())
    assert ("ones what-if does not try (adding partners, services or adaptations, or recording an action as "
            "done)") in text
