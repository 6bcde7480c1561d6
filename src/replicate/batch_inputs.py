"""Reading a batch: files, folders and JSON Lines (a `.jsonl` file, or `-` for standard input),
taken lazily one site at a time, so a batch of any length is read in bounded memory.

Nothing here reads a profile's contents: each `SiteInput` says where one site is (a file, or one
line of JSON Lines with its number), or why it could not even be found, and the advisor validates
it later, naming that file and line.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from .errors import InputError, Problem
from .input_files import exists, is_dir, open_regular, os_reason

STDIN = "-"
SITE_SUFFIXES = (".json", ".jsonl")


@dataclass(frozen=True)
class SiteInput:
    """One site profile of a batch, not yet read: a file, or one line of JSON Lines."""

    source: str
    """Where it came from, as shown in messages: a path, or `<stdin>`/a .jsonl path."""
    path: Path | None = None
    text: str | None = None
    line: int | None = None
    problem: Problem | None = None
    """Set when the input could not even be found or read (a missing file, an empty folder)."""

    @property
    def label(self) -> str:
        return f"{self.source}:{self.line}" if self.line is not None else self.source


BOM = "\ufeff"


def _decoded(raw: bytes | str, source: str, number: int) -> tuple[str | None, Problem | None]:
    """One line as text, or the problem with it: a bad byte spoils its own line, no other."""
    if isinstance(raw, str):
        return raw, None
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        message = f"not UTF-8 text: byte {raw[error.start]:#04x} at column {error.start + 1:,}"
        return None, Problem(source, message=message, line=number)


def _json_lines(stream: BinaryIO | TextIO, source: str) -> Iterator[SiteInput]:
    """One `SiteInput` per non-blank line, read as a stream when asked for: never more than one
    line of at most `MAX_INPUT_BYTES` held at a time, whatever the file's size (or a stream with no
    size at all). A line over the limit is refused and reading stops there, since the rest may
    never end (`/dev/zero` has no newlines). Files and standard input are read the same way."""
    from .loading import MAX_INPUT_BYTES  # here: starting worker processes must not wait for the models

    number = 0
    found = False
    while True:
        try:
            raw: bytes | str = stream.readline(MAX_INPUT_BYTES + 1)
        except (OSError, UnicodeDecodeError) as error:
            reason = f"not UTF-8 text: {error.reason}" if isinstance(error, UnicodeDecodeError) else os_reason(error)
            yield SiteInput(source, line=number + 1, problem=Problem(source, message=reason, line=number + 1))
            return
        if not raw:
            break
        number += 1
        if len(raw) > MAX_INPUT_BYTES:
            message = f"line is over the limit of {MAX_INPUT_BYTES:,} bytes; nothing after it was read"
            yield SiteInput(source, line=number, problem=Problem(source, message=message, line=number))
            return
        text, problem = _decoded(raw, source, number)
        if problem is not None:
            found = True
            yield SiteInput(source, line=number, problem=problem)
            continue
        assert text is not None
        if number == 1:
            text = text.removeprefix(BOM)
        if text.strip():
            found = True
            yield SiteInput(source=source, text=text, line=number)
    if not found:
        message = "no site profiles: the input is empty (JSON Lines has one site profile object per line)"
        yield SiteInput(source, problem=Problem(source, message=message))


def _from_path(path: Path) -> Iterator[SiteInput]:
    source = str(path)
    if is_dir(path):
        try:
            files = sorted(p for p in path.iterdir() if p.suffix in SITE_SUFFIXES and p.is_file())
        except OSError as error:
            yield SiteInput(source, problem=Problem(source, message=f"cannot read: {os_reason(error)}"))
            return
        if not files:
            message = "folder holds no .json or .jsonl site profiles"
            yield SiteInput(source, problem=Problem(source, message=message))
        for file in files:  # just listed as regular files: only JSON Lines needs more than its path
            yield from _from_path(file) if file.suffix == ".jsonl" else (SiteInput(str(file), path=file),)
        return
    if not exists(path):
        try:
            os.stat(path)
        except (OSError, ValueError) as error:
            reason = "no such file or folder" if isinstance(error, FileNotFoundError) else os_reason(error)
            yield SiteInput(source, problem=Problem(source, message=f"cannot read: {reason}"))
            return
    if path.suffix == ".jsonl":
        with contextlib.ExitStack() as stack:
            try:
                handle = stack.enter_context(open_regular(path))
            except InputError as error:
                yield SiteInput(source, problem=error.problems[0])
                return
            yield from _json_lines(handle, source)
        return
    yield SiteInput(source, path=path)


def iter_site_inputs(arguments: Iterable[str | Path], stdin: TextIO | BinaryIO | None = None) -> Iterator[SiteInput]:
    """Expand the batch's arguments lazily, in order: a file is one site, a folder is its `.json`
    and `.jsonl` files in name order (not recursive), a `.jsonl` file or `-` (standard input) is
    one site per non-blank line, read only as far as the caller has asked. Nothing is parsed yet."""
    for argument in arguments:
        if str(argument) == STDIN:
            stream = stdin if stdin is not None else sys.stdin
            # Bytes where the stream has them, so that a bad byte spoils only its own line.
            yield from _json_lines(getattr(stream, "buffer", stream), "<stdin>")
        else:
            yield from _from_path(Path(argument))


def read_site_inputs(arguments: Iterable[str | Path], stdin: TextIO | BinaryIO | None = None) -> list[SiteInput]:
    """Every input of the batch at once (`iter_site_inputs` reads them as they are needed)."""
    return list(iter_site_inputs(arguments, stdin))


