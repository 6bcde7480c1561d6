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
from hypothesis import HealthCheck, given, settings
from strategies import programme_and_site

from replicate import Advisor, load_programme, load_site
from replicate.plan.model import Question

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


def _without(field: str, partners: set[str]) -> dict[str, object]:
    site = json.loads((ROOT / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
    for partner in site["partners"]:
        if partner["id"] in partners:
            del partner[field]
    return site


def _asked_of_partners(advisor: Advisor, site: dict[str, object]) -> list[Question]:
    plan = advisor.advise(load_programme(ROOT / "programmes" / "cafe-families-of-offenders.json"), load_site(site))
    return [q for q in plan.missing_information if q.field.startswith("site.partners.")]


def test_the_same_question_of_several_partners_is_asked_once_naming_them(durable_advisor: Advisor) -> None:
    """Eleven lines asking the same of eleven partners push every other question off the first page."""
    asked = _asked_of_partners(durable_advisor, _without("shares_information", {"housing", "jobcentre", "probation"}))
    assert [q.fields for q in asked] == [[f"site.partners.{p}.shares_information"
                                          for p in ("housing", "jobcentre", "probation")]]
    assert asked[0].question.startswith(
        "Not stated for each of 3 partners, Riverside Housing Options and Riverside Homes, Jobcentre Plus "
        "Riverside and Riverside Probation Delivery Unit: whether it shares")


def test_partners_whose_answer_could_change_the_decision_are_asked_apart(durable_advisor: Advisor) -> None:
    """Only a critical partner's silence on sharing could move the decision, so the question that
    could is not diluted by one that could not (the families charity is not critical). Money advice
    is known to share, so no answer could leave every partner silent (which the charity's would
    help to)."""
    blank = {"probation", "housing", "jobcentre", "families_charity"}
    asked = _asked_of_partners(durable_advisor, _without("shares_information", blank))
    assert [(len(q.fields), q.could_change_to) for q in asked] == [(3, "go_with_conditions"), (1, None)]
    assert asked[1].fields == ["site.partners.families_charity.shares_information"]


def test_a_question_of_every_partner_says_so_rather_than_naming_them(durable_advisor: Advisor) -> None:
    everyone = {"probation", "housing", "jobcentre", "money_advice", "families_charity"}
    asked = _asked_of_partners(durable_advisor, _without("informal_contact", everyone))
    assert len(asked) == 1 and len(asked[0].fields) == 5
    assert asked[0].question.startswith("Not stated for each of the 5 partners: whether staff have informal")


def test_one_partner_is_asked_about_by_name(durable_advisor: Advisor) -> None:
    asked = _asked_of_partners(durable_advisor, _without("shares_information", {"housing"}))
    assert [q.fields for q in asked] == [["site.partners.housing.shares_information"]]
    assert asked[0].subject == "partner Riverside Housing Options and Riverside Homes"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programme_and_site())
def test_each_field_is_asked_once_and_a_question_asks_one_thing(
    reference_advisor: Advisor, pair: tuple[dict[str, object], dict[str, object]]
) -> None:
    """Grouping never loses a field or asks one twice, and joins only fields of items of one list
    (the partner form goes round once), the fields of one section the site left out whole, or the
    months of funding secured with each source's months (a question that mixed partners with
    services, or a partner with the site's own funding, could not be answered in one)."""
    programme, site = pair
    loaded = load_site(site)
    plan = reference_advisor.advise(load_programme(programme), loaded)
    fields = [field for q in plan.missing_information for field in q.fields]
    assert len(fields) == len(set(fields))
    for question in plan.missing_information:
        assert question.field == question.fields[0]
        lists = {field.rsplit(".", 2)[0] for field in question.fields}
        sections = {field.split(".")[1] for field in question.fields}
        [section] = sections if len(sections) == 1 else [""]
        part = getattr(loaded, section, None) if section else None
        left_out = part is not None and not isinstance(part, list) and part.model_dump(exclude_defaults=True) == {}
        months = question.field == "site.funding.months_secured" and all(
            f.startswith("site.funding.sources.") and f.endswith(".months") for f in question.fields[1:])
        assert len(question.fields) == 1 or len(lists) == 1 or left_out or months, question.fields


@pytest.mark.parametrize("funding", [None, {"currency": "GBP"}])
def test_funding_left_out_whole_is_one_question(durable_advisor: Advisor, funding: object) -> None:
    """Thirteen questions, one per funding field, five of them on the plan's first page, where the
    site had said nothing of its money (1738); saying only the currency says nothing of it either."""
    site = json.loads((ROOT / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
    del site["funding"]
    if funding is not None:
        site["funding"] = funding
    plan = durable_advisor.advise(load_programme(ROOT / "programmes" / "cafe-families-of-offenders.json"),
                                  load_site(site))
    asked = [q for q in plan.missing_information if q.field.startswith("site.funding.")]
    assert len(asked) == 1
    assert asked[0].question.startswith("Not stated: the funding, left out whole:")
    assert {"site.funding.months_secured", "site.funding.annual_budget"} <= set(asked[0].fields)


def test_an_evaluation_left_out_is_asked_for_before_a_decision(durable_advisor: Advisor) -> None:
    """Whether impact will be shown decided the case studies' continuation: a profile silent on
    evaluation gets "information needed", however much it says about sharing its results, and the
    one question that lifts it comes first (not six about an evaluation nobody has mentioned)."""
    site = json.loads((ROOT / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
    del site["evaluation"]
    assert site["dissemination"]["channels"]  # sharing results is stated; showing them is not
    plan = durable_advisor.advise(load_programme(ROOT / "programmes" / "cafe-families-of-offenders.json"),
                                  load_site(site))
    assert plan.decision.verdict == "information_needed"
    assert plan.decision.questions_first == ["site.evaluation.planned"]
    assert plan.summary.questions[0].field == "site.evaluation.planned"


def test_the_details_say_when_no_open_question_could_change_the_decision(durable_advisor: Advisor) -> None:
    """A do-not-replicate plan left twenty questions open under 'All information still missing',
    read as work to do before the decision holds (559), and eleven on staff belief and the political
    climate read as a questionnaire for launching what it advises against (1739): they are counted,
    not listed, and the JSON keeps them. A plan whose decision waits on answers keeps the plain
    heading and lists them all."""
    from pathlib import Path

    from replicate.render.html import render_html
    from replicate.render.markdown import render_markdown
    from replicate.render.text import render_text
    from replicate.scenarios import load_scenario

    folder = Path(__file__).parent / "scenarios"
    settled = load_scenario(next(folder.glob("559-*.yaml")))
    plan = durable_advisor.advise(settled.programme, settled.site)
    assert plan.decision.verdict == "do_not_replicate" and plan.missing_information
    assert all(q.could_change_to is None for q in plan.missing_information)
    held = (f"{len(plan.missing_information)} open questions are not listed: none could change the decision, "
            "and they bear on launching a programme this plan advises against")
    views = [render_text(plan, "full"), render_markdown(plan), render_html(plan)]
    assert all(held in " ".join(view.split()) for view in views)
    assert not any(q.question in view for view in views for q in plan.missing_information)
    waiting = load_scenario(next(folder.glob("558-*.yaml")))
    plan = durable_advisor.advise(waiting.programme, waiting.site)
    assert plan.decision.verdict == "information_needed"
    assert "\nAll information still missing\n" in render_text(plan, "full")


def test_a_decision_held_for_too_little_known_never_says_its_questions_could_not_change_it(
    durable_advisor: Advisor
) -> None:
    """Held at "information needed" because a theme is too little known, no single answer names a
    verdict, yet the answers are what lift it: the details' heading said "none could change the
    decision" over the very questions the first page asks first (706)."""
    from replicate.render.markdown import render_markdown
    from replicate.render.text import render_text

    site = json.loads((ROOT / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
    site["operational_plan"] = {"objectives": True, "targeted_outcomes": True}
    plan = durable_advisor.advise(load_programme(ROOT / "programmes" / "cafe-families-of-offenders.json"),
                                  load_site(site))
    assert plan.decision.verdict == "information_needed"
    assert all(q.could_change_to is None for q in plan.missing_information)
    assert "\nAll information still missing\n" in render_text(plan, "full")
    assert "### All information still missing\n" in render_markdown(plan)
    assert "none could change the decision)" not in render_text(plan, "full").split("All information")[1][:40]


def test_a_site_with_no_lead_is_not_asked_about_the_leads_hours_or_skills(durable_advisor: Advisor) -> None:
    """With no named lead, the lead's hours, influence and skills are no one's to state: the plan
    asks for a lead to be named (a condition), not about a lead who does not exist (627)."""
    import json
    from pathlib import Path

    from replicate.loading import load_programme, load_site

    root = Path(__file__).parent.parent / "profiles"
    data = json.loads((root / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
    data["leadership"] = {k: v for k, v in data["leadership"].items() if not k.startswith("lead_")}
    data["leadership"]["named_lead"] = False
    data["leadership"]["succession_plan"] = False
    programme = load_programme(root / "programmes" / "cafe-families-of-offenders.json")
    plan = durable_advisor.advise(programme, load_site(data))
    assert any(f.rule_id == "BI-NO-LEAD" for f in plan.findings)
    asked = [field for q in plan.missing_information for field in q.fields]
    assert not [field for field in asked if field.startswith("site.leadership.lead_")], asked
    data["leadership"]["named_lead"] = True  # a lead whose details are left out is asked about
    plan = durable_advisor.advise(programme, load_site(data))
    assert any(field.startswith("site.leadership.lead_") for q in plan.missing_information for field in q.fields)


def test_a_not_yet_plan_asks_its_open_questions_before_advising_again(durable_advisor: Advisor) -> None:
    """A "not yet" plan headed its open questions "none could change the decision", read as "none
    matters"; after the groundwork the next advice can turn on them (749)."""
    from replicate.render.text import render_text

    plan = durable_advisor.advise(load_programme(ROOT / "programmes" / "cafe-families-of-offenders.json"),
                                  load_site(ROOT / "sites" / "rural-county.json"))
    assert plan.decision.verdict == "not_yet"
    assert all(q.could_change_to is None for q in plan.summary.questions)
    page = render_text(plan)
    assert "QUESTIONS TO ANSWER BEFORE ADVISING AGAIN (NONE COULD CHANGE THIS DECISION)" in page
    assert "NONE COULD CHANGE THE DECISION)" not in page.split("READINESS")[1]


@pytest.mark.parametrize("stated", [None, True, False])
def test_a_site_scaling_up_its_own_run_is_not_asked_whether_it_extends_work_already_done(
        durable_advisor: Advisor, stated: bool | None) -> None:
    """Its own run of the programme, listed among its services, is work already done: asking whether the
    programme extends it read as if the site had not said so (912). What the site states still stands."""
    site = json.loads((ROOT / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
    site["funding"].pop("extends_existing_work", None)
    if stated is not None:
        site["funding"]["extends_existing_work"] = stated
    site["existing_services"].append({"id": "pilot", "name": "Our own pilot", "covers": ["family_support"],
                                      "runs_this_programme": True})
    plan = durable_advisor.advise(load_programme(ROOT / "programmes" / "cafe-families-of-offenders.json"),
                                  load_site(site))
    assert "site.funding.extends_existing_work" not in {f for q in plan.missing_information for f in q.fields}
    credited = any(f.rule_id == "RS-EXTENDS-EXISTING-WORK" for f in plan.findings)
    assert credited is (stated is not False)


def test_answers_that_move_the_decision_alone_come_before_those_that_need_others(durable_advisor: Advisor) -> None:
    """A first outline: a partner's "critical?" (which moves the decision only with its other
    answers) came above the funding and leadership left out whole, and the operational plan the
    decision waited for came tenth (1895). Its three partners' blanks, once eight questions
    scattered down the list, are three: the schools' details that could move the decision, the
    same two of the others, and what is left of all three."""
    from replicate.scenarios import load_scenario

    scenario = load_scenario(next((Path(__file__).resolve().parent / "scenarios").glob("1895-*.yaml")))
    plan = durable_advisor.advise(scenario.programme, scenario.site)
    asked = plan.missing_information
    sections = [q.field.split(".")[1] for q in asked[:4]]
    assert {"funding", "leadership"} <= set(sections), sections
    of_partners = [q for q in asked if q.field.startswith("site.partners.")]
    assert sorted(q.could_change_to is not None for q in of_partners) == [False, True, True]
    assert asked.index(of_partners[0]) > max(sections.index("funding"), sections.index("leadership"))
    assert of_partners[0].subject == "partner Marsden primary schools"
    assert "site.partners.schools.critical" in of_partners[0].fields


def test_one_partners_blank_details_are_asked_in_one_question_naming_it_once(durable_advisor: Advisor) -> None:
    """A partner left blank was asked about in six lines, each opening with its name (1888): its
    details are one question, or two where only some of the answers could move the decision."""
    site = json.loads((ROOT / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
    blank = ("regular_meetings", "shares_information", "informal_contact", "consulted", "sees_mutual_benefit")
    [housing] = [p for p in site["partners"] if p["id"] == "housing"]
    for field in blank:
        housing.pop(field, None)
    asked = _asked_of_partners(durable_advisor, site)
    assert sorted(f for q in asked for f in q.fields) == sorted(f"site.partners.housing.{f}" for f in blank)
    assert len(asked) == len({q.could_change_to for q in asked}) <= 2
    for question in asked:
        assert question.subject == "partner Riverside Housing Options and Riverside Homes"
        assert question.question.count("Riverside Housing") == 1
