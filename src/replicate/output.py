"""Writing results: atomically, so a reader never sees half a file and a failure leaves any
existing file exactly as it was.

The text goes to a temporary file in the same folder, is flushed to disk, and is renamed over the
target; the folder is then flushed too, so the rename itself survives a crash. Only a regular file
(or nothing) may be replaced: renaming over a device, a FIFO or a symbolic link would replace that
thing itself (run as root, `-o /dev/null` would swap the system's /dev/null for a plain file), so
those are refused. A new file gets the permissions the umask gives any new file; a file written
again keeps the permissions it had.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import OutputError, Problem
from .input_files import is_dir, kind_of, os_reason

STDOUT = "-"
"""`--output -` means standard output, as it does for most command-line tools."""
_NEW_FILE_MODE = 0o666
"""Before the umask, as `open()` and shells create files: reports are meant to be shared."""


def _refuse(path: Path, message: str) -> OutputError:
    return OutputError([Problem(str(path), message=message)])


def _existing_mode(path: Path) -> int | None:
    """The permissions of the regular file at `path`, None if nothing is there; refuses anything else."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise _refuse(path, f"cannot write: {os_reason(error)}") from None
    if stat.S_ISDIR(info.st_mode):
        raise _refuse(path, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(path, f"is {kind_of(info.st_mode)}: only a regular file is replaced; "
                      "name a regular file, or - for standard output")
    return stat.S_IMODE(info.st_mode)


def _create_temporary(folder: Path) -> tuple[Path, int]:
    """A new file with a short random name, whatever the length of the target's name (a name built
    from a 250-character target would pass the file system's limit)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    while True:
        temporary = folder / f".replicate-{secrets.token_hex(6)}.tmp"
        try:
            return temporary, os.open(temporary, flags, _NEW_FILE_MODE)
        except FileExistsError:
            continue


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for the renamed file; some file systems cannot, which is not an error."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` via a temporary file in the same folder and an atomic rename."""
    write_atomic_parts(path, (text,))


def write_atomic_parts(path: Path, parts: Iterable[str | bytes]) -> None:
    """Write the concatenation of `parts` to `path` as `write_atomic` does, one part at a time, so
    a long document need never be held whole. Text is written as UTF-8, bytes as they are (already
    UTF-8), with no translation of line ends. If making a part raises, nothing is replaced."""
    folder = path.parent if str(path.parent) else Path(".")
    if not is_dir(folder):
        try:
            os.stat(folder)
        except (OSError, ValueError) as error:
            reason = "does not exist" if isinstance(error, FileNotFoundError) else f"cannot be used: {os_reason(error)}"
            raise _refuse(path, f"folder {str(folder)!r} {reason}") from None
        raise _refuse(path, f"{str(folder)!r} is not a folder")
    mode = _existing_mode(path)
    temporary: Path | None = None
    try:
        temporary, descriptor = _create_temporary(folder)
        with os.fdopen(descriptor, "wb") as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            for part in parts:
                handle.write(part.encode("utf-8") if isinstance(part, str) else part)
            handle.flush()
            os.fsync(handle.fileno())
        _existing_mode(path)  # a link or FIFO put there while writing is refused all the same
        os.replace(temporary, path)
        temporary = None
        _sync_folder(folder)
    except (OSError, ValueError) as error:
        raise _refuse(path, f"cannot write: {os_reason(error)}") from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()


@dataclass(frozen=True)
class Stored:
    """A text a worker process has already put aside in a file of its own: where it is, so that
    only this, not the text, crosses back to the caller (a 2,000-site JSON batch is 200 MB)."""

    path: str
    offset: int
    size: int


class Spool:
    """Encoded texts put aside on disk until the document they belong to can be written (a batch's plans
    wait for the portfolio, which needs every site, and may be wanted in another order). Memory
    holds only where each text is: in this spool's unnamed temporary file (gone when closed, or if
    we die), or in a worker's file (`Stored`), which is read where it is rather than copied."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close() / the with statement
        self._end = 0
        self._others: dict[str, BinaryIO] = {}

    def add(self, data: bytes | Stored) -> tuple[int, int] | Stored:
        """Keep `data` (or note where a worker kept it); returns where it is, for `get`."""
        if isinstance(data, Stored):
            return data
        self._file.seek(self._end)
        self._file.write(data)
        where = (self._end, len(data))
        self._end += len(data)
        return where

    def get(self, where: tuple[int, int] | Stored) -> bytes:
        if isinstance(where, Stored):
            handle = self._others.get(where.path)
            if handle is None:
                handle = self._others[where.path] = open(where.path, "rb")  # noqa: SIM115 - closed by close()
            handle.seek(where.offset)
            return handle.read(where.size)
        start, size = where
        self._file.seek(start)
        return self._file.read(size)

    def close(self) -> None:
        self._file.close()
        for handle in self._others.values():
            handle.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


_part_files: dict[Path, BinaryIO] = {}
"""This process's file of stored parts in each spool folder, opened with its first part there."""


def store_part(folder: Path, data: bytes | Stored | None) -> bytes | Stored | None:
    """Keep a rendered part in this process's own file in `folder` (a private folder the caller
    made, which no other process writes this file in) and give back where it is."""
    if not isinstance(data, bytes):
        return data
    file = _part_files.get(folder)
    if file is None:
        file = _part_files[folder] = open(folder / f"parts-{os.getpid()}.bin", "xb")  # noqa: SIM115 - kept open
    offset = file.tell()
    file.write(data)
    return Stored(file.name, offset, len(data))


def flush_parts(folder: Path) -> None:
    """Hand what this process stored in `folder` to the operating system, for the caller to read."""
    file = _part_files.get(folder)
    if file is not None:
        file.flush()
