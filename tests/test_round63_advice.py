"""Advice that round 62's and 63's examiners found wrong: what-if showing an answer's hoped-for
effect with no word that another answer could make things worse (2252); a groundwork item whose
done-when asked for a lead, a sponsor and a champion where any one of them lifts it (2250); a site
with no partner at all told to find partners and, as a second item, who covers each kind of partner
(2199); a board's decision to hand a core component to the service that already meets its need
left unsaid in the plan (2221); and what-if's "engage families" for a programme for young people
(2256)."""

from __future__ import annotations

from pathlib import Path

from whatif_support import check_promises

from replicate.advisor import Advisor
from replicate.plan.decision import rank
from replicate.render.whatif import render_whatif_text
from replicate.scenarios import Scenario, load_scenario, scenario_files
from replicate.whatif import what_if
from replicate.whatif.profile import question_slot

SCENARIOS = Path(__file__).parent / "scenarios"


def _scenario(number: str) -> Scenario:
    return load_scenario(next(SCENARIOS.glob(f"{number}-*.yaml")))


def test_an_answer_says_what_another_answer_could_bring(durable_advisor: Advisor) -> None:
    """2252 leaves its leadership out: what-if said the lead's hours alone reach "go" (provisional),
    beside a plan saying the missing leadership could mean "not yet"."""
    scenario = _scenario("2252")
    plan = durable_advisor.advise(scenario.programme, scenario.site)
    worse = {question_slot(c.field): c.to for c in plan.decision.could_change
             if rank(c.to) > rank(plan.decision.verdict)}
    result = what_if(durable_advisor, scenario.programme, scenario.site)
    changes = [c for goal in result.goals for s in goal.suggestions for c in s.changes]
    changes += [lever.change for lever in result.levers]
    answers = [c for c in changes if c.kind == "answer"]
    assert answers
    for change in changes:
        if change.kind != "answer" or change.field not in worse:
            assert change.another_answer_could is None
        else:  # the worst the plan says another answer could bring
            assert change.another_answer_could == max((c.to for c in plan.decision.could_change
                                                       if question_slot(c.field) == change.field), key=rank)
    assert any(c.another_answer_could == "not_yet" for c in answers)
    assert "another answer could make it: not yet" in render_whatif_text(result)
    check_promises(durable_advisor, scenario.programme, scenario.site, result)


def test_the_groundwork_for_nobody_driving_it_is_done_when_someone_does(durable_advisor: Advisor) -> None:
    """2250 has no lead, sponsor or champion. Any one of them lifts "not yet" (a champion can drive
    it; a sponsor can find a lead), and what-if said so, but the done-when asked for all three."""
    scenario = _scenario("2250")
    plan = durable_advisor.advise(scenario.programme, scenario.site)
    assert plan.decision.verdict == "not_yet"
    finding = next(f for f in plan.findings if f.rule_id == "BI-NOBODY-TO-DRIVE-IT")
    assert finding.action is not None and "a lead, a sponsor or a champion" in finding.action.done_when
    result = what_if(durable_advisor, scenario.programme, scenario.site)
    lifting = [s for s in result.goals[0].suggestions
               if any(r.rule_id == "BI-NOBODY-TO-DRIVE-IT" for r in s.resolves)]
    assert {c.field for s in lifting for c in s.changes} >= {"leadership.champions", "leadership.strategic_sponsor"}


def test_no_partner_at_all_is_one_item_not_two(durable_advisor: Advisor) -> None:
    """2199: one school alone was told to find and sign up partners, and then, as a second item, who
    covers the role of each kind of partner the original had: one gap."""
    scenario = _scenario("2199")
    plan = durable_advisor.advise(scenario.programme, scenario.site)
    rules = {f.rule_id: f for f in plan.findings}
    assert "PW-NO-SUITABLE-PARTNERS" in rules and "FL-PARTNER-TYPES-MISSING" not in rules
    assert "FL-PARTNER-TYPES-MISSING" in rules["PW-NO-SUITABLE-PARTNERS"].absorbs
    assert not any("each kind of partner the original had" in a.do for a in plan.actions)


def test_a_core_component_handed_to_the_service_meeting_its_need_is_named(durable_advisor: Advisor) -> None:
    """Over every shipped scenario: where the partnership board hands a component carrying a core
    principle to a service that already meets its need, the plan names the change (2221's plan never
    mentioned it, as signed terms asked nothing more)."""
    seen = 0
    for path in scenario_files([SCENARIOS]):
        scenario = load_scenario(path)
        core = {p.id for p in scenario.programme.principles if p.kind == "core"}
        carrying = {c.id for c in scenario.programme.components if set(c.principles) & core}
        handed = [a.id for a in scenario.site.adaptations if a.nature == "substitute" and a.touches in carrying
                  and a.decided_by in ("partnership_board", "service_users")]
        if not handed:
            continue
        plan = durable_advisor.advise(scenario.programme, scenario.site)
        named = {sid for f in plan.findings if f.subject == "adaptation" for sid in f.subject_ids}
        assert set(handed) <= named, path.name
        seen += 1
    assert seen >= 10


def test_what_if_speaks_of_the_people_the_programme_serves(durable_advisor: Advisor) -> None:
    """2256, a programme for young people: what-if said "Engage families in shaping the programme"."""
    scenario = _scenario("2256")
    result = what_if(durable_advisor, scenario.programme, scenario.site)
    labels = [lever.change.label for lever in result.levers]
    assert f"Engage {scenario.programme.clients.plural} in shaping the programme" in labels
    assert scenario.programme.clients.plural != "families"
