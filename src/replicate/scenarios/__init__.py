"""Scenarios: regression tests for advice, written from the guidance.

Each scenario file pairs a programme and a site with the decision and findings a passage of the
guidance calls for, so a council can check that a rule-pack change keeps the advice it expects:

    scenarios = load_scenarios([Path("my-scenarios")])
    results = [run_scenario(s, Advisor.from_packs([Path("my-rules")])) for s in scenarios]
"""

from .load import Scenario, load_scenario, load_scenarios, scenario_files, shipped_programmes
from .model import DECISIONS, Expectation, ExpectedDecision, FindingMatcher, Passage, ScenarioSpec
from .run import ForbiddenFinding, ScenarioResult, compare, run_scenario, summary_line

__all__ = [
    "DECISIONS",
    "Expectation",
    "ExpectedDecision",
    "FindingMatcher",
    "ForbiddenFinding",
    "Passage",
    "Scenario",
    "ScenarioResult",
    "ScenarioSpec",
    "compare",
    "load_scenario",
    "load_scenarios",
    "run_scenario",
    "scenario_files",
    "shipped_programmes",
    "summary_line",
]
