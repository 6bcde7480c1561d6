"""The checked-rule-base cache: a hit gives exactly the rule base the loader gives, without parsing or
checking; any change to a rule file, pack or parameter is a miss; a cache that is missing, stale,
corrupt, tampered with, shared or unwritable is ignored (and rebuilt) without a word; a rule base
with problems is never stored, so its errors are always reported."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from api_support import write_pack

from replicate.errors import RuleError
from replicate.rules import cache_files, rulebase, rulebase_cache
from replicate.rules.rulebase import RuleBase, collect_rule_base, load_rule_base

PARAMETERS = """\
parameters:
  - name: pack_threshold
    value: 3
    unit: people
    basis: local_default
    reason: A local line drawn for the test.
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("REPLICATE_CACHE_DIR", str(folder))
    monkeypatch.delenv("REPLICATE_NO_CACHE", raising=False)
    return folder


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("rulebase-*.json")) if folder.is_dir() else []


def _uncached(packs: list[Path]) -> RuleBase:
    loaded, problems = collect_rule_base(packs)
    assert problems == []
    return loaded


def _unloadable(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, loading from the files fails the test: only the cache can answer."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("loaded from the files, but the cache should have answered")

    monkeypatch.setattr(rulebase, "collect_rule_base", refuse)


def test_a_hit_gives_exactly_the_rule_base_the_loader_gives(cache: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    pack = write_pack(tmp_path / "pack")
    expected = _uncached([pack])
    assert load_rule_base([pack]) == expected
    [entry] = _entries(cache)
    _unloadable(monkeypatch)
    cached = load_rule_base([pack])
    assert cached == expected
    assert [r.condition for r in cached.rules] == [r.condition for r in expected.rules]
    assert [r.spec.model_dump() for r in cached.rules] == [r.spec.model_dump() for r in expected.rules]
    assert cached.vocabulary == expected.vocabulary and cached.parameters == expected.parameters
    assert json.loads(entry.read_bytes())["format"] == rulebase_cache.FORMAT  # JSON, never pickle


def test_an_edited_added_or_removed_file_is_loaded_again(cache: Path, tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack")
    before = load_rule_base([pack])
    rules = pack / "rules.yaml"
    rules.write_text(rules.read_text().replace("severity: high", "severity: low", 1))
    edited = load_rule_base([pack])
    assert edited == _uncached([pack]) and edited != before
    (pack / "parameters.yaml").write_text(PARAMETERS)
    added = load_rule_base([pack])
    assert "pack_threshold" in added.parameters and added == _uncached([pack])
    (pack / "parameters.yaml").unlink()
    assert load_rule_base([pack]) == edited
    assert len(_entries(cache)) == 3


def test_the_same_files_in_another_folder_are_another_entry(cache: Path, tmp_path: Path) -> None:
    first = write_pack(tmp_path / "one", name="same")
    second = write_pack(tmp_path / "two", name="same")
    assert load_rule_base([first]).rules[-1].file.startswith(str(first))
    assert all(not r.file.startswith(str(first)) for r in load_rule_base([second]).rules)


@pytest.mark.parametrize("garbage", [
    b"", b"{", b"\xff\xfe", b"[]", b'{"format": 1}', b"[" * 100_000,
    b'{"format":1,"key":"K","rules":[{"spec":"{}"}],"packs":[],"parameters":[]}',
    b'{"format":1,"key":"K","rules":[{"spec":"{}","condition":{"node":"Field"}}],"packs":[],"parameters":[]}',
])
def test_a_corrupt_entry_is_ignored_and_replaced(cache: Path, tmp_path: Path, garbage: bytes) -> None:
    pack = write_pack(tmp_path / "pack")
    expected = load_rule_base([pack])
    [entry] = _entries(cache)
    key = entry.name.removeprefix("rulebase-").removesuffix(".json")
    entry.write_bytes(garbage.replace(b'"K"', json.dumps(key).encode()))
    assert load_rule_base([pack]) == expected
    assert rulebase_cache.read(key) == expected  # rewritten


def test_an_entry_changed_after_it_was_written_is_refused(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A hit's rule models are built without validation, so an entry must be exactly what was
    written: one still well-formed JSON, with a rule's severity changed to one no rule may have, is
    a miss, rebuilt from the files."""
    expected = load_rule_base()
    [entry] = _entries(cache)
    original = entry.read_bytes()
    changed = original.replace(b'"severity":"high"', b'"severity":"HIGH"', 1)
    assert changed != original and json.loads(changed)["format"] == rulebase_cache.FORMAT
    entry.write_bytes(changed)
    rebuilt = load_rule_base()
    assert rebuilt == expected and "HIGH" not in {rule.spec.severity for rule in rebuilt.rules}
    assert entry.read_bytes() == original  # written again, whole
    _unloadable(monkeypatch)
    assert load_rule_base() == expected


def test_an_entry_naming_any_other_class_is_refused_and_runs_no_code(cache: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple[Any, ...]:
            return (os.system, (f"touch {marker}",))

    expected = load_rule_base()
    [entry] = _entries(cache)
    original = entry.read_bytes()
    entry.write_bytes(pickle.dumps(Payload()))
    assert load_rule_base() == expected
    planted = json.loads(original)
    planted["rules"][0]["condition"] = {"node": "PosixPath", "column": 0, "path": str(marker)}
    entry.write_bytes(cache_files.entry_bytes(planted))
    assert load_rule_base() == expected
    planted["rules"][0]["condition"] = {"node": "Field", "column": 0, "path": "site.x", "__class__": "os.system"}
    entry.write_bytes(cache_files.entry_bytes(planted))
    assert load_rule_base() == expected
    assert not marker.exists()


def test_an_unwritable_cache_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("REPLICATE_CACHE_DIR", str(blocker / "cache"))  # cannot be created, even by root
    monkeypatch.delenv("REPLICATE_NO_CACHE", raising=False)
    assert load_rule_base() == _uncached([])


def test_a_folder_others_can_write_is_not_trusted(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = load_rule_base()
    cache.chmod(0o777)
    [entry] = _entries(cache)
    planted = json.loads(entry.read_text())
    planted["rules"] = []
    entry.write_bytes(cache_files.entry_bytes(planted))
    assert load_rule_base() == expected


def test_no_cache_when_turned_off(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPLICATE_NO_CACHE", "1")
    load_rule_base()
    assert not cache.exists()


def test_a_rule_base_with_problems_is_never_stored(cache: Path, tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack", "rules:\n  - id: LOCAL-X\n    severty: high\n")
    for _ in range(2):
        with pytest.raises(RuleError) as raised:
            load_rule_base([pack])
        assert str(pack / "rules.yaml") in str(raised.value)
    assert _entries(cache) == []


def test_entries_are_written_whole_and_private(cache: Path, tmp_path: Path) -> None:
    load_rule_base()
    load_rule_base([write_pack(tmp_path / "pack")])
    assert [p.name for p in cache.iterdir() if not p.name.startswith(("rulebase-", "yaml-"))] == []  # no temp files
    assert len(_entries(cache)) == 2
    for entry in _entries(cache):
        assert entry.stat().st_mode & 0o077 == 0


CHECK_IMPORTS = """
import json, sys
sys.argv = ["replicate", "advise", sys.argv[1], "-p", sys.argv[2]]
from replicate.cli import main
try:
    main()
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""
NOT_ON_A_WARM_START = ("replicate.rules.loader", "replicate.rules.checker", "replicate.conditions.analyse",
                       "replicate.rules.tables", "replicate.rules.consistency", "replicate.cli.rules_cmd",
                       "replicate.cli.explain", "replicate.render.html", "jinja2", "multiprocessing",
                       "concurrent.futures")


def test_advising_one_site_from_a_warm_cache_loads_no_rule_checker(tmp_path: Path) -> None:
    """What a cached start leaves out, so that an import at the top of a module cannot quietly put
    the rule checker (or Jinja2, or the worker pool) back on every `replicate advise`."""
    from api_support import PROFILES, PROGRAMME

    site = PROFILES / "sites" / "rural-county.json"
    env = {**os.environ, "REPLICATE_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("REPLICATE_NO_CACHE", None)
    runs = [json.loads(subprocess.run([sys.executable, "-c", CHECK_IMPORTS, str(site), str(PROGRAMME)],
                                      capture_output=True, text=True, timeout=120, check=True, env=env)
                       .stdout.strip().splitlines()[-1]) for _ in range(2)]
    assert [run["code"] for run in runs] == [runs[0]["code"]] * 2 and runs[0]["code"] in (0, None)
    assert "replicate.rules.checker" in runs[0]["modules"]  # the first start checked the rules
    assert [m for m in runs[1]["modules"] if m.startswith(NOT_ON_A_WARM_START)] == []
