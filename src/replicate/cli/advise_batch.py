"""`replicate advise` on a batch: read, advised and written as it goes.

Each site's plan is rendered by whichever process made it (`batch.stream_batch`), so only text
and a small portfolio row come back here. A site's own file (`--output-dir`) is written, atomically,
as soon as its plan arrives; the batch's one document needs every site for its portfolio, so the
plans' text waits on disk (worker processes keep it in files of their own in a private folder and
send back only where it is; this process spools what it renders itself) and the document is
written, atomically and in pieces, at the end. Messages about bad sites are shown as they are found.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from ..errors import Problem
from .advise import EXTENSIONS, SEVERITY_AT_LEAST

if TYPE_CHECKING:
    from ..batch import WorkerPool
    from ..portfolio import Portfolio, PortfolioRow
    from ..render.html import Card
    from ..schema import Programme


def row_fails(row: PortfolioRow, threshold: str | None) -> bool:
    """`fails` for a plan condensed to its portfolio row (which counts its risks by severity)."""
    if threshold is None:
        return False
    counts = {"high": row.high, "medium": row.medium, "low": row.low}
    return any(counts[level] for level in SEVERITY_AT_LEAST[threshold])


def _json_document(portfolio: Portfolio, parts: Iterable[bytes]) -> Iterator[str | bytes]:
    """`{"portfolio": ..., "plans": [...]}` indented by two, as `json.dumps(..., indent=2)` writes
    it, around each plan's JSON as the worker indented it for its place in the list."""
    import json

    summary = json.dumps(portfolio.model_dump(mode="json"), indent=2, ensure_ascii=False)
    yield '{\n  "portfolio": ' + summary.replace("\n", "\n  ") + ',\n  "plans": ['
    separator = "\n"
    for part in parts:
        yield separator
        yield part
        separator = ",\n"
    yield "\n  ]\n}\n" if separator != "\n" else "]\n}\n"


def _batch_document(portfolio: Portfolio, output_format: str, part: Callable[[int], bytes],
                    card: Callable[[int], Card], order: Sequence[int]) -> Iterator[str | bytes]:
    """The batch's one document, in pieces (text, or UTF-8 as the workers sent it): the portfolio,
    and for json, markdown and html every plan (`part(i)` is site i's, in input order; `order` is
    the ranked order of the sites)."""
    from ..render.portfolio import PORTFOLIO_RENDERERS

    if output_format in ("text", "csv"):
        yield PORTFOLIO_RENDERERS[output_format](portfolio)
    elif output_format == "json":
        yield from _json_document(portfolio, (part(index) for index in range(len(order))))
    elif output_format == "markdown":
        yield PORTFOLIO_RENDERERS["markdown"](portfolio)
        for index in order:
            yield "\n"
            yield part(index)
    else:
        from ..render.html import portfolio_html_chunks

        yield from portfolio_html_chunks(portfolio, _Ranked(portfolio, card, order))


class _Ranked:
    """The portfolio's rows with their HTML cards, read again from the spool on each iteration."""

    def __init__(self, portfolio: Portfolio, card: Callable[[int], Card], order: Sequence[int]) -> None:
        self.rows, self.card, self.order = portfolio.sites, card, order

    def __iter__(self) -> Iterator[tuple[PortfolioRow, Card]]:
        return ((row, self.card(index)) for row, index in zip(self.rows, self.order, strict=True))


class OutputNames:
    """`<site id>.<ext>`, with `-2`, `-3`... when ids repeat, in input order; `portfolio` is kept
    for the summary."""

    def __init__(self, extension: str) -> None:
        self.extension = extension
        self.taken = {f"portfolio.{extension}"}

    def __call__(self, site_id: str) -> str:
        name, count = f"{site_id}.{self.extension}", 1
        while name in self.taken:
            count += 1
            name = f"{site_id}-{count}.{self.extension}"
        self.taken.add(name)
        return name



@dataclass
class _Tally:
    """What the batch's summary line and exit code need, counted as results go by."""

    total: int = 0
    skipped: int = 0
    failed: list[tuple[str, tuple[Problem, ...]]] = field(default_factory=list)
    engine_failed: bool = False
    failing: int = 0


