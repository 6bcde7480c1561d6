"""What a plan asks for, once done, can be recorded in the profile and lifts the plan (round 40).

A site that builds a component on an existing service was told to sign terms with it before launch,
and no field could say it had (1122, 1183): "go" was out of reach for every such site. The months a
site says are secured counted on money not yet confirmed without a condition (1162), and one
fixed-term grant was not read as the months it pays for (1153). Each property holds for every value
in its range on the shipped rule base and the ready site of well-prepared.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replicate.advisor import Advisor
from replicate.loading import load_programme, load_site
from replicate.plan import AdaptationPlan
from replicate.render import render_html, render_markdown, render_text

PROFILES = Path(__file__).resolve().parent.parent / "profiles"
PROGRAMME = load_programme(PROFILES / "programmes" / "cafe-families-of-offenders.json")
READY: dict[str, Any] = json.loads((PROFILES / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
RUN_MONTHS = PROGRAMME.costs.duration_months
TERMS_TO_AGREE = {"FL-COMPONENT-ALREADY-SERVED", "DU-SERVICE-AT-CAPACITY", "FL-CORE-COMPONENT-TO-FULL-SERVICE"}


def _advise(advisor: Advisor, site: dict[str, Any]) -> AdaptationPlan:
    return advisor.advise(PROGRAMME, load_site(site))


def _built_on(component_id: str, room: bool, signed: bool, handed_over: bool) -> dict[str, Any]:
    """The ready site with one service that meets all a component serves, and nothing else changed."""
    component = next(c for c in PROGRAMME.components if c.id == component_id)
    site = copy.deepcopy(READY)
    site["existing_services"].append({
        "id": "local_service", "name": "Local service", "covers": list(component.serves),
        "provider": "A local charity", "has_capacity": room, "terms_agreed": signed})
    if handed_over:
        site["adaptations"].append({"id": "hand_over", "touches": component_id, "nature": "substitute",
                                    "description": "Delivered by the local service.",
                                    "reason": "It already does this work.", "decided_by": "partnership_board"})
    return site


@settings(max_examples=30, deadline=None)
@given(component=st.sampled_from([c.id for c in PROGRAMME.components]), room=st.booleans(),
       handed_over=st.booleans())
def test_signed_terms_with_the_service_built_on_lift_the_condition_the_plan_set(
        reference_advisor: Advisor, component: str, room: bool, handed_over: bool) -> None:
    unsigned = _advise(reference_advisor, _built_on(component, room, False, handed_over))
    signed = _advise(reference_advisor, _built_on(component, room, True, handed_over))
    # Unsigned, the terms are a condition; a core strand handed to a full service reaches nobody
    # until places are signed for, which may be groundwork (FL-DILUTED-BY-ONE-CHANGE) instead.
    assert unsigned.decision.verdict in ("go_with_conditions", "not_yet")
    assert not {f.rule_id for f in signed.findings} & TERMS_TO_AGREE
    assert "DU-TERMS-SIGNED" in {f.rule_id for f in signed.findings}
    assert signed.decision.verdict == "go", signed.decision.summary
    statuses = {c.id: c.status for c in signed.components}
    assert statuses[component] == "build_on"


@pytest.mark.parametrize(("room", "verdict"), [(False, "go_with_conditions"), (True, "go")])
def test_the_terms_stay_a_condition_until_a_service_with_room_carries_it_under_signed_terms(
        reference_advisor: Advisor, room: bool, verdict: str) -> None:
    """Signed with a full service, the component still waits on the unsigned one beside it; signed
    with one that has room, that one carries it, and the other is not asked for terms as well (2136
    was told to sign up a full clinic beside the service already delivering the component)."""
    site = _built_on("signposting", room, True, False)
    site["existing_services"].append({"id": "second", "name": "Second service", "covers": ["signposting"],
                                      "has_capacity": True})
    plan = _advise(reference_advisor, site)
    assert ("FL-COMPONENT-ALREADY-SERVED" in {f.rule_id for f in plan.findings}) == (not room)
    assert plan.decision.verdict == verdict


@pytest.mark.parametrize("named", [None, False, True])
def test_a_comparison_named_in_the_evaluation_plan_meets_the_condition_the_plan_set(
        reference_advisor: Advisor, named: bool | None) -> None:
    """The original figures had no comparison, and the plan asked the site to name one; no field
    could say it had, so a site that did could never reach "go" (1780). Left out, it is read as not
    named yet, as the plan's condition says, not asked."""
    programme = json.loads((PROFILES / "programmes" / "cafe-families-of-offenders.json").read_text(encoding="utf-8"))
    for figure in programme["evidence"]["outcomes"]:
        figure.pop("comparison", None)
    site = copy.deepcopy(READY)
    if named is not None:
        site["evaluation"]["comparison"] = named
    plan = reference_advisor.advise(load_programme(programme), load_site(site))
    rules = {f.rule_id for f in plan.findings}
    assert ("IM-ORIGINAL-NO-COMPARISON" in rules) == (named is not True), rules
    assert plan.decision.verdict == ("go" if named else "go_with_conditions"), plan.decision.summary
    assert "site.evaluation.comparison" not in {f for q in plan.missing_information for f in q.fields}


