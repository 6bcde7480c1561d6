"""The shipped rule base encodes the whole guidance, each rule cited and proven by its own examples.

These are the checks a reviewer of a rule would make by hand: does it say where in the guidance it
comes from, do its examples show it firing and not firing, does it tell someone what to do, and is
every factor the guidance names encoded by at least one rule (a risk where the guidance warns, a
strength where it names something to build on).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typing_extensions import assert_never

from replicate.conditions import And, Compare, Condition, Member, Not, Or, Presence, Truth, Truthy, evaluate
from replicate.facts import Value
from replicate.guidance import THEMES, factors
from replicate.guidance.coverage import CitingRule, coverage_rows, render_markdown, uncovered
from replicate.rules.coverage_doc import shipped_coverage_markdown, shipped_rules
from replicate.rules.model import ExampleSpec, Rule
from replicate.rules.rulebase import RuleBase, load_rule_base

ROOT = Path(__file__).resolve().parent.parent
COVERAGE_PAGE = ROOT / "docs" / "coverage.md"
OWNERS = {
    "commissioner",
    "strategic sponsor",
    "programme lead",
    "partnership manager",
    "team manager",
    "finance lead",
    "evaluation lead",
}
"""The roles actions are given to; a new role is a deliberate change, not a typo."""


@pytest.fixture(scope="module")
def rule_base() -> RuleBase:
    return load_rule_base()


def _rules(rule_base: RuleBase) -> list[Rule]:
    return list(rule_base.rules)


def _given(example: ExampleSpec) -> dict[str, Value]:
    """An example's fragment of a fact, as the engine sees facts: lists become sorted tuples."""
    return {path: tuple(sorted(v)) if isinstance(v, list) else v for path, v in example.given.items()}


def test_the_rule_base_is_substantial_and_spans_every_theme(rule_base: RuleBase) -> None:
    rules = _rules(rule_base)
    assert len(rules) >= 80
    themes = {rule.spec.theme for rule in rules}
    assert themes == set(THEMES)
    for theme in THEMES:
        mine = [rule for rule in rules if rule.spec.theme == theme]
        assert any(r.spec.category == "strength" for r in mine), f"{theme} has no strength to build on"
        assert any(r.spec.category != "strength" for r in mine), f"{theme} flags no risk"


def test_every_rule_cites_the_guidance(rule_base: RuleBase) -> None:
    known = factors()
    for rule in _rules(rule_base):
        spec = rule.spec
        assert spec.factors, rule.id
        assert all(f in known for f in spec.factors), rule.id
        assert spec.source.quote.strip(), rule.id
        assert len(spec.source.quote.split()) <= 16, f"{rule.id}: quote only a short phrase"
        cited_themes = {known[f].theme for f in spec.factors}
        assert spec.source.theme in cited_themes, f"{rule.id}: its passage is from a theme none of its factors is in"


def test_no_text_a_board_reads_cites_a_scenario_number(rule_base: RuleBase) -> None:
    """'(828, 836)' at the end of a basis told a board nothing (examiner, round 31): scenario numbers
    belong in docs/scenarios.md and commit messages, not in what a plan prints."""
    import re

    numbers = re.compile(r"\(\d{2,4}(, \d{2,4})*\)")
    for rule in _rules(rule_base):
        spec = rule.spec
        texts = [spec.title, spec.advice, spec.basis.rationale if spec.basis else None,
                 spec.action.do if spec.action else None, spec.action.done_when if spec.action else None]
        for text in filter(None, texts):
            assert not numbers.search(text), f"{rule.id}: {text}"


def test_every_rule_shows_itself_firing_and_not_firing(rule_base: RuleBase) -> None:
    for rule in _rules(rule_base):
        outcomes = {example.fires for example in rule.spec.examples}
        assert outcomes == {True, False}, f"{rule.id} needs an example that fires and one that does not"


def test_every_example_holds_on_the_reference_evaluator(rule_base: RuleBase) -> None:
    failures = []
    for rule in _rules(rule_base):
        for index, example in enumerate(rule.spec.examples):
            truth = evaluate(rule.condition, _given(example))
            if (truth is Truth.TRUE) != example.fires:
                failures.append(f"{rule.id} example {index + 1}: expected fires={example.fires}, got {truth.value}")
    assert failures == []


