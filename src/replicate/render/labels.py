"""Words shown to readers for the plan's codes, shared by every human-readable renderer."""

from __future__ import annotations

from ..facts import Value
from ..guidance import THEME_TITLES
from ..rules.templates import NOT_STATED, show

VERDICT_TITLES = {
    "go": "GO AHEAD",
    "go_with_conditions": "GO AHEAD ONCE CONDITIONS ARE MET",
    "not_yet": "NOT YET",
    "do_not_replicate": "DO NOT REPLICATE HERE",
}
PRINCIPLE_STATUS = {"keep": "keep exactly", "tailor": "tailor within the framework", "at_risk": "AT RISK"}
COMPONENT_STATUS = {
    "deliver": "deliver",
    "tailor": "tailor to local need",
    "build_on": "build on existing service",
    "drop": "drop",
}
PHASE_TITLES = {
    "before_launch": "Before launch",
    "first_six_months": "First six months",
    "ongoing": "Ongoing",
}


def theme_title(theme: str) -> str:
    return THEME_TITLES.get(theme, theme)


def matched_text(matched: dict[str, object]) -> str:
    """`site.setting = rural; partner.critical = yes` — the facts a finding rested on."""
    parts = []
    for path, value in matched.items():
        shown = NOT_STATED if value is None else show(tuple(value) if isinstance(value, list) else value)  # type: ignore[arg-type]
        parts.append(f"{path} = {shown}")
    return "; ".join(parts)


__all__ = ["Value"]
