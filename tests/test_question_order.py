"""Among questions of equal weight, what a principle of the programme needs is asked before the
rest: a manager read two partner details ahead of the follow-up a core principle rests on (1347)."""

from __future__ import annotations

from conftest import PROFILES

from replicate.advisor import Advisor
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


def test_whether_there_is_a_lead_is_asked_before_the_leads_hours_and_qualities(durable_advisor: Advisor) -> None:
    """A leadership section that names champions but says nothing of a lead asked four questions
    about the lead before asking whether there is one (1588); the gap is one, said once."""
    data = SITE.model_dump(mode="json", exclude_none=True)
    lead_fields = ("named_lead", "lead_hours_per_week", "lead_influence", "lead_skills", "lead_understands_programme")
    data["leadership"] = {k: v for k, v in data["leadership"].items() if k not in lead_fields}
    plan = durable_advisor.advise(PROGRAMME, load_site(data))
    assert plan.decision.verdict == "information_needed"
    asked = [q.field for q in plan.missing_information]
    assert asked[0] == "site.leadership.named_lead"
    assert asked.index("site.leadership.named_lead") < min(asked.index(f"site.leadership.{f}")
                                                            for f in lead_fields[1:] if f"site.leadership.{f}" in asked)
    said = [reason.text for reason in plan.decision.reasons]
    assert sum("named lead" in text for text in said) == 1
    assert not any(text.startswith("How many hours") for text in said)
