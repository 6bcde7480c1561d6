"""The generated rule reference is committed and up to date, so rule authors never read a stale list."""

from __future__ import annotations

from pathlib import Path

from replicate.rules.fields import catalogue
from replicate.rules.reference_doc import render_reference

DOC = Path(__file__).resolve().parent.parent / "docs" / "rule-reference.md"


def test_committed_reference_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == render_reference(), (
        "docs/rule-reference.md is stale: run python -m replicate.rules.reference_doc docs/rule-reference.md"
    )


def test_reference_lists_every_field() -> None:
    text = render_reference()
    assert all(f"`{path}`" in text for path in catalogue())


def test_the_guides_worked_example_checks_clean_and_its_examples_pass() -> None:
    import re

    from replicate.rules.examples import run_examples
    from replicate.rules.loader import load_rule_text

    guide = (DOC.parent / "writing-rules.md").read_text(encoding="utf-8")
    block = re.findall(r"```yaml\n(rules:.*?)```", guide, re.S)[0]
    result = load_rule_text(block, "docs/writing-rules.md")
    assert result.problems == []
    outcomes = run_examples(result.rules, engine="reference")
    assert len(outcomes) == 2 and all(o.passed for o in outcomes)
