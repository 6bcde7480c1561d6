"""One pattern, one finding: a more specific finding absorbs the general ones it would repeat.

A rule `supersedes` (or `mitigates`) others; where both fire, only it is reported, listing what it
absorbed. The same test tells which open rules no answer could add to the advice, and which risks an
open rule would take the place of were it to fire.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .findings import Finding
from .rules.model import SEVERITY_RANK, Rule


def supersede(findings: Sequence[Finding], rules: Mapping[str, Rule]) -> list[Finding]:
    """Drop each finding a more specific one absorbs, and list it in the absorbing finding.

    A rule absorbs the rules it `supersedes` (or `mitigates`) on the same subject; a rule about the
    whole site, or one over another kind of subject than theirs, absorbs them on every subject (see
    `_reaches_every`). One real-world pattern is then one finding, counted once."""
    absorbed: dict[int, list[Finding]] = {}
    dropped: set[int] = set()
    for index, finding in enumerate(findings):
        targets = _rule_absorbs(finding.rule_id, rules)
        if not targets:
            continue
        for other_index, other in enumerate(findings):
            if other_index == index or other.rule_id not in targets:
                continue
            if (_reaches_every(finding.subject, other.subject)
                    or (other.subject, other.subject_id) == (finding.subject, finding.subject_id)):
                dropped.add(other_index)
                absorbed.setdefault(index, []).append(other)
    _said_once(findings, absorbed, dropped)
    kept = []
    for index, finding in enumerate(findings):
        if index in dropped:
            continue
        if index in absorbed:
            refs = sorted(set(finding.absorbs) | {other.ref for other in absorbed[index]})
            titles = {**finding.absorbed_titles, **{other.ref: other.title for other in absorbed[index]}}
            # A risk that absorbs a strength withholds it; "also covers" would read as the risk
            # saying the site resembles the original (660, 665).
            withheld = sorted({*finding.withheld_strengths,
                               *(other.ref for other in absorbed[index]
                                 if other.is_strength and not finding.is_strength)})
            finding = finding.model_copy(update={"absorbs": refs, "absorbed_titles": titles,
                                                 "withheld_strengths": withheld,
                                                 **_stood_for(finding, absorbed[index], rules)})
        kept.append(finding)
    return kept


def _said_once(findings: Sequence[Finding], absorbed: dict[int, list[Finding]], dropped: set[int]) -> None:
    """Leave each absorbed finding under one absorbing finding that is kept: the most severe, the
    first of equals. Two findings each saying "also covers: no alternative ways of working" said
    one gap twice (716, 738)."""
    owners: dict[str, list[int]] = {}
    for index, others in absorbed.items():
        if index not in dropped:
            for other in others:
                owners.setdefault(other.ref, []).append(index)
    for ref, indexes in owners.items():
        if len(indexes) < 2:
            continue
        keep = min(indexes, key=lambda i: (SEVERITY_RANK[findings[i].severity], i))
        for index in indexes:
            if index != keep:
                absorbed[index] = [other for other in absorbed[index] if other.ref != ref]


def _stood_for(finding: Finding, absorbed: Sequence[Finding], rules: Mapping[str, Rule]) -> dict[str, Any]:
    """What a rule that stands for what it absorbs takes from it: the subject of the one item finding
    it absorbed, and that finding's effect on principles and components (its own decision effect
    kept), so that the plan still shows the principles the change puts at risk."""
    spec = rules[finding.rule_id].spec if finding.rule_id in rules else None
    items = [other for other in absorbed if not _everywhere(other)]
    if spec is None or not spec.stands_for_absorbed or len(items) != 1:
        return {}
    [item] = items
    effect = finding.effect.model_copy(update={"principle": item.effect.principle,
                                               "component": item.effect.component})
    # Its own advice, and what the change it stands for does (a service with no room for it, say),
    # which its own text over findings cannot know; not the absorbed advice, whose remedy (a check)
    # it overrules.
    advice = f"{finding.advice} What the change does: {item.title[:1].lower()}{item.title[1:]}."
    instances = [i.model_copy(update={"advice": advice}) for i in item.instances] if len(item.instances) > 1 else []
    return {"subject": item.subject, "subject_id": item.subject_id, "subject_label": item.subject_label,
            "instances": instances, "effect": effect, "advice": advice}


def absorbed_if_fired(found: Sequence[Finding], rules: Mapping[str, Rule]
                      ) -> tuple[set[str], set[tuple[str, str, str]]]:
    """The rules that, were they to fire, a finding already made would absorb, by the same test as
    `supersede`: on every subject (a finding about the whole site) as rule ids, or on the finding's
    own subjects as (rule id, subject, subject id). Such a rule left open is not a question worth
    asking, nor one that could change the decision."""
    everywhere: set[str] = set()
    on_subject: set[tuple[str, str, str]] = set()
    for finding in found:
        # And what the findings it absorbed would have absorbed: with no evaluation planned, the
        # decommissioning risk absorbs "no evaluation", and the evaluation's design stays moot.
        targets = _rule_absorbs(finding.rule_id, rules).union(
            *(_rule_absorbs(ref.partition("@")[0], rules) for ref in finding.absorbs))
        for target in targets:
            if target in rules and _reaches_every(finding.subject, rules[target].subject):
                everywhere.add(target)
            else:
                on_subject.update((target, finding.subject, key) for key in finding.subject_ids)
    return everywhere, on_subject


def _rule_absorbs(rule_id: str, rules: Mapping[str, Rule]) -> set[str]:
    spec = rules[rule_id].spec if rule_id in rules else None
    return set(spec.supersedes) | set(spec.mitigates) if spec is not None else set()


_WHOLE_SITE = ("site", "findings")


def _everywhere(finding: Finding) -> bool:
    """A finding about the whole site absorbs its targets on every subject."""
    return finding.subject in _WHOLE_SITE


def _reaches_every(absorber_subject: str, target_subject: str) -> bool:
    """Whether a rule over `absorber_subject` absorbs a rule over `target_subject` on every subject.

    A rule about the whole site does. So does one over another kind of subject: the two can never
    share a subject, and what the absorber judges (a plan the partners did not shape, which puts a
    core principle at risk) is the whole of what the targets judge one by one (each partner not
    consulted on that plan), so each target is its own at every subject (1694)."""
    return absorber_subject in _WHOLE_SITE or absorber_subject != target_subject


def reaches(subject: str, subject_id: str, finding: Finding) -> bool:
    """Whether a rule about (subject, subject_id), were it to fire, would absorb `finding` of a rule
    it supersedes or mitigates: on every subject if `_reaches_every` says so, else on its own."""
    return _reaches_every(subject, finding.subject) or subject_id in finding.subject_ids
