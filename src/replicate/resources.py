"""Where the shipped rule base and example profiles are, installed or in a checkout.

A wheel carries them in `replicate/_shipped/` (copied there by setup.py); a checkout or an
editable install reads the top-level `rules/` and `profiles/` folders directly.

Policy staff who installed with `pip install .` and then edit a checkout's `rules/` would otherwise
be running the copy in the wheel; `REPLICATE_RULES_BASE=rules` (or `--base rules` on
`replicate rules check|test`) makes that folder the rule base instead.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
RULES_BASE_VARIABLE = "REPLICATE_RULES_BASE"
"""An environment variable naming a folder to use as the rule base in place of the shipped one."""
PROJECT_NAME = 'name = "replicate-advisor"'


def _shipped(name: str) -> Path:
    installed = _PACKAGE / "_shipped" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent.parent / name


def packaged_rules_dir() -> Path:
    """The rule base that came with this installation, whatever the environment says."""
    return _shipped("rules")


def shipped_rules_dir() -> Path:
    """The rule base in use: `REPLICATE_RULES_BASE` if set, else the one that came with the installation."""
    chosen = os.environ.get(RULES_BASE_VARIABLE, "").strip()
    return Path(chosen) if chosen else packaged_rules_dir()


def shipped_profiles_dir() -> Path:
    return _shipped("profiles")


def _same(first: Path, second: Path) -> bool:
    try:
        return first.resolve() == second.resolve()
    except (OSError, ValueError, RuntimeError):
        return False


def is_rule_base(folder: Path) -> bool:
    """Whether a folder is a rule base rather than a pack on top of one: the base in use, the one that
    came with the installation, or the `rules/` folder of a checkout of this project (its own
    copy of the shipped base, which checked as a pack would duplicate every rule)."""
    if _same(folder, shipped_rules_dir()) or _same(folder, packaged_rules_dir()):
        return True
    try:
        resolved = folder.resolve()
        project = resolved.parent / "pyproject.toml"
        return resolved.name == "rules" and project.is_file() and PROJECT_NAME in project.read_text(encoding="utf-8")
    except (OSError, ValueError, RuntimeError, UnicodeDecodeError):
        return False
