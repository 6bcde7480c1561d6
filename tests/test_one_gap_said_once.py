"""One gap, said once, owned by someone who exists.

Patterns examiners found counted twice or owned by nobody (rounds 13 and 14): a lead short of hours
whose time is also unpaid; the unfunded rest of a run and the uncertain source meant to pay for
it; actions owned by a strategic sponsor at a site that says it has none; and questions about the
design of an evaluation the site says it will not run. Each property holds for every value in its
range, on the shipped rule base and the ready site of well-prepared.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from replicate.advisor import Advisor
from replicate.findings import Finding
from replicate.loading import load_programme, load_site
from replicate.plan import AdaptationPlan
from replicate.rules.parameters import shipped_parameters

PROFILES = Path(__file__).resolve().parent.parent / "profiles"
PROGRAMME = load_programme(PROFILES / "programmes" / "cafe-families-of-offenders.json")
READY: dict[str, Any] = json.loads((PROFILES / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
RUN_MONTHS = PROGRAMME.costs.duration_months
LEAD_TIME_RULES = {"BI-LEAD-NO-TIME", "RS-NO-LEAD-TIME", "BI-LEAD-TIME-SHORT-AND-UNPAID"}
RUN_FUNDING_RULES = {"RS-FUNDING-TABLE-2", "RS-FUNDING-TABLE-3", "RS-UNCERTAIN-FUNDING", "RS-REST-OF-RUN-UNCERTAIN"}


def _ready(**changes: dict[str, Any]) -> dict[str, Any]:
    site = copy.deepcopy(READY)
    for section, values in changes.items():
        site[section].update(values)
    return site


def _risks(advisor: Advisor, site: dict[str, Any]) -> list[Finding]:
    found, _ = advisor.findings(PROGRAMME, load_site(site))
    return [f for f in found if not f.is_strength]


@settings(max_examples=40, deadline=None)
@given(hours=st.integers(min_value=0, max_value=40).map(lambda halves: halves / 2), paid=st.booleans())
def test_the_leads_time_is_one_finding_whether_short_unpaid_or_both(
        reference_advisor: Advisor, hours: float, paid: bool) -> None:
    site = _ready(leadership={"lead_hours_per_week": hours}, funding={"budget_for_lead_time": paid})
    about_lead_time = [f.rule_id for f in _risks(reference_advisor, site) if f.rule_id in LEAD_TIME_RULES]
    short = hours < shipped_parameters()["lead_hours_min"].value
    assert len(about_lead_time) == (1 if short or not paid else 0), about_lead_time
    if short and not paid:
        assert about_lead_time == ["BI-LEAD-TIME-SHORT-AND-UNPAID"]


@settings(max_examples=40, deadline=None)
@given(secured=st.integers(min_value=RUN_MONTHS // 4, max_value=RUN_MONTHS - 1),
       bid=st.integers(min_value=1, max_value=36))
def test_the_unfunded_rest_and_the_bid_to_fill_it_are_one_finding(
        reference_advisor: Advisor, secured: int, bid: int) -> None:
    """Secure money for the months secured, and a bid still pending for after them: one gap."""
    sources = [{"name": "Core budget", "kind": "core_budget", "stability": "secure", "months": secured},
               {"name": "Grant bid", "kind": "grant", "stability": "uncertain", "months": bid}]
    site = _ready(funding={"months_secured": secured, "sources": sources})
    about_run = [f.rule_id for f in _risks(reference_advisor, site) if f.rule_id in RUN_FUNDING_RULES]
    assert about_run == ["RS-REST-OF-RUN-UNCERTAIN"]


def test_an_uncertain_source_inside_the_months_secured_is_still_its_own_risk(reference_advisor: Advisor) -> None:
    """Twelve secure months cannot back twenty said to be secured: the uncertain source is part
    of that money, so it stays a risk of its own beside the unfunded rest of the run, and one to
    settle before launch (1162), in place of the general finding of uncertain sources."""
    sources = [{"name": "Core budget", "kind": "core_budget", "stability": "secure", "months": 12},
               {"name": "Grant bid", "kind": "grant", "stability": "uncertain", "months": 8}]
    site = _ready(funding={"months_secured": 20, "sources": sources})
    by_id = {f.rule_id: f for f in _risks(reference_advisor, site)}
    assert "RS-REST-OF-RUN-UNCERTAIN" not in by_id and "RS-UNCERTAIN-FUNDING" not in by_id
    assert by_id["RS-SECURED-COUNTS-ON-UNCERTAIN"].action is not None
    assert by_id["RS-SECURED-COUNTS-ON-UNCERTAIN"].action.phase == "before_launch"


def test_a_bid_on_top_of_a_run_already_funded_is_a_low_note(reference_advisor: Advisor) -> None:
    sources = [{"name": "Core budget", "kind": "core_budget", "stability": "secure", "months": RUN_MONTHS},
               {"name": "Extras bid", "kind": "charitable", "stability": "uncertain", "months": 12}]
    site = _ready(funding={"months_secured": RUN_MONTHS, "sources": sources})
    by_id = {f.rule_id: f for f in _risks(reference_advisor, site)}
    assert "RS-UNCERTAIN-FUNDING" not in by_id
    assert by_id["RS-UNCERTAIN-TOP-UP"].severity == "low"


def _owners(plan: AdaptationPlan) -> set[str]:
    return {c.owner for c in [*plan.decision.conditions, *plan.decision.groundwork]} | {a.owner for a in plan.actions}


def test_no_action_is_owned_by_a_sponsor_the_site_says_it_lacks(reference_advisor: Advisor) -> None:
    changes = {"leadership": {"lead_hours_per_week": 5},
               "climate": {"national_policy_change": True, "alternatives_considered": False}}
    with_sponsor = reference_advisor.advise(PROGRAMME, load_site(_ready(**changes)))
    changes["leadership"]["strategic_sponsor"] = False
    without = reference_advisor.advise(PROGRAMME, load_site(_ready(**changes)))
    assert "strategic sponsor" in _owners(with_sponsor)
    assert "strategic sponsor" not in _owners(without)
    assert "commissioner, until a strategic sponsor is named" in _owners(without)


def test_existing_roles_with_no_time_do_not_mitigate_a_budget_gap(reference_advisor: Advisor) -> None:
    annual_cost = PROGRAMME.costs.annual_cost
    assert annual_cost is not None
    gap = {"annual_budget": round(annual_cost * 2 / 3), "extends_existing_roles": True, "extends_existing_work": False,
           "joined_up": False, "self_funding": False}
    stretched = {f.rule_id: f for f in _risks(reference_advisor, _ready(
        funding=gap, leadership={"time_allocated": False}))}
    with_time = {f.rule_id: f for f in _risks(reference_advisor, _ready(
        funding=gap, leadership={"time_allocated": True, "staff_capacity": "high"}))}
    assert stretched["RS-COST-GAP-ROLES-STRETCHED"].severity == "medium"
    assert "RS-COST-MITIGATED" not in stretched
    assert with_time["RS-COST-MITIGATED"].severity == "low"
    assert "RS-COST-GAP-ROLES-STRETCHED" not in with_time


def test_no_question_about_the_design_of_an_evaluation_that_will_not_run(reference_advisor: Advisor) -> None:
    """With no evaluation planned and no outcomes recorded, the decommissioning risk absorbs "no
    evaluation", which absorbs the evaluation's design: none of it is asked (356, round 14)."""
    design = ("systematic", "statistical_data", "baseline", "long_term_outcomes")
    site = _ready(operational_plan={"outcomes_recorded": False})
    site["evaluation"] = {"planned": False}
    plan = reference_advisor.advise(PROGRAMME, load_site(site))
    asked = {field for question in plan.missing_information for field in question.fields}
    assert "IM-DECOMMISSIONING-RISK" in {f.rule_id for f in plan.findings}
    assert not asked & {f"site.evaluation.{name}" for name in design}, asked


