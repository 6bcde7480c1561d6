"""Decision tables written as CSV: `# key: value` settings lines (YAML), a header row, then rows.

The settings are parsed as YAML with their real line numbers and every row keeps its line, so a
problem in a CSV table points at the same place an editor shows.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..errors import Problem
from .loader import LoadResult
from .parameters import Parameters
from .tables import TableLoader
from .yaml_source import MAX_CHARS, YamlProblem, load_yaml


def load_csv_table(text: str, source: str, parameters: Parameters | None = None) -> LoadResult:
    """Compile a decision table from CSV: `# key: value` settings lines, a header row, then rows."""
    if len(text) > MAX_CHARS:
        return LoadResult(problems=[Problem(source, message=f"file is {len(text):,} characters; the limit is "
                                                            f"{MAX_CHARS:,}")])
    lines = text.splitlines()
    settings = [line[1:] for line in lines if line.startswith("#")]
    first_data = next((i for i, line in enumerate(lines) if line.strip() and not line.startswith("#")), None)
    if first_data is None:
        return LoadResult(problems=[Problem(source, message="the table has no header row", line=1)])
    if any(line.startswith("#") for line in lines[first_data:]):
        bad = next(i for i, line in enumerate(lines) if i >= first_data and line.startswith("#"))
        return LoadResult(problems=[Problem(source, message="settings lines (#) must come before the header row",
                                            line=bad + 1, column=1)])
    # Parse the settings as YAML with their real line numbers, so errors point at the right line.
    padded = "\n".join(line[1:] if line.startswith("#") else "" for line in lines[:first_data])
    try:
        located = load_yaml(padded or "{}", source) if settings else load_yaml("{}", source)
    except YamlProblem as error:
        return LoadResult(problems=[error.problem])
    meta = located.data or {}
    if not isinstance(meta, dict):
        return LoadResult(problems=[Problem(source, message="the # settings lines must be 'key: value' pairs", line=1)])
    if "columns" in meta or "rows" in meta:
        return LoadResult(problems=[Problem(source, message="in a CSV table, columns and rows are the CSV itself, "
                                            "not settings", line=1)])
    try:
        records = list(csv.reader(io.StringIO("\n".join(lines[first_data:]))))
    except csv.Error as error:
        return LoadResult(problems=[Problem(source, message=f"invalid CSV: {error}", line=first_data + 1)])
    header, body = records[0], records[1:]
    base: tuple[str | int, ...] = ()
    for index in range(len(header)):
        located.positions[("columns", index)] = (first_data + 1, 1)
    rows: list[tuple[tuple[str | int, ...], Any]] = []
    for offset, record in enumerate(body, start=1):
        if not any(cell.strip() for cell in record):
            continue
        path: tuple[str | int, ...] = ("rows", len(rows))
        located.positions[path] = (first_data + 1 + offset, 1)
        rows.append((path, record))
    located.positions[("rows",)] = (first_data + 2, 1)
    meta = {**meta, "columns": header, "rows": [r for _, r in rows]}
    return TableLoader(located, source, meta, base, rows, header, parameters).compile()


__all__ = ["load_csv_table"]
