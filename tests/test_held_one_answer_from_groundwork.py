"""A go that one answer could turn into "not yet" is held at "information needed", as one that
could turn into "do not replicate" is (499): Holding Families cannot be delivered without an adult
treatment service, and a site that leaves its local conditions out is asked first, in the
programme's own terms, not told "go ahead". The answer then decides it either way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from replicate.advisor import Advisor
from replicate.loading import load_site
from replicate.scenarios import load_scenario

SCENARIO = load_scenario(next((Path(__file__).parent / "scenarios").glob("499-*.yaml")))
RELIED_ON = SCENARIO.programme.proven_context.relies_on


def _site(conditions: list[str] | None) -> Any:
    data = SCENARIO.site.model_dump(mode="json", exclude_none=True)
    if conditions is not None:
        data["conditions"] = conditions
    return load_site(data)


def test_left_out_it_is_asked_in_the_programmes_own_terms(durable_advisor: Advisor) -> None:
    plan = durable_advisor.advise(SCENARIO.programme, _site(None))
    assert plan.decision.verdict == "information_needed"
    [first, *_] = plan.missing_information
    assert first.field == "site.conditions" and first.could_change_to == "not_yet"
    # The condition a core principle cannot do without is named in the programme's words and marked
    # as the one that decides; the others follow as words; the schema's examples are not asked.
    assert "adult drug and alcohol treatment service to work alongside (a core principle needs it)" in first.question
    assert "information sharing agreement" in first.question and "public transport" not in first.question


@pytest.mark.parametrize(("conditions", "verdict"), [(RELIED_ON, "go"),
                                                     ([c for c in RELIED_ON if c != "adult_treatment_service"],
                                                      "not_yet")])
def test_answered_it_decides_either_way(durable_advisor: Advisor, conditions: list[str], verdict: str) -> None:
    plan = durable_advisor.advise(SCENARIO.programme, _site(list(conditions)))
    assert plan.decision.verdict == verdict
