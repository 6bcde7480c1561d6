"""Renderers: the last stage of the pipeline. Each takes an `AdaptationPlan` and returns text;
none of them computes anything the plan does not already hold."""

from __future__ import annotations

from collections.abc import Callable

from ..plan import AdaptationPlan
from .html import render_html
from .json_format import render_json
from .markdown import render_markdown
from .text import render_text

Renderer = Callable[[AdaptationPlan], str]
RENDERERS: dict[str, Renderer] = {
    "text": render_text,
    "markdown": render_markdown,
    "json": render_json,
    "html": render_html,
}

__all__ = ["RENDERERS", "Renderer", "render_html", "render_json", "render_markdown", "render_text"]
