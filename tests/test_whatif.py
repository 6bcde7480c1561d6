"""`what_if`: the smallest sets of realistic changes that move the decision, checked by applying
each suggested set independently and advising again with the same advisor."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE_SITES, PROFILES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from strategies import programme_and_site
from whatif_support import apply_changes, check_promises, rank

from replicate.advisor import Advisor
from replicate.errors import InputError
from replicate.loading import load_programme, load_site
from replicate.plan.model import VERDICT_ORDER
from replicate.schema import Programme, SiteProfile
from replicate.whatif import WhatIf, what_if
from replicate.whatif.catalogue import Catalogue, load_catalogue

PAIRS = EXAMPLE_SITES


def _load(site: str) -> tuple[Programme, SiteProfile]:
    return (load_programme(PROFILES / "programmes" / f"{PAIRS[site]}.json"),
            load_site(PROFILES / "sites" / f"{site}.json"))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(programme_and_site())
def test_suggestions_keep_their_promises_on_generated_sites(
        durable_advisor: Advisor, pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    programme, site = Programme.model_validate(pair[0]), SiteProfile.model_validate(pair[1])
    result = what_if(durable_advisor, programme, site, max_changes=2)
    check_promises(durable_advisor, programme, site, result)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(programme_and_site())
def test_no_smaller_set_of_any_two_levers_reaches_a_goal_that_needed_three(
        durable_advisor: Advisor, pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """The pruned search against brute force: when a goal needs three changes or more, no pair of
    the levers considered reaches it (each pair applied and advised here)."""
    programme, site = Programme.model_validate(pair[0]), SiteProfile.model_validate(pair[1])
    result = what_if(durable_advisor, programme, site, max_changes=3)
    # A search that stopped at its budget says it may be incomplete, and claims no minimum.
    hard = [g for g in result.goals if g.complete and (g.reached_with is None or g.reached_with == 3)]
    if not hard:
        return
    levers = result.levers[:20]
    for first, second in itertools.combinations(levers, 2):
        if first.change.field == second.change.field:
            continue
        try:
            changed = apply_changes(site, [first.change, second.change])
        except (ValidationError, StopIteration, KeyError):
            continue  # e.g. a change to an adaptation the other withdraws
        verdict = durable_advisor.advise(programme, changed).decision.verdict
        for goal in hard:
            assert rank(verdict) > rank(goal.target), (goal.target, first.change, second.change)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(programme_and_site(), st.data())
def test_a_set_judged_on_part_of_its_advice_gets_the_answer_the_whole_advice_gives(
        durable_advisor: Advisor, pair: tuple[dict[str, Any], dict[str, Any]], data: st.DataObject) -> None:
    """The search judges a set on the least of its advice that settles it (a theme too little known,
    a finding that holds "not yet"). For any sets of levers and every goal, in any order of goals,
    that answer is the one the whole advice of the changed site gives."""
    from replicate.whatif.levers import LeverFinder
    from replicate.whatif.profile import apply
    from replicate.whatif.search import Search

    programme, site = Programme.model_validate(pair[0]), SiteProfile.model_validate(pair[1])
    rules = [r for r in durable_advisor.rule_base.rules if r.spec.enabled]
    search = Search(durable_advisor, programme, site, LeverFinder(programme, site, rules, load_catalogue()).changes())
    if not search.levers:
        return
    targets = data.draw(st.permutations(["go", "go_with_conditions", "information_needed", "not_yet"]))
    for _ in range(4):
        chosen = frozenset(data.draw(st.sets(st.integers(0, len(search.levers) - 1), min_size=1, max_size=3)))
        changed = apply(site, [search.levers[i].change for i in sorted(chosen)])
        verdict = durable_advisor.advise(programme, changed).decision.verdict if changed is not None else None
        for target in targets:
            expected = verdict is not None and rank(verdict) <= rank(target)
            assert search.reaches(chosen, target) == expected, (sorted(chosen), target, verdict)


@pytest.fixture(scope="module")
def results(durable_advisor: Advisor) -> dict[str, WhatIf]:
    return {site: what_if(durable_advisor, *_load(site)) for site in PAIRS}


def test_a_theme_held_under_its_floor_is_searched_through_its_own_risks(durable_advisor: Advisor) -> None:
    """Five buy-in risks, none decisive alone, hold buy-in's score under the groundwork floor; any
    two of them lifted reach "information needed". With 121 levers, trying sets blindly spent the
    whole budget before reaching the pairs (found by the brute-force property in CI); sets must
    touch the held theme, so the pair is found and the search is complete."""
    case = json.loads((Path(__file__).parent / "whatif_cases" / "buy-in-under-its-floor.json").read_text())
    programme, site = Programme.model_validate(case["programme"]), SiteProfile.model_validate(case["site"])
    result = what_if(durable_advisor, programme, site, max_changes=3)
    assert result.verdict == "not_yet"
    step = result.goals[0]
    # One change since the catalogue appoints a lead with what the plan asks of one (hours, standing,
    # skills, a deputy), which lifts several of the five at once; two before.
    assert step.target == "information_needed" and step.complete and step.reached_with == 1
    assert any(c.field == "leadership.named_lead" and c.also for s in step.suggestions for c in s.changes)
    for suggestion in step.suggestions:
        # Each a change to the leadership, or the plan handed to the partners to reshape (which the
        # stakeholders then shaped): both buy-in's own.
        assert all(any(f.startswith("leadership.") for f in (c.field, *(a.field for a in c.also)))
                   for c in suggestion.changes), suggestion.changes
        assert all(f.rule_id.startswith("BI-") for f in suggestion.resolves), suggestion.resolves
    check_promises(durable_advisor, programme, site, result)


def test_a_finding_that_another_mitigates_is_within_reach(durable_advisor: Advisor) -> None:
    """The original evaluation was not systematic: a fixed fact of the programme, but a local
    evaluation that is systematic and statistical mitigates it (IM-ROBUST-EVALUATION). Stating
    statistical data reaches go in one change; it had been reported out of reach, since that
    change alters none of the finding's own facts."""
    programme, site = _load("well-prepared")
    programme = programme.model_copy(update={"evidence": programme.evidence.model_copy(update={"systematic": False})})
    site = site.model_copy(update={"evaluation": site.evaluation.model_copy(update={"statistical_data": False})})
    result = what_if(durable_advisor, programme, site)
    go = result.goals[-1]
    assert go.target == "go" and go.reached_with == 1 and go.out_of_reach == []
    assert [[c.field for c in s.changes] for s in go.suggestions] == [["evaluation.statistical_data"]]
    assert "IM-ORIGINAL-NOT-SYSTEMATIC" in {f.rule_id for f in go.suggestions[0].resolves}