RESOURCE_CENTRE = load_programme(PROFILES / "programmes" / "resource-centre.json")


def _parents_unengaged_site() -> dict[str, Any]:
    """A ready resource-centre site (shipped scenario 11's) whose parents do not shape the plan."""
    from replicate.scenarios import load_scenario

    scenario = load_scenario(Path(__file__).resolve().parent / "scenarios" / "11-rc-well-partnered.yaml")
    site = scenario.site.model_dump(mode="json", exclude_none=True)
    site["leadership"]["service_users_engaged"] = False
    return site


def test_parents_not_shaping_a_plan_a_core_principle_needs_them_to_shape_is_one_finding(
        reference_advisor: Advisor) -> None:
    """The resource centre's consultation with parents is core: parents not engaged is that
    principle at risk, said once in buy-in, not again as a site-wide buy-in gap or an unmet need (511)."""
    found, _ = reference_advisor.findings(RESOURCE_CENTRE, load_site(_parents_unengaged_site()))
    about_parents = sorted(f.rule_id for f in found if not f.is_strength and (
        "site.leadership.service_users_engaged" in f.matched or f.rule_id == "FL-PRINCIPLE-NEED-UNMET"))
    assert about_parents == ["BI-CORE-PRINCIPLE-FAMILIES-NOT-ENGAGED"]
    [finding] = [f for f in found if f.rule_id == "BI-CORE-PRINCIPLE-FAMILIES-NOT-ENGAGED"]
    assert finding.subject_ids == ["parent_consultation"]


