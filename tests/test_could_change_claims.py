"""What a question says its answer could do to the decision, checked by answering it (round 39).

A question behind whose rule other unanswered fields stand says its answer could change the decision
only "with other answers": one "no" to meetings with a partner that must also not share is not
enough (1113, 1149). And a rule that would absorb a risk already found is tried with that risk taken
out: a plan found imposed takes the place of a partner not consulted, so it cannot bring the "not
yet" a plain count of serious themes would fear (1145).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from replicate.advisor import Advisor
from replicate.loading import load_site
from replicate.plan import AdaptationPlan
from replicate.scenarios import load_scenario

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
RESUBMITTED = load_scenario(next(SCENARIOS.glob("1149-*.yaml")))


def _plan(advisor: Advisor, site: dict[str, Any]) -> AdaptationPlan:
    return advisor.advise(RESUBMITTED.programme, load_site(site))


def _site() -> dict[str, Any]:
    return RESUBMITTED.site.model_dump(mode="json", exclude_none=True)


def _partner(site: dict[str, Any], partner_id: str) -> dict[str, Any]:
    return next(p for p in site["partners"] if p["id"] == partner_id)


def test_a_question_claims_only_a_move_its_own_answers_can_make(reference_advisor: Advisor) -> None:
    plan = _plan(reference_advisor, _site())
    asked = {q.field: q for q in plan.missing_information}
    # The partner's meetings move it only with its sharing, and the two are one question (asked of
    # the partner at once), so that question moves it without other answers.
    [meetings] = [q for q in plan.missing_information if "site.partners.jobcentre.regular_meetings" in q.fields]
    assert meetings.could_change_to == "not_yet" and not meetings.with_other_answers
    assert "site.partners.jobcentre.shares_information" in meetings.fields
    sponsor = asked["site.leadership.strategic_sponsor"]
    assert sponsor.could_change_to == "not_yet" and not sponsor.with_other_answers
    # Checked by answering: one "no" leaves the decision where it is, both bring "not yet".
    one = _site()
    _partner(one, "jobcentre")["regular_meetings"] = False
    assert _plan(reference_advisor, one).decision.verdict == plan.decision.verdict
    _partner(one, "jobcentre")["shares_information"] = False
    assert _plan(reference_advisor, one).decision.verdict == "not_yet"
    alone = _site()
    alone["leadership"]["strategic_sponsor"] = False
    assert _plan(reference_advisor, alone).decision.verdict == "not_yet"


def test_an_answer_that_takes_the_place_of_a_risk_found_is_not_said_to_worsen_the_decision(
        reference_advisor: Advisor) -> None:
    """The imposed plan absorbs "Jobcentre Plus not consulted": either answer leaves the decision
    where it is, so the question claims no change (it claimed "not yet" before)."""
    plan = _plan(reference_advisor, _site())
    [question] = [q for q in plan.missing_information if q.field == "site.leadership.co_designed"]
    assert question.could_change_to is None
    for co_designed in (True, False):
        answered = _site()
        answered["leadership"]["co_designed"] = co_designed
        assert _plan(reference_advisor, answered).decision.verdict == plan.decision.verdict
