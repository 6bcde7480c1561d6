"""Markdown rendering, for reports and pull requests: tables for verdicts, lists for findings."""

from __future__ import annotations

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


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(plan: AdaptationPlan) -> str:
    out = [
        f"# Replication advice: {plan.programme.name} at {plan.site.name}",
        "",
        f"## Decision: {VERDICT_TITLES[plan.decision.verdict]}",
        "",
        plan.decision.summary,
        "",
    ]
    out += [f"- {r.text} (`{r.finding}`)" for r in plan.decision.reasons]
    if plan.decision.conditions:
        out += ["", "**Conditions**", ""] + [f"1. {c}" for c in plan.decision.conditions]

    out += ["", "## Readiness by theme (weakest first)", "", "| Theme | Score | Risks | Strengths | Open rules |",
            "|---|---:|---:|---:|---:|"]
    out += [f"| {theme_title(s.theme)} | {s.score} | {s.risks} | {s.strengths} | {s.undetermined_rules} |"
            for s in plan.readiness]
    out += ["", f"_{plan.readiness_method}_"]

    out += ["", "## Core principles", "", "| Principle | Kind | Verdict | Guidance |", "|---|---|---|---|"]
    out += [f"| {p.id}: {_cell(p.statement)} | {p.kind} | {PRINCIPLE_STATUS[p.status]} | {_cell(p.guidance)} |"
            for p in plan.principles]

    out += ["", "## Components", "", "| Component | Verdict | Build on | Guidance |", "|---|---|---|---|"]
    out += [f"| {c.id}: {_cell(c.name)} | {COMPONENT_STATUS[c.status]} | {_cell(', '.join(c.build_on))} | "
            f"{_cell(c.guidance)} |" for c in plan.components]

    out += ["", "## Actions", ""]
    current = None
    for action in plan.actions:
        if action.phase != current:
            current = action.phase
            out += ["", f"### {PHASE_TITLES[action.phase]}", ""]
        out.append(f"{action.order}. **[{action.priority}]** {action.do} _Owner: {action.owner}._ "
                   f"Answers {', '.join(f'`{a}`' for a in action.answers)}.")
    if not plan.actions:
        out.append("None.")

    out += ["", "## Findings by theme"]
    for theme in THEMES:
        mine = [f for f in plan.findings if f.theme == theme]
        if not mine:
            continue
        out += ["", f"### {theme_title(theme)}", ""]
        for f in mine:
            kind = "strength" if f.is_strength else f.severity
            about = f" ({f.subject}: {f.subject_label})" if f.subject not in ("site", "findings") else ""
            out += [
                f"- **{f.title}**{about} — _{kind}_, rule `{f.rule_id}`",
                f"  - {f.advice}",
                f"  - Facts: `{matched_text(dict(f.matched))}`",
                f"  - Source: {theme_title(f.source.theme)}, “{f.source.quote}” (factors {', '.join(f.factors)})",
            ]

    out += ["", "## Information still missing", ""]
    out += [f"- {q.question} (`{q.field}`; needed by {', '.join(q.needed_by)})" for q in plan.missing_information]
    if not plan.missing_information:
        out.append("None: every rule could be decided.")
    packs = ", ".join(f"{p.name} {p.version} ({p.rules} rules)" for p in plan.rule_packs)
    out += ["", "---", f"Rules: {packs}. Guidance: {GUIDANCE_TITLE}. Plan schema {plan.schema_version}.", ""]
    return escape_controls("\n".join(out))  # names come from input: no escape sequence reaches a terminal
