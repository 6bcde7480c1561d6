"""What a plan says in one place, it says the same way everywhere: over every shipped scenario, an
action the decision makes a condition is listed before launch, and no open question is one whose
rule a finding already made would absorb (asking it could add nothing to the advice)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PROFILES

from replicate.advisor import Advisor
from replicate.facts import FactBuilder
from replicate.loading import load_programme, load_site
from replicate.render import render_html, render_markdown, render_text
from replicate.scenarios import Scenario, load_scenario, scenario_files

SCENARIOS = Path(__file__).parent / "scenarios"


@pytest.fixture(scope="module")
def scenarios() -> list[Scenario]:
    return [load_scenario(path) for path in scenario_files([SCENARIOS])]


def test_conditions_and_groundwork_are_listed_before_launch(durable_advisor: Advisor,
                                                             scenarios: list[Scenario]) -> None:
    checked = 0
    for scenario in scenarios:
        plan = durable_advisor.advise(scenario.programme, scenario.site)
        required = {c.do for c in (*plan.decision.conditions, *plan.decision.groundwork)}
        for action in plan.actions:
            if action.do in required:
                checked += 1
                assert action.phase == "before_launch", (scenario.path.name, action.do)
    assert checked > 50


def test_no_open_rule_is_one_a_finding_already_made_would_absorb(durable_advisor: Advisor,
                                                                 scenarios: list[Scenario]) -> None:
    rules = durable_advisor.rule_base.by_id()
    for scenario in scenarios:
        findings, undetermined = durable_advisor.findings(scenario.programme, scenario.site)
        for finding in findings:
            spec = rules[finding.rule_id].spec
            absorbed = set(spec.supersedes) | set(spec.mitigates)
            for item in undetermined:
                same = finding.subject in ("site", "findings") or (
                    item.subject == finding.subject and item.subject_id in finding.subject_ids)
                assert not (same and item.rule_id in absorbed), (scenario.path.name, finding.ref, item.rule_id)


def test_an_absorbed_finding_is_listed_under_one_finding_only(durable_advisor: Advisor,
                                                             scenarios: list[Scenario]) -> None:
    """Two findings each saying "also covers: no alternative ways of working" said one gap twice
    (716, 738): the absorbed finding stays under the most severe of them."""
    shared = 0
    for scenario in scenarios:
        plan = durable_advisor.advise(scenario.programme, scenario.site)
        listed = [ref for finding in plan.findings for ref in finding.absorbs]
        assert len(listed) == len(set(listed)), (scenario.path.name, sorted(listed))
        shared += "FL-NO-ALTERNATIVES" in listed
    assert shared, "no scenario absorbs the missing alternatives: the check above tested nothing"


def test_a_robust_local_evaluation_settles_an_unsystematic_original(durable_advisor: Advisor) -> None:
    """The original evaluation not being systematic asks for a stronger one here; a site whose own
    evaluation is systematic and statistical has it, so the question about the original cannot
    change the decision."""
    programme = load_programme(PROFILES / "programmes" / "caf-family-support.json")
    assert programme.evidence.systematic is None
    scenario = load_scenario(SCENARIOS / "122-caf-every-adaptable-part-tailored.yaml")
    assert scenario.site.evaluation.systematic and scenario.site.evaluation.statistical_data
    plan = durable_advisor.advise(programme, scenario.site)
    assert "programme.evidence.systematic" not in {c.field for c in plan.decision.could_change}
    unsystematic = programme.model_copy(update={"evidence": programme.evidence.model_copy(
        update={"systematic": False})})
    plan = durable_advisor.advise(unsystematic, scenario.site)
    assert "IM-ORIGINAL-NOT-SYSTEMATIC" not in {f.rule_id for f in plan.findings}


def test_cost_to_budget_is_exact_so_a_budget_above_half_the_cost_is_not_prohibitive() -> None:
    programme = load_programme(PROFILES / "programmes" / "caf-family-support.json")
    site = load_site(PROFILES / "sites" / "many-agencies.json")
    cost = programme.costs.annual_cost
    assert cost is not None
    just_above_half = site.model_copy(update={"funding": site.funding.model_copy(
        update={"annual_budget": cost / 2 + 1})})
    ratio = FactBuilder(programme, just_above_half).base["site.cost_to_budget"]
    assert isinstance(ratio, float) and ratio < 2


def test_withdrawing_a_planned_change_never_lowers_readiness_or_the_decision(durable_advisor: Advisor) -> None:
    """Eastgate plans two changes that remove core principles; withdrawing either, alone, is a fix,
    and a fix must never read as a step back (it once brought a principle's unmet need to light as a
    new finding)."""
    from replicate.plan.decision import rank

    programme = load_programme(PROFILES / "programmes" / "holding-families.json")
    site = load_site(PROFILES / "sites" / "dropping-core.json")
    before = durable_advisor.advise(programme, site)
    scores = {r.theme: r.score for r in before.readiness}
    assert len(site.adaptations) >= 2
    for adaptation in site.adaptations:
        kept = [a for a in site.adaptations if a is not adaptation]
        after = durable_advisor.advise(programme, site.model_copy(update={"adaptations": kept}))
        assert rank(after.decision.verdict) <= rank(before.decision.verdict), adaptation.id
        for readiness in after.readiness:
            was = scores[readiness.theme]
            if was is not None and readiness.score is not None:
                assert readiness.score >= was, (adaptation.id, readiness.theme)


def test_a_do_not_replicate_plan_holds_no_launch_steps(durable_advisor: Advisor, scenarios: list[Scenario]) -> None:
    from replicate.render.markdown import render_markdown
    from replicate.render.text import render_text

    stopped = [s for s in scenarios if s.spec.expect.decision == "do_not_replicate"]
    assert stopped
    for scenario in stopped:
        plan = durable_advisor.advise(scenario.programme, scenario.site)
        instead = {c.do for c in plan.decision.groundwork}
        assert plan.actions and {a.do for a in plan.actions} <= instead, scenario.path.name
        for text in (render_text(plan, "full"), render_markdown(plan)):
            assert "What to do instead" in text and "After launch" not in text
            # Its strengths are for launching what it advises against ('build the launch on that', 861):
            # counted, not listed.
            assert "[strength]" not in text and "_strength_" not in text
            if any(f.is_strength for f in plan.findings):
                assert "not listed: strengths for launching a programme this plan advises against" in " ".join(
                    text.split())


def test_a_provisional_go_says_to_answer_the_questions_before_launch(durable_advisor: Advisor,
                                                                    scenarios: list[Scenario]) -> None:
    """A "go" that an unanswered question could change must not read as "nothing to do": over every
    shipped scenario, its summary says the questions come first, and names what they could change."""
    checked = 0
    for scenario in scenarios:
        decision = durable_advisor.advise(scenario.programme, scenario.site).decision
        if decision.verdict != "go":
            continue
        if decision.provisional:
            checked += 1
            assert decision.summary.startswith("Go ahead on what is known so far"), scenario.path.name
            assert decision.summary.endswith("so answer them first."), scenario.path.name
            assert decision.could_change, scenario.path.name
        else:
            assert decision.summary == "Go ahead: nothing needs to be done before launch.", scenario.path.name
    assert checked >= 5


def test_the_first_page_counts_the_programme_owners_questions_rather_than_listing_them(
        durable_advisor: Advisor, scenarios: list[Scenario]) -> None:
    """Questions about the programme's own evidence are the same on every site's plan and cannot
    change its decision: the first page counts them and keeps its lines for the site's questions.
    Every question is listed, counted as further, or counted for the programme owner, exactly once."""
    owners = 0
    for scenario in scenarios:
        plan = durable_advisor.advise(scenario.programme, scenario.site)
        summary = plan.summary
        assert all(q.answer_by == "site" or q.could_change_to is not None for q in summary.questions)
        if plan.decision.verdict == "do_not_replicate":
            continue  # its page keeps only the questions that could change the decision
        assert len(summary.questions) + summary.more_questions + summary.for_programme_owner \
            == len(plan.missing_information), scenario.path.name
        owners += summary.for_programme_owner
    assert owners > 0


def test_an_answer_that_would_absorb_a_risk_already_found_keeps_the_decision_provisional(
        durable_advisor: Advisor) -> None:
    """Thirteen agencies are past the tipping point, but whether each is critical is left unsaid:
    "every one is critical" takes the tipping point's place (a low note), so the condition rests on
    those answers and the decision must say it could change for the better on them."""
    import copy
    import json

    programme = load_programme(PROFILES / "programmes" / "cafe-families-of-offenders.json")
    data = json.loads((PROFILES / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
    model = data["partners"][0]
    partners = []
    for number in range(13):
        partner = copy.deepcopy(model)
        kinds = programme.proven_context.partner_types
        partner.update(id=f"agency_{number}", name=f"Agency {number}", type=kinds[number % len(kinds)])
        partner.pop("critical", None)
        partners.append(partner)
    data["partners"] = partners
    plan = durable_advisor.advise(programme, load_site(data))
    assert "PW-TIPPING-POINT" in {f.rule_id for f in plan.findings}
    assert plan.decision.verdict == "go_with_conditions" and plan.decision.provisional
    lifted = [c for c in plan.decision.could_change if c.field.endswith(".critical")]
    assert lifted and all(c.to == "go" and c.if_answer == "if the answer is favourable" for c in lifted)
    assert all("PW-MANY-AGENCIES-ALL-CRITICAL" in c.rules for c in lifted)
    # Stated critical everywhere, the low note replaces the tipping point and the site may go.
    for partner in data["partners"]:
        partner["critical"] = True
    after = durable_advisor.advise(programme, load_site(data))
    assert after.decision.verdict == "go"


def test_one_unknown_that_could_mean_not_replicating_is_one_reason(durable_advisor: Advisor) -> None:
    """Thornfield runs every part of the resource centre, one service's room unstated: "everything
    already runs" and "every need already met" both wait on that one answer, so the decision gives
    one reason, not the same unknown twice."""
    scenario = load_scenario(next(SCENARIOS.glob("384-*.yaml")))
    plan = durable_advisor.advise(scenario.programme, scenario.site)
    assert plan.decision.verdict == "information_needed"
    assert len(plan.decision.reasons) == 1, [r.text for r in plan.decision.reasons]
    assert "do_not_replicate" in {c.to for c in plan.decision.could_change if c.field.endswith(".has_capacity")}


def test_a_do_not_replicate_plan_gives_no_principle_or_component_as_a_launch_step(
        durable_advisor: Advisor, scenarios: list[Scenario]) -> None:
    """Advised not to replicate, a core principle is not "kept exactly" (a step towards launching what
    is advised against): it is named for the review of the services the area already runs. No
    principle or component is tailored or delivered (785, 779: a planned adaptation's "how" and
    "tailor how it is delivered" read as launch steps); a component is built on, or not set up."""
    refused = built_on = plain = 0
    for scenario in scenarios:
        plan = durable_advisor.advise(scenario.programme, scenario.site)
        if plan.decision.verdict != "do_not_replicate":
            continue
        refused += 1
        for principle in plan.principles:
            assert "Keep exactly" not in principle.guidance, (scenario.path.name, principle.id)
            assert "Not yet known whether the site has what it needs" not in principle.guidance
            assert "tailor" not in principle.guidance.lower(), (scenario.path.name, principle.id)
            assert principle.status != "at_risk", (scenario.path.name, principle.id)
        for component in plan.components:
            assert component.status in ("build_on", "drop"), (scenario.path.name, component.id)
            assert "tailor" not in component.guidance.lower(), (scenario.path.name, component.id)
            assert (component.status == "build_on") == bool(component.build_on), (scenario.path.name, component.id)
            built_on += component.status == "build_on"
        # The review of existing services is named only where the plan builds on some (808).
        reviews = any("existing services" in principle.guidance for principle in plan.principles)
        assert reviews is any(c.status == "build_on" for c in plan.components), scenario.path.name
        plain += not reviews
    assert refused and built_on and plain


def test_a_core_principle_tailored_within_the_framework_is_still_labelled_to_keep(
        durable_advisor: Advisor, scenarios: list[Scenario]) -> None:
    """A core principle a planned change adds to was labelled 'tailor within the framework', the
    adaptable principles' label, which a board read as no longer core (815)."""
    from replicate.render.html import render_html
    from replicate.render.labels import CORE_TAILORED, PRINCIPLE_STATUS
    from replicate.render.markdown import render_markdown
    from replicate.render.text import render_text

    seen = 0
    for scenario in scenarios:
        plan = durable_advisor.advise(scenario.programme, scenario.site)
        tailored = [p for p in plan.principles if p.kind == "core" and p.status == "tailor"]
        if not tailored:
            continue
        seen += 1
        for text in (render_text(plan, "full"), render_markdown(plan), render_html(plan)):
            for principle in tailored:
                assert f"[{PRINCIPLE_STATUS['tailor']}] {principle.id} (core)" not in text
            assert CORE_TAILORED in text, scenario.path.name
    assert seen


