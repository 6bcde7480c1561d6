"""The readiness table says which themes hold the decision. A board read "Impact 70" beside "not
yet" as the theme being sound, when one finding of that theme held the decision (1390): a score
counts risks, and each risk declares its own effect, so the two can disagree."""

from __future__ import annotations

from pathlib import Path

from replicate.advisor import Advisor
from replicate.render.labels import decides_label
from replicate.render.markdown import render_markdown
from replicate.render.text import render_text
from replicate.scenarios import load_scenarios

SCENARIOS = Path(__file__).resolve().parent / "scenarios"


def test_a_theme_is_marked_exactly_when_one_of_its_findings_is_a_reason(reference_advisor: Advisor) -> None:
    marked_plans = 0
    for scenario in load_scenarios([SCENARIOS]):
        plan = reference_advisor.advise(scenario.programme, scenario.site)
        theme_of = {f.rule_id: f.theme for f in plan.findings}
        reasons = {theme_of[ref.strip().split("@")[0]] for reason in plan.decision.reasons
                   for ref in reason.finding.split(",") if ref.strip()}
        marked = {r.theme for r in plan.readiness if r.decides}
        assert marked == reasons, scenario.path
        # Every decision short of "go" that rests on findings names a theme holding it.
        if plan.decision.verdict in ("go_with_conditions", "not_yet", "do_not_replicate"):
            assert marked, scenario.path
            marked_plans += 1
        elif plan.decision.verdict == "go":
            assert not marked, scenario.path
        labels = {decides_label(r, plan.decision.verdict) for r in plan.readiness if r.decides}
        for label in labels:
            assert label and label in render_text(plan) and label in render_markdown(plan), scenario.path
    assert marked_plans > 500
