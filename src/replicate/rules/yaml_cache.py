"""A cache of parsed YAML documents, so that starting `replicate` does not parse the rule base again.

Parsing the shipped rule files is most of a cold start; their text rarely changes. An entry is
keyed by a hash of the document's text together with the code that parses it (this module,
`yaml_source.py` and ruamel's version), so an edited file or a new parser is a miss, never a stale
hit. It holds what `load_yaml` returns (the data, and the line and column of every value), not
rules: the rule schema can change without touching the cache format.

Entries are JSON (never pickle): loading one builds only dicts, lists, text, numbers, booleans and
nulls, and can run no code. An entry is shape-checked before use; one that is missing, corrupt, of
another format or unreadable is ignored, and one that cannot be written is skipped; either way the
document is parsed as if there were no cache. The folder must belong to the user and be writable by
no one else, or it is not used. Writes go to a temporary file renamed into place, so a reader never
sees half an entry.

    REPLICATE_CACHE_DIR   the folder (default: $XDG_CACHE_HOME/replicate, else ~/.cache/replicate)
    REPLICATE_NO_CACHE=1  neither read nor write it
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

FORMAT = 1
MAX_ENTRIES = 256
"""Entries kept: older ones (by last use) are removed when a new one is written."""
MAX_ENTRY_BYTES = 64 * 1024 * 1024
"""An entry larger than this is not read: a rule file is limited to 5 MiB of text."""

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


def cache_dir() -> Path | None:
    """The folder entries live in, or None when caching is turned off."""
    if os.environ.get("REPLICATE_NO_CACHE", "").strip() not in ("", "0"):
        return None
    configured = os.environ.get("REPLICATE_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "replicate"


def entry_key(text: str) -> str:
    return hashlib.sha256(_code_version().encode() + b"\0" + text.encode("utf-8", "surrogatepass")).hexdigest()


def _private(path: Path, *, directory: bool) -> bool:
    """True when only the current user could have written `path` (always true off POSIX)."""
    try:
        info = path.stat()
    except OSError:
        return False
    if directory != stat.S_ISDIR(info.st_mode):
        return False
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read(text: str) -> Parsed | None:
    """The cached parse of `text`, or None on a miss or any problem with the cache."""
    folder = cache_dir()
    if folder is None or not _private(folder, directory=True):
        return None
    key = entry_key(text)
    path = folder / f"yaml-{key}.json"
    try:
        if not _private(path, directory=False) or path.stat().st_size > MAX_ENTRY_BYTES:
            return None
        parsed = _decode(json.loads(path.read_bytes()), key)
    except (OSError, ValueError, RecursionError, TypeError, KeyError):
        return None
    if parsed is not None:
        with contextlib.suppress(OSError):
            os.utime(path)  # last use, for pruning
    return parsed


def write(text: str, data: Any, positions: Positions, styles: Styles) -> None:
    """Store a parse; silently does nothing if the cache cannot be written."""
    folder = cache_dir()
    if folder is None:
        return
    key = entry_key(text)
    entry = {
        "format": FORMAT,
        "key": key,
        "data": data,
        "positions": [[list(path), line, column] for path, (line, column) in positions.items()],
        "styles": [[list(path), style] for path, style in styles.items()],
    }
    try:
        body = json.dumps(entry, ensure_ascii=False, allow_nan=True, separators=(",", ":")).encode("utf-8")
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder, directory=True):
            return
        handle, temporary = tempfile.mkstemp(prefix=".yaml-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(body)
            os.replace(temporary, folder / f"yaml-{key}.json")
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _prune(folder)
    except (OSError, ValueError, TypeError, RecursionError):
        return


def _prune(folder: Path) -> None:
    entries = []
    for path in folder.glob("yaml-*.json"):
        with contextlib.suppress(OSError):
            entries.append((path.stat().st_mtime, path))
    entries.sort()
    for _, path in entries[: max(0, len(entries) - MAX_ENTRIES)]:
        with contextlib.suppress(OSError):
            path.unlink()


def _path(raw: Any) -> tuple[str | int, ...]:
    if not isinstance(raw, list) or not all(isinstance(p, str) or type(p) is int for p in raw):
        raise ValueError("bad path")
    return tuple(raw)


def _decode(raw: Any, key: str) -> Parsed | None:
    """Check an entry's shape and rebuild what `load_yaml` returns; None if it is not one of ours."""
    if not isinstance(raw, dict) or raw.get("format") != FORMAT or raw.get("key") != key:
        return None
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