def test_a_finding_that_only_judges_the_decision_is_searched_too(durable_advisor: Advisor) -> None:
    """Nobody driving the programme (no lead, sponsor or champion) is an "info" finding: it adds
    nothing to buy-in's score, only holds the decision at "not yet". Any one of the three people
    lifts that hold (the search had failed on such a finding, found by exploring new examples)."""
    programme, site = _load("well-prepared")
    site = site.model_copy(update={"leadership": site.leadership.model_copy(
        update={"named_lead": False, "strategic_sponsor": False, "champions": 0})})
    result = what_if(durable_advisor, programme, site)
    assert result.verdict == "not_yet"
    step = result.goals[0]
    assert step.reached_with == 1 and step.complete
    assert {s.changes[0].field for s in step.suggestions} == {
        "leadership.named_lead", "leadership.strategic_sponsor", "leadership.champions"}
    check_promises(durable_advisor, programme, site, result)


def test_one_change_that_dilutes_the_model_can_be_withdrawn(durable_advisor: Advisor) -> None:
    """A component carrying two core principles cut back is one finding over findings, standing for
    the change it absorbed: withdrawing the change is still found to lift "not yet" (it had been
    reported out of reach once the change's own finding was absorbed)."""
    from replicate.scenarios import load_scenario

    scenario = load_scenario(next((Path(__file__).parent / "scenarios").glob("24-*.yaml")))
    result = what_if(durable_advisor, scenario.programme, scenario.site)
    assert result.verdict == "not_yet"
    step = result.goals[0]
    assert step.reached_with == 1 and step.out_of_reach == []
    assert any(c.field.startswith("adaptations[") for s in step.suggestions for c in s.changes)
    check_promises(durable_advisor, scenario.programme, scenario.site, result)


