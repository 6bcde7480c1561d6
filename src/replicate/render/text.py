"""Plain-text rendering for terminals and e-mails: no markup, wrapped at 100 columns."""

from __future__ import annotations

import textwrap

from ..guidance import GUIDANCE_TITLE, THEMES
from ..plan import AdaptationPlan
from .labels import (
    COMPONENT_STATUS,
    PHASE_TITLES,
    PRINCIPLE_STATUS,
    VERDICT_SHORT,
    VERDICT_TITLES,
    applies_to,
    finding_marks,
    matched_text,
    percent,
    theme_title,
)

WIDTH = 100


def _wrap(text: str, indent: str = "    ") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False,
                         break_long_words=False) or [indent]


def _hanging(head: str, text: str, indent: str) -> list[str]:
    """A list item whose wrapped lines line up under its text, not under its number; ids are
    never broken at their hyphens."""
    return textwrap.wrap(text, WIDTH, initial_indent=indent + head, subsequent_indent=indent + " " * len(head),
                         break_on_hyphens=False, break_long_words=False) or [indent + head]


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _heading(title: str) -> list[str]:
    return ["", title, "-" * len(title)]


def render_text(plan: AdaptationPlan) -> str:
    lines = [
        f"Replication advice: {plan.programme.name} at {plan.site.name}",
        "=" * min(WIDTH, len(plan.programme.name) + len(plan.site.name) + 24),
        "",
        f"Decision: {VERDICT_TITLES[plan.decision.verdict]}{' (provisional)' if plan.decision.provisional else ''}",
        *_wrap(plan.decision.summary, "  "),
    ]
    decision = plan.decision
    if decision.questions_first:
        lines.append("  Answer these first:")
        lines += [line for field in decision.questions_first for line in _wrap(f"- {field}", "    ")]
    for title, items in (("Conditions (each with how to tell it is met):", decision.conditions),
                         ("Groundwork before advising again:", decision.groundwork)):
        if items:
            lines.append(f"  {title}")
            for number, condition in enumerate(items, start=1):
                lines += _hanging(f"{number}. ", f"{condition.do} Done when: {condition.done_when} "
                                  f"(owner: {condition.owner})", "    ")
    if decision.reasons:
        lines.append("  Why:")
        for reason in decision.reasons:
            lines += _hanging("- ", reason.text + (f" [{reason.finding}]" if reason.finding else ""), "    ")
    if decision.could_change:
        lines.append("  What could still change it:")
        for change in decision.could_change[:5]:
            lines += _hanging("- ", f"{change.question.rstrip('.')} ({change.field}): {VERDICT_SHORT[change.to]} "
                              f"{change.if_answer}", "    ")

    lines += _heading("Readiness by theme (weakest first)")
    for score in plan.readiness:
        bar = "#" * (score.score // 5) if score.rated else "(too little known)"
        rated = "" if score.rated else ", not rated"
        shown = f"{score.score:>3}/100" if score.rated else "  ?/100"
        lines.append(
            f"  {theme_title(score.theme):<22} {shown} {bar:<20} "
            f"confidence {percent(score.confidence):>4} ({_count(score.risks, 'risk')}, "
            f"{_count(score.strengths, 'strength')}{rated})"
        )
    lines += _wrap(plan.readiness_method, "  ")

    lines += _heading("Core principles")
    for principle in plan.principles:
        status = PRINCIPLE_STATUS[principle.status]
        lines.append(f"  [{status}] {principle.id}: {principle.statement} ({principle.kind})")
        lines += _wrap(principle.guidance, "      ")

    lines += _heading("Components")
    for component in plan.components:
        lines.append(f"  [{COMPONENT_STATUS[component.status]}] {component.id}: {component.name}")
        if component.build_on:
            lines += _wrap("Build on: " + ", ".join(component.build_on), "      ")
        lines += _wrap(component.guidance, "      ")

    lines += _heading("Actions")
    current = None
    for action in plan.actions:
        if action.phase != current:
            current = action.phase
            lines.append(f"  {PHASE_TITLES[action.phase]}:")
        done = f" Done when: {action.done_when}" if action.done_when else ""
        lines += _hanging(f"{action.order}. ", f"[{action.priority}] {action.do}{done} (owner: {action.owner}; "
                          f"answers {', '.join(action.answers)})", "    ")
    if not plan.actions:
        lines.append("  None.")

    lines += _heading("Findings by theme")
    for theme in THEMES:
        mine = [f for f in plan.findings if f.theme == theme]
        if not mine:
            continue
        lines.append(f"  {theme_title(theme)}")
        for finding in mine:
            kind = "strength" if finding.is_strength else finding.severity
            lines.append(f"    [{kind}] {finding.rule_id}: {finding.title}{applies_to(finding)}")
            lines += _wrap(finding.advice, "        ")
            for mark in finding_marks(finding):
                lines += _wrap(mark, "        ")
            lines += _wrap(f"Facts: {matched_text(dict(finding.matched))}", "        ")
            lines += _wrap(f"Source: {theme_title(finding.source.theme)}, \"{finding.source.quote}\" "
                           f"(factors {', '.join(finding.factors)})", "        ")
    if not plan.findings:
        lines.append("  None.")

    lines += _heading("After launch: sustaining it")
    sustaining = plan.sustaining
    for check in sustaining.fidelity_checks:
        lines += _hanging("- ", f"Fidelity ({check.principle}): {check.check}", "  ")
    if sustaining.reviews:
        months = ", ".join(str(r.month) for r in sustaining.reviews)
        lines += _hanging("- ", f"Outcome reviews at months {months}: {sustaining.reviews[0].what}; at the last, "
                          "also update the local cost/benefit case.", "  ")
    lines += _hanging("- ", sustaining.cost_benefit, "  ")
    lines += _hanging("- ", "Advise again if " + "; or ".join(sustaining.reassess_when) + ".", "  ")

    lines += _heading("Information still missing")
    for question in plan.missing_information:
        moves = f"; could change the decision to {VERDICT_SHORT[question.could_change_to]}" if (
            question.could_change_to) else ""
        lines += _hanging("- ", f"{question.question} [{question.field}; answer by: {question.answer_by}{moves}]",
                          "  ")
    if not plan.missing_information:
        lines.append("  None: every rule could be decided.")

    packs = ", ".join(f"{p.name} {p.version} ({p.rules} rules)" for p in plan.rule_packs)
    lines += ["", f"Rules: {packs}. Guidance: {GUIDANCE_TITLE}. Plan schema {plan.schema_version}."]
    return "\n".join(lines) + "\n"
