"""One finding about several subjects names every subject's own words in its action. Filled with
the first subject's, it told a site to agree terms with one service for five components that five
different services run (1381, and the shipped already-served example)."""

from __future__ import annotations

from pathlib import Path

from replicate.advisor import Advisor
from replicate.loading import load_programme, load_site
from replicate.scenarios import load_scenarios

ROOT = Path(__file__).resolve().parent.parent
NAMES_SERVICES = ("FL-COMPONENT-ALREADY-SERVED", "DU-SERVICE-AT-CAPACITY")


def test_the_already_served_example_names_each_components_own_service(durable_advisor: Advisor) -> None:
    plan = durable_advisor.advise(load_programme(ROOT / "profiles" / "programmes" / "resource-centre.json"),
                                  load_site(ROOT / "profiles" / "sites" / "already-served.json"))
    [served] = [f for f in plan.findings if f.rule_id == "FL-COMPONENT-ALREADY-SERVED"]
    assert len(served.subject_ids) >= 3 and served.action is not None
    services = {c.id: c.build_on for c in plan.components}
    named = [name for component in served.subject_ids for name in services[component]]
    assert len(set(named)) >= 3  # three services, one for each component
    assert all(name in served.action.do for name in named)


def test_every_grouped_action_names_every_subjects_service(reference_advisor: Advisor) -> None:
    checked = 0
    for scenario in load_scenarios([ROOT / "tests" / "scenarios"]):
        plan = reference_advisor.advise(scenario.programme, scenario.site)
        services = {c.id: c.build_on for c in plan.components}
        for finding in plan.findings:
            if finding.rule_id in NAMES_SERVICES and finding.action is not None and len(finding.subject_ids) > 1:
                for component in finding.subject_ids:
                    assert all(name in finding.action.do for name in services[component]), (scenario.path, component)
                checked += 1
    assert checked >= 5
