"""Plain-text rendering for terminals and e-mails: no markup, wrapped at 100 columns.

The first page is the summary a programme manager reads in five minutes: the decision and why,
what to do in order (conditions or groundwork first), readiness with confidence, the questions
that could change the decision and the strengths to build on. Everything else (principles,
components, every finding with its facts and source) is under "Details", printed with
`--detail full`. No sentence appears twice: each thing is said where it belongs.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Literal

from ..guidance import GUIDANCE_TITLE, THEMES
from ..plan import AdaptationPlan
from ..plan.model import Action, Condition, Question, ThemeReadiness, Verdict
from ..terminal import escape_controls
from .action_tags import held_by, priority_label, subjects_of
from .labels import (
    COMPONENT_STATUS,
    NO_PRINCIPLES,
    PHASE_TITLES,
    VERDICT_SHORT,
    VERDICT_TITLES,
    applies_to,
    count,
    decides_label,
    fidelity_line,
    finding_marks,
    guidance_once,
    listed_findings,
    matched_text,
    percent,
    principle_label,
    quantity,
    recorded_line,
    review_line,
    shows_proviso,
    sustaining_heading,
    theme_title,
)
from .question_labels import (
    decision_move,
    listed_questions,
    missing_heading,
    owner_questions_line,
    question_reason,
    questions_heading,
    questions_place,
)
from .wrap import wrap

WIDTH = 100
SUMMARY_LINES = 60
"""The summary page's length: what a manager reads before turning over."""
Detail = Literal["summary", "full"]


def _wrap(text: str, indent: str = "    ") -> list[str]:
    return wrap(text, WIDTH, indent, indent) or [indent]


def _hanging(head: str, text: str, indent: str) -> list[str]:
    """A list item whose wrapped lines line up under its text, not under its number; ids are
    never broken at their hyphens."""
    return wrap(text, WIDTH, indent + head, indent + " " * len(head)) or [indent + head]


def _heading(title: str) -> list[str]:
    return ["", title, "-" * len(title)]


def _section(title: str) -> list[str]:
    """A summary heading: one line, so the summary keeps to one page."""
    return ["", title.upper()]


def _for(do: str, about: str) -> str:
    return f"{_unstop(do)} (for: {about})." if about else do.rstrip()


def _condition_line(condition: Condition, about: str = "") -> str:
    return f"{_for(condition.do, about)} Done when: {_unstop(condition.done_when)} (owner: {condition.owner})."


def _action_line(action: Action, about: str = "") -> str:
    done = f" Done when: {_unstop(action.done_when)}" if action.done_when else ""
    return f"{_for(action.do, about)}{done} (owner: {action.owner})."


def _unstop(text: str) -> str:
    return text.rstrip().rstrip(".")


def _question_line(question: Question, current: Verdict) -> str:
    move = decision_move(question, current)
    return f"{_unstop(question.question)} (answer by: {question.answer_by}{'; ' + move if move else ''})."


SUMMARY_ITEMS = 10
"""At most this many things to do on the first page."""


def _first_and_rest(plan: AdaptationPlan) -> tuple[list[Condition], Iterator[Action]]:
    """The conditions (or groundwork), and the other actions after them, none said twice. Advised
    not to replicate, there is no rest: it would be steps to set up what is advised against."""
    first = plan.decision.conditions or plan.decision.groundwork
    if plan.decision.verdict == "do_not_replicate":
        return first, iter(())
    said = {c.do for c in first}
    return first, (a for a in plan.actions if a.do not in said)


def _span(start: int, count: int) -> str:
    return f"{start}" if count == 1 else f"{start}-{start + count - 1}"


def _items(start: int, count: int) -> str:
    return f"item {_span(start, count)}" if count == 1 else f"items {_span(start, count)}"


