"""Markdown rendering, for reports and pull requests: tables for verdicts, lists for findings."""

from __future__ import annotations

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


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(plan: AdaptationPlan) -> str:
    out = [
        f"# Replication advice: {plan.programme.name} at {plan.site.name}",
        "",
        f"## Decision: {VERDICT_TITLES[plan.decision.verdict]}"
        + (" (provisional)" if plan.decision.provisional else ""),
        "",
        plan.decision.summary,
        "",
    ]
    decision = plan.decision
    if decision.questions_first:
        out += ["**Answer these first**", ""] + [f"- `{field}`" for field in decision.questions_first] + [""]
    for title, items in (("Conditions", decision.conditions), ("Groundwork before advising again",
                                                                decision.groundwork)):
        if items:
            out += [f"**{title}**", ""] + [f"1. {c.do} _Done when:_ {c.done_when} _Owner: {c.owner}._"
                                           for c in items] + [""]
    out += ["**Why**", ""] + [f"- {r.text}" + (f" (`{r.finding}`)" if r.finding else "") for r in decision.reasons]
    if decision.could_change:
        out += ["", "**What could still change it**", ""]
        out += [f"- {c.question} (`{c.field}`): {VERDICT_SHORT[c.to]} {c.if_answer}" for c in decision.could_change[:5]]

    out += ["", "## Readiness by theme (weakest first)", "",
            "| Theme | Score | Confidence | Risks | Strengths | Open checks |", "|---|---:|---:|---:|---:|---:|"]
    out += [f"| {theme_title(s.theme)} | {s.score}{'' if s.rated else ' (unrated)'} | {percent(s.confidence)} | "
            f"{s.risks} | {s.strengths} | {s.undetermined_rules} |" for s in plan.readiness]
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
        done = f" _Done when:_ {action.done_when}" if action.done_when else ""
        out.append(f"{action.order}. **[{action.priority}]** {action.do}{done} _Owner: {action.owner}._ "
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
            out += [
                f"- **{f.title}**{applies_to(f)} — _{kind}_, rule `{f.rule_id}`",
                f"  - {f.advice}",
                *(f"  - {mark}" for mark in finding_marks(f)),
                f"  - Facts: `{matched_text(dict(f.matched))}`",
                f"  - Source: {theme_title(f.source.theme)}, “{f.source.quote}” (factors {', '.join(f.factors)})",
            ]

    sustaining = plan.sustaining
    out += ["", "## After launch: sustaining it", ""]
    out += [f"- Fidelity (`{c.principle}`): {c.check}" for c in sustaining.fidelity_checks]
    if sustaining.reviews:
        out.append(f"- Outcome reviews at months {', '.join(str(r.month) for r in sustaining.reviews)}: "
                   f"{sustaining.reviews[0].what}; at the last, also update the local cost/benefit case.")
    out += [f"- {sustaining.cost_benefit}", "- Advise again if " + "; or ".join(sustaining.reassess_when) + "."]

    out += ["", "## Information still missing", ""]
    out += [f"- {q.question} (`{q.field}`; answer by: {q.answer_by}"
            + (f"; could change the decision to {VERDICT_SHORT[q.could_change_to]}" if q.could_change_to else "")
            + ")" for q in plan.missing_information]
    if not plan.missing_information:
        out.append("None: every rule could be decided.")
    packs = ", ".join(f"{p.name} {p.version} ({p.rules} rules)" for p in plan.rule_packs)
    out += ["", "---", f"Rules: {packs}. Guidance: {GUIDANCE_TITLE}. Plan schema {plan.schema_version}.", ""]
    return "\n".join(out)
