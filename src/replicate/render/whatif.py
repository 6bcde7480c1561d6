"""Text, Markdown and JSON views of a `WhatIf`: what would change the decision. None computes
anything the result does not hold."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..plan.model import VERDICT_ORDER
from ..whatif.model import ActionRef, Goal, LeverEffect, ProposedChange, Suggestion, WhatIf
from .labels import PHASE_TITLES, VERDICT_SHORT, VERDICT_TITLES, shows_proviso, theme_title
from .wrap import wrap

WIDTH = 100
LEVERS_SHOWN = 10
"""Single changes listed: those that move the decision or resolve a finding, best first."""




def now(result: WhatIf) -> str:
    return verdict_title(result.verdict) + (" (provisional)" if shows_proviso(result.verdict, result.provisional)
                                            else "")


def nothing_to_change(result: WhatIf) -> str:
    """Said at go: no change is needed, but a provisional go still waits on the plan's questions,
    which "nothing to change" alone told a board to leave unanswered (1312)."""
    if shows_proviso(result.verdict, result.provisional):
        return ("Nothing to change: the decision is already to go ahead, provisionally: answer the plan's open "
                "questions, which could still change it.")
    return "Nothing to change: the decision is already to go ahead."


def reached(suggestion: Suggestion) -> str:
    """The decision a suggestion reaches, with the plan's own proviso when open questions remain."""
    proviso = (" (provisional: open questions could still change it)"
               if shows_proviso(suggestion.verdict, suggestion.provisional) else "")
    return verdict_title(suggestion.verdict) + proviso

def action_text(action: ActionRef) -> str:
    """An action with when and by whom: the rule texts leave "before launch" to the plan's headings,
    and a suggestion has none."""
    return f"{action.do} ({PHASE_TITLES[action.phase].lower()}; {action.owner})"

def verdict_title(verdict: str) -> str:
    return VERDICT_TITLES.get(verdict, verdict.replace("_", " ").upper())


def value_text(value: object) -> str:
    if value is None:
        return "not stated"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) if value else "none"
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


def _another_answer(change: ProposedChange) -> str:
    """For an answer, the worse decision another answer could bring, or "": the effect shown is for
    the hoped-for answer only (2252)."""
    worse = change.another_answer_could
    return f"; another answer could make it: {VERDICT_SHORT[worse]}" if worse else ""


def change_label(change: ProposedChange) -> str:
    """The change in plain words, with what another answer could bring."""
    return change.label + _another_answer(change)


def change_detail(change: ProposedChange) -> str:
    """`leadership.champions: 0 -> 2`, in profile terms."""
    if change.kind == "withdraw":
        return f"{change.field}: withdrawn"
    sets = [(change.field, change.old, change.new), *((c.field, c.old, c.new) for c in change.also)]
    return "; ".join(f"{field}: {value_text(old)} -> {value_text(new)}" for field, old, new in sets)


def gains_text(suggestion: Suggestion) -> str:
    return ", ".join(f"{theme_title(g.theme)} {g.before} -> {g.after}" for g in suggestion.readiness)


def shown_levers(result: WhatIf) -> list[LeverEffect]:
    """The single changes worth showing a reader: each moves the decision up or resolves a finding,
    and none makes the decision worse."""
    now = VERDICT_ORDER.index(result.verdict)
    return [lever for lever in result.levers if VERDICT_ORDER.index(lever.verdict) <= now
            and (VERDICT_ORDER.index(lever.verdict) < now or lever.resolves)][:LEVERS_SHOWN]


def _count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def goal_summary(goal: Goal, max_changes: int) -> str:
    if goal.reached_with is None:
        if goal.out_of_reach:
            return ("not by the changes what-if tries. It does not add partners, services or adaptations, "
                    "take partners or services away, change the area's needs, setting or climate, or record "
                    "an action as done, and each finding below needs one of those: act on it as its action "
                    "says, alongside any changes listed below.")
        ending = "" if goal.complete else " (the search stopped at its budget)"
        # "No set of up to 3" read as "out of reach" above four single changes that reach it together (1902).
        # Which changes it does not try, said here too: a rural county read "ones what-if does not try"
        # with no word that bringing delivery to where people are (an adaptation) is one (2287).
        return (f"no set of up to {_count(max_changes, 'change')} reaches it{ending}: it takes more changes than "
                "that, or ones what-if does not try (adding partners, services or adaptations, or recording an "
                "action as done): act on the plan's conditions as their actions say.")
    ways = "one way" if goal.found == 1 else f"{goal.found} ways"
    listed = f", the first {len(goal.suggestions)} listed" if goal.found > len(goal.suggestions) else ""
    return f"{_count(goal.reached_with, 'change')} ({ways}{listed})."


