"""A component that carries no core principle may be left out, but not when it meets a need the area
has shown that nothing else will meet (1460): tailoring is "to need". A step folded into another part
of the programme (434) or handed to a local service keeps the need met, and stays tailoring."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from replicate import Advisor
from replicate.facts.coverage import need_kept
from replicate.scenarios import load_scenario
from replicate.schema import Component, ExistingService

SCENARIOS = Path(__file__).parent / "scenarios"
RULE = "FL-ADAPT-DROPS-NEEDED-COMPONENT"


def _rules(advisor: Advisor, number: str) -> set[str]:
    scenario = load_scenario(next(SCENARIOS.glob(f"{number}-*.yaml")))
    return {f.rule_id for f in advisor.advise(scenario.programme, scenario.site).findings}


def test_a_needed_component_left_with_nobody_to_meet_its_need_is_a_condition(durable_advisor: Advisor) -> None:
    assert RULE in _rules(durable_advisor, "1460")


def test_a_step_folded_into_another_part_is_still_tailoring(durable_advisor: Advisor) -> None:
    found = _rules(durable_advisor, "434")
    assert RULE not in found and "FL-ADAPT-DROPS-COMPONENT" in found


TAGS = st.sets(st.sampled_from(["a", "b", "c", "d", "e"]), max_size=4)


@given(serves=TAGS.filter(bool), kept=TAGS, covered=TAGS, shown=TAGS)
def test_a_need_counts_as_kept_exactly_when_something_left_serves_it(
        serves: set[str], kept: set[str], covered: set[str], shown: set[str]) -> None:
    component = Component(id="gone", name="Gone", serves=sorted(serves))
    others = [Component(id="stays", name="Stays", serves=sorted(kept))] if kept else []
    services = [ExistingService(id="svc", name="Service", covers=sorted(covered))] if covered else []
    left = (serves & shown) - kept - covered
    assert need_kept(component, others, services, sorted(shown)) is (not left)
    # With the area's services not listed, only what the programme keeps can answer for the need.
    unlisted = need_kept(component, others, None, sorted(shown))
    assert unlisted is (True if not (serves & shown) - kept else None)
