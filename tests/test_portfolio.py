"""The portfolio summary: rows condensed faithfully from plans, a ranking that depends only on the
rows' contents, and table, Markdown, CSV and JSON renderings that agree with one another."""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path

from api_support import PROGRAMME, sites_with_known_findings, write_pack
from hypothesis import given
from hypothesis import strategies as st

from replicate import Advisor, Portfolio, PortfolioRow, build_portfolio, load_programme, load_rule_base, load_site
from replicate.errors import Problem
from replicate.guidance import THEMES
from replicate.portfolio import VERDICT_ORDER, rank_rows
from replicate.render.portfolio import CSV_COLUMNS, render_csv, render_json, render_markdown, render_table

rows = st.builds(
    lambda i, decision, counts, scores, known: PortfolioRow(
        rank=1, site_id=f"site-{i}", site_name=f"Site {i}", source=f"f{i}.json", decision=decision,
        high=counts[0], medium=counts[1], low=counts[2], strengths=counts[3],
        weakest_theme=min(THEMES, key=lambda t: scores[THEMES.index(t)]),
        overall=round(sum(scores) / len(scores), 1), readiness=dict(zip(THEMES, scores, strict=True)),
        confidence=round(sum(known) / len(known) / 100, 2),
        assured=round(sum(s * k / 100 for s, k in zip(scores, known, strict=True)) / len(scores), 1),
    ),
    st.integers(0, 10_000),
    st.sampled_from(sorted(VERDICT_ORDER)),
    st.tuples(*[st.integers(0, 5)] * 4),
    st.lists(st.integers(0, 100), min_size=len(THEMES), max_size=len(THEMES)),
    st.lists(st.integers(0, 100), min_size=len(THEMES), max_size=len(THEMES)),  # confidence per theme, in %
)
portfolios = st.lists(rows, max_size=12, unique_by=lambda r: r.site_id)


def _mean(row: PortfolioRow) -> float:
    return sum(row.readiness.values()) / len(row.readiness)


@given(portfolios, st.randoms())
def test_ranking_depends_only_on_the_rows_and_orders_most_ready_first(
    unranked: list[PortfolioRow], random: object
) -> None:
    ranked = rank_rows(unranked)
    shuffled = list(unranked)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert rank_rows(shuffled) == ranked
    assert [r.rank for r in ranked] == list(range(1, len(unranked) + 1))
    assert sorted(r.site_id for r in ranked) == sorted(r.site_id for r in unranked)
    for first, second in itertools.pairwise(ranked):
        assert VERDICT_ORDER[first.decision] <= VERDICT_ORDER[second.decision]
        if first.decision == second.decision:
            # Assured readiness (readiness x confidence) first, so a profile that says little cannot rank
            # as ready; plain readiness only breaks its ties.
            assert first.assured >= second.assured
            if first.assured == second.assured:
                assert _mean(first) >= _mean(second)


@given(portfolios)
def test_csv_json_and_table_agree(unranked: list[PortfolioRow]) -> None:
    portfolio = Portfolio(programme=None, sites=rank_rows(unranked), errors=[])
    from_csv = list(csv.DictReader(io.StringIO(render_csv(portfolio))))
    from_json = json.loads(render_json(portfolio))["sites"]
    assert len(from_csv) == len(from_json) == len(unranked)
    for row, data in zip(from_csv, from_json, strict=True):
        assert tuple(row) == CSV_COLUMNS
        assert row["site_id"] == data["site_id"] and int(row["rank"]) == data["rank"]
        assert (int(row["high"]), int(row["medium"]), int(row["low"])) == (data["high"], data["medium"], data["low"])
        assert {t: int(row[f"readiness_{t}"]) for t in THEMES} == data["readiness"]
        assert float(row["assured"]) == data["assured"] and float(row["confidence"]) == data["confidence"]
    table = render_table(portfolio)
    positions = [table.index(f" {r.site_id} ") for r in portfolio.sites]
    assert positions == sorted(positions)
    assert all(r.site_id in render_markdown(portfolio) for r in portfolio.sites)


def test_rows_condense_real_plans(tmp_path: Path) -> None:
    advisor = Advisor(load_rule_base([write_pack(tmp_path / "pack")], include_shipped=False))
    programme = load_programme(PROGRAMME)
    plans = [(f"<stdin>:{i}", advisor.advise(programme, load_site(s)))
             for i, s in enumerate(sites_with_known_findings(), start=1)]
    portfolio = build_portfolio(plans, [("bad.json", [Problem("bad.json", "id", "missing")])])
    by_id = {row.site_id: row for row in portfolio.sites}
    counts = {site_id: (row.high, row.medium, row.low, row.strengths) for site_id, row in by_id.items()}
    assert counts == {"rural-none": (1, 1, 0, 0), "urban-one": (0, 0, 1, 0), "urban-many": (0, 0, 0, 1),
                      "unknown": (0, 0, 0, 0)}
    for source, plan in plans:
        row = by_id[plan.site.id]
        assert row.source == source and row.decision == plan.decision.verdict
        assert row.weakest_theme == plan.readiness[0].theme
        assert row.readiness == {r.theme: r.score for r in plan.readiness} and list(row.readiness) == list(THEMES)
        assert row.confidence == round(sum(r.confidence for r in plan.readiness) / len(plan.readiness), 2)
    # None of these sites states its funding, so all four need information first and rank by assured
    # readiness: rural-none, with a high and a medium risk, is the weakest of the sites that say something,
    # and the site that says nothing ranks last, below it, however clean its (unknown) readiness looks.
    assert {row.decision for row in portfolio.sites} == {"information_needed"}
    assert [row.site_id for row in portfolio.sites] == ["urban-many", "urban-one", "rural-none", "unknown"]
    assert by_id["unknown"].overall == 100 and by_id["unknown"].confidence < by_id["rural-none"].confidence
    assert portfolio.errors[0].problems == ["bad.json id: missing"]
    assert "Could not advise" in render_table(portfolio) and "bad.json id: missing" in render_markdown(portfolio)
