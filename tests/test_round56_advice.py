"""Advice that round 56's examiners found wrong or hard to act on: a programme with no cost given
the go once the cost was written down, a school's own timetable change held as imposed on its
partners, and the first page giving a partner's open details the lines of a financial plan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import PROFILES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replicate.advisor import Advisor
from replicate.loading import load_programme, load_site
from replicate.plan.model import AdaptationPlan
from replicate.render.text import SUMMARY_LINES, render_text

PROGRAMME = PROFILES / "programmes" / "cafe-families-of-offenders.json"
SITE = PROFILES / "sites" / "well-prepared.json"


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _advise(advisor: Advisor, programme: dict[str, Any], site: dict[str, Any]) -> AdaptationPlan:
    return advisor.advise(load_programme(programme), load_site(site))


def test_a_programme_with_no_yearly_cost_waits_for_its_owner_to_give_one(durable_advisor: Advisor) -> None:
    """A programme four times over the budget is groundwork first, so one whose cost nobody knows
    cannot be given the go on a promise to write the cost down (1899): the decision waits, the
    question goes to the programme's owner, and the gap is not also scored as a risk or an action."""
    programme = _read(PROGRAMME)
    programme["costs"].pop("annual_cost", None)
    plan = _advise(durable_advisor, programme, _read(SITE))
    assert plan.decision.verdict == "information_needed"
    assert "programme.costs.annual_cost" in plan.decision.questions_first
    [asked] = [q for q in plan.missing_information if q.field == "programme.costs.annual_cost"]
    assert asked.answer_by == "programme owner"
    noted = [f for f in plan.findings if f.rule_id == "RS-PROGRAMME-COST-UNKNOWN"]
    assert noted and all(f.severity == "info" and f.action is None for f in noted)


def test_the_same_programme_with_its_cost_is_judged_on_it(durable_advisor: Advisor) -> None:
    plan = _advise(durable_advisor, _read(PROGRAMME), _read(SITE))
    assert plan.decision.verdict != "information_needed"
    assert "programme.costs.annual_cost" not in {f for q in plan.missing_information for f in q.fields}


@pytest.mark.parametrize("decided_by", ["local_lead", "commissioner"])
@pytest.mark.parametrize(("affected", "fires"), [(None, True), (True, True), (False, False)])
def test_a_change_one_party_decided_is_a_buy_in_risk_unless_it_alters_no_partners_work(
    durable_advisor: Advisor, decided_by: str, affected: bool | None, fires: bool
) -> None:
    """When a school's own groups meet is its own call (1927); a change to partners' forms or roles
    decided alone reads as imposed (88, 597), and so does one the site says nothing about."""
    programme = _read(PROGRAMME)
    adaptable = next(p["id"] for p in programme["principles"] if p["kind"] == "adaptable")
    site = _read(SITE)
    change: dict[str, Any] = {"id": "own_timetable", "touches": adaptable, "nature": "modify",
                              "description": "Sessions meet on a different day.", "decided_by": decided_by}
    if affected is not None:
        change["partners_affected"] = affected
    site["adaptations"] = [change]
    plan = _advise(durable_advisor, programme, site)
    found = {f.rule_id for f in plan.findings if f.subject_id == "own_timetable"}
    assert ("BI-ADAPTATION-DECIDED-ALONE" in found) is fires


def _partners_left_blank(site: dict[str, Any], blanks: dict[str, list[str]]) -> dict[str, Any]:
    for partner in site["partners"]:
        for field in blanks.get(partner["id"], []):
            partner.pop(field, None)
    return site


_PARTNER_FIELDS = ["regular_meetings", "shares_information", "informal_contact", "consulted",
                   "sees_mutual_benefit", "brings", "years_relationship"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_partners_open_details_are_asked_once_each_and_no_question_mixes_lists(
    reference_advisor: Advisor, data: st.DataObject
) -> None:
    """However the partners' details are left blank, every blank is asked exactly once, a question
    asks about one list's items only, and joining never asks more questions than one per detail."""
    site = _read(SITE)
    ids = [p["id"] for p in site["partners"]]
    blanks = {pid: data.draw(st.lists(st.sampled_from(_PARTNER_FIELDS), unique=True, max_size=5), label=pid)
              for pid in ids}
    plan = _advise(reference_advisor, _read(PROGRAMME), _partners_left_blank(site, blanks))
    asked = [f for q in plan.missing_information for f in q.fields]
    assert len(asked) == len(set(asked))
    partner_questions = [q for q in plan.missing_information if q.field.startswith("site.partners.")]
    for question in partner_questions:
        assert all(f.startswith("site.partners.") for f in question.fields)
    # Never more questions than one per detail and per move, as they were asked before joining.
    per_detail = {(f.rsplit(".", 1)[1], q.could_change_to) for q in partner_questions for f in q.fields}
    assert len(partner_questions) <= len(per_detail)


def test_a_partners_open_details_do_not_push_the_first_actions_off_the_page(durable_advisor: Advisor) -> None:
    """Questions that cannot change the decision take the lines the actions leave, down to three:
    the rural county's partner details pushed its financial plan off the first page."""
    plan = durable_advisor.advise_files(PROFILES / "programmes" / "cafe-families-of-offenders.json",
                                        PROFILES / "sites" / "rural-county.json")
    assert all(q.could_change_to is None for q in plan.summary.questions)
    text = render_text(plan)
    assert len(text.splitlines()) <= SUMMARY_LINES
    assert "Draw up a financial plan" in text
    listed = [line for line in text.splitlines() if line[:5].strip().rstrip(".").isdigit() and "Not stated" in line]
    assert len(listed) >= 3