def test_a_core_principle_whose_component_is_changed_is_not_kept_exactly(
        durable_advisor: Advisor, scenarios: list[Scenario]) -> None:
    """A component carrying a core principle that a planned change modifies or shortens left the
    principle 'keep exactly' beside the component's 'tailor': a board asked how both could be true
    (900). The principle is tailored within the framework, or at risk, once who decided the change is known."""
    seen = 0
    for scenario in scenarios:
        programme, site = scenario.programme, scenario.site
        carried = {c.id: {p for p in c.principles if any(q.id == p and q.kind == "core" for q in programme.principles)}
                   for c in programme.components}
        # Who decided is what settles tailoring or risk: while it is asked, "keep" stands (436).
        changed = {p for a in site.adaptations if a.nature in ("modify", "shorten") and a.decided_by is not None
                   for p in carried.get(a.touches, ())}
        if not changed:
            continue
        plan = durable_advisor.advise(programme, site)
        if plan.decision.verdict == "do_not_replicate":
            continue
        seen += 1
        for principle in plan.principles:
            if principle.id in changed:
                assert principle.status != "keep", (scenario.path.name, principle.id)
    assert seen


@pytest.mark.parametrize(("rules", "in_advice", "in_action"), [
    # 'For each missing condition' on the first page left the board to find which in the details (814).
    (("FL-CONDITIONS-MISSING",), r"does not have: (.+?)\. Work out", "the site lacks ({}),"),
    # 'The missing kind of partner' never said which kind (809: the local authority, the lead itself).
    (("FL-PARTNER-TYPE-MISSING", "FL-PARTNER-TYPES-MISSING"), r"has none of: (.+?)\. Needs differ", "{}"),
    # 'What each core principle needs' never said it was an information-sharing agreement (830, 868).
    (("FL-PRINCIPLE-NEED-UNMET",), r"is known to lack (.+?), and without it", "and lacks ({})"),
])
def test_an_action_names_what_its_finding_says_is_missing(durable_advisor: Advisor, scenarios: list[Scenario],
                                                         rules: tuple[str, ...], in_advice: str,
                                                         in_action: str) -> None:
    """The action, the line a board reads on the first page, names the same things as its finding,
    in words: no placeholder, no tag left with its underscores, nothing 'not stated'."""
    import re

    named = 0
    for scenario in scenarios:
        plan = durable_advisor.advise(scenario.programme, scenario.site)
        for finding in plan.findings:
            if finding.rule_id not in rules:
                continue
            assert finding.action is not None
            [missing] = re.findall(in_advice, finding.advice)
            assert in_action.format(missing) in finding.action.do, scenario.path.name
            assert "_" not in finding.action.do and "{" not in finding.action.do and "(not stated)" not in missing
            named += 1
    assert named


