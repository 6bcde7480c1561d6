"""After launch, and what a finding rests on: the plan's sustaining section, and the marks that tell
a reader where advice rests on a reading of the guidance, a local number or an illustrative fact."""

from __future__ import annotations

from itertools import pairwise

from conftest import PROFILES

from replicate.advisor import Advisor
from replicate.loading import load_programme, load_site
from replicate.plan import AdaptationPlan
from replicate.plan.model import IF_FUNDED
from replicate.render.markdown import render_markdown
from replicate.render.text import render_text
from replicate.schema import SiteProfile


def _plan(advisor: Advisor, site: str, programme: str) -> AdaptationPlan:
    return advisor.advise_files(PROFILES / "programmes" / f"{programme}.json", PROFILES / "sites" / f"{site}.json")


def test_sustaining_checks_each_core_principle_and_dates_the_reviews(durable_advisor: Advisor) -> None:
    plan = _plan(durable_advisor, "well-prepared", "cafe-families-of-offenders")
    core = {p.id for p in plan.principles if p.kind == "core"}
    assert {check.principle for check in plan.sustaining.fidelity_checks} == core
    every = next(p.value for p in plan.parameters if p.name == "review_every_months")
    months = [review.month for review in plan.sustaining.reviews]
    assert months and months[0] == every and all(b - a == every for a, b in pairwise(months))
    assert "cost/benefit" in plan.sustaining.cost_benefit
    assert any("funding" in trigger for trigger in plan.sustaining.reassess_when)
    assert "After launch" in render_text(plan, "full") and "After launch" in render_markdown(plan)


def test_findings_resting_on_a_local_choice_or_illustrative_fact_say_so(durable_advisor: Advisor) -> None:
    plan = _plan(durable_advisor, "rural-county", "cafe-families-of-offenders")
    local = [f for f in plan.findings if f.rests_on_local_choice and f.parameters]
    illustrative = [f for f in plan.findings if f.illustrative_facts]
    assert local and illustrative
    text = render_text(plan, "full")
    for finding in local:
        parameter = next(p for p in finding.parameters if p.basis != "guidance")
        assert f"{parameter.name} = " in text
    assert "Rests on illustrative programme facts" in text
    assert "Basis: a local default" in text or "Basis: a reading of the guidance" in text


def test_every_plan_records_the_numbers_it_used(durable_advisor: Advisor) -> None:
    plan = _plan(durable_advisor, "sparse", "cafe-families-of-offenders")
    names = {p.name for p in plan.parameters}
    assert {"decision_theme_floor", "decision_medium_risks_per_high", "readiness_keeps_high"} <= names
    assert all(p.reason and p.unit for p in plan.parameters)


def test_a_core_principle_whose_need_is_unstated_says_so_beside_keep_exactly(durable_advisor: Advisor) -> None:
    from pathlib import Path

    from replicate.scenarios import load_scenario

    scenario = load_scenario(Path(__file__).parent / "scenarios" / "123-rc-nothing-already-runs.yaml")
    assert scenario.site.leadership is not None
    leadership = scenario.site.leadership
    stated = scenario.site.model_copy(update={"leadership": leadership.model_copy(
        update={"service_users_engaged": True})})
    unstated = scenario.site.model_copy(update={"leadership": leadership.model_copy(
        update={"service_users_engaged": None})})

    def guidance(site: SiteProfile) -> str:
        plan = durable_advisor.advise(scenario.programme, site)
        return next(p.guidance for p in plan.principles if p.id == "parent_consultation")

    assert "Not yet known" not in guidance(stated)
    assert "Not yet known whether the site has what it needs: parents engaged" in guidance(unstated)


def test_readiness_thresholds_in_the_decision_are_marked_as_local(durable_advisor: Advisor) -> None:
    from replicate.plan import decision as model

    plan = _plan(durable_advisor, "dropping-core", "holding-families")
    params = model.DecisionParameters.from_values({p.name: p.value for p in plan.parameters})
    for count in (2, 3):  # below the conditions floor, then below the groundwork floor
        risks = [model.Risk(f"R{n}", "a risk", "resources", "high", None, False) for n in range(count)]
        judged = model.judge(risks, [], {}, [], params)
        floors = [c.text for c in judged.causes if "readiness is" in c.text]
        assert floors and all("(a local threshold): a risk" in text for text in floors)
    assert "not the guidance's, which draws none of these lines" in plan.decision_method


def test_a_programme_without_principles_never_calls_a_changed_component_deliver_as_defined(
        durable_advisor: Advisor) -> None:
    from pathlib import Path

    from replicate.scenarios import load_scenario

    scenario = load_scenario(Path(__file__).parent / "scenarios" / "144-cafe-core-principles-not-identified.yaml")
    plan = durable_advisor.advise(scenario.programme, scenario.site)
    changed = {a.touches for a in scenario.site.adaptations}
    assert changed
    for component in plan.components:
        if component.id in changed:
            assert component.status != "deliver"
            assert "judge it once the core principles are identified" in component.guidance
    assert not any("keeps within the framework" in f.advice for f in plan.findings)
    assert "describes no principles" in render_text(plan, "full")
    assert "describes no principles" in render_markdown(plan)


