"""The shipped example sites each get the advice the guidance would give them.

Each site in profiles/sites/ was written to exercise one kind of advice; these tests pin the
decision and the findings that carry it, on the durable_rules engine the CLI uses. If a rule
change moves one of these outcomes, the change has to be argued for, not slipped in.
"""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLE_SITES, PROFILES

from replicate.advisor import Advisor
from replicate.plan import AdaptationPlan
from replicate.plan.builder import THEME_PRECEDENCE
from replicate.render import render_json, render_markdown, render_text

PAIRS = EXAMPLE_SITES


@pytest.fixture(scope="module")
def plans(durable_advisor: Advisor) -> dict[str, AdaptationPlan]:
    return {
        site: durable_advisor.advise_files(PROFILES / "programmes" / f"{programme}.json",
                                           PROFILES / "sites" / f"{site}.json")
        for site, programme in PAIRS.items()
    }


def _refs(plan: AdaptationPlan) -> set[str]:
    return {f.ref for f in plan.findings}


def _risks(plan: AdaptationPlan, severity: str) -> set[str]:
    return {f.ref for f in plan.findings if f.severity == severity and not f.is_strength}


def _principles(plan: AdaptationPlan) -> dict[str, str]:
    return {p.id: p.status for p in plan.principles}


def _components(plan: AdaptationPlan) -> dict[str, tuple[str, list[str]]]:
    return {c.id: (c.status, c.build_on) for c in plan.components}


def test_every_site_in_profiles_is_tested() -> None:
    assert {path.stem for path in (PROFILES / "sites").glob("*.json")} == set(PAIRS)


def test_well_prepared_site_goes_ahead_with_no_high_risk(plans: dict[str, AdaptationPlan]) -> None:
    plan = plans["well-prepared"]
    assert plan.decision.verdict == "go"
    assert plan.decision.reasons == [] and plan.decision.conditions == []
    assert _risks(plan, "high") == _risks(plan, "medium") == set()
    assert {"PW-ESTABLISHED-RELATIONSHIPS", "RS-FUNDING-SECURED", "BI-STRONG-LEAD", "FL-CONTEXT-SIMILAR",
            "DU-NO-DUPLICATION"} <= _refs(plan)
    principles = _principles(plan)
    assert {principles[p] for p in ("whole_family", "stability_first", "embedded_multi_agency",
                                    "evidence_cost_benefit")} == {"keep"}
    tailored = next(p for p in plan.principles if p.id == "flexible_delivery")
    assert tailored.status == "tailor"
    # The site's own change, and why it keeps to the model.
    assert "Add evening sessions" in tailored.guidance and "keeps within the framework" in tailored.guidance
    assert _components(plan)["signposting"] == ("tailor", [])
    assert min(score.score for score in plan.readiness) >= 90
    assert all(score.rated for score in plan.readiness)
    # Go is said on what is known: the questions that could still change it are named.
    assert plan.decision.provisional == bool(plan.decision.could_change)
    assert all(change.to == "go_with_conditions" for change in plan.decision.could_change)


