"""Writing results: atomically, so a reader never sees half a file and a failure leaves any
existing file exactly as it was."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import OutputError, Problem


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` via a temporary file in the same folder and an atomic rename."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError([Problem(str(path), message=f"folder {str(folder)!r} does not exist")])
    if path.is_dir():
        raise OutputError([Problem(str(path), message="is a folder, not a file")])
    temporary = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=folder, prefix=f".{path.name}.", suffix=".tmp", delete=False
        ) as handle:
            temporary = Path(handle.name)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as error:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
        raise OutputError([Problem(str(path), message=f"cannot write: {error.strerror or error}")]) from None