# -- text ------------------------------------------------------------------------------------------


def _wrap(text: str, first: str, rest: str) -> list[str]:
    return wrap(text, WIDTH, first, rest) or [first.rstrip()]


def _text_suggestion(number: int, suggestion: Suggestion) -> list[str]:
    lines = _wrap(f"Reaches {reached(suggestion)}.", f"  {number}. ", "     ")
    for change in suggestion.changes:
        lines += _wrap(change_label(change), "     - ", "       ")
        lines += _wrap(change_detail(change), "       ", "         ")
    for heading, findings in (("Resolves", suggestion.resolves), ("Brings in", suggestion.introduces),
                              ("Still to do (each was part of a finding this resolves)", suggestion.uncovers)):
        if findings:
            lines.append(f"     {heading}:")
            for finding in findings:
                lines += _wrap(f"{finding.title} ({finding.ref})", "       - ", "         ")
    if suggestion.readiness:
        lines += _wrap(gains_text(suggestion), "     Readiness: ", "       ")
    for action in suggestion.actions:
        lines += _wrap(action_text(action), "     Clears from the plan: ", "       ")
    return lines


def render_whatif_text(result: WhatIf) -> str:
    lines = [f"What would change the decision: {result.programme.name} at {result.site.name}", "",
             f"Decision now: {now(result)}"]
    if not result.goals:
        lines.append(nothing_to_change(result))
    for index, goal in enumerate(result.goals):
        lines += ["", *_wrap(goal_summary(goal, result.max_changes), f"{goal.label.capitalize()}: ", "  ")]
        if _same_as_previous(result, index):
            lines.append("  The same as above.")
            continue
        for number, suggestion in enumerate(goal.suggestions, start=1):
            lines += _text_suggestion(number, suggestion)
        for finding in goal.out_of_reach:
            lines += _wrap(f"{finding.title} ({finding.ref})", "  - In the way: ", "    ")
    levers = shown_levers(result)
    if levers:
        lines += ["", "Single changes, best first:"]
        for lever in levers:
            # "resolves 0 findings; readiness +0" beside a change that moves the decision told a
            # board nothing (835): only what the change does is said.
            effect = "; ".join([verdict_title(lever.verdict),
                                *([f"resolves {_count(len(lever.resolves), 'finding')}"] if lever.resolves else []),
                                # Why a change resolving every finding still leaves a condition (2104).
                                *([f"brings in {_count(len(lever.introduces), 'finding')} "
                                   f"({', '.join(lever.introduces)})"] if lever.introduces else []),
                                *([f"readiness {lever.readiness_gain:+d}"] if lever.readiness_gain else [])])
            # After the effect, which is for the hoped-for answer.
            lines += _wrap(f"{lever.change.label} -> {effect}{_another_answer(lever.change)}", "  - ", "    ")
    return "\n".join(lines) + "\n"


# -- markdown --------------------------------------------------------------------------------------


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def _markdown_suggestion(number: int, suggestion: Suggestion) -> list[str]:
    lines = [f"{number}. **Reaches {reached(suggestion)}.**"]
    lines += [f"   - {_md(change_label(c))} (`{change_detail(c)}`)" for c in suggestion.changes]
    if suggestion.resolves:
        lines.append("   - Resolves: " + "; ".join(f"{_md(f.title)} (`{f.ref}`)" for f in suggestion.resolves))
    if suggestion.introduces:
        lines.append("   - Brings in: " + "; ".join(f"{_md(f.title)} (`{f.ref}`)" for f in suggestion.introduces))
    if suggestion.uncovers:
        lines.append("   - Still to do (each was part of a finding this resolves): "
                     + "; ".join(f"{_md(f.title)} (`{f.ref}`)" for f in suggestion.uncovers))
    if suggestion.readiness:
        lines.append(f"   - Readiness: {_md(gains_text(suggestion))}")
    lines += [f"   - Clears from the plan: {_md(action_text(a))}" for a in suggestion.actions]
    return lines


