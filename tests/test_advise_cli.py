"""`replicate advise` end to end on the shipped examples: formats, files, errors, determinism."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from replicate.cli import main
from replicate.plan.model import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent
PROGRAMME = ROOT / "profiles" / "programmes" / "cafe-families-of-offenders.json"
SITE = ROOT / "profiles" / "sites" / "rural-county.json"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_each_format_shows_decision_findings_with_rule_facts_and_source(fmt: str) -> None:
    # Text is a one-page summary by default; the findings with their facts and sources are its details.
    detail = ["--detail", "full"] if fmt == "text" else []
    code, out, _ = run("advise", str(SITE), "--programme", str(PROGRAMME), "--format", fmt, *detail)
    assert code == 0
    if fmt == "json":
        plan = json.loads(out)
        assert plan["schema_version"] == SCHEMA_VERSION
        finding = plan["findings"][0]
        assert finding["rule_id"] and finding["matched"] and finding["source"]["quote"] and finding["factors"]
    else:
        heading = {"text": "\nDECISION: ", "markdown": "\n## Decision: "}[fmt]
        assert heading in out and "Findings by theme" in out and "Source:" in out and "Facts:" in out


def test_findings_are_grouped_by_theme_in_the_guidance_order() -> None:
    _, out, _ = run("advise", str(SITE), "--programme", str(PROGRAMME), "--detail", "full")
    section = out.split("\nFindings by theme\n")[1].split("\nAfter launch: sustaining it\n")[0]
    titles = ["Cultural change", "Partnership working", "Flexibility", "Resources", "Operational model",
              "Impact", "Appropriate buy-in"]
    positions = [section.find(f"\n  {title}\n") for title in titles]
    present = [p for p in positions if p >= 0]
    assert present == sorted(present) and present


def test_json_output_is_byte_identical_across_runs(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for target in (first, second):
        code, _, err = run("advise", str(SITE), "-p", str(PROGRAMME), "-f", "json", "-o", str(target))
        assert code == 0 and "wrote" in err
    assert first.read_bytes() == second.read_bytes()


def test_shuffling_list_entries_does_not_change_the_plan(tmp_path: Path) -> None:
    site = json.loads(SITE.read_text())
    programme = json.loads(PROGRAMME.read_text())
    baseline = run("advise", str(SITE), "-p", str(PROGRAMME), "-f", "json")[1]
    rng = random.Random(7)
    for attempt in range(3):
        for document in (site, programme):
            for value in document.values():
                if isinstance(value, list):
                    rng.shuffle(value)
        shuffled_site, shuffled_programme = tmp_path / f"s{attempt}.json", tmp_path / f"p{attempt}.json"
        shuffled_site.write_text(json.dumps(site))
        shuffled_programme.write_text(json.dumps(programme))
        assert run("advise", str(shuffled_site), "-p", str(shuffled_programme), "-f", "json")[1] == baseline


BAD_SITES = {
    "malformed": ('{"id": "x", "name": ', "not valid JSON"),
    "wrong type": ('{"id": "x", "name": "X", "leadership": {"champions": "two"}}', "leadership.champions"),
    "unknown field": ('{"id": "x", "name": "X", "fundng": {}}', "fundng: unknown field"),
    "out of range": ('{"id": "x", "name": "X", "funding": {"months_secured": -3}}', "funding.months_secured"),
    "budget in another currency": (
        '{"id": "x", "name": "X", "funding": {"annual_budget": 240000, "currency": "EUR"}}', "funding.currency",
    ),
    "dangling adaptation": (
        '{"id": "x", "name": "X", "adaptations": [{"id": "a", "touches": "NOPE", "nature": "remove"}]}',
        "adaptations[0].touches",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_SITES))
def test_bad_input_names_file_and_field_exits_2_and_leaves_output_alone(case: str, tmp_path: Path) -> None:
    text, expected = BAD_SITES[case]
    site = tmp_path / "bad.json"
    site.write_text(text)
    output = tmp_path / "plan.json"
    output.write_text("previous plan")
    code, out, err = run("advise", str(site), "-p", str(PROGRAMME), "-f", "json", "-o", str(output))
    assert code == 2
    assert str(site) in err and expected in err
    assert "Traceback" not in err + out
    assert output.read_text() == "previous plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json", "plan.json"]  # no temporary file left


def test_unwritable_output_is_a_clear_error(tmp_path: Path) -> None:
    code, _, err = run("advise", str(SITE), "-p", str(PROGRAMME), "-o", str(tmp_path / "missing" / "plan.txt"))
    assert code == 2 and "does not exist" in err


def test_the_facts_line_leaves_out_a_field_read_only_to_stand_aside_for_another_rule() -> None:
    # A finding that fired was not the case the guard stands aside for, so "core_need_fields = ..." under
    # a missing local cost/benefit case read to a board as a ground it rested on.
    from replicate.render.labels import ROUTING_FIELDS, matched_text
    from replicate.rules.fields import catalogue

    assert ROUTING_FIELDS.issubset(catalogue())  # a renamed field would otherwise show again, unnoticed
    line = matched_text({"site.evaluation.local_cost_benefit": False,
                         "programme.core_need_fields": ["leadership.co_designed"]})
    assert line == "site.evaluation.local_cost_benefit = no"
