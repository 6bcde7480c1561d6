"""Text from input made safe to print: control characters escaped, very long paths shortened.

A site name or a path comes from whoever wrote the file. Printed as it is, an escape sequence in it
would retitle the window, ring the bell or rewrite what is already on the screen; a 5,000-character
path would bury the message that names it. Every error message and every text or Markdown plan
goes through here before it reaches a terminal.
"""

from __future__ import annotations

import re

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""C0 (except tab and newline), DEL, C1 and the bidirectional overrides that reorder what is shown."""
_CONTROLS_ONE_LINE = re.compile(_CONTROLS.pattern[:1] + r"\t\n" + _CONTROLS.pattern[1:])

MAX_SHOWN_PATH = 160
"""Longer paths are shown by their beginning and end, which is what identifies them."""


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """Escape every character that would act on a terminal rather than print (ESC, BEL, CR, ...);
    tabs and newlines, which a document needs, are kept."""
    return _CONTROLS.sub(_escape, text)


def one_line(text: str) -> str:
    """`escape_controls`, and tabs and newlines escaped too: for a value inside a one-line message."""
    return _CONTROLS_ONE_LINE.sub(_escape, text)


def shown_path(text: str) -> str:
    """A path as a message shows it: control characters escaped, and shortened if very long."""
    text = one_line(text)
    if len(text) <= MAX_SHOWN_PATH:
        return text
    keep = MAX_SHOWN_PATH // 2
    return f"{text[:keep]}...({len(text) - 2 * keep:,} characters)...{text[-keep:]}"
