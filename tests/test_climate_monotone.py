"""A worse climate never gives a better decision. Hostile elected members, with a sponsor and a
fallback in place, made launch wait on briefing them; adding a falling funding outlook to the same
site gave "go", because the finding for both forces together absorbed the briefing (round 54, S1).
Checked over every climate the schema can state, each against one made worse on any of its axes."""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

from hypothesis import given, settings
from hypothesis import strategies as st

from replicate.advisor import Advisor
from replicate.loading import load_site
from replicate.plan.model import VERDICT_ORDER
from replicate.scenarios import load_scenario
from replicate.schema.common import EconomicClimate, FundingOutlook, PoliticalClimate

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
BASE = load_scenario(next(SCENARIOS.glob("1836-*.yaml")))  # a borough ready in every theme
AXES = {"political": get_args(PoliticalClimate), "economic": get_args(EconomicClimate),
        "funding_outlook": get_args(FundingOutlook)}
"""Each axis from the best value to the worst."""


def _advise(advisor: Advisor, climate: dict[str, Any], alternatives: bool, sponsor: bool) -> str:
    site = BASE.site.model_dump(mode="json", exclude_none=True)
    site["climate"] = {**site["climate"], **climate, "alternatives_considered": alternatives}
    site["leadership"]["strategic_sponsor"] = sponsor
    return advisor.advise(BASE.programme, load_site(site)).decision.verdict


@settings(max_examples=40, deadline=None)
@given(data=st.data(), alternatives=st.booleans(), sponsor=st.booleans())
def test_a_worse_climate_is_never_a_better_decision(
        durable_advisor: Advisor, data: st.DataObject, alternatives: bool, sponsor: bool) -> None:
    better: dict[str, Any] = {}
    worse: dict[str, Any] = {}
    for axis, values in AXES.items():
        low = data.draw(st.integers(0, len(values) - 1), label=axis)
        high = data.draw(st.integers(low, len(values) - 1), label=f"{axis} made worse")
        better[axis], worse[axis] = values[low], values[high]
    pressure = data.draw(st.booleans(), label="staffing pressure")
    better["staffing_pressure"], worse["staffing_pressure"] = pressure, pressure or data.draw(st.booleans())
    before = _advise(durable_advisor, better, alternatives, sponsor)
    after = _advise(durable_advisor, worse, alternatives, sponsor)
    assert VERDICT_ORDER.index(after) >= VERDICT_ORDER.index(before), (better, worse, before, after)
