"""Advising many sites at once: reading a batch, and running it in one process or several.

A batch is read from files, folders and JSON Lines (a file ending in `.jsonl`, or `-` for
standard input). Each site is advised on its own: a profile that cannot be read or is invalid
becomes a `SiteResult` carrying its problems (file, line and field path), and the rest of the
batch carries on. Results always come back in input order, however many worker processes ran
them, so output is deterministic.

With `jobs > 1` the sites are spread over worker processes. Each worker builds its own `Advisor`
once, in the pool's initializer (creating one is the only expensive step), and reuses it for every
site it is given. Workers are started with "spawn", so they share no engine state with the caller.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

from .errors import EngineError, InputError, OtherProgrammeError, Problem, ReplicateError
from .input_files import exists, is_dir, open_regular, os_reason
from .loading import MAX_INPUT_BYTES, check_site_against, load_site, parse_json_text, site_from_data

if TYPE_CHECKING:
    from .advisor import Advisor, EngineName
    from .plan.model import AdaptationPlan
    from .schema import Programme

STDIN = "-"
SITE_SUFFIXES = (".json", ".jsonl")


@dataclass(frozen=True)
class SiteInput:
    """One site profile of a batch, not yet read: a file, or one line of JSON Lines."""

    source: str
    """Where it came from, as shown in messages: a path, or `<stdin>`/a .jsonl path."""
    path: Path | None = None
    text: str | None = None
    line: int | None = None
    problem: Problem | None = None
    """Set when the input could not even be found or read (a missing file, an empty folder)."""

    @property
    def label(self) -> str:
        return f"{self.source}:{self.line}" if self.line is not None else self.source


@dataclass(frozen=True)
class SiteResult:
    """The outcome for one site: a plan, or the problems that stopped it being advised."""

    index: int
    source: str
    plan: AdaptationPlan | None = None
    problems: tuple[Problem, ...] = ()
    exit_code: int = 0
    """0 when advised; otherwise the exit code of the error (2 bad input, 3 engine failure)."""
    skipped: bool = False
    """Written for another programme: not advised, and not a failure of the batch (`problems` says why)."""

    @property
    def ok(self) -> bool:
        return self.plan is not None


BOM = "\ufeff"


def _decoded(raw: bytes | str, source: str, number: int) -> tuple[str | None, Problem | None]:
    """One line as text, or the problem with it: a bad byte spoils its own line, no other."""
    if isinstance(raw, str):
        return raw, None
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        message = f"not UTF-8 text: byte {raw[error.start]:#04x} at column {error.start + 1:,}"
        return None, Problem(source, message=message, line=number)


def _json_lines(stream: BinaryIO | TextIO, source: str) -> list[SiteInput]:
    """One `SiteInput` per non-blank line, read as a stream: never more than one line of at most
    `MAX_INPUT_BYTES` held at a time, whatever the file's size (or a stream with no size at all).
    A line over the limit is refused and reading stops there, since the rest may never end
    (`/dev/zero` has no newlines). Files and standard input are read the same way."""
    items: list[SiteInput] = []
    number = 0
    while True:
        try:
            raw: bytes | str = stream.readline(MAX_INPUT_BYTES + 1)
        except (OSError, UnicodeDecodeError) as error:
            reason = f"not UTF-8 text: {error.reason}" if isinstance(error, UnicodeDecodeError) else os_reason(error)
            items.append(SiteInput(source, line=number + 1, problem=Problem(source, message=reason, line=number + 1)))
            break
        if not raw:
            break
        number += 1
        if len(raw) > MAX_INPUT_BYTES:
            message = f"line is over the limit of {MAX_INPUT_BYTES:,} bytes; nothing after it was read"
            items.append(SiteInput(source, line=number, problem=Problem(source, message=message, line=number)))
            break
        text, problem = _decoded(raw, source, number)
        if problem is not None:
            items.append(SiteInput(source, line=number, problem=problem))
            continue
        assert text is not None
        if number == 1:
            text = text.removeprefix(BOM)
        if text.strip():
            items.append(SiteInput(source=source, text=text, line=number))
    if not items:
        message = "no site profiles: the input is empty (JSON Lines has one site profile object per line)"
        items.append(SiteInput(source, problem=Problem(source, message=message)))
    return items


def _from_path(path: Path) -> list[SiteInput]:
    source = str(path)
    if is_dir(path):
        try:
            files = sorted(p for p in path.iterdir() if p.suffix in SITE_SUFFIXES and p.is_file())
        except OSError as error:
            return [SiteInput(source, problem=Problem(source, message=f"cannot read: {os_reason(error)}"))]
        if not files:
            message = "folder holds no .json or .jsonl site profiles"
            return [SiteInput(source, problem=Problem(source, message=message))]
        return [item for file in files for item in _from_path(file)]
    if not exists(path):
        try:
            os.stat(path)
        except (OSError, ValueError) as error:
            reason = "no such file or folder" if isinstance(error, FileNotFoundError) else os_reason(error)
            return [SiteInput(source, problem=Problem(source, message=f"cannot read: {reason}"))]
    if path.suffix == ".jsonl":
        try:
            with open_regular(path) as handle:
                return _json_lines(handle, source)
        except InputError as error:
            return [SiteInput(source, problem=error.problems[0])]
    return [SiteInput(source, path=path)]


def read_site_inputs(arguments: Iterable[str | Path], stdin: TextIO | BinaryIO | None = None) -> list[SiteInput]:
    """Expand the batch's arguments, in order: a file is one site, a folder is its `.json` and
    `.jsonl` files in name order (not recursive), a `.jsonl` file or `-` (standard input) is one
    site per non-blank line. Nothing is parsed yet."""
    items: list[SiteInput] = []
    for argument in arguments:
        if str(argument) == STDIN:
            stream = stdin if stdin is not None else sys.stdin
            # Bytes where the stream has them, so that a bad byte spoils only its own line.
            items += _json_lines(getattr(stream, "buffer", stream), "<stdin>")
        else:
            items += _from_path(Path(argument))
    return items


def _relocate(error: InputError, item: SiteInput) -> InputError:
    """Problems found in one line of JSON Lines are reported at that line of the batch."""
    assert item.line is not None
    return type(error)(
        dataclasses.replace(problem, source=item.source, line=item.line,
                            column=problem.column if problem.line is not None else None)
        for problem in error.problems
    )


def advise_one(advisor: Advisor, programme: Programme, item: SiteInput, index: int = 0) -> SiteResult:
    """Read, validate and advise one site; every `ReplicateError` becomes the result's problems."""
    try:
        if item.problem is not None:
            raise InputError([item.problem])
        if item.path is not None:
            site = load_site(item.path, vocabulary=advisor.vocabulary)
        else:
            assert item.text is not None
            try:
                site = site_from_data(parse_json_text(item.text, item.source), item.source, advisor.vocabulary)
            except InputError as error:
                raise _relocate(error, item) from None
        try:
            check_site_against(programme, site, item.source)
        except InputError as error:
            raise (_relocate(error, item) if item.line is not None else error) from None
        plan = advisor.advise(programme, site)
    except OtherProgrammeError as error:
        return SiteResult(index, item.label, problems=error.problems, exit_code=error.exit_code, skipped=True)
    except ReplicateError as error:
        return SiteResult(index, item.label, problems=error.problems, exit_code=error.exit_code)
    return SiteResult(index, item.label, plan=plan)


