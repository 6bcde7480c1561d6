"""A finding lists the facts it rested on: every field its rule read that the site or programme
states, and a field left unstated only where its rule asks whether it is known. A strength shown
beside "site.joined_up_backed = (not stated)" read to a board as credit for something the site never
said (1350). Dropping the unstated fields is sound because of a property of the condition language,
checked here for all conditions: an unknown only ever makes a test unknown, so a condition that
holds with a field unstated holds whatever the field's value."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import BOOLEANS, LISTS, NUMBERS, STRINGS, condition_texts, programme_and_site, site_facts

from replicate.advisor import Advisor
from replicate.conditions import Truth, evaluate, parse
from replicate.conditions.walk import fields_in, presence_tested
from replicate.loading import load_programme, load_site

ANY_VALUE: dict[str, st.SearchStrategy[Any]] = {
    **{f: st.booleans() for f in BOOLEANS},
    **{f: st.integers(0, 4) for f in NUMBERS},
    **{f: st.sampled_from(v) for f, v in STRINGS.items()},
    **{f: st.lists(st.sampled_from(v), unique=True).map(lambda xs: tuple(sorted(xs))) for f, v in LISTS.items()},
}


@settings(max_examples=300, deadline=None)
@given(condition_texts, site_facts, st.data())
def test_a_condition_that_holds_with_a_field_unstated_holds_whatever_its_value(
    text: str, fact: dict[str, Any], data: st.DataObject
) -> None:
    condition = parse(text)
    if evaluate(condition, fact) is not Truth.TRUE:
        return
    presence = presence_tested(condition)
    for path in {f.path for f in fields_in(condition)} - fact.keys() - presence:
        assert evaluate(condition, {**fact, path: data.draw(ANY_VALUE[path], label=path)}) is Truth.TRUE


@settings(max_examples=25, deadline=None)
@given(programme_and_site())
def test_a_finding_lists_what_is_stated_and_what_its_rule_asked_to_be_known(
    reference_advisor: Advisor, pair: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    programme, site = load_programme(pair[0]), load_site(pair[1])
    facts, found = reference_advisor.facts_and_findings(programme, site)
    values = {(fact.subject, fact.key): fact.values for fact in facts}
    rules = {rule.id: rule for rule in reference_advisor.rule_base.rules}
    for finding in found:
        rule = rules[finding.rule_id]
        stated = values[(finding.subject, finding.subject_id)].keys()
        listed = set(finding.matched)
        assert {path for path in rule.fields if path in stated} <= listed, finding.rule_id
        assert listed <= set(stated) | rule.presence_fields, finding.rule_id