def test_rural_county_is_not_yet_with_serious_gaps_in_four_themes(plans: dict[str, AdaptationPlan]) -> None:
    """An urban model meets a rural county ("travel", "lack of cross-borough working"), half the run
    is funded with no financial plan ("early financial planning is essential"), the lead has six
    hours a week (a "leader with drive and dedicated time"), and the district housing teams, whom
    delivery depends on, neither meet the programme nor share with it ("regular meetings are key to
    sustaining partnerships"): four themes each hold a serious risk, so the groundwork comes first."""
    plan = plans["rural-county"]
    assert plan.decision.verdict == "not_yet"
    assert "Serious risks in 4 themes" in plan.decision.reasons[0].text
    groundwork = {ref for condition in plan.decision.groundwork for ref in condition.answers}
    assert {"FL-RURAL-MISSING-CONDITIONS", "RS-NO-FINANCIAL-PLAN", "BI-LEAD-NO-TIME",
            "PW-CRITICAL-PARTNER-CUT-OFF@district_housing"} <= groundwork
    rural = next(f for f in plan.findings if f.rule_id == "FL-RURAL-MISSING-CONDITIONS")
    # One pattern, one finding: the districts' missing cross-boundary working, and the buses its
    # outreach hubs work around (a travel note on its own), are both the rural issues.
    assert {"FL-NO-CROSS-BOROUGH", "FL-RURAL-TRAVEL-ANSWERED", "FL-TRANSPORT-WORKED-AROUND"} <= set(rural.absorbs)
    assert rural.matched["site.missing_other_conditions"] == ["cross_borough_working"]
    cut_off = next(f for f in plan.findings if f.rule_id == "PW-CRITICAL-PARTNER-CUT-OFF")
    assert {"PW-CRITICAL-NO-MEETINGS@district_housing", "PW-PARTNER-NOT-SHARING@district_housing"} <= set(
        cut_off.absorbs)
    components = _components(plan)
    # The debt clinics meet part of what each serves (debt and benefits advice): both components
    # carry core principles, so the programme delivers them whole beside the clinics, never handing
    # either over.
    assert components["back_to_work"] == ("deliver", [])
    assert components["debt_income"] == ("deliver", [])
    assert "DU-CORE-COMPONENT-PARTLY-SERVED@back_to_work+debt_income" in _refs(plan)
    assert any("travel" in c.do.lower() for c in plan.decision.groundwork)


def test_site_dropping_core_principles_is_told_not_yet(plans: dict[str, AdaptationPlan]) -> None:
    plan = plans["dropping-core"]
    assert plan.decision.verdict == "not_yet"
    assert {"FL-ADAPT-REMOVES-CORE@adult_only_treatment+drop_long_term_recording", "FL-DILUTED-MODEL",
            "FL-ADAPT-CUTS-CORE-COMPONENT@twelve_week_key_work"} <= _refs(plan)
    assert {r.finding for r in plan.decision.reasons} >= {
        "FL-ADAPT-REMOVES-CORE@adult_only_treatment+drop_long_term_recording", "FL-DILUTED-MODEL"}
    principles = _principles(plan)
    assert principles["whole_family_through_treatment"] == "at_risk"
    assert principles["long_term_recording"] == "at_risk"
    assert principles["early_intervention"] == "at_risk"  # carried by the key work being cut to 12 weeks
    assert principles["child_outcomes"] == "keep"
    assert principles["session_format"] == "tailor"  # the harmless change to an adaptable principle
    at_risk = next(p for p in plan.principles if p.id == "whole_family_through_treatment")
    assert "adult_only_treatment" in at_risk.guidance
    assert plan.readiness[0].theme == "flexibility"


def test_many_agencies_without_meetings_must_first_regroup(plans: dict[str, AdaptationPlan]) -> None:
    """Eleven agencies, none meeting regularly, a process imposed rather than co-designed, for a
    model that "relies wholly on engagement with partners at the outset": not yet."""
    plan = plans["many-agencies"]
    assert plan.decision.verdict == "not_yet"
    groundwork = {ref for condition in plan.decision.groundwork for ref in condition.answers}
    # The plan not shaped with the partners is judged once, through the core principle that needs it.
    shaped = "BI-CORE-PRINCIPLE-NOT-SHAPED@co_owned_not_imposed"
    assert {"PW-TIPPING-POINT", "PW-NO-REGULAR-MEETINGS", shaped} <= groundwork
    assert {"OM-MEETINGS-UNRECORDED", shaped} <= _refs(plan)
    assert "BI-IMPOSED" not in _refs(plan)
    unmet = next(f for f in plan.findings if f.rule_id == "FL-PRINCIPLE-NEED-UNMET")
    assert unmet.subject_ids == ["partners_engaged_at_outset"]
    # Reshaping the plan with every partner is the one remedy: no separate "consult these two
    # partners in the first six months" beside it (1694).
    shaped_finding = next(f for f in plan.findings if f.ref == shaped)
    assert "BI-OTHER-PARTNER-NOT-CONSULTED@camhs" in shaped_finding.absorbs
    assert not {f.rule_id for f in plan.findings} & {"BI-OTHER-PARTNER-NOT-CONSULTED", "BI-PARTNER-NOT-CONSULTED"}
    # Whether each partner was consulted would only name, in that finding, the partners to start
    # with: it is not asked ahead of where the money comes from, which could add a risk.
    asked = [q.field for q in plan.missing_information]
    consulted = next(i for i, field in enumerate(asked) if field.endswith(".consulted"))
    assert asked.index("site.funding.sources") < consulted
    # "Too many agencies" is one finding: the tipping point absorbs the milder "more than proven".
    tipping = next(f for f in plan.findings if f.rule_id == "PW-TIPPING-POINT")
    assert "PW-MORE-AGENCIES-THAN-PROVEN" in tipping.absorbs
    assert "PW-MORE-AGENCIES-THAN-PROVEN" not in {f.rule_id for f in plan.findings}
    principles = _principles(plan)
    assert principles["co_owned_not_imposed"] == principles["partners_engaged_at_outset"] == "at_risk"
    first = plan.actions[0]
    assert first.phase == "before_launch" and first.priority == "high"


