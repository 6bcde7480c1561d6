"""Markdown rendering, for reports and pull requests: the summary page first, then the details.

The same order as the text view (text.py): decision, what to do in order, readiness with
confidence, questions that could change the decision, strengths; then a "Details" section with
the principles, components, all actions, every finding with its facts and source, and every question.
"""

from __future__ import annotations

from ..guidance import GUIDANCE_TITLE, THEMES
from ..plan import AdaptationPlan
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
from .text import to_do


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _summary(plan: AdaptationPlan) -> list[str]:
    decision = plan.decision
    out = [
        f"# Replication advice: {plan.programme.name}",
        "",
        f"Site: **{plan.site.name}**",
        "",
        f"## Decision: {VERDICT_TITLES[decision.verdict]}"
        + (" (provisional)" if shows_proviso(decision.verdict, decision.provisional) else ""),
        "",
        decision.summary,
    ]
    recorded = recorded_line(plan)
    if recorded:
        out += ["", recorded]
    if decision.verdict in ("not_yet", "do_not_replicate", "information_needed") and len(decision.reasons) > 1:
        out += ["", "Also:", ""] + [f"- {r.text}." for r in decision.reasons[1:5]]
    if decision.questions_first:
        out += ["", "Answer first: " + ", ".join(f"`{field}`" for field in decision.questions_first)]
    questions = _questions(plan)
    place = questions_place(decision.verdict, decision.provisional)
    if place == "first":
        out += questions
    title, items = to_do(plan)
    if items:
        out += ["", f"## {title}", ""] + [f"{index}. {item}" for index, item in enumerate(items, start=1)]
    if place == "after_to_do":
        out += questions
    out += ["", "## Readiness and confidence", "", "| Theme | Readiness | Known | Risks | Strengths |",
            "|---|---:|---:|---:|---:|"]
    out += [f"| {theme_title(s.theme)}{f' ({d})' if (d := decides_label(s, plan.decision.verdict)) else ''} | "
            f"{s.score if s.rated else 'not rated'} | {percent(s.confidence)} | "
            f"{s.risks}{f' (and {s.risks_met} met on record)' if s.risks_met else ''} | {s.strengths} |"
            for s in plan.readiness]
    if place == "after_readiness":
        out += questions
    if plan.summary.strengths:
        out += ["", "## Strengths to build on", ""] + [f"- {s.title} ({theme_title(s.theme)})."
                                                      for s in plan.summary.strengths]
    return out


def _questions(plan: AdaptationPlan) -> list[str]:
    out: list[str] = []
    if plan.summary.questions:
        out += ["", f"## {questions_heading(plan.summary.questions, plan.decision.verdict)}", ""]
        for q in plan.summary.questions:
            move = decision_move(q, plan.decision.verdict)
            out.append(f"1. {q.question.rstrip('.')} (answer by: {q.answer_by}{'; ' + move if move else ''}).")
    if plan.summary.for_programme_owner:
        if not plan.summary.questions:
            out += ["", "## Questions for the programme owner"]
        out += ["", owner_questions_line(plan.summary)]
    return out


