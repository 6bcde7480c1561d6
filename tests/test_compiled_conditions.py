"""Compiled conditions mean what the tree walk means, and every walk refuses a node it does not know.

`compile_condition` is what the advisor and the reference engine run on the hot path; `evaluate`
defines the language. Conditions here are generated as trees, not text, so they reach what the
parser and checker never let through (a constant on the left, a list compared with `<`, a
comparison of text with a number) as well as everything they do; on each, the closure must give
the walk's outcome or fail with the walk's exception.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import condition_texts, site_facts
from typing_extensions import assert_never

from replicate.conditions import (
    And,
    Compare,
    Condition,
    Constant,
    Field,
    ListConstant,
    Member,
    Not,
    Operand,
    Or,
    Presence,
    Truth,
    Truthy,
    Value,
    check_condition,
    compile_condition,
    evaluate,
    explain,
    fields_in,
    parse,
    render,
)
from replicate.conditions.analyse import analyse_condition, representatives
from replicate.conditions.nodes import COMPARISONS, Node
from replicate.engine.durable_json import durable_pattern
from replicate.rules import checker
from replicate.rules.fields import catalogue, fields_for
from replicate.rules.parameters import bare_thresholds, bind

PATHS = ["site.a", "site.b", "site.c", "site.tags"]
scalars = st.one_of(st.booleans(), st.integers(-3, 3), st.sampled_from([0.5, 1.0, -0.5]),
                    st.sampled_from(["x", "y", "rural"]))
values = st.one_of(scalars, st.lists(st.sampled_from(["x", "y", "z"]), unique=True).map(lambda v: tuple(sorted(v))))
fields = st.sampled_from(PATHS).map(lambda path: Field(1, path))
operands: st.SearchStrategy[Operand] = st.one_of(
    fields,
    scalars.map(lambda v: Constant(1, v)),
    st.lists(scalars, max_size=3).map(lambda vs: ListConstant(1, tuple(vs))),
)
tests: st.SearchStrategy[Condition] = st.one_of(
    st.builds(lambda op, a, b: Compare(1, op, a, b), st.sampled_from(COMPARISONS), operands, operands),
    st.builds(lambda a, b, neg: Member(1, a, b, neg), operands, operands, st.booleans()),
    st.builds(lambda f, known: Presence(1, f, known), fields, st.booleans()),
    fields.map(lambda f: Truthy(1, f)),
)
trees: st.SearchStrategy[Condition] = st.recursive(
    tests,
    lambda inner: st.one_of(
        inner.map(lambda c: Not(1, c)),
        st.lists(inner, min_size=2, max_size=3).map(lambda cs: And(1, tuple(cs))),
        st.lists(inner, min_size=2, max_size=3).map(lambda cs: Or(1, tuple(cs))),
    ),
    max_leaves=8,
)
facts = st.dictionaries(st.sampled_from(PATHS), values)


def _outcome(function: Callable[[], Truth]) -> Truth | type[BaseException]:
    try:
        return function()
    except Exception as error:  # `<` between text and a number fails alike in both
        return type(error)


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")  # the recursive strategy's long repr
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(condition=trees, samples=st.lists(facts, min_size=1, max_size=6))
def test_the_closure_agrees_with_the_tree_walk(condition: Condition, samples: list[dict[str, Value]]) -> None:
    """Where the walk gives an outcome, the closure gives the same one. Where the walk fails (only
    on conditions the checker refuses, such as `<` between text and a number), the closure fails the
    same way, or gives an outcome when `and` / `or` was decided before it reached the failing test."""
    run = compile_condition(condition)
    for fact in samples:
        expected = _outcome(lambda: evaluate(condition, fact))  # noqa: B023 - called at once
        got = _outcome(lambda: run(fact))  # noqa: B023
        if isinstance(expected, Truth):
            assert got is expected, (render(condition), fact)
        else:
            assert got is expected or isinstance(got, Truth), (render(condition), fact)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=condition_texts, samples=st.lists(site_facts, min_size=1, max_size=8))
def test_on_conditions_the_checker_accepts_the_closure_gives_the_walks_outcome(
    text: str, samples: list[dict[str, Value]]
) -> None:
    """The conditions rules are made of (the engines' agreement test draws the same), on facts of
    the right types: exactly the same outcome, and never an exception."""
    condition = parse(text)
    assert checker.check_condition(condition, "site") == [], text
    run = compile_condition(condition)
    for fact in samples:
        assert run(fact) is evaluate(condition, fact), (text, fact)


@settings(max_examples=100, deadline=None)
@given(condition=trees, fact=facts)
def test_a_condition_is_unknown_only_when_a_field_it_reads_is_missing(
    condition: Condition, fact: dict[str, Value]
) -> None:
    """What `Advisor._undetermined` relies on to skip rules whose fields are all stated."""
    outcome = _outcome(lambda: compile_condition(condition)(fact))
    if outcome is Truth.UNKNOWN:
        assert any(f.path not in fact for f in fields_in(condition))


def test_the_shipped_rules_compile_to_the_walks_meaning_on_their_own_representative_values(
    reference_advisor: Any,
) -> None:
    """Every shipped rule, on values chosen to reach each of its outcomes (analysis' representatives)."""
    from replicate.conditions.analyse import combinations

    for rule in reference_advisor.rule_base.rules:
        run = compile_condition(rule.condition)
        specs = fields_for(rule.subject)
        for count, fact in enumerate(combinations(representatives(rule.condition, specs))):
            assert run(fact) is evaluate(rule.condition, fact), (rule.id, fact)
            if count > 200:
                break


# -- every walk refuses a node it does not know -------------------------------------------------------


@dataclass(frozen=True)
class Unknown(Node):
    """A kind of condition no walk has been taught: as a new node type is until each walk handles it."""


NEW: Any = Unknown(1)
WALKS: dict[str, Callable[[Any], object]] = {
    "render": render,
    "evaluate": lambda node: evaluate(node, {}),
    "explain": lambda node: explain(node, {}),
    "compile": compile_condition,
    "check": lambda node: check_condition(node, fields_for("site"), catalogue()),
    "fields_in": fields_in,
    "analyse": lambda node: analyse_condition(node, fields_for("site")),
    "durable_pattern": lambda node: durable_pattern(node, "site", frozenset()),
    "bind": lambda node: bind(node, {}),
    "bare_thresholds": bare_thresholds,
}


@pytest.mark.parametrize("walk", sorted(WALKS))
@pytest.mark.parametrize("where", ["alone", "inside and", "inside not"])
def test_every_walk_fails_loudly_on_an_unknown_kind_of_node(walk: str, where: str) -> None:
    """Each walk is one `match` ending in `assert_never` (mypy proves it exhaustive); at run time
    an unknown node fails there, instead of going to whichever handler came last."""
    known = Presence(1, Field(1, "site.setting"), known=True)
    node = {"alone": NEW, "inside and": And(1, (known, NEW)), "inside not": Not(1, NEW)}[where]
    with pytest.raises(AssertionError):
        WALKS[walk](node)


def test_assert_never_is_what_fails() -> None:
    """The guard is typing's `assert_never`, which raises AssertionError naming the value."""
    with pytest.raises(AssertionError, match="Unknown"):
        assert_never(NEW)
