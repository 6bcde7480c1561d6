"""`replicate advise`: a plan for one site, or a portfolio for a batch of sites.

One site file gives that site's plan, exactly as before. Anything else is a batch: several files,
a folder (its `.json` and `.jsonl` files, in name order), a `.jsonl` file or `-` (JSON Lines on
standard input, one site per line). In a batch a bad profile is reported with its file, line and
field path and the rest are still advised.

Batch output depends on the format: `text` and `csv` give the portfolio summary (one row per
site, most ready first); `markdown`, `json` and `html` give the summary and every site's plan in
one document. `--output FILE` writes that document atomically; `--output-dir DIR` writes one file
per site (named after its id) plus `portfolio.<ext>` for a batch.

Exit codes, most serious first: 3 the engine failed on some site; 2 some input was bad (the rest
was still advised and written); 1 `--fail-on` found a risk at or above the threshold; 0 otherwise.
Heavy modules are imported inside the command so that `replicate --help` starts quickly.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ..batch import SiteInput, SiteResult
    from ..plan.model import AdaptationPlan
    from ..portfolio import Portfolio
    from ..schema import Programme

FORMATS = ("text", "markdown", "json", "html", "csv")
"""`csv` is a summary format: one row per site."""
EXTENSIONS = {"text": "txt", "markdown": "md", "json": "json", "html": "html", "csv": "csv"}
FAIL_ON = ("high", "medium", "low")
SEVERITY_AT_LEAST = {"high": ("high",), "medium": ("high", "medium"), "low": ("high", "medium", "low")}


def is_batch(arguments: Sequence[str]) -> bool:
    """A batch unless the one argument is a single site file (decided from the arguments, never from
    what the files hold, so the shape of the output is predictable)."""
    if len(arguments) != 1:
        return True
    from ..input_files import is_dir

    argument = arguments[0]
    return argument == "-" or argument.endswith(".jsonl") or is_dir(Path(argument))


def progress_wanted(choice: bool | None, output_format: str, stderr_tty: bool, stdout_tty: bool,
                    writes_file: bool, batch_size: int) -> bool:
    """A progress bar only helps a person watching a batch: never in JSON mode, never for a single
    site, and (unless asked for) only when stderr is a terminal and the output is not piped."""
    if choice is False or output_format == "json" or batch_size < 2:
        return False
    if choice:
        return True
    return stderr_tty and (stdout_tty or writes_file)


def fails(plan: AdaptationPlan, threshold: str | None) -> bool:
    """Whether the plan has a risk finding (not a strength) at or above `threshold`."""
    if threshold is None:
        return False
    levels = SEVERITY_AT_LEAST[threshold]
    return any(f.severity in levels and not f.is_strength for f in plan.findings)


def _plan_document(plan: AdaptationPlan, output_format: str, detail: str = "summary") -> str:
    from ..portfolio import build_portfolio
    from ..render import RENDERERS
    from ..render.portfolio import render_csv
    from ..render.text import render_text

    if output_format == "text":
        return render_text(plan, "full" if detail == "full" else "summary")
    if output_format == "csv":
        return render_csv(build_portfolio([(plan.site.id, plan)]))
    return RENDERERS[output_format](plan)


def _batch_document(portfolio: Portfolio, plans: list[tuple[str, AdaptationPlan]], output_format: str) -> str:
    from ..render import RENDERERS
    from ..render.portfolio import PORTFOLIO_RENDERERS

    if output_format in ("text", "csv"):
        return PORTFOLIO_RENDERERS[output_format](portfolio)
    if output_format == "html":
        from ..render.html import render_portfolio_html

        return render_portfolio_html(portfolio, plans)
    if output_format == "json":
        import json

        document = {
            "portfolio": portfolio.model_dump(mode="json"),
            "plans": [plan.model_dump(mode="json") for _, plan in plans],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    by_source = dict(plans)
    parts = [PORTFOLIO_RENDERERS["markdown"](portfolio)]
    parts += [RENDERERS["markdown"](by_source[row.source]) for row in portfolio.sites]
    return "\n".join(parts)


def _unique_names(plans: list[tuple[str, AdaptationPlan]], extension: str) -> list[str]:
    """`<site id>.<ext>`, with `-2`, `-3`... when ids repeat; `portfolio` is kept for the summary."""
    taken = {f"portfolio.{extension}"}
    names = []
    for _, plan in plans:
        stem, name, count = plan.site.id, f"{plan.site.id}.{extension}", 1
        while name in taken:
            count += 1
            name = f"{stem}-{count}.{extension}"
        taken.add(name)
        names.append(name)
    return names


@click.command()
@click.argument("sites", nargs=-1, required=True)
@click.option("--programme", "-p", "programme", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="The programme to replicate (JSON).")
@click.option("--format", "-f", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="How to render the plan (csv: the portfolio summary).")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
              help="Write the plan, or the batch's document, to this file (atomically; - for standard output).")
@click.option("--output-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Write one file per site (SITE-ID.EXT) and, for a batch, portfolio.EXT, into this folder "
                   "(created if missing).")
@click.option("--rules", "packs", multiple=True, type=click.Path(path_type=Path, file_okay=False),
              help="A folder of local rules to add to the shipped rule base (repeatable).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes for a batch; each builds its advisor once.")
@click.option("--fail-on", type=click.Choice(FAIL_ON),
              help="Exit 1 if any site has a risk finding at or above this severity (for pipelines).")
@click.option("--detail", type=click.Choice(["summary", "full"]), default="summary", show_default=True,
              help="Text only: the one-page summary, or the summary followed by every detail.")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar for a batch [default: only on a terminal, never with json].")
def advise(sites: tuple[str, ...], programme: Path, output_format: str, output: Path | None,
           output_dir: Path | None, packs: tuple[Path, ...], jobs: int, fail_on: str | None,
           detail: str, progress: bool | None) -> None:
    """Advise on replicating PROGRAMME at each of SITES: site profile files (JSON), folders of
    them, .jsonl files, or - for JSON Lines on standard input."""
    from dataclasses import replace

    from ..batch import read_site_inputs
    from ..loading import load_programme
    from ..output import STDOUT, write_atomic
    from ..portfolio import build_portfolio
    from ..rules.rulebase import pack_vocabulary
    from ..terminal import shown_path

    if output is not None and str(output) == STDOUT:
        output = None
    if output is not None and output_dir is not None:
        raise click.UsageError("give --output or --output-dir, not both")
    if output_dir is not None and output_format == "csv":
        raise click.UsageError("csv is a summary of the batch: write it with --output, not --output-dir")
    if output_dir is not None:
        _make_folder(output_dir)  # before any work: a folder that cannot be made fails in a moment, not after
    batch = is_batch(sites)
    loaded_programme = load_programme(programme, vocabulary=pack_vocabulary(packs))
    items = read_site_inputs(sites, sys.stdin)

    show = progress_wanted(progress, output_format, sys.stderr.isatty(), sys.stdout.isatty(),
                           output is not None or output_dir is not None, len(items))
    results = _advise_all(loaded_programme, items, packs, jobs, show)

    if not batch:
        results = [replace(r, skipped=False) for r in results]  # a site alone is refused, not skipped
    skipped = [r for r in results if r.skipped]
    failed = [r for r in results if not r.ok and not r.skipped]
    for result in failed:
        for problem in result.problems:
            click.echo(f"error: {problem}", err=True)
    for result in skipped:
        for problem in result.problems:
            click.echo(f"skipped: {problem}", err=True)
    plans = [(r.source, r.plan) for r in results if r.plan is not None]
    if plans:
        if batch:
            portfolio = build_portfolio(plans, [(r.source, r.problems) for r in failed])
            document = _batch_document(portfolio, plans, output_format)
        elif output_format == "html":
            document = _report_with_whatif(plans[0][1], loaded_programme, items[0], packs)
        else:
            document = _plan_document(plans[0][1], output_format, detail)
        if output_dir is not None:
            extension = EXTENSIONS[output_format]
            for (_, plan), name in zip(plans, _unique_names(plans, extension), strict=True):
                write_atomic(output_dir / name, _plan_document(plan, output_format, detail))
            if batch:
                write_atomic(output_dir / f"portfolio.{extension}", document)
            click.echo(f"wrote {len(plans)} plan(s) to {shown_path(str(output_dir))}", err=True)
        elif output is not None:
            write_atomic(output, document)
            click.echo(f"wrote {shown_path(str(output))}", err=True)
        else:
            click.echo(document, nl=False)
    if batch:
        click.echo(_batch_summary(len(plans), len(results), len(failed), loaded_programme.id, len(skipped)), err=True)

    failing = [plan for _, plan in plans if fails(plan, fail_on)]
    if failing:
        click.echo(f"fail-on {fail_on}: {len(failing)} site(s) have risk findings at or above {fail_on}", err=True)
    sys.exit(_exit_code(results, bool(failing)))


def _report_with_whatif(plan: AdaptationPlan, programme: Programme, item: SiteInput, packs: tuple[Path, ...]) -> str:
    """One site's HTML report with its what-if panel, worked out now so the page stays static."""
    import json

    from ..advisor import Advisor
    from ..loading import load_site, site_from_data
    from ..render.html import render_html
    from ..whatif import what_if

    advisor = Advisor.from_packs(packs)
    if item.path is not None:
        site = load_site(item.path, vocabulary=advisor.vocabulary)
    else:
        site = site_from_data(json.loads(item.text or "{}"), item.source, advisor.vocabulary)
    return render_html(plan, what_if(advisor, programme, site))


