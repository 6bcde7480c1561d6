"""Every example in the documentation works: each condition shown parses and passes the checker,
and each `replicate` command shown runs (in a folder holding the files it names) with the exit
code and output the page shows. A reader who copies an example must never meet an error the page
did not warn of (docs/rule-reference.md once showed a value the checker refuses)."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path
from typing import cast

import pytest
from click.testing import CliRunner

from replicate.cli import main
from replicate.conditions import parse
from replicate.facts import Subject
from replicate.rules.checker import check_condition
from replicate.rules.parameters import bare_thresholds, bind, shipped_parameters

ROOT = Path(__file__).resolve().parent.parent
PAGES = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md", ROOT / "profiles" / "README.md"]
SUBJECTS = ("site", "programme", "partner", "principle", "component", "service", "adaptation", "findings")
CONDITION = re.compile(r"^(not\s+|\(|\"[a-z_]+\"\s+in\s+)?(" + "|".join(SUBJECTS) + r")\.[a-z_.]+(\s.*)?$")
OPERATOR = re.compile(r"==|!=|<|>|\bin\b|\bis\b|\band\b|\bor\b|^not\b")
NOT_CONDITIONS = {"site.funding_coverage <"}
"""A span that shows part of a condition on purpose (a decision table's header syntax)."""


def _spans() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
            for span in re.findall(r"`([^`\n]+)`", line):
                if CONDITION.match(span) and OPERATOR.search(span) and ": " not in span and span not in NOT_CONDITIONS:
                    found.append((f"{page.relative_to(ROOT)}:{number}", span))
    return found


CONDITIONS = _spans()


def _subject(condition: str) -> Subject:
    for name in re.findall(r"\b(" + "|".join(SUBJECTS) + r")\.", condition):
        if name not in ("site", "programme"):
            return cast("Subject", name)
    return "site"


def test_the_docs_show_conditions_to_check() -> None:
    assert len(CONDITIONS) >= 20, CONDITIONS


@pytest.mark.parametrize(("where", "condition"), CONDITIONS, ids=[w for w, _ in CONDITIONS])
def test_every_condition_in_the_docs_parses_and_checks(where: str, condition: str) -> None:
    """Checked as the loader checks a rule's condition: no bare threshold (numbers other than 0 and 1
    are named parameters), every `param.NAME` a shipped parameter, then the type checker."""
    parsed = parse(condition)
    assert bare_thresholds(parsed) == [], (where, condition, "bare threshold: write param.NAME")
    bound, _used, unknown = bind(parsed, shipped_parameters())
    assert unknown == [], (where, condition, unknown)
    problems = check_condition(bound, _subject(condition))
    assert problems == [], (where, condition, problems)


# -- commands ----------------------------------------------------------------------------------------


def _commands() -> list[tuple[str, str, list[str]]]:
    """(where, command, the output lines the page shows under it) for each `replicate` command in a
    fenced block."""
    found = []
    for page in PAGES:
        lines = page.read_text(encoding="utf-8").splitlines()
        fenced = synopsis = False
        for number, line in enumerate(lines, start=1):
            if line.startswith("```"):
                fenced, synopsis = not fenced, line.strip() == "```text"  # a usage synopsis, not a command
                continue
            text = line.removeprefix("$ ")
            if "&& replicate " in text:  # the README's install-and-try line: the part after installing
                text = text[text.index("&& replicate ") + 3:]
            if not fenced or synopsis or not text.startswith(("replicate ", "cat ")):
                continue
            shown = []
            if line.startswith("$ "):
                for following in lines[number:]:
                    if following.startswith(("```", "$ ")):
                        break
                    shown.append(following)
            found.append((f"{page.relative_to(ROOT)}:{number}", text.split("  #")[0].strip(), shown))
    return found


COMMANDS = _commands()
GUIDE = (ROOT / "docs" / "writing-rules.md").read_text(encoding="utf-8")
WORKED_EXAMPLE = re.findall(r"```yaml\n(rules:.*?)```", GUIDE, re.S)[0]
CAFE_SITES = ["rural-county.json", "sparse.json", "well-prepared.json"]


def _workspace(folder: Path) -> None:
    """The files the documented commands name, as a reader following the pages would have them."""
    sites = ROOT / "profiles" / "sites"
    shutil.copytree(ROOT / "profiles", folder / "profiles")
    shutil.copy(ROOT / "profiles" / "programmes" / "cafe-families-of-offenders.json", folder / "programme.json")
    shutil.copy(sites / "rural-county.json", folder / "site.json")
    for name, source in zip(("a.json", "b.json", "c.json"), CAFE_SITES, strict=True):
        shutil.copy(sites / source, folder / name)
    (folder / "sites").mkdir()
    for source in CAFE_SITES:
        shutil.copy(sites / source, folder / "sites" / source)
    shutil.copy(ROOT / "profiles" / "batch" / "sites.jsonl", folder / "sites.jsonl")
    shutil.copytree(ROOT / "tests" / "scenarios", folder / "tests" / "scenarios")  # the shipped scenarios
    (folder / "my-pack").mkdir()
    (folder / "my-pack" / "my_rules.yaml").write_text(WORKED_EXAMPLE, encoding="utf-8")


def test_the_docs_show_commands_to_run() -> None:
    assert len(COMMANDS) >= 10, COMMANDS


@pytest.mark.parametrize(("where", "command", "shown"), COMMANDS, ids=[w for w, _, _ in COMMANDS])
def test_every_command_in_the_docs_runs(where: str, command: str, shown: list[str], tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    _workspace(tmp_path)
    monkeypatch.chdir(tmp_path)
    stdin = None
    if command.startswith("cat "):
        source, command = command.split("|", 1)
        stdin = (tmp_path / shlex.split(source)[1]).read_bytes()
    redirect = None
    if ">" in shlex.split(command):
        words = shlex.split(command)
        redirect = words[words.index(">") + 1]
        command = shlex.join(words[:words.index(">")])
    words = shlex.split(command.replace("--jobs 4", "--jobs 2"))  # the same path through the code, half the workers
    assert words[0] == "replicate", (where, command)
    result = CliRunner().invoke(main, words[1:], input=stdin)
    # A page that shows failures (`N passed, M failed` with M > 0) shows a command that exits 1.
    shows_failures = any(re.fullmatch(r"\d+ passed, [1-9]\d* failed", line.strip()) for line in shown)
    allowed = (0, 1) if "--fail-on" in words else (1,) if shows_failures else (0,)
    assert result.exit_code in allowed, (where, command, result.stdout[-2000:], result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    if redirect is not None:
        (tmp_path / redirect).write_text(result.stdout, encoding="utf-8")
        assert (tmp_path / redirect).stat().st_size > 0
    for line in shown:
        if line.strip() and line.strip() != "...":  # "..." marks a trimmed transcript
            assert line in result.stdout + result.stderr, (where, line)
