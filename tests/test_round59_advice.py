"""Advice that round 59's examiners found wrong: a site that leaves out a component because a service
it runs meets the need, under signed terms, held at "not yet" for diluting the model (2074); an owner's
question that could add a condition counted as one that none could change (2039); and a condition
cut from the first page to keep the strengths (833)."""

from __future__ import annotations

from pathlib import Path

import pytest

from replicate.advisor import Advisor
from replicate.loading import load_site
from replicate.scenarios import load_scenario
from replicate.schema import Programme, SiteProfile

SCENARIOS = Path(__file__).parent / "scenarios"
DROPS = {"FL-ADAPT-DROPS-CORE-COMPONENT", "FL-ADAPT-DROPS-SHARED-CORE-COMPONENT"}


def _removal(decided_by: str, core_checked: bool, service_kept: bool) -> tuple[Programme, SiteProfile]:
    scenario = load_scenario(next(SCENARIOS.glob("2074-*.yaml")))
    site = scenario.site.model_dump(mode="json", exclude_none=True)
    [change] = site["adaptations"]
    change.update(decided_by=decided_by, core_checked=core_checked)
    if not service_kept:
        site["existing_services"] = [s for s in site["existing_services"] if "parenting_support" not in s["covers"]]
    return scenario.programme, load_site(site)


@pytest.mark.parametrize(("decided_by", "core_checked", "service_kept", "fired", "verdict"), [
    # The board left the programme's own groups out for the borough's, under signed terms, and checked it.
    ("partnership_board", True, True, set(), "go"),
    # Not yet checked against the core, or decided by one party: the board checks it before launch.
    ("partnership_board", False, True, {"FL-ADAPT-DROPS-SHARED-CORE-COMPONENT"}, "go_with_conditions"),
    ("local_lead", True, True, {"FL-ADAPT-DROPS-SHARED-CORE-COMPONENT"}, "go_with_conditions"),
    # Nothing else meets the need the area has shown: the model is diluted, whoever decided it.
    ("partnership_board", True, False, {"FL-ADAPT-DROPS-CORE-COMPONENT"}, "not_yet"),
])
def test_leaving_out_a_component_whose_need_a_local_service_meets_is_not_dilution(
        durable_advisor: Advisor, decided_by: str, core_checked: bool, service_kept: bool, fired: set[str],
        verdict: str) -> None:
    programme, site = _removal(decided_by, core_checked, service_kept)
    plan = durable_advisor.advise(programme, site)
    assert {f.rule_id for f in plan.findings} & DROPS == fired
    assert plan.decision.verdict == verdict


def test_an_owner_question_that_could_add_a_condition_is_said_on_the_first_page(durable_advisor: Advisor) -> None:
    """Counted among the owner's questions that "none could change the decision", when outcomes are
    measured came up as a question to answer first only once the site had met every condition (2039,
    then 2040)."""
    from replicate.render.text import render_text

    scenario = load_scenario(next(SCENARIOS.glob("2039-*.yaml")))
    plan = durable_advisor.advise(scenario.programme, scenario.site)
    listed = set(map(id, plan.summary.questions))
    held = [q for q in plan.missing_information if q.answer_by == "programme owner" and id(q) not in listed]
    assert plan.summary.for_programme_owner_adding == sum(1 for q in held if q.adds_condition) == 1
    page = " ".join(render_text(plan).split("Details (principles")[0].split())
    assert "none could change the decision, but 1 could add a condition to meet before launch." in page


def test_every_condition_stays_on_the_first_page_before_the_strengths_do(durable_advisor: Advisor) -> None:
    """833's sixth condition was cut from the first page to keep three strengths the details list."""
    from replicate.render.text import render_text

    scenario = load_scenario(next(SCENARIOS.glob("833-*.yaml")))
    plan = durable_advisor.advise(scenario.programme, scenario.site)
    conditions = [a for a in plan.actions if a.phase == "before_launch"]
    page = render_text(plan).split("Details (principles")[0]
    assert len(conditions) == 6
    assert all(f"{n:>2}. " in page for n in range(1, 7)) and "STRENGTHS TO BUILD ON" not in page
