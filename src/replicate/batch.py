"""Advising many sites at once: reading a batch, and running it in one process or several.

A batch is read from files, folders and JSON Lines (a file ending in `.jsonl`, or `-` for
standard input). Each site is advised on its own: a profile that cannot be read or is invalid
becomes a `SiteResult` carrying its problems (file, line and field path), and the rest of the
batch carries on. Results always come back in input order, however many worker processes ran
them, so output is deterministic.

With `jobs > 1` the sites are spread over worker processes (`batch_workers.py`), each of which
builds its own `Advisor` once. The caller builds no advisor of its own: a broken rule pack is
found by the first worker and raised here once, before any result is given out.

`stream_batch` is what the command line uses: each site's plan is rendered where it was made, to
the text the output needs (a `Rendering`), and only that text and a portfolio row come back, so
neither pickled plans nor a second serialisation cost the caller anything. Inputs are taken
lazily and at most a few chunks are in flight, so a JSON Lines batch of any length is read and
advised in bounded memory, and results are given out in input order as they are made.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Generator, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .batch_inputs import SiteInput
from .batch_site import (
    JSON_INDENT,
    PLAN_FORMATS,
    Rendered,
    Rendering,
    SiteResult,
    advise_items,
    advise_one,
    build_advisor,
    plan_document,
    render_result,
)
from .batch_workers import IN_FLIGHT, WorkerPool, pooled
from .errors import InputError, Problem

if TYPE_CHECKING:
    from .advisor import Advisor, EngineName
    from .schema import Programme

CHUNK = 8
"""Sites per task when the batch's size is not known in advance (JSON Lines is read as it goes)."""


def chunk_size(count: int | None, jobs: int) -> int:
    """Sites per task: large enough that sending work and results between processes does not
    dominate (a plan takes milliseconds), small enough to keep every worker busy to the end and the
    progress bar moving (about eight tasks per worker when the size is known)."""
    if count is None:
        return CHUNK
    return max(1, min(CHUNK, count // (jobs * 8)))


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
        yield from pooled(pool, programme, items, chunk_size(count, pool.jobs), rendering)
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
        local = advisor if advisor is not None else build_advisor(packs, include_shipped, engine)
        for index, item in enumerate(items):
            yield from advise_items(local, programme, rendering, index, [item])
        return
    with WorkerPool(jobs if count is None else min(jobs, count), packs, include_shipped=include_shipped,
                    engine=engine) as started:
        yield from pooled(started, programme, items, chunk_size(count, started.jobs), rendering)


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


__all__ = [
    "CHUNK", "IN_FLIGHT", "JSON_INDENT", "PLAN_FORMATS", "Rendered", "Rendering", "SiteResult", "WorkerPool",
    "advise_one", "chunk_size", "plan_document", "render_result", "run_batch", "stream_batch",
]
