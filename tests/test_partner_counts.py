"""One partner leaving a field out must not hide what the others are known to do: six partners that
meet are "at least one meets" whatever the seventh says, so "no partner meets" is not an open
question and the strength of partners who meet is not withdrawn while the seventh is asked. Likewise
what the others bring (skills, funding, profile) stands while one partner leaves `brings` out."""

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

PROFILES = Path(__file__).parent.parent / "profiles"
FIELDS = ("regular_meetings", "shares_information", "informal_contact", "years_relationship", "brings")
NO: dict[str, Any] = {"regular_meetings": False, "shares_information": False, "informal_contact": False,
                      "years_relationship": 0, "brings": []}


def _site() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PROFILES / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("index", range(len(_site()["partners"])))
def test_a_field_one_partner_leaves_out_hides_no_strength_a_no_would_keep(durable_advisor: Advisor, field: str,
                                                                          index: int) -> None:
    programme = load_programme(PROFILES / "programmes" / "cafe-families-of-offenders.json")
    blank, answered = _site(), _site()
    blank["partners"][index].pop(field, None)
    answered["partners"][index][field] = NO[field]

    def strengths(data: dict[str, Any]) -> set[str]:
        plan = durable_advisor.advise(programme, load_site(copy.deepcopy(data)))
        return {f.rule_id for f in plan.findings if f.is_strength and f.theme == "partnership_working"}

    assert strengths(answered) <= strengths(blank)


def test_a_blank_peripheral_partner_leaves_a_ready_site_a_plain_go(durable_advisor: Advisor) -> None:
    """Riverside adds a credit union, not critical, with nothing else said of it (scenario 461): the
    other partners meet, so "no partner meets" cannot follow, and the go is not provisional on it."""
    from replicate.scenarios import load_scenario

    scenario = load_scenario(next((Path(__file__).parent / "scenarios").glob("461-*.yaml")))
    plan = durable_advisor.advise(scenario.programme, scenario.site)
    assert plan.decision.verdict == "go" and not plan.decision.provisional


FLAG = st.sampled_from([True, False, None])


@settings(max_examples=60, deadline=None)
@given(flags=st.lists(st.tuples(FLAG, FLAG, FLAG), min_size=1, max_size=5))
def test_partners_cut_off_are_counted_within_bounds_and_asked_only_when_the_unknowns_could_cross_the_line(
        reference_advisor: Advisor, flags: list[tuple[bool | None, bool | None, bool | None]]) -> None:
    """Two or more partners critical to delivery cut off (neither meeting nor sharing) is groundwork
    (520); one partner's blank must neither hide two known cut off nor open a question that no
    answer could settle above the line (83, 158, 498)."""
    programme = load_programme(PROFILES / "programmes" / "cafe-families-of-offenders.json")
    site = _site()
    site["partners"] = [
        {"id": f"p{i}", "name": f"Partner {i}", "type": "other", "role": "Delivers a part.",
         **{k: v for k, v in (("critical", critical), ("regular_meetings", meets), ("shares_information", shares))
            if v is not None}}
        for i, (critical, meets, shares) in enumerate(flags)]
    found, undetermined = reference_advisor.findings(programme, load_site(site))
    cut_off = [(c, m is False and s is False, c is False or m is True or s is True) for c, m, s in flags]
    at_least = sum(1 for c, known, _ in cut_off if c is True and known)
    at_most = sum(1 for _, _, ruled_out in cut_off if not ruled_out)
    fired = "PW-CRITICAL-PARTNERS-CUT-OFF" in {f.rule_id for f in found}
    asked = "PW-CRITICAL-PARTNERS-CUT-OFF" in {u.rule_id for u in undetermined}
    assert fired == (at_least >= 2)
    assert asked == (at_least < 2 <= at_most)


INVOLVEMENT = ("consulted", "regular_meetings", "shares_information", "informal_contact", "sees_mutual_benefit")


@given(flags=st.lists(st.fixed_dictionaries({}, optional={field: st.booleans() for field in INVOLVEMENT}),
                      min_size=1, max_size=4))
@settings(max_examples=40, deadline=None)
def test_what_a_partner_brings_counts_only_once_it_is_known_to_take_part(flags: list[dict[str, bool]]) -> None:
    """A partner that says it brings skills and profile, but is not known to be consulted, to meet,
    to share, to be in touch or to see a benefit, is on the letterhead only (828, 836): the strengths
    of what partners bring are not credited on it, while what it says it brings is still on record.
    Nor is the profile of one that sees no benefit for its own service."""
    from replicate.facts.partners import partner_facts
    from replicate.schema import Partner

    programme = load_programme(PROFILES / "programmes" / "cafe-families-of-offenders.json")
    partners = [Partner.model_validate({"id": f"p{n}", "name": f"Partner {n}", "type": "voluntary",
                                        "brings": ["skills", "profile"], **flag})
                for n, flag in enumerate(flags)]
    facts = partner_facts(partners, programme)
    taking_part = [p.name for p, flag in zip(partners, flags, strict=True) if any(flag.values())]
    # One that sees nothing in it for its own service is not relied on to vouch for it (1694).
    vouching = [p.name for p, flag in zip(partners, flags, strict=True)
                if any(flag.values()) and flag.get("sees_mutual_benefit") is not False]
    assert facts["partners_bringing_skills"] == tuple(sorted(taking_part))
    assert facts["partners_bringing_profile"] == tuple(sorted(vouching))
    assert facts["involved_partner_contributions"] == (("profile",) if vouching else ()) + (
        ("skills",) if taking_part else ())
    assert facts["partner_contributions"] == ("profile", "skills")


@pytest.mark.parametrize("lead", [None, "housing", "health"])
def test_the_lead_organisations_own_kind_is_not_a_missing_partner(durable_advisor: Advisor, lead: str | None) -> None:
    """A council's own service was told to find who covers 'the local authority partner' of the
    original: the lead organisation itself was that partner (923, 932, 941)."""
    site = _site()
    site["partners"] = [p for p in site["partners"] if p["type"] != "housing"]
    if lead is not None:
        site["lead_organisation_type"] = lead
    plan = durable_advisor.advise(load_programme(PROFILES / "programmes" / "cafe-families-of-offenders.json"),
                                  load_site(site))
    flagged = [f for f in plan.findings if f.rule_id == "FL-PARTNER-TYPE-MISSING"]
    assert bool(flagged) is (lead != "housing")
    assert all("housing" in f.advice for f in flagged)