# -- round 38 ----------------------------------------------------------------------------------------

EVALUATION_GAPS = {"IM-NOT-SYSTEMATIC", "IM-NO-STATISTICS", "IM-NO-BASELINE", "IM-EVALUATION-NOT-ROBUST"}


@settings(max_examples=20, deadline=None)
@given(systematic=st.booleans(), statistical=st.booleans(), baseline=st.booleans())
def test_an_evaluation_lacking_every_part_is_one_piece_of_work(
        reference_advisor: Advisor, systematic: bool, statistical: bool, baseline: bool) -> None:
    """Not systematic, no figures and no baseline is one evaluation to rework, one condition; any
    part in place leaves each missing part its own finding; and an evaluation without a baseline is
    never credited as robust beside the risk that says so (1098, 1105)."""
    site = _ready(evaluation={"planned": True, "systematic": systematic, "statistical_data": statistical,
                              "baseline": baseline})
    found, _ = reference_advisor.findings(PROGRAMME, load_site(site))
    ids = {f.rule_id for f in found}
    missing = not systematic, not statistical, not baseline
    expected = ({"IM-EVALUATION-NOT-ROBUST"} if all(missing) else
                {rule for rule, gap in zip(("IM-NOT-SYSTEMATIC", "IM-NO-STATISTICS", "IM-NO-BASELINE"), missing,
                                           strict=True) if gap})
    assert ids & EVALUATION_GAPS == expected
    if not baseline:
        assert not ids & {"IM-ROBUST-EVALUATION", "IM-ROBUST-EVALUATION-FIRST-FIGURES"}



@settings(max_examples=10, deadline=None)
@given(recorded=st.booleans())
def test_an_evaluation_of_outcomes_nobody_records_is_not_credited(reference_advisor: Advisor, recorded: bool) -> None:
    """A statistical evaluation was listed as a strength beside "outcomes achieved but not recorded":
    its figures are those outcomes (1858). Not recording them withholds the strength, and says so."""
    site = _ready(evaluation={"planned": True, "systematic": True, "statistical_data": True, "baseline": True})
    site["operational_plan"] = {**site.get("operational_plan", {}), "outcomes_recorded": recorded}
    found, _ = reference_advisor.findings(PROGRAMME, load_site(site))
    credited = {f.rule_id for f in found} & {"IM-ROBUST-EVALUATION", "IM-ROBUST-EVALUATION-FIRST-FIGURES"}
    assert bool(credited) is recorded
    if not recorded:
        [risk] = [f for f in found if f.rule_id in ("OM-OUTCOMES-NOT-RECORDED", "OM-OWN-RUN-OUTCOMES-NOT-RECORDED")]
        assert any(ref.startswith("IM-ROBUST-EVALUATION") for ref in risk.withheld_strengths)

@settings(max_examples=20, deadline=None)
@given(months=st.one_of(st.none(), st.integers(min_value=0, max_value=120)))
def test_a_source_of_unstated_length_is_not_asked_about_where_the_rest_cover_the_months_secured(
        reference_advisor: Advisor, months: int | None) -> None:
    """A secure source covering the whole run beside an uncertain one: however long the uncertain
    one runs, the sources cannot fall short of the months secured, so its length is never a
    question that "could change the decision" and the go is not provisional for it (1087)."""
    uncertain: dict[str, Any] = {"name": "Partner top-up", "kind": "partner_contribution", "stability": "uncertain"}
    if months is not None:
        uncertain["months"] = months
    sources = [{"name": "Core budget", "kind": "core_budget", "stability": "secure", "months": RUN_MONTHS}, uncertain]
    plan = reference_advisor.advise(PROGRAMME, load_site(_ready(funding={"months_secured": RUN_MONTHS,
                                                                         "sources": sources})))
    assert "RS-SOURCES-SHORT-OF-SECURED" not in {f.rule_id for f in plan.findings}
    assert not any(q.field.startswith("site.funding.sources") for q in plan.missing_information)
    assert plan.decision.verdict == "go" and not plan.decision.provisional


