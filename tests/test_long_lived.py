"""The collector is off while a command loads what lives as long as it, and back as it was after."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from replicate.long_lived import loading_long_lived_objects


@pytest.fixture(autouse=True)
def _restore_collector() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.parametrize("enabled_before", [True, False])
def test_no_collection_within_and_the_loaded_objects_frozen_after(enabled_before: bool) -> None:
    gc.enable() if enabled_before else gc.disable()
    gc.unfreeze()
    with loading_long_lived_objects():
        assert not gc.isenabled()
        loaded = [[index] for index in range(1000)]
    assert gc.isenabled() == enabled_before
    assert gc.get_freeze_count() >= len(loaded)


def test_the_collector_comes_back_when_loading_fails() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), loading_long_lived_objects():
        raise RuntimeError("a rule pack that does not load")
    assert gc.isenabled()
