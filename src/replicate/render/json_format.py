"""The JSON rendering: the plan model itself, so embedders and the CLI share one document."""

from __future__ import annotations

from ..plan import AdaptationPlan


def render_json(plan: AdaptationPlan) -> str:
    return plan.model_dump_json(indent=2) + "\n"