def _details(plan: AdaptationPlan) -> list[str]:
    decision = plan.decision
    out = ["", "## Details", "", "### How the decision was reached", ""]
    out += [f"- {r.text}" + (f" (`{r.finding}`)" if r.finding else "") for r in decision.reasons]
    out += [f"- Could become {VERDICT_SHORT[c.to]} {c.if_answer}: `{c.field}`"
            + (f" ({', '.join(c.rules)})" if c.rules else "") for c in decision.could_change]
    out += ["", f"_{plan.decision_method}_", "", f"_{plan.readiness_method}_"]

    guidance = guidance_once(plan)
    out += ["", "### Core principles", ""]
    if plan.principles:
        out += ["| Principle | Kind | Verdict | Guidance |", "|---|---|---|---|"]
        verdict = plan.decision.verdict
        out += [f"| {p.id}: {_cell(p.statement)} | {p.kind} | {principle_label(p, plan.principles, verdict)} "
                f"| {_cell(guidance[('principle', p.id)])} |" for p in plan.principles]
    else:
        out += [NO_PRINCIPLES]

    out += ["", "### Components", "", "| Component | Verdict | Build on | Guidance |", "|---|---|---|---|"]
    out += [f"| {c.id}: {_cell(c.name)} | {COMPONENT_STATUS[c.status]} | {_cell(', '.join(c.build_on))} | "
            f"{_cell(guidance[('component', c.id)])} |" for c in plan.components]

    instead = plan.decision.verdict == "do_not_replicate"
    out += ["", "### What to do instead" if instead else "### All actions"]
    if instead:
        out.append("")
    current = None
    by_ref = {f.ref: f for f in plan.findings}
    held = held_by(plan)
    for action in plan.actions:
        if action.phase != current and not instead:
            current = action.phase
            out += ["", f"#### {PHASE_TITLES[action.phase]}", ""]
        done = f" _Done when:_ {action.done_when}" if action.done_when else ""
        about = subjects_of(action.answers, by_ref)
        do = f"{action.do.rstrip().rstrip('.')} (for: {about})." if about else action.do
        tag = priority_label(action.priority, action.answers, by_ref, held)
        out.append(f"{action.order}. {f'**[{tag}]** ' if tag else ''}{do}{done} _Owner: {action.owner}._ "
                   f"Answers {', '.join(f'`{a}`' for a in action.answers)}.")
    if not plan.actions:
        out += ["", "None."]

    out += ["", "### Findings by theme"]
    listed, held_back = listed_findings(plan)
    for theme in THEMES:
        mine = [f for f in listed if f.theme == theme]
        if not mine:
            continue
        out += ["", f"#### {theme_title(theme)}", ""]
        for f in mine:
            kind = "strength" if f.is_strength else f.severity
            out += [
                f"- **{f.title}**{applies_to(f)} — _{kind}_, rule `{f.rule_id}`",
                f"  - {f.advice}",
                *(f"  - {mark}" for mark in finding_marks(f)),
                f"  - Facts: `{matched_text(dict(f.matched))}`",
                f"  - Source: {theme_title(f.source.theme)}, “{f.source.quote}” (factors {', '.join(f.factors)})",
            ]
    if held_back:
        out += ["", held_back]

    sustaining = plan.sustaining
    if plan.decision.verdict != "do_not_replicate":  # nothing is launched, so nothing to sustain
        out += ["", f"### {sustaining_heading(plan.decision.verdict)}", ""]
        if sustaining.fidelity_checks:
            out.append(f"- {fidelity_line(sustaining.fidelity_checks)}")
        if sustaining.reviews:  # the review before the funding decision carries the cost/benefit case
            out.append(f"- {review_line(sustaining.reviews)}")
        else:
            out.append(f"- {sustaining.cost_benefit}")
        out.append("- Advise again if " + "; or ".join(sustaining.reassess_when) + ".")

    asked, held_questions = listed_questions(plan)
    out += ["", f"### {missing_heading(asked, plan.decision.verdict)}", ""]
    out += [f"- {q.question} ({', '.join(f'`{field}`' for field in q.fields)}; answer by: {q.answer_by}"
            + (f"; {move}" if (move := decision_move(q, plan.decision.verdict)) else "")
            + ")" + (f". {reason}." if (reason := question_reason(q, "“”")) else "") for q in asked]
    if held_questions:
        out += ["", held_questions] if asked else [held_questions]
    elif not asked:
        out.append("None: every rule could be decided.")

    out += ["", "### Numbers this plan rests on", ""]
    out += [f"- `{p.name}` = {quantity(p.value, p.unit)} ({p.basis.replace('_', ' ')}, {p.pack}): {p.reason}"
            for p in plan.parameters]
    return out


def render_markdown(plan: AdaptationPlan) -> str:
    packs = ", ".join(f"{p.name} {p.version} ({count(p.rules, 'rule')})" for p in plan.rule_packs)
    out = [*_summary(plan), *_details(plan), "", "---",
           f"Rules: {packs}. Guidance: {GUIDANCE_TITLE}. Plan schema {plan.schema_version}.", ""]
    return escape_controls("\n".join(out))  # names come from input: no escape sequence reaches a terminal