def test_a_missing_agreement_a_partner_finding_asks_for_is_not_asked_for_again(reference_advisor: Advisor) -> None:
    """Shipped 784: Holding Families relied on an information-sharing agreement the site lacks, and
    the critical treatment service does not share. Signing the agreement is the partner finding's
    action, so the missing condition is not a second one (784, 1103). With the partner sharing, the
    missing agreement is its own finding again."""
    from replicate.scenarios import load_scenario

    scenario = load_scenario(next((Path(__file__).resolve().parent / "scenarios").glob("784-*.yaml")))
    site = scenario.site.model_dump(mode="json", exclude_none=True)
    assert "information_sharing_agreement" not in site["conditions"]
    found, _ = reference_advisor.findings(scenario.programme, load_site(site))
    not_sharing = {f.rule_id for f in found}
    for partner in site["partners"]:
        partner["shares_information"] = True
    found, _ = reference_advisor.findings(scenario.programme, load_site(site))
    sharing = {f.rule_id for f in found}
    assert "PW-PARTNER-NOT-SHARING" in not_sharing and "FL-CONDITIONS-MISSING" not in not_sharing
    assert "FL-CONDITIONS-MISSING" in sharing


LEAD_ESSENTIALS = {"lead_local_knowledge": False, "lead_influence": "low", "lead_skills": "low",
                   "lead_understands_programme": False}
LEAD_RULES = {"BI-LEAD-NO-LOCAL-KNOWLEDGE", "BI-LEAD-LOW-INFLUENCE", "BI-LEAD-WEAK-SKILLS", "BI-LEAD-NOT-UNDERSTAND"}


@settings(max_examples=20, deadline=None)
@given(lacking=st.sets(st.sampled_from(sorted(LEAD_ESSENTIALS))))
def test_a_lead_lacking_every_essential_is_one_finding_about_who_leads(
        reference_advisor: Advisor, lacking: set[str]) -> None:
    """Each essential a lead lacks is its own remedy, until the lead lacks them all: then the
    question is who leads, said once (1085)."""
    site = _ready(leadership={name: LEAD_ESSENTIALS[name] for name in lacking})
    ids = {f.rule_id for f in _risks(reference_advisor, site)}
    if len(lacking) == len(LEAD_ESSENTIALS):
        assert "BI-LEAD-LACKS-ESSENTIALS" in ids and not ids & LEAD_RULES
    else:
        assert "BI-LEAD-LACKS-ESSENTIALS" not in ids
        assert len(ids & LEAD_RULES) == len(lacking)


FORCES = {"political": "unfavourable", "funding_outlook": "declining", "economic": "tightening",
          "staffing_pressure": True}
FALLBACK_RULES = {"FL-FORCES-NO-FALLBACK", "FL-NATIONAL-POLICY-CHANGE", "FL-SITE-POLICY-CHANGE", "FL-HOSTILE-CLIMATE",
                  "FL-NO-ALTERNATIVES", "FL-FUNDING-OUTLOOK", "FL-STAFFING-PRESSURE"}


@settings(max_examples=40, deadline=None)
@given(forces=st.sets(st.sampled_from(sorted(FORCES))), policy_changing=st.booleans(),
       national_agenda=st.booleans())
def test_one_plan_for_alternative_ways_of_working_whatever_forces_are_at_work(
        reference_advisor: Advisor, forces: set[str], policy_changing: bool, national_agenda: bool) -> None:
    """With no fallback worked out, every outside force at work asks for one thing: alternative ways
    of working with what would trigger each. A national policy changing beside a tightening economy
    and staffing pressure read as two conditions, each asking for it, with different owners (1561)."""
    site = _ready(climate={"alternatives_considered": False, "national_policy_change": policy_changing,
                           **{name: FORCES[name] for name in forces}})
    programme = PROGRAMME.model_copy(update={"national_policy": "A national agenda" if national_agenda else None})
    found, _ = reference_advisor.findings(programme, load_site(site))
    asking = {f.rule_id for f in found if not f.is_strength} & FALLBACK_RULES
    if {"political", "funding_outlook"} <= forces:
        assert asking == {"FL-HOSTILE-CLIMATE"}
    elif policy_changing:
        assert asking == {"FL-NATIONAL-POLICY-CHANGE" if national_agenda else "FL-SITE-POLICY-CHANGE"}
    elif forces:
        assert asking == {"FL-FORCES-NO-FALLBACK"}
    else:
        assert asking <= {"FL-NO-ALTERNATIVES"}
