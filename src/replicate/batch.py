"""Advising many sites at once: reading a batch, and running it in one process or several.

A batch is read from files, folders and JSON Lines (a file ending in `.jsonl`, or `-` for
standard input). Each site is advised on its own: a profile that cannot be read or is invalid
becomes a `SiteResult` carrying its problems (file, line and field path), and the rest of the
batch carries on. Results always come back in input order, however many worker processes ran
them, so output is deterministic.

With `jobs > 1` the sites are spread over worker processes. Each worker builds its own `Advisor`
once, in the pool's initializer (creating one is the only expensive step), and reuses it for every
site it is given. Workers are forked from a clean server process that has already imported what a
worker runs ("forkserver", where the platform has it; "spawn" elsewhere), so they share no engine
state, threads or locks with the caller, and none of them pays for the imports itself.
The caller builds no advisor of its own: a broken rule pack is found by the first worker and
raised here once, before any result is given out.

`stream_batch` is what the command line uses: each site's plan is rendered where it was made, to
the text the output needs (a `Rendering`), and only that text and a portfolio row come back, so
neither pickled plans nor a second serialisation cost the caller anything. Inputs are taken
lazily and at most a few chunks are in flight, so a JSON Lines batch of any length is read and
advised in bounded memory, and results are given out in input order as they are made.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .batch_inputs import SiteInput
from .errors import EngineError, InputError, OtherProgrammeError, Problem, ReplicateError
from .output import Stored, flush_parts, store_part

if TYPE_CHECKING:
    from concurrent.futures import Future
    from multiprocessing.context import BaseContext

    from .advisor import Advisor, EngineName
    from .plan.model import AdaptationPlan
    from .portfolio import PortfolioRow
    from .schema import Programme

PLAN_FORMATS = ("text", "markdown", "json", "html")
"""The formats a plan renders to (`csv` is a summary of a batch, made from portfolio rows alone)."""


JSON_INDENT = "    "
"""Where a plan's JSON sits in a batch's document, `{"portfolio": ..., "plans": [...]}` indented by two."""


@dataclass(frozen=True)
class Rendering:
    """What each site's plan is turned into where it is made, so that only text crosses back.

    `document` is the site's own file (`--output-dir`): the plan in `format` (`detail` for text).
    `part` is its share of the batch's one document: the plan's JSON indented to its place in the
    document's list of plans (`json`), its Markdown (`markdown`) or its HTML card and body
    (`html`); text and csv batches need none."""

    format: str
    detail: str = "summary"
    document: bool = False
    part: bool = False
    spool: str | None = None
    """A private folder where each worker process puts the parts it renders, in a file of its own,
    and sends back only where each is (`Stored`): the parts of a large batch then never pass
    through the caller, whose own work would otherwise take a core's time from the workers."""


@dataclass(frozen=True)
class Rendered:
    """One plan as text, encoded as UTF-8: whichever of these its `Rendering` asked for. Bytes,
    not `str`, because they cross between processes: unpickling a `str` decodes it again, which for
    a large batch cost the parent more than everything else it does; bytes are copied, and the
    parent writes them out as they are."""

    document: bytes | None = None
    part: bytes | Stored | None = None
    chart: bytes | Stored | None = None
    """HTML only: the compact readiness chart for the site's card on the portfolio page."""


@dataclass(frozen=True)
class SiteResult:
    """The outcome for one site: a plan (or its rendering and portfolio row), or the problems that
    stopped it being advised."""

    index: int
    source: str
    plan: AdaptationPlan | None = None
    problems: tuple[Problem, ...] = ()
    exit_code: int = 0
    """0 when advised; otherwise the exit code of the error (2 bad input, 3 engine failure)."""
    skipped: bool = False
    """Written for another programme: not advised, and not a failure of the batch (`problems` says why)."""
    row: PortfolioRow | None = None
    """`stream_batch` only: the plan condensed to its portfolio row (ranked later, with the others)."""
    rendered: Rendered | None = None
    """`stream_batch` only: the plan as the text its `Rendering` asked for."""

    @property
    def ok(self) -> bool:
        return self.plan is not None or self.row is not None


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
    from .loading import check_site_against, load_site, parse_json_text, site_from_data

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


# --- rendering where the plan is made ------------------------------------------------------------


def plan_document(plan: AdaptationPlan, output_format: str, detail: str = "summary") -> str:
    """One plan as a document of its own, in any of the command line's formats."""
    if output_format == "text":
        from .render.text import render_text

        return render_text(plan, "full" if detail == "full" else "summary")
    if output_format == "csv":
        from .portfolio import build_portfolio
        from .render.portfolio import render_csv

        return render_csv(build_portfolio([(plan.site.id, plan)]))
    from .render import RENDERERS

    return RENDERERS[output_format](plan)


