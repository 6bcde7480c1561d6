"""`replicate advise`: a plan for one site, printed or written atomically to a file."""

from __future__ import annotations

from pathlib import Path

import click

from ..advisor import Advisor
from ..output import write_atomic
from ..render import RENDERERS

FORMATS = sorted(RENDERERS)


@click.command()
@click.argument("site", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--programme", "-p", "programme", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="The programme to replicate (JSON).")
@click.option("--format", "-f", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="How to render the plan.")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the plan to this file (atomically) instead of printing it.")
@click.option("--rules", "packs", multiple=True, type=click.Path(path_type=Path, file_okay=False),
              help="A folder of local rules to add to the shipped rule base (repeatable).")
def advise(site: Path, programme: Path, output_format: str, output: Path | None, packs: tuple[Path, ...]) -> None:
    """Advise on replicating PROGRAMME at SITE (a site profile in JSON)."""
    advisor = Advisor.from_packs(packs)
    plan = advisor.advise_files(programme, site)
    text = RENDERERS[output_format](plan)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
