"""A question is only asked about something the site has not stated.

A value worked out from a list the site did give (an empty list of partners: "we have none") can
still be unknown, say whether every critical partner meets regularly when there are none. No answer
the site could give would settle it, so asking for "prospective partners" again would be asking for
what the profile already says."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from replicate import Advisor, load_programme, load_site

ROOT = Path(__file__).resolve().parents[1] / "profiles"


@pytest.mark.parametrize("partners", [[], "well-prepared"])
def test_a_stated_list_of_partners_is_never_asked_for_again(durable_advisor: Advisor, partners: object) -> None:
    site = json.loads((ROOT / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
    site = copy.deepcopy(site)
    if partners == []:
        site["partners"] = []
    plan = durable_advisor.advise(load_programme(ROOT / "programmes" / "cafe-families-of-offenders.json"),
                                  load_site(site))
    assert "site.partners" not in {q.field for q in plan.missing_information}


def test_a_list_left_out_is_asked_for(durable_advisor: Advisor) -> None:
    site = json.loads((ROOT / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
    del site["partners"]
    plan = durable_advisor.advise(load_programme(ROOT / "programmes" / "cafe-families-of-offenders.json"),
                                  load_site(site))
    assert "site.partners" in {q.field for q in plan.missing_information}
