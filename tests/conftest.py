"""Shared fixtures: one advisor per engine kind for the whole session, because creating an
advisor registers rulesets with durable_rules, which can never be unloaded."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

# The parsed-YAML cache of the suite's runs goes to a folder of its own, not the user's cache.
os.environ.setdefault("REPLICATE_CACHE_DIR", tempfile.mkdtemp(prefix="replicate-test-cache-"))

from replicate.advisor import Advisor

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "profiles"
EXAMPLE_SITES: dict[str, str] = {
    path.stem: json.loads(path.read_text(encoding="utf-8"))["programme"]
    for path in sorted((PROFILES / "sites").glob("*.json"))
}
"""Each shipped example site and the programme it names (every one names its programme)."""


@pytest.fixture(scope="session")
def durable_advisor() -> Advisor:
    return Advisor(engine="durable")


@pytest.fixture(scope="session")
def reference_advisor() -> Advisor:
    return Advisor(engine="reference")
