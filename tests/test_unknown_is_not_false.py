"""A field the profile leaves out is unknown: it never counts as "no", and the plan asks for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from replicate.advisor import Advisor
from replicate.loading import load_programme, load_site
from replicate.plan.model import AdaptationPlan
from replicate.rules.rulebase import load_rule_base

RULES = """
rules:
  - id: T-NO-CHAMPIONS
    title: No champions
    theme: buy_in
    category: missing_buy_in
    severity: medium
    when: site.leadership.champions == 0
    advice: No champions.
    factors: [BI8]
    source: {theme: buy_in, quote: "champions who drive the programme forward"}
    basis: {kind: guidance}
  - id: T-NO-PLAN
    title: No financial plan
    theme: resources
    category: funding_gap
    severity: high
    when: not site.funding.financial_plan
    advice: No financial plan.
    factors: [RS10]
    source: {theme: resources, quote: "early financial planning is essential"}
    basis: {kind: guidance}
"""

PROGRAMME = {
    "id": "p", "name": "P", "principles": [{"id": "P1", "statement": "s", "kind": "core"}],
    "components": [{"id": "C1", "name": "c", "serves": ["debt_advice"]}],
    "proven_context": {"setting": "urban"}, "evidence": {"kind": "none"}, "costs": {"duration_months": 12},
}


@pytest.fixture(scope="module", params=["durable", "reference"])
def advisor(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Advisor:
    folder: Path = tmp_path_factory.mktemp("pack")
    (folder / "rules.yaml").write_text(RULES, encoding="utf-8")
    return Advisor(load_rule_base([folder], include_shipped=False), engine=request.param)


def _plan(advisor: Advisor, site: dict[str, object]):  # type: ignore[no-untyped-def]
    return advisor.advise(load_programme(PROGRAMME), load_site({"id": "s", "name": "S", **site}))


def test_left_out_fields_fire_nothing_and_become_questions(advisor: Advisor) -> None:
    plan = _plan(advisor, {})
    assert plan.findings == []
    asked = {q.field: q for q in plan.missing_information}
    assert asked["site.leadership.champions"].needed_by == ["T-NO-CHAMPIONS"]
    assert asked["site.funding.financial_plan"].needed_by == ["T-NO-PLAN"]
    # Funding is left out whole, so its fields are asked as one question (1738).
    assert asked["site.funding.financial_plan"].question.startswith(
        "Not stated: the funding, left out whole: whether there is an early")
    assert {s.theme: s.undetermined_rules for s in plan.readiness}["buy_in"] == 1


def test_explicit_zero_and_false_are_answers(advisor: Advisor) -> None:
    plan = _plan(advisor, {"leadership": {"champions": 0}, "funding": {"financial_plan": False}})
    assert [f.rule_id for f in plan.findings] == ["T-NO-PLAN", "T-NO-CHAMPIONS"]
    _assert_no_rule_question_and_funding_answered(plan)
    assert plan.findings[1].matched == {"site.leadership.champions": 0}


def test_explicit_good_answers_close_the_questions(advisor: Advisor) -> None:
    plan = _plan(advisor, {"leadership": {"champions": 2}, "funding": {"financial_plan": True}})
    assert plan.findings == []
    _assert_no_rule_question_and_funding_answered(plan)


def _assert_no_rule_question_and_funding_answered(plan: AdaptationPlan) -> None:
    """Every rule could decide, so no question is left for a rule; the questions that remain are the
    decision's own (local need, existing services: decisive information these sites leave out
    entirely). An answered financial plan, even 'false', means funding is no longer left out as a
    whole: what is still asked of it is its decisive facts, the months secured and the yearly
    budget (and of leadership, whether there is a lead and the lead's hours), not the whole section
    again."""
    assert [q.field for q in plan.missing_information if q.needed_by] == []
    asked = {q.field for q in plan.missing_information}
    assert not asked & {"site.leadership.champions", "site.funding.financial_plan"}
    assert {field for field in asked if field.startswith("site.funding.")} == {
        "site.funding.months_secured", "site.funding.annual_budget"}
    assert {field for field in asked if field.startswith("site.leadership.")} == {
        "site.leadership.named_lead", "site.leadership.lead_hours_per_week"}
