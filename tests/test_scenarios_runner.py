"""The scenario runner: loading with located errors, matching, the diff, and `replicate scenarios`.

The scenarios here are built in tmp_path around what the advisor really says for a shipped site, so
they test the runner's comparison, not the rule base: a passing one expects exactly what the plan
holds, and a failing one changes one expectation at a time and checks the exact diff line.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import PROFILES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from replicate.advisor import Advisor
from replicate.cli import main
from replicate.errors import InputError
from replicate.findings import Finding
from replicate.loading import load_programme, load_site
from replicate.plan import AdaptationPlan
from replicate.scenarios import DECISIONS, FindingMatcher, compare, load_scenario, load_scenarios, run_scenario

PROGRAMME = "cafe-families-of-offenders"
RURAL = PROFILES / "sites" / "rural-county.json"


def site_data(name: str = "rural-county") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PROFILES / "sites" / f"{name}.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def plan(durable_advisor: Advisor) -> AdaptationPlan:
    return durable_advisor.advise(load_programme(PROFILES / "programmes" / f"{PROGRAMME}.json"), load_site(RURAL))


@pytest.fixture(scope="module")
def risk(plan: AdaptationPlan) -> Finding:
    """A risk the plan certainly holds, about a partner, so every matcher key has a value to test."""
    return next(f for f in plan.findings if not f.is_strength and f.subject == "partner")


def other_decision(plan: AdaptationPlan) -> str:
    return next(d for d in DECISIONS if d != plan.decision.verdict)


def unasked_question(plan: AdaptationPlan) -> str:
    asked = {field for q in plan.missing_information for field in q.fields}
    prefix = "site.funding.months_secured"
    assert prefix not in asked, "the rural county states its months of funding"
    return prefix


def write_scenario(folder: Path, name: str, expect: dict[str, Any], *, programme: Any = PROGRAMME,
                   site: dict[str, Any] | None = None) -> Path:
    document = {
        "name": f"scenario {name}",
        "passage": {"theme": "flexibility", "quote": "lack of cross-borough working"},
        "why": "A test scenario.",
        "programme": programme,
        "site": site if site is not None else site_data(),
        "expect": expect,
    }
    path = folder / f"{name}.yaml"
    yaml = YAML()
    yaml.default_flow_style = False
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(document, handle)
    return path


def run_cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["scenarios", *args])
    return result.exit_code, result.stdout, result.stderr


# ------------------------------------------------------------------------------ the library


def test_a_scenario_expecting_what_the_plan_holds_passes(tmp_path: Path, plan: AdaptationPlan, risk: Finding,
                                                         durable_advisor: Advisor) -> None:
    # a question about one listed partner's field has no profile path of its own to name
    asked = next(q.field for q in plan.missing_information
                 if not q.field.startswith(("site.partners.", "site.existing_services.", "site.adaptations.")))
    path = write_scenario(tmp_path, "pass", {
        "decision": plan.decision.verdict,
        "findings": [{"rule": risk.rule_id, "subject_id": risk.subject_id}],
        "no_findings": [{"rule": "NO-SUCH-RULE"}],
        "questions": [asked.rsplit(".", 1)[0] if "." in asked else asked],
        "no_questions": [unasked_question(plan)],
    })
    result = run_scenario(load_scenario(path), durable_advisor)
    assert result.passed and result.diff() == []
    assert result.decision == plan.decision.verdict


def test_a_failing_scenario_reports_each_difference_on_its_own_line(tmp_path: Path, plan: AdaptationPlan,
                                                                    risk: Finding, durable_advisor: Advisor) -> None:
    wrong = other_decision(plan)
    question = unasked_question(plan)
    asked = next(q.field for q in plan.missing_information
                 if not q.field.startswith(("site.partners.", "site.existing_services.", "site.adaptations.")))
    path = write_scenario(tmp_path, "fail", {
        "decision": wrong,
        "findings": [{"rule": "NO-SUCH-RULE", "kind": "risk"}],
        "no_findings": [{"rule": risk.rule_id, "subject_id": risk.subject_id}],
        "questions": [question],
        "no_questions": [asked],
    })
    result = run_scenario(load_scenario(path), durable_advisor)
    assert not result.passed
    assert result.diff() == [
        f"decision: expected {wrong}, got {plan.decision.verdict}",
        "missing finding: {rule: NO-SUCH-RULE, kind: risk}",
        f"forbidden finding: {risk.rule_id} on partner {risk.subject_id} matches "
        f"{{rule: {risk.rule_id}, subject_id: {risk.subject_id}}}",
        f"missing question: {question}",
        f"forbidden question: {asked}",
    ]


WRONG_VALUES = {"rule": "NO-SUCH-RULE", "theme": "impact", "category": "strength", "kind": "strength",
                "severity": "info", "subject_id": "nobody"}


@pytest.mark.parametrize("key", ["rule", "factor", "theme", "category", "kind", "severity", "subject_id"])
def test_each_matcher_key_matches_its_own_value_and_nothing_else(key: str, risk: Finding) -> None:
    actual = {"rule": risk.rule_id, "factor": risk.factors[0], "theme": risk.theme, "category": risk.category,
              "kind": "risk", "severity": risk.severity, "subject_id": risk.subject_id}[key]
    assert FindingMatcher.model_validate({key: actual}).matches(risk)
    wrong = WRONG_VALUES.get(key) or next(f for f in ("CC1", "IM8", "RS1") if f not in risk.factors)
    if key == "theme" and risk.theme == "impact":
        wrong = "resources"
    assert not FindingMatcher.model_validate({key: wrong}).matches(risk)


def test_every_key_of_a_matcher_must_match(risk: Finding) -> None:
    assert FindingMatcher(rule=risk.rule_id, kind="risk").matches(risk)
    assert not FindingMatcher(rule=risk.rule_id, kind="strength").matches(risk)


def test_questions_match_whole_path_segments(tmp_path: Path, plan: AdaptationPlan) -> None:
    """`site.funding` covers `site.funding.months_secured`; half a name covers nothing. (The loader
    refuses a prefix that names no field, so the scenario is built directly here.)"""
    field = next(q.field for q in plan.missing_information if q.field.count(".") >= 2)
    parent, leaf = field.rsplit(".", 1)
    half = f"{parent}.{leaf[: max(1, len(leaf) // 2)]}"
    assert half != field
    loaded = load_scenario(write_scenario(tmp_path, "segments", {"decision": plan.decision.verdict}))
    expect = loaded.spec.expect.model_copy(update={"questions": [parent, field, half]})
    scenario = replace(loaded, spec=loaded.spec.model_copy(update={"expect": expect}))
    assert compare(scenario, plan).missing_questions == (half,)


def test_the_programme_may_be_inline_or_a_path_beside_the_scenario(tmp_path: Path, plan: AdaptationPlan,
                                                                   durable_advisor: Advisor) -> None:
    source = PROFILES / "programmes" / f"{PROGRAMME}.json"
    inline = json.loads(source.read_text(encoding="utf-8"))
    (tmp_path / "programmes").mkdir()
    (tmp_path / "programmes" / "mine.json").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    expect = {"decision": plan.decision.verdict}
    for name, programme in (("inline", inline), ("relative", "programmes/mine.json")):
        scenario = load_scenario(write_scenario(tmp_path, name, expect, programme=programme))
        assert scenario.programme.id == PROGRAMME
        assert run_scenario(scenario, durable_advisor).passed


# ------------------------------------------------------------------------------ bad scenario files


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    return [str(problem) for problem in caught.value.problems]


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_unknown_keys_factors_and_decisions_are_placed_at_their_line(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, "bad", {"decision": "maybe", "findings": [{"factor": "FX9"}, {}],
                                            "questionz": []})
    problems = problems_of(path)
    assert any(p.startswith(f"{path}:{line_of(path, 'decision: maybe')}:") and "expect.decision" in p
               for p in problems)
    assert any(p.startswith(f"{path}:{line_of(path, 'factor: FX9')}:") and "unknown factor 'FX9'" in p
               and "did you mean 'FL9'" in p for p in problems)
    assert any("expect.findings[1]" in p and "at least one of" in p for p in problems)
    assert any(p.startswith(f"{path}:{line_of(path, 'questionz')}:") and "unknown key" in p for p in problems)


def test_an_invalid_site_is_reported_at_the_site_field_with_its_path(tmp_path: Path) -> None:
    site = site_data()
    site["partners"][1]["type"] = "housing_assoc"
    site["leadership"]["champions"] = -1
    path = write_scenario(tmp_path, "badsite", {"decision": "go"}, site=site)
    problems = problems_of(path)
    assert any(p.startswith(f"{path}:{line_of(path, 'type: housing_assoc')}:") and "site.partners[1].type" in p
               for p in problems)
    assert any(p.startswith(f"{path}:{line_of(path, 'champions: -1')}:") and "site.leadership.champions" in p
               for p in problems)


def test_a_site_that_refers_to_no_part_of_the_programme_is_refused(tmp_path: Path) -> None:
    site = site_data()
    site["adaptations"][0]["touches"] = "no_such_principle"
    path = write_scenario(tmp_path, "crossref", {"decision": "go"}, site=site)
    problems = problems_of(path)
    assert any(p.startswith(f"{path}:{line_of(path, 'touches: no_such_principle')}:") for p in problems)


@pytest.mark.parametrize(("programme", "message"), [
    ("cafe-families-of-offender", "did you mean 'cafe-families-of-offenders'"),
    ("programmes/absent.json", "no programme file 'programmes/absent.json'"),
    (5, "expected a shipped programme id, a path relative to this file, or the programme itself"),
])
def test_an_unknown_programme_is_reported_at_its_line(tmp_path: Path, programme: object, message: str) -> None:
    path = write_scenario(tmp_path, "badprog", {"decision": "go"}, programme=programme)
    problems = problems_of(path)
    assert any(p.startswith(f"{path}:{line_of(path, 'programme:')}:") and message in p for p in problems)


def test_a_question_that_names_no_profile_field_is_refused(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, "badq", {"decision": "go", "questions": ["site.fundng"]})
    problems = problems_of(path)
    assert any(p.startswith(f"{path}:{line_of(path, 'site.fundng')}:") and "did you mean" in p for p in problems)


def test_a_question_about_one_item_of_a_list_is_written_as_the_plan_asks_it(tmp_path: Path) -> None:
    """The plan asks `site.partners.<id>.brings` of one partner and `site.funding.sources` of the
    funding; the scenario may expect exactly those (1312, 1324), and a misspelt field under an item
    is still refused."""
    site = site_data()
    partner = site["partners"][0]["id"]
    del site["partners"][0]["consulted"]
    written = f"site.partners.{partner}.consulted"
    path = write_scenario(tmp_path, "item", {"decision": "go", "questions": [written],
                                             "no_questions": ["site.funding.sources.1.months"]}, site=site)
    loaded = load_scenario(path)
    plan = Advisor(engine="reference").advise(loaded.programme, loaded.site)
    assert written in {field for q in plan.missing_information for field in q.fields}
    assert not compare(loaded, plan).missing_questions
    bad = write_scenario(tmp_path, "baditem", {"decision": "go", "questions": [f"site.partners.{partner}.consultd"]})
    assert any("no profile field is" in p for p in problems_of(bad))
    # A rule's view of one partner matches no question a plan asks: refused, saying how to ask it.
    rule_view = write_scenario(tmp_path, "ruleview", {"decision": "go", "no_questions": ["partner.brings"]})
    assert any("a plan asks it of one item as site.partners.<id>.brings" in p for p in problems_of(rule_view))


def test_invalid_yaml_is_placed_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: broken\npassage: {theme: impact\nwhy: x\n", encoding="utf-8")
    problems = problems_of(path)
    assert len(problems) == 1 and problems[0].startswith(f"{path}:") and "invalid YAML" in problems[0]


def test_a_bad_expectation_does_not_hide_the_sites_problems(tmp_path: Path) -> None:
    site = site_data()
    site["setting"] = "suburban"
    path = write_scenario(tmp_path, "both", {"decision": "sometime"}, site=site)
    problems = problems_of(path)
    assert any("expect.decision" in p for p in problems)
    assert any(p.startswith(f"{path}:{line_of(path, 'setting: suburban')}:") and "site.setting" in p for p in problems)


def test_every_decision_state_may_be_expected_even_before_the_plan_can_give_it(tmp_path: Path) -> None:
    for decision in DECISIONS:
        scenario = load_scenario(write_scenario(tmp_path, decision, {"decision": decision}))
        assert scenario.spec.expect.decision == decision


def test_problems_in_several_files_are_all_reported(tmp_path: Path) -> None:
    write_scenario(tmp_path, "one", {"decision": "soon"})
    write_scenario(tmp_path, "two", {"decision": "go", "findings": [{"factor": "ZZ1"}]})
    with pytest.raises(InputError) as caught:
        load_scenarios([tmp_path])
    assert {Path(p.source).name for p in caught.value.problems} == {"one.yaml", "two.yaml"}


# ------------------------------------------------------------------------------ the command


def test_cli_reports_pass_and_fail_and_ends_with_the_counts(tmp_path: Path, plan: AdaptationPlan) -> None:
    write_scenario(tmp_path, "a-pass", {"decision": plan.decision.verdict})
    wrong = other_decision(plan)
    write_scenario(tmp_path, "b-fail", {"decision": wrong})
    code, out, _ = run_cli(str(tmp_path))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"PASS {tmp_path / 'a-pass.yaml'}: scenario a-pass"
    assert lines[1] == f"FAIL {tmp_path / 'b-fail.yaml'}: scenario b-fail"
    assert lines[2] == f"  decision: expected {wrong}, got {plan.decision.verdict}"
    assert lines[-1] == "1 passed, 1 failed"


def test_cli_exits_zero_when_every_scenario_passes(tmp_path: Path, plan: AdaptationPlan) -> None:
    path = write_scenario(tmp_path, "ok", {"decision": plan.decision.verdict})
    code, out, _ = run_cli(str(path))
    assert code == 0 and out.splitlines()[-1] == "1 passed, 0 failed"


def test_cli_json_output(tmp_path: Path, plan: AdaptationPlan, risk: Finding) -> None:
    wrong = other_decision(plan)
    write_scenario(tmp_path, "j", {"decision": wrong, "no_findings": [{"rule": risk.rule_id}]})
    code, out, err = run_cli(str(tmp_path), "--format", "json")
    assert code == 1
    document = json.loads(out)
    assert (document["passed"], document["failed"]) == (0, 1)
    entry = document["scenarios"][0]
    assert entry["expected_decision"] == wrong and entry["decision"] == plan.decision.verdict
    assert entry["passed"] is False
    assert entry["forbidden_findings"][0]["rule"] == risk.rule_id
    assert entry["diff"][0] == f"decision: expected {wrong}, got {plan.decision.verdict}"
    assert risk.ref in entry["findings"]
    assert err.strip().splitlines()[-1] == "0 passed, 1 failed"


@pytest.mark.parametrize("make", ["bad_file", "missing_path", "empty_folder"])
def test_cli_bad_input_exits_2_with_a_located_message_and_no_traceback(tmp_path: Path, make: str) -> None:
    if make == "bad_file":
        target = write_scenario(tmp_path, "bad", {"decision": "go", "findings": [{"factor": "FX9"}]})
        expected = f"error: {target}:{line_of(target, 'factor: FX9')}:"
    elif make == "missing_path":
        target = tmp_path / "nowhere"
        expected = f"error: {target}: no such file or folder"
    else:
        target = tmp_path / "empty"
        target.mkdir()
        expected = f"error: {target}: no scenario files"
    code, out, err = run_cli(str(target))
    assert code == 2
    assert out == ""
    assert err.startswith(expected)
    assert "Traceback" not in err


def test_cli_runs_with_a_local_rule_pack(tmp_path: Path, plan: AdaptationPlan) -> None:
    """A council's scenario can pin a rule of its own pack: found with the pack, missing without it."""
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "local.yaml").write_text("""\
rules:
  - id: TST-ONE-CHAMPION
    title: Only one champion
    theme: buy_in
    category: missing_buy_in
    severity: low
    when: site.leadership.champions == 1
    advice: "Only one champion is named."
    factors: [BI8]
    source: {theme: buy_in, quote: "champions who drive the programme forward"}
""", encoding="utf-8")
    folder = tmp_path / "scenarios"
    folder.mkdir()
    write_scenario(folder, "pinned", {"decision": plan.decision.verdict, "findings": [{"rule": "TST-ONE-CHAMPION"}]})
    _, with_pack, _ = run_cli(str(folder), "--rules", str(pack))
    _, without, _ = run_cli(str(folder))
    assert "  missing finding: {rule: TST-ONE-CHAMPION}" not in with_pack.splitlines()
    assert "  missing finding: {rule: TST-ONE-CHAMPION}" in without.splitlines()


