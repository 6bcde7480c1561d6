"""The traps a new user fell into (issue 13, items 11-13): a site advised against the wrong
programme without a word, tag typos that silently match nothing, a checkout's rules/ that policy
staff could not check or run, and a README whose commands did not work on every machine."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from replicate import Advisor, load_programme, load_rule_base, load_site
from replicate.cli import main
from replicate.errors import InputError, OtherProgrammeError, RuleError
from replicate.rules.parameters import is_parameter_file
from replicate.schema.vocabulary import shipped_vocabulary

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "profiles"
PROGRAMMES = PROFILES / "programmes"
CAFE = PROGRAMMES / "cafe-families-of-offenders.json"
SITES = PROFILES / "sites"


def invoke(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
    result = CliRunner(env=env).invoke(main, list(args), input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return result


def _site(**changes: object) -> dict[str, object]:
    data: dict[str, object] = json.loads((SITES / "sparse.json").read_text(encoding="utf-8"))
    data.update(changes)
    return data


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# -- 11. the right programme, and tags from the vocabulary --------------------------------------


def test_every_shipped_site_names_its_programme_and_fits_it() -> None:
    programmes = {load_programme(p).id: load_programme(p) for p in PROGRAMMES.glob("*.json")}
    sites = [json.loads(p.read_text(encoding="utf-8")) for p in SITES.glob("*.json")]
    batch = (PROFILES / "batch" / "sites.jsonl").read_text(encoding="utf-8")
    sites += [json.loads(line) for line in batch.splitlines()]
    for data in sites:
        assert data.get("programme") in programmes, data["id"]
        load_site(data)  # and its tags are all in the vocabulary


def test_a_site_run_against_another_programme_is_refused() -> None:
    result = invoke("advise", str(SITES / "many-agencies.json"), "-p", str(PROGRAMMES / "holding-families.json"))
    assert result.exit_code == 2 and not result.stdout
    assert "many-agencies.json programme: written for programme 'caf-family-support', not 'holding-families'" \
        in result.stderr


def test_a_site_whose_adaptations_all_belong_elsewhere_is_refused_even_unnamed(tmp_path: Path) -> None:
    data = json.loads((SITES / "dropping-core.json").read_text(encoding="utf-8"))
    del data["programme"]
    cafe = load_programme(CAFE)
    ids = {p.id for p in cafe.principles} | {c.id for c in cafe.components}
    data["adaptations"] = [a for a in data["adaptations"] if a["touches"] not in ids]  # only Holding Families' own
    assert len(data["adaptations"]) >= 2
    site = _write(tmp_path / "site.json", data)
    result = invoke("advise", str(site), "-p", str(CAFE))
    assert result.exit_code == 2 and "written for another programme" in result.stderr
    with pytest.raises(OtherProgrammeError):
        Advisor(load_rule_base(), engine="reference").advise(load_programme(CAFE), load_site(site))


def test_a_single_typo_among_good_adaptations_is_still_a_plain_error(tmp_path: Path) -> None:
    data = json.loads((SITES / "rural-county.json").read_text(encoding="utf-8"))
    data["adaptations"][0]["touches"] += "x"
    del data["programme"]
    result = invoke("advise", str(_write(tmp_path / "site.json", data)), "-p", str(CAFE))
    assert result.exit_code == 2 and "did you mean" in result.stderr and "another programme" not in result.stderr


@pytest.mark.parametrize(("need", "expected"), [
    ({"condition": "police_referral_route"}, "needs[1].condition: unknown condition 'police_referral_route' "
                                             "(did you mean 'probation_referral_route'?)"),
    ({"field": "partners.police_refers"}, "needs[1].field: names 'partners.police_refers', which is not a yes/no "
                                          "field of the site profile"),
    ({"field": "leadership.co_designd"}, "(did you mean 'leadership.co_designed'?)"),
])
def test_what_a_principle_needs_must_be_something_a_site_can_answer(tmp_path: Path, need: dict[str, str],
                                                                      expected: str) -> None:
    """A need naming a condition outside the vocabulary would be missing at every site (no site can
    list it), and one naming a field that is not a yes/no site answer would be asked and never
    answered: both are refused with the field path, before any advice."""
    data = json.loads(CAFE.read_text(encoding="utf-8"))
    core = next(p for p in data["principles"] if p.get("needs"))
    core["needs"].append({"label": "something the principle needs", **need})
    result = invoke("advise", str(SITES / "rural-county.json"), "-p", str(_write(tmp_path / "p.json", data)))
    assert result.exit_code == 2 and expected in result.stderr, result.stderr
    assert result.stdout == ""


def test_a_batch_over_a_folder_advises_only_this_programmes_sites_and_says_what_it_skipped() -> None:
    result = invoke("advise", str(SITES), "-p", str(CAFE), "-f", "csv")
    assert result.exit_code == 0, result.stderr
    advised = {row.split(",")[1] for row in result.stdout.strip().splitlines()[1:]}
    assert advised == {"well-prepared", "rural-county", "sparse"}
    assert "advised 3 of 6 site(s); skipped 3 written for a programme other than 'cafe-families-of-offenders'" \
        in result.stderr
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped: ")]
    assert len(skipped) == 3 and all("written for programme" in line for line in skipped)


def test_a_batch_of_nothing_but_other_programmes_sites_is_not_a_success() -> None:
    result = invoke("advise", str(SITES / "dropping-core.json"), str(SITES / "many-agencies.json"), "-p", str(CAFE))
    assert result.exit_code == 2 and "advised 0 of 2" in result.stderr


@pytest.mark.parametrize(("field", "value", "suggestion"), [
    ("local_needs", ["substance_misuse"], "substance_misuse_support"),
    ("conditions", ["adult_treatment_services"], "adult_treatment_service"),
    ("existing_services", [{"id": "s", "name": "S", "covers": ["debt_advise"]}], "debt_advice"),
])
def test_a_tag_typo_in_a_site_is_refused_with_a_did_you_mean(field: str, value: object, suggestion: str,
                                                             tmp_path: Path) -> None:
    site = _write(tmp_path / "site.json", _site(**{field: value}))
    result = invoke("advise", str(site), "-p", str(CAFE))
    assert result.exit_code == 2 and f"did you mean {suggestion!r}" in result.stderr


def test_a_tag_typo_in_a_programme_is_refused_with_a_did_you_mean(tmp_path: Path) -> None:
    data = json.loads(CAFE.read_text(encoding="utf-8"))
    data["proven_context"]["relies_on"][0] = "public_transprt"
    data["components"][0]["serves"][0] = "accomodation_support"
    with pytest.raises(InputError) as caught:
        load_programme(_write(tmp_path / "programme.json", data))
    text = str(caught.value)
    assert "proven_context.relies_on[0]" in text and "did you mean 'public_transport'" in text
    assert "components[0].serves[0]" in text and "did you mean 'accommodation_support'" in text


def _vocabulary_pack(folder: Path) -> Path:
    folder.mkdir()
    (folder / "pack.yaml").write_text("name: kin\nvocabulary:\n  needs:\n    kinship_care: Support for relatives "
                                      "raising a child.\n", encoding="utf-8")
    return folder


def test_a_rule_pack_extends_the_vocabulary(tmp_path: Path) -> None:
    site = _write(tmp_path / "site.json", _site(local_needs=["kinship_care"]))
    assert invoke("advise", str(site), "-p", str(CAFE)).exit_code == 2
    pack = _vocabulary_pack(tmp_path / "pack")
    result = invoke("advise", str(site), "-p", str(CAFE), "--rules", str(pack))
    assert result.exit_code == 0, result.stderr
    schema = json.loads(invoke("schema", "site", "--rules", str(pack)).stdout)
    assert "kinship_care" in schema["properties"]["local_needs"]["anyOf"][0]["items"]["enum"]


def test_a_bad_vocabulary_in_a_pack_is_located(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text("vocabulary:\n  need:\n    Kinship Care: x\n", encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_rule_base([pack])
    assert "vocabulary.need: unknown key (did you mean 'needs'?)" in str(caught.value)


def test_the_schema_lists_the_vocabulary_as_enums_for_editors() -> None:
    vocabulary = shipped_vocabulary()
    site = json.loads(invoke("schema", "site").stdout)
    programme = json.loads(invoke("schema", "programme").stdout)
    needs, conditions = sorted(vocabulary.needs), sorted(vocabulary.conditions)
    assert site["properties"]["local_needs"]["anyOf"][0]["items"]["enum"] == needs
    assert site["properties"]["conditions"]["anyOf"][0]["items"]["enum"] == conditions
    assert site["$defs"]["ExistingService"]["properties"]["covers"]["items"]["enum"] == needs
    assert programme["$defs"]["Component"]["properties"]["serves"]["items"]["enum"] == needs
    assert programme["$defs"]["ProvenContext"]["properties"]["relies_on"]["items"]["enum"] == conditions
    assert "kinship" not in json.dumps(site)
    assert "accommodation_support: Help finding or keeping settled accommodation." in json.dumps(site)


def test_the_profiles_readme_lists_exactly_the_shipped_vocabulary() -> None:
    # Tags may hold digits and '-' (`ks2_attainment`), as the schema's tag pattern allows.
    text = (PROFILES / "README.md").read_text(encoding="utf-8").split("## Tag vocabulary", 1)[1]
    needs_text, conditions_text = text.split("- Conditions", 1)
    vocabulary = shipped_vocabulary()
    tag = r"`([a-z0-9_-]+)`"
    assert set(re.findall(tag, needs_text)) - {"serves", "covers", "local_needs"} == set(vocabulary.needs)
    assert set(re.findall(tag, conditions_text)) - {"relies_on", "conditions"} == set(vocabulary.conditions)
    assert all(meaning.strip() for meaning in [*vocabulary.needs.values(), *vocabulary.conditions.values()])


# -- 12. policy staff working on the shipped base in a checkout ------------------------------------


def _checkout(tmp_path: Path) -> Path:
    """A copy of a checkout's rules/, beside its pyproject.toml, as after `pip install .`."""
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path / "rules"


