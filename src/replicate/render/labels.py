"""Words shown to readers for the plan's codes, shared by every human-readable renderer."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from ..facts import ROUTING_FIELDS, Value
from ..findings import Finding
from ..guidance import THEME_TITLES
from ..plan.model import (
    IF_FUNDED,
    AdaptationPlan,
    FidelityCheck,
    PrincipleVerdict,
    Review,
    ThemeReadiness,
    Verdict,
)
from ..rules.templates import NOT_STATED, SHARES, share, show

VERDICT_TITLES = {
    "go": "GO AHEAD",
    "go_with_conditions": "GO AHEAD ONCE CONDITIONS ARE MET",
    "information_needed": "INFORMATION NEEDED BEFORE A DECISION",
    "not_yet": "NOT YET",
    "do_not_replicate": "DO NOT REPLICATE HERE",
}
NO_PRINCIPLES = "The programme describes no principles, so there is nothing yet to keep or tailor."
PRINCIPLE_STATUS = {"keep": "keep exactly", "tailor": "tailor within the framework", "at_risk": "AT RISK"}
NO_FRAMEWORK = "tailor, once the core principles are identified"
CORE_TAILORED = "keep, tailored within the framework"
"""A core principle a planned change adds to or that the developer agreed: 'tailor within the framework',
the adaptable principles' label, read as if it were no longer core (815)."""
COMPONENT_STATUS = {
    "deliver": "deliver",
    "tailor": "tailor to local need",
    "build_on": "build on existing service",
    "drop": "drop",
    "at_risk": "AT RISK",
}
PHASE_TITLES = {
    "before_launch": "Before launch",
    "first_six_months": "First six months",
    "ongoing": "Ongoing",
}


VERDICT_SHORT = {
    "go": "go ahead",
    "go_with_conditions": "go ahead with conditions",
    "information_needed": "information needed",
    "not_yet": "not yet",
    "do_not_replicate": "do not replicate",
}
_DECIDES = {"go_with_conditions": "sets a condition", "not_yet": "holds the decision",
            "do_not_replicate": "decides it"}


def decides_label(readiness: ThemeReadiness, verdict: Verdict) -> str:
    """What a theme's own findings do to the decision, or "": a theme scoring 70 read as sound
    beside a "not yet" that one of its findings holds (1390). A theme with no risk sets a condition
    only through terms to agree with a service it builds on, and says so: "100, 0 risks; sets a
    condition" left a board asking how (2130)."""
    if not readiness.decides:
        return ""
    if verdict == "go_with_conditions" and readiness.risks == 0:
        return "sets a condition: terms to agree"
    return _DECIDES.get(verdict, "")


BASIS_TITLES = {"guidance": "the guidance says so", "interpretation": "a reading of the guidance",
                "local_default": "a local default"}


def listed_findings(plan: AdaptationPlan) -> tuple[list[Finding], str]:
    """The findings a reader sees, and a line for those held back. Advised not to replicate, the
    site's strengths are strengths for launching what the plan advises against: 'build the launch on
    that', 'quote them when making the case for funding' read as steps towards it (861). They are
    counted, not listed; the JSON output keeps them."""
    if plan.decision.verdict != "do_not_replicate":
        return list(plan.findings), ""
    risks = [f for f in plan.findings if not f.is_strength]
    held = len(plan.findings) - len(risks)
    if not held:
        return risks, ""
    return risks, (f"{held} strength{'s' if held != 1 else ''} of the site {'are' if held != 1 else 'is'} not "
                   "listed: strengths for launching a programme this plan advises against (the JSON output "
                   "keeps them).")


def sustaining_heading(verdict: Verdict) -> str:
    """A plan held for groundwork or answers is not yet one to launch: its review schedule is what
    comes once the advice is to go ahead, not a timetable starting now (809, 810, 816)."""
    if verdict in ("not_yet", "information_needed"):
        return "After launch, once the advice is to go ahead: sustaining it"
    return "After launch: sustaining it"


NOT_SET_UP = "not set up here"
"""A principle's label in a plan that advises against setting the programme up: "[keep exactly]"
beside "not to be set up here" told the reader to keep what the plan says not to start (1710)."""