def to_do(plan: AdaptationPlan) -> tuple[str, list[str]]:
    """The summary's list of things to do, in order: the conditions (or groundwork) first, then the
    other first actions, at most ten in all, none said twice."""
    decision = plan.decision
    first, rest = _first_and_rest(plan)
    by_ref = {f.ref: f for f in plan.findings}
    items = [_condition_line(c, subjects_of(c.answers, by_ref)) for c in first]
    after = list(itertools.islice(rest, max(0, SUMMARY_ITEMS - len(items))))
    items += [_action_line(a, subjects_of(a.answers, by_ref)) for a in after]
    # The heading numbers the conditions, so that "once 7 conditions are met" is not read against
    # a list that goes on into the first actions. Groundwork may be followed by other steps that
    # still belong before launch (a budget line, say): they are not called first actions.
    # Steps after launch are "the first actions" only if they all belong to the first six months:
    # an ongoing review under that heading reads as something to start now (677).
    numbers = _items(1, len(first))
    before = sum(1 for a in after if a.phase == "before_launch")
    later = "first actions" if all(a.phase != "ongoing" for a in after) else "actions after launch"
    then = ("" if not after else ", then the rest to do before launch" if before == len(after)
            else f", then the {later}" if not before
            else (f", then before launch ({_span(len(first) + 1, before)}) and {later} "
                  f"({_span(len(first) + before + 1, len(after) - before)})"))
    conditions = "Condition" if len(first) == 1 else "Conditions"
    title = (f"{conditions} to meet before launch ({numbers}){then}" if decision.conditions
             else "What to do instead" if decision.verdict == "do_not_replicate"
             else f"Groundwork before advising again ({numbers}){then}" if decision.groundwork
             else "What to do as delivery starts" if decision.verdict == "go"
             # Waiting on answers, steps that all come after launch are not "first" (1347, 1353).
             else "What to do as delivery starts, once the questions are answered"
             if decision.verdict == "information_needed" and not before
             else "What to do first")
    if len(title) > WIDTH:  # "... and actions after launch (8-10)" ran past the page's width (2300)
        title = title.replace(" and actions after launch (", " and after launch (")
    return title, items[:SUMMARY_ITEMS]


_QUESTIONS_KEPT = 3
"""Questions that cannot change the decision kept on the first page however many actions there are."""


def summary_lines(plan: AdaptationPlan, reserve: int = 0) -> list[str]:
    """The summary page, fitted to SUMMARY_LINES with `reserve` lines left for what follows it:
    the list of things to do is cut (and says how many more there are) rather than the page grown."""
    decision = plan.decision
    provisional = " (provisional)" if shows_proviso(decision.verdict, decision.provisional) else ""
    lines = [
        *_wrap(f"Replication advice: {plan.programme.name}, at {plan.site.name}", ""),
        "=" * WIDTH,
        f"DECISION: {VERDICT_TITLES[decision.verdict]}{provisional}",
        *_wrap(decision.summary, "  "),
    ]
    recorded = recorded_line(plan)
    if recorded:
        lines += _wrap(recorded, "  ")
    if decision.verdict in ("not_yet", "do_not_replicate", "information_needed") and len(decision.reasons) > 1:
        lines.append("  Also:")
        for reason in decision.reasons[1:5]:
            lines += _hanging("- ", reason.text + ".", "    ")
        if len(decision.reasons) > 5:
            lines.append(f"    - ... and {len(decision.reasons) - 5} more in the details.")
    questions = _question_lines(plan)
    place = questions_place(decision.verdict, decision.provisional)
    readiness, strengths = _readiness_lines(plan), _strength_lines(plan)
    # Questions that cannot change the decision take the lines the actions leave, down to the first
    # few: a partner's six open details pushed the financial plan off the page (site-rural-county).
    kept = max(_QUESTIONS_KEPT, sum(1 for q in plan.summary.questions if q.could_change_to is not None))
    fitted = place != "first" and len(plan.summary.questions) > kept
    if fitted:
        questions = _question_lines(plan, shown=kept)

    def after_to_do(questions: list[str]) -> list[str]:
        """What follows the list of things to do, with the questions where `place` puts them."""
        return ((questions if place == "after_to_do" else []) + readiness
                + (questions if place == "after_readiness" else []) + strengths)

    rest = after_to_do(questions)
    lines += questions if place == "first" else []
    title, items = to_do(plan)
    wrapped_items = [_hanging(f"{index:>2}. ", item, "  ") for index, item in enumerate(items, start=1)]
    needed = sum(map(len, wrapped_items[:len(_first_and_rest(plan)[0])]))
    left = SUMMARY_LINES - reserve - len(lines) - 3 - needed  # the list's heading (2), "... more" (1)
    if strengths and len(rest) - len(strengths) <= left < len(rest):
        # The strengths give their lines where that puts every condition on the first page: the
        # details list them, and a condition cut to make room for them went unread (833).
        strengths = []
        rest = after_to_do(questions)
    if items:
        budget = SUMMARY_LINES - reserve - len(lines) - len(rest) - 3  # heading (2) and "... more" (1)
        shown: list[str] = []
        told = 0
        for index, wrapped in enumerate(wrapped_items, start=1):
            if len(shown) + len(wrapped) > budget and shown:
                break
            shown += wrapped
            told = index
        lines += _section(title) + shown
        total = _action_total(plan)
        if total > told:
            lines.append(f"  ... and {count(total - told, 'more action')} in the details.")
    if fitted:
        room = SUMMARY_LINES - reserve - len(lines) - len(readiness) - len(strengths)
        listed = next(k for k in range(len(plan.summary.questions), 0, -1)
                      if k == kept or len(_question_lines(plan, shown=k)) <= room)
        rest = after_to_do(_question_lines(plan, shown=listed))
    return lines + rest


