"""Rules apply to the whole site, to each principle, component, partner, existing service and
planned adaptation (one finding per match, naming which), and to other rules' findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from replicate.advisor import Advisor
from replicate.loading import load_programme, load_site
from replicate.rules.rulebase import load_rule_base


def _rule(rule_id: str, subject: str, when: str, category: str = "partnership", effect: str = "{}") -> str:
    return f"""
  - id: {rule_id}
    title: {rule_id} fired
    theme: partnership_working
    category: {category}
    severity: medium
    for_each: {subject}
    when: '{when}'
    advice: 'about {{site.name}}'
    effect: {effect}
    factors: [PW7]
    source: {{theme: partnership_working, quote: "regular meetings"}}
    basis: {{kind: guidance}}
"""


RULES = "rules:" + "".join([
    _rule("T-SITE", "site", 'site.setting == "rural"'),
    _rule("T-PRINCIPLE", "principle", 'principle.kind == "core"'),
    _rule("T-COMPONENT", "component", "component.already_covered", "duplication", "{component: build_on}"),
    _rule("T-PARTNER", "partner", "partner.critical and partner.regular_meetings == false"),
    _rule("T-SERVICE", "service", "service.overlaps_programme"),
    _rule("T-ADAPTATION", "adaptation", 'adaptation.target_is_core and adaptation.nature == "remove"',
          "dilution_risk", "{principle: at_risk}"),
    _rule("T-DILUTED", "findings", "findings.core_principles_at_risk > 1", "dilution_risk",
          "{decision: not_yet}"),
])

PROGRAMME = {
    "id": "p", "name": "P",
    "principles": [{"id": f"P{i}", "statement": f"s{i}", "kind": kind} for i, kind in
                   enumerate(["core", "core", "adaptable"], start=1)],
    "components": [{"id": "C1", "name": "Debt", "serves": ["debt_advice"], "principles": ["P1"]},
                   {"id": "C2", "name": "Work", "serves": ["employment_support"]}],
    "proven_context": {"setting": "urban"}, "evidence": {"kind": "none"}, "costs": {"duration_months": 12},
}
SITE = {
    "id": "s", "name": "Shire", "setting": "rural",
    "existing_services": [{"id": "S1", "name": "Debt line", "covers": ["debt_advice"]},
                          {"id": "S2", "name": "Youth club", "covers": ["youth_activities"]}],
    "partners": [{"id": "pa", "name": "Police", "type": "police", "critical": True, "regular_meetings": False},
                 {"id": "pb", "name": "Health", "type": "health", "critical": True, "regular_meetings": True}],
    "adaptations": [{"id": "a1", "touches": "P1", "nature": "remove"},
                    {"id": "a2", "touches": "P2", "nature": "remove"},
                    {"id": "a3", "touches": "P3", "nature": "remove"}],
}


@pytest.fixture(scope="module", params=["durable", "reference"])
def advisor(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Advisor:
    folder: Path = tmp_path_factory.mktemp("pack")
    (folder / "rules.yaml").write_text(RULES, encoding="utf-8")
    return Advisor(load_rule_base([folder], include_shipped=False), engine=request.param)


def test_one_finding_per_matching_instance_naming_which(advisor: Advisor) -> None:
    plan = advisor.advise(load_programme(PROGRAMME), load_site(SITE))
    # A per-item rule that matches several items is one finding listing each of them (so a pattern
    # counts once), and names every matching instance with the values it saw.
    refs = sorted(f.ref for f in plan.findings)
    assert refs == sorted([
        "T-SITE", "T-PRINCIPLE@P1+P2", "T-COMPONENT@C1", "T-PARTNER@pa", "T-SERVICE@S1",
        "T-ADAPTATION@a1+a2", "T-DILUTED",
    ])
    partner = next(f for f in plan.findings if f.rule_id == "T-PARTNER")
    assert (partner.subject, partner.subject_label) == ("partner", "Police")
    assert partner.matched == {"partner.critical": True, "partner.regular_meetings": False}
    assert [(i.subject_id, i.subject_label) for i in partner.instances] == [("pa", "Police")]
    principle = next(f for f in plan.findings if f.rule_id == "T-PRINCIPLE")
    assert principle.subject == "principle"
    assert [(i.subject_id, i.matched) for i in principle.instances] == [
        ("P1", {"principle.kind": "core"}), ("P2", {"principle.kind": "core"})]
    adaptation = next(f for f in plan.findings if f.rule_id == "T-ADAPTATION")
    assert [i.subject_id for i in adaptation.instances] == ["a1", "a2"]


def test_rules_over_findings_see_what_other_rules_found(advisor: Advisor) -> None:
    site = {**SITE, "adaptations": SITE["adaptations"][:1]}  # one core principle at risk, not two
    plan = advisor.advise(load_programme(PROGRAMME), load_site(site))
    assert "T-DILUTED" not in {f.rule_id for f in plan.findings}
    full = advisor.advise(load_programme(PROGRAMME), load_site(SITE))
    diluted = next(f for f in full.findings if f.rule_id == "T-DILUTED")
    assert diluted.matched == {"findings.core_principles_at_risk": 2}
    assert full.decision.verdict == "not_yet"


def test_effects_reach_the_plan(advisor: Advisor) -> None:
    plan = advisor.advise(load_programme(PROGRAMME), load_site(SITE))
    principles = {p.id: p.status for p in plan.principles}
    assert principles == {"P1": "at_risk", "P2": "at_risk", "P3": "tailor"}
    components = {c.id: (c.status, c.build_on) for c in plan.components}
    assert components == {"C1": ("build_on", ["Debt line"]), "C2": ("deliver", [])}


def test_cutting_a_component_counts_its_core_principles_at_risk_in_plan_and_summary_alike(advisor: Advisor) -> None:
    site = {**SITE, "adaptations": [{"id": "a1", "touches": "C1", "nature": "remove"},
                                    {"id": "a2", "touches": "P2", "nature": "remove"}]}
    plan = advisor.advise(load_programme(PROGRAMME), load_site(site))
    assert {p.id for p in plan.principles if p.status == "at_risk"} == {"P1", "P2"}
    diluted = next(f for f in plan.findings if f.rule_id == "T-DILUTED")
    assert diluted.matched == {"findings.core_principles_at_risk": 2}
