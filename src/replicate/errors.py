"""The one family of errors that `replicate` raises to its users and embedders.

Every error carries where the problem is (file, field path or line) and what is wrong, and knows
its own exit code, so the CLI can print it without a traceback and an embedder can catch one
type. Nothing from pydantic, ruamel or durable_rules leaks out unwrapped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .terminal import escape_controls, shown_path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input, located as precisely as the input allows."""

    source: str
    """The file (or `<string>`, `<stdin>:LINE`) the problem is in."""
    location: str = ""
    """A field path such as `partners[2].years_known`, or empty for the whole document."""
    message: str = ""
    line: int | None = None
    column: int | None = None
    rule_id: str | None = None

    def __str__(self) -> str:
        # Sources and values come from input: shown escaped, so a path or value cannot act on the terminal.
        place = shown_path(self.source)
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        # `file:line:col RULE-ID: message`, the shape compilers and linters use, so editors can jump to it.
        parts = [place]
        if self.rule_id:
            parts.append(self.rule_id)
        if self.location:
            parts.append(escape_controls(self.location))
        return " ".join(parts) + f": {escape_controls(self.message)}"


class ReplicateError(Exception):
    """Base of every error `replicate` raises on purpose."""

    exit_code = 2

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(source="replicate", message=problems)]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self.describe())

    def describe(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)

    def __reduce__(self) -> tuple[type[ReplicateError], tuple[tuple[Problem, ...]]]:
        """Pickled with its problems (a worker process's error is raised again in the caller)."""
        return type(self), (self.problems,)


class InputError(ReplicateError):
    """A programme, site profile or batch line is malformed or invalid."""


class OtherProgrammeError(InputError):
    """A site profile written for another programme: refused when advised alone, skipped (and
    counted) in a batch, where a folder may hold sites for several programmes."""


class RuleError(ReplicateError):
    """A rule file or decision table cannot be loaded: syntax, unknown field, bad value."""


class EngineError(ReplicateError):
    """The rule engine misbehaved (a lost action, an engine limit). Never the user's input."""

    exit_code = 3


class OutputError(ReplicateError):
    """An output file could not be written; anything already there was left untouched."""


def format_path(parts: Sequence[str | int]) -> str:
    """Turn `('partners', 2, 'years_known')` into `partners[2].years_known`."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest of `choices` to a misspelt word, or '' if none is close."""
    from difflib import get_close_matches  # only when a problem is being reported

    close = get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