def test_a_decision_held_for_information_names_the_questions_to_answer_first(
        durable_advisor: Advisor, scenarios: list[Scenario]) -> None:
    """The text printed 'QUESTIONS TO ANSWER FIRST' where the JSON's questions_first was empty: the
    decision was held because too little of a theme was known, not for a section left out (888)."""
    held = 0
    for scenario in scenarios:
        decision = durable_advisor.advise(scenario.programme, scenario.site).decision
        if decision.verdict != "information_needed":
            assert not decision.questions_first, scenario.path.name
            continue
        held += 1
        assert decision.questions_first, scenario.path.name
    assert held


def test_with_no_core_principle_nothing_is_tailored_within_a_framework(
        durable_advisor: Advisor, scenarios: list[Scenario]) -> None:
    """A programme that marks no principle core has no framework yet: its adaptable principles said
    'tailor within the framework' beside a finding saying there is none, and a planned change to one
    of them appeared nowhere in the plan (988). Over every such scenario, no renderer says it, and
    every planned change to a principle is named under it."""
    from replicate.render.html import render_html
    from replicate.render.labels import NO_FRAMEWORK, PRINCIPLE_STATUS
    from replicate.render.markdown import render_markdown
    from replicate.render.text import render_text

    seen = changed = 0
    for scenario in scenarios:
        programme, site = scenario.programme, scenario.site
        if not programme.principles or any(p.kind == "core" for p in programme.principles):
            continue
        plan = durable_advisor.advise(programme, site)
        if plan.decision.verdict == "do_not_replicate":
            continue
        seen += 1
        for text in (render_text(plan, "full"), render_markdown(plan), render_html(plan)):
            assert PRINCIPLE_STATUS["tailor"] not in text, scenario.path.name
            assert NO_FRAMEWORK in text, scenario.path.name
        for adaptation in site.adaptations:
            principle = next((p for p in plan.principles if p.id == adaptation.touches), None)
            if principle is not None:
                changed += 1
                assert f'Adaptation "{adaptation.id}"' in principle.guidance, scenario.path.name
    assert seen and changed


def test_a_plan_against_setting_up_tells_no_one_to_keep_or_tailor_a_principle(
        durable_advisor: Advisor, scenarios: list[Scenario]) -> None:
    """"[keep exactly]" beside "not to be set up here" told the reader to keep what the plan says not
    to start (1710): in every renderer, a plan that advises against setting up labels no principle
    as kept or tailored."""
    seen = 0
    for scenario in scenarios:
        plan = durable_advisor.advise(scenario.programme, scenario.site)
        if plan.decision.verdict != "do_not_replicate" or not plan.principles:
            continue
        seen += 1
        for text in (render_text(plan, "full"), render_markdown(plan), render_html(plan)):
            assert "keep exactly" not in text and "tailor within the framework" not in text, scenario.path.name
            assert "not set up here" in text, scenario.path.name
    assert seen >= 5