def test_reviews_too_seldom_and_doubting_staff_are_within_reach(durable_advisor: Advisor) -> None:
    """A second resource centre reviewed yearly over a three-year run, with staff who only partly
    believe in the model (scenario 574): shortening the interval and winning the staff are changes
    a site can make, so go is within reach; an interval is only ever shortened, to the rules' line
    (four reviews over 36 months: every 9), never lengthened."""
    from replicate.scenarios import load_scenario

    scenario = load_scenario(next((Path(__file__).parent / "scenarios").glob("574-*.yaml")))
    result = what_if(durable_advisor, scenario.programme, scenario.site)
    assert result.verdict == "go_with_conditions"
    [goal] = result.goals
    assert goal.suggestions and goal.out_of_reach == []
    intervals = [lever.change.new for lever in result.levers
                 if lever.change.field == "operational_plan.review_every_months"]
    assert intervals == [9]
    assert any(c.field == "staff.believe_in_model" for s in goal.suggestions for c in s.changes)
    check_promises(durable_advisor, scenario.programme, scenario.site, result)


def test_every_shipped_example_is_covered() -> None:
    assert {path.stem for path in (PROFILES / "sites").glob("*.json")} == set(PAIRS)


@pytest.mark.parametrize("site", sorted(PAIRS))
def test_each_shipped_example_keeps_its_promises(durable_advisor: Advisor, results: dict[str, WhatIf],
                                                 site: str) -> None:
    programme, profile = _load(site)
    check_promises(durable_advisor, programme, profile, results[site])


def test_the_examples_answers(results: dict[str, WhatIf]) -> None:
    """What each example shows: a site at go has nothing to change; a site that says almost nothing
    needs more than three answers; three withdrawn adaptations lift a diluted model; three changes
    (the housing partner brought in, and two to resources or buy-in) get rural-county conditions;
    and what rests on the partners or the existing services is out of reach."""
    assert results["well-prepared"].goals == []
    # Only already-served's first goal (three themes too little known) and many-agencies' first
    # (eleven partners, each with several levers) spend the whole budget, and say so.
    assert [(site, goal.target) for site, result in results.items() for goal in result.goals if not goal.complete] \
        == [("already-served", "go_with_conditions"), ("many-agencies", "information_needed")]

    sparse = results["sparse"].goals[0]
    assert results["sparse"].verdict == "information_needed" and sparse.target == "go_with_conditions"
    assert sparse.reached_with is None and sparse.out_of_reach == []  # answerable, just not in three

    step = results["dropping-core"].goals[0]
    assert step.reached_with == 3 and step.target == "information_needed"
    assert {c.kind for c in step.suggestions[0].changes} == {"withdraw"}
    assert "FL-DILUTED-MODEL" in {f.ref for f in step.suggestions[0].resolves}
    assert step.suggestions[0].actions

    rural = results["rural-county"].goals[0]
    # Agreeing cross-boundary working is one of the two (1626: it was never proposed, listed second).
    assert rural.reached_with == 2 and rural.suggestions[0].verdict == "go_with_conditions"
    # Meetings with the housing partner end its "cut off" finding; its missing informal contact was
    # absorbed there all along, so it is still to do, not brought in.
    first = rural.suggestions[0]
    assert "PW-NO-INFORMAL-CONTACT@district_housing" in {f.ref for f in first.uncovers}
    assert not {f.ref for f in first.uncovers} & {f.ref for f in first.introduces}
    # Every way up fixes the housing partner cut off from the programme (its own high risk).
    assert all("PW-CRITICAL-PARTNER-CUT-OFF" in {f.rule_id for f in s.resolves} for s in rural.suggestions)

    def out_of_reach(site: str) -> set[str]:
        return {f.rule_id for f in results[site].goals[-1].out_of_reach}

    # Northmoor works around its missing buses; cross-boundary working is an agreement it can make.
    assert "FL-RURAL-MISSING-CONDITIONS" not in out_of_reach("rural-county")
    assert "PW-TIPPING-POINT" in out_of_reach("many-agencies")
    # Signing terms with every service it builds on is one change, made to each service at once:
    # one service's terms alone settle nothing while the others' are open.
    assert "FL-MOSTLY-DUPLICATED" not in out_of_reach("already-served")
    signing = [lever for lever in results["already-served"].levers if "FL-MOSTLY-DUPLICATED" in lever.resolves]
    assert signing and all(lever.change.field.endswith(".terms_agreed") and len(lever.change.also) >= 1
                           for lever in signing)


