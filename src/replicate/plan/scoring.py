"""Readiness by theme: a transparent score the reader can recompute by hand.

Every theme starts at 100. Each risk finding of the theme takes off its severity's weight; each
strength adds a little back. The score is clamped to 0-100. It is deliberately simple (PSAT-style
domain scores): its job is to order the themes so the weakest is worked on first, and the plan
prints the method next to the numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..findings import Finding
from ..guidance import THEMES
from .model import ThemeReadiness

PENALTY = {"high": 30, "medium": 15, "low": 5, "info": 0}
STRENGTH_BONUS = 5
METHOD = (
    "Each theme starts at 100; each risk finding subtracts 30 (high), 15 (medium) or 5 (low); "
    "each strength adds 5; the result is kept between 0 and 100. Themes are listed weakest first. "
    "Rules that missing information left open count neither way: see the questions to answer."
)


def readiness(findings: Sequence[Finding], undetermined: Mapping[str, int]) -> list[ThemeReadiness]:
    scores = []
    for theme in THEMES:
        mine = [f for f in findings if f.theme == theme]
        risks = [f for f in mine if not f.is_strength]
        strengths = [f for f in mine if f.is_strength]
        raw = 100 - sum(PENALTY[f.severity] for f in risks) + STRENGTH_BONUS * len(strengths)
        scores.append(
            ThemeReadiness(
                theme=theme,
                score=max(0, min(100, raw)),
                risks=len(risks),
                strengths=len(strengths),
                undetermined_rules=undetermined.get(theme, 0),
            )
        )
    order = {theme: index for index, theme in enumerate(THEMES)}
    return sorted(scores, key=lambda s: (s.score, order[s.theme]))