def _action_total(plan: AdaptationPlan) -> int:
    first, rest = _first_and_rest(plan)
    return len(first) + sum(1 for _ in rest)


def _risks(score: ThemeReadiness) -> str:
    if not score.risks_met:
        return count(score.risks, "risk")
    return f"{count(score.risks, 'open risk')} and {score.risks_met} met on record"


def _readiness_lines(plan: AdaptationPlan) -> list[str]:
    lines = _section("Readiness from what is known, and how much is known")
    for score in plan.readiness:
        shown = f"{score.score:>3}" if score.rated else "  ?"
        bar = ("#" * (score.score // 10)).ljust(10) if score.rated else "not rated "
        decides = decides_label(score, plan.decision.verdict)
        head = f"  {theme_title(score.theme):<22} {shown} {bar} known {percent(score.confidence):>4}  "
        # "2 risks (1 met on record)" read as one of two met (2123): the met ones are said apart.
        line = f"{head}{_risks(score)}, {count(score.strengths, 'strength')}"
        if not decides:
            lines.append(line)
        elif len(line) + len(decides) + 2 <= WIDTH:
            lines.append(f"{line}; {decides}")
        else:  # under the counts, rather than past the page's edge
            lines += [f"{line};", " " * len(head) + decides]
    return lines


def _question_lines(plan: AdaptationPlan, shown: int | None = None) -> list[str]:
    """The summary's questions, the first `shown` of them (all, by default) and a count of the rest."""
    lines: list[str] = []
    summary = plan.summary
    if summary.questions:
        listed = summary.questions[:shown]
        lines += _section(questions_heading(summary.questions, plan.decision.verdict))
        for index, question in enumerate(listed, start=1):
            lines += _hanging(f"{index}. ", _question_line(question, plan.decision.verdict), "  ")
        more = summary.more_questions + len(summary.questions) - len(listed)
        if more:
            lines.append(f"  ... and {count(more, 'more question')} in the details.")
    if summary.for_programme_owner:
        if not summary.questions:
            lines += _section("Questions for the programme owner")
        lines += _hanging("", owner_questions_line(summary), "  ")
    return lines


def _strength_lines(plan: AdaptationPlan) -> list[str]:
    if not plan.summary.strengths:
        return []
    return _section("Strengths to build on") + [
        line for s in plan.summary.strengths for line in _hanging("- ", f"{s.title} ({theme_title(s.theme)}).", "  ")]


def detail_lines(plan: AdaptationPlan) -> list[str]:
    decision = plan.decision
    lines = ["", "=" * WIDTH, "Details", "=" * WIDTH]
    lines += _heading("How the decision was reached")
    for reason in decision.reasons:
        lines += _hanging("- ", reason.text + (f" [{reason.finding}]" if reason.finding else ""), "  ")
    for change in decision.could_change:
        rules = f" [{', '.join(change.rules)}]" if change.rules else ""
        lines += _hanging("- ", f"Could become {VERDICT_SHORT[change.to]} {change.if_answer}: {change.field}{rules}",
                          "  ")
    lines += _wrap(plan.decision_method, "  ")
    lines += _wrap(plan.readiness_method, "  ")

    guidance = guidance_once(plan)
    lines += _heading("Core principles")
    if not plan.principles:
        lines += _wrap(NO_PRINCIPLES, "  ")
    for principle in plan.principles:
        label = principle_label(principle, plan.principles, plan.decision.verdict)
        lines += _hanging("", f"[{label}] {principle.id} ({principle.kind}): "
                          f"{principle.statement}", "  ")
        lines += _wrap(guidance[("principle", principle.id)], "      ")

    lines += _heading("Components")
    for component in plan.components:
        lines.append(f"  [{COMPONENT_STATUS[component.status]}] {component.id}: {component.name}")
        if component.build_on:
            lines += _wrap("Build on: " + ", ".join(component.build_on), "      ")
        lines += _wrap(guidance[("component", component.id)], "      ")

    instead = plan.decision.verdict == "do_not_replicate"
    lines += _heading("What to do instead" if instead else "All actions")
    current = None
    by_ref = {f.ref: f for f in plan.findings}
    held = held_by(plan)
    for action in plan.actions:
        if action.phase != current and not instead:
            current = action.phase
            lines.append(f"  {PHASE_TITLES[action.phase]}:")
        about = subjects_of(action.answers, by_ref)
        tag = priority_label(action.priority, action.answers, by_ref, held)
        lines += _hanging(f"{action.order}. ", f"{f'[{tag}] ' if tag else ''}{_action_line(action, about)} Answers "
                          f"{', '.join(action.answers)}.", "    ")
    if not plan.actions:
        lines.append("  None.")

    lines += _heading("Findings by theme")
    listed, held_back = listed_findings(plan)
    for theme in THEMES:
        mine = [f for f in listed if f.theme == theme]
        if not mine:
            continue
        lines.append(f"  {theme_title(theme)}")
        for finding in mine:
            kind = "strength" if finding.is_strength else finding.severity
            lines += _hanging("", f"[{kind}] {finding.rule_id}: {finding.title}{applies_to(finding)}", "    ")
            lines += _wrap(finding.advice, "        ")
            for mark in finding_marks(finding):
                lines += _wrap(mark, "        ")
            lines += _wrap(f"Facts: {matched_text(dict(finding.matched))}", "        ")
            lines += _wrap(f"Source: {theme_title(finding.source.theme)}, \"{finding.source.quote}\" "
                           f"(factors {', '.join(finding.factors)})", "        ")
    if not plan.findings:
        lines.append("  None.")
    if held_back:
        lines += _wrap(held_back, "  ")

    if plan.decision.verdict != "do_not_replicate":  # nothing is launched, so nothing to sustain
        lines += _heading(sustaining_heading(plan.decision.verdict))
        sustaining = plan.sustaining
        if sustaining.fidelity_checks:
            lines += _hanging("- ", fidelity_line(sustaining.fidelity_checks), "  ")
        if sustaining.reviews:  # the review before the funding decision carries the cost/benefit case
            lines += _hanging("- ", review_line(sustaining.reviews), "  ")
        else:
            lines += _hanging("- ", sustaining.cost_benefit, "  ")
        lines += _hanging("- ", "Advise again if " + "; or ".join(sustaining.reassess_when) + ".", "  ")

    asked, held_questions = listed_questions(plan)
    lines += _heading(missing_heading(asked, plan.decision.verdict))
    for question in asked:
        fields = ", ".join(question.fields)
        lines += _hanging("- ", f"{_question_line(question, plan.decision.verdict)} [{fields}]", "  ")
        if why := question_reason(question):
            lines += _wrap(why + ".", "    ")
    if held_questions:
        lines += _wrap(held_questions, "  ")
    elif not asked:
        lines.append("  None: every rule could be decided.")

    lines += _heading("Numbers this plan rests on")
    for parameter in plan.parameters:
        lines += _hanging("- ", f"{parameter.name} = {quantity(parameter.value, parameter.unit)} "
                          f"({parameter.basis.replace('_', ' ')}, {parameter.pack}): {parameter.reason}", "  ")
    return lines


def render_text(plan: AdaptationPlan, detail: Detail = "summary") -> str:
    packs = ", ".join(f"{p.name} {p.version} ({count(p.rules, 'rule')})" for p in plan.rule_packs)
    footer = _wrap(f"Rules: {packs}. Guidance: {GUIDANCE_TITLE}. Plan schema {plan.schema_version}.", "")
    if detail == "full":
        lines = summary_lines(plan) + detail_lines(plan)
    else:
        more = ["", "Details (principles, components, every finding with its facts and source): --detail full."]
        lines = summary_lines(plan, reserve=len(more) + len(footer)) + more
    lines += footer
    return escape_controls("\n".join(lines) + "\n")  # names come from input: no escape sequence reaches a terminal
