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
    from ..batch import SiteResult
    from ..batch_inputs import SiteInput
    from ..plan.model import AdaptationPlan
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
                    writes_file: bool, batch_size: int | None) -> bool:
    """A progress bar only helps a person watching a batch: never in JSON mode, never for a single
    site, and (unless asked for) only when stderr is a terminal and the output is not piped.
    `batch_size` is None for a batch read as it goes (its length is not known until the end)."""
    if choice is False or output_format == "json" or (batch_size is not None and batch_size < 2):
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
    from ..output import STDOUT

    if output is not None and str(output) == STDOUT:
        output = None
    if output is not None and output_dir is not None:
        raise click.UsageError("give --output or --output-dir, not both")
    if output_dir is not None and output_format == "csv":
        raise click.UsageError("csv is a summary of the batch: write it with --output, not --output-dir")
    if output_dir is not None:
        _make_folder(output_dir)  # before any work: a folder that cannot be made fails in a moment, not after
    batch = is_batch(sites)
    pool = None
    if batch and jobs > 1:
        from ..batch import WorkerPool

        # Started first: the workers import the package and build their advisors while this
        # process imports what it needs and reads the programme; shut down when the command
        # ends, however it ends.
        pool = click.get_current_context().with_resource(WorkerPool(jobs, packs))
    from dataclasses import replace

    from ..long_lived import loading_long_lived_objects

    with loading_long_lived_objects():
        from ..batch import plan_document, run_batch
        from ..batch_inputs import read_site_inputs
        from ..loading import load_programme
        from ..output import write_atomic
        from ..rules.rulebase import pack_vocabulary
        from ..terminal import shown_path

        advisor = None
        if batch:  # the programme is checked before any worker compiles the rules
            vocabulary = pack_vocabulary(packs)
        else:  # one site needs the advisor anyway, and a cached rule base carries the vocabulary already parsed
            from ..batch_site import build_advisor

            advisor = build_advisor(packs, True, "durable")
            vocabulary = advisor.vocabulary
        loaded_programme = load_programme(programme, vocabulary=vocabulary)
    writes_file = output is not None or output_dir is not None
    if batch:
        from .advise_batch import advise_batch

        advise_batch(loaded_programme, sites, output_format, output, output_dir, packs, jobs, fail_on, detail,
                      progress_wanted(progress, output_format, sys.stderr.isatty(), sys.stdout.isatty(),
                                      writes_file, None), pool)
    items = read_site_inputs(sites, sys.stdin)
    results = [replace(r, skipped=False) for r in run_batch(loaded_programme, items, advisor=advisor)]
    for result in results:  # a site alone is refused, not skipped
        for problem in result.problems:
            click.echo(f"error: {problem}", err=True)
    plan = results[0].plan if results else None
    if plan is not None:
        if output_format == "html":
            document = _report_with_whatif(plan, loaded_programme, items[0], packs)
        else:
            document = plan_document(plan, output_format, detail)
        if output_dir is not None:
            from .advise_batch import OutputNames

            write_atomic(output_dir / OutputNames(EXTENSIONS[output_format])(plan.site.id), document)
            click.echo(f"wrote 1 plan(s) to {shown_path(str(output_dir))}", err=True)
        elif output is not None:
            write_atomic(output, document)
            click.echo(f"wrote {shown_path(str(output))}", err=True)
        else:
            click.echo(document, nl=False)
    failing = plan is not None and fails(plan, fail_on)
    if failing:
        click.echo(f"fail-on {fail_on}: 1 site(s) have risk findings at or above {fail_on}", err=True)
    sys.exit(_exit_code(results, failing))


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