@pytest.mark.parametrize("command", ["check", "test"])
def test_naming_a_checkouts_rules_folder_checks_it_as_the_base(command: str, tmp_path: Path) -> None:
    rules = _checkout(tmp_path)
    result = invoke("rules", command, str(rules), "--engine", "reference") if command == "test" else \
        invoke("rules", command, str(rules))
    assert result.exit_code == 0, result.stdout[-1000:] + result.stderr
    assert "duplicate rule id" not in result.stdout
    assert f"rule base: {rules.resolve()}" in result.stderr


def test_a_folder_that_is_not_a_rule_base_is_still_a_pack_on_top_of_the_base(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "rules", pack)
    result = invoke("rules", "check", str(pack))
    assert result.exit_code == 1 and "duplicate rule id" in result.stdout


def _broken_copy(tmp_path: Path) -> Path:
    rules = tmp_path / "mine"
    shutil.copytree(ROOT / "rules", rules)
    first = sorted(p for p in rules.glob("*.yaml") if not is_parameter_file(p))[0]  # a rule file, not parameters
    text = first.read_text(encoding="utf-8")
    assert "severity: high" in text, first
    first.write_text(text.replace("severity: high", "severity: hihg", 1), encoding="utf-8")
    return rules


def test_base_option_checks_that_folder_as_the_rule_base(tmp_path: Path) -> None:
    rules = _broken_copy(tmp_path)
    result = invoke("rules", "check", "--base", str(rules))
    assert result.exit_code == 1 and "mine/" in result.stdout and "severity" in result.stdout
    assert "duplicate" not in result.stdout
    assert f"rule base: {rules.resolve()}" in result.stderr
    assert invoke("rules", "check").exit_code == 0  # the shipped base is untouched


