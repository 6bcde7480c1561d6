"""A condition the site's own answers about its partners contradict is read as not made: a CAF plan
that listed partners "engaged at the outset" while saying it consulted none of them kept one core
principle at risk where the same plan without the claim had two (1593). The plan says so, once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from replicate.advisor import Advisor
from replicate.loading import load_programme, load_site
from replicate.scenarios import load_scenario

ROOT = Path(__file__).resolve().parent.parent
CAF = load_programme(ROOT / "profiles" / "programmes" / "caf-family-support.json")
CLAIM = "partner_engagement_at_outset"
BASE: dict[str, Any] = load_scenario(next((ROOT / "tests" / "scenarios").glob("1034-*.yaml"))).site.model_dump(
    mode="json", exclude_none=True)


def _site(consulted: list[bool], claimed: bool) -> dict[str, Any]:
    site = {**BASE, "partners": [{**BASE["partners"][i % len(BASE["partners"])], "id": f"p{i}",
                                  "consulted": answer} for i, answer in enumerate(consulted)]}
    conditions = [c for c in BASE["conditions"] if c != CLAIM]
    site["conditions"] = [*conditions, CLAIM] if claimed else conditions
    return site


@settings(max_examples=20, deadline=None)
@given(consulted=st.lists(st.booleans(), min_size=1, max_size=5))
def test_a_claim_every_partner_contradicts_counts_as_not_made(
        durable_advisor: Advisor, consulted: list[bool]) -> None:
    claimed = durable_advisor.advise(CAF, load_site(_site(consulted, claimed=True)))
    unclaimed = durable_advisor.advise(CAF, load_site(_site(consulted, claimed=False)))
    noted = [f for f in claimed.findings if f.rule_id == "BI-ENGAGEMENT-CLAIM-CONTRADICTED"]
    if not any(consulted):
        # Judged as the site without the claim, with one note that says why, weighing nothing in the
        # scores but holding launch until the record is settled.
        expected = "go_with_conditions" if unclaimed.decision.verdict == "go" else unclaimed.decision.verdict
        assert claimed.decision.verdict == expected
        risks = {(f.rule_id, f.subject_id) for f in claimed.findings if not f.is_strength}
        assert risks - {(r.rule_id, r.subject_id) for r in noted} == {
            (f.rule_id, f.subject_id) for f in unclaimed.findings if not f.is_strength}
        assert [t.score for t in claimed.readiness] == [t.score for t in unclaimed.readiness]
        [note] = noted
        assert note.severity == "info" and note.effect.decision == "conditions"
        assert note.action is not None and note.action.phase == "before_launch"
    else:
        # One partner consulted is engagement the site can claim: the claim stands, unremarked, and
        # the principle that needs it is not at risk for want of it. Unclaimed, it is at risk, unless
        # the site's answers show the engagement themselves: every partner consulted, on a plan shaped
        # with them, with every critical partner meeting (as in this base).
        assert not noted
        unmet = ("FL-PRINCIPLE-NEED-UNMET", "co_owned_not_imposed")
        assert (unmet in {(f.rule_id, f.subject_id) for f in unclaimed.findings}) is not all(consulted)
        assert unmet not in {(f.rule_id, f.subject_id) for f in claimed.findings}
