"""A condition the site's plan works around is answered, not missing, and is judged once.

The guidance asks a site to adapt to local circumstances: a rural district with no buses that takes
its sessions to the families has done what the rural-issues passage asks. A core principle's need
is different: it is judged through the principle, whose finding offers one way round it, an
alternative the partnership board agrees. Worked around by the board's change, it is answered; by
anyone else's, still lacking (1189, 1213)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replicate import Advisor, load_programme, load_site
from replicate.errors import InputError
from replicate.rules.templates import words

ROOT = Path(__file__).resolve().parents[1] / "profiles"
CAFE = ROOT / "programmes" / "cafe-families-of-offenders.json"


def _site(lacking: str, works_around: list[str] | None) -> dict[str, Any]:
    site: dict[str, Any] = json.loads((ROOT / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
    site["conditions"] = [c for c in site["conditions"] if c != lacking]
    if works_around is not None:
        site["adaptations"][0]["works_around"] = works_around
    return site


def _rules(advisor: Advisor, site: dict[str, Any]) -> set[str]:
    return {f.rule_id for f in advisor.advise(load_programme(CAFE), load_site(site)).findings}


def test_a_condition_worked_around_is_a_low_check_not_a_missing_condition(durable_advisor: Advisor) -> None:
    lacking = _rules(durable_advisor, _site("co_located_services", None))
    answered = _rules(durable_advisor, _site("co_located_services", ["co_located_services"]))
    assert "FL-CONDITIONS-MISSING" in lacking and "FL-CONDITIONS-WORKED-AROUND" not in lacking
    assert "FL-CONDITIONS-WORKED-AROUND" in answered and "FL-CONDITIONS-MISSING" not in answered


def test_working_around_a_condition_the_site_has_says_nothing(durable_advisor: Advisor) -> None:
    assert "FL-CONDITIONS-WORKED-AROUND" not in _rules(durable_advisor, _site("nothing", ["co_located_services"]))


SHARING_UNMET = {"FL-PRINCIPLE-NEED-UNMET", "PW-CORE-SHARING-UNMET"}
"""The findings of a core principle lacking the information-sharing agreement it needs."""


def _sharing_protocol(decided_by: str | None, touches: str = "embedded_multi_agency") -> dict[str, Any]:
    """Well-prepared without an information-sharing agreement, and a change that works around it."""
    site = _site("information_sharing_agreement", None)
    site["adaptations"].append({"id": "consent_protocol", "touches": touches, "nature": "modify",
                                "description": "Share case by case under each family's written consent.",
                                "reason": "The borough-wide agreement will not be signed before launch.",
                                "decided_by": decided_by, "works_around": ["information_sharing_agreement"]})
    return site


@pytest.mark.parametrize("decided_by", ["local_lead", "frontline_staff", "programme_developer", None])
def test_what_a_core_principle_needs_is_judged_through_the_principle_unless_the_board_agreed_the_way_round(
    durable_advisor: Advisor, decided_by: str | None,
) -> None:
    board = _rules(durable_advisor, _sharing_protocol("partnership_board"))
    assert not board & SHARING_UNMET
    assert "FL-CONDITIONS-WORKED-AROUND" in board
    alone = _rules(durable_advisor, _sharing_protocol(decided_by))
    # The principle at risk, judged once: as the partnership gap it is (1426), not also as an unmet need.
    assert "PW-CORE-SHARING-UNMET" in alone and "FL-PRINCIPLE-NEED-UNMET" not in alone
    assert "FL-CONDITIONS-WORKED-AROUND" not in alone


def test_a_board_change_to_another_part_of_the_model_answers_nothing_for_the_principle(
    durable_advisor: Advisor,
) -> None:
    """Naming the condition on a change to some other principle does not give this one what it needs (1253)."""
    rules = _rules(durable_advisor, _sharing_protocol("partnership_board", touches="flexible_delivery"))
    assert "PW-CORE-SHARING-UNMET" in rules


def test_a_prerequisite_is_never_worked_around(durable_advisor: Advisor) -> None:
    """A principle that cannot be delivered without a condition at all is groundwork first, whoever
    agreed a way round it (1253: family workers' brief interventions for an absent treatment service)."""
    programme = load_programme(ROOT / "programmes" / "holding-families.json")
    principle, need = next((p, n) for p in programme.principles for n in p.needs if n.prerequisite and n.condition)
    site: dict[str, Any] = json.loads((ROOT / "sites" / "dropping-core.json").read_text(encoding="utf-8"))
    site["conditions"] = [c for c in site.get("conditions") or [] if c != need.condition]
    site["adaptations"] = [{"id": "brief_interventions", "touches": principle.id, "nature": "modify",
                            "description": "Family workers give brief interventions instead.",
                            "reason": "No treatment service in the district.", "decided_by": "partnership_board",
                            "works_around": [need.condition]}]
    plan = durable_advisor.advise(programme, load_site(site))
    assert "FL-PRINCIPLE-PREREQUISITE-MISSING" in {f.rule_id for f in plan.findings}
    assert plan.decision.verdict == "not_yet"


def test_an_unknown_condition_worked_around_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "site.json"
    path.write_text(json.dumps(_site("public_transport", ["public_transprt"])), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_site(path)
    [problem] = caught.value.problems
    assert problem.location == "adaptations[0].works_around[0]"
    assert "did you mean 'public_transport'" in problem.message


def _rural_with_scheme(room: bool | None, also_lacking: str = "nothing") -> dict[str, Any]:
    site = _site("public_transport", None)
    site["setting"] = "rural"
    site["conditions"] = [c for c in site["conditions"] if c != also_lacking]
    service: dict[str, Any] = {"id": "dial_a_ride", "name": "Dial-a-ride", "covers": ["rural_transport"]}
    if room is not None:
        service["has_capacity"] = room
    site["existing_services"] = [*site["existing_services"], service]
    return site


@pytest.mark.parametrize("room", [True, False])
def test_a_transport_service_answers_missing_buses_only_when_it_has_room(
    durable_advisor: Advisor, room: bool
) -> None:
    """A community transport scheme with room carries the families public transport would have; one
    said to be full does not."""
    rules = _rules(durable_advisor, _rural_with_scheme(room))
    assert ("FL-RURAL-TRANSPORT-MISSING" in rules) == (not room)


def test_a_transport_scheme_of_unstated_room_is_asked_about_not_assumed_either_way(durable_advisor: Advisor) -> None:
    """With buses the only missing condition, whether the scheme has room decides between a plain
    go and a travel condition: the plan asks it, naming the scheme, and guesses neither (467)."""
    plan = durable_advisor.advise(load_programme(CAFE), load_site(_rural_with_scheme(None)))
    rules = {f.rule_id for f in plan.findings}
    assert not rules & {"FL-RURAL-MISSING-CONDITIONS", "FL-RURAL-TRANSPORT-MISSING", "FL-RURAL-URBAN-MODEL",
                        "FL-CONTEXT-SIMILAR"}
    assert plan.decision.provisional
    [first, *_] = plan.missing_information
    assert first.field == "site.existing_services.dial_a_ride.has_capacity"
    assert first.could_change_to is not None


def test_a_transport_scheme_of_unstated_room_beside_another_missing_condition_is_listed_as_missing(
    durable_advisor: Advisor,
) -> None:
    """When another condition is missing anyway the rural finding stands either way, so the buses the
    site does lack are listed with it and nothing is asked that could not change the advice."""
    plan = durable_advisor.advise(load_programme(CAFE), load_site(_rural_with_scheme(None, "co_located_services")))
    [rural] = [f for f in plan.findings if f.rule_id == "FL-RURAL-TRANSPORT-MISSING"]
    assert "public transport" in rural.advice
    assert all("dial_a_ride" not in q.field for q in plan.missing_information)


@pytest.mark.parametrize("answer", ["scheme", "adaptation"])
def test_the_travel_note_names_what_answers_the_missing_buses(durable_advisor: Advisor, answer: str) -> None:
    """The rural travel note said "the plan answers how they will" and showed `site.works_around`, a
    fact the site had not written, where a listed transport service with room had answered it (1617).
    It names the answer: the service, or the adaptation marked as working around the buses."""
    site = _rural_with_scheme(True) if answer == "scheme" else _site("public_transport", ["public_transport"])
    site["setting"] = "rural"
    plan = durable_advisor.advise(load_programme(CAFE), load_site(site))
    [note] = [f for f in plan.findings if f.rule_id == "FL-RURAL-TRAVEL-ANSWERED"]
    named = "Dial-a-ride" if answer == "scheme" else f'adaptation "{site["adaptations"][0]["id"]}"'
    assert named in note.advice and note.action is not None and named in note.action.do
    assert "FL-RURAL-STAFF-TRAVEL" not in {f.rule_id for f in plan.findings}


@settings(max_examples=20, deadline=None)
@given(worked_around=st.sets(st.sampled_from(["public_transport", "cross_borough_working", "co_located_services"]),
                             min_size=1))
def test_every_condition_worked_around_is_checked_once_delivery_starts(
    durable_advisor: Advisor, worked_around: set[str],
) -> None:
    """A rural county that works around some of the conditions the programme relied on: each is
    answered, so none is a launch condition, and each is checked once delivery starts. The travel
    note, which checks the journeys, absorbed the check of the other conditions, so a cross-district
    protocol went unchecked beside the outreach hubs (1638)."""
    site = _site("nothing", None)
    site["setting"] = "rural"
    site["conditions"] = [c for c in site["conditions"] if c not in worked_around]
    site["adaptations"][0]["works_around"] = sorted(worked_around)
    plan = durable_advisor.advise(load_programme(CAFE), load_site(site))
    checks = " ".join(a.do for a in plan.actions if a.phase == "first_six_months")
    for condition in worked_around - {"public_transport"}:
        assert words(condition) in checks
    if "public_transport" in worked_around:
        assert 'adaptation "evening_outreach"' in checks  # the journeys, checked by what answers them
    assert not {f.rule_id for f in plan.findings} & {"FL-CONDITIONS-MISSING", "FL-RURAL-MISSING-CONDITIONS"}


@settings(max_examples=20, deadline=None)
@given(data=st.data(), setting=st.sampled_from(["rural", "urban", "mixed"]))
def test_a_condition_still_missing_does_not_take_away_the_check_of_one_worked_around(
    durable_advisor: Advisor, data: st.DataObject, setting: str,
) -> None:
    """The finding for what is still missing asks how to work without it before launch; it is not the
    first-review check that the way round another condition reaches the people it served. A rural
    leaving-care service without buses lost the check of its new referral route that way (1862)."""
    programme = load_programme(CAFE)
    relied_on = sorted(programme.proven_context.relies_on)
    needed = {n.condition for p in programme.principles if p.kind == "core" for n in p.needs}  # judged by principle
    around = data.draw(st.sets(st.sampled_from([c for c in relied_on if c != "public_transport" and c not in needed]),
                               min_size=1))
    missing = data.draw(st.sets(st.sampled_from([c for c in relied_on if c not in around]), min_size=1))
    site = _site("nothing", sorted(around))
    site["setting"] = setting
    site["conditions"] = [c for c in relied_on if c not in around | missing]
    plan = durable_advisor.advise(programme, load_site(site))
    checks = " ".join(a.do for a in plan.actions if a.phase == "first_six_months")
    for condition in around:
        assert words(condition) in checks, (condition, missing)
