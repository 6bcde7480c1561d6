"""Advice that round 58's examiners found wrong or hard to act on: what-if needing more changes than
the plan has conditions, a second condition asking for the evaluation plan the first asks for, an
extended funding source that left a year unfunded, and a theme scored 100 beside "1 risk"."""

from __future__ import annotations

from pathlib import Path

import pytest
from whatif_support import check_promises

from replicate.advisor import Advisor
from replicate.plan.decide import terms_to_agree
from replicate.scenarios import Scenario, load_scenario
from replicate.whatif import what_if

SCENARIOS = Path(__file__).parent / "scenarios"
NO_EVALUATION = {"IM-NO-EVALUATION", "IM-NO-EVALUATION-NOR-FIGURES", "IM-PILOT-WITHOUT-EVALUATION"}


def _scenario(number: str) -> Scenario:
    return load_scenario(next(SCENARIOS.glob(f"{number}-*.yaml")))


@pytest.mark.parametrize(("first", "resubmitted"), [("2017", "2018"), ("2011", "2012")])
def test_what_if_reaches_go_in_as_many_changes_as_the_plan_has_conditions(
        durable_advisor: Advisor, first: str, resubmitted: str) -> None:
    """The lead's hours and their pay are one condition (2017), so are a grant confirmed and the
    months it secures (2011), and terms signed with one service clear a condition though they resolve
    no risk: what-if said no three changes reach go, and the resubmissions that met the three
    conditions reached it."""
    scenario = _scenario(first)
    plan = durable_advisor.advise(scenario.programme, scenario.site)
    conditions = [a for a in plan.actions if a.phase == "before_launch"]
    result = what_if(durable_advisor, scenario.programme, scenario.site)
    go = result.goals[-1]
    assert go.target == "go" and go.reached_with == len(conditions) == 3, go
    cleared = {action.do for suggestion in go.suggestions for action in suggestion.actions}
    assert cleared >= {action.do for action in conditions}
    again = _scenario(resubmitted)
    assert durable_advisor.advise(again.programme, again.site).decision.verdict == "go"
    check_promises(durable_advisor, scenario.programme, scenario.site, result)


def test_terms_signed_with_a_service_show_among_the_single_changes(durable_advisor: Advisor) -> None:
    scenario = _scenario("2011")
    result = what_if(durable_advisor, scenario.programme, scenario.site)
    terms = [lever for lever in result.levers if lever.change.field.endswith(".terms_agreed")]
    assert terms and all(lever.resolves for lever in terms)
    findings = {f.ref: f for f in durable_advisor.advise(scenario.programme, scenario.site).findings}
    # What it clears is the service's condition; no risk is listed as resolved by it.
    assert all(terms_to_agree(findings[ref]) for lever in terms for ref in lever.resolves)


def test_sources_running_side_by_side_are_extended_from_where_the_funding_ends(durable_advisor: Advisor) -> None:
    """Two 12-month sources securing 12 months run side by side: securing the whole 36-month run
    extends one of them to 36 months, not to 24 (2021)."""
    scenario = _scenario("2021")
    result = what_if(durable_advisor, scenario.programme, scenario.site)
    [change] = result.goals[-1].suggestions[0].changes
    assert (change.field, change.new) == ("funding.months_secured", 36)
    assert [(c.field.endswith("].months"), c.new) for c in change.also] == [(True, 36)]


def test_one_field_offers_one_value_for_each_decision(durable_advisor: Advisor) -> None:
    """18 and 19 months side by side, one line of readiness apart, read as thresholds to aim at."""
    scenario = _scenario("2021")
    result = what_if(durable_advisor, scenario.programme, scenario.site)
    shapes = [(lever.change.field, lever.verdict) for lever in result.levers]
    assert len(shapes) == len(set(shapes))


def test_with_no_evaluation_planned_what_an_evaluation_collects_is_asked_for_once(durable_advisor: Advisor) -> None:
    """A core principle needing statistical outcome data, at a site planning no evaluation, was a
    second condition met by the same evaluation plan (1625, 1997, 2028). Over every shipped scenario,
    no plan holds both; a principle that lacks something else as well is still judged on it."""
    both = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        scenario = load_scenario(path)
        findings = durable_advisor.advise(scenario.programme, scenario.site).findings
        if not {f.rule_id for f in findings} & NO_EVALUATION:
            continue
        needs = {p.id: p.needs for p in scenario.programme.principles}
        for finding in findings:
            if finding.rule_id == "FL-PRINCIPLE-NEED-UNMET":
                fields = [n.field or "" for n in needs[finding.subject_id]]
                if all(field.startswith("evaluation.") for field in fields):
                    both.append(path.name)
    assert not both


def test_a_risk_met_on_record_is_counted_apart_from_the_risks_that_weigh(durable_advisor: Advisor) -> None:
    """'Impact 100, 1 risk' read as a contradiction (2021): a risk whose launch condition the site
    records as done weighs nothing, and the table says it is met on record."""
    seen = 0
    for path in sorted(SCENARIOS.glob("*.yaml")):
        scenario = load_scenario(path)
        if not scenario.site.actions_done:
            continue
        plan = durable_advisor.advise(scenario.programme, scenario.site)
        for score in plan.readiness:
            mine = [f for f in plan.findings if f.theme == score.theme and not f.is_strength and f.severity != "info"]
            assert score.risks == sum(1 for f in mine if f.done is None)
            assert score.risks_met == sum(1 for f in mine if f.done is not None)
            assert (score.score == 100) == (score.risks == 0)
            seen += score.risks_met
    assert seen > 0
