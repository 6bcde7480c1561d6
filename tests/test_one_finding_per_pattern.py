"""One pattern, one finding: supersedes and mitigates absorb, per-item rules report once, and every
finding says what it rests on (its basis, the parameters it used, illustrative programme facts)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE_SITES

from replicate.advisor import Advisor
from replicate.errors import RuleError
from replicate.loading import load_programme, load_site
from replicate.rules.rulebase import collect_rule_base, load_rule_base

HEAD = """\
    theme: partnership_working
    factors: [PW7]
    source: {theme: partnership_working, quote: "regular meetings are key to sustaining partnerships"}
    basis: {kind: guidance}
"""
RULES = f"""\
rules:
  - id: T-PARTNER-NO-MEETINGS
    title: A partner without regular meetings
    category: partnership
    severity: medium
    for_each: partner
    when: partner.regular_meetings == false
    advice: "{{partner.name}} has no regular meetings."
    action: {{do: Set up regular meetings., done_when: Dates are agreed., phase: before_launch, owner: lead}}
{HEAD}
  - id: T-CRITICAL-NO-MEETINGS
    title: A critical partner without regular meetings
    category: partnership
    severity: high
    for_each: partner
    supersedes: [T-PARTNER-NO-MEETINGS]
    when: partner.critical and partner.regular_meetings == false
    advice: "{{partner.name}} is critical and has no regular meetings."
    action: {{do: Meet critical partners monthly., done_when: Monthly dates are agreed., phase: before_launch,
              owner: lead}}
{HEAD}
  - id: T-MANY-PARTNERS
    title: Many partners
    category: partnership
    severity: low
    when: site.partner_count >= param.t_many
    advice: "More than {{param.t_many}} partners."
{HEAD.replace("kind: guidance", "kind: local_default, rationale: a test line")}
"""
PARAMETERS = """\
parameters:
  - {name: t_many, value: 3, unit: partners, basis: local_default, reason: "A line drawn for the test."}
