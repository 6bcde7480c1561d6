"""The generators of docs/ pages take paths, never an option as a file name (a stray `--help` file
was once committed at the top of the checkout)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from replicate.rules import coverage_doc, reference_doc
from replicate.scenarios import table

GENERATORS: dict[str, Callable[[list[str]], int]] = {
    "reference_doc": reference_doc.main,
    "coverage_doc": coverage_doc.main,
    "scenarios.table": table.main,
}


@pytest.mark.parametrize("name", sorted(GENERATORS))
@pytest.mark.parametrize("word", ["--help", "-h"])
def test_help_prints_usage_and_writes_nothing(
    name: str, word: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert GENERATORS[name]([word]) == 0
    assert capsys.readouterr().out.startswith("usage: python -m replicate.")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_unknown_option_is_refused_and_writes_nothing(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert GENERATORS[name](["--output", "page.md"]) == 2
    assert "no such option: --output" in capsys.readouterr().err
    assert os.listdir(tmp_path) == []


def test_reference_page_is_written_to_the_path_given(tmp_path: Path) -> None:
    target = tmp_path / "reference.md"
    assert reference_doc.main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == reference_doc.render_reference()
