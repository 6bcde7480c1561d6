"""The parsed-YAML cache: a hit gives exactly what parsing gives, an edit is never served stale, and
a cache that is corrupt, tampered with, shared or unwritable is ignored without a word."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from replicate.resources import shipped_rules_dir
from replicate.rules import cache_files, yaml_cache, yaml_source
from replicate.rules.parameters import is_parameter_file
from replicate.rules.yaml_source import Located, YamlProblem, load_yaml

RULE_FILES = sorted(shipped_rules_dir().rglob("*.yaml"))
TEXT = next(p for p in RULE_FILES if not is_parameter_file(p)).read_text(encoding="utf-8")  # a file of rules


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("REPLICATE_CACHE_DIR", str(folder))
    monkeypatch.delenv("REPLICATE_NO_CACHE", raising=False)
    return folder


def _same(a: Located, b: Located) -> bool:
    return (a.data, a.positions, a.styles) == (b.data, b.positions, b.styles)


def _unparsable(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, any attempt to parse fails the test: only the cache can answer."""

    def refuse(*args: Any, **kwargs: Any) -> Located:
        raise AssertionError("parsed, but the cache should have answered")

    monkeypatch.setattr(yaml_source, "_load", refuse)


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("yaml-*.json"))


def test_a_hit_gives_exactly_what_parsing_gives(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = load_yaml(TEXT, "a.yaml", cache=False, c_parser=False)
    first = load_yaml(TEXT, "a.yaml")
    assert _same(first, parsed)
    assert len(_entries(cache)) == 1
    _unparsable(monkeypatch)
    assert _same(load_yaml(TEXT, "b.yaml"), parsed)


def test_an_edited_file_is_parsed_again(cache: Path) -> None:
    load_yaml(TEXT, "a.yaml")
    edited = TEXT.replace("id:", "id :", 1)
    assert edited != TEXT
    again = load_yaml(edited, "a.yaml")
    assert _same(again, load_yaml(edited, "a.yaml", cache=False, c_parser=False))
    assert not _same(again, load_yaml(TEXT, "a.yaml", cache=False))
    assert len(_entries(cache)) == 2


@pytest.mark.parametrize("garbage", [b"", b"{", b"\xff\xfe", b"[]", b'{"format": 1}', b"[" * 100_000,
                                     b'{"format":1,"key":"K","data":{},"positions":[[["a"],"1",2]],"styles":[]}'])
def test_a_corrupt_entry_is_ignored_and_replaced(cache: Path, garbage: bytes) -> None:
    expected = load_yaml(TEXT, "a.yaml")
    [entry] = _entries(cache)
    entry.write_bytes(garbage.replace(b'"K"', json.dumps(yaml_cache.entry_key(TEXT)).encode()))
    assert _same(load_yaml(TEXT, "a.yaml"), expected)
    assert _same(Located(*yaml_cache.read(TEXT) or (None, {}, {})), expected)  # rewritten


def test_an_entry_of_another_text_is_not_used(cache: Path) -> None:
    """An entry copied under another text's name carries its own key, so it is refused."""
    other = next(text for text in (p.read_text(encoding="utf-8") for p in RULE_FILES) if text != TEXT)
    load_yaml(other, "other.yaml")
    [entry] = _entries(cache)
    entry.rename(cache / f"yaml-{yaml_cache.entry_key(TEXT)}.json")
    assert _same(load_yaml(TEXT, "a.yaml"), load_yaml(TEXT, "a.yaml", cache=False))


def test_an_unwritable_cache_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("REPLICATE_CACHE_DIR", str(blocker / "cache"))  # cannot be created, even by root
    assert _same(load_yaml(TEXT, "a.yaml"), load_yaml(TEXT, "a.yaml", cache=False))


def test_a_folder_others_can_write_is_not_trusted(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_yaml(TEXT, "a.yaml")
    cache.chmod(0o777)
    [entry] = _entries(cache)
    planted = json.loads(entry.read_text())
    planted["data"] = {"rules": []}
    entry.write_bytes(cache_files.entry_bytes(planted))
    assert _same(load_yaml(TEXT, "a.yaml"), load_yaml(TEXT, "a.yaml", cache=False))


def test_no_cache_when_turned_off(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPLICATE_NO_CACHE", "1")
    load_yaml(TEXT, "a.yaml")
    assert not cache.exists()


def test_entries_are_written_whole(cache: Path) -> None:
    for path in RULE_FILES:
        load_yaml(path.read_text(encoding="utf-8"), str(path))
    assert sorted(p.name for p in cache.iterdir()) == sorted(p.name for p in _entries(cache))  # no temp files
    for entry in _entries(cache):
        assert json.loads(entry.read_bytes())["format"] == yaml_cache.FORMAT
        assert entry.stat().st_mode & 0o077 == 0


def test_loading_an_entry_runs_no_code(cache: Path, tmp_path: Path) -> None:
    """Entries are JSON: a pickle or a YAML object tag placed in one is refused or stays text."""
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple[Any, ...]:
            return (os.system, (f"touch {marker}",))

    expected = load_yaml(TEXT, "a.yaml")
    [entry] = _entries(cache)
    entry.write_bytes(pickle.dumps(Payload()))
    assert _same(load_yaml(TEXT, "a.yaml"), expected)
    tagged = json.loads(entry.read_text())
    tagged["data"] = {"x": "!!python/object/apply:os.system ['touch " + str(marker) + "']"}
    entry.write_bytes(cache_files.entry_bytes(tagged))
    assert load_yaml(TEXT, "a.yaml").data == tagged["data"]  # served as the text it is
    assert not marker.exists()


def test_the_c_parser_gives_what_the_pure_parser_gives() -> None:
    for path in RULE_FILES:
        text = path.read_text(encoding="utf-8")
        with_c = load_yaml(text, "x", cache=False, c_parser=True)
        assert _same(with_c, load_yaml(text, "x", cache=False, c_parser=False))


@pytest.mark.parametrize(
    "text", ["[" * 100_000 + "]" * 100_000, "a: [1, 2\nb: 3\n", "a: 1\na: 2\n", "x: !!python/name:os.system\n"]
)
def test_documents_the_c_parser_must_not_see_or_rejects_get_the_pure_parsers_message(text: str) -> None:
    """ruamel's C parser kills the process on very deep nesting; it must never be given such a file.
    Run in a child process, so that a regression shows as a crash, not a dead test run."""
    script = (
        "import sys\nfrom replicate.rules.yaml_source import load_yaml, YamlProblem\n"
        "text = sys.stdin.read()\n"
        "for c in (True, False):\n"
        "    try:\n        load_yaml(text, 'f.yaml', cache=False, c_parser=c)\n"
        "    except YamlProblem as e:\n        print(e)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], input=text, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    with_c, pure = result.stdout.splitlines()
    assert with_c == pure and "f.yaml" in pure


def test_a_problem_is_never_cached(cache: Path) -> None:
    bad = TEXT + "\n  - : [\n"
    for _ in range(2):
        with pytest.raises(YamlProblem):
            load_yaml(bad, "a.yaml")
    assert _entries(cache) == []
