"""Shared fixtures: one advisor per engine kind for the whole session, because creating an
advisor registers rulesets with durable_rules, which can never be unloaded."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# The parsed-YAML cache of the suite's runs goes to a folder of its own, not the user's cache.
os.environ.setdefault("REPLICATE_CACHE_DIR", tempfile.mkdtemp(prefix="replicate-test-cache-"))

from replicate.advisor import Advisor

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "profiles"


@pytest.fixture(scope="session")
def durable_advisor() -> Advisor:
    return Advisor(engine="durable")


@pytest.fixture(scope="session")
def reference_advisor() -> Advisor:
    return Advisor(engine="reference")