def render_whatif_markdown(result: WhatIf) -> str:
    lines = [f"# What would change the decision: {_md(result.programme.name)} at {_md(result.site.name)}", "",
             f"**Decision now:** {now(result)}"]
    if not result.goals:
        lines += ["", nothing_to_change(result)]
    for index, goal in enumerate(result.goals):
        summary = goal_summary(goal, result.max_changes)
        lines += ["", f"## {goal.label.capitalize()}", "", summary[:1].upper() + summary[1:], ""]
        if _same_as_previous(result, index):
            lines.append("The same as above.")
            continue
        for number, suggestion in enumerate(goal.suggestions, start=1):
            lines += _markdown_suggestion(number, suggestion)
        lines += [f"- In the way: {_md(f.title)} (`{f.ref}`)" for f in goal.out_of_reach]
    levers = shown_levers(result)
    if levers:
        lines += ["", "## Single changes, best first", "",
                  "| Change | Decision | Resolves | Brings in | Readiness |", "|---|---|---:|---:|---:|"]
        lines += [f"| {_md(change_label(lever.change))} | {verdict_title(lever.verdict)} | {len(lever.resolves)} | "
                  f"{len(lever.introduces)} | {lever.readiness_gain:+d} |" for lever in levers]
    return "\n".join(lines) + "\n"


# -- the HTML report's panel -----------------------------------------------------------------------


@dataclass(frozen=True)
class PanelSuggestion:
    verdict: str
    changes: tuple[tuple[str, str], ...]
    """(label, `field: old -> new`) for each change."""
    resolves: tuple[tuple[str, str], ...]
    """(title, reference) of each finding it resolves."""
    readiness: str
    actions: tuple[str, ...]


@dataclass(frozen=True)
class PanelGoal:
    label: str
    summary: str
    same_as_above: bool
    suggestions: tuple[PanelSuggestion, ...]
    out_of_reach: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Panel:
    """Everything the HTML what-if panel shows, as words: the template only lays it out."""

    verdict: str
    goals: tuple[PanelGoal, ...]
    levers: tuple[tuple[str, str, int, str], ...]
    """(label, decision, findings resolved, readiness change) for each single change shown."""


def _panel_suggestion(suggestion: Suggestion) -> PanelSuggestion:
    return PanelSuggestion(
        verdict=reached(suggestion),
        changes=tuple((change_label(c), change_detail(c)) for c in suggestion.changes),
        resolves=tuple((f.title, f.ref) for f in suggestion.resolves),
        readiness=gains_text(suggestion),
        actions=tuple(action_text(a) for a in suggestion.actions),
    )


def whatif_panel(result: WhatIf) -> Panel:
    """The what-if result laid out for the HTML report (static: worked out before rendering)."""
    goals = []
    for index, goal in enumerate(result.goals):
        summary = goal_summary(goal, result.max_changes)
        goals.append(PanelGoal(
            label=goal.label[:1].upper() + goal.label[1:],
            summary=summary[:1].upper() + summary[1:],
            same_as_above=_same_as_previous(result, index),
            suggestions=tuple(_panel_suggestion(s) for s in goal.suggestions),
            out_of_reach=tuple((f.title, f.ref) for f in goal.out_of_reach),
        ))
    levers = tuple((change_label(lever.change), verdict_title(lever.verdict), len(lever.resolves),
                    f"{lever.readiness_gain:+d}") for lever in shown_levers(result))
    return Panel(verdict=now(result), goals=tuple(goals), levers=levers)


def _same_as_previous(result: WhatIf, index: int) -> bool:
    """Whether a goal is reached by exactly the suggestions of the goal before it (then they are
    not printed twice)."""
    if index == 0:
        return False
    goal, previous = result.goals[index], result.goals[index - 1]
    return bool(goal.suggestions) and goal.suggestions == previous.suggestions and goal.found == previous.found


def render_whatif_json(result: WhatIf) -> str:
    return result.model_dump_json(indent=2) + "\n"


WHATIF_RENDERERS: dict[str, Callable[[WhatIf], str]] = {
    "text": render_whatif_text,
    "markdown": render_whatif_markdown,
    "json": render_whatif_json,
}
