"""What a fact is: the subjects rules apply to, and the flat mapping of dotted paths each sees.

The engines, findings and plan all speak of facts in these terms; they sit apart from how facts are
built so that reading a fact never imports the builder.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Subject = Literal["site", "principle", "component", "partner", "service", "adaptation", "findings"]
ITEM_SUBJECTS: tuple[Subject, ...] = ("principle", "component", "partner", "service", "adaptation")
SUBJECTS: tuple[Subject, ...] = ("site", *ITEM_SUBJECTS, "findings")

Scalar = str | int | float | bool
Value = Scalar | tuple[str, ...]
FlatFact = dict[str, Value]
"""Dotted path -> value; lists are tuples of strings. Missing paths are unknown."""

YEARS_FOR_ESTABLISHED_RELATIONSHIP = 2


def distinct(values: Iterable[str]) -> tuple[str, ...]:
    """A list-valued fact: each value once, in a stable order, so output is deterministic."""
    return tuple(sorted(set(values)))


def quoted(statement: str) -> str:
    """A principle's statement as a finding quotes it, without its closing full stop."""
    return f'"{statement.rstrip(". ")}"'


@dataclass(frozen=True)
class SubjectFact:
    """One subject instance and the flat fact rules about it see."""

    subject: Subject
    key: str
    """The instance's id (`site` for the site itself), stable across runs so output is deterministic."""
    label: str
    """A human name for the instance, used in findings."""
    values: FlatFact


