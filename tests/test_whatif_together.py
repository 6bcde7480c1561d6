"""A change made to several items at once (the catalogue's `together`): terms signed with every
service a programme builds on. One service's terms settle nothing while another's are open, so no
set of single changes smaller than the number of services could show the way to go (1381 has five,
and what-if said "not by changes to this profile alone" though the resubmission 1384 reached go)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from whatif_support import check_promises

from replicate.advisor import Advisor
from replicate.scenarios import load_scenario
from replicate.schema import ExistingService, Programme, SiteProfile
from replicate.whatif import what_if
from replicate.whatif.catalogue import Catalogue, load_catalogue
from replicate.whatif.levers import LeverFinder
from replicate.whatif.profile import Change

SCENARIOS = Path(__file__).parent / "scenarios"


def _together(advisor: Advisor, site: SiteProfile, programme: Programme) -> list[Change]:
    finder = LeverFinder(programme, site, advisor.rule_base.rules, load_catalogue())
    return [c for c in finder.changes() if c.also and c.slot.pattern == "existing_services[].terms_agreed"]


def test_signing_terms_with_every_service_built_on_is_one_change_that_reaches_go(durable_advisor: Advisor) -> None:
    first = load_scenario(next(SCENARIOS.glob("1381-*.yaml")))
    resubmitted = load_scenario(next(SCENARIOS.glob("1384-*.yaml")))
    signed_since = {s.id for s in resubmitted.site.existing_services or [] if s.terms_agreed}
    unsigned = {s.id for s in first.site.existing_services or [] if not s.terms_agreed and s.id in signed_since}
    assert len(unsigned) == 5  # the other two services serve nothing the programme does
    result = what_if(durable_advisor, first.programme, first.site)
    go = result.goals[-1]
    assert go.target == "go" and go.reached_with == 1, go
    [change] = go.suggestions[0].changes
    signed = {change.field, *(c.field for c in change.also)}
    assert signed == {f"existing_services[{s}].terms_agreed" for s in unsigned}
    # The resubmission that did exactly this reaches what the change promised.
    assert durable_advisor.advise(resubmitted.programme, resubmitted.site).decision.verdict == go.suggestions[0].verdict
    check_promises(durable_advisor, first.programme, first.site, result)


def test_a_service_that_serves_nothing_of_the_programme_is_not_asked_to_sign(durable_advisor: Advisor) -> None:
    scenario = load_scenario(next(SCENARIOS.glob("1381-*.yaml")))
    unrelated = ExistingService(id="library", name="Northvale libraries", covers=["youth_activities"],
                                has_capacity=True)
    site = scenario.site.model_copy(update={"existing_services": [*(scenario.site.existing_services or []), unrelated]})
    [change] = _together(durable_advisor, site, scenario.programme)
    assert "Northvale libraries" not in change.label
    assert all(slot.item != "library" for slot, _ in change.also)


def test_one_service_left_to_sign_is_that_service_s_own_change(durable_advisor: Advisor) -> None:
    scenario = load_scenario(next(SCENARIOS.glob("1381-*.yaml")))
    services = scenario.site.existing_services or []
    keep = next(s.id for s in services if not s.terms_agreed)
    signed = [s if s.id == keep else s.model_copy(update={"terms_agreed": True}) for s in services]
    site = scenario.site.model_copy(update={"existing_services": signed})
    assert _together(durable_advisor, site, scenario.programme) == []


def test_together_needs_an_item_field_and_one_value() -> None:
    data = load_catalogue().model_dump(by_alias=True)
    change = next(c for c in data["changes"] if c["path"] == "existing_services[].terms_agreed")
    change["to"] = [True, False]
    with pytest.raises(ValidationError, match="together"):
        Catalogue.model_validate(data)


def test_reopening_the_plan_with_every_critical_partner_not_on_board_is_one_change_that_reaches_go(
        durable_advisor: Advisor) -> None:
    """A critical partner is on board once consulted and seeing a benefit, and either alone moves
    nothing: what-if said no set of three changes reached go for a plan imposed on two critical
    partners, though its one condition, done in full, did (1848)."""
    scenario = load_scenario(next(SCENARIOS.glob("1848-*.yaml")))
    off_board = {p.id for p in scenario.site.partners or []
                 if p.critical and not (p.consulted and p.sees_mutual_benefit)}
    assert len(off_board) == 2
    result = what_if(durable_advisor, scenario.programme, scenario.site)
    go = result.goals[-1]
    assert go.target == "go" and go.reached_with == 1, go
    [change] = go.suggestions[0].changes
    assert {change.field, *(c.field for c in change.also)} == {
        f"partners[{p}].{field}" for p in off_board for field in ("consulted", "sees_mutual_benefit")}
    check_promises(durable_advisor, scenario.programme, scenario.site, result)


def test_a_field_already_given_is_not_set_again(durable_advisor: Advisor) -> None:
    scenario = load_scenario(next(SCENARIOS.glob("1848-*.yaml")))
    [first, second] = [p.id for p in scenario.site.partners or [] if p.critical and not p.consulted]
    partners = [p.model_copy(update={"consulted": True}) if p.id == first else p for p in scenario.site.partners or []]
    finder = LeverFinder(scenario.programme, scenario.site.model_copy(update={"partners": partners}),
                         durable_advisor.rule_base.rules, load_catalogue())
    [change] = [c for c in finder.changes() if c.label.startswith("Re-open the plan with every critical partner")]
    assert change.slot.path == f"partners[{second}].consulted"
    assert {slot.path for slot, _ in change.also} == {
        f"partners[{first}].sees_mutual_benefit", f"partners[{second}].sees_mutual_benefit"}
    # With every critical partner consulted, what is left is agreeing the benefit: that change's own.
    partners = [p.model_copy(update={"consulted": True}) if p.critical else p for p in scenario.site.partners or []]
    finder = LeverFinder(scenario.programme, scenario.site.model_copy(update={"partners": partners}),
                         durable_advisor.rule_base.rules, load_catalogue())
    assert not [c for c in finder.changes() if c.label.startswith("Re-open the plan with every critical partner")]
    [change] = [c for c in finder.changes() if c.label.startswith("Agree with every critical partner")]
    assert {change.slot.path, *(slot.path for slot, _ in change.also)} == {
        f"partners[{first}].sees_mutual_benefit", f"partners[{second}].sees_mutual_benefit"}
