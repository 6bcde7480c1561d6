"""A launch condition met by a record, not a field, is recorded under `actions_done` (1263, 1264, 1284).

The finding stands, with what shows the action done; its condition no longer holds the decision, and
nothing else changes. A site cannot record an action the rule base does not let it record.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replicate.actions_done import recordable_rules
from replicate.advisor import Advisor
from replicate.errors import InputError
from replicate.loading import load_programme, site_from_data
from replicate.plan.model import VERDICT_ORDER, AdaptationPlan
from replicate.render.text import render_text
from replicate.rules.rulebase import load_rule_base
from replicate.scenarios import load_scenario, scenario_files

SCENARIOS = Path(__file__).parent / "scenarios"
PROFILES = Path(__file__).parent.parent / "profiles"
EVIDENCE = "Minutes of the partnership board, 18 March, item 6."


@cache
def _recordable() -> frozenset[str]:
    return frozenset(recordable_rules(load_rule_base().by_id()))


@cache
def _with_recordable_conditions() -> tuple[Path, ...]:
    """Shipped scenarios whose plan makes a recordable action a launch condition."""
    advisor = Advisor(engine="reference")
    found = []
    for path in scenario_files([SCENARIOS]):
        scenario = load_scenario(path)
        plan = advisor.advise(scenario.programme, scenario.site)
        if {ref for c in plan.decision.conditions for ref in c.answers} & _recordable():
            found.append(path)
    return tuple(found)


def _recorded(plan: AdaptationPlan, site: dict[str, Any], rules: set[str]) -> dict[str, Any]:
    done = copy.deepcopy(site)
    done["actions_done"] = [{"rule": rule, "evidence": f"{EVIDENCE} ({rule})"} for rule in sorted(rules)]
    return done


def test_only_before_launch_actions_about_the_whole_site_can_be_recorded() -> None:
    rules = load_rule_base().by_id()
    assert _recordable() >= {"FL-POLITICAL-CLIMATE", "IM-WEAK-ORIGINAL-EVIDENCE", "IM-FUNDING-DECISION-BEFORE-OUTCOMES"}
    for rule_id in _recordable():
        spec = rules[rule_id].spec
        assert spec.action is not None and spec.action.phase == "before_launch" and spec.for_each == "site"
        assert spec.effect.decision not in ("not_yet", "do_not_replicate"), rule_id


def test_the_scenarios_include_conditions_a_site_can_only_record() -> None:
    assert len(_with_recordable_conditions()) >= 5


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_recording_a_condition_as_done_lifts_it_and_nothing_else(reference_advisor: Advisor, data: st.DataObject
                                                                 ) -> None:
    path = data.draw(st.sampled_from(_with_recordable_conditions()))
    scenario = load_scenario(path)
    before = reference_advisor.advise(scenario.programme, scenario.site)
    conditions = {ref for c in before.decision.conditions for ref in c.answers} & _recordable()
    chosen = set(data.draw(st.lists(st.sampled_from(sorted(conditions)), min_size=1, unique=True)))
    site = _recorded(before, scenario.site.model_dump(mode="json", exclude_none=True), chosen)
    after = reference_advisor.advise(scenario.programme, site_from_data(site, "site"))

    # The findings stand, the chosen ones carrying their record; nothing is found or lost.
    assert [f.ref for f in after.findings] == [f.ref for f in before.findings]
    assert {f.rule_id: f.done for f in after.findings if f.done} == {r: f"{EVIDENCE} ({r})" for r in chosen}
    # Their conditions and actions are gone; every other condition is still there.
    left = {ref for c in after.decision.conditions for ref in c.answers}
    assert not left & chosen
    assert not {ref for a in after.actions for ref in a.answers} & chosen
    if after.decision.verdict == before.decision.verdict == "go_with_conditions":
        assert left == {ref for c in before.decision.conditions for ref in c.answers} - chosen
    # Never a worse decision, and the first page says what it rests on.
    assert VERDICT_ORDER.index(after.decision.verdict) <= VERDICT_ORDER.index(before.decision.verdict)
    page = " ".join(render_text(after).split())
    assert "Met on the site's own record" in page and all(rule in page for rule in chosen)


def _climate_site(political: str) -> dict[str, Any]:
    site: dict[str, Any] = json.loads((PROFILES / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
    site["climate"]["political"] = political
    return site


def test_a_record_for_a_rule_that_did_not_fire_changes_nothing(reference_advisor: Advisor) -> None:
    programme = load_programme(PROFILES / "programmes" / "cafe-families-of-offenders.json")
    site = _climate_site("supportive")
    plain = reference_advisor.advise(programme, site_from_data(site, "site"))
    site["actions_done"] = [{"rule": "FL-POLITICAL-CLIMATE", "evidence": EVIDENCE}]
    recorded = reference_advisor.advise(programme, site_from_data(site, "site"))
    assert recorded.model_dump(exclude={"site"}) == plain.model_dump(exclude={"site"})


@pytest.mark.parametrize(("entry", "message"), [
    ({"rule": "FL-NO-SUCH-RULE", "evidence": EVIDENCE}, "no rule FL-NO-SUCH-RULE in the rule base"),
    ({"rule": "BI-NO-LEAD", "evidence": EVIDENCE}, "BI-NO-LEAD's action is not recorded here"),
])
def test_a_site_cannot_record_what_the_rule_base_does_not_let_it(reference_advisor: Advisor, entry: dict[str, str],
                                                                 message: str) -> None:
    programme = load_programme(PROFILES / "programmes" / "cafe-families-of-offenders.json")
    site = _climate_site("unfavourable")
    site["actions_done"] = [{"rule": "FL-POLITICAL-CLIMATE", "evidence": EVIDENCE}, entry]
    with pytest.raises(InputError) as raised:
        reference_advisor.advise(programme, site_from_data(site, "site"))
    [problem] = raised.value.problems
    assert problem.location == "actions_done[1].rule" and message in problem.message


def test_the_same_rule_recorded_twice_and_an_empty_record_are_refused(reference_advisor: Advisor) -> None:
    programme = load_programme(PROFILES / "programmes" / "cafe-families-of-offenders.json")
    site = _climate_site("unfavourable")
    site["actions_done"] = [{"rule": "FL-POLITICAL-CLIMATE", "evidence": EVIDENCE}] * 2
    with pytest.raises(InputError, match="listed twice"):
        reference_advisor.advise(programme, site_from_data(site, "site"))
    site["actions_done"] = [{"rule": "FL-POLITICAL-CLIMATE", "evidence": "  "}]
    with pytest.raises(InputError) as raised:
        site_from_data(site, "site.json")
    assert raised.value.problems[0].location == "actions_done[0].evidence"