def principle_label(principle: PrincipleVerdict, principles: Sequence[PrincipleVerdict],
                    verdict: Verdict | None = None) -> str:
    """The status in words; "within the framework" only where some principle is core to make one (988)."""
    if verdict == "do_not_replicate":
        return NOT_SET_UP
    if principle.kind == "core" and principle.status == "tailor":
        return CORE_TAILORED
    if principle.status == "tailor" and not any(p.kind == "core" for p in principles):
        return NO_FRAMEWORK
    return PRINCIPLE_STATUS[principle.status]


def shows_proviso(verdict: Verdict, provisional: bool) -> bool:
    """Whether to call a decision provisional: never "information needed", which waits for answers
    already (1141)."""
    return provisional and verdict != "information_needed"


def count(value: int, noun: str) -> str:
    """`1 risk`, `2 risks`: singular and plural as a manager would write them."""
    return f"{value} {noun}{'' if value == 1 else 's'}"


def percent(share: float) -> str:
    return f"{round(share * 100)}%"


def number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def quantity(value: float, unit: str) -> str:
    """`1 year of working together`, not `1 years` (a local pack's parameter set to 1): a unit is
    written in the plural, so for exactly one its first plural word, within its first two, is made
    singular ("partner agencies" -> "partner agency", "core principles at risk" -> "core principle")."""
    if value != 1:
        return f"{number(value)} {unit}"
    words = unit.split(" ")
    for index, word in enumerate(words[:2]):
        if word.endswith("ies"):
            words[index] = word[:-3] + "y"
            break
        if word.endswith("s") and not word.endswith("ss"):
            words[index] = word[:-1]
            break
    return f"{number(value)} {' '.join(words)}"


def fidelity_line(checks: Sequence[FidelityCheck]) -> str:
    """The fidelity checks in one line: each restates a core principle the plan has already shown,
    so the reader needs which ones and when, not the statements again."""
    names = ", ".join(check.principle for check in checks)
    return (f"Fidelity, at each review: check that delivery still does what each core principle says ({names}; "
            "see Core principles), and record any drift with what will put it right.")


def review_line(reviews: Sequence[Review]) -> str:
    """The outcome reviews in one line: when they fall, what each does, at which one the local
    cost/benefit case is due (the review whose task says more than the others'), and which happen
    only if funding continues."""
    later = [r for r in reviews if r.what.startswith(IF_FUNDED)]
    funded = [r for r in reviews if not r.what.startswith(IF_FUNDED)]
    if not funded:
        return _reviews_text(reviews, IF_FUNDED) + " (all of them only if funding continues)."
    tail = f"; {months_text([r.month for r in later])} only if funding continues" if later else ""
    return _reviews_text(funded, "") + tail + "."


def months_text(months: Sequence[int]) -> str:
    """Review months as a reader scans them: "every month, months 1 to 36" rather than thirty-six
    numbers (1508); a short or uneven list as it is ("months 6, 12, 18")."""
    steps = {later - earlier for earlier, later in itertools.pairwise(months)}
    if len(months) >= 5 and len(steps) == 1:
        step = steps.pop()
        every = "every month" if step == 1 else f"every {step} months"
        return f"{every}, months {months[0]} to {months[-1]}"
    return "months " + ", ".join(str(month) for month in months)


def _reviews_text(reviews: Sequence[Review], prefix: str) -> str:
    whats = [r.what.removeprefix(prefix) for r in reviews]
    base = min(whats, key=len)  # the plain review; one says more
    if len(reviews) == 1:
        return f"Outcome review at month {reviews[0].month}: {base}"
    special = next(((r, what) for r, what in zip(reviews, whats, strict=True) if what != base), None)
    months = months_text([r.month for r in reviews])
    also = (f"; at month {special[0].month}, also {special[1].removeprefix(base + '; ')}"
            if special is not None else "")
    return f"Outcome reviews {'at ' if months.startswith('months') else ''}{months}: {base}{also}"


