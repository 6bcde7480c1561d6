"""What the guidance says that the rule base deliberately leaves out, and why.

Coverage by factor shows what the rules encode; it cannot show what they leave out on purpose.
`omissions.yaml` lists, per theme, verbatim passages of the guidance that no rule encodes and the
reason, so a reader of `docs/coverage.md` can tell a deliberate omission from a gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints, TypeAdapter
from ruamel.yaml import YAML

from . import Theme


class _OmissionSpec(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", strict=True, frozen=True)

    passage: Annotated[str, StringConstraints(min_length=3, max_length=300)]
    why_left_out: Annotated[str, StringConstraints(min_length=10, max_length=1000)]


_FILE = TypeAdapter(dict[Theme, list[_OmissionSpec]])


@dataclass(frozen=True)
class Omission:
    """A passage of the guidance that no rule encodes, and why."""

    theme: Theme
    passage: str
    why_left_out: str


def parse_omissions(text: str) -> dict[Theme, tuple[Omission, ...]]:
    """Omissions by theme from the YAML text; a malformed file raises pydantic's ValidationError."""
    data = YAML(typ="safe", pure=True).load(text) or {}
    specs = _FILE.validate_python(data, strict=True)
    return {
        theme: tuple(Omission(theme, " ".join(s.passage.split()), " ".join(s.why_left_out.split())) for s in entries)
        for theme, entries in specs.items()
    }


@cache
def omissions() -> dict[Theme, tuple[Omission, ...]]:
    """The shipped omissions by theme (package data beside the factor list)."""
    return parse_omissions(files(__package__).joinpath("omissions.yaml").read_text(encoding="utf-8"))
