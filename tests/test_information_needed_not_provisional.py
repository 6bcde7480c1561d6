"""'Information needed' waits for answers already, so no rendering calls it provisional (1141): the
text and HTML plans said so, while the Markdown plan and what-if's header still added the proviso."""

from __future__ import annotations

from pathlib import Path

from replicate.advisor import Advisor
from replicate.render.markdown import render_markdown
from replicate.render.text import render_text
from replicate.render.whatif import now
from replicate.scenarios import load_scenario
from replicate.whatif import what_if

SCENARIO = load_scenario(next((Path(__file__).resolve().parent / "scenarios").glob("1141-*.yaml")))


def test_a_plan_waiting_for_answers_is_never_called_provisional(reference_advisor: Advisor) -> None:
    plan = reference_advisor.advise(SCENARIO.programme, SCENARIO.site)
    assert plan.decision.verdict == "information_needed" and plan.decision.provisional
    assert "(provisional)" not in render_text(plan).splitlines()[3]
    heading = next(line for line in render_markdown(plan).splitlines() if line.startswith("## Decision"))
    assert "provisional" not in heading
    result = what_if(reference_advisor, SCENARIO.programme, SCENARIO.site)
    assert result.provisional and "provisional" not in now(result)
