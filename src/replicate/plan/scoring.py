"""Readiness by theme: a transparent score the reader can recompute by hand.

Every theme starts at 100. Each risk finding of the theme keeps only part of what is left: a
high-severity risk keeps 70%, a medium one 85%, a low one 95%. Each risk rule of the theme that
missing information left open keeps 98%, so a profile that says little cannot look ready. Strengths
are counted and shown but do not raise the score: a score is the risks that stand in the way, and
strengths break ties (more strengths ranks as readier).

Multiplying rather than subtracting means a theme never sinks to a floor where further risks stop
counting, and the score is monotone: removing a risk, or answering a question so that an open rule
is settled either way, can never lower it (a settled risk costs at least as much as an open one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from math import floor

from ..findings import Finding
from ..guidance import THEMES
from .model import ThemeReadiness

KEEPS = {"high": Fraction(70, 100), "medium": Fraction(85, 100), "low": Fraction(95, 100), "info": Fraction(1)}
"""The share of a theme's score a risk finding of each severity leaves (exact, so rounding never
makes one more risk look better than one fewer)."""
OPEN_KEEPS = Fraction(98, 100)
"""The share an open risk rule (one missing information left undecided) leaves."""
METHOD = (
    "Each theme starts at 100. Each risk finding keeps 70% of the score (high), 85% (medium) or "
    "95% (low); each risk rule left open by missing information keeps 98%. Strengths do not change "
    "the score; they break ties. The result is rounded down. Themes are listed weakest first."
)


def theme_score(risk_severities: Sequence[str], open_risk_rules: int) -> int:
    """The readiness of one theme from its risk findings' severities and its open risk rules."""
    score = Fraction(100)
    for severity in risk_severities:
        score *= KEEPS[severity]
    score *= OPEN_KEEPS**open_risk_rules
    return max(0, min(100, floor(score)))


def readiness(findings: Sequence[Finding], undetermined: Mapping[str, int]) -> list[ThemeReadiness]:
    """Scores for every theme, weakest first. `undetermined` counts open risk rules by theme."""
    scores = []
    for theme in THEMES:
        mine = [f for f in findings if f.theme == theme]
        risks = [f for f in mine if not f.is_strength]
        strengths = [f for f in mine if f.is_strength]
        scores.append(
            ThemeReadiness(
                theme=theme,
                score=theme_score([f.severity for f in risks], undetermined.get(theme, 0)),
                risks=len(risks),
                strengths=len(strengths),
                undetermined_rules=undetermined.get(theme, 0),
            )
        )
    order = {theme: index for index, theme in enumerate(THEMES)}
    return sorted(scores, key=lambda s: (s.score, s.strengths, order[s.theme]))