def advise_batch(programme: Programme, sites: tuple[str, ...], output_format: str, output: Path | None,
                  output_dir: Path | None, packs: tuple[Path, ...], jobs: int, fail_on: str | None, detail: str,
                  show_progress: bool, pool: WorkerPool | None = None) -> NoReturn:
    """A batch, read, advised and written as it goes: each site's file (`--output-dir`) as soon as
    its plan is made; the batch's document, which needs every site for its portfolio, at the end,
    from plans spooled to disk meanwhile. Messages about bad sites are shown as they are found."""
    import tempfile

    from ..batch import Rendering, stream_batch
    from ..batch_inputs import iter_site_inputs
    from ..output import Spool, Stored, write_atomic_parts
    from ..plan.model import ProfileRef
    from ..portfolio import portfolio_of_rows, rank_order
    from ..terminal import shown_path

    # Worker processes put the parts of the batch's document in files of their own in this private
    # folder (removed at the end), so that the parts never pass through this process.
    parts_folder = tempfile.TemporaryDirectory(prefix="replicate-parts-")
    rendering = Rendering(output_format, detail, document=output_dir is not None,
                          part=output_format in ("json", "markdown", "html"), spool=parts_folder.name)
    names = OutputNames(EXTENSIONS[output_format])
    rows: list[PortfolioRow] = []
    spooled: list[tuple[tuple[int, int] | Stored, tuple[int, int] | Stored | None]] = []
    tally = _Tally()
    with parts_folder, Spool() as spool, _progress(show_progress) as advance:
        inputs = iter_site_inputs(sites, sys.stdin)
        for result in stream_batch(programme, inputs, rendering, packs=packs, jobs=jobs, pool=pool):
            advance()
            tally.total += 1
            if result.skipped:
                tally.skipped += 1
                for problem in result.problems:
                    click.echo(f"skipped: {problem}", err=True)
                continue
            if result.row is None or result.rendered is None:
                tally.failed.append((result.source, result.problems))
                tally.engine_failed |= result.exit_code == 3
                for problem in result.problems:
                    click.echo(f"error: {problem}", err=True)
                continue
            rows.append(result.row)
            tally.failing += row_fails(result.row, fail_on)
            rendered = result.rendered
            if rendered.part is not None:
                spooled.append((spool.add(rendered.part), spool.add(rendered.chart) if rendered.chart else None))
            if output_dir is not None and rendered.document is not None:
                write_atomic_parts(output_dir / names(result.row.site_id), (rendered.document,))
        if rows:
            portfolio = portfolio_of_rows(ProfileRef(id=programme.id, name=programme.name), rows, tally.failed)

            def part(index: int) -> bytes:
                return spool.get(spooled[index][0])

            def card(index: int) -> Card:
                from ..render.html import card as make_card

                chart = spooled[index][1]
                return make_card(spool.get(chart).decode("utf-8") if chart else "", part(index).decode("utf-8"))

            document = _batch_document(portfolio, output_format, part, card, rank_order(rows))
            if output_dir is not None:
                write_atomic_parts(output_dir / f"portfolio.{EXTENSIONS[output_format]}", document)
                click.echo(f"wrote {len(rows)} plan(s) to {shown_path(str(output_dir))}", err=True)
            elif output is not None:
                write_atomic_parts(output, document)
                click.echo(f"wrote {shown_path(str(output))}", err=True)
            else:
                for piece in document:
                    click.echo(piece.decode("utf-8") if isinstance(piece, bytes) else piece, nl=False)
    click.echo(_batch_summary(len(rows), tally.total, len(tally.failed), programme.id, tally.skipped), err=True)
    if tally.failing:
        click.echo(f"fail-on {fail_on}: {tally.failing} site(s) have risk findings at or above {fail_on}", err=True)
    sys.exit(_batch_exit_code(tally))


def _batch_exit_code(tally: _Tally) -> int:
    """As `_exit_code`, from the counts."""
    if tally.total and tally.skipped == tally.total:
        return 2
    if tally.engine_failed:
        return 3
    if tally.failed:
        return 2
    return 1 if tally.failing else 0



def _batch_summary(advised: int, total: int, failed: int, programme_id: str, skipped: int) -> str:
    """How many sites were advised, and why the others were not: skipped sites were written for
    another programme (a folder may hold several programmes' sites); failed ones were bad input."""
    parts = [f"advised {advised} of {total} site(s)"]
    if skipped:
        parts.append(f"skipped {skipped} written for a programme other than {programme_id!r}")
    if failed:
        parts.append(f"{failed} could not be advised")
    return "; ".join(parts)



@contextmanager
def _progress(show: bool) -> Iterator[Callable[[], None]]:
    """A function to call as each site is done: a progress bar on stderr when `show`, else nothing.
    The batch's length is not known while it is read, so the bar counts up without a total."""
    if not show:
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("advising"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("advising", total=None)
        yield lambda: bar.advance(task)
