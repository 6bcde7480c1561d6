"""`replicate whatif SITE -p PROGRAMME`: the smallest sets of realistic changes to the site that
move the decision one step up, and all the way to go.

Bad input is refused exactly as `replicate advise` refuses it (exit 2, the file and field path of
each problem). Heavy modules are imported inside the command so that `replicate --help` is quick.
"""

from __future__ import annotations

from pathlib import Path

import click

FORMATS = ("text", "markdown", "json", "html")
"""`html`: the site's whole plan as one page, with the what-if panel."""
MAX_CHANGES = 5
"""Beyond five changes at once the answer is a plan, not a lever, and the search grows quickly."""


@click.command("whatif")
@click.argument("site", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--programme", "-p", "programme", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="The programme to replicate (JSON).")
@click.option("--max-changes", "-n", type=click.IntRange(1, MAX_CHANGES), default=3, show_default=True,
              help="The most changes in one suggestion.")
@click.option("--format", "-f", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="How to render the answer.")
@click.option("--rules", "packs", multiple=True, type=click.Path(path_type=Path, file_okay=False),
              help="A folder of local rules to add to the shipped rule base (repeatable).")
def whatif_command(site: Path, programme: Path, max_changes: int, output_format: str,
                   packs: tuple[Path, ...]) -> None:
    """What would change the decision for SITE: the fewest realistic changes (a champion named,
    funding secured, meetings set up, an unknown answered, an adaptation withdrawn...) that move it
    one step up and all the way to go, each re-advised by the same rules."""
    from ..advisor import Advisor
    from ..loading import check_site_against, load_programme, load_site
    from ..render.whatif import WHATIF_RENDERERS
    from ..whatif import what_if

    loaded_programme = load_programme(programme)
    loaded_site = load_site(site)
    check_site_against(loaded_programme, loaded_site, str(site))
    advisor = Advisor.from_packs(packs)
    advisor.check_site(loaded_site, str(site))
    result = what_if(advisor, loaded_programme, loaded_site, max_changes=max_changes)
    if output_format == "html":
        from ..render.html import render_html

        click.echo(render_html(advisor.advise(loaded_programme, loaded_site), result), nl=False)
    else:
        click.echo(WHATIF_RENDERERS[output_format](result), nl=False)
