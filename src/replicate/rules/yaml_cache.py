"""A cache of parsed YAML documents, so that starting `replicate` does not parse the rule base again.

Parsing the shipped rule files is most of a cold start; their text rarely changes. An entry is
keyed by a hash of the document's text together with the code that parses it (this module,
`yaml_source.py` and ruamel's version), so an edited file or a new parser is a miss, never a stale
hit. It holds what `load_yaml` returns (the data, and the line and column of every value), not
rules: the rule schema can change without touching the cache format.

Entries are JSON (never pickle): loading one builds only dicts, lists, text, numbers, booleans and
nulls, and can run no code. An entry is shape-checked before use; the folder, reading and writing
(`cache_files.py`) are shared with the rule-base cache: one that is missing, corrupt, of another
format or unreadable is ignored, one that cannot be written is skipped, and either way the document
is parsed as if there were no cache.
"""

from __future__ import annotations

import contextlib
import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from .cache_files import read_entry, write_entry

FORMAT = 1
MAX_ENTRIES = 256
"""Entries kept: older ones (by last use) are removed when a new one is written."""

Positions = dict[tuple[str | int, ...], tuple[int, int]]
Styles = dict[tuple[str | int, ...], str | None]
Parsed = tuple[Any, Positions, Styles]


@cache
def _code_version() -> str:
    """Changes whenever the code that produces an entry changes, so old entries are not reused.
    Worked out when first needed: a start that finds its whole rule base cached never needs ruamel."""
    from ruamel.yaml import __version__ as ruamel_version

    digest = hashlib.sha256(f"{FORMAT}\0{ruamel_version}\0".encode())
    for name in ("yaml_source.py", "yaml_cache.py"):
        with contextlib.suppress(OSError):
            digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()


def entry_key(text: str) -> str:
    return hashlib.sha256(_code_version().encode() + b"\0" + text.encode("utf-8", "surrogatepass")).hexdigest()


def read(text: str) -> Parsed | None:
    """The cached parse of `text`, or None on a miss or any problem with the cache."""
    key = entry_key(text)
    raw = read_entry("yaml-", key, FORMAT)
    if raw is None:
        return None
    try:
        return _decode(raw)
    except (ValueError, RecursionError, TypeError, KeyError):
        return None


def write(text: str, data: Any, positions: Positions, styles: Styles) -> None:
    """Store a parse; silently does nothing if the cache cannot be written."""
    write_entry("yaml-", entry_key(text), FORMAT, {
        "data": data,
        "positions": [[list(path), line, column] for path, (line, column) in positions.items()],
        "styles": [[list(path), style] for path, style in styles.items()],
    }, MAX_ENTRIES, allow_nan=True)


def _path(raw: Any) -> tuple[str | int, ...]:
    if not isinstance(raw, list) or not all(isinstance(p, str) or type(p) is int for p in raw):
        raise ValueError("bad path")
    return tuple(raw)


def _decode(raw: dict[str, Any]) -> Parsed:
    """Check an entry's shape and rebuild what `load_yaml` returns."""
    positions: Positions = {}
    for item in raw["positions"]:
        path, line, column = item
        if type(line) is not int or type(column) is not int:
            raise ValueError("bad position")
        positions[_path(path)] = (line, column)
    styles: Styles = {}
    for item in raw["styles"]:
        path, style = item
        if style is not None and not isinstance(style, str):
            raise ValueError("bad style")
        styles[_path(path)] = style
    return raw["data"], positions, styles
