"""What a site leaves out is asked about and lowers a theme's confidence; it never counts against a
theme, nor comes back as an action. Three examiners read a plan that asked for the area's services
(or needs), scored their absence as a medium risk, and then told the site to list them as its first
action (1864, 1891, 1892, 1895)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from replicate.advisor import Advisor
from replicate.loading import load_site
from replicate.plan import AdaptationPlan
from replicate.scenarios import load_scenario

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
BASE = load_scenario(next(SCENARIOS.glob("1882-*.yaml")))  # every section answered, favourable
LEAVABLE = ("existing_services", "local_needs", "needs_assessed", "partners", "conditions")


def _made_from_silence(plan: AdaptationPlan) -> list[str]:
    """Risks whose every fact read was not stated, that weigh or ask for something."""
    return [f.ref for f in plan.findings if not f.is_strength and f.matched
            and all(value is None for value in f.matched.values()) and (f.severity != "info" or f.action)]


def test_no_shipped_plan_scores_or_acts_on_silence(reference_advisor: Advisor) -> None:
    checked = 0
    for path in sorted(SCENARIOS.glob("*.yaml")):
        scenario = load_scenario(path)
        if scenario.site.existing_services is not None and scenario.site.local_needs is not None:
            continue
        plan = reference_advisor.advise(scenario.programme, scenario.site)
        assert _made_from_silence(plan) == [], path.name
        checked += 1
    assert checked >= 20


@settings(max_examples=20, deadline=None)
@given(left_out=st.sets(st.sampled_from(LEAVABLE), min_size=1))
def test_leaving_a_list_out_asks_for_it_once_and_never_lowers_a_score(
        durable_advisor: Advisor, left_out: set[str]) -> None:
    site: dict[str, Any] = BASE.site.model_dump(mode="json", exclude_none=True)
    whole = durable_advisor.advise(BASE.programme, load_site(site))
    for name in left_out:
        site.pop(name, None)
    plan = durable_advisor.advise(BASE.programme, load_site(site))
    assert _made_from_silence(plan) == []
    asked = {field for q in plan.missing_information for field in q.fields}
    assert any(field.startswith(f"site.{name}") for name in left_out for field in asked), asked
    # Unknown is not "no": a theme scored on what is known scores no lower than with everything given.
    before = {r.theme: r.score for r in whole.readiness}
    for theme in plan.readiness:
        if theme.score is not None and before.get(theme.theme) is not None:
            assert theme.score >= before[theme.theme], (theme.theme, left_out)
