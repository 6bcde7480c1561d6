""""At best" means the best the answers can do. A risk that the missing information itself raised
(services not listed, a need not stated) goes once the answer is given, so it cannot cap the best
case: a ready site told "go ahead with conditions at best" for not listing its services got "go"
once it listed them (1375)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from replicate.advisor import Advisor
from replicate.loading import load_programme, load_site

PROFILES = Path(__file__).resolve().parent.parent / "profiles"
PROGRAMME = load_programme(PROFILES / "programmes" / "cafe-families-of-offenders.json")


def _ready() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PROFILES / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("field", ["existing_services", "local_needs"])
def test_the_best_an_answer_can_do_is_what_answering_does(durable_advisor: Advisor, field: str) -> None:
    ready = _ready()
    answered = durable_advisor.advise(PROGRAMME, load_site(ready))
    left_out = {key: value for key, value in ready.items() if key != field}
    plan = durable_advisor.advise(PROGRAMME, load_site(left_out))
    assert plan.decision.verdict == "information_needed"
    [best] = [c for c in plan.decision.could_change if c.if_answer.startswith("at best")]
    assert best.field == f"site.{field}"
    assert best.to == answered.decision.verdict == "go"