@pytest.mark.parametrize(("decided_by", "checked"), [("partnership_board", False), ("partnership_board", True),
                                                     ("funder", True)])
def test_the_boards_check_of_a_core_component_it_cut_back_meets_the_condition_the_plan_set(
        reference_advisor: Advisor, decided_by: str, checked: bool) -> None:
    """A core component the board cut back is a condition: the board confirms against the evidence
    that it still carries the core principles. No field could say it had, so only withdrawing the
    change reached "go" (1804). The check lifts the condition, leaving a low risk the outcomes test;
    it lifts nothing for a cut one party made."""
    site = copy.deepcopy(READY)
    site["adaptations"].append({"id": "shorter_key_work", "touches": "family_key_work", "nature": "shorten",
                                "description": "Key work over 16 weeks.", "reason": "Caseloads.",
                                "decided_by": decided_by, "core_checked": checked})
    plan = _advise(reference_advisor, site)
    rules = {f.rule_id for f in plan.findings}
    owned = decided_by == "partnership_board"
    assert ("FL-ADAPT-COMPONENT-CHANGE-CHECKED" in rules) == (owned and checked), rules
    assert ("FL-ADAPT-COMPONENT-CHANGE-OWNED" in rules) == (owned and not checked), rules
    if owned:
        assert plan.decision.verdict == ("go" if checked else "go_with_conditions"), plan.decision.summary
    else:
        assert plan.decision.verdict != "go"
    assert not any(f.endswith(".core_checked") for q in plan.missing_information for f in q.fields)


@pytest.mark.parametrize("months", [3, 10, 20])
def test_a_run_planned_on_the_months_funded_can_be_recorded(reference_advisor: Advisor, months: int) -> None:
    """The funding condition offers two routes: money for the whole run, or the run planned on the
    months funded. A site taking the second could not show it (1793): the record now meets it."""
    site = copy.deepcopy(READY)
    site["funding"]["months_secured"] = months
    site["funding"]["sources"] = [{"name": "Core budget", "kind": "core_budget", "stability": "secure",
                                   "months": months}]
    gap = next(f for f in _advise(reference_advisor, site).findings if f.rule_id.startswith("RS-FUNDING-TABLE"))
    site["actions_done"] = [{"rule": gap.rule_id, "evidence": "Delivery plan for the funded months, minuted."}]
    plan = _advise(reference_advisor, site)
    recorded = next(f for f in plan.findings if f.rule_id == gap.rule_id)
    assert recorded.done is not None
    assert gap.ref not in {ref for c in plan.decision.conditions for ref in c.answers}


SERVICE_NAMES = ("Alder service", "Birch service", "Cedar service")


