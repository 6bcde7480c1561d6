"""The cells of a decision table: its column headers, and each input cell as condition text.

A cell is a test with the field left out (`< 0.25`, `>= 0.25 and < 0.5`, `"rural"`,
`in ["urban", "mixed"]`, `missing`, `known`) or `-` for any value; a header may end with an
operator (`site.funding_coverage <`), and then a bare value in a cell means that comparison.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..conditions import Condition
from ..conditions.nodes import COMPARISONS

HIT_POLICIES = ("first", "unique")
OUTPUTS = (
    "id",
    "title",
    "severity",
    "category",
    "advice",
    "action.do",
    "action.phase",
    "action.owner",
    "effect.principle",
    "effect.component",
    "effect.decision",
)
TABLE_KEYS = (
    "id", "title", "description", "theme", "category", "severity", "for_each", "hit", "advice", "action",
    "effect", "factors", "source", "columns", "rows", "examples", "basis", "about", "supersedes", "mitigates",
)
NO_FINDING = "none"
ANY = ("", "-", "any")

_BARE_WORD = re.compile(r"^[A-Za-z_][A-Za-z0-9_ ]*$")


@dataclass(frozen=True)
class Column:
    name: str
    """A field path for an input column, or an output name."""
    is_input: bool
    default_op: str = "=="
    position: tuple[str | int, ...] = ()


@dataclass
class TableRow:
    number: int
    path: tuple[str | int, ...]
    cells: dict[str, str]
    own: Condition | None
    """The row's own test, before first-hit exclusions; None when every input cell is 'any'."""
    written: Condition | None = None
    """The same test as written, naming parameters (`param.NAME`) where `own` has their values:
    the rule text keeps the names so the rule records which parameters it uses."""


def cell_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(value).strip()


def cell_condition(field_path: str, cell: str, default_op: str = "==", field_type: str = "string") -> str:
    """The condition text a cell stands for: `< 0.25` under `site.funding_coverage` is
    `site.funding_coverage < 0.25`. Returns "" for a cell that matches anything."""
    if cell.lower() in ANY:
        return ""
    parts = []
    for part in re.split(r"\s+and\s+", cell):
        part = part.strip()
        lowered = part.lower()
        if lowered in ("missing", "known", "is missing", "is known"):
            parts.append(f"{field_path} is {lowered.removeprefix('is ')}")
        elif any(part.startswith(op) for op in COMPARISONS) or part.startswith("=") or lowered.startswith(
            ("in ", "in[", "not in")
        ):
            parts.append(f"{field_path} {part}")
        else:
            if field_type == "string" and _BARE_WORD.match(part) and lowered not in ("true", "false"):
                part = '"' + part + '"'
            parts.append(f"{field_path} {default_op} {part}")
    return " and ".join(parts)


def header_of(name: str) -> tuple[str, str]:
    """Split `site.funding_coverage <` into the field and the cells' default operator."""
    for op in sorted(COMPARISONS, key=len, reverse=True):
        if name.endswith(" " + op):
            return name[: -len(op)].strip(), op
    return name.strip(), "=="


__all__ = ["ANY", "HIT_POLICIES", "NO_FINDING", "OUTPUTS", "TABLE_KEYS", "Column", "TableRow", "cell_condition",
           "cell_text", "header_of"]
