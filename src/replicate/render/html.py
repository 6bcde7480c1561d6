"""HTML rendering: one self-contained page per plan, and a portfolio page for a batch.

The page is meant to be e-mailed, attached to a board paper or opened from a shared drive, so it
needs nothing but a browser: styles are inline, the readiness chart is inline SVG drawn here from
the plan's scores, and there is no script, font, image or link to fetch. Every value from the
input is escaped by Jinja2's autoescaping; nothing is computed that the plan does not hold, apart
from the chart's geometry.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from ..findings import Finding
from ..guidance import GUIDANCE_TITLE
from ..plan import AdaptationPlan
from ..plan.model import Action, ThemeReadiness
from .action_tags import held_by, priority_label
from .labels import (
    COMPONENT_STATUS,
    NO_PRINCIPLES,
    PHASE_TITLES,
    VERDICT_SHORT,
    VERDICT_TITLES,
    applies_to,
    decides_label,
    fidelity_line,
    finding_marks,
    guidance_once,
    listed_findings,
    matched_text,
    principle_label,
    recorded_line,
    review_line,
    shows_proviso,
    sustaining_heading,
    theme_title,
)
from .question_labels import (
    decision_move,
    decision_move_cell,
    listed_questions,
    missing_heading,
    owner_questions_line,
    question_reason,
    questions_heading,
)
from .text import to_do

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup

    from ..portfolio import Portfolio, PortfolioRow
    from ..whatif.model import WhatIf

CHART_WIDTH = 640
LABEL_WIDTH = 190
BAR_AREA = 380
ROW_HEIGHT = 30
BAR_HEIGHT = 18


@dataclass(frozen=True)
class Bar:
    """One theme's bar in the readiness chart, in SVG user units."""

    label: str
    score: int
    y: int
    width: int
    band: str
    """`weak` (below 50), `fair` (50-79) or `strong` (80 and above): the bar's colour class."""


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    bar_area: int
    bar_height: int
    bars: tuple[Bar, ...]


def band(score: int) -> str:
    return "weak" if score < 50 else "fair" if score < 80 else "strong"


def readiness_chart(readiness: Sequence[ThemeReadiness]) -> Chart:
    """Horizontal bars in the plan's order (weakest first), scaled so 100 fills the bar area."""
    bars = tuple(
        Bar(theme_title(entry.theme), entry.score, index * ROW_HEIGHT + 6, round(BAR_AREA * entry.score / 100),
            band(entry.score))
        for index, entry in enumerate(readiness)
    )
    return Chart(CHART_WIDTH, len(bars) * ROW_HEIGHT + 12, LABEL_WIDTH, BAR_AREA, BAR_HEIGHT, bars)


def _findings_by_ref(plan: AdaptationPlan) -> dict[str, Finding]:
    return {f.ref: f for f in plan.findings}


def _phases(actions: Sequence[Action]) -> list[tuple[str, list[Action]]]:
    return [(PHASE_TITLES[phase], list(group)) for phase, group in itertools.groupby(actions, key=lambda a: a.phase)]


@cache
def _environment() -> Environment:
    """Built once per process; a Jinja2 environment is safe to render from many threads."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    environment = Environment(
        loader=PackageLoader("replicate.render", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(
        verdict_titles=VERDICT_TITLES,
        verdict_short=VERDICT_SHORT,
        decision_move=decision_move,
        decision_move_cell=decision_move_cell,
        questions_heading=questions_heading,
        shows_proviso=shows_proviso,
        missing_heading=missing_heading,
        owner_questions_line=owner_questions_line,
        review_line=review_line,
        fidelity_line=fidelity_line,
        to_do=to_do,
        applies_to=applies_to,
        finding_marks=finding_marks,
        listed_findings=listed_findings,
        listed_questions=listed_questions,
        question_reason=question_reason,
        principle_label=principle_label,
        sustaining_heading=sustaining_heading,
        no_principles=NO_PRINCIPLES,
        component_status=COMPONENT_STATUS,
        theme_title=theme_title,
        decides_label=decides_label,
        matched_text=matched_text,
        chart_for=readiness_chart,
        phases_of=_phases,
        findings_by_ref=_findings_by_ref,
        priority_label=priority_label,
        held_by=held_by,
        guidance_once=guidance_once,
        recorded_line=recorded_line,
        guidance_title=GUIDANCE_TITLE,
    )
    return environment


def render_html(plan: AdaptationPlan, whatif: WhatIf | None = None) -> str:
    """The plan as one self-contained HTML page; with a what-if result, a panel of what would
    change the decision (worked out beforehand: the page stays static)."""
    from .whatif import whatif_panel

    panel = whatif_panel(whatif) if whatif is not None else None
    return _environment().get_template("report.html.j2").render(plan=plan, panel=panel)


class Card(NamedTuple):
    """One site's share of the portfolio page, rendered where its plan was made (already escaped)."""

    chart: Markup
    """The compact readiness chart on the site's card."""
    body: Markup
    """The whole plan, under the site's heading in the list of plans."""


def portfolio_card(plan: AdaptationPlan) -> tuple[str, str]:
    """The chart and body of `plan` for the portfolio page, as text (it crosses between processes)."""
    environment = _environment()
    chart = environment.get_template("_chart.html.j2").module.readiness_chart(  # type: ignore[attr-defined]
        plan.readiness, compact=True)
    body = environment.get_template("_plan.html.j2").module.plan_body(plan, level=3)  # type: ignore[attr-defined]
    return str(chart), str(body)


def card(chart: str, body: str) -> Card:
    """A card from text made by `portfolio_card` (trusted: this package escaped it)."""
    from markupsafe import Markup

    return Card(Markup(chart), Markup(body))  # rendered by our own autoescaping templates


def portfolio_html_chunks(portfolio: Portfolio, ranked: Iterable[tuple[PortfolioRow, Card]]) -> Iterator[str]:
    """The portfolio page in pieces, for writing as it is made. `ranked` pairs each row of
    `portfolio.sites`, in that order, with its card; it is iterated twice (the cards, then the
    plans), so it must be a collection or an object that starts again on each `iter()`."""
    return _environment().get_template("portfolio.html.j2").generate(portfolio=portfolio, ranked=ranked)


def render_portfolio_html(portfolio: Portfolio, plans: Sequence[tuple[str, AdaptationPlan]]) -> str:
    """A batch as one page: the ranked summary, the sites side by side, then every site's plan.

    `plans` are the (source, plan) pairs the portfolio was built from; they are shown in the
    portfolio's ranked order."""
    by_source = dict(plans)
    ranked = [(row, card(*portfolio_card(by_source[row.source]))) for row in portfolio.sites
              if row.source in by_source]
    return "".join(portfolio_html_chunks(portfolio, ranked))