def test_a_component_serving_the_programme_itself_is_not_judged_by_local_need(durable_advisor: Advisor) -> None:
    """Holding Families' outcome follow-up serves the programme, not a need an area lists: a site
    that does not list 'outcome_monitoring' is not told the component has no need, and dropping it
    is still a dilution, never excused by the area's needs."""
    programme = load_programme(PROFILES / "programmes" / "holding-families.json")
    follow_up = next(c for c in programme.components if c.id == "outcome_follow_up")
    assert not follow_up.serves_local_need
    site = load_site(PROFILES / "sites" / "dropping-core.json")
    assert site.local_needs is not None and "outcome_monitoring" not in site.local_needs
    plan = durable_advisor.advise(programme, site)
    assert not [f for f in plan.findings if "outcome_follow_up" in f.subject_ids and "NO-NEED" in f.rule_id]

    judged = programme.model_copy(update={"components": [
        c.model_copy(update={"serves_local_need": True}) if c.id == "outcome_follow_up" else c
        for c in programme.components]})
    plan = durable_advisor.advise(judged, site)
    assert [f for f in plan.findings if "outcome_follow_up" in f.subject_ids and "NO-NEED" in f.rule_id]


def test_dropping_a_component_that_serves_the_programme_is_never_excused_by_local_need(
        durable_advisor: Advisor) -> None:
    from replicate.loading import load_programme, load_site
    from replicate.schema import PlannedAdaptation

    programme = load_programme(PROFILES / "programmes" / "holding-families.json")
    site = load_site(PROFILES / "sites" / "dropping-core.json")
    drop = PlannedAdaptation(id="no_follow_up", touches="outcome_follow_up", nature="remove",
                             decided_by="partnership_board", reason="No need for it here.")
    plan = durable_advisor.advise(programme, site.model_copy(update={"adaptations": [drop]}))
    rules = {f.rule_id for f in plan.findings if "no_follow_up" in f.subject_ids}
    assert "FL-ADAPT-DROPS-CORE-COMPONENT" in rules
    assert "FL-ADAPT-DROPS-SHARED-CORE-COMPONENT" not in rules


def test_reviews_follow_the_sites_own_rhythm_only_when_it_is_regular_over_the_run(durable_advisor: Advisor) -> None:
    """A termly cycle on a two-year run (six reviews) is the site's own and kept; a yearly one (two
    reviews) is too seldom to act on targets missed twice, so the plan's quarterly dates are used and
    the finding asks for more."""
    programme = load_programme(PROFILES / "programmes" / "cafe-families-of-offenders.json")
    base = load_site(PROFILES / "sites" / "well-prepared.json")

    def with_interval(months: float) -> AdaptationPlan:
        plan_fields = base.operational_plan.model_copy(update={"review_every_months": months})
        return durable_advisor.advise(programme, base.model_copy(update={"operational_plan": plan_fields}))

    termly = with_interval(4)
    assert [r.month for r in termly.sustaining.reviews][:3] == [4, 8, 12]
    assert "OM-REVIEW-INFREQUENT" not in {f.rule_id for f in termly.findings}
    yearly = with_interval(12)
    assert [r.month for r in yearly.sustaining.reviews][:3] == [3, 6, 9]
    assert "OM-REVIEW-INFREQUENT" in {f.rule_id for f in yearly.findings}


