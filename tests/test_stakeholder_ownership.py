""""Stakeholders own the process" is a strength only where every partner critical to delivery is
on board: a plan cannot be owned by its stakeholders while one it depends on was never consulted
or sees nothing in it for its own service (428, 438). A partner that is not critical leaves the
strength alone, and a critical partner's blank is asked about, not read as a "no"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from replicate.advisor import Advisor
from replicate.loading import load_programme, load_site

PROFILES = Path(__file__).parent.parent / "profiles"
OWNED = "BI-OWNED-BY-STAKEHOLDERS"


def _site() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PROFILES / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
    return data


PARTNERS = [(p["id"], bool(p["critical"])) for p in _site()["partners"]]


@pytest.mark.parametrize("field", ["consulted", "sees_mutual_benefit"])
@pytest.mark.parametrize(("partner", "critical"), PARTNERS)
def test_ownership_needs_every_critical_partner_consulted_and_seeing_a_benefit(
    durable_advisor: Advisor, field: str, partner: str, critical: bool
) -> None:
    programme = load_programme(PROFILES / "programmes" / "cafe-families-of-offenders.json")
    site = _site()
    [entry] = [p for p in site["partners"] if p["id"] == partner]
    ready = durable_advisor.advise(programme, load_site(_site()))
    entry[field] = False
    answered = durable_advisor.advise(programme, load_site(site))
    entry.pop(field)
    blank = durable_advisor.advise(programme, load_site(site))
    assert OWNED in {f.rule_id for f in ready.findings}
    assert (OWNED in {f.rule_id for f in answered.findings}) == (not critical)
    if critical:
        assert OWNED not in {f.rule_id for f in blank.findings}
        assert any(OWNED in q.needed_by for q in blank.missing_information)
