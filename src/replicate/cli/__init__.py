"""The command line: a thin layer over the library. Commands parse options, call the library and
print; every `ReplicateError` becomes a clear message and its exit code, never a traceback.

Exit codes: 0 success; 1 findings at or above `--fail-on`, failing rule tests or rule problems;
2 bad input or usage; 3 an engine failure.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from ..errors import ReplicateError

_COMMANDS: dict[str, tuple[str, str]] = {
    "advise": (".advise", "advise"),
    "rules": (".rules_cmd", "rules_group"),
    "explain": (".explain", "explain_command"),
    "schema": (".schema_cmd", "schema"),
    "scenarios": (".scenarios_cmd", "scenarios_command"),
    "whatif": (".whatif_cmd", "whatif_command"),
}
"""Each command's module and function, imported only when the command is run or listed: running
one command does not import the others."""


class ReplicateGroup(click.Group):
    """Turns the project's own errors into messages on stderr and exit codes; loads commands lazily."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in _COMMANDS:
            module, name = _COMMANDS[cmd_name]
            command = getattr(importlib.import_module(module, __name__), name)
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)

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