def _reads_a_missing_field(condition: Condition) -> bool:
    """Whether the condition asks that some field is not stated (`X is missing`)."""
    match condition:
        case Presence():
            return not condition.known
        case Not():
            return _reads_a_missing_field(condition.operand)
        case And() | Or():
            return any(_reads_a_missing_field(operand) for operand in condition.operands)
        case Compare() | Member() | Truthy():
            return False
        case _:
            assert_never(condition)

def test_risks_say_what_to_do_and_who_owns_it(rule_base: RuleBase) -> None:
    for rule in _rules(rule_base):
        spec = rule.spec
        if spec.category == "strength":
            assert spec.severity == "info", f"{rule.id}: strengths are severity info"
            assert spec.effect.decision is None, f"{rule.id}: a strength never holds the decision back"
            continue
        # A risk of severity info weighs nothing in readiness. It exists to judge the decision (an
        # escalation such as "nobody drives it"), so it declares that effect; or it notes why a list
        # the site left out matters, which the plan asks for and the decision waits on: a note then,
        # with no action, as the question is the ask (1864, 1891, 1892, 1895).
        if spec.severity == "info" and spec.effect.decision in (None, "go"):
            assert spec.action is None and _reads_a_missing_field(rule.condition), (
                f"{rule.id}: a risk needs a severity, or, if it only judges the decision, a decision effect")
            continue
        assert spec.action is not None, f"{rule.id}: a risk needs an action"
        assert spec.action.owner in OWNERS, f"{rule.id}: unknown owner {spec.action.owner!r}"
        assert spec.action.do[0].isupper() and spec.action.do.endswith("."), rule.id


def test_a_risk_that_holds_the_decision_back_says_what_to_do_before_launch(rule_base: RuleBase) -> None:
    """A declared decision effect becomes a condition or groundwork, so its action must belong
    before launch and say how to tell it is done."""
    for rule in _rules(rule_base):
        effect = rule.spec.effect.decision
        if effect in (None, "go"):
            continue
        assert rule.spec.action is not None and rule.spec.action.phase == "before_launch", rule.id
        assert rule.spec.action.done_when, rule.id


def test_the_plan_can_reach_every_decision_and_verdict(rule_base: RuleBase) -> None:
    effects = [rule.spec.effect for rule in _rules(rule_base)]
    assert {e.decision for e in effects} >= {"conditions", "not_yet", "do_not_replicate"}
    assert {e.principle for e in effects} >= {"tailor", "at_risk"}
    assert {e.component for e in effects} >= {"tailor", "build_on", "drop"}


def test_every_factor_is_encoded_as_risk_and_strength_as_the_guidance_names_it() -> None:
    rules = shipped_rules()
    rows = coverage_rows(rules)
    assert len(rows) == 68
    assert uncovered(rows) == []
    strengths = {rule.id for rule in rules if rule.strength}
    for row in rows:
        if row.kind in ("risk", "both"):
            assert any(r not in strengths for r in row.rule_ids), f"{row.factor_id}: no rule flags the risk"
        if row.kind in ("strength", "both"):
            assert any(r in strengths for r in row.rule_ids), f"{row.factor_id}: no rule names the strength"


def test_the_coverage_check_notices_a_factor_without_a_rule() -> None:
    rules = [rule for rule in shipped_rules() if "BI7" not in rule.factors]
    rows = coverage_rows(rules)
    assert uncovered(rows) == ["BI7"]
    assert "| BI7 |" in render_markdown(rows, rules) and "**none**" in render_markdown(rows, rules)


def test_the_coverage_table_ignores_unknown_factor_ids() -> None:
    rows = coverage_rows([CitingRule("X-ONE", ("ZZ1", "CC1"), strength=False)])
    assert [row.rule_ids for row in rows if row.factor_id == "CC1"] == [("X-ONE",)]
    assert len(uncovered(rows)) == 67


def test_the_coverage_page_is_up_to_date() -> None:
    assert COVERAGE_PAGE.read_text(encoding="utf-8") == shipped_coverage_markdown(), (
        "docs/coverage.md is stale: run python -m replicate.rules.coverage_doc docs/coverage.md"
    )
