"""More partners not sharing never makes the advice milder. With every partner silent, the finding
for the whole partnership took in each critical partner's before-launch condition and asked only
for joint reviews within six months: a signed agreement nobody shared under got "go" (1966), where
one critical partner not sharing got a condition (1958)."""

from __future__ import annotations

import json
from typing import Any

from conftest import PROFILES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replicate.advisor import Advisor
from replicate.loading import load_programme, load_site
from replicate.plan.decision import rank

PROGRAMME = PROFILES / "programmes" / "cafe-families-of-offenders.json"
SITE = json.loads((PROFILES / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
PARTNERS = [p["id"] for p in SITE["partners"]]


def _silenced(silent: set[str]) -> dict[str, Any]:
    site: dict[str, Any] = json.loads(json.dumps(SITE))
    for partner in site["partners"]:
        if partner["id"] in silent:
            partner["shares_information"] = False
    return site


def _verdict(advisor: Advisor, silent: set[str]) -> str:
    return advisor.advise(load_programme(PROGRAMME), load_site(_silenced(silent))).decision.verdict


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sets(st.sampled_from(PARTNERS)), st.sets(st.sampled_from(PARTNERS), min_size=1))
def test_more_partners_not_sharing_is_never_a_better_decision(
    reference_advisor: Advisor, silent: set[str], more: set[str]
) -> None:
    # rank: 0 for go, growing worse.
    assert rank(_verdict(reference_advisor, silent | more)) >= rank(_verdict(reference_advisor, silent))


def test_no_partner_sharing_is_a_condition_before_launch(durable_advisor: Advisor) -> None:
    plan_all = durable_advisor.advise(load_programme(PROGRAMME), load_site(_silenced(set(PARTNERS))))
    assert plan_all.decision.verdict != "go"
    found = {f.rule_id: f for f in plan_all.findings}
    assert found["DU-REPEATED-INFORMATION"].action is not None
    assert found["DU-REPEATED-INFORMATION"].action.phase == "before_launch"

