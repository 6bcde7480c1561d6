"""How an action in a list says what it is about and what it holds: the principles, partners or
services after "for:", and the tag before it ("[condition]", "[high]", "[build on]"). Kept apart
from the other labels because every renderer's action list, and nothing else, reads them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ..findings import Finding
from ..plan import AdaptationPlan

QUOTED = frozenset({"principle", "adaptation"})
"""Subjects named in a one-line list by the opening words of their sentence: a principle's id
(co_owned_not_imposed) or an adaptation's (education_not_work) told a board nothing (1300)."""
QUOTED_WORDS = 7
QUOTED_MOST = 14
_CLAUSE_END = re.compile(r"[,;:(]|\s[-\u2013\u2014]\s")


def short_quote(sentence: str, words: int = QUOTED_WORDS, most: int = QUOTED_MOST) -> str:
    """A principle named by the opening of its statement ('"Partners shape and own the processes..."'):
    its id (co_owned_not_imposed) told a board nothing, and the whole statement fills a line. The
    opening ends where a clause does, the first that gives three words or more, when that is short
    enough: seven words cut mid-phrase ('"Each pupil's wellbeing score is recorded at..."', 1426,
    1432; '"Falls, emergency attendances and hospital admissions are..."', 1534) read as a slip, and a
    cut that cannot end a clause at least ends on a word that carries meaning."""
    text = sentence.rstrip().rstrip(".")
    parts = text.split()
    if len(parts) <= most and not _CLAUSE_END.search(text):
        return f'"{text}"'
    opening = next((words_before for end in _CLAUSE_END.finditer(text)
                    if len(words_before := text[:end.start()].split()) >= 3), parts)
    chosen = opening if len(opening) <= most else _meaningful_end(parts[:words])
    return f'"{" ".join(chosen)}{"..." if len(chosen) < len(parts) else ""}"'


_LINKING = frozenset({"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "of",
                      "on", "or", "that", "the", "their", "to", "was", "were", "which", "who", "with"})


def _meaningful_end(cut: list[str]) -> list[str]:
    """The cut without the linking words it ends on ("...the processes and" reads as a slip)."""
    while len(cut) > 3 and cut[-1].lower() in _LINKING:
        cut = cut[:-1]
    return cut


def subjects_of(refs: Sequence[str], by_ref: Mapping[str, Finding]) -> str:
    """Whom or what the findings an action answers are about (partners, services, components...),
    so that "each critical partner that has none" on the first page says which; "" for the site.
    `by_ref` maps each finding's reference to it (made once per plan)."""
    names: list[str] = []
    for ref in refs:
        finding = by_ref.get(ref)
        if finding is None or finding.subject in ("site", "findings"):
            continue
        quoted = finding.subject in QUOTED
        for label in [i.subject_label for i in finding.instances] or [finding.subject_label]:
            names.append(short_quote(label) if quoted else label)
    return ", ".join(dict.fromkeys(names))


def held_by(plan: AdaptationPlan) -> dict[str, str]:
    """What each finding behind a launch condition or groundwork holds: "condition" or "groundwork"."""
    held = {ref: "groundwork" for item in plan.decision.groundwork for ref in item.answers}
    held.update({ref: "condition" for item in plan.decision.conditions for ref in item.answers})
    return held


def priority_label(priority: str, refs: Sequence[str], by_ref: Mapping[str, Finding],
                   held: Mapping[str, str] | None = None) -> str:
    """The tag an action carries in the action lists. An action the decision waits on says so
    ("condition", "groundwork"): "[low] Secure funding for the rest of the run" read as optional
    beside the one condition that held the decision (1417). Otherwise its finding's severity, except that "info",
    which a board read as "for information" beside a launch condition (1180), says "build on" for
    terms to agree with a service the programme builds on, in whole or in part ("strength" read as if
    the condition were already met, 1291), "strength" when the action follows from other strengths, and nothing else."""
    holding = [held[ref] for ref in refs if held and ref in held]
    if holding:
        return "condition" if "condition" in holding else "groundwork"
    if priority != "info":
        return priority
    if not refs or not all(ref in by_ref and by_ref[ref].is_strength for ref in refs):
        return ""
    # A component a local service meets in part is built on too: "[strength] Agree with each
    # service..." read as if the agreement were already a strength (1383).
    return "build on" if all(by_ref[ref].effect.component == "build_on" or by_ref[ref].subject == "component"
                             for ref in refs) else "strength"
