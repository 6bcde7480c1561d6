"""The HTML report: self-contained (nothing to fetch), escaped, and holding every part of the plan:
the decision, the readiness chart weakest first, the principle and component tables, the phased
actions, the findings with their sources and the missing information. Also the portfolio page."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from api_support import PROGRAMME, site, write_pack
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replicate import AdaptationPlan, Advisor, build_portfolio, load_programme, load_rule_base, load_site
from replicate.render.html import render_html, render_portfolio_html


class Page(HTMLParser):
    """Collects each element's tag, attributes and the text inside it, for structure assertions."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def having(self, tag: str, css_class: str | None = None) -> list[dict[str, str]]:
        return [a for t, a in self.elements
                if t == tag and (css_class is None or css_class in a.get("class", "").split())]


@pytest.fixture(scope="module")
def advisor(tmp_path_factory: pytest.TempPathFactory) -> Advisor:
    pack = write_pack(tmp_path_factory.mktemp("pack"))
    return Advisor(load_rule_base([pack], include_shipped=False), engine="reference")


@pytest.fixture(scope="module")
def plan(advisor: Advisor) -> AdaptationPlan:
    return advisor.advise(load_programme(PROGRAMME), load_site(site("s", setting="rural", leadership={"champions": 0})))


def assert_self_contained(text: str) -> None:
    lowered = text.lower()
    assert "<script" not in lowered and "<link" not in lowered and "<img" not in lowered and "<iframe" not in lowered
    assert not re.search(r"\s(src|href)\s*=\s*\"(?!#)", lowered), "only in-page links are allowed"
    assert "http://" not in lowered and "https://" not in lowered and "url(" not in lowered and "@import" not in lowered


def test_report_is_self_contained_and_has_every_part(plan: AdaptationPlan) -> None:
    text = render_html(plan)
    assert_self_contained(text)
    page = Page(text)
    assert text.startswith("<!DOCTYPE html>") and len(page.having("svg", "readiness-chart")) == 1
    bars = page.having("g", "bar")
    assert [int(b["data-score"]) for b in bars] == [r.score for r in plan.readiness]
    assert [int(b["data-score"]) for b in bars] == sorted(int(b["data-score"]) for b in bars)  # weakest first
    for table, count in (("principles-table", len(plan.principles)), ("components-table", len(plan.components)),
                         ("readiness-table", len(plan.readiness)), ("missing-table", len(plan.missing_information))):
        assert len(page.having("table", table)) == (1 if count else 0), table
    body = "".join(page.text)
    assert body.count("Source: ") == len(plan.findings) == len(page.having("div", "finding"))
    assert all(f.source.quote in body and f.rule_id in body for f in plan.findings)
    assert all(a.do in body for a in plan.actions)
    assert "Before launch" in body and plan.decision.summary in body
    row_count = sum(1 for t, _ in page.elements if t == "tr")
    assert row_count >= len(plan.principles) + len(plan.components) + len(plan.readiness)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from("<>&\"'/abc =script"), min_size=1, max_size=40).filter(str.strip))
def test_names_from_the_input_are_escaped(advisor: Advisor, name: str) -> None:
    document: dict[str, Any] = {**site("s"), "name": name}
    plan = advisor.advise(load_programme(PROGRAMME), load_site(document))
    text = render_html(plan)
    assert_self_contained(text)
    body = "".join(Page(text).text)
    assert plan.site.name in body  # shown as text, exactly, never as markup


def test_portfolio_page_shows_sites_side_by_side_in_ranked_order(advisor: Advisor) -> None:
    programme = load_programme(PROGRAMME)
    # The ready site states its setting too: what is not known counts for nothing in the ranking.
    documents = [site("ready", setting="urban", leadership={"champions": 3}),
                 site("rural", setting="rural", leadership={"champions": 0})]
    plans = [(f"<stdin>:{i}", advisor.advise(programme, load_site(d))) for i, d in enumerate(documents, start=1)]
    portfolio = build_portfolio(list(reversed(plans)))
    text = render_portfolio_html(portfolio, plans)
    assert_self_contained(text)
    page = Page(text)
    cards = page.having("div", "site-card")
    assert len(cards) == 2 and len(page.having("svg", "readiness-chart")) == 4  # a card and a plan each
    assert len(page.having("details", "site-plan")) == 2 and len(page.having("table", "portfolio-table")) == 1
    body = "".join(page.text)
    assert body.index("1. Site ready") < body.index("2. Site rural")


def test_the_missing_information_table_says_a_better_decision_needs_the_rest_of_the_answers() -> None:
    """The table's column is headed "could change the decision to"; a better decision there, shown
    bare, would read as one answer's reward, which a board could take for the way to a "go"."""
    from pathlib import Path

    from replicate.plan.decision import rank

    root = Path(__file__).resolve().parents[1] / "profiles"
    sparse = Advisor.from_packs([]).advise(load_programme(root / "programmes" / "cafe-families-of-offenders.json"),
                            load_site(root / "sites" / "sparse.json"))
    better = [q for q in sparse.missing_information
              if q.could_change_to is not None and rank(q.could_change_to) < rank(sparse.decision.verdict)]
    assert better, "the sparse site should have a question that could lift its decision"
    cells = re.findall(r'<table class="missing-table">.*?</table>', render_html(sparse), re.S)[0]
    assert cells.count("once the missing information is given") == len(better)
