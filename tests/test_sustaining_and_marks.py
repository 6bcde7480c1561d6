"""After launch, and what a finding rests on: the plan's sustaining section, and the marks that tell
a reader where advice rests on a reading of the guidance, a local number or an illustrative fact."""

from __future__ import annotations

from itertools import pairwise

from conftest import PROFILES

from replicate.advisor import Advisor
from replicate.plan import AdaptationPlan
from replicate.render.markdown import render_markdown
from replicate.render.text import render_text


def _plan(advisor: Advisor, site: str, programme: str) -> AdaptationPlan:
    return advisor.advise_files(PROFILES / "programmes" / f"{programme}.json", PROFILES / "sites" / f"{site}.json")


def test_sustaining_checks_each_core_principle_and_dates_the_reviews(durable_advisor: Advisor) -> None:
    plan = _plan(durable_advisor, "well-prepared", "cafe-families-of-offenders")
    core = {p.id for p in plan.principles if p.kind == "core"}
    assert {check.principle for check in plan.sustaining.fidelity_checks} == core
    every = next(p.value for p in plan.parameters if p.name == "review_every_months")
    months = [review.month for review in plan.sustaining.reviews]
    assert months and months[0] == every and all(b - a == every for a, b in pairwise(months))
    assert "cost/benefit" in plan.sustaining.cost_benefit
    assert any("funding" in trigger for trigger in plan.sustaining.reassess_when)
    assert "After launch" in render_text(plan, "full") and "After launch" in render_markdown(plan)


def test_findings_resting_on_a_local_choice_or_illustrative_fact_say_so(durable_advisor: Advisor) -> None:
    plan = _plan(durable_advisor, "rural-county", "cafe-families-of-offenders")
    local = [f for f in plan.findings if f.rests_on_local_choice and f.parameters]
    illustrative = [f for f in plan.findings if f.illustrative_facts]
    assert local and illustrative
    text = render_text(plan, "full")
    for finding in local:
        parameter = next(p for p in finding.parameters if p.basis != "guidance")
        assert f"{parameter.name} = " in text
    assert "Rests on illustrative programme facts" in text
    assert "Basis: a local default" in text or "Basis: a reading of the guidance" in text


def test_every_plan_records_the_numbers_it_used(durable_advisor: Advisor) -> None:
    plan = _plan(durable_advisor, "sparse", "cafe-families-of-offenders")
    names = {p.name for p in plan.parameters}
    assert {"decision_theme_floor", "decision_medium_risks_per_high", "readiness_keeps_high"} <= names
    assert all(p.reason and p.unit for p in plan.parameters)
