"""Findings: what the engine's matches mean, each traceable to its rule, facts and source.

A `Match` only says "rule R is true of subject S"; a `Finding` carries everything a reader needs to
trust it: the rule's title and advice (filled in with the site's own values), the exact facts the
condition read, and the passage of the guidance and the factor ids it rests on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from .facts import Subject, SubjectFact, Value
from .guidance import Theme
from .merged_advice import merged_advice
from .rules.model import (
    SEVERITY_RANK,
    About,
    ActionSpec,
    BasisSpec,
    Category,
    EffectSpec,
    Rule,
    Severity,
    SourceSpec,
)
from .rules.templates import ACTION_TERMS, fill
from .schema import Programme

if TYPE_CHECKING:  # only named in signatures: a process that reads findings need not load the engine
    from .engine.base import Match
    from .rules.parameters import Parameter

JsonValue = str | int | float | bool | list[str] | None


class ParameterUse(BaseModel):
    """A named number a finding's rule used, so the reader sees which lines are local choices."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    name: str
    value: float
    unit: str
    basis: str


class FindingInstance(BaseModel):
    """One subject a per-item rule fired on (a partner, a component...)."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    subject_id: str
    subject_label: str
    matched: dict[str, JsonValue]
    advice: str


class Finding(BaseModel):
    """One rule that fired: a risk to manage or a strength to build on. A rule about each partner
    (or component, service...) that fires on several of them is one finding listing them all, so
    a pattern is reported, counted and scored once however many partners share it."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    rule_id: str
    title: str
    theme: Theme
    category: Category
    severity: Severity
    subject: Subject
    subject_id: str = Field(description="Which principle, component, partner, service or adaptation; 'site' otherwise.")
    subject_label: str
    matched: dict[str, JsonValue] = Field(
        description="Every field the rule's condition read, with the value it saw (null: not stated)."
    )
    advice: str
    action: ActionSpec | None
    effect: EffectSpec
    factors: list[str]
    source: SourceSpec
    pack: str
    basis: BasisSpec | None = None
    about: About = "site"
    parameters: list[ParameterUse] = Field(
        default_factory=list, description="Named numbers the rule used, with their values and basis."
    )
    illustrative_facts: list[str] = Field(default_factory=list, description="Programme facts the finding read "
                                          "that the programme marks as illustrative, not evidence.")
    instances: list[FindingInstance] = Field(
        default_factory=list, description="Every subject the rule fired on, when it is about items (first as above)."
    )
    absorbs: list[str] = Field(
        default_factory=list, description="More general findings this one supersedes, reported only here."
    )
    absorbed_titles: dict[str, str] = Field(
        default_factory=dict, description="The title of each finding in `absorbs`, by its reference: what the "
        "finding also covers, in words."
    )
    withheld_strengths: list[str] = Field(
        default_factory=list, description="The strengths in `absorbs` that this risk stops from being credited "
        "(a similar setting, where the client group differs): not covered by the risk, but not said."
    )
    done: str | None = Field(default=None, description="What the site records as showing its action is done "
                             "(actions_done): the finding stands, and holds nothing.")

    @property
    def is_strength(self) -> bool:
        return self.category == "strength"

    @property
    def subject_ids(self) -> list[str]:
        return [i.subject_id for i in self.instances] if self.instances else [self.subject_id]

    @property
    def ref(self) -> str:
        """A short reference used to tie actions and reasons back to findings."""
        if self.subject in ("site", "findings"):
            return self.rule_id
        return f"{self.rule_id}@{'+'.join(self.subject_ids)}"

    @property
    def rests_on_local_choice(self) -> bool:
        return bool(self.basis and self.basis.kind != "guidance") or any(
            p.basis != "guidance" for p in self.parameters)


def _json(value: Value | None) -> JsonValue:
    if isinstance(value, tuple):
        return list(value)
    return value


def _rested_on(rule: Rule, values: Mapping[str, Value]) -> tuple[str, ...]:
    """The fields a finding's facts list: each one stated, and each one its condition asks to be
    known or missing. A rule that held with a field unstated did not rest on it (an unknown only
    ever makes a test unknown), and a strength shown beside "(not stated)" read as credit for
    something the site never said (1350). Should none be left, which a condition that held cannot
    do, every field is listed rather than none."""
    presence = rule.presence_fields
    return tuple(path for path in rule.fields if path in values or path in presence) or rule.fields


def _illustrative(rule: Rule, programme: Programme | None) -> list[str]:
    """The programme facts a rule read whose provenance is illustrative (a path covers its sub-fields)."""
    if programme is None or not programme.provenance:
        return []
    found = []
    for path in rule.fields:
        if not path.startswith("programme."):
            continue
        own = path.removeprefix("programme.")
        keys = [k for k in programme.provenance if own == k or own.startswith(k + ".")]
        if keys and programme.provenance[max(keys, key=len)].kind == "illustrative":
            found.append(path)
    return found


def _in_programme_words(action: ActionSpec | None, values: Mapping[str, Value]) -> ActionSpec | None:
    """The action with the programme's words (`ACTION_TERMS`) filled in: the only placeholders an action
    keeps once its parameters are bound (the rule checker allows no others)."""
    if action is None or "{" not in action.do + (action.done_when or ""):
        return action
    return _with_terms(action, tuple(values.get(term) for term in ACTION_TERMS))


