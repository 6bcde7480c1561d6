"""The durable_rules adapter and the plain-Python reference evaluator must agree, always.

The reference evaluator defines what a condition means (three-valued logic: unknown is neither
true nor false); these properties check that the compiled durable_rules patterns match exactly
the same (rule, subject) pairs, for generated conditions and for generated profiles.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import programme_and_site

from replicate.advisor import Advisor
from replicate.conditions import fields_in, parse
from replicate.engine.base import EngineRule
from replicate.engine.durable_adapter import DurableEngine
from replicate.engine.reference import ReferenceEngine
from replicate.facts import SubjectFact
from replicate.loading import load_programme, load_site
from replicate.rules.checker import check_condition

BOOLEANS = ["site.staff.ownership", "site.funding.financial_plan"]
NUMBERS = ["site.leadership.champions", "site.funding.months_secured"]
STRINGS = {"site.setting": ["urban", "rural", "mixed"], "site.staff.understand_aims": ["low", "partial", "high"]}
LISTS = {
    "site.conditions": ["public_transport", "cross_borough_working"],
    "site.local_needs": ["debt_advice", "family_support"],
}
LIST_FIELDS = frozenset(LISTS)


def _quote(value: str) -> str:
    return f'"{value}"'


atoms = st.one_of(
    st.sampled_from(BOOLEANS),
    st.builds(lambda f, v: f"{f} == {str(v).lower()}", st.sampled_from(BOOLEANS), st.booleans()),
    st.builds(lambda f, op, n: f"{f} {op} {n}", st.sampled_from(NUMBERS),
              st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), st.integers(0, 4)),
    st.builds(lambda op: f"{NUMBERS[0]} {op} {NUMBERS[1]}", st.sampled_from(["==", "!=", "<", ">="])),
    st.sampled_from(sorted(STRINGS)).flatmap(
        lambda f: st.builds(lambda op, v: f"{f} {op} {_quote(v)}", st.sampled_from(["==", "!="]),
                            st.sampled_from(STRINGS[f]))
    ),
    st.sampled_from(sorted(STRINGS)).flatmap(
        lambda f: st.builds(lambda neg, vs: f"{f} {'not in' if neg else 'in'} [{', '.join(map(_quote, vs))}]",
                            st.booleans(), st.lists(st.sampled_from(STRINGS[f]), min_size=1, max_size=2))
    ),
    st.sampled_from(sorted(LISTS)).flatmap(
        lambda f: st.builds(lambda neg, v: f"{_quote(v)} {'not in' if neg else 'in'} {f}",
                            st.booleans(), st.sampled_from(LISTS[f]))
    ),
    st.builds(lambda f, known: f"{f} is {'known' if known else 'missing'}",
              st.sampled_from(BOOLEANS + NUMBERS + sorted(STRINGS) + sorted(LISTS)), st.booleans()),
)

conditions = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.builds(lambda c: f"not ({c})", inner),
        st.builds(lambda a, b: f"({a}) and ({b})", inner, inner),
        st.builds(lambda a, b: f"({a}) or ({b})", inner, inner),
    ),
    max_leaves=5,
)


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.just(None), strategy)


facts = st.fixed_dictionaries(
    {
        **{f: _maybe(st.booleans()) for f in BOOLEANS},
        **{f: _maybe(st.integers(0, 4)) for f in NUMBERS},
        **{f: _maybe(st.sampled_from(v)) for f, v in STRINGS.items()},
        **{f: _maybe(st.lists(st.sampled_from(v), unique=True).map(lambda xs: tuple(sorted(xs))))
           for f, v in LISTS.items()},
    }
).map(lambda d: {k: v for k, v in d.items() if v is not None})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(texts=st.lists(conditions, min_size=1, max_size=25), samples=st.lists(facts, min_size=1, max_size=12))
def test_compiled_conditions_match_exactly_when_the_reference_says_true(
    texts: list[str], samples: list[dict[str, Any]]
) -> None:
    rules = []
    for index, text in enumerate(texts):
        condition = parse(text)
        assert check_condition(condition, "site") == [], text
        paths = tuple(dict.fromkeys(f.path for f in fields_in(condition)))
        rules.append(EngineRule(f"R-{index}", "site", condition, paths))
    durable = DurableEngine(rules, LIST_FIELDS)
    reference = ReferenceEngine(rules)
    subject_facts = [SubjectFact("site", f"k{i}", "site", dict(sample)) for i, sample in enumerate(samples)]
    for fact in subject_facts:  # one evaluation per fact, as a profile would be
        assert durable.evaluate([fact]) == reference.evaluate([fact]), (texts, fact.values)
    assert durable.evaluate(subject_facts) == reference.evaluate(subject_facts)
    assert durable.live_sessions == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programme_and_site())
def test_engines_agree_on_generated_profiles(
    durable_advisor: Advisor, reference_advisor: Advisor, pair: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    programme, site = load_programme(pair[0]), load_site(pair[1])
    durable_findings, _ = durable_advisor.findings(programme, site)
    reference_findings, _ = reference_advisor.findings(programme, site)
    assert [f.ref for f in durable_findings] == [f.ref for f in reference_findings]
    assert durable_findings == reference_findings


def _literal(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


texts = st.text(st.characters(blacklist_characters="\n\r", blacklist_categories=("Cs",)), max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(constants=st.lists(texts, min_size=1, max_size=4), setting=texts, needs=st.lists(texts, max_size=3),
       months=st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 3)), bound=st.integers(-5, 5))
def test_values_are_sent_to_durable_exactly(
    constants: list[str], setting: str, needs: list[str], months: float, bound: int
) -> None:
    """The adapter writes each message's JSON itself: quotes, backslashes, non-ASCII and control
    characters in text, lists of text and fractional numbers must reach the engine unchanged."""
    texts_ = [*constants, setting, *needs]
    conditions = [f"site.setting == {_literal(t)}" for t in texts_] + [
        f"{_literal(t)} in site.local_needs" for t in texts_] + [
        f"site.funding.months_secured > {bound}", f"site.funding.months_secured == {months}"]
    rules = [EngineRule(f"R-{i}", "site", parse(text), tuple(dict.fromkeys(f.path for f in fields_in(parse(text)))))
             for i, text in enumerate(conditions)]
    fact = SubjectFact("site", "k", "site", {"site.setting": setting, "site.local_needs": tuple(needs),
                                             "site.funding.months_secured": months})
    durable = DurableEngine(rules, LIST_FIELDS)
    expected = ReferenceEngine(rules).evaluate([fact])
    assert durable.evaluate([fact]) == expected
    assert {m.rule_id for m in expected} >= {f"R-{len(constants)}"}  # the site's own setting always matches
