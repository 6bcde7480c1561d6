"""Words for the plan's open questions, shared by every human-readable renderer: where they go,
what an answer could do to the decision, and the headings over them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from ..plan.decision import rank
from ..plan.model import AdaptationPlan, PlanSummary, Question, Verdict
from .labels import VERDICT_SHORT, count, theme_title

QuestionPlace = Literal["first", "after_to_do", "after_readiness"]


def questions_place(verdict: Verdict, provisional: bool) -> QuestionPlace:
    """Where the summary asks its questions: straight under a decision that waits for them, or under
    a provisional "go", whose only actions come as delivery starts, after the answers (2106: the
    questions "to answer first" came second); straight after the conditions when they could change
    the decision, since they are to be answered before launch (1093); else after the readiness, as
    what is still open."""
    if verdict == "information_needed" or (verdict == "go" and provisional):
        return "first"
    return "after_to_do" if provisional else "after_readiness"


def _lifts(to: Verdict, current: Verdict) -> bool:
    """A question whose answer could make the decision worse can do so on its own; one that could
    lift it does so only once all the missing decisive information is given, and the plan says so,
    so that a reader does not take one answer for the way to a "go". (Elsewhere a better answer
    works on its own: a finding it would bring absorbs a risk already found.)"""
    return rank(to) < rank(current) and current == "information_needed"


def decision_move(question: Question, current: Verdict) -> str:
    """What answering a question could do to the decision, in words, or "" if nothing."""
    to = question.could_change_to
    if to is None:
        return "its answer could add a condition to meet before launch" if question.adds_condition else ""
    if _lifts(to, current):  # the best an answer can do: a bad one would not (977, 980, 986)
        # "could change the decision to: go ahead at best" was hard to parse (1404, 1445).
        return f"once all the missing information is given, the best the decision could become: {VERDICT_SHORT[to]}"
    together = ", with other answers" if question.with_other_answers else ""  # not alone (1113, 1149)
    return f"could change the decision to: {VERDICT_SHORT[to]}{together}"


def questions_heading(questions: Sequence[Question], current: Verdict) -> str:
    """"Questions to answer first" when the decision waits for answers or one of them could change
    it; otherwise the list is of questions still open, and calling them first would make a manager
    wait on them."""
    if current == "information_needed":
        return "Questions to answer first"
    # The questions that could change the decision come first: when others follow, the heading
    # says which are to answer first, as the list of things to do numbers its conditions.
    moving = sum(1 for q in questions if q.could_change_to is not None)
    if not moving and current == "not_yet":
        # "None could change the decision" read as "none matters", yet the next advice, once the
        # groundwork is done, can turn on them: a theme too little known holds it then (749).
        return "Questions to answer before advising again (none could change this decision)"
    if not moving:
        adding = sum(1 for q in questions if q.adds_condition)
        if adding:  # "none could change the decision" read as "none matters" (1319)
            return f"Questions still open (none could change the decision, {_could_add(adding, len(questions))})"
        return "Questions still open (none could change the decision)"
    if moving == len(questions):
        return "Questions to answer first"
    return f"Questions to answer first ({'item 1' if moving == 1 else f'items 1-{moving}'}), then others still open"


def missing_heading(questions: Sequence[Question], current: Verdict, title: str = "All information still missing"
                    ) -> str:
    """The details' list of every question, saying so when none of them could change the decision
    (a do-not-replicate plan's twenty open questions read as work to do before it holds). Never
    said of a decision that waits for answers: they are what lifts it, though no one answer names
    a verdict (706)."""
    if current != "information_needed" and questions and all(q.could_change_to is None for q in questions):
        if current == "not_yet":
            return f"{title} (none could change this decision: answer them before advising again)"
        if adding := sum(1 for q in questions if q.adds_condition):
            return f"{title} (none could change the decision, {_could_add(adding, len(questions))})"
        return f"{title} (none could change the decision)"
    return title


def _could_add(adding: int, of: int) -> str:
    """How many of `of` questions could add a condition before launch, in words."""
    if of == 1:
        return "but its answer could add a condition"
    return "but their answers could add conditions" if adding == of else f"but {adding} could add a condition"


def decision_move_cell(question: Question, current: Verdict) -> str:
    """The same as `decision_move`, for a table column already headed "could change the decision
    to": the verdict alone, with the proviso a better one needs."""
    to = question.could_change_to
    if to is None:  # the decision stands, yet the plan can gain a condition: an empty cell hid it (1319)
        return "none; could add a condition to meet before launch" if question.adds_condition else ""
    return VERDICT_SHORT[to] + (" at best, once the missing information is given" if _lifts(to, current) else "")


def owner_questions_line(summary: PlanSummary) -> str:
    """The programme owner's questions, counted on the first page rather than listed there: under a
    heading of their own when the page lists no question, and as "more" when it already lists one of
    theirs that could change the decision, so the count does not read as if none could."""
    number = summary.for_programme_owner
    whose = "" if not summary.questions else " for the programme owner"
    more = any(q.answer_by != "site" for q in summary.questions)
    noun = ("more " if more else "") + ("question" if number == 1 else "questions")
    adding = summary.for_programme_owner_adding
    return (f"{number} {noun}{whose} about its evidence {'is' if number == 1 else 'are'} in the "
            f"details: none {'of them ' if more else ''}could change the decision"
            + (f", {_could_add(adding, number)} to meet before launch." if adding else "."))


def question_reason(question: Question, quotes: str = '""') -> str:
    """Why the guidance asks a question, as a finding gives its source, in `quotes` (the opening and
    closing marks), or "" if no rule needs it: the effect of an answer on the decision told a board
    what could follow, not why it was asked (round 60)."""
    why = question.why
    if why is None:
        return ""
    return f"Why it is asked: {theme_title(why.theme)}, {quotes[0]}{why.quote}{quotes[1]} ({why.rule})"


def listed_questions(plan: AdaptationPlan) -> tuple[list[Question], str]:
    """The open questions a reader sees in the details, and a line for those held back. Advised not
    to replicate, a question no answer to which could change that is about launching what the plan
    advises against: eleven questions on staff belief and the political climate read as work to do
    (1739). They are counted, not listed, as its strengths are; the JSON output keeps them."""
    questions = list(plan.missing_information)
    if plan.decision.verdict != "do_not_replicate":
        return questions, ""
    listed = [q for q in questions if q.could_change_to is not None]
    held = len(questions) - len(listed)
    if not held:
        return listed, ""
    return listed, (f"{count(held, 'open question')} {'are' if held != 1 else 'is'} not listed: none "
                    "could change the decision, and they bear on launching a programme this plan advises "
                    "against (the JSON output keeps them).")
