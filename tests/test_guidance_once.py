"""A finding's paragraph is shown once in the principles and components it touches (1287)."""

from __future__ import annotations

from pathlib import Path

from replicate.advisor import Advisor
from replicate.render.labels import guidance_once
from replicate.render.text import render_text
from replicate.scenarios import load_scenario

SCENARIOS = Path(__file__).parent / "scenarios"


def test_a_paragraph_shared_by_two_principles_and_a_component_is_shown_once(reference_advisor: Advisor) -> None:
    scenario = load_scenario(next(SCENARIOS.glob("1287-*.yaml")))
    plan = reference_advisor.advise(scenario.programme, scenario.site)
    shared = next(f.advice for f in plan.findings if f.rule_id.startswith("FL-ADAPT"))
    carrying = [("principle", p.id) for p in plan.principles if p.guidance == shared]
    carrying += [("component", c.id) for c in plan.components if c.guidance == shared]
    assert len(carrying) == 3  # the scenario's premise: two core principles and the component

    said = guidance_once(plan)
    first_kind, first_id = carrying[0]
    assert said[carrying[0]] == shared
    assert all(said[item] == f"As for {first_kind} {first_id}, above." for item in carrying[1:])
    # standing guidance, which is no finding's paragraph, is shown every time
    standing = [(("component", c.id), c.guidance) for c in plan.components if c.guidance != shared]
    assert standing and all(said[item] == text for item, text in standing)
    # the details print the paragraph once above the findings, and once among them
    details = " ".join(render_text(plan, detail="full").split())
    assert details.count(" ".join(shared.split())) == 2