@lru_cache(maxsize=1024)
def _with_terms(action: ActionSpec, terms: tuple[Value | None, ...]) -> ActionSpec:
    """Once per rule and set of words: the same over a batch but for the few site values it names."""
    values = {name: value for name, value in zip(ACTION_TERMS, terms, strict=True) if value is not None}
    return action.model_copy(update={"do": fill(action.do, values),
                                     "done_when": None if action.done_when is None else fill(action.done_when, values)})


def make_findings(matches: Iterable[Match], rules: Mapping[str, Rule], facts: Sequence[SubjectFact],
                  parameters: Mapping[str, Parameter] | None = None, programme: Programme | None = None
                  ) -> list[Finding]:
    by_key = {(fact.subject, fact.key): fact for fact in facts}
    findings = []
    for match in matches:
        rule = rules[match.rule_id]
        fact = by_key[(match.subject, match.subject_key)]
        spec = rule.spec
        used = [parameters[name] for name in rule.parameters if parameters and name in parameters]
        findings.append(
            Finding(
                rule_id=spec.id,
                title=spec.title,
                theme=spec.theme,
                category=spec.category,
                severity=spec.severity,
                subject=match.subject,
                subject_id=match.subject_key,
                subject_label=fact.label,
                matched={path: _json(fact.values.get(path)) for path in _rested_on(rule, fact.values)},
                advice=fill(spec.advice, fact.values),
                action=_in_programme_words(spec.action, fact.values),
                effect=spec.effect,
                factors=list(spec.factors),
                source=spec.source,
                pack=rule.pack,
                basis=spec.basis,
                about=spec.about,
                parameters=[ParameterUse(name=p.name, value=p.value, unit=p.spec.unit, basis=p.spec.basis)
                            for p in used],
                illustrative_facts=_illustrative(rule, programme),
            )
        )
    return sort_findings(findings)


def _merged_terms(terms: Sequence[tuple[Value | None, ...]]) -> tuple[Value | None, ...]:
    """Several subjects' words for one action: a list names every subject's items, in order."""
    merged: list[Value | None] = []
    for values in zip(*terms, strict=True):
        if all(isinstance(value, tuple) for value in values):
            merged.append(tuple(dict.fromkeys(item for value in values for item in value)))
        else:
            merged.append(values[0])
    return tuple(merged)


def _grouped_action(ordered: Sequence[Finding], rules: Mapping[str, Rule],
                    values: Mapping[tuple[str, str], Mapping[str, Value]]) -> ActionSpec | None:
    """The action of one finding about several subjects, in every subject's words. Filled with the
    first subject's, it told a site to agree terms with one service for five components that five
    services run (1381)."""
    head = ordered[0]
    action = rules[head.rule_id].spec.action
    if action is None or head.action is action:  # no words of the subject's to fill in
        return head.action
    terms = [tuple(values[(f.subject, f.subject_id)].get(term) for term in ACTION_TERMS) for f in ordered]
    return head.action if len(set(terms)) == 1 else _with_terms(action, _merged_terms(terms))


def group_instances(findings: Sequence[Finding], rules: Mapping[str, Rule], facts: Sequence[SubjectFact]
                    ) -> list[Finding]:
    """One finding per rule: a rule about items that fired on several is one finding listing them.
    `facts` are those the findings were made from: an action names each item's own words."""
    values: dict[tuple[str, str], Mapping[str, Value]] = {(fact.subject, fact.key): fact.values for fact in facts}
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.rule_id, []).append(finding)
    result = []
    for same_rule in grouped.values():
        first = same_rule[0]
        if first.subject in ("site", "findings"):
            result += same_rule
            continue
        ordered = sorted(same_rule, key=lambda f: f.subject_id)
        instances = [FindingInstance(subject_id=f.subject_id, subject_label=f.subject_label, matched=f.matched,
                                     advice=f.advice) for f in ordered]
        head = ordered[0]
        advice = merged_advice([f.advice for f in ordered], [f.subject_label for f in ordered])
        result.append(head.model_copy(update={
            "instances": instances,
            "advice": advice,
            "action": _grouped_action(ordered, rules, values),
            "absorbs": sorted({ref for f in ordered for ref in f.absorbs}),
            "absorbed_titles": {ref: title for f in ordered for ref, title in f.absorbed_titles.items()},
            "withheld_strengths": sorted({ref for f in ordered for ref in f.withheld_strengths}),
        }))
    return sort_findings(result)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first, then in the guidance's order (staff told the reasons for change before
    given ownership of it), then by rule and subject, so output never depends on evaluation order."""
    return sorted(findings, key=lambda f: (SEVERITY_RANK[f.severity], guidance_order(f.factors), f.rule_id,
                                           f.subject_id))


_FACTOR_ID = re.compile(r"([A-Z]+)(\d+)")


def guidance_order(factors: Sequence[str]) -> tuple[str, int]:
    """Where a finding's first factor comes in the guidance: factor ids number each theme's factors
    in the order the guidance gives them (CC1, the reasons for change, before CC3, ownership)."""
    found = _FACTOR_ID.fullmatch(factors[0]) if factors else None
    return (found.group(1), int(found.group(2))) if found else ("", 0)
