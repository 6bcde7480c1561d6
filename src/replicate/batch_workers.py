"""The worker processes of a batch run with `--jobs`: the pool, and what runs inside each worker.

Each worker builds its own `Advisor` once, in the pool's initializer (creating one is the only
expensive step), and reuses it for every chunk of sites it is given. Workers are forked from a
clean server process that has already imported what a worker runs ("forkserver", where the
platform has it; "spawn" elsewhere), so they share no engine state, threads or locks with the
caller, and none of them pays for the imports itself. A worker keeps the parts of the batch's
document it renders in a file of its own and sends back only where they are.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .batch_inputs import SiteInput
from .batch_site import Rendering, SiteResult, advise_items, build_advisor
from .errors import EngineError, InputError, Problem, ReplicateError
from .output import flush_parts, store_part

if TYPE_CHECKING:
    from concurrent.futures import Future
    from multiprocessing.context import BaseContext

    from .advisor import Advisor, EngineName
    from .schema import Programme

_worker: Advisor | ReplicateError | None = None
"""This worker process's advisor, built once by `_init_worker`, or the error that stopped it being
built (a broken rule pack), given back with the first chunk. Module state of a worker process
only: the calling process never sets it."""
_last_programme: Programme | None = None
"""The programme of this worker's previous chunk. Each chunk brings its own unpickled copy; reusing
the previous one when they are equal keeps the advisor's per-programme work (flattening it into
facts, about 0.2 ms) to once per worker rather than once per chunk."""


def _init_worker(packs: tuple[str, ...], include_shipped: bool, engine: EngineName) -> None:
    global _worker
    from .long_lived import loading_long_lived_objects

    try:
        with loading_long_lived_objects():
            _worker = build_advisor([Path(p) for p in packs], include_shipped, engine)
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
    results = advise_items(_worker, programme, rendering, start, chunk)
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


IN_FLIGHT = 4
"""Chunks queued per worker: enough to keep every worker busy, few enough to bound memory."""


def _chunks(items: Iterable[SiteInput], size: int) -> Iterator[list[SiteInput]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


WORKER_MODULES = (
    "replicate.batch_workers",
    "replicate.batch_site",
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
    """`jobs` worker processes, made ready while the caller gets on with reading the programme and
    the inputs: the fork server imports the package, and each worker builds its advisor (from
    `packs`, `include_shipped` and `engine`) as it starts. Use it as a context manager, and give
    it to `stream_batch`."""

    def __init__(self, jobs: int, packs: Sequence[Path] = (), *, include_shipped: bool = True,
                 engine: EngineName = "durable") -> None:
        from concurrent.futures import ProcessPoolExecutor  # here: --jobs 1 never needs it

        if jobs < 1:
            raise InputError([Problem("--jobs", message=f"must be at least 1, not {jobs}")])
        self.jobs = jobs
        context = _worker_context()
        self.executor = ProcessPoolExecutor(
            max_workers=jobs, mp_context=context, initializer=_init_worker,
            initargs=(tuple(str(p) for p in packs), include_shipped, engine))
        if context.get_start_method() == "forkserver":
            from multiprocessing import forkserver

            # Returns at once: the server imports WORKER_MODULES while the caller reads on, and the
            # workers are forked from it as the first chunks are submitted. Starting them here
            # instead would keep the caller waiting for those imports (about 0.18 s).
            forkserver.ensure_running()
        else:
            for _ in range(jobs):
                self.executor.submit(_started)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *_: object) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def pooled(pool: WorkerPool, programme: Programme, items: Iterable[SiteInput], size: int,
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
