"""Improving a site never makes its advice worse.

A champion appearing, more months of funding secured, a planned adaptation withdrawn, or one that
says how the site works without a condition it lacks are improvements by any reading of the
guidance. For every generated programme and site, making one of those improvements must never add
a finding of the category it bears on (missing buy-in, funding gap, dilution risk, context
mismatch), and must never lower the readiness score of any theme. These hold
because risk rules are written so that a better value can only switch them off (thresholds nest,
"no" is an explicit `== false`), and because the score only multiplies by known risks.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import CONDITIONS, programme_and_site

from replicate.advisor import Advisor
from replicate.loading import load_programme, load_site
from replicate.plan import AdaptationPlan
from replicate.plan.decision import DecisionParameters, theme_score
from replicate.rules.parameters import shipped_parameters

Profile = dict[str, Any]
Improvement = Callable[[Profile], Profile | None]


def _advise(advisor: Advisor, programme: Profile, site: Profile) -> AdaptationPlan:
    return advisor.advise(load_programme(programme), load_site(site))


def _risk_counts(plan: AdaptationPlan) -> Counter[str]:
    return Counter(f.category for f in plan.findings if not f.is_strength)


def _scores(plan: AdaptationPlan) -> dict[str, int]:
    return {score.theme: score.score for score in plan.readiness}


def champion_appears(site: Profile) -> Profile:
    better = copy.deepcopy(site)
    leadership = better.setdefault("leadership", {})
    leadership["champions"] = leadership.get("champions", 0) + 1
    return better


def more_funding(months: int) -> Improvement:
    def improve(site: Profile) -> Profile | None:
        funding = site.get("funding", {})
        if "months_secured" not in funding:
            return None  # from "not stated" to a figure is new information, not more funding
        better = copy.deepcopy(site)
        better["funding"]["months_secured"] = min(600, funding["months_secured"] + months)
        for source in better["funding"].get("sources", []):
            # More funding secured is money committed for longer: a larger headline that no source
            # backs is a claim to check (RS-SOURCES-SHORT-OF-SECURED), not more funding.
            if "months" in source:
                source["months"] = min(600, source["months"] + months)
        return better

    return improve


def withdraw_adaptation(index: int) -> Improvement:
    def improve(site: Profile) -> Profile | None:
        if not site["adaptations"]:
            return None
        better = copy.deepcopy(site)
        del better["adaptations"][index % len(site["adaptations"])]
        return better

    return improve


def work_around(condition: str) -> Improvement:
    """A planned adaptation says how the site will work without a condition (it may lack it or not)."""
    def improve(site: Profile) -> Profile | None:
        if not site["adaptations"]:
            return None
        better = copy.deepcopy(site)
        better["adaptations"][0]["works_around"] = [condition]
        return better

    return improve


IMPROVEMENTS: list[tuple[str, st.SearchStrategy[Improvement]]] = [
    ("missing_buy_in", st.just(champion_appears)),
    ("funding_gap", st.integers(1, 36).map(more_funding)),
    ("dilution_risk", st.integers(0, 5).map(withdraw_adaptation)),
    ("context_mismatch", st.sampled_from(CONDITIONS).map(work_around)),
]


def _check(advisor: Advisor, programme: Profile, site: Profile, category: str, improve: Improvement) -> None:
    better = improve(site)
    assume(better is not None)
    assert better is not None
    before, after = _advise(advisor, programme, site), _advise(advisor, programme, better)
    assert _risk_counts(after)[category] <= _risk_counts(before)[category], (
        f"improving added a {category} finding: "
        f"{sorted(f.ref for f in after.findings if f.category == category)} "
        f"vs {sorted(f.ref for f in before.findings if f.category == category)}"
    )
    old, new = _scores(before), _scores(after)
    lowered = {theme: (old[theme], new[theme]) for theme in old if new[theme] < old[theme]}
    assert lowered == {}, f"improving lowered readiness: {lowered}"


pairs_and_improvements = st.tuples(programme_and_site(), st.sampled_from(IMPROVEMENTS)).flatmap(
    lambda drawn: st.tuples(st.just(drawn[0]), st.just(drawn[1][0]), drawn[1][1])
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairs_and_improvements)
def test_improving_a_fact_never_makes_the_advice_worse(
    reference_advisor: Advisor, case: tuple[tuple[Profile, Profile], str, Improvement]
) -> None:
    (programme, site), category, improve = case
    _check(reference_advisor, programme, site, category, improve)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairs_and_improvements)
def test_the_same_holds_on_the_durable_engine(
    durable_advisor: Advisor, case: tuple[tuple[Profile, Profile], str, Improvement]
) -> None:
    (programme, site), category, improve = case
    _check(durable_advisor, programme, site, category, improve)


@settings(max_examples=150, deadline=None)
@given(programme_and_site())
def test_withdrawing_every_adaptation_clears_every_dilution_risk_about_them(
    reference_advisor: Advisor, pair: tuple[Profile, Profile]
) -> None:
    programme, site = pair
    plain = {**copy.deepcopy(site), "adaptations": []}
    plan = _advise(reference_advisor, programme, plain)
    assert [f.ref for f in plan.findings if f.subject == "adaptation"] == []
    # With no adaptation left, a principle can be at risk only from what the site lacks (its needs).
    lacking = {sid for f in plan.findings if f.subject == "principle" and f.effect.principle == "at_risk"
               for sid in f.subject_ids}
    assert {p.id for p in plan.principles if p.status == "at_risk"} <= lacking


def test_a_champion_clears_the_no_champions_finding(reference_advisor: Advisor) -> None:
    programme = {
        "id": "p", "name": "P", "principles": [{"id": "P1", "statement": "s", "kind": "core"}],
        "components": [{"id": "C1", "name": "c", "serves": ["debt_advice"], "principles": ["P1"]}],
        "proven_context": {"setting": "urban"}, "evidence": {"kind": "cost_benefit"},
        "costs": {"duration_months": 12},
    }
    site = {"id": "s", "name": "S", "leadership": {"champions": 0}}
    before = _advise(reference_advisor, programme, site)
    after = _advise(reference_advisor, programme, champion_appears(site))
    assert "BI-NO-CHAMPIONS" in {f.rule_id for f in before.findings}
    assert "BI-NO-CHAMPIONS" not in {f.rule_id for f in after.findings}
    assert _scores(after)["buy_in"] > _scores(before)["buy_in"]



def test_withdrawing_the_removal_of_a_principle_keeps_its_need_judged(reference_advisor: Advisor) -> None:
    """Explore seed 707: a removed core principle needing a co-designed plan was not judged on that
    need, so withdrawing the removal brought the buy-in finding in and lowered buy-in."""
    programme = {
        "id": "p", "name": "P",
        "principles": [{"id": "P1", "statement": "s", "kind": "core",
                        "needs": [{"label": "a plan shaped with partners", "field": "leadership.co_designed"}]}],
        "components": [{"id": "C1", "name": "c", "serves": ["debt_advice"], "principles": ["P1"]}],
        "proven_context": {"setting": "urban"}, "evidence": {"kind": "cost_benefit"},
        "costs": {"duration_months": 12},
    }
    removes = {"id": "s", "name": "S", "leadership": {"co_designed": False},
               "adaptations": [{"id": "a0", "touches": "P1", "nature": "remove"}]}
    withdrawn = withdraw_adaptation(0)(removes)
    assert withdrawn is not None
    before, after = _advise(reference_advisor, programme, removes), _advise(reference_advisor, programme, withdrawn)
    assert _scores(after)["buy_in"] >= _scores(before)["buy_in"]
    assert "BI-CORE-PRINCIPLE-NOT-SHAPED" in {f.rule_id for f in before.findings}


severities = st.lists(st.sampled_from(["high", "medium", "low"]), max_size=40)
PARAMS = DecisionParameters.from_values({name: p.value for name, p in shipped_parameters().items()})


@given(severities, st.sampled_from(["high", "medium", "low"]))
def test_the_score_only_falls_with_more_risk(risks: list[str], extra: str) -> None:
    score = theme_score(risks, PARAMS)
    assert 0 <= score <= 100
    assert theme_score([*risks, extra], PARAMS) <= score
    assert theme_score(sorted(risks), PARAMS) == score


def test_the_score_is_the_stated_method() -> None:
    assert theme_score([], PARAMS) == 100
    assert theme_score(["high"], PARAMS) == 70
    assert theme_score(["high", "medium"], PARAMS) == 59  # 100 x 0.70 x 0.85 = 59.5, rounded down
    assert theme_score(["low", "low"], PARAMS) == 90  # 100 x 0.95 x 0.95 = 90.25
