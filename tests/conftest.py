"""Shared fixtures: one advisor per engine kind for the whole session, because creating an
advisor registers rulesets with durable_rules, which can never be unloaded."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# The parsed-YAML cache of the suite's runs goes to a folder of its own, not the user's cache.
os.environ.setdefault("REPLICATE_CACHE_DIR", tempfile.mkdtemp(prefix="replicate-test-cache-"))

from replicate.advisor import Advisor

# The default run is the gate CI runs: each property draws the same examples every time (seeded from
# the test), so a red CI is one anyone can reproduce and a green one is not luck. To look for what
# the fixed examples miss, draw new ones: pytest --hypothesis-profile explore (a failure prints the
# seed and a blob to replay it).
settings.register_profile("gate", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile("gate")

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