def test_the_cost_benefit_case_is_due_before_the_money_runs_out(durable_advisor: Advisor) -> None:
    """The guidance's CAFÉ case kept going on its own figures ("contributed to the continuation of
    the programme"), so the local case is due at the last review at least the notice period
    (funding_decision_notice_months) before the money ends: the end of the months funded where they
    fall short of the run or go past it (more money keeps the programme going: 1648), else the end of
    the run; and it is to be drawn up, not updated, where the site does not plan one."""
    programme = load_programme(PROFILES / "programmes" / "cafe-families-of-offenders.json")
    site = load_site(PROFILES / "sites" / "well-prepared.json")

    def due(profile: SiteProfile) -> list[tuple[int, str]]:
        reviews = [r for r in durable_advisor.advise(programme, profile).sustaining.reviews
                   if not r.what.startswith(IF_FUNDED)]
        plain = min(len(r.what) for r in reviews)
        return [(r.month, r.what) for r in reviews if len(r.what) > plain]

    run = programme.costs.duration_months
    whole_run = site.model_copy(update={"funding": site.funding.model_copy(update={
        "months_secured": run, "sources": [s.model_copy(update={"months": run}) for s in site.funding.sources or []]})})
    [(month, what)] = due(whole_run)  # funded for the whole run, a local case planned
    notice = int(next(p.value for p in durable_advisor.advise(programme, site).parameters
                      if p.name == "funding_decision_notice_months"))
    assert month <= run - notice and f"at least {notice} months before the run ends at month {run}" in what
    # Money past the run (36 months of a 24-month run): reviews go on while it lasts, and the case is
    # due before the money ends, not the run.
    funded = site.funding.months_secured
    assert funded is not None and funded > run
    [(month, what)] = due(site)
    assert run < month <= funded - notice
    assert f"at least {notice} months before the money ends at month {funded:g}" in what
    assert "complete the local" in what
    short = site.model_copy(update={"funding": site.funding.model_copy(update={"months_secured": 12})})
    [(month, what)] = due(short)
    assert month <= 12 - notice and f"at least {notice} months before it ends at month 12" in what
    # Reviews after the money secured runs out happen only if more comes, and say so.
    later = [r for r in durable_advisor.advise(programme, short).sustaining.reviews if r.month > 12]
    assert later and all(r.what.startswith(IF_FUNDED) for r in later)
    unplanned = site.model_copy(update={"evaluation": site.evaluation.model_copy(update={"local_cost_benefit": False})})
    [(_, what)] = due(unplanned)
    assert "draw up the local cost/benefit case" in what


def test_advise_again_names_only_the_lead_and_sponsor_the_site_has(durable_advisor: Advisor) -> None:
    """'Advise again if the named lead leaves' beside 'no named lead' read as a template (834)."""
    import json

    data = json.loads((PROFILES / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
    programme = load_programme(PROFILES / "programmes" / "cafe-families-of-offenders.json")
    said = {}
    for lead in (True, False):
        for sponsor in (True, False):
            data["leadership"].update(named_lead=lead, strategic_sponsor=sponsor)
            plan = durable_advisor.advise(programme, load_site(data))
            said[lead, sponsor] = next(w for w in plan.sustaining.reassess_when if "sponsor" in w or "lead" in w)
    assert said[True, True] == "the named lead or senior sponsor leaves"
    assert said[True, False] == "the named lead leaves"
    assert said[False, True] == "the senior sponsor leaves"
    assert said[False, False] == "a lead or a senior sponsor is appointed"


def test_a_cost_benefit_case_due_before_any_outcome_is_measured_rests_on_early_measures(
        durable_advisor: Advisor) -> None:
    """The local case was to be built 'from the site's own delivery outcomes' at month 6 for a
    programme that measures them six months after a family starts (818, 821)."""
    import json

    data = json.loads((PROFILES / "programmes" / "cafe-families-of-offenders.json").read_text(encoding="utf-8"))
    site = load_site(PROFILES / "sites" / "well-prepared.json")
    said = {}
    for lag in (1, 40):
        data["evidence"]["outcomes_measured_after_months"] = lag
        plan = durable_advisor.advise(load_programme(data), site)
        [case] = [r.what for r in plan.sustaining.reviews if "cost/benefit case" in r.what]
        said[lag] = case
    assert "from the site's own delivery outcomes" in said[1] and "early measures" not in said[1]
    assert "from the early measures" in said[40]
    assert "the outcomes of the first families are measured only at month 40" in said[40]


def test_a_plan_held_for_groundwork_dates_its_reviews_from_a_go_not_from_now(durable_advisor: Advisor) -> None:
    """A 'not yet' plan headed its review schedule 'After launch', read as a timetable starting now (810)."""
    from replicate.render.html import render_html

    held = _plan(durable_advisor, "rural-county", "cafe-families-of-offenders")
    ready = _plan(durable_advisor, "well-prepared", "cafe-families-of-offenders")
    assert held.decision.verdict == "not_yet" and ready.decision.verdict == "go"
    for render in (lambda p: render_text(p, "full"), render_markdown, render_html):
        assert "After launch, once the advice is to go ahead: sustaining it" in render(held)
        assert "After launch: sustaining it" in render(ready) and "once the advice" not in render(ready)


def test_a_regular_review_rhythm_reads_as_one_phrase_not_every_month_listed() -> None:
    """Monthly reviews over three years printed thirty-six month numbers (1508); an even rhythm of five
    or more reviews reads "every N months, months A to B", and a short or uneven list stays as it is."""
    from hypothesis import given
    from hypothesis import strategies as st

    from replicate.render.labels import months_text

    @given(first=st.integers(1, 12), step=st.integers(1, 12), count=st.integers(1, 40))
    def check(first: int, step: int, count: int) -> None:
        months = [first + step * n for n in range(count)]
        text = months_text(months)
        if count >= 5:
            assert text == f"every {'month' if step == 1 else f'{step} months'}, months {first} to {months[-1]}"
        else:
            assert text == "months " + ", ".join(map(str, months))

    check()
    assert months_text([3, 6, 9, 12, 18]) == "months 3, 6, 9, 12, 18"
