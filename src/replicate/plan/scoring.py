"""Readiness by theme: a transparent score from what is known, with a separate confidence.

Every theme starts at 100. Each risk finding of the theme keeps only part of what is left (the
`readiness_keeps_*` parameters: by default 70% for a high risk, 85% medium, 95% low). Strengths are
counted and shown but do not raise the score; they break ties.

What is not known does not move the score: it lowers the theme's *confidence*, how much of
what the theme's rules read the profile states. A profile that says little therefore
shows high scores with low confidence, is marked unrated below `readiness_min_confidence`, and
cannot get a "go" (the decision model asks for the information instead). Keeping the two apart
stops readiness from rewarding silence: an honest "no" costs a risk, an omission costs confidence.

Multiplying rather than subtracting means a theme never sinks to a floor where further risks stop
counting, and the score is monotone: removing a risk can never lower it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from ..findings import Finding
from ..guidance import THEMES
from .decision import DecisionParameters, theme_score
from .model import ThemeReadiness


def _percent(value: Fraction | float) -> str:
    return f"{float(value) * 100:g}%"


def method(params: DecisionParameters, findings: Sequence[Finding] = ()) -> str:
    """How the scores were made. A rule may score a whole section left out as a gap of its own (no
    existing services listed): the plan then names it, or 'unanswered questions do not change the
    score' would be untrue of it (982, 983)."""
    gaps = [f.title for f in findings if not f.is_strength and f.matched
            and all(value is None for value in f.matched.values())]
    unless = (f" (except a gap scored as a risk in its own right: {'; '.join(dict.fromkeys(gaps))})"
              if gaps else "")
    recorded = ("; a risk whose launch condition the site records as done (actions_done) keeps all of it"
                if any(f.done is not None for f in findings) else "")
    return (
        f"Each theme starts at 100. Each known risk keeps {_percent(params.keeps_high)} of the score (high), "
        f"{_percent(params.keeps_medium)} (medium) or {_percent(params.keeps_low)} (low); the result is rounded "
        f"down{recorded}. Unanswered questions do not change the score{unless}: they lower the theme's "
        f"confidence (the share of the site fields its rules read that the profile states), and below "
        f"{_percent(params.readiness_min_confidence)} confidence the score is shown as unrated. Themes are "
        "listed weakest first."
    )


def readiness(findings: Sequence[Finding], open_by_theme: Mapping[str, int], confidence: Mapping[str, float],
              params: DecisionParameters) -> list[ThemeReadiness]:
    """Scores for every theme, weakest first (unrated themes after rated ones of the same score).
    `open_by_theme` counts the checks missing information left open."""
    scores = []
    for theme in THEMES:
        mine = [f for f in findings if f.theme == theme]
        risks = [f for f in mine if not f.is_strength]
        strengths = [f for f in mine if f.is_strength]
        sure = confidence.get(theme, 1.0)
        scores.append(
            ThemeReadiness(
                theme=theme,
                # A risk whose launch condition the site records as done holds nothing (actions_done).
                score=theme_score([f.severity for f in risks if f.done is None], params),
                confidence=round(sure, 2),
                rated=sure >= params.readiness_min_confidence,
                # An info finding only explains (a claim not counted, what three gaps add up to):
                # counted, it read as a fourth risk beside a score three had set (1593).
                risks=sum(1 for f in risks if f.severity != "info" and f.done is None),
                # Counted as risks beside a score they no longer lower, they read as a contradiction
                # ("Impact 100, 1 risk", 2021).
                risks_met=sum(1 for f in risks if f.severity != "info" and f.done is not None),
                strengths=len(strengths),
                undetermined_rules=open_by_theme.get(theme, 0),
            )
        )
    order = {theme: index for index, theme in enumerate(THEMES)}
    return sorted(scores, key=lambda s: (s.score, not s.rated, s.strengths, order[s.theme]))