@settings(max_examples=40, deadline=None)
@given(flags=st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=3))
def test_terms_are_asked_only_of_the_services_not_yet_signed_and_room_only_of_the_full(
        reference_advisor: Advisor, flags: list[tuple[bool, bool]]) -> None:
    """A plan asked to agree terms with a service already signed up, and called a service with room
    one with none (1748, 1749): whatever mix of services a component builds on, the action names
    those with no terms signed, and the advice on capacity those the site says are full; none is
    asked where one with room has signed and carries the component (2136)."""
    site = copy.deepcopy(READY)
    component = next(c for c in PROGRAMME.components if c.id == "signposting")
    services = [{"id": f"s{i}", "name": SERVICE_NAMES[i], "covers": list(component.serves),
                 "has_capacity": room, "terms_agreed": signed} for i, (room, signed) in enumerate(flags)]
    site["existing_services"].extend(services)
    plan = _advise(reference_advisor, site)
    on_it = [f for f in plan.findings if component.id in f.subject_ids and f.rule_id in TERMS_TO_AGREE]
    unsigned = [s["name"] for s in services if not s["terms_agreed"]]
    if not unsigned or any(s["has_capacity"] and s["terms_agreed"] for s in services):
        assert not on_it
        return
    [finding] = on_it
    assert finding.action is not None
    assert f"({', '.join(unsigned)})" in finding.action.do or f"({' and '.join(unsigned)})" in finding.action.do
    assert not [s["name"] for s in services if s["terms_agreed"] and s["name"] in finding.action.do]
    full = [s["name"] for s in services if not s["has_capacity"]]
    if finding.rule_id == "DU-SERVICE-AT-CAPACITY":
        assert all(name in finding.advice.split("no spare room at")[1] for name in full)
        assert not [s["name"] for s in services if s["has_capacity"]
                    and s["name"] in finding.advice.split("no spare room at")[1]]


@settings(max_examples=20, deadline=None)
@given(signed=st.booleans(), core=st.booleans())
def test_terms_signed_with_a_service_meeting_part_of_a_component_settle_how_they_work_together(
        reference_advisor: Advisor, signed: bool, core: bool) -> None:
    """Signed terms say what the service delivers and for whom: the plan does not then ask the site
    to agree who does what with it as delivery starts (1746)."""
    site = copy.deepcopy(READY)
    programme = json.loads((PROFILES / "programmes" / "cafe-families-of-offenders.json").read_text(encoding="utf-8"))
    component = next(c for c in programme["components"] if c["id"] == "back_to_work")
    if not core:  # its core principle is carried by other components too
        component["principles"] = []
    site["existing_services"].append({"id": "part", "name": "Part service", "covers": [component["serves"][0]],
                                      "has_capacity": True, "terms_agreed": signed})
    plan = reference_advisor.advise(load_programme(programme), load_site(site))
    rules = {f.rule_id for f in plan.findings if component["id"] in f.subject_ids}
    asks = {"DU-COMPONENT-PARTLY-SERVED", "DU-CORE-COMPONENT-PARTLY-SERVED"}
    settled = {"DU-COMPONENT-PARTLY-SERVED-TERMS-SIGNED", "DU-CORE-COMPONENT-PARTLY-SERVED-TERMS-SIGNED"}
    assert bool(rules & asks) != signed and bool(rules & settled) == signed, rules
    statuses = {c.id: c.status for c in plan.components}
    assert statuses[component["id"]] == ("deliver" if core else "tailor")


@settings(max_examples=30, deadline=None)
@given(months=st.integers(min_value=1, max_value=2 * RUN_MONTHS),
       stability=st.sampled_from(["secure", "time_limited", "uncertain"]))
def test_one_source_of_known_length_is_the_months_secured(
        reference_advisor: Advisor, months: int, stability: str) -> None:
    site = copy.deepcopy(READY)
    site["funding"].pop("months_secured")
    site["funding"]["sources"] = [{"name": "Grant", "kind": "grant", "stability": stability, "months": months}]
    plan = _advise(reference_advisor, site)
    asks_months = "site.funding.months_secured" in {f for q in plan.missing_information for f in q.fields}
    if stability == "uncertain":
        assert asks_months
        return
    assert not asks_months
    gaps = [f for f in plan.findings if f.theme == "resources" and f.category == "funding_gap"]
    assert bool(gaps) == (months < RUN_MONTHS), [f.rule_id for f in gaps]


