"""`replicate --help` must answer at once: it imports no engine, no durable_rules and no rule base.

The heavy parts are imported inside the commands that use them; a module-level import in any CLI
module would load them for every invocation, including `--help` and `--version`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

FORBIDDEN = ("replicate.engine", "durable", "durable_rules_engine", "replicate.rules", "replicate.advisor",
             "replicate.plan", "ruamel", "pydantic")

SCRIPT = """
import json, sys
sys.argv = ["replicate", *json.loads(sys.argv[1])]
from replicate.cli import main
try:
    main()
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


@pytest.mark.parametrize("arguments", [["--help"], ["--version"], ["rules", "--help"], ["advise", "--help"],
                                       ["explain", "--help"], ["schema", "--help"]])
def test_help_imports_no_engine_and_no_rule_base(arguments: list[str]) -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(arguments)], capture_output=True, text=True,
                            timeout=60, check=True)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["code"] in (0, None)
    loaded = [m for m in report["modules"] if m.startswith(FORBIDDEN)]
    assert loaded == []


def test_the_guard_would_see_a_heavy_import() -> None:
    """The same check, after a command that does need the rule base, finds it loaded."""
    result = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(["rules", "list"])], capture_output=True,
                            text=True, timeout=120, check=True)
    modules = json.loads(result.stdout.strip().splitlines()[-1])["modules"]
    assert "replicate.rules.rulebase" in modules


def test_advice_from_a_cached_rule_base_imports_no_yaml_parser(tmp_path: object) -> None:
    """A start that finds its rule base cached (the usual one) reads neither rules nor the tag
    vocabulary from YAML: the vocabulary is cached with the rules, and the parser is imported only
    where a file is parsed. The first run fills the cache; the second is checked."""
    import os
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    arguments = ["advise", str(root / "profiles/sites/rural-county.json"),
                 "-p", str(root / "profiles/programmes/cafe-families-of-offenders.json")]
    env = {**os.environ, "REPLICATE_CACHE_DIR": str(tmp_path)}
    env.pop("REPLICATE_NO_CACHE", None)
    reports = []
    for _ in range(2):
        result = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(arguments)], capture_output=True,
                                text=True, timeout=120, check=True, env=env)
        reports.append(json.loads(result.stdout.strip().splitlines()[-1]))
    assert all(r["code"] in (0, None) for r in reports)
    assert "ruamel.yaml" in reports[0]["modules"]  # the guard would see it: the first run parses the rules
    assert [m for m in reports[1]["modules"] if m.startswith("ruamel.yaml")] == []
