"""Conditions that can never be true or always are are caught before a rule runs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replicate.conditions import Truth, evaluate, parse
from replicate.conditions.analyse import combinations, representatives
from replicate.rules.checker import analyse_condition
from replicate.rules.fields import fields_for


@pytest.mark.parametrize(
    "text",
    [
        "site.funding_coverage < 0.5 and site.funding_coverage > 2",
        'site.setting == "rural" and site.setting == "urban"',
        "site.funding.financial_plan and not site.funding.financial_plan",
        '"probation" in site.missing_partner_types and "probation" not in site.missing_partner_types',
        "site.leadership.champions is missing and site.leadership.champions >= 1",
        "site.partner_count > site.critical_partner_count and site.partner_count < site.critical_partner_count",
    ],
)
def test_never_true(text: str) -> None:
    findings = analyse_condition(parse(text), "site")
    assert [f.message for f in findings if "can never be true" in f.message], findings


@pytest.mark.parametrize(
    "text",
    [
        'site.setting == "rural" or site.setting != "rural"',
        "site.funding_coverage < 1 or site.funding_coverage >= 1",
        "site.setting is known or site.setting is missing",
        "site.funding_coverage > 1 or site.funding_coverage <= 1 or site.funding_coverage is missing",
    ],
)
def test_always_true(text: str) -> None:
    findings = analyse_condition(parse(text), "site")
    assert [f.message for f in findings if "always true" in f.message or "every value" in f.message], findings


@pytest.mark.parametrize(
    "text",
    [
        "site.leadership.champions == 0",
        "site.partner_count is missing",
        "site.funding_coverage >= 0.25 and site.funding_coverage < 0.5",
        '"cross_borough_working" in site.missing_conditions or site.setting == "rural"',
        "site.partner_count > site.critical_partner_count",
        "site.funding.financial_plan == false",
    ],
)
def test_ordinary_conditions_pass(text: str) -> None:
    assert analyse_condition(parse(text), "site") == []


NUMBERS = st.sampled_from([0, 0.25, 0.5, 1, 2, 3])
OPS = st.sampled_from(["<", "<=", ">", ">=", "==", "!="])


@st.composite
def numeric_conditions(draw: st.DrawFn) -> str:
    tests = [f"site.funding_coverage {draw(OPS)} {draw(NUMBERS)}" for _ in range(draw(st.integers(1, 3)))]
    joiner = draw(st.sampled_from([" and ", " or "]))
    return joiner.join(tests)


@settings(max_examples=200, deadline=None)
@given(numeric_conditions(), st.floats(-5, 5, allow_nan=False))
def test_never_true_is_sound(text: str, value: float) -> None:
    """Whatever value a 'never true' condition is given, it is not true: the representatives
    really do stand for every value."""
    condition = parse(text)
    if any("can never be true" in f.message for f in analyse_condition(condition, "site")):
        assert evaluate(condition, {"site.funding_coverage": value}) is not Truth.TRUE


@settings(max_examples=200, deadline=None)
@given(numeric_conditions(), st.floats(-5, 5, allow_nan=False))
def test_representatives_reach_every_outcome(text: str, value: float) -> None:
    """Any outcome an arbitrary value gives, some representative value gives too."""
    condition = parse(text)
    outcomes = {evaluate(condition, fact) for fact in combinations(representatives(condition, fields_for("site")))}
    assert evaluate(condition, {"site.funding_coverage": value}) in outcomes
