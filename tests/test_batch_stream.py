"""Batches that scale: workers send back rendered text and a portfolio row, not plans; inputs are
read lazily with at most a few chunks in flight; a site's own file is written as soon as its plan
is made; the batch's document is assembled from a spool on disk and still written atomically; a
broken rule pack is reported once, before any result, however many workers there are."""

from __future__ import annotations

import io
import json
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import PROGRAMME, jsonl, site, sites_with_known_findings, write_pack
from click.testing import CliRunner

import replicate.batch as batch_module
import replicate.batch_site as batch_site
import replicate.batch_workers as batch_workers
from replicate import load_programme
from replicate.batch import CHUNK, IN_FLIGHT, Rendering, run_batch, stream_batch
from replicate.batch_inputs import SiteInput, iter_site_inputs
from replicate.cli import main
from replicate.errors import InputError, Problem, RuleError
from replicate.output import Spool, Stored, write_atomic, write_atomic_parts


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def _items(documents: list[dict[str, object]]) -> list[SiteInput]:
    return [SiteInput("batch.jsonl", text=json.dumps(d), line=n) for n, d in enumerate(documents, start=1)]


def test_workers_send_back_text_and_a_row_that_match_the_plan_made_here(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack")
    programme = load_programme(PROGRAMME)
    items = _items(sites_with_known_findings())
    plans = run_batch(programme, items, packs=[pack], include_shipped=False)
    rendering = Rendering("json", document=True, part=True)
    streamed = list(stream_batch(programme, items, rendering, packs=[pack], include_shipped=False, jobs=2))
    assert [r.index for r in streamed] == list(range(len(items)))  # input order
    for planned, result in zip(plans, streamed, strict=True):
        assert planned.plan is not None and result.plan is None and result.ok
        assert result.rendered is not None and result.row is not None
        assert result.rendered.document == (planned.plan.model_dump_json(indent=2) + "\n").encode()
        assert isinstance(result.rendered.part, bytes)  # no spool folder given: the text itself
        assert json.loads(result.rendered.part) == planned.plan.model_dump(mode="json")
        assert (result.row.site_id, result.row.high) == (planned.plan.site.id, sum(
            1 for f in planned.plan.findings if f.severity == "high" and not f.is_strength))


def test_a_broken_pack_is_raised_once_before_any_result_from_workers(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack", "rules:\n  - id: LOCAL-X\n    severty: high\n")
    programme = load_programme(PROGRAMME)
    results = stream_batch(programme, _items([site("a"), site("b"), site("c")]), Rendering("text"),
                           packs=[pack], include_shipped=False, jobs=2)
    with pytest.raises(RuleError) as raised:
        next(results)
    assert any(str(pack / "rules.yaml") in str(problem) for problem in raised.value.problems)


def test_a_broken_pack_with_jobs_is_one_message_and_nothing_is_written(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack", "rules:\n  - id: LOCAL-X\n    severty: high\n")
    out = tmp_path / "out"
    code, stdout, err = run("advise", "-", "-p", str(PROGRAMME), "--rules", str(pack), "--jobs", "2",
                            "--output-dir", str(out), "-f", "json", stdin=jsonl([site("a"), site("b"), site("c")]))
    assert code != 0 and stdout == "" and "Traceback" not in err
    messages = [line for line in err.splitlines() if str(pack / "rules.yaml") in line]
    assert len(messages) == len(set(messages)) >= 1  # each problem once, not once per worker
    assert list(out.iterdir()) == []


def test_errors_cross_process_boundaries_with_their_problems() -> None:
    error = RuleError([Problem("pack/rules.yaml", message="unknown key 'severty'", line=3, column=5)])
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is RuleError and copy.problems == error.problems and str(copy) == str(error)


class CountingStream(io.BytesIO):
    """JSON Lines that never ends, counting the lines read."""

    def __init__(self) -> None:
        super().__init__()
        self.lines = 0

    def readline(self, size: int | None = -1) -> bytes:
        self.lines += 1
        return (json.dumps(site(f"s{self.lines}")) + "\n").encode()


def test_json_lines_are_read_only_as_far_as_they_are_needed() -> None:
    stream = CountingStream()
    inputs = iter_site_inputs(["-"], stream)
    first = [next(inputs) for _ in range(3)]
    assert [item.label for item in first] == ["<stdin>:1", "<stdin>:2", "<stdin>:3"]
    assert stream.lines == 3


def test_workers_read_only_a_few_chunks_ahead_of_the_results() -> None:
    programme = load_programme(PROGRAMME)
    pulled = 0

    def endless() -> Iterator[SiteInput]:
        nonlocal pulled
        while True:
            pulled += 1
            yield SiteInput("<stdin>", text=json.dumps(site(f"s{pulled}")), line=pulled)

    results = stream_batch(programme, endless(), Rendering("text"), jobs=2)
    try:
        seen = [next(results) for _ in range(CHUNK + 1)]
    finally:
        results.close()
    assert all(r.ok for r in seen)
    assert pulled <= (2 * IN_FLIGHT + 2) * CHUNK  # bounded, never the whole (endless) input


def test_a_sites_own_file_is_written_as_soon_as_its_plan_is_made(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    seen_before: dict[str, list[str]] = {}
    advise_one = batch_site.advise_one

    def watching(advisor, programme, item, index=0):  # type: ignore[no-untyped-def]
        seen_before[item.label] = sorted(p.name for p in out.iterdir())
        return advise_one(advisor, programme, item, index)

    monkeypatch.setattr(batch_site, "advise_one", watching)
    code, _, _ = run("advise", "-", "-p", str(PROGRAMME), "-f", "markdown", "--output-dir", str(out),
                     stdin=jsonl([site("a"), site("b"), site("c")]))
    assert code in (0, 1)
    assert seen_before["<stdin>:3"] == ["a.md", "b.md"]  # written before the third site was advised
    assert sorted(p.name for p in out.iterdir()) == ["a.md", "b.md", "c.md", "portfolio.md"]


def test_json_lines_errors_in_a_file_name_the_file_and_line_with_workers(tmp_path: Path) -> None:
    lines = tmp_path / "sites.jsonl"
    lines.write_text(jsonl([site("a")]) + '{"id": "b", "name": "B", "leadership": {"champions": "two"}}\n'
                     + "not json\n" + jsonl([site("d")]))
    code, out, err = run("advise", str(lines), "-p", str(PROGRAMME), "-f", "json", "--jobs", "2")
    assert code == 2 and "Traceback" not in err
    assert f"error: {lines}:2 leadership.champions:" in err
    assert f"error: {lines}:3:1: not valid JSON" in err
    assert [p["site"]["id"] for p in json.loads(out)["plans"]] == ["a", "d"]


@pytest.mark.parametrize("output_format", ["markdown", "html"])
def test_workers_write_the_same_files_as_one_process(output_format: str, tmp_path: Path) -> None:
    stdin = jsonl([site("a", setting="rural"), site("b", setting="urban"), site("a")]) + "{}\n"
    written = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        code, _, err = run("advise", "-", "-p", str(PROGRAMME), "-f", output_format, "--output-dir", str(out),
                           "--jobs", jobs, stdin=stdin)
        assert code == 2 and "<stdin>:4" in err
        written[jobs] = {p.name: p.read_bytes() for p in out.iterdir()}
    assert written["1"] == written["2"]
    assert len(written["1"]) == 4  # three sites (the repeated id numbered) and the portfolio


def test_spool_gives_back_each_text_in_any_order() -> None:
    texts = [text.encode() for text in ["plan one\n", "", "ünïcödé \U0001f600", "x" * 100_000]]
    with Spool() as spool:
        places = [spool.add(text) for text in texts]
        assert [spool.get(place) for place in reversed(places)] == list(reversed(texts))


def test_workers_keep_the_parts_in_files_of_their_own_and_send_back_where(tmp_path: Path) -> None:
    """With a spool folder, a large batch's parts never pass through the caller: each worker
    writes them to its own file there, and the caller reads each where it is, byte for byte what
    one process would have sent."""
    programme = load_programme(PROGRAMME)
    items = _items([site("a", setting="rural"), site("b"), site("c", setting="urban")])
    here = list(stream_batch(programme, items, Rendering("json", part=True), jobs=1))
    spool_folder = tmp_path / "parts"
    spool_folder.mkdir()
    apart = list(stream_batch(programme, items, Rendering("json", part=True, spool=str(spool_folder)), jobs=2))
    with Spool() as spool:
        for one, two in zip(here, apart, strict=True):
            assert one.rendered is not None and two.rendered is not None
            assert isinstance(one.rendered.part, bytes) and isinstance(two.rendered.part, Stored)
            assert Path(two.rendered.part.path).parent == spool_folder
            assert spool.get(spool.add(two.rendered.part)) == one.rendered.part
    assert 1 <= len(list(spool_folder.iterdir())) <= 2  # one file per worker that was given sites


def test_a_document_written_in_parts_is_all_or_nothing(tmp_path: Path) -> None:
    target = tmp_path / "doc.json"
    write_atomic(target, "before")

    def parts() -> Iterator[str]:
        yield "half a "
        raise InputError([Problem("<test>", message="stopped")])

    with pytest.raises(InputError):
        write_atomic_parts(target, parts())
    assert target.read_text() == "before" and sorted(p.name for p in tmp_path.iterdir()) == ["doc.json"]
    pieces: list[str | bytes] = ["a", b"b\xc3\xa9", "\u00e9\n"]
    write_atomic_parts(target, iter(pieces))
    assert target.read_bytes() == "abé\u00e9\n".encode()


def test_a_batch_of_one_read_lazily_starts_no_worker_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args: object, **kwargs: object) -> Iterator[object]:
        raise AssertionError("a pool was started for one site")

    monkeypatch.setattr(batch_module, "pooled", no_pool)
    programme = load_programme(PROGRAMME)
    one = iter(_items([site("only")]))
    [result] = stream_batch(programme, one, Rendering("markdown", part=True), jobs=2)
    assert result.ok and result.row is not None and result.row.site_id == "only"
    assert result.rendered is not None and isinstance(result.rendered.part, bytes)
    assert b"Replication advice" in result.rendered.part
    assert list(stream_batch(programme, iter([]), Rendering("text"), jobs=2)) == []


PARENT_MODULES = """
import json, sys
sys.argv = ["replicate", "advise", sys.argv[1], "-p", sys.argv[2], "--jobs", "2", "-f", "json", "-o", sys.argv[3]]
from replicate.cli import main
try:
    main()
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def test_with_workers_the_parent_loads_no_advisor_engine_or_rule_checker(tmp_path: Path) -> None:
    import subprocess
    import sys

    lines = tmp_path / "sites.jsonl"
    lines.write_text(jsonl([site("a"), site("b"), site("c")]))
    output = tmp_path / "out.json"
    result = subprocess.run([sys.executable, "-c", PARENT_MODULES, str(lines), str(PROGRAMME), str(output)],
                            capture_output=True, text=True, timeout=120, check=True)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["code"] in (0, 1, None)
    assert [p["site"]["id"] for p in json.loads(output.read_text())["plans"]] == ["a", "b", "c"]
    # The parent renders only the portfolio (render/portfolio.py); each plan is rendered by its worker.
    heavy = ("replicate.advisor", "replicate.engine.durable_adapter", "replicate.engine.reference", "durable",
             "replicate.rules.loader", "replicate.rules.checker", "replicate.conditions.analyse",
             "replicate.plan.builder", "replicate.render.text", "replicate.render.markdown", "replicate.render.html",
             "replicate.render.json_format", "jinja2")
    assert [m for m in report["modules"] if m.startswith(heavy)] == []


def test_a_pool_started_before_the_programme_is_read_gives_what_one_process_gives(tmp_path: Path) -> None:
    from replicate.batch import WorkerPool

    pack = write_pack(tmp_path / "pack")
    with WorkerPool(2, [pack], include_shipped=False) as pool:  # the workers build while we read on
        programme = load_programme(PROGRAMME)
        items = _items(sites_with_known_findings())
        pooled = list(stream_batch(programme, items, Rendering("markdown", part=True), pool=pool))
        again = list(stream_batch(programme, items[:2], Rendering("json", part=True), pool=pool))  # reused
    here = list(stream_batch(programme, items, Rendering("markdown", part=True), packs=[pack], include_shipped=False))
    assert [r.rendered for r in pooled] == [r.rendered for r in here]
    assert [r.row for r in pooled] == [r.row for r in here]
    assert [r.index for r in again] == [0, 1] and all(r.rendered and r.rendered.part for r in again)


def _modules_a_worker_found(_: int) -> list[str]:
    """Run inside a worker before it has built anything: what was already imported for it."""
    import sys

    return [name for name in batch_workers.WORKER_MODULES if name in sys.modules]


def test_workers_start_from_a_server_that_already_imported_what_they_run() -> None:
    import importlib
    import multiprocessing

    for name in batch_workers.WORKER_MODULES:  # the fork server skips a name that fails to import, silently
        importlib.import_module(name)
    if "forkserver" not in multiprocessing.get_all_start_methods():
        assert batch_workers._worker_context().get_start_method() == "spawn"
        return
    context = batch_workers._worker_context()
    assert context.get_start_method() == "forkserver"
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=context) as pool:  # no initializer: nothing imported by the worker
        assert pool.submit(_modules_a_worker_found, 0).result(timeout=120) == list(batch_workers.WORKER_MODULES)
