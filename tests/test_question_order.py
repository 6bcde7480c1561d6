"""Among questions of equal weight, what a principle of the programme needs is asked before the
rest: a manager read two partner details ahead of the follow-up a core principle rests on (1347)."""

from __future__ import annotations

from conftest import PROFILES

from replicate.loading import load_programme, load_site
from replicate.plan.questions import AnswerFields, UndeterminedRule, questions

PROGRAMME = load_programme(PROFILES / "programmes" / "cafe-families-of-offenders.json")
SITE = load_site(PROFILES / "sites" / "well-prepared.json")


def _ask(*open_rules: UndeterminedRule) -> list[str]:
    asked = questions(open_rules, AnswerFields(PROGRAMME, SITE), {}, (), "go_with_conditions")
    return [question.field for question in asked]


def test_a_principles_need_comes_before_a_field_more_rules_need() -> None:
    principle = next(p.id for p in PROGRAMME.principles if p.kind == "core")
    site_wide = [UndeterminedRule(f"FL-SITE-{n}", "flexibility", "site", ("site.climate.alternatives_considered",),
                                  category="context_mismatch", severity="medium") for n in (1, 2)]
    needs = UndeterminedRule("FL-NEED", "flexibility", principle, ("site.evaluation.long_term_outcomes",),
                             category="dilution_risk", severity="medium", subject="principle")
    assert _ask(*site_wide, needs) == ["site.evaluation.long_term_outcomes", "site.climate.alternatives_considered"]
    # Severity still comes first, and a principle's open strength is no risk to it.
    graver = [UndeterminedRule("FL-SITE-3", "flexibility", "site", ("site.climate.alternatives_considered",),
                               category="context_mismatch", severity="high")]
    assert _ask(*graver, needs)[0] == "site.climate.alternatives_considered"
    strength = UndeterminedRule("FL-KEPT", "flexibility", principle, ("site.evaluation.long_term_outcomes",),
                                category="strength", severity="info", subject="principle")
    assert _ask(*site_wide, strength)[0] == "site.climate.alternatives_considered"
