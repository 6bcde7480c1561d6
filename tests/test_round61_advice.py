"""Advice that round 61's examiners found wrong: a component whose change puts a core principle at
risk labelled "tailor to local need" (2141, and the shipped dropping-core example); terms asked of a
full service beside one that carries the component under signed terms (2136); briefing conditions
whose done-when did not say what clears them, and no single what-if change for them (2127, 2128);
the area's needs answered with what the programme's own parts serve (2148); "2 risks (1 met on
record)" read as one of two met (2123); and a theme with no risk said to set a condition (2130)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from whatif_support import check_promises

from replicate.advisor import Advisor
from replicate.facts.coverage import carriers, terms_agreed, without_terms
from replicate.render.text import render_text
from replicate.scenarios import Scenario, load_scenario
from replicate.schema import Component, ExistingService
from replicate.whatif import what_if

SCENARIOS = Path(__file__).parent / "scenarios"
PROFILES = Path(__file__).parent.parent / "profiles"


def _scenario(number: str) -> Scenario:
    return load_scenario(next(SCENARIOS.glob(f"{number}-*.yaml")))


def test_a_component_whose_change_puts_the_core_at_risk_is_at_risk_not_tailored(durable_advisor: Advisor) -> None:
    """dropping-core shortens the key work that carries a core principle: the principle was AT RISK
    and the component "tailor to local need", as though the cut were sound tailoring."""
    plan = durable_advisor.advise_files(PROFILES / "programmes" / "holding-families.json",
                                        PROFILES / "sites" / "dropping-core.json")
    status = {c.id: c.status for c in plan.components}
    assert status["family_key_work"] == "at_risk"
    assert "[AT RISK] family_key_work" in render_text(plan, "full")


def test_every_component_verdict_agrees_with_its_findings(durable_advisor: Advisor) -> None:
    """Over every shipped scenario: a component is at risk exactly when a risk about it puts a core
    principle at risk or leaves out a part the plan says to keep, and is neither built on nor left
    alone by a plan not to replicate; no such component reads "tailor" or "drop"."""
    seen = 0
    for path in sorted(SCENARIOS.glob("*.yaml")):
        scenario = load_scenario(path)
        plan = durable_advisor.advise(scenario.programme, scenario.site)
        refs = {f.ref: f for f in plan.findings}
        for component in plan.components:
            risky = [refs[r.finding] for r in component.reasons if r.finding in refs
                     and not refs[r.finding].is_strength
                     and (refs[r.finding].effect.principle == "at_risk"
                          or (refs[r.finding].effect.component == "drop" and refs[r.finding].effect.decision))]
            if component.status == "at_risk":
                seen += 1
                assert risky, (path.name, component.id)
            elif plan.decision.verdict != "do_not_replicate":
                assert not risky or component.status == "build_on", (path.name, component.id)
    assert seen >= 30


def test_a_component_carried_under_signed_terms_asks_no_terms_of_a_full_service(durable_advisor: Advisor) -> None:
    """The partner charity's casework, with room and terms signed, delivers the debt advice; the
    full Citizens Advice clinic beside it was asked for "the places or hours it gives" (2136)."""
    scenario = _scenario("2136")
    plan = durable_advisor.advise(scenario.programme, scenario.site)
    assert plan.decision.verdict == "go"
    [debt] = [c for c in plan.components if c.status == "build_on"]
    assert debt.build_on == ["Vale Money Advice debt casework"]


SERVICE = st.builds(
    lambda n, covers, room, terms: ExistingService(id=f"s{n}", name=f"S{n}", covers=sorted(covers),
                                                   has_capacity=room, terms_agreed=terms),
    st.integers(0, 99), st.sets(st.sampled_from(["a", "b", "c"]), min_size=1), st.sampled_from([True, False, None]),
    st.booleans())


@given(serves=st.sets(st.sampled_from(["a", "b", "c"]), min_size=1), services=st.lists(SERVICE, max_size=4))
def test_terms_are_asked_only_where_no_service_carries_the_component(
        serves: set[str], services: list[ExistingService]) -> None:
    component = Component(id="c", name="C", serves=sorted(serves))
    covering = [s for s in services if s.meets_any(component.serves)]
    carried = [s for s in covering if serves <= set(s.covers) and s.has_capacity and s.terms_agreed]
    assert bool(carriers(component, covering)) == bool(carried)
    if carried:
        assert terms_agreed(component, covering) and without_terms(component, covering) == []
    else:
        assert terms_agreed(component, covering) == (bool(covering) and all(s.terms_agreed for s in covering))
        assert without_terms(component, covering) == sorted(s.name for s in covering if not s.terms_agreed)


def test_what_if_briefs_staff_on_the_reasons_and_aims_as_one_change(durable_advisor: Advisor) -> None:
    """The plan's one condition to brief staff on both took two what-if changes, so its three
    conditions were "no set of up to 3 changes" (2127); the resubmission that met them reached go."""
    scenario = _scenario("2127")
    plan = durable_advisor.advise(scenario.programme, scenario.site)
    conditions = [a for a in plan.actions if a.phase == "before_launch"]
    result = what_if(durable_advisor, scenario.programme, scenario.site)
    go = result.goals[-1]
    assert go.target == "go" and go.reached_with == len(conditions) == 3
    check_promises(durable_advisor, scenario.programme, scenario.site, result)
    again = _scenario("2128")
    assert durable_advisor.advise(again.programme, again.site).decision.verdict == "go"


def test_the_briefing_conditions_say_what_shows_them_met(durable_advisor: Advisor) -> None:
    """The condition cleared only once staff understood, which its done-when never said, and it
    cannot be recorded under actions_done: a manager who held the sessions had nothing to show."""
    rules = durable_advisor.rule_base.by_id()
    for rule_id in ("CC-STAFF-REASONS-PARTIAL", "CC-STAFF-AIMS-PARTIAL", "CC-STAFF-REASONS-AND-AIMS-PARTIAL",
                    "CC-STAFF-AIMS-UNCLEAR", "CC-STAFF-REASONS-UNCLEAR"):
        action = rules[rule_id].spec.action
        assert action is not None and not action.recordable
        assert "staff asked afterwards can" in action.done_when, rule_id


def test_the_areas_needs_are_not_answered_with_what_the_programme_itself_needs(durable_advisor: Advisor) -> None:
    """Outcome follow-up, information sharing and staff training serve the programme, not an area's
    need: what-if answered the unstated needs with them (2148)."""
    scenario = _scenario("2148")
    own = {tag for c in scenario.programme.components if not c.serves_local_need for tag in c.serves}
    result = what_if(durable_advisor, scenario.programme, scenario.site)
    answers = [c.new for lever in result.levers for c in [lever.change] if c.field == "local_needs"]
    answers += [c.new for goal in result.goals for s in goal.suggestions for c in s.changes if c.field == "local_needs"]
    assert own and any(answers) and all(not set(a or []) & own for a in answers)


def test_risks_met_on_record_are_said_apart_from_the_open_ones(durable_advisor: Advisor) -> None:
    scenario = _scenario("2123")
    plan = durable_advisor.advise(scenario.programme, scenario.site)
    met = [s for s in plan.readiness if s.risks_met]
    assert met
    page = render_text(plan)
    for score in met:
        open_risks = f"{score.risks} open risk{'' if score.risks == 1 else 's'}"
        assert f"{open_risks} and {score.risks_met} met on record" in page
    assert "met on record)" not in page


def test_a_theme_with_no_risk_says_its_condition_is_terms_to_agree(durable_advisor: Advisor) -> None:
    scenario = _scenario("1372")
    plan = durable_advisor.advise(scenario.programme, scenario.site)
    [flexibility] = [s for s in plan.readiness if s.theme == "flexibility"]
    assert flexibility.risks == 0 and flexibility.decides
    page = render_text(plan)
    assert "sets a condition: terms to agree" in page
    assert all(len(line) <= 100 for line in page.splitlines())
