"""A funding claim (self-funded or low cost; costs shared) counts as a mitigation only where the
sources the site lists bear it out, so an unbacked tick cannot lift a prohibitive cost to a
condition (448), and a blank or a claim the sources leave open is never turned into a "no"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replicate import Advisor, load_programme, load_site
from replicate.facts.funding_claims import OUTSIDE_MONEY, OWN_MONEY, joined_up_backed, self_funding_backed
from replicate.schema import Funding

ROOT = Path(__file__).resolve().parents[1] / "profiles"
CAFE = ROOT / "programmes" / "cafe-families-of-offenders.json"
KINDS = ["core_budget", "grant", "partner_contribution", "self_funded", "charitable", "other"]

sources = st.lists(st.fixed_dictionaries({
    "name": st.just("A source"), "kind": st.sampled_from(KINDS),
    "stability": st.sampled_from(["secure", "time_limited", "uncertain"]),
    "months": st.one_of(st.none(), st.integers(0, 60)),
}), max_size=4)


@given(claim=st.sampled_from([None, False]), listed=sources, ratio=st.one_of(st.none(), st.floats(0, 5)))
def test_a_claim_not_made_is_never_made_by_the_sources(claim: bool | None, listed: list[dict[str, Any]],
                                                        ratio: float | None) -> None:
    funding = Funding.model_validate({"sources": listed, "self_funding": claim, "joined_up": claim})
    assert self_funding_backed(funding, ratio) is claim
    assert joined_up_backed(funding) is claim


@given(listed=sources, ratio=st.one_of(st.none(), st.floats(0, 5)))
def test_self_funding_is_unbacked_only_above_the_budget_with_no_money_of_the_sites_own(
    listed: list[dict[str, Any]], ratio: float | None
) -> None:
    funding = Funding.model_validate({"sources": listed, "self_funding": True})
    unbacked = bool(listed) and ratio is not None and ratio > 1 and not any(s["kind"] in OWN_MONEY for s in listed)
    assert self_funding_backed(funding, ratio) is (not unbacked)


@given(listed=sources)
def test_joined_up_is_unbacked_only_on_one_outside_grant_of_a_year_or_less(listed: list[dict[str, Any]]) -> None:
    funding = Funding.model_validate({"sources": listed, "joined_up": True})
    unbacked = (len(listed) == 1 and listed[0]["kind"] in OUTSIDE_MONEY
                and listed[0]["months"] is not None and listed[0]["months"] <= 12)
    assert joined_up_backed(funding) is (not unbacked)


def _colbeck(self_funding: bool, own_money: bool) -> dict[str, Any]:
    """The ready site on a 75,000 budget (CAFÉ costs 180,000), from one undecided year-long grant."""
    site: dict[str, Any] = json.loads((ROOT / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
    site["funding"].update({
        "annual_budget": 75000, "self_funding": self_funding, "joined_up": False,
        "extends_existing_work": False, "extends_existing_roles": False,
        "sources": [{"name": "Community safety fund", "kind": "core_budget" if own_money else "grant",
                     "stability": "uncertain", "months": 12}],
    })
    return site


@pytest.mark.parametrize(("self_funding", "own_money"), [(True, False), (True, True), (False, False)])
def test_an_unbacked_self_funding_tick_leaves_a_prohibitive_cost_prohibitive(
    durable_advisor: Advisor, self_funding: bool, own_money: bool
) -> None:
    plan = durable_advisor.advise(load_programme(CAFE), load_site(_colbeck(self_funding, own_money)))
    rules = {f.rule_id for f in plan.findings}
    backed = self_funding and own_money
    assert ("RS-COST-HIGH-MITIGATED" in rules) == backed
    assert ("RS-COST-PROHIBITIVE" in rules) == (not backed)
    assert ("RS-SELF-FUNDING" in rules) == backed
    assert ("RS-SELF-FUNDING-UNBACKED" in rules) == (self_funding and not own_money)