# --- worker processes -------------------------------------------------------------------------

_worker: tuple[Advisor, Programme] | None = None
"""This worker process's advisor and programme, built once by `_init_worker`. Module state of a
worker process only: the calling process never sets it."""


def _build_advisor(packs: Sequence[Path], include_shipped: bool, engine: EngineName) -> Advisor:
    from .advisor import Advisor
    from .rules.rulebase import load_rule_base

    return Advisor(load_rule_base(packs, include_shipped=include_shipped), engine=engine)


def _init_worker(packs: tuple[str, ...], include_shipped: bool, programme: Programme, engine: EngineName) -> None:
    global _worker
    _worker = (_build_advisor([Path(p) for p in packs], include_shipped, engine), programme)


def _advise_chunk(start: int, chunk: list[SiteInput]) -> list[SiteResult]:
    assert _worker is not None, "worker was not initialised"
    advisor, programme = _worker
    return [advise_one(advisor, programme, item, start + offset) for offset, item in enumerate(chunk)]


def chunk_size(count: int, jobs: int) -> int:
    """Sites per task: large enough that sending work and plans between processes does not
    dominate (a plan takes milliseconds), small enough to keep every worker busy to the end and the
    progress bar moving (about eight tasks per worker)."""
    return max(1, min(64, count // (jobs * 8)))


def run_batch(
    programme: Programme,
    items: Sequence[SiteInput],
    *,
    advisor: Advisor | None = None,
    packs: Sequence[Path] = (),
    include_shipped: bool = True,
    engine: EngineName = "durable",
    jobs: int = 1,
    on_result: Callable[[SiteResult], None] | None = None,
) -> list[SiteResult]:
    """Advise every site of a batch and return one result per input, in input order.

    With `jobs == 1` the sites are advised here, with `advisor` (or one built from the shipped
    rules, unless `include_shipped` is false, and `packs`). With `jobs > 1`, `jobs` worker
    processes each build an advisor from `include_shipped`, `packs` and `engine`
    (an `advisor` passed in is not shared with them: it cannot cross a process boundary).
    `on_result` is called in this process as each site finishes, in completion order (for a
    progress bar). Raises `RuleError` for a broken rule pack and `EngineError` if a worker process
    dies; a bad site profile is never raised, only reported in its result.
    """
    if jobs < 1:
        raise InputError([Problem("--jobs", message=f"must be at least 1, not {jobs}")])
    results: list[SiteResult | None] = [None] * len(items)

    def record(result: SiteResult) -> None:
        results[result.index] = result
        if on_result is not None:
            on_result(result)

    if jobs == 1 or len(items) <= 1:
        local = advisor if advisor is not None else _build_advisor(packs, include_shipped, engine)
        for index, item in enumerate(items):
            record(advise_one(local, programme, item, index))
    else:
        from .rules.rulebase import load_rule_base

        load_rule_base(packs, include_shipped=include_shipped)  # a broken pack fails here, not in a worker
        context = multiprocessing.get_context("spawn")
        initargs = (tuple(str(p) for p in packs), include_shipped, programme, engine)
        try:
            with ProcessPoolExecutor(max_workers=min(jobs, len(items)), mp_context=context,
                                     initializer=_init_worker, initargs=initargs) as pool:
                size = chunk_size(len(items), jobs)
                futures: list[Future[list[SiteResult]]] = [
                    pool.submit(_advise_chunk, start, list(items[start:start + size]))
                    for start in range(0, len(items), size)
                ]
                for future in as_completed(futures):
                    for result in future.result():
                        record(result)
        except BrokenProcessPool:
            raise EngineError("a worker process died while advising the batch (see messages above); "
                              "no results were written") from None
    return [result for result in results if result is not None]
