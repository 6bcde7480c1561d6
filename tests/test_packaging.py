"""A plain, non-editable install carries the shipped rules and examples, and works from any folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_non_editable_install_advises_on_a_shipped_example_from_another_folder(tmp_path: Path) -> None:
    target = tmp_path / "site-packages"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(ROOT)],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    assert build.returncode == 0, build.stderr
    shipped = target / "replicate" / "_shipped"
    assert sorted(p.name for p in (shipped / "rules").glob("*.yaml")) == sorted(
        p.name for p in (ROOT / "rules").glob("*.yaml")
    )
    assert (shipped / "profiles" / "programmes" / "cafe-families-of-offenders.json").is_file()
    assert (target / "replicate" / "py.typed").is_file()
    env = {**os.environ, "PYTHONPATH": str(target)}
    script = (
        "import replicate.resources as r, pathlib, sys;"
        f"assert pathlib.Path(r.shipped_rules_dir()).is_relative_to({str(target)!r}), r.shipped_rules_dir();"
        "p = r.shipped_profiles_dir();"
        "from replicate.cli import main;"
        "sys.argv = ['replicate', 'advise', str(p / 'sites' / 'well-prepared.json'), '-p',"
        " str(p / 'programmes' / 'cafe-families-of-offenders.json'), '-f', 'json'];"
        "main()"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert '"schema_version"' in run.stdout


def test_declared_pythons_match_what_durable_rules_supports() -> None:
    """durable-rules 2.0.28 does not import on 3.13 (PyEval_CallObject is gone)."""
    text = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'^requires-python = ">=3.10,<3.13"$', text, re.MULTILINE)
    assert re.search(r'^name = "replicate-advisor"$', text, re.MULTILINE)
    assert (3, 10) <= sys.version_info[:2] < (3, 13)
