"""Routes what-if offers besides money: a site whose budget is half the cost can build the work into
posts it already pays for (its twin 1377 does, and the guidance says such costs are "potentially
mitigated"), but it cannot make the programme an extension of work the area does not do."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from whatif_support import check_promises

from replicate.advisor import Advisor
from replicate.loading import load_site
from replicate.plan.decision import rank
from replicate.scenarios import load_scenario
from replicate.whatif import what_if
from replicate.whatif.catalogue import load_catalogue
from replicate.whatif.levers import LeverFinder

SCENARIOS = Path(__file__).parent / "scenarios"


def test_a_budget_far_short_of_the_cost_can_be_met_by_existing_roles(durable_advisor: Advisor) -> None:
    first = load_scenario(next(SCENARIOS.glob("1376-*.yaml")))
    twin = load_scenario(next(SCENARIOS.glob("1377-*.yaml")))
    result = what_if(durable_advisor, first.programme, first.site)
    assert result.verdict == "not_yet"
    [roles] = [lever for lever in result.levers if lever.change.field == "funding.extends_existing_roles"]
    assert roles.change.new is True and not roles.change.also
    # The twin that built the work into existing roles gets what the lever promised.
    assert durable_advisor.advise(twin.programme, twin.site).decision.verdict == roles.verdict == "go_with_conditions"
    check_promises(durable_advisor, first.programme, first.site, result)


def test_extending_existing_work_is_a_fact_of_the_area_not_a_change() -> None:
    catalogue = load_catalogue()
    assert catalogue.change_for("funding.extends_existing_work") is None
    assert "funding.extends_existing_work" in catalogue.fixed


def test_more_months_secured_come_with_a_source_that_pays_for_them(durable_advisor: Advisor) -> None:
    """One year of a two-year run funded by a one-year grant (1385). Securing the second year alone
    would leave the grant short of the months claimed (a finding of its own), and extending the grant
    alone changes nothing standing: what-if must find the pair where it said "no set of up to 3
    changes", and count it as the one act it is, or three conditions take four changes (1604)."""
    scenario = load_scenario(next(SCENARIOS.glob("1385-*.yaml")))
    result = what_if(durable_advisor, scenario.programme, scenario.site)
    [to_go] = [goal for goal in result.goals if goal.target == "go"]
    assert to_go.reached_with == 1
    [secured] = [change for suggestion in to_go.suggestions for change in suggestion.changes
                 if change.field == "funding.months_secured"]
    assert [(c.field, c.old, c.new) for c in secured.also] == [
        ("funding.sources[Police and Crime Commissioner grant].months", 12, secured.new)]
    # The grant extended alone moves nothing, so it is never offered as a single change.
    assert not any(lever.change.field.startswith("funding.sources[") for lever in result.levers)
    check_promises(durable_advisor, scenario.programme, scenario.site, result)


@settings(max_examples=25, deadline=None)
@given(source_months=st.lists(st.integers(min_value=1, max_value=36), min_size=1, max_size=3),
       secured=st.integers(min_value=1, max_value=23))
def test_months_secured_are_always_proposed_with_sources_that_cover_them(
        durable_advisor: Advisor, source_months: list[int], secured: int) -> None:
    """Whatever the sources and the months secured, every proposal to secure more months leaves the
    sources covering them between them, raising one source at most and lowering none."""
    scenario = load_scenario(next(SCENARIOS.glob("1385-*.yaml")))
    data = scenario.site.model_dump(mode="json", exclude_none=True)
    [template] = data["funding"]["sources"][:1]
    data["funding"]["months_secured"] = secured
    data["funding"]["sources"] = [{**template, "name": f"Source {n}", "months": months}
                                  for n, months in enumerate(source_months)]
    site = load_site(data)
    assert scenario.programme.costs.duration_months == 24
    parameters = {name: parameter.spec.value for name, parameter in durable_advisor.rule_base.parameters.items()}
    finder = LeverFinder(scenario.programme, site, durable_advisor.rule_base.rules, load_catalogue(), parameters)
    proposals = [c for c in finder.changes() if c.slot.path == "funding.months_secured" and c.kind == "change"]
    assert proposals  # a two-year run with under 24 months secured always has more to secure
    for change in proposals:
        raised = [(slot.value, new) for slot, new in change.also if slot.pattern == "funding.sources[].months"]
        assert len(raised) <= 1 and all(new > old for old, new in raised)
        covered = sum(source_months) + sum(new - old for old, new in raised)
        assert covered >= change.new