def _make_folder(folder: Path) -> None:
    from ..errors import OutputError, Problem
    from ..input_files import os_reason

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError) as error:
        reason = "exists and is not a folder" if isinstance(error, FileExistsError) else os_reason(error)
        raise OutputError([Problem(str(folder), message=f"cannot make the output folder: {reason}")]) from None


def _batch_summary(advised: int, total: int, failed: int, programme_id: str, skipped: int) -> str:
    """How many sites were advised, and why the others were not: skipped sites were written for
    another programme (a folder may hold several programmes' sites); failed ones were bad input."""
    parts = [f"advised {advised} of {total} site(s)"]
    if skipped:
        parts.append(f"skipped {skipped} written for a programme other than {programme_id!r}")
    if failed:
        parts.append(f"{failed} could not be advised")
    return "; ".join(parts)


def _exit_code(results: Sequence[SiteResult], threshold_hit: bool) -> int:
    """Skipped sites are not failures, unless nothing at all was advised (an empty answer must not
    look like success)."""
    if results and all(r.skipped for r in results):
        return 2
    codes = {r.exit_code for r in results if not r.ok and not r.skipped}
    if 3 in codes:
        return 3
    if codes:
        return 2
    return 1 if threshold_hit else 0


def _advise_all(programme: Programme, inputs: Sequence[SiteInput], packs: tuple[Path, ...], jobs: int,
                show_progress: bool) -> list[SiteResult]:
    from ..batch import run_batch

    if not show_progress:
        return run_batch(programme, inputs, packs=packs, jobs=jobs)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("advising"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("advising", total=len(inputs))
        return run_batch(programme, inputs, packs=packs, jobs=jobs, on_result=lambda _: bar.advance(task))
