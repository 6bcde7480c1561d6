"""Where the shipped rule base and example profiles are, installed or in a checkout.

A wheel carries them in `replicate/_shipped/` (copied there by setup.py); a checkout or an
editable install reads the top-level `rules/` and `profiles/` folders directly.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    installed = _PACKAGE / "_shipped" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent.parent / name


def shipped_rules_dir() -> Path:
    return _shipped("rules")


def shipped_profiles_dir() -> Path:
    return _shipped("profiles")