def test_levers_come_from_the_rules_conditions(tmp_path: Path) -> None:
    """A local rule's threshold becomes a lever: nothing about lead hours is written in whatif."""
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "local.yaml").write_text("""\
rules:
  - id: LOC-LEAD-HOURS
    title: The lead has under seven hours a week
    theme: buy_in
    category: missing_buy_in
    severity: high
    when: site.leadership.lead_hours_per_week < param.local_lead_hours
    advice: "Seven hours at least."
    action: {do: Give the lead seven hours., done_when: The hours are agreed., phase: before_launch,
             owner: commissioner}
    effect: {decision: not_yet}
    factors: [BI6]
    source: {theme: buy_in, quote: "buy time for leading the programme"}
    basis: {kind: local_default, rationale: a line this council draws}
""", encoding="utf-8")
    (folder / "parameters.yaml").write_text(
        "parameters:\n  - {name: local_lead_hours, value: 7, unit: hours a week, basis: local_default, "
        "reason: \"Our line.\"}\n", encoding="utf-8")
    advisor = Advisor.from_packs([folder], engine="reference")
    programme = load_programme(PROFILES / "programmes" / "cafe-families-of-offenders.json")
    site = load_site({"id": "s", "name": "S", "local_needs": ["family_support"],
                      "leadership": {"lead_hours_per_week": 5}})
    result = what_if(advisor, programme, site, max_changes=1)
    assert result.verdict == "not_yet"
    changes = [s.changes[0] for g in result.goals for s in g.suggestions]
    assert any(c.field == "leadership.lead_hours_per_week" and c.old == 5 and c.new == 7 for c in changes)
    assert all("LOC-LEAD-HOURS" in {f.rule_id for f in s.resolves} for g in result.goals for s in g.suggestions)


def test_a_rule_that_fired_on_a_fixed_field_is_out_of_reach(durable_advisor: Advisor) -> None:
    programme = load_programme(PROFILES / "programmes" / "cafe-families-of-offenders.json")
    site = load_site({"id": "s", "name": "S", "setting": "rural", "local_needs": ["family_support"]})
    result = what_if(durable_advisor, programme, site)
    go = result.goals[-1]
    assert go.reached_with is None and "FL-RURAL-URBAN-MODEL" in {f.ref for f in go.out_of_reach}
    assert all(not c.change.field.startswith("setting") for c in result.levers)


def test_the_order_is_deterministic(durable_advisor: Advisor, reference_advisor: Advisor,
                                    results: dict[str, WhatIf]) -> None:
    programme, site = _load("dropping-core")
    assert what_if(durable_advisor, programme, site) == results["dropping-core"]
    assert what_if(reference_advisor, programme, site) == results["dropping-core"]


