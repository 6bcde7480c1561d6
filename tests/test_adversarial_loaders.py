"""Every loader fed bad input: each gives the project's own error naming the file and the field path,
never a traceback from pydantic, json, ruamel or the OS.

The programme and site cases are generated from the shipped examples whose every field is filled,
so "wrong type at every level" and "unknown field at every level" really cover every field.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from replicate.errors import InputError, Problem, ReplicateError, RuleError, format_path
from replicate.loading import MAX_INPUT_BYTES, check_site_against, load_programme, load_site
from replicate.rules.loader import load_rule_files

ROOT = Path(__file__).resolve().parent.parent
PROGRAMME = ROOT / "profiles" / "programmes" / "cafe-families-of-offenders.json"
FULL_SITE = ROOT / "profiles" / "sites" / "well-prepared.json"

PathKey = tuple[str | int, ...]
LOADERS = {"programme": (load_programme, PROGRAMME), "site": (load_site, FULL_SITE)}


def _document(kind: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(LOADERS[kind][1].read_text(encoding="utf-8"))
    return data


def _walk(value: Any, path: PathKey = ()) -> Iterator[tuple[PathKey, Any]]:
    """Every node of a JSON document with its path, parents before children."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, index))


def _replaced(document: dict[str, Any], path: PathKey, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    node: Any = changed
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return changed


def _wrong_type(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return 12345
    if isinstance(value, list):
        return {"0": value}
    return [value]


def _load_file(kind: str, tmp_path: Path, text: str | bytes) -> list[Problem]:
    path = tmp_path / f"{kind}.json"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        LOADERS[kind][0](path)
    problems = list(caught.value.problems)
    assert problems and all(p.source == str(path) for p in problems), problems
    assert all(p.message for p in problems)
    return problems


def _cases(kind: str) -> list[tuple[str, PathKey, Any]]:
    document = _document(kind)
    return [(kind, path, value) for path, value in _walk(document) if path]


ALL_NODES = _cases("programme") + _cases("site")
# `provenance` is a map from field paths to sources, not an object with fixed fields: its keys are
# checked as paths instead (tests/test_programme_provenance.py).
ALL_OBJECTS = [*[(kind, path) for kind, path, value in ALL_NODES
                 if isinstance(value, dict) and path[-1:] != ("provenance",)],
               ("programme", ()), ("site", ())]
NAMED_OBJECTS = [*[(k, p) for k, p in ALL_OBJECTS if p and isinstance(p[-1], str)], ("site", ()), ("programme", ())]


def _id(value: Any) -> str | None:
    return format_path(value) or "<top>" if isinstance(value, tuple) else None


@pytest.mark.parametrize(("kind", "path", "value"), ALL_NODES, ids=_id)
def test_a_wrong_type_anywhere_is_reported_at_its_field_path(kind: str, path: PathKey, value: Any,
                                                             tmp_path: Path) -> None:
    text = json.dumps(_replaced(_document(kind), path, _wrong_type(value)))
    problems = _load_file(kind, tmp_path, text)
    where = format_path(path)
    assert any(p.location == where or p.location.startswith(where) for p in problems), (where, problems)


@pytest.mark.parametrize(("kind", "path"), ALL_OBJECTS, ids=_id)
def test_an_unknown_field_in_any_object_is_named_with_its_path(kind: str, path: PathKey, tmp_path: Path) -> None:
    document = _document(kind)
    target = copy.deepcopy(document)
    node: Any = target
    for part in path:
        node = node[part]
    node["colour"] = "blue"
    problems = _load_file(kind, tmp_path, json.dumps(target))
    expected = format_path((*path, "colour"))
    assert [p.message for p in problems if p.location == expected] == ["unknown field"]


@pytest.mark.parametrize(("kind", "path"), NAMED_OBJECTS, ids=_id)
def test_a_misspelt_field_name_gets_a_did_you_mean(kind: str, path: PathKey, tmp_path: Path) -> None:
    document = _document(kind)
    node: Any = document
    for part in path:
        node = node[part]
    key = sorted(node)[0]
    node[key[:-1] + key[-1] * 2 if len(key) > 3 else key + "x"] = node.pop(key)
    problems = _load_file(kind, tmp_path, json.dumps(document))
    assert any(f"did you mean {key!r}" in p.message for p in problems), problems


@pytest.mark.parametrize(
    ("path", "value", "suggestion"),
    [
        (("setting",), "rurall", "rural"),
        (("partners", 0, "type"), "helth", "health"),
        (("climate", "political"), "suportive", "supportive"),
        (("leadership", "lead_influence"), "hihg", "high"),
        (("adaptations", 0, "nature"), "modfy", "modify"),
        (("funding", "sources", 0, "stability"), "secur", "secure"),
        (("dissemination", "channels", 0), "webiste", "website"),
    ],
)
def test_a_misspelt_value_from_a_vocabulary_gets_a_did_you_mean(path: PathKey, value: str, suggestion: str,
                                                                tmp_path: Path) -> None:
    problems = _load_file("site", tmp_path, json.dumps(_replaced(_document("site"), path, value)))
    assert [p.location for p in problems] == [format_path(path)]
    assert f"did you mean {suggestion!r}" in problems[0].message and repr(value)[1:-1] in problems[0].message


BAD_TEXTS = {
    "empty file": "",
    "only whitespace": "  \n\t ",
    "truncated": '{"id": "a", "name": "b", "setting": "ur',
    "truncated after a comma": '{"id": "a",',
    "trailing garbage": '{"id": "a", "name": "b"} extra',
    "a list, not an object": '[{"id": "a"}]',
    "a string": '"site"',
    "null": "null",
    "YAML, not JSON": "id: a\nname: b\n",
    "single quotes": "{'id': 'a'}",
    "NaN": '{"id": "a", "name": "b", "funding": {"months_secured": NaN}}',
    "Infinity": '{"id": "a", "name": "b", "funding": {"months_secured": Infinity}}',
    "-Infinity": '{"id": "a", "name": "b", "funding": {"months_secured": -Infinity}}',
    "overflowing float": '{"id": "a", "name": "b", "funding": {"months_secured": 1e400}}',
    "huge integer": '{"id": "a", "name": "b", "leadership": {"champions": ' + "9" * 5000 + "}}",
    "deeply nested arrays": '{"id": "a", "name": "b", "local_needs": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "deeply nested objects": '{"id": "a", "x": ' + '{"a": ' * 50_000 + "1" + "}" * 50_000 + "}",
    "duplicate keys": '{"id": "a", "name": "b", "name": "c"}',
    "a NUL byte": '{"id": "a\x00", "name": "b"}',
}


@pytest.mark.parametrize("kind", ["programme", "site"])
@pytest.mark.parametrize("case", sorted(BAD_TEXTS))
def test_malformed_documents_give_one_clear_error(kind: str, case: str, tmp_path: Path) -> None:
    problems = _load_file(kind, tmp_path, BAD_TEXTS[case])
    assert all(len(str(p)) < 2_000 for p in problems), "messages stay readable"


def test_truncated_json_reports_line_and_column(tmp_path: Path) -> None:
    text = FULL_SITE.read_text(encoding="utf-8")
    problems = _load_file("site", tmp_path, text[: len(text) // 2])
    assert problems[0].line is not None and problems[0].line > 1 and problems[0].column is not None


@pytest.mark.parametrize("kind", ["programme", "site"])
def test_every_truncation_of_a_valid_file_is_an_input_error(kind: str, tmp_path: Path) -> None:
    text = json.dumps(_document(kind))
    for cut in range(0, len(text) - 1, max(1, len(text) // 60)):
        _load_file(kind, tmp_path, text[:cut])


@pytest.mark.parametrize(
    "data",
    [b'{"id": "a", "name": "caf\xe9"}', b"\xff\xfe{\x00}\x00", b'{"id": "a", "name": "\x80\x81"}',
     b"\x00\x00\x00"],
)
def test_bytes_that_are_not_utf8_are_refused_with_their_offset(data: bytes, tmp_path: Path) -> None:
    problems = _load_file("site", tmp_path, data)
    assert "UTF-8" in problems[0].message or "JSON" in problems[0].message


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    with path.open("w", encoding="utf-8") as handle:  # 50 MB of otherwise valid JSON
        handle.write('{"id": "a", "name": "b", "summary": "')
        handle.write("x" * (50 * 1024 * 1024))
        handle.write('"}')
    for loader in (load_site, load_programme):
        with pytest.raises(InputError) as caught:
            loader(path)
        (problem,) = caught.value.problems
        assert problem.source == str(path) and f"{MAX_INPUT_BYTES:,}" in problem.message


def test_a_huge_json_string_from_an_embedder_is_refused_too() -> None:
    with pytest.raises(InputError, match="limit"):
        load_site('{"id": "a", "name": "' + "x" * (MAX_INPUT_BYTES + 1) + '"}')


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("name",), "x" * 100_000),
        (("id",), "a" * 65),
        (("partners", 0, "role"), "r" * 5_000),
        (("local_needs", 0), "n" * 1_000),
    ],
)
def test_very_long_strings_are_refused_without_echoing_them(path: PathKey, value: str, tmp_path: Path) -> None:
    problems = _load_file("site", tmp_path, json.dumps(_replaced(_document("site"), path, value)))
    assert any(p.location == format_path(path) for p in problems)
    assert all(len(p.message) < 300 for p in problems)


@pytest.mark.parametrize(
    ("kind", "path", "value"),
    [
        ("programme", ("costs", "duration_months"), -12),
        ("programme", ("costs", "duration_months"), 0),
        ("programme", ("costs", "annual_cost"), -1.5),
        ("site", ("funding", "months_secured"), -3),
        ("site", ("operational_plan", "review_every_months"), -1),
        ("site", ("leadership", "lead_hours_per_week"), -0.5),
        ("site", ("partners", 0, "years_relationship"), -2),
        ("site", ("leadership", "champions"), 10**18),
        ("site", ("funding", "annual_budget"), 1e300),
        ("site", ("leadership", "lead_hours_per_week"), 1e308),
        ("site", ("leadership", "champions"), 2.5),
        ("site", ("leadership", "named_lead"), 1),
    ],
)
def test_out_of_range_numbers_and_negative_durations_are_refused(kind: str, path: PathKey, value: Any,
                                                                 tmp_path: Path) -> None:
    problems = _load_file(kind, tmp_path, json.dumps(_replaced(_document(kind), path, value)))
    assert [p.location for p in problems] == [format_path(path)]


def test_duplicate_ids_are_reported_at_the_second_one(tmp_path: Path) -> None:
    site = _document("site")
    site["partners"].append(copy.deepcopy(site["partners"][0]))
    problems = _load_file("site", tmp_path, json.dumps(site))
    index = len(site["partners"]) - 1
    assert [p.location for p in problems] == [f"partners[{index}].id"] and "duplicate" in problems[0].message
    programme = _document("programme")
    programme["principles"].append(copy.deepcopy(programme["principles"][0]))
    problems = _load_file("programme", tmp_path, json.dumps(programme))
    assert any("duplicate" in p.message and p.location.startswith("principles[") for p in problems)


def test_a_component_naming_a_principle_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    programme = _document("programme")
    real = programme["components"][0]["principles"][0]
    programme["components"][0]["principles"][0] = real[:-1]
    problems = _load_file("programme", tmp_path, json.dumps(programme))
    assert problems[0].location == "components[0].principles[0]"
    assert f"did you mean {real!r}" in problems[0].message


def test_an_adaptation_touching_something_the_programme_lacks_is_refused(tmp_path: Path) -> None:
    site = _document("site")
    site["adaptations"][0]["touches"] = "no_such_component"
    path = tmp_path / "site.json"
    path.write_text(json.dumps(site), encoding="utf-8")
    loaded = load_site(path)  # valid on its own; wrong only against this programme
    with pytest.raises(InputError) as caught:
        check_site_against(load_programme(PROGRAMME), loaded, str(path))
    (problem,) = caught.value.problems
    assert problem.source == str(path) and problem.location == "adaptations[0].touches"


@pytest.mark.parametrize("name", ["missing.json", "folder", "nul\x00byte.json", "x" * 300 + ".json"])
def test_unreadable_paths_are_input_errors(name: str, tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    with pytest.raises(InputError, match="cannot read"):
        load_site(tmp_path / name)


# -- rule files -----------------------------------------------------------------------------------

GOOD_RULE = """\
rules:
  - id: ADV-TEST
    title: No champions
    theme: buy_in
    category: missing_buy_in
    severity: medium
    when: site.leadership.champions == 0
    advice: "Nobody champions it."
    factors: [BI8]
    source: {theme: buy_in, quote: "champions who drive the programme forward"}
    basis: {kind: guidance}
"""

BAD_RULE_FILES = {
    "empty file": "",
    "only a comment": "# nothing here\n",
    "truncated": GOOD_RULE[: len(GOOD_RULE) // 2],
    "tab indentation": GOOD_RULE.replace("    title", "\ttitle"),
    "unclosed quote": GOOD_RULE.replace('"Nobody champions it."', '"Nobody champions it.'),
    "a list at the top": "- id: X\n",
    "rules is a mapping": "rules: {id: X}\n",
    "a rule is a string": "rules: [just text]\n",
    "unknown top-level key": GOOD_RULE + "extra: 1\n",
    "misspelt key": GOOD_RULE.replace("severity:", "severty:"),
    "misspelt theme": GOOD_RULE.replace("theme: buy_in\n    category", "theme: buy_inn\n    category"),
    "wrong type for factors": GOOD_RULE.replace("factors: [BI8]", "factors: BI8"),
    "number for a title": GOOD_RULE.replace("title: No champions", "title: 12"),
    "unknown field in condition": GOOD_RULE.replace("site.leadership.champions", "site.leadership.champion"),
    "unknown factor": GOOD_RULE.replace("[BI8]", "[ZZ99]"),
    "bad condition syntax": GOOD_RULE.replace("== 0", "= 0"),
    "condition compares text to a number": GOOD_RULE.replace("== 0", '== "none"'),
    "huge number in condition": GOOD_RULE.replace("== 0", "== " + "9" * 400),
    "NaN in an example": GOOD_RULE + "    examples:\n      - {fires: true, given: {site.leadership.champions: .nan}}\n",
    "duplicate key": GOOD_RULE.replace("    severity: medium\n", "    severity: medium\n    severity: high\n"),
    "python tag": GOOD_RULE.replace('"Nobody champions it."', "!!python/object:os.system ls"),
    "deep nesting": "rules:\n" + "  " + "[" * 5000 + "]" * 5000 + "\n",
    "very long condition": GOOD_RULE.replace("== 0", "== 0" + " and site.leadership.champions == 0" * 200),
    "a NUL byte": GOOD_RULE.replace("No champions", "No\x00champions"),
}


def _rule_problems(tmp_path: Path, text: str | bytes, name: str = "rules.yaml") -> list[Problem]:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    result = load_rule_files([path])
    assert result.problems, "a bad rule file must report a problem"
    assert not result.rules or all(r.id == "ADV-TEST" for r in result.rules)
    assert all(p.source == str(path) and p.message for p in result.problems), result.problems
    return result.problems


def test_the_good_rule_used_below_really_loads(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(GOOD_RULE, encoding="utf-8")
    result = load_rule_files([path])
    assert not result.problems and [r.id for r in result.rules] == ["ADV-TEST"]


@pytest.mark.parametrize("case", sorted(BAD_RULE_FILES))
def test_bad_rule_files_are_reported_with_file_and_line(case: str, tmp_path: Path) -> None:
    problems = _rule_problems(tmp_path, BAD_RULE_FILES[case])
    assert any(p.line is not None for p in problems) or case in {"empty file", "only a comment", "deep nesting"}


def test_a_misspelt_rule_key_gets_a_did_you_mean(tmp_path: Path) -> None:
    problems = _rule_problems(tmp_path, BAD_RULE_FILES["misspelt key"])
    assert any("did you mean 'severity'" in p.message for p in problems)


def test_a_rule_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    _rule_problems(tmp_path, GOOD_RULE.encode("utf-8").replace(b"No champions", b"No \xff champions"))


def test_duplicate_rule_ids_across_files_are_reported(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD_RULE, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(GOOD_RULE, encoding="utf-8")
    result = load_rule_files([tmp_path])
    assert any("duplicate rule id" in p.message for p in result.problems)


def test_a_50_mb_rule_file_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(GOOD_RULE)
        handle.write("# " + "x" * (50 * 1024 * 1024) + "\n")
    result = load_rule_files([path])
    assert result.problems and all(p.source == str(path) for p in result.problems)


def test_every_error_type_is_the_projects_own() -> None:
    assert issubclass(InputError, ReplicateError) and issubclass(RuleError, ReplicateError)


# -- decision tables (YAML and CSV) -----------------------------------------------------------------

TABLE_FILE = ROOT / "rules" / "tables" / "funding_coverage.yaml"
GOOD_CSV = """\
# id: ADV-CSV-TABLE
# theme: resources
# category: funding_gap
# hit: first
# factors: [RS10]
# source: {theme: resources, quote: "early financial planning is essential"}
# basis: {kind: local_default, rationale: "The guidance draws no line on how much of the run must be funded."}
site.funding_coverage,severity,title,advice
< param.funding_coverage_half,high,Under half funded,Half the run is not funded.
>= param.funding_coverage_half,none,-,-
"""

BAD_TABLES = {
    "table.yaml: misspelt column field": TABLE_FILE.read_text(encoding="utf-8").replace(
        "columns: [site.funding_coverage,", "columns: [site.funding_coverag,"),
    "table.yaml: malformed cell": TABLE_FILE.read_text(encoding="utf-8").replace(
        '"< param.funding_coverage_low"', '"<< param.funding_coverage_low"'),
    "table.yaml: cell of the wrong type": TABLE_FILE.read_text(encoding="utf-8").replace(
        '"< param.funding_coverage_low"', '"rural"'),
    "table.yaml: a gap between rows": TABLE_FILE.read_text(encoding="utf-8").replace('">= 1"', '">= 2"'),
    "table.yaml: rows is not a list": "table:\n  id: ADV-T\n  rows: 3\n",
    "table.yaml: truncated": TABLE_FILE.read_text(encoding="utf-8")[:600],
    "table.csv: empty": "",
    "table.csv: only settings": "# id: ADV-CSV-TABLE\n",
    "table.csv: malformed cell": GOOD_CSV.replace("< param.funding_coverage_half,high",
                                              "<< param.funding_coverage_half,high"),
    "table.csv: unknown column": GOOD_CSV.replace("site.funding_coverage,", "site.fundng_coverage,"),
    "table.csv: ragged row": GOOD_CSV.replace(">= param.funding_coverage_half,none,-,-",
                                           ">= param.funding_coverage_half,none"),
    "table.csv: bad settings YAML": GOOD_CSV.replace("# hit: first", "# hit: [first"),
    "table.csv: huge number": GOOD_CSV.replace("< param.funding_coverage_half,high", "< " + "9" * 400 + ",high"),
}


def test_the_good_csv_table_used_below_really_loads(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    result = load_rule_files([path])
    assert not result.problems and [r.id for r in result.rules] == ["ADV-CSV-TABLE-1"]  # row 2 gives none


@pytest.mark.parametrize("case", sorted(BAD_TABLES))
def test_bad_decision_tables_are_reported_with_their_file(case: str, tmp_path: Path) -> None:
    path = tmp_path / case.split(":")[0]
    path.write_text(BAD_TABLES[case], encoding="utf-8")
    result = load_rule_files([path])
    assert result.problems and all(p.source == str(path) and p.message for p in result.problems), result.problems


def test_a_csv_table_that_is_not_utf8_or_huge_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_bytes(GOOD_CSV.encode("utf-8").replace(b"Under half", b"Under \xff half"))
    assert load_rule_files([path]).problems
    with path.open("w", encoding="utf-8") as handle:
        handle.write(GOOD_CSV)
        handle.write(("< param.funding_coverage_half,high,x,y\n") * 3_500_000)  # about 50 MB
    result = load_rule_files([path])
    assert result.problems and all(p.source == str(path) for p in result.problems)
