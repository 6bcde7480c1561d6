"""`replicate scenarios`: run scenario files and report expected advice against the advice given.

Ends with `N passed, N failed`; exit 0 if all pass, 1 if any fail, 2 if a scenario file or rule
pack is bad (every problem is reported with its file and line, and nothing is run).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .rules_cmd import PACK_OPTION


@click.command("scenarios")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@PACK_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: PASS/FAIL with a diff per scenario; json: one document (the summary goes to stderr).")
def scenarios_command(paths: tuple[Path, ...], packs: tuple[Path, ...], fmt: str) -> None:
    """Run the scenario files in PATHS (files, or folders searched for *.yaml) and compare each
    plan's decision, findings and questions with what the scenario expects."""
    from ..advisor import Advisor  # here, not at the top: `replicate --help` loads no engine
    from ..scenarios import load_scenarios, run_scenario, summary_line

    scenarios = load_scenarios(paths)
    advisor = Advisor.from_packs(packs)
    results = [run_scenario(scenario, advisor) for scenario in scenarios]
    summary = summary_line(results)
    if fmt == "json":
        document = {"scenarios": [result.to_json() for result in results],
                    "passed": sum(r.passed for r in results), "failed": sum(not r.passed for r in results)}
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
        click.echo(summary, err=True)
    else:
        for result in results:
            status = "PASS" if result.passed else "FAIL"
            click.echo(f"{status} {result.scenario.label}: {result.scenario.spec.name}")
            for line in result.diff():
                click.echo(f"  {line}")
        click.echo(summary)
    if not all(result.passed for result in results):
        sys.exit(1)