def test_agreeing_cross_boundary_working_reaches_go_for_a_rural_county(durable_advisor: Advisor) -> None:
    """A rural county whose one condition is the cross-boundary working it lacks (the original relied
    on it). Agreeing it is a change the catalogue lists, yet what-if said "no set of up to 3 changes
    reaches go": it only proposed the first change listed for the local conditions (1626)."""
    scenario = load_scenario(next(SCENARIOS.glob("1626-*.yaml")))
    result = what_if(durable_advisor, scenario.programme, scenario.site)
    [to_go] = [goal for goal in result.goals if goal.target == "go"]
    assert to_go.reached_with == 1
    agreed = [change.new for suggestion in to_go.suggestions for change in suggestion.changes
              if change.field == "conditions"]
    assert any(isinstance(tags, list) and "cross_borough_working" in tags for tags in agreed)
    check_promises(durable_advisor, scenario.programme, scenario.site, result)


@settings(max_examples=25, deadline=None)
@given(listed=st.sets(st.sampled_from(["information_sharing_agreement", "cross_borough_working",
                                       "co_located_services", "public_transport"])))
def test_every_tag_the_catalogue_adds_is_proposed(durable_advisor: Advisor, listed: set[str]) -> None:
    """Whatever local conditions a site lists, each tag any catalogue change may add to them, and the
    site lacks, is proposed: one field with two listed changes offered only the first."""
    scenario = load_scenario(next(SCENARIOS.glob("1553-*.yaml")))
    site = scenario.site.model_copy(update={"conditions": sorted(listed)})
    catalogue = load_catalogue()
    finder = LeverFinder(scenario.programme, site, durable_advisor.rule_base.rules, catalogue, {})
    proposed = {tag for change in finder.changes() if change.slot.path == "conditions" and change.kind == "change"
                for tag in set(change.new) - listed}
    addable = {tag for spec in catalogue.changes_for("conditions") for tag in spec.add or ()}
    assert len(catalogue.changes_for("conditions")) >= 2
    assert proposed == addable - listed


def test_an_action_what_if_lists_has_the_owner_the_plan_gives_it(durable_advisor: Advisor) -> None:
    """A site with no sponsor: the plan gave naming a deputy to "commissioner, until a strategic
    sponsor is named", and what-if to the "strategic sponsor" the site does not have (1689)."""
    scenario = load_scenario(next(SCENARIOS.glob("1689-*.yaml")))
    plan = durable_advisor.advise(scenario.programme, scenario.site)
    owners = {action.do: action.owner for action in plan.actions}
    result = what_if(durable_advisor, scenario.programme, scenario.site)
    listed = [action for goal in result.goals for suggestion in goal.suggestions for action in suggestion.actions
              if action.do in owners]
    # The school's governing board holds it, as its commissioner would elsewhere.
    assert any(action.owner.endswith(", until a strategic sponsor is named") for action in listed)
    assert all(action.owner == owners[action.do] for action in listed)


def test_engaging_partners_at_the_outset_is_offered_where_a_core_principle_needs_it(
        durable_advisor: Advisor) -> None:
    """A CAF plan the council imposed: item 5 of the plan said to put in place what the core
    principle needs (partners engaged at the outset), yet what-if never offered it and said no set
    of up to 3 changes lifts the decision (1694)."""
    scenario = load_scenario(next(SCENARIOS.glob("1694-*.yaml")))
    result = what_if(durable_advisor, scenario.programme, scenario.site)
    step = result.goals[0]
    assert step.reached_with is not None
    # Offered as a change of its own, which lifts the decision; the fewest changes to "go" is now the
    # plan's item 2, the plan handed to the partners to reshape, which engages them as well (2206).
    engaged = [effect for effect in result.levers if effect.change.field == "conditions"
               and isinstance(effect.change.new, list) and "partner_engagement_at_outset" in effect.change.new]
    assert engaged and all(rank(effect.verdict) < rank(result.verdict) for effect in engaged)
    check_promises(durable_advisor, scenario.programme, scenario.site, result)
