"""The rule language: errors point at file, line, column and rule, with did-you-mean; nothing runs."""

from __future__ import annotations

import pytest

from replicate.conditions import ExpressionError, parse, render
from replicate.rules.checker import check_condition
from replicate.rules.loader import load_rule_text

RULE = """rules:
  - id: FUND-003
    title: Short funding
    theme: resources
    category: funding_gap
    severity: high
    when: site.funding.month_secured == 0
    advice: Only {{site.funding.months_secured}} months.
    factors: [RS10]
    source: {{theme: resources, quote: "early financial planning"}}
    basis: {{kind: guidance}}
"""


def test_unknown_field_is_reported_at_its_line_and_column_with_a_suggestion() -> None:
    result = load_rule_text(RULE.replace("{{", "{").replace("}}", "}"), "rules/funding.yaml")
    assert result.rules == []
    [problem] = result.problems
    assert (problem.source, problem.line, problem.column, problem.rule_id) == ("rules/funding.yaml", 7, 11, "FUND-003")
    assert "unknown field 'site.funding.month_secured'" in problem.message
    assert "did you mean 'site.funding.months_secured'" in problem.message


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("site.setting = 'rural'", 14, "use '=='"),
        ("site.setting == 'rural' &&", 25, "write 'and'"),
        ("__import__('os')", 1, "calls are not allowed"),
        ("site.__class__", 1, "'_' are not allowed"),
        ("site.name.upper()", 1, "calls are not allowed"),
        ("site.setting ==", 16, "expected a value"),
        ("(" * 30 + "site.staff.ownership" + ")" * 30, 25, "nested more than"),
        ("site.staff.ownership or " * 200 + "site.staff.ownership", 1, "the limit is"),
    ],
)
def test_syntax_errors_say_where_and_what(text: str, column: int, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert caught.value.column == column and message in caught.value.message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('site.setting == "rurall"', "did you mean 'rural'"),
        ("site.setting < 3", "compares numbers"),
        ("site.leadership.champions", "not true/false"),
        ("partner.critical", "for_each: partner"),
        ('"x" in site.setting', "not a list"),
        ("site.conditions == 1", "is a list"),
    ],
)
def test_type_errors_are_caught_before_anything_runs(text: str, message: str) -> None:
    problems = check_condition(parse(text), "site")
    assert problems and message in problems[0][1]


def test_render_round_trips() -> None:
    text = 'not (site.setting == "rural") and ("x" in site.conditions or site.leadership.champions >= 2)'
    assert parse(render(parse(text))) == parse(text)
