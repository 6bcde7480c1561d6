"""What the rules deliberately leave out: every theme says what and why, each passage is the
guidance's own words, and the coverage page shows them under their theme."""

from __future__ import annotations

import re

import pytest
from guidance_text import guidance_text_path
from pydantic import ValidationError

from replicate.guidance import THEME_TITLES, THEMES, Theme
from replicate.guidance.coverage import CitingRule, coverage_rows, render_markdown
from replicate.guidance.omissions import Omission, omissions, parse_omissions

GUIDANCE_TEXT = guidance_text_path()
"""The guidance itself (NFER 2011). It is not shipped with the project, which quotes only short
phrases of it; set REPLICATE_GUIDANCE_TEXT to where your copy is."""


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_theme_says_what_it_leaves_out_and_why() -> None:
    shipped = omissions()
    assert set(shipped) == set(THEMES)
    for theme in THEMES:
        assert shipped[theme], f"{theme}: no passage listed as deliberately left out"
        for entry in shipped[theme]:
            assert entry.theme == theme
            assert len(entry.why_left_out.split()) >= 8, f"{theme}: {entry.passage!r} needs a reason"


def test_each_left_out_passage_is_verbatim_in_the_guidance() -> None:
    assert GUIDANCE_TEXT.is_file(), f"the guidance text is needed to check the passages: {GUIDANCE_TEXT}"
    guidance = _words(GUIDANCE_TEXT.read_text(encoding="utf-8"))
    missing = [e.passage for entries in omissions().values() for e in entries if _words(e.passage) not in guidance]
    assert missing == []


def test_the_verbatim_check_would_notice_a_paraphrase() -> None:
    guidance = _words(GUIDANCE_TEXT.read_text(encoding="utf-8"))
    assert _words("Motivate staff to inspire and engage them") in guidance
    assert _words("Motivate the staff to inspire and engage them") not in guidance


def test_the_coverage_page_lists_each_theme_s_omissions_under_that_theme() -> None:
    rows = coverage_rows([CitingRule("X-ONE", ("CC1",), strength=False)])
    left_out: dict[Theme, tuple[Omission, ...]] = {
        "impact": (Omission("impact", "websites such as the C4EO website", "Named websites date quickly."),)
    }
    page = render_markdown(rows, [], left_out)
    impact = page.index(f"\n## {THEME_TITLES['impact']}")
    section = page[impact:page.index("\n## ", impact + 1)]
    assert '- "websites such as the C4EO website": Named websites date quickly.' in section
    assert "### Deliberately left out" in section
    cultural = page.index(f"\n## {THEME_TITLES['cultural_change']}")
    assert "Nothing: every passage of this theme" in page[cultural:page.index("\n## ", cultural + 1)]
    assert "Passages deliberately left out, with the reason: 1" in page
    assert "Deliberately left out" not in render_markdown(rows, [])


def test_a_malformed_omission_file_is_refused() -> None:
    with pytest.raises(ValidationError):
        parse_omissions("impact:\n  - passage: websites\n    why: no reason key\n")
    with pytest.raises(ValidationError):
        parse_omissions("no_such_theme:\n  - {passage: abc, why_left_out: because it is so}\n")