def test_the_environment_variable_makes_a_folder_the_base_for_every_command(tmp_path: Path) -> None:
    rules = _broken_copy(tmp_path)
    env = {"REPLICATE_RULES_BASE": str(rules)}
    check = invoke("rules", "check", env=env)
    assert check.exit_code == 1 and f"rule base: {rules.resolve()}" in check.stderr
    advise = invoke("advise", str(SITES / "sparse.json"), "-p", str(CAFE), env=env)
    assert advise.exit_code != 0 and "mine/" in advise.stderr and "severity" in advise.stderr


def test_a_condition_starting_with_a_quote_gets_the_quote_the_whole_condition_hint(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "r.yaml").write_text("rules:\n  - id: LOCAL-FORUM\n    when: \"parent_forum\" in site.missing_conditions\n",
                                 encoding="utf-8")
    result = invoke("rules", "check", str(pack / "r.yaml"))
    assert result.exit_code == 1
    assert "quote the whole condition, when: '\"parent_forum\" in site.missing_conditions'" in result.stdout


# -- 13. the README on a machine without Chromium, and --output-dir ------------------------------


def _readme_block(heading: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8").split(f"## {heading}", 1)[1]
    blocks: list[str] = re.findall(r"```[a-z]*\n(.*?)```", text, re.S)
    return blocks[0]


def test_the_readmes_commands_use_distinct_virtual_environments() -> None:
    try_venv = re.findall(r"venv (\S+)", _readme_block("Try it"))
    test_venv = re.findall(r"venv (\S+)", _readme_block("Run the tests"))
    assert try_venv and test_venv and try_venv != test_venv
    assert f"venv {test_venv[0]}" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_readmes_usage_lists_every_format() -> None:
    from replicate.cli.advise import FORMATS

    usage = _readme_block("Usage")
    assert "|".join(FORMATS) in usage


def test_ci_requires_the_browser_and_the_readme_says_so() -> None:
    assert "export REPLICATE_REQUIRE_BROWSER=1" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "REPLICATE_REQUIRE_BROWSER=1" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("required", [False, True])
def test_the_browser_test_skips_without_chromium_unless_required(required: bool, tmp_path: Path) -> None:
    bare = tmp_path / "bin"
    bare.mkdir()  # a PATH with no chromium on it
    env = {**os.environ, "PATH": str(bare)}
    env.pop("REPLICATE_REQUIRE_BROWSER", None)
    if required:
        env["REPLICATE_REQUIRE_BROWSER"] = "1"
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                           str(ROOT / "tests" / "test_html_browser.py")], cwd=ROOT / "tests", env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    if required:
        assert done.returncode == 1 and "the browser test must run" in done.stdout, done.stdout[-2000:]
    else:
        assert done.returncode == 0 and "skipped" in done.stdout and "chromium" in done.stdout, done.stdout[-2000:]


def test_output_dir_is_created_before_any_work(tmp_path: Path) -> None:
    out = tmp_path / "plans" / "2024"
    result = invoke("advise", str(SITES / "sparse.json"), str(SITES / "rural-county.json"), "-p", str(CAFE),
                    "--output-dir", str(out))
    assert result.exit_code == 0, result.stderr
    assert {p.name for p in out.iterdir()} == {"sparse.txt", "rural-county.txt", "portfolio.txt"}


@pytest.mark.parametrize("where", ["plans", "plans/2024"])
def test_an_output_dir_that_cannot_be_made_is_refused_before_any_work(where: str, tmp_path: Path) -> None:
    (tmp_path / "plans").write_text("a file in the way\n", encoding="utf-8")
    started = time.monotonic()
    result = invoke("advise", str(SITES), "-p", str(CAFE), "--output-dir", str(tmp_path / where))
    assert result.exit_code == 2 and "plans" in result.stderr
    assert "advised" not in result.stderr and time.monotonic() - started < 5