def render_result(result: SiteResult, rendering: Rendering) -> SiteResult:
    """The result with its plan replaced by its portfolio row and the text `rendering` asks for."""
    if result.plan is None:
        return result
    from .portfolio import summarise_plan

    plan = result.plan
    document = plan_document(plan, rendering.format, rendering.detail) if rendering.document else None
    part = chart = None
    if rendering.part and rendering.format in ("json", "markdown"):
        whole = document if document is not None else plan_document(plan, rendering.format)
        part = whole if rendering.format == "markdown" else JSON_INDENT + whole.removesuffix("\n").replace(
            "\n", "\n" + JSON_INDENT)  # moved in here, where the work is shared out, not by the parent
    elif rendering.part and rendering.format == "html":
        from .render.html import portfolio_card

        chart, part = portfolio_card(plan)
    rendered = Rendered(*(None if text is None else text.encode("utf-8") for text in (document, part, chart)))
    return dataclasses.replace(result, plan=None, row=summarise_plan(plan, result.source), rendered=rendered)


# --- worker processes -------------------------------------------------------------------------

_worker: Advisor | ReplicateError | None = None
"""This worker process's advisor, built once by `_init_worker`, or the error that stopped it being
built (a broken rule pack), given back with the first chunk. Module state of a worker process
only: the calling process never sets it."""
_last_programme: Programme | None = None
"""The programme of this worker's previous chunk. Each chunk brings its own unpickled copy; reusing
the previous one when they are equal keeps the advisor's per-programme work (flattening it into
facts, about 0.2 ms) to once per worker rather than once per chunk."""


def _build_advisor(packs: Sequence[Path], include_shipped: bool, engine: EngineName) -> Advisor:
    from .advisor import Advisor
    from .rules.rulebase import load_rule_base

    return Advisor(load_rule_base(packs, include_shipped=include_shipped), engine=engine)


def _init_worker(packs: tuple[str, ...], include_shipped: bool, engine: EngineName) -> None:
    global _worker
    try:
        _worker = _build_advisor([Path(p) for p in packs], include_shipped, engine)
    except ReplicateError as error:  # raised in the caller with the first chunk, not a dead pool
        _worker = error


def _started() -> None:
    """A task that does nothing: submitting one per worker makes the pool start them all at once."""


def _advise_chunk(programme: Programme, rendering: Rendering | None, start: int,
                  chunk: list[SiteInput]) -> list[SiteResult]:
    """One task: the programme (8 KiB pickled) comes with each chunk, so the workers can be started,
    and build their advisors, before the caller has read it."""
    global _last_programme
    assert _worker is not None, "worker was not initialised"
    if isinstance(_worker, ReplicateError):
        raise _worker
    if programme == _last_programme:
        programme = _last_programme
    _last_programme = programme
    results = _advise_items(_worker, programme, rendering, start, chunk)
    if rendering is not None and rendering.spool is not None:
        results = _store_parts(results, Path(rendering.spool))
    return results


def _store_parts(results: list[SiteResult], folder: Path) -> list[SiteResult]:
    """Each result's part and chart kept in this worker's file in `folder`, replaced by where they are."""
    stored = [result if result.rendered is None else dataclasses.replace(result, rendered=dataclasses.replace(
        result.rendered, part=store_part(folder, result.rendered.part),
        chart=store_part(folder, result.rendered.chart))) for result in results]
    flush_parts(folder)  # the caller reads what this chunk stored as soon as the chunk's results arrive
    return stored


def _advise_items(advisor: Advisor, programme: Programme, rendering: Rendering | None, start: int,
                  chunk: Iterable[SiteInput]) -> list[SiteResult]:
    results = [advise_one(advisor, programme, item, start + offset) for offset, item in enumerate(chunk)]
    return results if rendering is None else [render_result(result, rendering) for result in results]


CHUNK = 8
"""Sites per task when the batch's size is not known in advance (JSON Lines is read as it goes)."""
IN_FLIGHT = 4
"""Chunks queued per worker: enough to keep every worker busy, few enough to bound memory."""