"""
PROGRAMME: dict[str, Any] = {
    "id": "p", "name": "P", "principles": [{"id": "P1", "statement": "s", "kind": "core"}],
    "components": [{"id": "C1", "name": "c", "serves": ["debt_advice"]}],
    "proven_context": {"setting": "urban"}, "evidence": {"kind": "none"}, "costs": {"duration_months": 12},
    "provenance": {"proven_context": {"kind": "illustrative", "note": "made up for the example"}},
}


def _partner(pid: str, critical: bool, meets: bool) -> dict[str, Any]:
    return {"id": pid, "name": f"Partner {pid}", "type": "voluntary", "critical": critical, "regular_meetings": meets}


@pytest.fixture(scope="module")
def advisor(tmp_path_factory: pytest.TempPathFactory) -> Advisor:
    folder = tmp_path_factory.mktemp("pack")
    (folder / "rules.yaml").write_text(RULES, encoding="utf-8")
    (folder / "parameters.yaml").write_text(PARAMETERS, encoding="utf-8")
    return Advisor(load_rule_base([folder], include_shipped=False), engine="reference")


def _findings(advisor: Advisor, partners: list[dict[str, Any]]) -> dict[str, Any]:
    site = {"id": "s", "name": "S", "partners": partners}
    found, _ = advisor.findings(load_programme(PROGRAMME), load_site(site))
    return {f.rule_id: f for f in found}


def test_a_rule_about_each_partner_is_one_finding_listing_them(advisor: Advisor) -> None:
    found = _findings(advisor, [_partner("a", False, False), _partner("b", False, False)])
    finding = found["T-PARTNER-NO-MEETINGS"]
    assert [i.subject_id for i in finding.instances] == ["a", "b"]
    assert finding.ref == "T-PARTNER-NO-MEETINGS@a+b"
    assert "Partner a" in finding.advice and "Partner b" in finding.advice


def test_the_specific_finding_absorbs_the_general_one_on_the_same_partner(advisor: Advisor) -> None:
    found = _findings(advisor, [_partner("a", True, False), _partner("b", False, False)])
    assert found["T-CRITICAL-NO-MEETINGS"].subject_ids == ["a"]
    assert found["T-CRITICAL-NO-MEETINGS"].absorbs == ["T-PARTNER-NO-MEETINGS@a"]
    assert found["T-PARTNER-NO-MEETINGS"].subject_ids == ["b"]  # b is not absorbed: another partner


def test_scores_do_not_fall_with_the_number_of_partners_sharing_a_pattern(advisor: Advisor) -> None:
    def score(partners: list[dict[str, Any]]) -> int:
        plan = advisor.advise(load_programme(PROGRAMME), load_site({"id": "s", "name": "S", "partners": partners}))
        return next(r.score for r in plan.readiness if r.theme == "partnership_working")

    one = score([_partner("a", False, False)])
    two = score([_partner("a", False, False), _partner("b", False, False)])
    assert two == one


PRINCIPLE_RULE = f"""\
  - id: T-CORE-PLAN-NOT-SHAPED
    title: A core principle needs a plan shaped with partners
    category: partnership
    severity: high
    for_each: principle
    supersedes: [T-PARTNER-NO-MEETINGS]
    when: principle.is_core and site.leadership.co_designed == false
    advice: "Reshape the plan with every partner."
    action: {{do: Reshape the plan with the partners., done_when: The board has agreed it., phase: before_launch,
              owner: lead}}
{HEAD}
"""


def test_a_rule_over_another_kind_of_subject_absorbs_its_targets_on_every_subject(tmp_path: Path) -> None:
    """A principle rule superseding a partner rule can never share its subject: it absorbs the
    partner findings wherever they fire, and leaves no question about them open (1694: a plan the
    partners did not shape, beside "consult this partner" and "show that one the benefit")."""
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "rules.yaml").write_text(RULES + PRINCIPLE_RULE, encoding="utf-8")
    (folder / "parameters.yaml").write_text(PARAMETERS, encoding="utf-8")
    advisor = Advisor(load_rule_base([folder], include_shipped=False), engine="reference")
    unknown = {"id": "c", "name": "Partner c", "type": "voluntary", "critical": False}
    partners = [_partner("a", False, False), _partner("b", False, False), unknown]

    def advise(co_designed: bool) -> tuple[dict[str, Any], set[str]]:
        site = load_site({"id": "s", "name": "S", "partners": partners, "leadership": {"co_designed": co_designed}})
        found, open_rules = advisor.findings(load_programme(PROGRAMME), site)
        return {f.rule_id: f for f in found}, {f"{r.rule_id}@{r.subject_id}" for r in open_rules}

    imposed, imposed_open = advise(False)
    assert "T-PARTNER-NO-MEETINGS" not in imposed
    assert imposed["T-CORE-PLAN-NOT-SHAPED"].absorbs == ["T-PARTNER-NO-MEETINGS@a", "T-PARTNER-NO-MEETINGS@b"]
    assert "T-PARTNER-NO-MEETINGS@c" not in imposed_open
    shaped, shaped_open = advise(True)
    assert shaped["T-PARTNER-NO-MEETINGS"].subject_ids == ["a", "b"]
    assert "T-PARTNER-NO-MEETINGS@c" in shaped_open


def test_a_finding_names_its_basis_and_parameters(advisor: Advisor) -> None:
    found = _findings(advisor, [_partner(p, False, True) for p in "abc"])
    many = found["T-MANY-PARTNERS"]
    assert many.advice == "More than 3 partners."
    assert [(p.name, p.value, p.basis) for p in many.parameters] == [("t_many", 3, "local_default")]
    assert many.basis is not None and many.basis.kind == "local_default"
    assert many.rests_on_local_choice


def test_a_pack_parameter_overrides_the_shipped_value_everywhere(tmp_path: Path) -> None:
    folder = tmp_path / "council"
    folder.mkdir()
    (folder / "parameters.yaml").write_text(
        "parameters:\n  - {name: decision_theme_floor, value: 75, unit: score, basis: local_default, "
        "reason: \"Our board wants a higher bar.\"}\n", encoding="utf-8")
    base = load_rule_base([folder])
    assert base.parameters["decision_theme_floor"].value == 75
    assert base.parameters["decision_theme_floor"].pack == "council"


def test_rules_check_refuses_a_bare_threshold_and_an_unknown_parameter(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    folder.mkdir()
    text = RULES.replace("param.t_many", "3", 1).replace("{param.t_many}", "{param.t_mny}")
    (folder / "rules.yaml").write_text(text, encoding="utf-8")
    (folder / "parameters.yaml").write_text(PARAMETERS, encoding="utf-8")
    _, problems = collect_rule_base([folder], include_shipped=False)
    messages = [p.message for p in problems]
    assert any("bare numeric threshold 3" in m for m in messages)
    assert any("{param.t_mny} names no parameter" in m and "t_many" in m for m in messages)


def test_a_superseding_rule_must_weigh_at_least_as_much(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "rules.yaml").write_text(RULES.replace("severity: high", "severity: low"), encoding="utf-8")
    (folder / "parameters.yaml").write_text(PARAMETERS, encoding="utf-8")
    with pytest.raises(RuleError, match="must weigh at least as much"):
        load_rule_base([folder], include_shipped=False)


def test_only_a_rule_over_findings_may_stand_for_what_it_absorbs(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    folder.mkdir()
    rules = RULES.replace("    supersedes: [T-PARTNER-NO-MEETINGS]\n",
                          "    supersedes: [T-PARTNER-NO-MEETINGS]\n    stands_for_absorbed: true\n")
    (folder / "rules.yaml").write_text(rules, encoding="utf-8")
    (folder / "parameters.yaml").write_text(PARAMETERS, encoding="utf-8")
    with pytest.raises(RuleError, match="stands_for_absorbed is for a rule over findings"):
        load_rule_base([folder], include_shipped=False)


def test_one_change_that_dilutes_the_model_is_one_finding_about_that_change(durable_advisor: Advisor) -> None:
    """A core component cut back that carries two core principles: the dilution is that change's
    finding, about the adaptation, with both principles at risk; not a second finding beside it
    whose action repeats the first (505, 24)."""
    from replicate.scenarios import load_scenario

    scenario = load_scenario(Path(__file__).resolve().parent / "scenarios" / "24-core-component-cut.yaml")
    plan = durable_advisor.advise(scenario.programme, scenario.site)
    about_the_core = [f for f in plan.findings if f.category == "dilution_risk"]
    assert [f.rule_id for f in about_the_core] == ["FL-DILUTED-BY-ONE-CHANGE"]
    [finding] = about_the_core
    assert finding.subject == "adaptation"
    [adaptation] = [a for a in scenario.site.adaptations if a.id == finding.subject_id]
    assert finding.effect.decision == "not_yet" and finding.effect.principle == "at_risk"
    at_risk = {p.id for p in plan.principles if p.status == "at_risk"}
    carried = {p for c in scenario.programme.components if c.id == adaptation.touches for p in c.principles}
    core = {p.id for p in scenario.programme.principles if p.kind == "core"}
    assert at_risk == carried & core and len(at_risk) >= 2
    assert plan.decision.verdict == "not_yet"


def test_a_partner_outside_delivery_that_takes_no_part_gets_one_decision_not_three_notes(
        durable_advisor: Advisor) -> None:
    """Age UK, not critical, neither meets nor shares, was not consulted and sees no benefit: the
    plan said consult it, show it the benefit, and decide whether it has a part, in that order
    (1813). Whether it has a part comes first and takes in the benefit; consulting it stays apart."""
    from replicate.scenarios import load_scenario

    scenario = load_scenario(next((Path(__file__).resolve().parent / "scenarios").glob("1813-*.yaml")))
    plan = durable_advisor.advise(scenario.programme, scenario.site)
    drifting = [p.id for p in scenario.site.partners or [] if p.critical is False and p.regular_meetings is False
                and p.shares_information is False and p.sees_mutual_benefit is False]
    assert drifting
    found = {f.rule_id: f for f in plan.findings}
    assert "BI-PARTNER-NO-BENEFIT-OUTSIDE-DELIVERY" not in found
    absorbed = set(found["PW-PARTNER-DRIFTING"].absorbs)
    assert {f"BI-PARTNER-NO-BENEFIT-OUTSIDE-DELIVERY@{p}" for p in drifting} <= absorbed
    assert "BI-OTHER-PARTNER-NOT-CONSULTED" in found
    action = found["PW-PARTNER-DRIFTING"].action
    assert action is not None and "what the programme does for its own service" in action.do


def test_every_rule_states_its_basis_and_every_action_its_check(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    folder.mkdir()
    text = RULES.replace("    basis: {kind: guidance}\n", "", 1).replace(" done_when: Dates are agreed.,", "")
    (folder / "rules.yaml").write_text(text, encoding="utf-8")
    (folder / "parameters.yaml").write_text(PARAMETERS, encoding="utf-8")
    _, problems = collect_rule_base([folder], include_shipped=False)
    messages = " ".join(p.message for p in problems)
    assert "missing key 'basis'" in messages and "no 'done_when'" in messages


def test_the_shipped_rule_base_passes_every_whole_base_check() -> None:
    _, problems = collect_rule_base()
    assert [str(p) for p in problems] == []


def test_a_finding_resting_on_an_illustrative_programme_fact_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "rules.yaml").write_text("""\
rules:
  - id: T-RURAL-URBAN
    title: An urban model in a rural area
    theme: flexibility
    category: context_mismatch
    severity: medium
    when: site.setting == "rural" and programme.proven_context.setting == "urban"
    advice: "An urban model meets a rural area."
    factors: [FL1]
    source: {theme: flexibility, quote: "situations and context that are similar can help"}
    basis: {kind: interpretation, rationale: a test reading}
