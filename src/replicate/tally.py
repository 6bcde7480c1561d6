"""Counting findings for the rules over findings: how many core principles are at risk, from how
many sources, and the rest of `FindingsSummary`. The plan reads the same `principles_affected`, so
the rules and the plan can never count differently."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from typing import Protocol

from .facts import FindingsSummary
from .facts.types import quoted
from .rules.model import CATEGORIES, EffectSpec, RuleSpec
from .schema import Programme, SiteProfile


class Counted(Protocol):
    """What counting reads of a finding: a `Finding`, or an open rule's finding supposed made."""

    @property
    def rule_id(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def subject_ids(self) -> list[str]: ...
    @property
    def severity(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def effect(self) -> EffectSpec: ...
    @property
    def is_strength(self) -> bool: ...


def principles_affected(finding: Counted, programme: Programme, site: SiteProfile) -> set[str]:
    """The principles a finding's principle effect applies to: its own subject, or what an
    adaptation touches. A component, or an adaptation of one, reaches the core principles that
    component carries: cutting back the component that delivers a core principle puts that principle
    at risk. The plan and the rules over findings both use this, so they can never count differently."""
    if finding.subject == "principle":
        return set(finding.subject_ids)
    core = {p.id for p in programme.principles if p.kind == "core"}
    if finding.subject == "component":
        return {p for c in programme.components if c.id in finding.subject_ids for p in c.principles} & core
    if finding.subject != "adaptation":
        return set()
    affected: set[str] = set()
    for subject_id in finding.subject_ids:
        touches = next((a.touches for a in site.adaptations if a.id == subject_id), None)
        if any(p.id == touches for p in programme.principles):
            affected |= {touches} if touches else set()
            continue
        component = next((c for c in programme.components if c.id == touches), None)
        if component is not None:
            affected |= set(component.principles) & core
    return affected


class FindingsTally:
    """What `summarise` counts, kept open so that a copy can take one more finding: a question's
    knock-on (`knock_on.py`) asks what the findings already made would count with one more, once
    per open rule, and counting them all again each time cost a tenth of a plan."""

    def __init__(self, programme: Programme, site: SiteProfile) -> None:
        self.programme = programme
        self.site = site
        self.core = frozenset(p.id for p in programme.principles if p.kind == "core")
        self.at_risk: set[str] = set()
        self.sources: set[tuple[str, str]] = set()
        self.drops: set[str] = set()
        self.build_on: set[str] = set()
        self.rules: set[str] = set()
        self.count = 0
        self.by_severity = {"high": 0, "medium": 0, "low": 0}
        self.by_category: dict[str, int] = dict.fromkeys(CATEGORIES, 0)

    def add(self, finding: Counted) -> None:
        if finding.effect.principle == "at_risk":
            affected = principles_affected(finding, self.programme, self.site)
            self.at_risk |= affected
            if affected & self.core:
                self.sources |= {(finding.subject, subject_id) for subject_id in finding.subject_ids}
                if finding.effect.component == "drop":
                    self.drops |= set(finding.subject_ids)
        if finding.effect.component == "build_on":
            self.build_on.update(finding.subject_ids)
        self.rules.add(finding.rule_id)
        self.count += 1
        if finding.severity in self.by_severity and not finding.is_strength:
            self.by_severity[finding.severity] += 1
        self.by_category[finding.category] += 1

    def copy(self) -> FindingsTally:
        other = copy.copy(self)
        other.at_risk, other.sources, other.drops = set(self.at_risk), set(self.sources), set(self.drops)
        other.build_on, other.rules = set(self.build_on), set(self.rules)
        other.by_severity, other.by_category = dict(self.by_severity), dict(self.by_category)
        return other

    def _label(self, subject: str, key: str) -> str:
        """A source of risk to the core, as the plan's reader knows it: the adaptation as the site
        described it, or the principle's statement."""
        if subject == "adaptation":
            adaptation = next((a for a in self.site.adaptations if a.id == key), None)
            if adaptation is not None:
                return adaptation.description.rstrip(". ") or f"adaptation {key}"
        if subject == "principle":
            principle = next((p for p in self.programme.principles if p.id == key), None)
            if principle is not None:
                return f"what {quoted(principle.statement)} needs"
        if subject == "component":
            component = next((c for c in self.programme.components if c.id == key), None)
            if component is not None:
                return f"what is planned for \"{component.name}\""
        return key

    def counts(self) -> dict[str, object]:
        """The fields of `FindingsSummary`, by name."""
        return {
            "rules": sorted(self.rules),
            "count": self.count,
            **self.by_severity,
            "strengths": self.by_category["strength"],
            "principles_at_risk": len(self.at_risk),
            "core_principles_at_risk": len(self.at_risk & self.core),
            "core_risk_sources": len(self.sources),
            "core_risk_source_labels": sorted(self._label(subject, key) for subject, key in self.sources),
            "core_principles_at_risk_labels": [quoted(p.statement) for p in self.programme.principles
                                               if p.id in self.at_risk & self.core],
            "core_component_drops": len(self.drops),
            "components_to_build_on": len(self.build_on),
            **{category: count for category, count in self.by_category.items() if category != "strength"},
        }


def tally(findings: Iterable[Counted], programme: Programme, site: SiteProfile) -> FindingsTally:
    counted = FindingsTally(programme, site)
    for finding in findings:
        counted.add(finding)
    return counted


def summarise(findings: Sequence[Counted], programme: Programme, site: SiteProfile) -> FindingsSummary:
    """Count findings for rules over findings."""
    return FindingsSummary.model_validate(tally(findings, programme, site).counts())


_AT_RISK_COUNTS = ("principles_at_risk", "core_principles_at_risk", "core_risk_sources", "core_risk_source_labels",
                   "core_principles_at_risk_labels", "core_component_drops")


def summary_fields_moved(spec: RuleSpec) -> frozenset[str]:
    """The fields of the findings summary one more finding of this rule could change: what
    `FindingsTally.add` counts of it, kept beside it so the two cannot drift apart."""
    moved = {"rules", "count", "strengths" if spec.category == "strength" else spec.severity}
    if spec.category != "strength":
        moved.add(spec.category)
    if spec.effect.principle == "at_risk":
        moved.update(_AT_RISK_COUNTS)
    if spec.effect.component == "build_on":
        moved.add("components_to_build_on")
    return frozenset(f"findings.{name}" for name in moved)
