"""Advice text with `{field.path}` placeholders, filled from the facts a finding matched.

Deliberately not `str.format` or a template engine: a placeholder can only name a field, so
advice text can never reach attributes or run code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..facts import Value

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")
NOT_STATED = "(not stated)"


def placeholders(text: str) -> list[tuple[str, int]]:
    """Each placeholder's field path and its 1-based column in the text."""
    return [(match.group(1), match.start() + 1) for match in PLACEHOLDER.finditer(text)]


def show(value: Value | None) -> str:
    if value is None:
        return NOT_STATED
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return ", ".join(value) if value else "none"
    return str(value)


def fill(text: str, values: Mapping[str, Value]) -> str:
    return PLACEHOLDER.sub(lambda match: show(values.get(match.group(1))), text)
