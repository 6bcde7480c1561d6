"""The decision model's numbers, each a named parameter of the rule base (a council's pack may
change any of them), read once into a frozen record the model's pure functions take."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

DECISION_PARAMETERS = (
    "readiness_keeps_high",
    "readiness_keeps_medium",
    "readiness_keeps_low",
    "decision_medium_risks_per_high",
    "decision_theme_floor",
    "decision_theme_block_floor",
    "decision_serious_themes_for_not_yet",
    "decision_min_theme_confidence",
    "readiness_min_confidence",
    "review_every_months",
    "reviews_over_run_min",
    "funding_decision_notice_months",
)
"""The parameters the decision model reads; every plan records their values."""


@dataclass(frozen=True)
class DecisionParameters:
    keeps_high: Fraction
    keeps_medium: Fraction
    keeps_low: Fraction
    medium_risks_per_high: int
    theme_floor: int
    theme_block_floor: int
    serious_themes_for_not_yet: int
    min_theme_confidence: float
    readiness_min_confidence: float
    review_every_months: int
    reviews_over_run_min: int
    funding_decision_notice_months: int
    _scores: dict[tuple[int, int, int], int] = field(default_factory=dict, compare=False, hash=False, repr=False)
    """Scores by mix of severities, worked out once: a plan asks for the same few many times, and
    `from_values` gives every plan with the same numbers the same instance."""

    @classmethod
    def from_values(cls, values: Mapping[str, float]) -> DecisionParameters:
        """Read the model's numbers from the rule base's parameters (a pack may have changed them)."""
        missing = [name for name in DECISION_PARAMETERS if name not in values]
        if missing:
            raise KeyError(f"the rule base defines no parameter {', '.join(missing)}")
        return _parameters(tuple(float(values[name]) for name in DECISION_PARAMETERS))

    @classmethod
    def _read(cls, numbers: tuple[float, ...]) -> DecisionParameters:
        values = dict(zip(DECISION_PARAMETERS, numbers, strict=True))
        return cls(
            keeps_high=Fraction(str(values["readiness_keeps_high"])),
            keeps_medium=Fraction(str(values["readiness_keeps_medium"])),
            keeps_low=Fraction(str(values["readiness_keeps_low"])),
            medium_risks_per_high=max(1, int(values["decision_medium_risks_per_high"])),
            theme_floor=int(values["decision_theme_floor"]),
            theme_block_floor=int(values["decision_theme_block_floor"]),
            serious_themes_for_not_yet=max(1, int(values["decision_serious_themes_for_not_yet"])),
            min_theme_confidence=float(values["decision_min_theme_confidence"]),
            readiness_min_confidence=float(values["readiness_min_confidence"]),
            review_every_months=max(1, int(values["review_every_months"])),
            reviews_over_run_min=max(1, int(values["reviews_over_run_min"])),
            funding_decision_notice_months=max(0, int(values["funding_decision_notice_months"])),
        )

    def keeps(self, severity: str) -> Fraction:
        return {"high": self.keeps_high, "medium": self.keeps_medium, "low": self.keeps_low}.get(severity, Fraction(1))


@lru_cache(maxsize=64)
def _parameters(numbers: tuple[float, ...]) -> DecisionParameters:
    return DecisionParameters._read(numbers)
