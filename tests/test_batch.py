"""Batch advice: folders, several files and JSON Lines on stdin; worker processes; one bad profile
reported with its file, line and field path while the rest are advised; exit codes; output files."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from api_support import PROFILES, PROGRAMME, jsonl, site, sites_with_known_findings, write_pack
from click.testing import CliRunner

from replicate import load_programme, read_site_inputs, run_batch
from replicate.cli import main
from replicate.cli.advise import is_batch, progress_wanted

BATCH = PROFILES / "batch" / "sites.jsonl"


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def write_sites(folder: Path, documents: list[dict[str, Any]]) -> list[Path]:
    folder.mkdir(exist_ok=True)
    paths = []
    for document in documents:
        path = folder / f"{document['id']}.json"
        path.write_text(json.dumps(document))
        paths.append(path)
    return paths


def test_inputs_expand_folders_in_name_order_and_json_lines_by_line(tmp_path: Path) -> None:
    write_sites(tmp_path / "f", [site("b"), site("a")])
    (tmp_path / "f" / "notes.txt").write_text("ignored")
    (tmp_path / "f" / "c.jsonl").write_text(jsonl([site("c1")]) + "\n" + jsonl([site("c2")]))
    items = read_site_inputs([tmp_path / "f", "-", tmp_path / "missing.json"], io.StringIO(jsonl([site("s")])))
    assert [i.label for i in items] == [
        str(tmp_path / "f" / "a.json"), str(tmp_path / "f" / "b.json"),
        f"{tmp_path / 'f' / 'c.jsonl'}:1", f"{tmp_path / 'f' / 'c.jsonl'}:3", "<stdin>:1",
        str(tmp_path / "missing.json"),
    ]
    assert items[-1].problem is not None and "no such file" in items[-1].problem.message


def test_one_bad_profile_is_reported_with_line_and_field_and_the_rest_are_advised() -> None:
    lines = jsonl([site("good1"), site("bad", leadership={"champions": "two"})]) + "not json\n" + jsonl([site("good2")])
    code, out, err = run("advise", "-", "-p", str(PROGRAMME), "-f", "json", stdin=lines)
    assert code == 2
    assert "error: <stdin>:2 leadership.champions:" in err
    assert "error: <stdin>:3:1: not valid JSON" in err
    document = json.loads(out)
    assert [p["site"]["id"] for p in document["plans"]] == ["good1", "good2"]  # input order
    assert [e["source"] for e in document["portfolio"]["errors"]] == ["<stdin>:2", "<stdin>:3"]
    assert "Traceback" not in err


def test_files_folders_and_stdin_mix_in_argument_order(tmp_path: Path) -> None:
    paths = write_sites(tmp_path / "sites", [site("f1"), site("f2")])
    code, out, _ = run("advise", str(paths[1]), "-", str(tmp_path / "sites"), "-p", str(PROGRAMME), "-f", "json",
                       stdin=jsonl([site("s1")]))
    assert code in (0, 1)
    assert [p["site"]["id"] for p in json.loads(out)["plans"]] == ["f2", "s1", "f1", "f2"]


def test_worker_processes_give_byte_identical_output() -> None:
    args = ["advise", str(PROFILES / "sites"), str(BATCH), "-p", str(PROGRAMME), "-f", "json"]
    serial = run(*args)
    parallel = run(*args, "--jobs", "3")
    assert serial == parallel
    assert len(json.loads(serial[1])["plans"]) >= 3


def test_library_batch_with_workers_matches_one_process(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack")
    write_sites(tmp_path / "sites", sites_with_known_findings())
    programme = load_programme(PROGRAMME)
    items = read_site_inputs([tmp_path / "sites"])
    done: list[int] = []
    one = run_batch(programme, items, packs=[pack], include_shipped=False)
    many = run_batch(programme, items, packs=[pack], include_shipped=False, jobs=2,
                     on_result=lambda r: done.append(r.index))
    assert [r.plan for r in one] == [r.plan for r in many]
    assert sorted(done) == list(range(len(items)))
    found = {r.plan.site.id: sorted(f.rule_id for f in r.plan.findings) for r in many if r.plan}
    assert found == {"rural-none": ["TP-NO-CHAMPIONS", "TP-RURAL"], "urban-one": ["TP-FEW-CHAMPIONS"],
                     "urban-many": ["TP-CHAMPIONS"], "unknown": []}


def _always_pack(folder: Path, severity: str) -> Path:
    return write_pack(folder, f"""\
rules:
  - id: TP-ALWAYS
    title: Always
    theme: impact
    category: impact
    severity: {severity}
    when: site.id == "always"
    advice: "Always fires for the site called always."
    factors: [IM1]
    source: {{theme: impact, quote: "evidence of impact"}}
    basis: {{kind: guidance}}