def chunk_size(count: int | None, jobs: int) -> int:
    """Sites per task: large enough that sending work and results between processes does not
    dominate (a plan takes milliseconds), small enough to keep every worker busy to the end and the
    progress bar moving (about eight tasks per worker when the size is known)."""
    if count is None:
        return CHUNK
    return max(1, min(CHUNK, count // (jobs * 8)))


def _chunks(items: Iterable[SiteInput], size: int) -> Iterator[list[SiteInput]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


WORKER_MODULES = (
    "replicate.batch",
    "replicate.advisor",
    "replicate.rules.rulebase",
    "replicate.render.json_format",
    "replicate.render.text",
    "replicate.render.markdown",
)
"""Imported once by the fork server, before it forks any worker: a worker would otherwise spend
about 0.14 s importing them, each, before its first site. (The HTML renderer is left to the
workers that need it, so other formats do not wait for its template engine.)"""


def _worker_context() -> BaseContext:
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(WORKER_MODULES))
    return context


class WorkerPool:
    """`jobs` worker processes, started at once: each imports the package and builds its advisor
    (from `packs`, `include_shipped` and `engine`) while the caller gets on with reading the
    programme and the inputs. Use it as a context manager, and give it to `stream_batch`."""

    def __init__(self, jobs: int, packs: Sequence[Path] = (), *, include_shipped: bool = True,
                 engine: EngineName = "durable") -> None:
        from concurrent.futures import ProcessPoolExecutor  # here: --jobs 1 never needs it

        if jobs < 1:
            raise InputError([Problem("--jobs", message=f"must be at least 1, not {jobs}")])
        self.jobs = jobs
        self.executor = ProcessPoolExecutor(
            max_workers=jobs, mp_context=_worker_context(), initializer=_init_worker,
            initargs=(tuple(str(p) for p in packs), include_shipped, engine))
        for _ in range(jobs):
            self.executor.submit(_started)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *_: object) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _pooled(pool: WorkerPool, programme: Programme, items: Iterable[SiteInput], size: int,
            rendering: Rendering | None) -> Iterator[SiteResult]:
    """Results in input order from the pool's workers, with at most `IN_FLIGHT` chunks per worker
    queued, so the inputs are read only a little ahead of the results."""
    from concurrent.futures.process import BrokenProcessPool

    pending: deque[Future[list[SiteResult]]] = deque()
    start = 0
    try:
        for chunk in _chunks(items, size):
            pending.append(pool.executor.submit(_advise_chunk, programme, rendering, start, chunk))
            start += len(chunk)
            if len(pending) >= pool.jobs * IN_FLIGHT:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    except BrokenProcessPool:
        raise EngineError("a worker process died while advising the batch (see messages above); "
                          "the batch's document was not written") from None
    finally:
        for future in pending:
            future.cancel()


def stream_batch(
    programme: Programme,
    items: Iterable[SiteInput],
    rendering: Rendering | None,
    *,
    advisor: Advisor | None = None,
    packs: Sequence[Path] = (),
    include_shipped: bool = True,
    engine: EngineName = "durable",
    jobs: int = 1,
    pool: WorkerPool | None = None,
) -> Generator[SiteResult, None, None]:
    """Advise every site of a batch and give one result per input, in input order, as they are made.

    With a `rendering`, each result carries its portfolio row and the rendered text instead of the
    plan (worked out in the worker, so only text crosses between processes); with None, the plan.
    With `jobs == 1` the sites are advised here, with `advisor` (or one built from the shipped
    rules, unless `include_shipped` is false, and `packs`); with `jobs > 1`, by worker processes
    that each build an advisor once. `items` are read lazily. Raises `RuleError` for a broken rule
    pack (before any result) and `EngineError` if a worker process dies; a bad site profile is
    never raised, only reported in its result. Closing the generator early stops the workers.
    With a `pool` (started already), its workers advise every site, and `jobs`, `packs`,
    `include_shipped` and `engine` are the pool's."""
    if pool is not None:
        count = len(items) if isinstance(items, Sequence) else None
        yield from _pooled(pool, programme, items, chunk_size(count, pool.jobs), rendering)
        return
    if jobs < 1:
        raise InputError([Problem("--jobs", message=f"must be at least 1, not {jobs}")])
    count = len(items) if isinstance(items, Sequence) else None
    if jobs > 1 and count is None:  # a batch of one site is advised here, not by a pool started for it
        iterator = iter(items)
        head = list(itertools.islice(iterator, 2))
        items = itertools.chain(head, iterator)
        count = len(head) if len(head) < 2 else None
    if jobs == 1 or (count is not None and count <= 1):
        local = advisor if advisor is not None else _build_advisor(packs, include_shipped, engine)
        for index, item in enumerate(items):
            yield from _advise_items(local, programme, rendering, index, [item])
        return
    with WorkerPool(jobs if count is None else min(jobs, count), packs, include_shipped=include_shipped,
                    engine=engine) as started:
        yield from _pooled(started, programme, items, chunk_size(count, started.jobs), rendering)


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
    `on_result` is called in this process as each site finishes (for a progress bar). Raises
    `RuleError` for a broken rule pack and `EngineError` if a worker process dies; a bad site
    profile is never raised, only reported in its result.
    """
    results = []
    for result in stream_batch(programme, items, None, advisor=advisor, packs=packs,
                               include_shipped=include_shipped, engine=engine, jobs=jobs):
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results
