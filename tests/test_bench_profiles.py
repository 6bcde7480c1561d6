"""The benchmark's generated profiles are valid sites: a schema change the generator does not know
(a new tagged field drawing needs where it takes conditions) would otherwise surface only as a
crashed `bench/run.py`, after the speed figures it exists to measure were due."""

from __future__ import annotations

import sys
from pathlib import Path

from replicate.loading import load_programme, load_site

BENCH = Path(__file__).resolve().parents[1] / "bench"


def test_every_generated_site_loads() -> None:
    sys.path.insert(0, str(BENCH))
    try:
        from generate import ProfileGenerator
        from run import PROGRAMME
    finally:
        sys.path.remove(str(BENCH))
    programme = load_programme(PROGRAMME)
    generator = ProfileGenerator(programme, 1)
    sites = [load_site(generator.site(index)) for index in range(200)]
    assert len({site.id for site in sites}) == len(sites)
    assert any(a.works_around for site in sites for a in site.adaptations)  # the new field is exercised
