"""Opening input safely: only regular files, never more than a limit, never a hang, never a traceback.

A size from `stat` cannot be trusted: devices, pipes and standard input report none, and a file can
grow after it was measured. So every read here stops at `limit + 1` bytes and refuses the input if
it got that far. A FIFO or a device named as a path is refused before it is read (a FIFO would block
until a writer came; `/dev/zero` never ends). The path tests here answer "no" instead of raising
when the OS refuses the question (a name too long, a loop of links), so the caller's own message
about the file is what the user sees.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import InputError, Problem

_KINDS = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder", stat.S_IFLNK: "a symbolic link"}


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def os_reason(error: OSError | ValueError) -> str:
    """Why the OS refused, in its own words ("File name too long"), never a traceback."""
    if isinstance(error, OSError):
        return error.strerror or errno.errorcode.get(error.errno or 0, str(error))
    return str(error)  # a path with a NUL byte in it


def is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def _cannot(source: str, reason: str) -> InputError:
    return InputError([Problem(source, message=f"cannot read: {reason}")])


@contextlib.contextmanager
def open_regular(path: Path) -> Iterator[BinaryIO]:
    """Open `path` for reading if it is a regular file; raise `InputError` otherwise.

    Opened without blocking, so a FIFO is refused at once instead of waiting for a writer; the
    check is made on the opened file, so the file cannot be swapped between check and read."""
    source = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except (OSError, ValueError) as error:
        raise _cannot(source, os_reason(error)) from None
    try:
        mode = os.fstat(descriptor).st_mode
    except OSError as error:
        os.close(descriptor)
        raise _cannot(source, os_reason(error)) from None
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        message = f"cannot read: it is {kind_of(mode)}, not a regular file: give a file's path, or - for standard input"
        raise InputError([Problem(source, message=message)])
    with os.fdopen(descriptor, "rb") as handle:
        yield handle


def read_limited(stream: BinaryIO, source: str, limit: int) -> bytes:
    """Read at most `limit + 1` bytes, and refuse the input if there were more than `limit`."""
    try:
        data = stream.read(limit + 1)
    except OSError as error:
        raise _cannot(source, os_reason(error)) from None
    if len(data) > limit:
        raise InputError([Problem(source, message=f"input is over the limit of {limit:,} bytes; "
                                  "nothing more was read")])
    return data


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, whatever `stat` says about its size."""
    with open_regular(path) as handle:
        try:
            size = os.fstat(handle.fileno()).st_size
        except OSError:
            size = 0
        if size > limit:
            raise InputError([Problem(str(path), message=f"file is {size:,} bytes; the limit is {limit:,}")])
        return read_limited(handle, str(path), limit)
