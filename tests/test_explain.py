"""The explanation reports every test with its outcome and the values it saw, for each instance: as
data from the library (`replicate.explain`), and as the lines `replicate explain` prints."""

from __future__ import annotations

from pathlib import Path

import pytest

import replicate
from replicate.advisor import Advisor
from replicate.cli.explain import format_explanation
from replicate.conditions import Truth
from replicate.errors import ReplicateError
from replicate.explain import explain_facts, subject_facts
from replicate.facts import SubjectFact
from replicate.rules.loader import load_rule_text
from replicate.rules.model import Rule

ROOT = Path(__file__).resolve().parent.parent

RULE = """\
rules:
  - id: TST-PARTNER
    title: A critical partner does not meet
    theme: partnership_working
    category: partnership
    severity: high
    for_each: partner
    when: partner.critical and (partner.regular_meetings == false or partner.years_relationship < 1)
    advice: "Meet."
    factors: [PW1]
    source: {theme: partnership_working, quote: "regular meetings"}
    basis: {kind: guidance}
"""


def rule() -> Rule:
    result = load_rule_text(RULE, "r.yaml")
    assert result.problems == [], result.problems
    return result.rules[0]


def test_each_instance_is_explained_test_by_test() -> None:
    facts = [
        SubjectFact("partner", "housing", "Housing", {"partner.critical": True, "partner.regular_meetings": False}),
        SubjectFact("partner", "health", "Health", {"partner.critical": True, "partner.regular_meetings": True,
                                                    "partner.years_relationship": 5}),
        SubjectFact("partner", "police", "Police", {"partner.critical": True}),
        SubjectFact("site", "site", "Site", {}),
    ]
    explanation = explain_facts(rule(), facts)
    text = "\n".join(format_explanation(explanation))
    assert explanation.fired == 1
    assert "partner housing (Housing): FIRES" in text
    assert "partner health (Health): does not fire" in text
    assert "partner police (Police): does not fire: not enough information" in text
    assert "to decide, the profile needs: partner.regular_meetings, partner.years_relationship" in text
    assert "    false    partner.years_relationship < 1    [partner.years_relationship = 5]" in text
    assert "unknown  partner.regular_meetings == false    [partner.regular_meetings = not stated]" in text


def test_a_site_without_the_subject_says_so() -> None:
    explanation = explain_facts(rule(), [SubjectFact("site", "site", "Site", {})])
    assert explanation.fired == 0
    assert explanation.instances == ()
    assert "the site has no partner to test" in "\n".join(format_explanation(explanation))


def test_explanation_agrees_with_the_advisor() -> None:
    """For each shipped site rule, explain says FIRES exactly when the plan has the finding, reported
    on its own or absorbed by a more specific finding that supersedes it."""
    advisor = Advisor(engine="reference")
    programme = ROOT / "profiles" / "programmes" / "cafe-families-of-offenders.json"
    site = ROOT / "profiles" / "sites" / "rural-county.json"
    facts = subject_facts(advisor, programme, site)
    findings = advisor.advise_files(programme, site).findings
    absorbed = {ref.split("@")[0] for f in findings for ref in f.absorbs}
    assert absorbed, "the example no longer exercises superseding: pick a site where a rule absorbs another"
    found = {f.rule_id for f in findings} | absorbed
    for candidate in advisor.rule_base.rules:
        fired = explain_facts(candidate, facts).fired
        assert (fired > 0) == (candidate.id in found), candidate.id


def test_an_embedder_gets_the_explanation_as_data() -> None:
    """`replicate.explain_rule` takes what `advise_files` takes and returns plain data: per
    instance the outcome, every test with the values it read, and what is missing to decide."""
    advisor = replicate.Advisor(engine="reference")
    programme = ROOT / "profiles" / "programmes" / "cafe-families-of-offenders.json"
    site = ROOT / "profiles" / "sites" / "sparse.json"
    found, open_rules = advisor.findings(replicate.load_programme(programme), replicate.load_site(site))
    findings = {f.rule_id for f in found}
    undetermined = {u.rule_id for u in open_rules}
    open_rule = sorted(undetermined)[0]
    explanation = replicate.explain_rule(advisor, open_rule, replicate.load_programme(programme), site)
    assert isinstance(explanation, replicate.RuleExplanation)
    assert explanation.rule_id == open_rule and explanation.when
    unknown = [i for i in explanation.instances if i.truth is Truth.UNKNOWN]
    assert unknown and all(i.missing for i in unknown)
    assert all(step.text for i in explanation.instances for step in i.steps)
    fired = next(iter(sorted(findings)))
    assert replicate.explain_rule(advisor, fired.lower(), programme, site).fired >= 1


def test_an_unknown_rule_is_named_with_a_suggestion() -> None:
    advisor = replicate.Advisor(engine="reference")
    programme = ROOT / "profiles" / "programmes" / "cafe-families-of-offenders.json"
    site = ROOT / "profiles" / "sites" / "sparse.json"
    some_id = advisor.rule_base.rules[0].id
    with pytest.raises(ReplicateError, match="did you mean"):
        replicate.explain_rule(advisor, some_id[:-1] + "Z", programme, site)
