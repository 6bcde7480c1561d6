"""Renderers: the last stage of the pipeline. Each takes an `AdaptationPlan` and returns text;
none of them computes anything the plan does not already hold.

The renderers are imported when first asked for, so that importing one of them (`render.text`
for a plan in the terminal) does not import the others (Jinja2 for HTML)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..plan import AdaptationPlan
    from .html import render_html
    from .json_format import render_json
    from .markdown import render_markdown
    from .text import render_text

Renderer = Callable[["AdaptationPlan"], str]
_MODULES = {"render_html": ".html", "render_json": ".json_format", "render_markdown": ".markdown",
            "render_text": ".text"}
_FORMATS = {"text": "render_text", "markdown": "render_markdown", "json": "render_json", "html": "render_html"}


def _renderers() -> dict[str, Renderer]:
    return {name: getattr(importlib.import_module(_MODULES[function], __name__), function)
            for name, function in _FORMATS.items()}


def __getattr__(name: str) -> Any:
    if name == "RENDERERS":
        value: Any = _renderers()
    elif name in _MODULES:
        value = getattr(importlib.import_module(_MODULES[name], __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


if TYPE_CHECKING:
    RENDERERS: dict[str, Renderer]

__all__ = ["RENDERERS", "Renderer", "render_html", "render_json", "render_markdown", "render_text"]
