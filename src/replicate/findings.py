"""Findings: what the engine's matches mean, each traceable to its rule, facts and source.

A `Match` only says "rule R is true of subject S"; a `Finding` carries everything a reader needs to
trust it: the rule's title and advice (filled in with the site's own values), the exact facts the
condition read, and the passage of the guidance and the factor ids it rests on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field

from .engine.base import Match
from .facts import FindingsSummary, Subject, SubjectFact, Value
from .guidance import Theme
from .rules.model import (
    CATEGORIES,
    SEVERITY_RANK,
    ActionSpec,
    Category,
    EffectSpec,
    Rule,
    Severity,
    SourceSpec,
)
from .rules.templates import fill
from .schema import Programme, SiteProfile

JsonValue = str | int | float | bool | list[str] | None


class Finding(BaseModel):
    """One rule that fired on one subject: a risk to manage or a strength to build on."""

    model_config = ConfigDict(frozen=True)

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

    @property
    def is_strength(self) -> bool:
        return self.category == "strength"

    @property
    def ref(self) -> str:
        """A short reference used to tie actions and reasons back to findings."""
        return self.rule_id if self.subject in ("site", "findings") else f"{self.rule_id}@{self.subject_id}"


def _json(value: Value | None) -> JsonValue:
    if isinstance(value, tuple):
        return list(value)
    return value


def make_findings(matches: Iterable[Match], rules: Mapping[str, Rule], facts: Sequence[SubjectFact]) -> list[Finding]:
    by_key = {(fact.subject, fact.key): fact for fact in facts}
    findings = []
    for match in matches:
        rule = rules[match.rule_id]
        fact = by_key[(match.subject, match.subject_key)]
        spec = rule.spec
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
                matched={path: _json(fact.values.get(path)) for path in rule.fields},
                advice=fill(spec.advice, fact.values),
                action=spec.action,
                effect=spec.effect,
                factors=list(spec.factors),
                source=spec.source,
                pack=rule.pack,
            )
        )
    return sort_findings(findings)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first, then by rule and subject, so output never depends on evaluation order."""
    return sorted(findings, key=lambda f: (SEVERITY_RANK[f.severity], f.rule_id, f.subject_id))


def principles_affected(finding: Finding, programme: Programme, site: SiteProfile) -> set[str]:
    """The principles a finding's principle effect applies to: its own subject, or what an
    adaptation touches. An adaptation of a component reaches the core principles that component
    carries: cutting back the component that delivers a core principle puts that principle at risk.
    The plan and the rules over findings both use this, so they can never count differently."""
    if finding.subject == "principle":
        return {finding.subject_id}
    if finding.subject != "adaptation":
        return set()
    touches = next((a.touches for a in site.adaptations if a.id == finding.subject_id), None)
    if any(p.id == touches for p in programme.principles):
        return {touches} if touches else set()
    component = next((c for c in programme.components if c.id == touches), None)
    if component is None:
        return set()
    core = {p.id for p in programme.principles if p.kind == "core"}
    return set(component.principles) & core


def summarise(findings: Sequence[Finding], programme: Programme, site: SiteProfile) -> FindingsSummary:
    """Count findings for rules over findings."""
    at_risk: set[str] = set()
    build_on = set()
    for finding in findings:
        if finding.effect.principle == "at_risk":
            at_risk |= principles_affected(finding, programme, site)
        if finding.effect.component == "build_on":
            build_on.add(finding.subject_id)
    by_category = {category: 0 for category in CATEGORIES}
    for finding in findings:
        by_category[finding.category] += 1
    return FindingsSummary(
        rules=sorted({f.rule_id for f in findings}),
        count=len(findings),
        high=sum(1 for f in findings if f.severity == "high" and not f.is_strength),
        medium=sum(1 for f in findings if f.severity == "medium" and not f.is_strength),
        low=sum(1 for f in findings if f.severity == "low" and not f.is_strength),
        strengths=by_category["strength"],
        principles_at_risk=len(at_risk),
        core_principles_at_risk=len(at_risk & {p.id for p in programme.principles if p.kind == "core"}),
        components_to_build_on=len(build_on),
        **{category: count for category, count in by_category.items() if category != "strength"},
    )