""", name="always")


@pytest.mark.parametrize(("severity", "threshold", "expected"),
                         [("high", "high", True), ("medium", "high", False), ("medium", "medium", True),
                          ("low", "medium", False), ("low", "low", True)])
def test_fail_on_exits_1_exactly_when_a_risk_reaches_the_threshold(tmp_path: Path, severity: str, threshold: str,
                                                                   expected: bool) -> None:
    pack = _always_pack(tmp_path / "pack", severity)
    code, out, _ = run("advise", "-", "-p", str(PROGRAMME), "--rules", str(pack), "-f", "json",
                       "--fail-on", threshold, stdin=jsonl([site("always")]))
    plans = json.loads(out)["plans"]
    levels = {"high": {"high"}, "medium": {"high", "medium"}, "low": {"high", "medium", "low"}}[threshold]
    hit = any(f["severity"] in levels and f["category"] != "strength" for p in plans for f in p["findings"])
    assert code == (1 if hit else 0)
    if expected:
        assert code == 1


def test_bad_input_outranks_fail_on(tmp_path: Path) -> None:
    pack = _always_pack(tmp_path / "pack", "high")
    code, _, err = run("advise", "-", "-p", str(PROGRAMME), "--rules", str(pack), "--fail-on", "high",
                       stdin=jsonl([site("always")]) + "{}\n")
    assert code == 2 and "fail-on high" in err


def test_batch_output_file_is_one_document_and_all_bad_leaves_it_alone(tmp_path: Path) -> None:
    output = tmp_path / "portfolio.csv"
    code, out, err = run("advise", str(BATCH), "-p", str(PROGRAMME), "-f", "csv", "-o", str(output))
    assert code in (0, 1) and out == "" and "wrote" in err
    rows = output.read_text().splitlines()
    assert rows[0].startswith("rank,site_id") and len(rows) == 1 + len(BATCH.read_text().splitlines())
    output.write_text("previous")
    code, _, _ = run("advise", "-", "-p", str(PROGRAMME), "-f", "csv", "-o", str(output), stdin="{}\n[]\n")
    assert code == 2 and output.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["portfolio.csv"]


def test_output_dir_writes_one_file_per_site_and_the_portfolio(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    documents = [site("a"), site("a"), site("portfolio")]
    code, _, _ = run("advise", "-", "-p", str(PROGRAMME), "-f", "markdown", "--output-dir", str(target),
                     stdin=jsonl(documents))
    assert code in (0, 1)
    assert sorted(p.name for p in target.iterdir()) == ["a-2.md", "a.md", "portfolio-2.md", "portfolio.md"]
    assert "# Portfolio" in (target / "portfolio.md").read_text()
    assert "Replication advice" in (target / "a.md").read_text()


def test_usage_errors_exit_2() -> None:
    assert run("advise", str(BATCH), "-p", str(PROGRAMME), "-o", "x", "--output-dir", ".")[0] == 2
    assert run("advise", str(BATCH), "-p", str(PROGRAMME), "-f", "csv", "--output-dir", ".")[0] == 2
    assert run("advise", str(BATCH), "-p", str(PROGRAMME), "--jobs", "0")[0] == 2


def test_text_batch_is_the_ranked_portfolio_table() -> None:
    code, out, _ = run("advise", str(BATCH), "-p", str(PROGRAMME))
    assert code in (0, 1)
    ids = [json.loads(line)["id"] for line in BATCH.read_text().splitlines() if line.strip()]
    assert out.startswith("Portfolio: ") and all(i in out for i in ids)


def test_a_single_site_file_is_not_a_batch_but_a_folder_jsonl_or_stdin_is(tmp_path: Path) -> None:
    assert not is_batch([str(PROFILES / "sites" / "sparse.json")])
    assert is_batch([str(PROFILES / "sites")]) and is_batch([str(BATCH)]) and is_batch(["-"])
    assert is_batch(["a.json", "b.json"])


@pytest.mark.parametrize(
    ("choice", "fmt", "stderr_tty", "stdout_tty", "to_file", "size", "expected"),
    [
        (None, "text", True, True, False, 5, True),     # a person at a terminal
        (None, "text", True, False, False, 5, False),   # output piped
        (None, "text", True, False, True, 5, True),     # output to a file, terminal watching
        (None, "text", False, True, False, 5, False),   # stderr redirected
        (None, "json", True, True, False, 5, False),    # never in JSON mode
        (True, "json", True, True, False, 5, False),
        (None, "text", True, True, False, 1, False),    # not for one site
        (True, "text", False, False, False, 5, True),   # asked for
        (False, "text", True, True, False, 5, False),   # refused
    ],
)
def test_progress_bar_only_for_a_person_watching_a_batch(choice: bool | None, fmt: str, stderr_tty: bool,
                                                        stdout_tty: bool, to_file: bool, size: int,
                                                        expected: bool) -> None:
    assert progress_wanted(choice, fmt, stderr_tty, stdout_tty, to_file, size) is expected


def test_forced_progress_bar_does_not_change_the_output() -> None:
    plain = run("advise", str(BATCH), "-p", str(PROGRAMME), "-f", "csv", "--no-progress")
    shown = run("advise", str(BATCH), "-p", str(PROGRAMME), "-f", "csv", "--progress")
    assert plain[:2] == shown[:2]
