"""`replicate rules check/list/show/test/coverage` and `replicate explain`, run in-process."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from replicate.cli import main

ROOT = Path(__file__).resolve().parent.parent
PROGRAMME = ROOT / "profiles" / "programmes" / "cafe-families-of-offenders.json"
SITES = ROOT / "profiles" / "sites"

GOOD = """\
rules:
  - id: TST-NO-CHAMPIONS
    title: Nobody champions the programme
    theme: buy_in
    category: missing_buy_in
    severity: medium
    when: site.leadership.champions == 0
    advice: "No champions are named."
    factors: [BI8]
    source: {theme: buy_in, quote: "champions who drive the programme forward"}
    basis: {kind: guidance}
    examples:
      - {name: none named, fires: true, given: {site.leadership.champions: 0}}
      - {name: two named, fires: false, given: {site.leadership.champions: 2}}
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_check_passes_a_good_file(tmp_path: Path) -> None:
    code, out, err = run("rules", "check", str(write(tmp_path, "good.yaml", GOOD)))
    assert code == 0, out
    assert "1 rules in 1 files: no problems" in err


LOCATED = re.compile(r"^\S+:\d+:\d+ [A-Z][A-Z0-9-]+: .+$")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("site.leadership.champions == 0", "site.leadership.champion == 0", "did you mean 'site.leadership.champions'"),
        ("site.leadership.champions == 0", "site.leadership.champions => 1", "did you mean '>='"),
        ("site.leadership.champions == 0", "site.leadership.champions = 0", "did you mean '=='"),
        ("site.leadership.champions == 0", "site.leadership.champions == 0 && site.leadership.named_lead",
         "did you mean 'and'"),
        ("site.leadership.champions == 0", "site.leadership.champions is None", "did you mean 'is missing'"),
        ("site.leadership.champions == 0", 'site.setting == "rurl"', "did you mean 'rural'"),
        ("theme: buy_in\n    category", "theme: buyin\n    category", "did you mean 'buy_in'"),
        ("category: missing_buy_in", "category: missing_buyin", "did you mean 'missing_buy_in'"),
        ("severity: medium", "severity: meduim", "did you mean 'medium'"),
        ("    advice:", "    advise:", "did you mean 'advice'"),
        ("site.leadership.champions == 0", "site.leadership.champions < 0 and site.leadership.champions > 1",
         "can never be true"),
        ("site.leadership.champions == 0", "site.leadership.champions < 1 or site.leadership.champions >= 1",
         "true for every value"),
        ("site.leadership.champions == 0", "site.setting is known or site.setting is missing", "always true"),
        ('    source: {theme: buy_in, quote: "champions who drive the programme forward"}\n', "",
         "missing key 'source': every rule must cite the guidance"),
    ],
)
def test_check_reports_each_problem_with_place_and_hint(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in GOOD
    path = write(tmp_path, "bad.yaml", GOOD.replace(old, new, 1))
    code, out, _ = run("rules", "check", str(path))
    assert code == 1
    lines = out.strip().splitlines()
    assert any(expected in line for line in lines), out
    for line in lines:
        assert LOCATED.match(line), line
        assert "TST-NO-CHAMPIONS" in line


def test_check_reports_duplicate_ids_across_files(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD)
    write(tmp_path, "b.yaml", GOOD)
    code, out, _ = run("rules", "check", "--no-shipped", str(tmp_path))
    assert code == 1
    assert "duplicate rule id" in out and "a.yaml:2" in out


def test_check_points_at_the_column_of_an_unknown_field(tmp_path: Path) -> None:
    when = 'when: site.setting == "rural" and site.leadership.champion == 0'
    path = write(tmp_path, "bad.yaml", GOOD.replace("when: site.leadership.champions == 0", when))
    code, out, _ = run("rules", "check", str(path))
    assert code == 1
    line = out.strip().splitlines()[0]
    # The condition starts at column 11 (after `    when: `); the misspelt field is 28 characters in.
    assert line.startswith(f"{path}:7:39 TST-NO-CHAMPIONS: unknown field 'site.leadership.champion'"), line


def test_list_prints_plain_aligned_rows_when_not_a_terminal(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    write(pack, "good.yaml", GOOD)
    code, out, _ = run("rules", "list", "--rules", str(pack), "--theme", "buy_in")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["id", "theme", "category", "severity", "title"]
    row = next(line for line in lines if line.startswith("TST-NO-CHAMPIONS"))
    assert row.split()[:4] == ["TST-NO-CHAMPIONS", "buy_in", "missing_buy_in", "medium"]
    assert lines[0].index("theme") == row.index("buy_in")
    assert "\x1b[" not in out


def test_show_prints_the_rule_and_its_source_passage(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    write(pack, "good.yaml", GOOD)
    code, out, _ = run("rules", "show", "TST-NO-CHAMPIONS", "--rules", str(pack))
    assert code == 0
    assert "when        site.leadership.champions == 0" in out
    assert '"champions who drive the programme forward"' in out
    assert "BI8" in out
    assert "none named: fires given site.leadership.champions = 0" in out


def test_show_suggests_a_close_id(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    write(pack, "good.yaml", GOOD)
    code, _, err = run("rules", "show", "TST-NO-CHAMPION", "--rules", str(pack))
    assert code == 2
    assert "did you mean 'TST-NO-CHAMPIONS'" in err


def test_rules_test_counts_passes(tmp_path: Path) -> None:
    code, out, _ = run("rules", "test", "--engine", "reference", str(write(tmp_path, "good.yaml", GOOD)))
    assert code == 0
    assert out.strip().splitlines()[-1] == "2 passed, 0 failed"


def test_rules_test_reports_a_failure_with_expected_actual_and_values(tmp_path: Path) -> None:
    text = GOOD.replace("{name: two named, fires: false", "{name: two named, fires: true")
    code, out, _ = run("rules", "test", "--engine", "both", str(write(tmp_path, "good.yaml", text)))
    assert code == 1
    assert "FAIL TST-NO-CHAMPIONS two named" in out
    assert "expected: fires" in out and "actual:   does not fire" in out
    assert "false    site.leadership.champions == 0    [site.leadership.champions = 2]" in out
    assert out.strip().splitlines()[-1] == "1 passed, 1 failed"


def test_rules_test_can_require_both_kinds_of_example(tmp_path: Path) -> None:
    text = GOOD.replace("      - {name: two named, fires: false, given: {site.leadership.champions: 2}}\n", "")
    code, out, _ = run("rules", "test", "--engine", "reference", "--require-examples",
                       str(write(tmp_path, "good.yaml", text)))
    assert code == 1
    assert "needs an example: one that does not fire" in out
    assert out.strip().splitlines()[-1] == "1 passed, 1 failed"


def test_shipped_rule_base_checks_clean_and_its_examples_pass() -> None:
    code, out, _err = run("rules", "check")
    assert code == 0, out
    code, out, _ = run("rules", "test", "--engine", "reference", "--require-examples")
    assert code == 0, out
    passed, failed = re.fullmatch(r"(\d+) passed, (\d+) failed", out.strip().splitlines()[-1]).groups()  # type: ignore[union-attr]
    assert int(passed) > 0 and failed == "0"


CAFE_SITES = [str(SITES / name) for name in ("well-prepared.json", "rural-county.json", "sparse.json")]


def test_coverage_counts_rules_over_profiles() -> None:
    code, out, _ = run("rules", "coverage", "--programme", str(PROGRAMME), *CAFE_SITES)
    assert code == 0, out
    summary = out.strip().splitlines()[-1]
    covered, total, profiles = map(int, re.match(r"(\d+) of (\d+) rules fired on (\d+) profiles", summary).groups())  # type: ignore[union-attr]
    assert profiles == len(CAFE_SITES)
    assert 0 < covered <= total
    never = out.split("never fired")[1].splitlines()[1:-1] if "never fired" in out else []
    assert len(never) == total - covered
    code, _, _err = run("rules", "coverage", "--programme", str(PROGRAMME), "--fail-under", "100", *CAFE_SITES)
    assert code == (0 if covered == total else 1)


def test_coverage_names_a_profile_that_does_not_fit_the_programme() -> None:
    code, _, err = run("rules", "coverage", "--programme", str(PROGRAMME), str(SITES / "dropping-core.json"))
    assert code == 2
    assert "dropping-core.json programme: written for programme 'holding-families'" in err


def test_explain_shows_each_test_with_the_values_it_saw(tmp_path: Path) -> None:
    site = json.loads((SITES / "sparse.json").read_text(encoding="utf-8"))
    site.setdefault("leadership", {})["champions"] = 0
    path = tmp_path / "site.json"
    path.write_text(json.dumps(site), encoding="utf-8")
    pack = tmp_path / "pack"
    pack.mkdir()
    write(pack, "good.yaml", GOOD)
    code, out, _ = run("explain", "TST-NO-CHAMPIONS", str(path), "--programme", str(PROGRAMME), "--rules", str(pack))
    assert code == 0, out
    assert "the site: FIRES" in out
    assert "true     site.leadership.champions == 0    [site.leadership.champions = 0]" in out


def test_explain_says_what_information_is_missing(tmp_path: Path) -> None:
    site = json.loads((SITES / "sparse.json").read_text(encoding="utf-8"))
    site.get("leadership", {}).pop("champions", None)
    path = tmp_path / "site.json"
    path.write_text(json.dumps(site), encoding="utf-8")
    pack = tmp_path / "pack"
    pack.mkdir()
    write(pack, "good.yaml", GOOD)
    code, out, _ = run("explain", "TST-NO-CHAMPIONS", str(path), "--programme", str(PROGRAMME), "--rules", str(pack))
    assert code == 0
    assert "does not fire: not enough information" in out
    assert "site.leadership.champions = not stated" in out
    assert "to decide, the profile needs: site.leadership.champions" in out


ACTION = """    action:
      do: "Name a champion before the first {programme.clients.singular} starts, and tell {placeholder}."
      done_when: A champion is named.
      phase: before_launch
      owner: programme lead
"""


@pytest.mark.parametrize(("placeholder", "accepted"), [
    ("programme.clients.plural", True),
    ("site.evidence_to_show", True),
    ("site.missing_other_conditions", True),
    ("site.missing_partner_types", True),
    ("param.lead_hours_min", True),
    ("site.name", False),
    ("programme.name", False),
])
def test_an_action_may_name_parameters_and_the_programmes_own_words_only(
    tmp_path: Path, placeholder: str, accepted: bool
) -> None:
    """An action is the same text for every site, so it may not name a site's values; what the
    programme calls the people it serves, and the evidence it has to show, are allowed."""
    action = ACTION.replace("{placeholder}", "{" + placeholder + "}")
    text = GOOD.replace("    factors: [BI8]", action + "    factors: [BI8]")
    code, out, _ = run("rules", "check", str(write(tmp_path, "action.yaml", text)))
    assert (code == 0) is accepted, out
    if not accepted:
        assert f"placeholder {{{placeholder}}}: action texts may name parameters ({{param.NAME}}) and only" in out
