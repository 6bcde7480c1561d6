"""The command line: a thin layer over the library. Commands parse options, call the library and
print; every `ReplicateError` becomes a clear message and its exit code, never a traceback.

Exit codes: 0 success; 1 findings at or above `--fail-on`, failing rule tests or rule problems;
2 bad input or usage; 3 an engine failure.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from ..errors import ReplicateError


class ReplicateGroup(click.Group):
    """Turns the project's own errors into messages on stderr and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ReplicateError as error:
            for problem in error.problems:
                click.echo(f"error: {problem}", err=True)
            sys.exit(error.exit_code)


@click.group(cls=ReplicateGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="replicate-advisor", prog_name="replicate")
def main() -> None:
    """Advice on replicating an effective local programme at a new site: what to keep, what to
    tailor, what to build on instead of duplicating, what is missing, and whether to go ahead."""


def _register() -> None:
    from .advise import advise
    from .explain import explain_command
    from .rules_cmd import rules_group
    from .scenarios_cmd import scenarios_command
    from .schema_cmd import schema
    from .whatif_cmd import whatif_command

    main.add_command(advise)
    main.add_command(rules_group)
    main.add_command(explain_command)
    main.add_command(schema)
    main.add_command(scenarios_command)
    main.add_command(whatif_command)


_register()
