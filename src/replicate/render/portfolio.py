"""The portfolio summary as a text table, Markdown, CSV and JSON (the HTML page is in `html.py`).

Text cells come from input (site names, sources), so CSV cells are neutralised against formula
injection and every other format has its control characters escaped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from ..guidance import THEMES
from ..portfolio import RANKING_METHOD, THEME_SHORT, Portfolio
from ..terminal import escape_controls
from .labels import VERDICT_TITLES, theme_title

CSV_COLUMNS: tuple[str, ...] = (
    "rank",
    "site_id",
    "site_name",
    "source",
    "decision",
    "high",
    "medium",
    "low",
    "strengths",
    "weakest_theme",
    "overall",
    "confidence",
    "assured",
    *(f"readiness_{theme}" for theme in THEMES),
)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV injection")."""


def neutralised(cell: object) -> object:
    """A text cell a spreadsheet will show as text, never run: prefixed with `'` when it starts like a
    formula. Numbers are written as they are (a negative number is not a formula)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def render_csv(portfolio: Portfolio) -> str:
    """One row per advised site, ranked; one `readiness_<theme>` column per theme. Site names and
    sources come from input, so every text cell is neutralised against formula injection."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for row in portfolio.sites:
        writer.writerow(neutralised(cell) for cell in [
            row.rank, row.site_id, row.site_name, row.source, row.decision, row.high, row.medium, row.low,
            row.strengths, row.weakest_theme or "", f"{row.overall:.1f}", f"{row.confidence:.2f}",
            f"{row.assured:.1f}", *(row.readiness.get(theme, "") for theme in THEMES),
        ])
    return out.getvalue()


def render_json(portfolio: Portfolio) -> str:
    return portfolio.model_dump_json(indent=2) + "\n"


def _table(headings: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headings)]

    def line(cells: Sequence[str]) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        padded = (c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in pairs)
        return "  ".join(padded).rstrip()

    return [line(headings), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def _error_lines(portfolio: Portfolio) -> list[str]:
    lines = []
    for error in portfolio.errors:
        lines += [f"- {problem}" for problem in error.problems]
    return lines


def render_table(portfolio: Portfolio) -> str:
    """A plain-text table for the terminal: one line per site, most ready first."""
    headings = ["#", "Site", "Decision", "High", "Med", "Low", "Weakest theme", "Mean", "Known", "Assured",
                *(THEME_SHORT[t] for t in THEMES)]
    rows = [
        [str(r.rank), r.site_id, r.decision, str(r.high), str(r.medium), str(r.low),
         THEME_SHORT.get(r.weakest_theme or "", "-"), f"{r.overall:.1f}", f"{round(r.confidence * 100)}%",
         f"{r.assured:.1f}",
         *(str(r.readiness.get(t, "-")) for t in THEMES)]
        for r in portfolio.sites
    ]
    right = {0, 3, 4, 5, *range(7, len(headings))}
    title = f"Portfolio: {portfolio.programme.name}" if portfolio.programme else "Portfolio"
    out = [title, f"{len(portfolio.sites)} site(s) advised, {len(portfolio.errors)} could not be read.", ""]
    out += _table(headings, rows, right)
    out += ["", RANKING_METHOD]
    if portfolio.errors:
        out += ["", "Could not advise:", *_error_lines(portfolio)]
    return escape_controls("\n".join(out) + "\n")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(portfolio: Portfolio) -> str:
    title = f"# Portfolio: {portfolio.programme.name}" if portfolio.programme else "# Portfolio"
    headings = ["Rank", "Site", "Decision", "High", "Medium", "Low", "Weakest theme", "Mean readiness",
                "Known", "Assured readiness", *(theme_title(t) for t in THEMES)]
    rule = "|" + "---:|" + "---|" * 2 + "---:|" * 3 + "---|" + "---:|" * 10
    out = [title, "", "| " + " | ".join(headings) + " |", rule]
    for r in portfolio.sites:
        weakest = theme_title(r.weakest_theme) if r.weakest_theme else "-"
        verdict = VERDICT_TITLES[r.decision].capitalize()
        cells = [str(r.rank), f"{_cell(r.site_name)} (`{r.site_id}`)", verdict,
                 str(r.high), str(r.medium), str(r.low), weakest, f"{r.overall:.1f}",
                 f"{round(r.confidence * 100)}%", f"{r.assured:.1f}", *(str(r.readiness.get(t, "-")) for t in THEMES)]
        out.append("| " + " | ".join(cells) + " |")
    out += ["", f"_{RANKING_METHOD}_"]
    if portfolio.errors:
        out += ["", "## Could not advise", "", *_error_lines(portfolio)]
    return escape_controls("\n".join(out) + "\n")


PORTFOLIO_RENDERERS = {
    "text": render_table,
    "markdown": render_markdown,
    "csv": render_csv,
    "json": render_json,
}
