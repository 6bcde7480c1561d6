"""A focused programme whose partners, none critical to it, are kept informed is the single-agency
approach the guidance offers ("a single agency approach could be more appropriate ... where looking to
achieve a focused outcome; where partners are not critical"). Told to give each of them a seat at
regular meetings, or to form a core group of critical partners it does not have, a school that took
the advice read a plan that undid it (1539)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import PROFILES
from hypothesis import given, settings
from hypothesis import strategies as st

from replicate.advisor import Advisor
from replicate.loading import load_programme, load_site
from replicate.scenarios import load_scenario

FEDERATION = load_scenario(Path(__file__).parent / "scenarios" / "1011-rs6-federation-self-funded.yaml")
MEETING_RULES = {"PW-NO-REGULAR-MEETINGS", "PW-PARTNER-NO-MEETINGS", "PW-TIPPING-POINT",
                 "PW-MORE-AGENCIES-THAN-PROVEN"}


def _partner(number: int, meets: bool) -> dict[str, object]:
    return {"id": f"p{number}", "name": f"Partner {number}", "type": "voluntary", "role": "Kept informed.",
            "critical": False, "years_relationship": 3, "informal_contact": True, "regular_meetings": meets,
            "consulted": True, "shares_information": True, "sees_mutual_benefit": True, "brings": ["skills"]}


def _with_partners(site: dict[str, Any], partners: list[dict[str, object]]):  # type: ignore[no-untyped-def]
    return load_site({**site, "partners": partners})


@settings(max_examples=15, deadline=None)
@given(count=st.integers(2, 14), meeting=st.integers(0, 1))
def test_partners_kept_informed_are_not_told_to_meet(durable_advisor: Advisor, count: int, meeting: int) -> None:
    assert FEDERATION.programme.focused_outcome is True
    base = FEDERATION.site.model_dump(mode="json", by_alias=True, exclude_none=True)
    site = _with_partners(base, [_partner(n, meets=n < meeting) for n in range(count)])
    fired = {finding.rule_id for finding in durable_advisor.advise(FEDERATION.programme, site).findings}
    assert not fired & MEETING_RULES, fired


def test_the_same_partners_of_a_wide_programme_still_are(durable_advisor: Advisor) -> None:
    """Only the focused programme's shape lifts them: CAFÉ, a multi-agency model, is still told."""
    programme = load_programme(PROFILES / "programmes" / "cafe-families-of-offenders.json")
    well_prepared = json.loads((PROFILES / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
    site = _with_partners(well_prepared, [_partner(n, meets=False) for n in range(4)])
    fired = {finding.rule_id for finding in durable_advisor.advise(programme, site).findings}
    assert "PW-NO-REGULAR-MEETINGS" in fired
