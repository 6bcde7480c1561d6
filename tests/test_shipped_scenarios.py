"""The shipped scenarios (tests/scenarios/): the advice the guidance calls for, site by site.

Each scenario was written from a passage of the guidance, not from the rules, so a failure here
means the advice differs from what the guidance says (or the scenario must be argued with, in
its own file); it is never fixed by copying the plan's answer into the scenario.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT
from guidance_text import guidance_text_path

from replicate.advisor import Advisor
from replicate.guidance import THEMES
from replicate.scenarios import DECISIONS, Scenario, load_scenario, run_scenario, scenario_files
from replicate.scenarios.table import first_sentence, render_table, with_table

FOLDER = ROOT / "tests" / "scenarios"
FILES = scenario_files([FOLDER])
CASE_STUDIES = ("resource-centre", "cafe-families-of-offenders", "holding-families", "caf-family-support")
GUIDANCE = guidance_text_path()
"""The guidance's text is not part of the repository (the project quotes only short phrases of it)."""
SECTIONS = {
    "cultural_change": "Cultural change",
    "partnership_working": "Partnership working",
    "flexibility": "Flexibility",
    "resources": "Resources",
    "operational_model": "Operational model",
    "impact": "Impact",
    "buy_in": "Appropriate 'buy-in'",
}


def all_scenarios() -> list[Scenario]:
    return [load_scenario(path) for path in FILES]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_shipped_scenario_gets_the_advice_the_guidance_calls_for(path: Path, durable_advisor: Advisor) -> None:
    result = run_scenario(load_scenario(path), durable_advisor)
    if not result.passed:
        pytest.fail(f"{path.name}: {result.scenario.spec.name}\n  " + "\n  ".join(result.diff()), pytrace=False)


def _normalise(text: str) -> str:
    """Curly quotes as straight ones, any run of space as one, and no bold markers: the guidance
    text marks emphasis with `**`, which is formatting, not words a quote must copy."""
    text = text.translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")).replace("**", "")
    return re.sub(r"\s+", " ", text).strip()


def _sections(text: str) -> dict[str, str]:
    """The guidance split at its seven theme headings (each a line of its own)."""
    lines = text.splitlines()
    starts = sorted((lines.index(heading), theme) for theme, heading in SECTIONS.items())
    bounds = [*(start for start, _ in starts[1:]), len(lines)]
    return {theme: _normalise("\n".join(lines[start:end])) for (start, theme), end in zip(starts, bounds, strict=True)}


def test_every_passage_is_quoted_verbatim_from_its_theme() -> None:
    assert GUIDANCE.is_file(), f"the guidance text is needed to check the quotes: {GUIDANCE}"
    sections = _sections(GUIDANCE.read_text(encoding="utf-8"))
    wrong = [f"{s.path.name}: {s.spec.passage.quote!r} is not in the {s.spec.passage.theme} section"
             for s in all_scenarios() if _normalise(s.spec.passage.quote) not in sections[s.spec.passage.theme]]
    assert wrong == []


def test_every_scenario_loads_and_its_site_validates() -> None:
    """Loading validates the site against the current schema and cross-checks it with the programme."""
    scenarios = all_scenarios()
    assert len(scenarios) == len(FILES) >= 32
    assert len({s.spec.name for s in scenarios}) == len(scenarios), "scenario names must be unique"


def test_scenarios_cover_every_theme_and_decision_twice_and_each_case_study() -> None:
    scenarios = all_scenarios()
    themes = Counter(s.spec.passage.theme for s in scenarios)
    decisions = Counter(s.spec.expect.decision for s in scenarios)
    programmes = Counter(s.programme.id for s in scenarios)
    assert {theme: themes[theme] for theme in THEMES if themes[theme] < 3} == {}
    assert {decision: decisions[decision] for decision in DECISIONS if decisions[decision] < 2} == {}
    assert {case: programmes[case] for case in CASE_STUDIES if programmes[case] < 2} == {}


def test_scenarios_contrast_settings_and_partnership_sizes() -> None:
    scenarios = all_scenarios()
    settings = {s.site.setting for s in scenarios}
    partner_counts = [len(s.site.partners) for s in scenarios if s.site.partners is not None]
    assert {"urban", "rural", "mixed"} <= settings
    assert min(partner_counts) <= 1 and max(partner_counts) >= 10


def test_scenarios_leave_whole_themes_out() -> None:
    """A site that leaves a whole section out: the plan must ask, never go."""
    sections = ("staff", "leadership", "funding", "operational_plan", "evaluation", "partners", "local_needs")
    left_out = {section for s in all_scenarios() for section in sections
                if section not in s.site.model_fields_set and s.spec.expect.decision != "go"}
    assert left_out == set(sections)
    for scenario in all_scenarios():
        if not scenario.site.model_fields_set - {"id", "name", "setting"}:
            assert scenario.spec.expect.decision == "information_needed", scenario.path.name


def test_docs_table_of_scenarios_is_up_to_date() -> None:
    doc = ROOT / "docs" / "scenarios.md"
    text = doc.read_text(encoding="utf-8")
    assert text == with_table(text, render_table(all_scenarios(), doc.parent), str(doc)), (
        "docs/scenarios.md is stale: run python -m replicate.scenarios.table tests/scenarios docs/scenarios.md")
    assert all(f"]({Path('..') / 'tests' / 'scenarios' / path.name})" in text for path in FILES)


def test_the_table_shows_the_opening_sentence_of_each_why() -> None:
    assert first_sentence("Go once the lead has time. The rest is ready.") == "Go once the lead has time."
    assert first_sentence("  Ask first:\n  funding is unknown.  ") == "Ask first: funding is unknown."
    assert first_sentence("No full stop") == "No full stop"