def test_area_that_already_runs_the_services_should_build_on_them(plans: dict[str, AdaptationPlan]) -> None:
    """Replication, not duplication: four of six components are already served whole and one in
    part, so the plan builds on the four, works alongside the fifth's service and adds the joint
    reviews; but the profile says nothing of its staff, its operational plan or its evaluation, so
    the decision waits for those answers."""
    plan = plans["already-served"]
    assert plan.decision.verdict == "information_needed"
    assert "FL-MOSTLY-DUPLICATED" in _refs(plan)
    components = _components(plan)
    built_on = {cid for cid, (status, services) in components.items() if status == "build_on" and services}
    assert len(built_on) == 4
    assert components["therapy_liaison"] == ("deliver", [])  # it carries a core principle: kept whole
    assert components["joint_reviews"] == ("deliver", [])
    unknown = {theme.theme for theme in plan.readiness if not theme.rated}
    assert {"cultural_change", "operational_model", "impact"} <= unknown


def test_sparse_site_is_asked_questions_not_judged_on_silence(plans: dict[str, AdaptationPlan]) -> None:
    plan = plans["sparse"]
    assert plan.decision.verdict == "information_needed"
    texts = [r.text for r in plan.decision.reasons]
    assert any(t.startswith("Funding is not stated") for t in texts)
    assert any(t.startswith("Leadership is not stated") for t in texts)
    assert "site.funding.months_secured" in plan.decision.questions_first
    asked = {field for q in plan.missing_information for field in q.fields}
    assert {"site.leadership.champions", "site.funding.months_secured", "site.staff.understand_reasons"} <= asked
    assert not any(score.rated for score in plan.readiness)  # nothing can look ready on silence


def test_actions_are_ordered_by_phase_then_what_must_come_first(plans: dict[str, AdaptationPlan]) -> None:
    """Before launch, the decision's conditions (or groundwork) come first, in the first page's order,
    so that an item number means the same action on the first page and in the details; then the
    rest, by what must come first."""
    phases = ["before_launch", "first_six_months", "ongoing"]
    ranks = {"high": 0, "medium": 1, "low": 2, "info": 3}
    for plan in plans.values():
        themes = {f.ref: f.theme for f in plan.findings}
        first = list(dict.fromkeys(c.do for c in (*plan.decision.conditions, *plan.decision.groundwork)))
        assert [a.do for a in plan.actions[:len(first)]] == first
        keys = [(phases.index(a.phase), THEME_PRECEDENCE.index(themes[a.answers[0]]), ranks[a.priority])
                for a in plan.actions[len(first):]]
        assert keys == sorted(keys)
        refs = _refs(plan)
        for action in plan.actions:
            assert action.owner and action.answers and set(action.answers) <= refs


def test_three_renderings_show_the_same_plan(plans: dict[str, AdaptationPlan]) -> None:
    for plan in plans.values():
        assert AdaptationPlan.model_validate(json.loads(render_json(plan))) == plan
        markdown, text = render_markdown(plan), render_text(plan, "full")
        for rendering in (markdown, text):
            assert plan.readiness_method.split(".")[0] in " ".join(rendering.split())
            for principle in plan.principles:
                assert principle.id in rendering
            for component in plan.components:
                assert component.id in rendering
