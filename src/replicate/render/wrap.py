"""Word wrapping for the text report, as `textwrap.wrap(..., break_long_words=False,
break_on_hyphens=False)` does it, in a fifth of the time.

The full text report wraps a couple of hundred paragraphs per plan, and `textwrap`'s general
machinery (chunk reversal, per-chunk bookkeeping) was nine-tenths of rendering it. This does the
same greedy fill over the same chunks; tests/test_wrap.py holds it to `textwrap` for any text.
"""

from __future__ import annotations

import re

_WHITESPACE = str.maketrans(dict.fromkeys("\t\n\x0b\x0c\r", " "))
_CHUNKS = re.compile(r"(\s+)")
_ONLY_SINGLE_SPACES = re.compile(r"\S+(?: \S+)* ?")
"""Words separated by single spaces (a trailing space allowed): what almost every paragraph is."""


def wrap(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> list[str]:
    """Lines of at most `width` columns (a word longer than that gets a line of its own), the
    first starting with `initial_indent` and the rest with `subsequent_indent`; whitespace at the
    ends of lines is dropped, and an empty text gives no lines."""
    if _ONLY_SINGLE_SPACES.fullmatch(text):
        return _wrap_single_spaced(text, width, initial_indent, subsequent_indent)
    chunks = [chunk for chunk in _CHUNKS.split(text.expandtabs().translate(_WHITESPACE)) if chunk]
    lines: list[str] = []
    position, count = 0, len(chunks)
    while position < count:
        indent = subsequent_indent if lines else initial_indent
        room = width - len(indent)
        if lines and chunks[position].isspace():  # a line after the first never starts with space
            position += 1
            if position == count:
                break
        line: list[str] = []
        used = 0
        while position < count and used + len(chunks[position]) <= room:
            used += len(chunks[position])
            line.append(chunks[position])
            position += 1
        if not line and position < count:  # a word longer than the line: alone on a line of its own
            line.append(chunks[position])
            position += 1
        if line and line[-1].isspace():
            line.pop()
        if line:
            lines.append(indent + "".join(line))
    return lines


def _wrap_single_spaced(text: str, width: int, initial_indent: str, subsequent_indent: str) -> list[str]:
    """The same, for words separated by single spaces: each line is found with one `rfind`
    rather than word by word."""
    lines: list[str] = []
    position, end_of_text = 0, len(text)
    while position < end_of_text:
        indent = subsequent_indent if lines else initial_indent
        if lines and text[position] == " ":
            position += 1
            if position == end_of_text:
                break
        end = position + width - len(indent)
        if end >= end_of_text:
            cut = end_of_text
        else:
            cut = text.rfind(" ", position, max(end + 1, position))  # (a negative end counts from the back)
            if cut == -1:  # the next word is longer than the line: alone on a line of its own
                cut = text.find(" ", position)
                cut = end_of_text if cut == -1 else cut
        line = text[position:cut].rstrip(" ")
        position = cut
        if line:
            lines.append(indent + line)
    return lines