@settings(max_examples=40, deadline=None)
@given(secure=st.integers(min_value=1, max_value=RUN_MONTHS), uncertain=st.integers(min_value=1, max_value=RUN_MONTHS))
def test_months_said_secured_that_count_on_unconfirmed_money_are_a_condition(
        reference_advisor: Advisor, secure: int, uncertain: int) -> None:
    said = min(secure + uncertain, RUN_MONTHS)
    site = copy.deepcopy(READY)
    site["funding"]["months_secured"] = said
    site["funding"]["sources"] = [
        {"name": "Grant", "kind": "grant", "stability": "time_limited", "months": secure},
        {"name": "Core budget, year two", "kind": "core_budget", "stability": "uncertain", "months": uncertain}]
    plan = _advise(reference_advisor, site)
    rules = {f.rule_id for f in plan.findings}
    counts_on_it = secure < said
    assert ("RS-SECURED-COUNTS-ON-UNCERTAIN" in rules) == counts_on_it, rules
    if counts_on_it:
        assert "RS-FUNDING-SECURED" not in rules and "RS-UNCERTAIN-FUNDING" not in rules
        assert plan.decision.verdict != "go"


def test_terms_to_agree_are_tagged_as_the_condition_they_are_never_info_or_strength(reference_advisor: Advisor) -> None:
    """Beside a launch condition, "[info]" read as "for information only" (1180), and "[strength]"
    as if the terms were already agreed (1291); terms the decision waits on say "[condition]", as any
    launch condition does (1417), and the condition names the service to agree them with."""
    plan = _advise(reference_advisor, _built_on("signposting", True, False, False))
    assert plan.decision.verdict == "go_with_conditions"
    views = {"text": render_text(plan, detail="full"), "markdown": render_markdown(plan),
             "html": render_html(plan)}
    service = "Local service"  # the one service _built_on adds
    for name, view in views.items():
        assert "[info]" not in view and ">info<" not in view, name
        assert "[strength] Agree terms" not in view and "**[strength]** Agree terms" not in view, name
    agree = f"Agree terms with each existing service the programme builds on here that has none signed yet ({service}):"
    assert f"[condition] {agree}" in " ".join(views["text"].split())
    assert f"**[condition]** {agree}" in views["markdown"]
    assert f'<td class="sev-condition">condition</td><td>{agree}' in views["html"]


SERVED: dict[str, Any] = json.loads((PROFILES / "sites" / "already-served.json").read_text(encoding="utf-8"))
RESOURCE_CENTRE = load_programme(PROFILES / "programmes" / "resource-centre.json")


@settings(max_examples=20, deadline=None)
@given(unsigned=st.sets(st.sampled_from([s["id"] for s in SERVED["existing_services"]])))
def test_a_mostly_served_programme_is_built_on_once_every_service_has_signed(
        reference_advisor: Advisor, unsigned: set[str]) -> None:
    """The map of who delivers each part (FL-MOSTLY-DUPLICATED's condition) is agreed once terms are
    signed with every service a component builds on (1227, 1229); one left unsigned keeps it."""
    site = copy.deepcopy(SERVED)
    for service in site["existing_services"]:
        service["terms_agreed"] = service["id"] not in unsigned
    rules = {f.rule_id for f in reference_advisor.advise(RESOURCE_CENTRE, load_site(site)).findings}
    assert ("FL-MOSTLY-DUPLICATED" in rules) == bool(unsigned), (unsigned, rules)


@settings(max_examples=20, deadline=None)
@given(months=st.one_of(st.none(), st.integers(min_value=1, max_value=2 * RUN_MONTHS)))
def test_months_secured_are_credited_only_as_far_as_the_sources_are_known_to_reach(
        reference_advisor: Advisor, months: int | None) -> None:
    """A strength of months secured beside a question about the one source's length contradicted
    itself (1238): it is credited once the sources are known to add up to the months."""
    site = copy.deepcopy(READY)
    site["funding"]["months_secured"] = RUN_MONTHS
    site["funding"]["sources"] = [{"name": "Grant", "kind": "grant", "stability": "time_limited", "months": months}]
    plan = _advise(reference_advisor, site)
    credited = "RS-FUNDING-SECURED" in {f.rule_id for f in plan.findings}
    assert credited == (months is not None and months >= RUN_MONTHS)
    asked = {f for q in plan.missing_information for f in q.fields}
    assert (months is None) == any(field.startswith("site.funding.sources") for field in asked), asked