def test_cli_reports_a_bad_rule_pack_as_bad_input(tmp_path: Path, plan: AdaptationPlan) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "local.yaml").write_text("rules:\n  - id: X\n    title: [\n", encoding="utf-8")
    path = write_scenario(tmp_path, "s", {"decision": plan.decision.verdict})
    code, out, err = run_cli(str(path), "--rules", str(pack))
    assert code == 2 and out == "" and f"{pack / 'local.yaml'}:" in err and "Traceback" not in err


MATCHER_KEYS = ("rule", "factor", "theme", "category", "kind", "severity", "subject_id")


def _own_values(finding: Finding) -> dict[str, str]:
    return {"rule": finding.rule_id, "factor": finding.factors[0], "theme": finding.theme,
            "category": finding.category, "kind": "strength" if finding.is_strength else "risk",
            "severity": finding.severity, "subject_id": finding.subject_id}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_matcher_built_from_a_findings_own_values_always_matches_it(plan: AdaptationPlan,
                                                                      data: st.DataObject) -> None:
    finding = data.draw(st.sampled_from([f for f in plan.findings if f.factors]))
    keys = data.draw(st.sets(st.sampled_from(MATCHER_KEYS), min_size=1))
    values = _own_values(finding)
    matcher = FindingMatcher.model_validate({key: values[key] for key in keys})
    assert matcher.matches(finding)
    assert str(matcher) == "{" + ", ".join(f"{k}: {values[k]}" for k in MATCHER_KEYS if k in keys) + "}"
    # A finding that differs on any constrained key (a factor is matched by membership, so not it) never matches.
    differing = [f for f in plan.findings if any(k != "factor" and _own_values(f)[k] != values[k] for k in keys)]
    assert not any(matcher.matches(f) for f in differing)
