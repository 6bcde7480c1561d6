"""`explain_rule` reports every test with its outcome and the values it saw, for each instance."""

from __future__ import annotations

from pathlib import Path

from replicate.advisor import Advisor
from replicate.cli.explain import explain_rule, subject_facts
from replicate.facts import SubjectFact
from replicate.rules.loader import load_rule_text

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


def rule():  # type: ignore[no-untyped-def]
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
    lines, fired = explain_rule(rule(), facts)
    text = "\n".join(lines)
    assert fired == 1
    assert "partner housing (Housing): FIRES" in text
    assert "partner health (Health): does not fire" in text
    assert "partner police (Police): does not fire: not enough information" in text
    assert "to decide, the profile needs: partner.regular_meetings, partner.years_relationship" in text
    assert "    false    partner.years_relationship < 1    [partner.years_relationship = 5]" in text
    assert "unknown  partner.regular_meetings == false    [partner.regular_meetings = not stated]" in text


def test_a_site_without_the_subject_says_so() -> None:
    lines, fired = explain_rule(rule(), [SubjectFact("site", "site", "Site", {})])
    assert fired == 0
    assert "the site has no partner to test" in "\n".join(lines)


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
        _, fired = explain_rule(candidate, facts)
        assert (fired > 0) == (candidate.id in found), candidate.id
