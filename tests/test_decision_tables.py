"""Decision tables compile to ordinary rules, and gaps, overlaps and unreachable rows are caught."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replicate.conditions import Truth, evaluate
from replicate.resources import shipped_rules_dir
from replicate.rules.examples import run_examples
from replicate.rules.loader import load_rule_files, load_rule_text

TABLE = """\
table:
  id: TST-FUND-TABLE
  theme: resources
  category: funding_gap
  hit: {hit}
  factors: [RS10]
  source: {{theme: resources, quote: "early financial planning is essential"}}
  basis: {{kind: local_default, rationale: "The guidance draws no line on how much of the run must be funded."}}
  columns: [site.funding_coverage, severity, title, advice]
  rows:
    - ["< param.funding_coverage_low", high, "Very little funded", "Little is funded."]
    - ["{second}", medium, "Half funded", "Half is funded."]
    - [">= 1", none, "-", "-"]
  examples:
    - {{given: {{site.funding_coverage: 0.1}}, expect: 1}}
    - {{given: {{site.funding_coverage: 0.5}}, expect: 2}}
    - {{given: {{site.funding_coverage: 1.2}}, expect: none}}
"""


def load(text: str, name: str = "table.yaml"):  # type: ignore[no-untyped-def]
    return load_rule_text(text, name)


def test_first_hit_table_compiles_to_rules_that_exclude_earlier_rows() -> None:
    result = load(TABLE.format(hit="first", second="< 1"))
    assert result.problems == []
    assert [r.id for r in result.rules] == ["TST-FUND-TABLE-1", "TST-FUND-TABLE-2"]
    first, second = result.rules
    assert (first.spec.severity, second.spec.severity) == ("high", "medium")
    assert evaluate(second.condition, {"site.funding_coverage": 0.1}) is Truth.FALSE
    assert evaluate(second.condition, {"site.funding_coverage": 0.5}) is Truth.TRUE
    assert first.line == 11 and second.line == 12
    # The row's named parameter is bound to the shipped value (0.25) and recorded on the rule.
    assert first.parameters == ("funding_coverage_low",)
    assert evaluate(first.condition, {"site.funding_coverage": 0.24}) is Truth.TRUE
    assert evaluate(first.condition, {"site.funding_coverage": 0.25}) is Truth.FALSE


@settings(max_examples=100, deadline=None)
@given(st.floats(-1, 3, allow_nan=False))
def test_at_most_one_row_fires_for_any_value(value: float) -> None:
    rules = load(TABLE.format(hit="first", second="< 1")).rules
    fired = [r.id for r in rules if evaluate(r.condition, {"site.funding_coverage": value}) is Truth.TRUE]
    expected = [] if value >= 1 else ["TST-FUND-TABLE-1"] if value < 0.25 else ["TST-FUND-TABLE-2"]
    assert fired == expected


def test_gap_is_reported_with_a_value_no_row_covers() -> None:
    result = load(TABLE.format(hit="first", second=">= param.funding_coverage_low and < param.funding_coverage_half"))
    messages = [p.message for p in result.problems]
    assert any(m.startswith("gap: no row covers site.funding_coverage = 0.75") for m in messages), messages
    assert all(str(p).startswith("table.yaml:") for p in result.problems)


def test_unique_table_reports_overlapping_rows() -> None:
    result = load(TABLE.format(hit="unique", second="< 1"))
    messages = [p.message for p in result.problems]
    assert any("rows 1 and 2 overlap (both match site.funding_coverage = -0.75)" in m
               or "rows 1 and 2 overlap" in m for m in messages), messages


def test_unreachable_row_is_reported() -> None:
    result = load(TABLE.format(hit="first", second="< 0"))  # everything below 0 is below 0.25: row 1
    assert any("row 2 is never reached" in p.message for p in result.problems)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('"< param.funding_coverage_low"', '"<< param.funding_coverage_low"',
         "row 1, column site.funding_coverage: cell '<< param.funding_coverage_low' is not a test"),
        ('"< param.funding_coverage_low"', '"< low"', "row 1, column site.funding_coverage"),
        ("site.funding_coverage, severity", "site.funding_coverag, severity", "did you mean 'site.funding_coverage'"),
        ("severity, title", "severty, title", "did you mean 'severity'"),
        ("hit: first", "hit: frist", "did you mean 'first'"),
        ("high,", "hihg,", "did you mean 'high'"),
        ("expect: 1}", "expect: 7}", "expect 7 names no row"),
    ],
)
def test_malformed_tables_are_errors_never_silent(old: str, new: str, expected: str) -> None:
    text = TABLE.format(hit="first", second="< 1")
    assert old in text
    result = load(text.replace(old, new, 1))
    assert any(expected in str(p) for p in result.problems), [str(p) for p in result.problems]


def test_table_examples_become_examples_of_every_row_and_pass() -> None:
    rules = load(TABLE.format(hit="first", second="< 1")).rules
    assert all(len(r.spec.examples) == 3 for r in rules)
    assert [e.fires for e in rules[0].spec.examples] == [True, False, False]
    outcomes = run_examples(rules, engine="reference")
    assert outcomes and all(o.passed for o in outcomes)


CSV = """\
# id: TST-CSV-TABLE
# theme: resources
# category: funding_gap
# factors: [RS10]
# source: {theme: resources, quote: "early financial planning is essential"}
# advice: "Funding covers {site.funding_coverage} of the run."
# basis: {kind: local_default, rationale: "The guidance draws no line on how much of the run must be funded."}
site.funding_coverage <,site.setting,severity,title
param.funding_coverage_half,rural,high,Half funded in a rural area
param.funding_coverage_half,-,medium,Half funded
-,-,none,-
"""


def test_csv_table_with_operator_in_header(tmp_path: Path) -> None:
    path = tmp_path / "funding.csv"
    path.write_text(CSV, encoding="utf-8")
    result = load_rule_files([path])
    assert result.problems == []
    rural, other = result.rules
    assert rural.spec.when == 'site.funding_coverage < param.funding_coverage_half and site.setting == "rural"'
    assert rural.line == 9 and other.line == 10
    assert evaluate(other.condition, {"site.funding_coverage": 0.2, "site.setting": "urban"}) is Truth.TRUE
    assert evaluate(other.condition, {"site.funding_coverage": 0.2, "site.setting": "rural"}) is Truth.FALSE


def test_csv_cell_error_points_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "funding.csv"
    path.write_text(CSV.replace("_half,rural", "_half,rurl"), encoding="utf-8")
    problems = load_rule_files([path]).problems
    assert any(p.line == 9 and "did you mean 'rural'" in p.message for p in problems), [str(p) for p in problems]


def test_shipped_table_loads_and_every_row_has_both_kinds_of_example() -> None:
    result = load_rule_files([shipped_rules_dir() / "tables"])
    assert result.problems == []
    assert result.rules
    for rule in result.rules:
        assert {e.fires for e in rule.spec.examples} == {True, False}, rule.id
    assert all(o.passed for o in run_examples(result.rules, engine="both"))