def test_bad_input_is_refused_like_advise(durable_advisor: Advisor) -> None:
    programme = load_programme(PROFILES / "programmes" / "cafe-families-of-offenders.json")
    site = load_site({"id": "s", "name": "S", "adaptations": [{"id": "a", "touches": "nope", "nature": "add"}]})
    with pytest.raises(InputError) as error:
        what_if(durable_advisor, programme, site)
    assert "adaptations[0].touches" in str(error.value)
    with pytest.raises(ValueError):
        what_if(durable_advisor, programme, load_site({"id": "s", "name": "S"}), max_changes=0)


def test_the_catalogue_refuses_a_change_to_a_fixed_field() -> None:
    shipped = load_catalogue()
    assert {"setting", "local_needs"} <= set(shipped.fixed)
    data = shipped.model_dump(by_alias=True)
    data["changes"] = [*data["changes"], {"path": "setting", "label": "Move the site"}]
    with pytest.raises(ValidationError, match="fixed"):
        Catalogue.model_validate(data)


def test_the_result_has_a_json_schema_that_its_json_meets(results: dict[str, WhatIf]) -> None:
    import json

    import jsonschema

    result = results["dropping-core"]
    schema = WhatIf.model_json_schema(mode="serialization")
    jsonschema.validate(json.loads(result.model_dump_json()), schema)
    assert WhatIf.model_validate_json(result.model_dump_json()) == result
    assert set(schema["properties"]["verdict"]["enum"]) == set(VERDICT_ORDER)


def test_a_change_one_party_decided_can_be_taken_to_the_board(durable_advisor: Advisor) -> None:
    """A change one party decided is put right, in the plan's own words, by agreeing it at the
    partnership board: what-if offers that beside withdrawing the change (it offered only the
    withdrawal once), and keeps its promise."""
    programme, site = _load("rural-county")
    data = json.loads(site.model_dump_json(exclude_unset=True))
    data["adaptations"][0]["decided_by"] = "commissioner"
    changed = load_site(data)
    result = what_if(durable_advisor, programme, changed)
    boards = [lever for lever in result.levers if lever.change.field.endswith("].decided_by")]
    assert boards and all(lever.change.new == "partnership_board" for lever in boards)
    assert all(lever.change.old == "commissioner" for lever in boards)
    check_promises(durable_advisor, programme, changed, result)


@pytest.mark.parametrize(("path", "value", "said"), [
    ("leadership.champions", 1, "Name 1 champion to keep the programme on the agenda"),
    ("leadership.champions", 11, "Name 11 champions to keep the programme on the agenda"),
    ("operational_plan.review_every_months", 1, "Review progress every 1 month"),
    ("funding.months_secured", 0.1, "Secure funding for 0.1 months, by extending a source or adding one"),
])
def test_a_change_of_one_reads_in_the_singular(path: str, value: float, said: str) -> None:
    """'Name 1 champions' read as a tool counting, not advising (round 34)."""
    from replicate.whatif.levers import change_label

    template = next(spec.label for spec in load_catalogue().changes if spec.path == path)
    assert change_label(template, "", value) == said


def test_a_step_up_is_not_offered_where_going_all_the_way_takes_no_more_changes(durable_advisor: Advisor) -> None:
    """The lead's hours and the months funded both unstated: answering both reaches "go", so the
    step up that answers them badly (no hours, eight months) in as many changes read as advice to
    do that (1347). Where going all the way takes more, the step up stays."""
    programme = load_programme(PROFILES / "programmes" / "cafe-families-of-offenders.json")
    data = json.loads((PROFILES / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
    del data["leadership"]["lead_hours_per_week"]
    del data["funding"]["months_secured"]
    both = what_if(durable_advisor, programme, load_site(data))
    assert both.verdict == "information_needed"
    assert [goal.target for goal in both.goals] == ["go"]
    check_promises(durable_advisor, programme, load_site(data), both)
    data["staff"]["jobs_secure"] = False
    more = what_if(durable_advisor, programme, load_site(data))
    step, to_go = more.goals
    assert step.target == "go_with_conditions" and to_go.target == "go"
    assert step.reached_with is not None and to_go.reached_with is not None
    assert step.reached_with < to_go.reached_with