def finding_marks(finding: Finding) -> list[str]:
    """What a reader must know before relying on a finding: where it rests on a reading of the
    guidance or a local number rather than on the guidance itself, or on an illustrative fact."""
    marks = []
    if finding.done is not None and finding.action is not None:
        # First: it says why a risk stands with no condition beside it.
        marks.append(f"Done, as the site records: {finding.done} (the action: {finding.action.do.rstrip('.')}; "
                     "it no longer holds the decision)")
    if finding.about == "programme":
        # Not "its owner can put it right": an evaluation's result (no gain, not cost-effective) is
        # about the programme too, and no owner can put that right by describing it better (919).
        marks.append("About the programme itself, not this site")
    if finding.basis is not None and finding.basis.kind != "guidance":
        marks.append(f"Basis: {BASIS_TITLES[finding.basis.kind]} ({finding.basis.rationale})")
    local = [p for p in finding.parameters if p.basis != "guidance"]
    if local:
        marks.append("Local choice: " + "; ".join(f"{p.name} = {quantity(p.value, p.unit)}" for p in local))
    if finding.illustrative_facts:
        marks.append("Rests on illustrative programme facts: " + ", ".join(finding.illustrative_facts))
    # In words first, with the reference to trace it by: a bare rule id told a board nothing (570).
    covered = [ref for ref in finding.absorbs if ref not in finding.withheld_strengths]
    if covered:
        marks.append("Also covers: " + _absorbed(finding, covered))
    if finding.withheld_strengths:
        marks.append("Not credited as a strength because of it: " + _absorbed(finding, finding.withheld_strengths))
    return marks


def _absorbed(finding: Finding, refs: list[str]) -> str:
    """Each absorbed finding's title once, with the references it stands for: one rule on four
    components read as the same title four times (20)."""
    by_title: dict[str, list[str]] = {}
    for ref in refs:
        by_title.setdefault(finding.absorbed_titles.get(ref, ""), []).append(ref)
    return "; ".join(f"{title} ({', '.join(group)})" if title else ", ".join(group)
                     for title, group in by_title.items())


def applies_to(finding: Finding) -> str:
    """`(partners: Housing Trust, Probation)` for a finding about items; empty for the site."""
    if finding.subject in ("site", "findings"):
        return ""
    if finding.subject == "principle":  # a principle's label is its whole statement: name it by id
        labels = finding.subject_ids
    else:
        labels = [i.subject_label for i in finding.instances] or [finding.subject_label]
    noun = finding.subject if len(labels) == 1 else f"{finding.subject}s"
    # An adaptation's label is a sentence of its own: several are kept apart by semicolons.
    joiner = "; " if finding.subject == "adaptation" else ", "
    return f" ({noun}: {joiner.join(label.rstrip().rstrip('.') for label in labels)})"


def theme_title(theme: str) -> str:
    return THEME_TITLES.get(theme, theme)


def matched_text(matched: dict[str, object]) -> str:
    """`site.setting = rural; partner.critical = yes` — the facts a finding rested on (not the fields
    read only to stand aside, `ROUTING_FIELDS`; the JSON keeps them with the rest)."""
    parts = []
    for path, value in matched.items():
        if path in ROUTING_FIELDS:
            continue
        shown = NOT_STATED if value is None else show(tuple(value) if isinstance(value, list) else value)  # type: ignore[arg-type]
        if path in SHARES and isinstance(value, int | float) and not isinstance(value, bool):
            shown = f"{shown} ({share(value)})"  # a fraction of the run, read as the advice's percentage
        parts.append(f"{path} = {shown}")
    return "; ".join(parts)


__all__ = ["Value"]


def guidance_once(plan: AdaptationPlan) -> dict[tuple[str, str], str]:
    """The guidance each principle and component shows in the details, keyed ("principle" or
    "component", id). A finding's paragraph about a component that carries two core principles
    stood under all three and again among the findings (1287), so after its first showing it is
    referred to; short standing guidance ("Deliver as the programme defines it.") is no finding's
    paragraph and is shown each time. The plan keeps each whole, for tools that read one alone."""
    paragraphs = {f.advice for f in plan.findings}
    first: dict[str, str] = {}
    said: dict[tuple[str, str], str] = {}
    items = [("principle", p.id, p.guidance) for p in plan.principles]
    items += [("component", c.id, c.guidance) for c in plan.components]
    for kind, item_id, guidance in items:
        where = f"{kind} {item_id}"
        if guidance in paragraphs and first.setdefault(guidance, where) != where:
            said[(kind, item_id)] = f"As for {first[guidance]}, above."
        else:
            said[(kind, item_id)] = guidance
    return said


def recorded_line(plan: AdaptationPlan) -> str:
    """The launch conditions the decision counts as met on the site's own record (actions_done), so
    a board sees on the first page that a "go" rests on them; "" when there are none."""
    done = [f'"{f.title}" ({f.rule_id})' for f in plan.findings if f.done is not None]
    return (f"Met on the site's own record (see the details): the launch condition{'s' if len(done) > 1 else ''} "
            f"on {'; '.join(done)}." if done else "")
