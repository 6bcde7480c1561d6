"""A portfolio summary: one row per site of a batch, ranked from most to least ready.

People who look after many sites need to see at a glance which are ready to go and which need
work first, and on what. Each row condenses one plan (its decision, how many high, medium and low
risks it found, its weakest theme and its readiness score for every theme); the ranking uses
nothing but those numbers, so a reader can check it by hand. The summary renders as a text
table, Markdown, CSV and JSON (`render/portfolio.py`) and as an HTML page (`render/html.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field

from .errors import Problem
from .guidance import THEMES, Theme
from .plan.model import VERDICT_ORDER as _VERDICTS
from .plan.model import AdaptationPlan, ProfileRef, Verdict

VERDICT_ORDER: dict[str, int] = {verdict: index for index, verdict in enumerate(_VERDICTS)}
RANKING_METHOD = (
    "Sites are ranked by decision first (go ahead, go ahead once conditions are met, information needed, not "
    "yet, do not replicate), then by assured readiness (each theme's readiness times its confidence, averaged: "
    "what is not known counts for nothing, so a profile that says little cannot rank as ready), then by fewer "
    "high, medium and low risk findings, then by site id."
)
THEME_SHORT: dict[str, str] = {
    "cultural_change": "Culture",
    "partnership_working": "Partners",
    "flexibility": "Flex",
    "resources": "Resources",
    "operational_model": "Ops",
    "impact": "Impact",
    "buy_in": "Buy-in",
}
"""Column headings for the text table, where the full theme titles would not fit."""


class _Model(BaseModel):
    model_config = ConfigDict(defer_build=True, frozen=True)


class PortfolioRow(_Model):
    """One site of a portfolio, condensed from its plan."""

    rank: int = Field(ge=1, description="1 is the most ready site.")
    site_id: str
    site_name: str
    source: str = Field(description="The file (or file:line) the site profile was read from.")
    decision: Verdict
    high: int = Field(ge=0, description="Risk findings of high severity.")
    medium: int = Field(ge=0)
    low: int = Field(ge=0)
    strengths: int = Field(ge=0)
    weakest_theme: Theme | None
    overall: float = Field(ge=0, le=100, description="Mean readiness across the themes, to one decimal.")
    confidence: float = Field(ge=0, le=1, description="Mean confidence across the themes (share of checks decided).")
    assured: float = Field(
        ge=0, le=100, description="Mean of readiness x confidence across the themes, to one decimal: the ranking key."
    )
    readiness: dict[Theme, int] = Field(description="Readiness score (0-100) of every theme.")


class PortfolioError(_Model):
    """A site profile of the batch that could not be advised, and why."""

    source: str
    problems: list[str]


class Portfolio(_Model):
    programme: ProfileRef | None
    ranking_method: str = RANKING_METHOD
    sites: list[PortfolioRow] = Field(description="Most ready first.")
    errors: list[PortfolioError]


def summarise_plan(plan: AdaptationPlan, source: str, rank: int = 1) -> PortfolioRow:
    """Condense one plan into a (not yet ranked) portfolio row."""
    risks = [f for f in plan.findings if not f.is_strength]
    scores = {entry.theme: entry.score for entry in plan.readiness}
    readiness = {theme: scores[theme] for theme in THEMES if theme in scores}
    overall = round(sum(readiness.values()) / len(readiness), 1) if readiness else 0.0
    count = max(1, len(plan.readiness))
    confidence = round(sum(entry.confidence for entry in plan.readiness) / count, 2)
    assured = round(sum(entry.score * entry.confidence for entry in plan.readiness) / count, 1)
    return PortfolioRow(
        rank=rank,
        site_id=plan.site.id,
        site_name=plan.site.name,
        source=source,
        decision=plan.decision.verdict,
        high=sum(1 for f in risks if f.severity == "high"),
        medium=sum(1 for f in risks if f.severity == "medium"),
        low=sum(1 for f in risks if f.severity == "low"),
        strengths=len(plan.findings) - len(risks),
        weakest_theme=plan.readiness[0].theme if plan.readiness else None,
        overall=overall,
        confidence=confidence,
        assured=assured,
        readiness=readiness,
    )


def _readiness_key(row: PortfolioRow) -> tuple[int, int, int, int, int, int, str, str]:
    total = sum(row.readiness.values())
    count = max(1, len(row.readiness))
    scaled_mean = total * 10_000 // count  # exact mean readiness, only to break ties in `assured`
    return (VERDICT_ORDER[row.decision], -round(row.assured * 10), -scaled_mean, row.high, row.medium, row.low,
            row.site_id, row.source)


def rank_order(rows: Sequence[PortfolioRow]) -> list[int]:
    """The indices of `rows` from most to least ready: the order `rank_rows` puts them in."""
    return sorted(range(len(rows)), key=lambda index: _readiness_key(rows[index]))


def rank_rows(rows: Iterable[PortfolioRow]) -> list[PortfolioRow]:
    """Order rows from most to least ready and number them 1..n. The order depends only on the
    rows' contents, never on the order they arrived in."""
    listed = list(rows)
    return [listed[index].model_copy(update={"rank": rank})
            for rank, index in enumerate(rank_order(listed), start=1)]


def portfolio_of_rows(
    programme: ProfileRef | None,
    rows: Iterable[PortfolioRow],
    errors: Sequence[tuple[str, Sequence[Problem]]] = (),
) -> Portfolio:
    """The portfolio of rows already condensed from their plans (by worker processes, say)."""
    return Portfolio(
        programme=programme,
        sites=rank_rows(rows),
        errors=[PortfolioError(source=source, problems=[str(p) for p in problems])
                for source, problems in errors],
    )


def build_portfolio(
    plans: Sequence[tuple[str, AdaptationPlan]],
    errors: Sequence[tuple[str, Sequence[Problem]]] = (),
) -> Portfolio:
    """The portfolio of a batch: `plans` are (source, plan) pairs, `errors` (source, problems)."""
    programme = plans[0][1].programme if plans else None
    return portfolio_of_rows(programme, (summarise_plan(plan, source) for source, plan in plans), errors)
