"""The durable_rules adapter and the plain-Python reference evaluator must agree, always.

The reference evaluator defines what a condition means (three-valued logic: unknown is neither
true nor false); these properties check that the compiled durable_rules patterns match exactly
the same (rule, subject) pairs, for generated conditions and for generated profiles.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import LIST_FIELDS, condition_texts, programme_and_site, site_facts

from replicate.advisor import Advisor
from replicate.conditions import fields_in, parse
from replicate.engine.base import EngineRule
from replicate.engine.durable_adapter import DurableEngine
from replicate.engine.reference import ReferenceEngine
from replicate.facts import SubjectFact
from replicate.loading import load_programme, load_site
from replicate.rules.checker import check_condition


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(texts=st.lists(condition_texts, min_size=1, max_size=25), samples=st.lists(site_facts, min_size=1, max_size=12))
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


texts = st.text(st.characters(exclude_characters="\n\r", exclude_categories=["Cs"]), max_size=6)


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


magnitudes = st.floats(min_value=-1e18, max_value=1e18, allow_nan=False).filter(lambda x: x == 0 or abs(x) >= 1e-12)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=st.one_of(magnitudes, st.sampled_from([8e-06, 1e-05, 1e16, 2.5e17, -3e-07])), bound=st.integers(-5, 5))
def test_numbers_of_any_magnitude_reach_durable(value: float, bound: int) -> None:
    """Python writes floats below 1e-4 or from 1e16 with an exponent, which durable_rules' parser
    refuses (a yearly cost of 1 against a budget of 125,000 is a ratio of 8e-06): every such value
    must still be sent, and compared, as the reference engine compares it."""
    conditions = [f"site.cost_to_budget > {bound}", f"site.cost_to_budget < {bound}", "site.cost_to_budget is known"]
    rules = [EngineRule(f"R-{i}", "site", parse(text), tuple(dict.fromkeys(f.path for f in fields_in(parse(text)))))
             for i, text in enumerate(conditions)]
    fact = SubjectFact("site", "k", "site", {"site.cost_to_budget": value})
    assert DurableEngine(rules, LIST_FIELDS).evaluate([fact]) == ReferenceEngine(rules).evaluate([fact])
