"""The user's cache folder and its entries: the part the parsed-YAML cache and the rule-base cache
share, so both keep the same guarantees.

An entry is a JSON object naming its format and key, sealed by a SHA-256 of its own bytes (its first
member), so an entry changed by anything but this module (a disk error, a half-copied folder, a
hand edit) is a miss, and a reader may trust what it holds to be what was written: the rule-base
cache builds its rule models from an entry without validating them again. It is read only from a
folder and a file that belong to the user and that no one else may write, and only up to a size
limit. Writes go to
a temporary file renamed into place, so a reader never sees half an entry; the oldest entries (by
last use) are removed beyond a limit. Anything that goes wrong is a miss, never an error.

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
from pathlib import Path
from typing import Any

MAX_ENTRY_BYTES = 64 * 1024 * 1024
"""An entry larger than this is not read."""
_SEAL_START = b'{"seal":"'
_SEAL_END = b'",'
_DIGEST = slice(len(_SEAL_START), len(_SEAL_START) + 64)
"""Where an entry's seal is: its first member, a SHA-256 in hex, of every byte after `_SEAL_END`."""
_BODY = _DIGEST.stop + len(_SEAL_END)


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


def private(path: Path, *, directory: bool) -> bool:
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


def read_entry(prefix: str, key: str, entry_format: int) -> dict[str, Any] | None:
    """The entry `key` if it is there, ours and of `entry_format`, marked as just used; else None.
    What is inside is for the caller to check."""
    folder = cache_dir()
    if folder is None or not private(folder, directory=True):
        return None
    path = folder / f"{prefix}{key}.json"
    try:
        if not private(path, directory=False) or path.stat().st_size > MAX_ENTRY_BYTES:
            return None
        raw = json.loads(_unsealed(path.read_bytes()))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(raw, dict) or raw.get("format") != entry_format or raw.get("key") != key:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # last use, for pruning
    return raw


def write_entry(prefix: str, key: str, entry_format: int, fields: dict[str, Any], keep: int, *,
                allow_nan: bool = False) -> None:
    """Store an entry (its `fields` beside its format and key), keeping the `keep` most recently
    used entries of this prefix; silently does nothing if the cache cannot be written."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        body = entry_bytes({"format": entry_format, "key": key, **fields}, allow_nan=allow_nan)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not private(folder, directory=True):
            return
        handle, temporary = tempfile.mkstemp(prefix=f".{prefix}", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(body)
            os.replace(temporary, folder / f"{prefix}{key}.json")
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _prune(folder, prefix, keep)
    except (OSError, ValueError, TypeError, RecursionError):
        return


def entry_bytes(entry: dict[str, Any], *, allow_nan: bool = False) -> bytes:
    """What an entry's file holds: the entry as a JSON object whose first member, "seal", is the
    SHA-256 of every byte after it (an earlier seal in `entry` is dropped)."""
    body = json.dumps({name: value for name, value in entry.items() if name != "seal"}, ensure_ascii=False,
                      allow_nan=allow_nan, separators=(",", ":")).encode()
    rest = body[1:]  # after the object's opening brace
    return _SEAL_START + hashlib.sha256(rest).hexdigest().encode() + _SEAL_END + rest


def _unsealed(data: bytes) -> bytes:
    """`data` if its seal matches its bytes; raises ValueError otherwise."""
    if (not data.startswith(_SEAL_START) or data[_DIGEST.stop:_BODY] != _SEAL_END
            or hashlib.sha256(data[_BODY:]).hexdigest().encode() != data[_DIGEST]):
        raise ValueError("the entry's seal does not match its contents")
    return data


def _prune(folder: Path, prefix: str, keep: int) -> None:
    entries = []
    for path in folder.glob(f"{prefix}*.json"):
        with contextlib.suppress(OSError):
            entries.append((path.stat().st_mtime, path))
    entries.sort()
    for _, path in entries[: max(0, len(entries) - keep)]:
        with contextlib.suppress(OSError):
            path.unlink()
