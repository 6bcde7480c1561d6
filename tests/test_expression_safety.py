"""The condition language can never run code: anything that is not a condition is refused with
an `ExpressionError` naming the column, and rule files cannot build objects through YAML tags."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replicate.conditions import ExpressionError, parse, render
from replicate.conditions.parse import MAX_DEPTH, MAX_LENGTH
from replicate.rules.loader import load_rule_text


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_or_raises_expression_error(text: str) -> None:
    try:
        condition = parse(text)
    except ExpressionError as error:
        assert error.column >= 1 and error.message
    else:
        assert parse(render(condition)) == condition


ALPHABET = st.sampled_from([*list("site.ab_ ()[]\"'=!<>,0123456789"), "and ", "or ", "not ", "in ", "is ", "missing"])


@settings(max_examples=500, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_near_miss_text_parses_or_raises_expression_error(text: str) -> None:
    with contextlib.suppress(ExpressionError):
        parse(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("site.name.upper() == 'X'", "calls are not allowed"),
        ("__import__('os')", "calls are not allowed"),
        ("__import__('os').system('ls')", "unexpected character '.'"),
        ("site.__class__ == 1", "names starting with '_' are not allowed"),
        ("site.__dict__", "names starting with '_' are not allowed"),
        ("import os", "unexpected 'os'"),
        ("lambda: 1", "unexpected character ':'"),
        ("site.partners[0].name == 'x'", "expected"),
        ("open('/etc/passwd')", "calls are not allowed"),
        ("site.a + 1 > 2", "no arithmetic"),
        ("{1: 2}", "braces are not part of the condition language"),
        ("x" * (MAX_LENGTH + 1), f"the limit is {MAX_LENGTH}"),
        ("(" * (MAX_DEPTH + 1) + "site.a" + ")" * (MAX_DEPTH + 1), f"nested more than {MAX_DEPTH} levels deep"),
        ("not " * (MAX_DEPTH + 1) + "site.a", f"nested more than {MAX_DEPTH} levels deep"),
    ],
)
def test_code_is_rejected_with_a_clear_error(text: str, expected: str) -> None:
    with pytest.raises(ExpressionError) as raised:
        parse(text)
    assert expected in raised.value.message


def test_attribute_access_on_a_field_is_an_unknown_field_not_code() -> None:
    result = load_rule_text(RULE.format(when="site.setting.lower == 'rural'", extra=""), "r.yaml")
    assert any("unknown field 'site.setting.lower'" in p.message for p in result.problems)


RULE = """\
rules:
  - id: TST-SAFE
    title: Safe
    theme: buy_in
    category: missing_buy_in
    severity: low
    when: {when}
    advice: "Advice."
    factors: [BI8]
    source: {{theme: buy_in, quote: "champions who drive the programme forward"}}
{extra}"""


@pytest.mark.parametrize(
    "tagged",
    [
        "    title: !!python/object/apply:os.system ['echo hacked']",
        "    title: !!python/name:os.system",
        "    title: !!python/object:collections.OrderedDict {}",
        "    title: !custom thing",
        "    title: !!binary aGVsbG8=",
    ],
)
def test_yaml_tags_that_build_objects_are_refused(tagged: str) -> None:
    text = RULE.format(when="site.leadership.champions == 0", extra="").replace("    title: Safe", tagged)
    result = load_rule_text(text, "r.yaml")
    assert result.rules == []
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert "is not allowed in rule files" in problem.message
    assert problem.line == 3
