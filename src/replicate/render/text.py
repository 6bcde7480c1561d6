"""Plain-text rendering for terminals and e-mails: no markup, wrapped at 100 columns."""

from __future__ import annotations

import textwrap

from ..guidance import GUIDANCE_TITLE, THEMES
from ..plan import AdaptationPlan
from ..terminal import escape_controls
from .labels import (
    COMPONENT_STATUS,
    PHASE_TITLES,
    PRINCIPLE_STATUS,
    VERDICT_TITLES,
    matched_text,
    theme_title,
)

WIDTH = 100


def _wrap(text: str, indent: str = "    ") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent) or [indent]


def _heading(title: str) -> list[str]:
    return ["", title, "-" * len(title)]


def render_text(plan: AdaptationPlan) -> str:
    lines = [
        f"Replication advice: {plan.programme.name} at {plan.site.name}",
        "=" * min(WIDTH, len(plan.programme.name) + len(plan.site.name) + 24),
        "",
        f"Decision: {VERDICT_TITLES[plan.decision.verdict]}",
        *_wrap(plan.decision.summary, "  "),
    ]
    for reason in plan.decision.reasons:
        lines += _wrap(f"- {reason.text} [{reason.finding}]", "  ")
    if plan.decision.conditions:
        lines.append("  Conditions:")
        for condition in plan.decision.conditions:
            lines += _wrap(f"- {condition}", "    ")

    lines += _heading("Readiness by theme (weakest first)")
    for score in plan.readiness:
        bar = "#" * (score.score // 5)
        open_note = f", {score.undetermined_rules} open" if score.undetermined_rules else ""
        lines.append(
            f"  {theme_title(score.theme):<22} {score.score:>3}/100 {bar:<20} "
            f"({score.risks} risks, {score.strengths} strengths{open_note})"
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
        lines += _wrap(f"{action.order}. [{action.priority}] {action.do} (owner: {action.owner}; answers "
                       f"{', '.join(action.answers)})", "    ")
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
            about = ""
            if finding.subject not in ("site", "findings"):
                about = f" ({finding.subject}: {finding.subject_label})"
            lines.append(f"    [{kind}] {finding.rule_id}: {finding.title}{about}")
            lines += _wrap(finding.advice, "        ")
            lines += _wrap(f"Facts: {matched_text(dict(finding.matched))}", "        ")
            lines += _wrap(f"Source: {theme_title(finding.source.theme)}, \"{finding.source.quote}\" "
                           f"(factors {', '.join(finding.factors)})", "        ")
    if not plan.findings:
        lines.append("  None.")

    lines += _heading("Information still missing")
    for question in plan.missing_information:
        lines += _wrap(f"- {question.question} [{question.field}; needed by {', '.join(question.needed_by)}]", "  ")
    if not plan.missing_information:
        lines.append("  None: every rule could be decided.")

    packs = ", ".join(f"{p.name} {p.version} ({p.rules} rules)" for p in plan.rule_packs)
    lines += ["", f"Rules: {packs}. Guidance: {GUIDANCE_TITLE}. Plan schema {plan.schema_version}."]
    return escape_controls("\n".join(lines) + "\n")  # names come from input: no escape sequence reaches a terminal
