"""One advisor shared between threads gives the same plans as one thread, survives thousands of
calls, and two advisors with different rule packs in one process never affect each other."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from api_support import OTHER_PACK, PROFILES, PROGRAMME, site, sites_with_known_findings, write_pack

from replicate import Advisor, load_programme, load_rule_base, load_site


def _sites() -> list[dict[str, Any]]:
    shipped = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((PROFILES / "sites").glob("*.json"))]
    cafe = [s for s in shipped if s.get("programme") == "cafe-families-of-offenders"]
    return cafe + sites_with_known_findings()


def test_shared_advisor_across_eight_threads_matches_one_thread(durable_advisor: Advisor) -> None:
    programme = load_programme(PROGRAMME)
    sites = [load_site(s) for s in _sites()] * 6
    serial = [durable_advisor.advise(programme, s).model_dump_json() for s in sites]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(lambda s: durable_advisor.advise(programme, s).model_dump_json(), sites))
    assert threaded == serial
    assert durable_advisor.engine.live_sessions == 0  # type: ignore[attr-defined]


def test_one_advisor_serves_thousands_of_calls(tmp_path: Path) -> None:
    advisor = Advisor(load_rule_base([write_pack(tmp_path / "pack")], include_shipped=False))
    programme = load_programme(PROGRAMME)
    sites = [load_site(s) for s in sites_with_known_findings()]
    first = [advisor.advise(programme, s) for s in sites]
    for _ in range(500):
        assert [advisor.advise(programme, s) for s in sites] == first
    assert advisor.engine.live_sessions == 0  # type: ignore[attr-defined]


def test_two_advisors_with_different_packs_are_independent(tmp_path: Path) -> None:
    programme = load_programme(PROGRAMME)
    a = Advisor(load_rule_base([write_pack(tmp_path / "a")], include_shipped=False))
    rural = load_site(site("both", setting="rural", leadership={"champions": 0}))
    urban = load_site(site("urban", setting="urban"))
    alone = [a.advise(programme, s) for s in (rural, urban)]
    b = Advisor(load_rule_base([write_pack(tmp_path / "b", OTHER_PACK, name="other")], include_shipped=False))

    def both(index: int) -> tuple[set[str], set[str]]:
        target = rural if index % 2 else urban
        return ({f.rule_id for f in a.advise(programme, target).findings},
                {f.rule_id for f in b.advise(programme, target).findings})

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(both, range(200)))
    for index, (from_a, from_b) in enumerate(results):
        assert all(rule.startswith("TP-") for rule in from_a) and all(rule.startswith("OP-") for rule in from_b)
        assert from_a == ({"TP-RURAL", "TP-NO-CHAMPIONS"} if index % 2 else set())
        assert from_b == (set() if index % 2 else {"OP-URBAN"})
    assert [a.advise(programme, s) for s in (rural, urban)] == alone  # creating b changed nothing in a
    assert [p.name for p in a.advise(programme, rural).rule_packs] == ["test-pack"]
    assert [p.name for p in b.advise(programme, rural).rule_packs] == ["other"]
