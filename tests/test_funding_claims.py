"""A funding claim (self-funded or low cost; costs shared) counts as a mitigation only where the
sources the site lists bear it out, so an unbacked tick cannot lift a prohibitive cost to a
condition (448) nor stand as a strength (668, 670), and a blank or a claim the sources leave open is
never turned into a "no"."""

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


@given(claim=st.sampled_from([None, False]), listed=sources, ratio=st.one_of(st.none(), st.floats(0, 5)),
       run=st.integers(1, 60), bring=st.sampled_from([[], ["funding"], ["skills"]]))
def test_a_claim_not_made_is_never_made_by_the_sources(claim: bool | None, listed: list[dict[str, Any]],
                                                        ratio: float | None, run: int, bring: list[str]) -> None:
    funding = Funding.model_validate({"sources": listed, "self_funding": claim, "joined_up": claim})
    assert self_funding_backed(funding, ratio, run) is claim
    assert joined_up_backed(funding, bring, True) is claim
    assert joined_up_backed(funding, bring, False) is claim


@given(listed=sources, ratio=st.one_of(st.none(), st.floats(0, 5)), run=st.integers(1, 60))
def test_self_funding_is_unbacked_on_outside_money_alone_above_the_budget_or_on_own_money_that_runs_out(
    listed: list[dict[str, Any]], ratio: float | None, run: int
) -> None:
    funding = Funding.model_validate({"sources": listed, "self_funding": True})
    own = [s for s in listed if s["kind"] in OWN_MONEY]
    runs_out = bool(own) and all(s["stability"] != "secure" and s["months"] is not None and s["months"] < run
                                 for s in own)
    over_budget_on_outside_money = bool(listed) and ratio is not None and ratio > 1 and not own
    wholly_outside = bool(listed) and all(s["kind"] in OUTSIDE_MONEY for s in listed)  # 834
    assert self_funding_backed(funding, ratio, run) is not (runs_out or over_budget_on_outside_money
                                                            or wholly_outside)


brought = st.lists(st.sampled_from(["skills", "funding", "resources"]), max_size=3)


@given(listed=sources, bring=brought, every_partner_said=st.booleans())
def test_joined_up_is_unbacked_on_one_short_outside_grant_or_one_source_no_partner_pays_into(
    listed: list[dict[str, Any]], bring: list[str], every_partner_said: bool
) -> None:
    funding = Funding.model_validate({"sources": listed, "joined_up": True})
    [only] = listed if len(listed) == 1 else [None]
    short_grant = only is not None and only["kind"] in OUTSIDE_MONEY and only["months"] is not None \
        and only["months"] <= 12
    # Resources in kind (a federation's teachers' time) spread the cost as money does (945).
    nobody_pays_in = only is not None and only["kind"] != "partner_contribution" \
        and not {"funding", "resources"} & set(bring)
    expected = (False if short_grant else True if not nobody_pays_in
                else False if every_partner_said else None)
    assert joined_up_backed(funding, bring, every_partner_said) is expected


def _colbeck(self_funding: bool, own_money: bool) -> dict[str, Any]:
    """The ready site on a 75,000 budget (CAFÉ costs 180,000), from one undecided source: a year-long
    grant, or the site's own budget for the whole run (own money that ran out after a year would not
    back the claim either)."""
    site: dict[str, Any] = json.loads((ROOT / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
    site["funding"].update({
        "annual_budget": 75000, "self_funding": self_funding, "joined_up": False,
        "extends_existing_work": False, "extends_existing_roles": False,
        "sources": [{"name": "Community safety fund", "kind": "core_budget" if own_money else "grant",
                     "stability": "uncertain", "months": 36 if own_money else 12}],
    })
    return site


@pytest.mark.parametrize(("self_funding", "own_money"), [(True, False), (True, True), (False, False)])
def test_a_self_funding_tick_leaves_a_prohibitive_cost_prohibitive(
    durable_advisor: Advisor, self_funding: bool, own_money: bool
) -> None:
    """Own money is in the budget the cost is set against already: backed or not, it neither lifts a
    cost at 2.4 times the budget to a condition nor makes the programme "self-funded or low cost"
    (1310, 1321); a tick nothing backs is said to be unbacked."""
    plan = durable_advisor.advise(load_programme(CAFE), load_site(_colbeck(self_funding, own_money)))
    rules = {f.rule_id for f in plan.findings}
    assert "RS-COST-HIGH-MITIGATED" not in rules and "RS-SELF-FUNDING" not in rules
    assert "RS-COST-PROHIBITIVE" in rules and plan.decision.verdict == "not_yet"
    assert ("RS-SELF-FUNDING-UNBACKED" in rules) == (self_funding and not own_money)
