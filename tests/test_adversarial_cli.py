"""The command line fed bad input: a clear message naming the file and field, a non-zero exit, never a
traceback, and an existing output file left exactly as it was. A batch with bad profiles mixed in
still advises every good one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from replicate.cli import main

ROOT = Path(__file__).resolve().parent.parent
PROGRAMME = ROOT / "profiles" / "programmes" / "cafe-families-of-offenders.json"
SITES = ROOT / "profiles" / "sites"
GOOD_SITES = ["rural-county.json", "sparse.json", "well-prepared.json"]
BEFORE = "an earlier plan that must survive\n"

BAD_SITES: dict[str, bytes] = {
    "empty file": b"",
    "truncated JSON": b'{"id": "x", "name": "X", "setting": "ru',
    "YAML instead of JSON": b"id: x\nname: X\n",
    "not an object": b'[{"id": "x"}]',
    "wrong type": b'{"id": "x", "name": "X", "leadership": {"champions": "three"}}',
    "unknown field": b'{"id": "x", "name": "X", "fundng": {}}',
    "misspelt value": b'{"id": "x", "name": "X", "setting": "rurall"}',
    "NaN": b'{"id": "x", "name": "X", "funding": {"months_secured": NaN}}',
    "Infinity": b'{"id": "x", "name": "X", "funding": {"months_secured": Infinity}}',
    "huge number": b'{"id": "x", "name": "X", "leadership": {"champions": 1' + b"0" * 400 + b"}",
    "negative duration": b'{"id": "x", "name": "X", "funding": {"months_secured": -6}}',
    "tiny number": b'{"id": "x", "name": "X", "funding": {"months_secured": 0.000001}}',
    "not UTF-8": b'{"id": "x", "name": "caf\xe9"}',
    "very long string": b'{"id": "x", "name": "' + b"n" * 100_000 + b'"}',
    "deep nesting": b'{"id": "x", "name": "X", "local_needs": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "duplicate ids": b'{"id": "x", "name": "X", "partners": [{"id": "p", "name": "A", "type": "health"},'
                     b' {"id": "p", "name": "B", "type": "police"}]}',
    "adaptation of nothing": b'{"id": "x", "name": "X", "adaptations": [{"id": "a", "touches": "nothing_real",'
                             b' "nature": "remove"}]}',
}


def invoke(*args: str, stdin: str | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return result


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("case", sorted(BAD_SITES))
def test_a_bad_site_gives_a_located_message_and_leaves_the_output_file_alone(case: str, tmp_path: Path) -> None:
    site = _write(tmp_path, "site.json", BAD_SITES[case])
    output = tmp_path / "plan.json"
    output.write_text(BEFORE, encoding="utf-8")
    result = invoke("advise", str(site), "--programme", str(PROGRAMME), "--format", "json", "--output", str(output))
    assert result.exit_code == 2
    assert f"error: {site}" in result.stderr
    assert output.read_text(encoding="utf-8") == BEFORE and not _leftovers(tmp_path)


def test_field_paths_and_suggestions_reach_the_user(tmp_path: Path) -> None:
    site = _write(tmp_path, "site.json", BAD_SITES["misspelt value"])
    result = invoke("advise", str(site), "-p", str(PROGRAMME))
    assert "setting" in result.stderr and "did you mean 'rural'" in result.stderr
    site = _write(tmp_path, "site.json", BAD_SITES["adaptation of nothing"])
    result = invoke("advise", str(site), "-p", str(PROGRAMME))
    assert result.exit_code == 2 and "adaptations[0].touches" in result.stderr and "nothing_real" in result.stderr


@pytest.mark.parametrize("case", ["empty file", "truncated JSON", "unknown field", "not UTF-8"])
def test_a_bad_programme_is_refused_the_same_way(case: str, tmp_path: Path) -> None:
    programme = _write(tmp_path, "programme.json", BAD_SITES[case])
    output = tmp_path / "plan.txt"
    output.write_text(BEFORE, encoding="utf-8")
    result = invoke("advise", str(SITES / "sparse.json"), "-p", str(programme), "-o", str(output))
    assert result.exit_code == 2 and f"error: {programme}" in result.stderr
    assert output.read_text(encoding="utf-8") == BEFORE


def test_a_50_mb_site_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    site = tmp_path / "huge.json"
    with site.open("wb") as handle:
        handle.write(b'{"id": "x", "name": "X", "summary": "' + b"x" * (50 * 1024 * 1024) + b'"}')
    result = invoke("advise", str(site), "-p", str(PROGRAMME))
    assert result.exit_code == 2 and "limit" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["advise", "no-such-site.json", "-p", str(PROGRAMME)],
        ["advise", str(SITES / "sparse.json")],
        ["advise", str(SITES / "sparse.json"), "-p", str(PROGRAMME), "--format", "pdf"],
        ["advise", str(SITES / "sparse.json"), "-p", str(PROGRAMME), "--jobs", "0"],
        ["advise", str(SITES / "sparse.json"), "-p", str(PROGRAMME), "--rules", "no-such-folder"],
        ["advise", str(SITES / "sparse.json"), "-p", str(PROGRAMME), "-o", "/no/such/folder/plan.txt"],
        ["advise", str(SITES / "sparse.json"), "-p", str(PROGRAMME), "-o", str(ROOT / "profiles")],
        ["advise", str(SITES / "sparse.json"), "-p", str(PROGRAMME), "--unknown-option"],
    ],
)
def test_usage_mistakes_are_messages_with_a_non_zero_exit(args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code != 0 and result.stderr.strip()


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("bad.yaml", "rules:\n  - id: [unclosed\n"),
        ("bad.yaml", "rules:\n  - id: LOCAL-X\n    severty: high\n"),
        ("bad.yaml", "rules: 12\n"),
        ("bad.yaml", ""),
        ("bad.csv", "# id: LOCAL-TABLE\nsite.funding_coverage <,severity\n'abc,high\n"),
        ("bad.csv", "\xff\xfe"),
    ],
)
def test_a_bad_local_rule_pack_is_reported_and_nothing_is_written(name: str, text: str, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / name).write_bytes(text.encode("latin-1") if "\xff" in text else text.encode("utf-8"))
    output = tmp_path / "plan.txt"
    output.write_text(BEFORE, encoding="utf-8")
    result = invoke("advise", str(SITES / "sparse.json"), "-p", str(PROGRAMME), "--rules", str(pack), "-o", str(output))
    assert result.exit_code in (1, 2) and str(pack / name) in result.stderr
    assert output.read_text(encoding="utf-8") == BEFORE and not _leftovers(tmp_path)


# -- batches ----------------------------------------------------------------------------------------


def _mixed_folder(tmp_path: Path) -> tuple[Path, list[str], list[str]]:
    folder = tmp_path / "batch"
    folder.mkdir()
    good_ids = []
    for name in GOOD_SITES:
        data = (SITES / name).read_bytes()
        _write(folder, name, data)
        good_ids.append(json.loads(data)["id"])
    bad = ["empty file", "truncated JSON", "not UTF-8", "misspelt value", "adaptation of nothing", "deep nesting"]
    for index, case in enumerate(bad):
        _write(folder, f"bad-{index}.json", BAD_SITES[case])
    return folder, good_ids, [f"bad-{index}.json" for index in range(len(bad))]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_batch_with_bad_files_mixed_in_advises_every_good_one(jobs: str, tmp_path: Path) -> None:
    folder, good_ids, bad_names = _mixed_folder(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    result = invoke("advise", str(folder), "-p", str(PROGRAMME), "-f", "json", "--output-dir", str(out),
                    "--jobs", jobs)
    assert result.exit_code == 2
    written = {p.stem for p in out.glob("*.json")} - {"portfolio"}
    assert written == set(good_ids)
    for name in bad_names:
        assert str(folder / name) in result.stderr
    portfolio = json.loads((out / "portfolio.json").read_text(encoding="utf-8"))
    assert json.dumps(portfolio).count("rural") >= 1


def test_json_lines_on_stdin_with_bad_lines_advises_the_good_lines() -> None:
    good = [json.dumps(json.loads((SITES / name).read_text(encoding="utf-8"))) for name in GOOD_SITES]
    lines = [good[0], "{bad json", "[1, 2]", '"/etc/passwd"', "null", good[1], '{"id": "x"}', good[2],
             '{"id": "y", "name": "Y", "funding": {"months_secured": NaN}}']
    result = invoke("advise", "-", "-p", str(PROGRAMME), "-f", "csv", stdin="\n".join(lines) + "\n")
    assert result.exit_code == 2
    rows = result.stdout.strip().splitlines()[1:]
    assert len(rows) == 3
    for line_number in (2, 3, 4, 5, 7, 9):
        assert f"<stdin>:{line_number}" in result.stderr
    assert "/etc/passwd" in result.stderr and "root:" not in result.stdout + result.stderr


def test_a_batch_output_file_is_still_written_atomically_with_the_good_sites(tmp_path: Path) -> None:
    folder, good_ids, _ = _mixed_folder(tmp_path)
    output = tmp_path / "portfolio.json"
    output.write_text(BEFORE, encoding="utf-8")
    result = invoke("advise", str(folder), "-p", str(PROGRAMME), "-f", "json", "-o", str(output))
    assert result.exit_code == 2
    document = json.loads(output.read_text(encoding="utf-8"))
    assert all(site_id in json.dumps(document) for site_id in good_ids) and not _leftovers(tmp_path)
