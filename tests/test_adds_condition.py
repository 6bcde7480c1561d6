"""A question that cannot change a go-with-conditions decision, but whose answer could add a
condition to meet before launch, says so: "none could change the decision" read to a board as
"none matters" (1319, where a "no" to the financial plan adds a second condition). Checked by
answering each such yes/no question of the shipped scenarios both ways."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from replicate.advisor import Advisor
from replicate.loading import load_site
from replicate.plan import AdaptationPlan
from replicate.plan.model import Question
from replicate.render.html import render_html
from replicate.render.markdown import render_markdown
from replicate.render.question_labels import questions_heading
from replicate.render.text import render_text
from replicate.scenarios import load_scenario

SCENARIOS = Path(__file__).resolve().parent / "scenarios"


def _set(site: dict[str, Any], field: str, value: bool) -> bool:
    """Sets a site field given by its dotted path; False if the path names an item of a list."""
    *parents, name = field.removeprefix("site.").split(".")
    for part in parents:
        if not isinstance(site.get(part, {}), dict):
            return False
        site = site.setdefault(part, {})
    site[name] = value
    return True


def test_a_yes_or_no_that_could_add_a_condition_does_and_leaves_the_decision(reference_advisor: Advisor) -> None:
    checked = 0
    for path in sorted(SCENARIOS.glob("*.yaml")):
        scenario = load_scenario(path)
        plan = reference_advisor.advise(scenario.programme, scenario.site)
        if plan.decision.verdict != "go_with_conditions":
            continue
        for question in plan.missing_information:
            if not question.adds_condition or len(question.fields) != 1:
                continue
            assert question.could_change_to is None
            outcomes = []
            for answer in (True, False):
                site = scenario.site.model_dump(mode="json", exclude_none=True)
                if not _set(site, question.field, answer):
                    break
                try:
                    answered = reference_advisor.advise(scenario.programme, load_site(site))
                except Exception:  # not a yes/no field: another test's business
                    break
                outcomes.append(answered.decision)
            else:
                assert all(o.verdict == "go_with_conditions" for o in outcomes), (path.name, question.field)
                assert max(len(o.conditions) for o in outcomes) > len(plan.decision.conditions), (
                    path.name, question.field)
                checked += 1
    assert checked >= 100  # the shipped scenarios hold 138 such questions


@pytest.mark.parametrize(("adding", "expected"), [
    (0, "Questions still open (none could change the decision)"),
    (1, "Questions still open (none could change the decision, but 1 could add a condition)"),
    (2, "Questions still open (none could change the decision, but their answers could add conditions)"),
])
def test_the_heading_counts_them(reference_advisor: Advisor, adding: int, expected: str) -> None:
    plan = reference_advisor.advise(*(lambda s: (s.programme, s.site))(
        load_scenario(next(SCENARIOS.glob("1319-*.yaml")))))
    [question] = [q for q in plan.missing_information if q.field == "site.funding.financial_plan"]
    assert question.adds_condition
    plain = question.model_copy(update={"adds_condition": False})
    marked = question.model_copy(update={"adds_condition": True})
    questions = [marked] * adding + [plain] * (2 - adding)
    assert questions_heading(questions, "go_with_conditions") == expected


def _unmarked(plan: AdaptationPlan) -> AdaptationPlan:
    """The same plan with no question marked as adding a condition."""
    def plain(questions: list[Question]) -> list[Question]:
        return [q.model_copy(update={"adds_condition": False}) for q in questions]
    summary = plan.summary.model_copy(update={"questions": plain(plan.summary.questions)})
    return plan.model_copy(update={"missing_information": plain(plan.missing_information), "summary": summary})


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_every_format_says_which_question_could_add_a_condition(reference_advisor: Advisor, fmt: str) -> None:
    """The HTML report once left the marker out of its question list and table, so a board reading
    it saw the question as one that mattered to nothing (1319)."""
    render: Callable[[AdaptationPlan], str] = {
        "text": lambda plan: render_text(plan, detail="full"), "markdown": render_markdown, "html": render_html}[fmt]
    scenario = load_scenario(next(SCENARIOS.glob("1319-*.yaml")))
    plan = reference_advisor.advise(scenario.programme, scenario.site)
    marked = [q for q in plan.missing_information if q.adds_condition]
    assert marked and all(q in plan.summary.questions for q in marked)
    def marked_where_asked(page: str, question: Question) -> list[bool]:
        """Whether the words follow the question each place it is asked: its list item or table row."""
        page = " ".join(page.split())  # the text format wraps lines
        asked = page.split(question.question.rstrip("."))[1:]
        return ["could add a condition" in after[:120] for after in asked]
    for question in marked:
        assert marked_where_asked(render(plan), question) == [True, True]  # the first page and the details
        assert marked_where_asked(render(_unmarked(plan)), question) == [False, False]


def test_a_decision_waiting_for_answers_says_which_other_answer_could_add_a_condition(
        durable_advisor: Advisor) -> None:
    """The first question names the best the decision could become once everything is answered; a
    question on conditions beside it, whose answer could add one, said nothing, and read as no
    part of the story (1824: a rural county that left out its conditions and its months funded)."""
    scenario = load_scenario(next(SCENARIOS.glob("1824-*.yaml")))
    plan = durable_advisor.advise(scenario.programme, scenario.site)
    assert plan.decision.verdict == "information_needed"
    [conditions] = [q for q in plan.missing_information if q.field == "site.conditions"]
    assert conditions.adds_condition and conditions.could_change_to is None
    assert "its answer could add a condition to meet before launch" in render_text(plan)
    # Answered: the months in full, then the conditions one way and the other.
    site = scenario.site.model_dump(mode="json", exclude_none=True)
    months = scenario.programme.costs.duration_months
    site["funding"]["months_secured"] = months
    for source in site["funding"]["sources"]:
        source["months"] = months
    outcomes = {}
    for label, listed in (("none", []), ("all", list(scenario.programme.proven_context.relies_on))):
        answered = durable_advisor.advise(scenario.programme, load_site({**site, "conditions": listed}))
        outcomes[label] = answered.decision
    assert outcomes["all"].verdict == "go"
    assert outcomes["none"].verdict == "go_with_conditions" and outcomes["none"].conditions