""", encoding="utf-8")
    advisor = Advisor(load_rule_base([folder], include_shipped=False), engine="reference")
    found, _ = advisor.findings(load_programme(PROGRAMME), load_site({"id": "s", "name": "S", "setting": "rural"}))
    assert [f.illustrative_facts for f in found] == [["programme.proven_context.setting"]]
    evidenced = {**PROGRAMME, "provenance": {"proven_context.setting": {"kind": "guidance", "note": "said so"}}}
    found, _ = advisor.findings(load_programme(evidenced), load_site({"id": "s", "name": "S", "setting": "rural"}))
    assert [f.illustrative_facts for f in found] == [[]]


def test_a_single_rule_file_checked_alone_is_held_to_its_basis_and_checks() -> None:
    """`replicate rules check FILE` checks one file on its own: it must not give an all-clear to a
    rule a pack would refuse."""
    from replicate.rules.loader import load_rule_text

    text = RULES.replace("    basis: {kind: guidance}\n", "", 1).replace(" done_when: Dates are agreed.,", "")
    messages = " ".join(p.message for p in load_rule_text(text, "rules.yaml").problems)
    assert "missing key 'basis'" in messages and "no 'done_when'" in messages


def test_what_a_finding_also_covers_is_said_in_words(durable_advisor: Advisor) -> None:
    """Every finding a finding absorbs is named by its title as well as its reference, in the plan
    and in the details a reader sees ('Also covers: IM-QUALITATIVE-EVIDENCE' told a board nothing)."""
    from conftest import PROFILES

    from replicate.render.labels import finding_marks

    absorbing = [f for site, programme in sorted(EXAMPLE_SITES.items())
                 for f in durable_advisor.advise(load_programme(PROFILES / "programmes" / f"{programme}.json"),
                                                 load_site(PROFILES / "sites" / f"{site}.json")).findings
                 if f.absorbs]
    assert len(absorbing) >= 3
    for finding in absorbing:
        assert set(finding.absorbed_titles) == set(finding.absorbs)
        [covers] = [m for m in finding_marks(finding) if m.startswith("Also covers: ")]
        for ref in finding.absorbs:  # a title shared by several references is said once, before them all
            title = finding.absorbed_titles[ref]
            assert covers.count(f"{title} (") == 1 and ref in covers.split(f"{title} (")[1].split(")")[0]
