"""Turn findings into an adaptation plan: a decision, a verdict per principle and component,
phased actions with owners, readiness by theme and the questions still to answer.

Everything here is derived from the findings and the rules' declared effects; the builder adds no
judgement of its own beyond how effects combine (the worst wins), so every line of the plan can be
traced to the rule that caused it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..facts import DERIVED_FROM
from ..findings import Finding, principles_affected
from ..rules.model import PHASES, SEVERITY_RANK
from ..schema import Programme, SiteProfile
from . import scoring
from .model import (
    Action,
    AdaptationPlan,
    ComponentStatus,
    ComponentVerdict,
    Decision,
    PrincipleStatus,
    PrincipleVerdict,
    ProfileRef,
    Question,
    Reason,
    RulePackRef,
    Verdict,
)

PRINCIPLE_ORDER: tuple[PrincipleStatus, ...] = ("keep", "tailor", "at_risk")
COMPONENT_ORDER: tuple[ComponentStatus, ...] = ("deliver", "tailor", "drop", "build_on")
"""Later wins. Building on an existing service outranks dropping: where a local service already
meets the need, the plan names it rather than leaving the need unmet."""
VERDICT_ORDER: tuple[Verdict, ...] = ("go", "go_with_conditions", "not_yet", "do_not_replicate")
_EFFECT_TO_VERDICT: dict[str, Verdict] = {
    "go": "go",
    "conditions": "go_with_conditions",
    "not_yet": "not_yet",
    "do_not_replicate": "do_not_replicate",
}
VERDICT_SUMMARY: dict[Verdict, str] = {
    "go": "Go ahead: no finding stands in the way.",
    "go_with_conditions": "Go ahead once the conditions below are met.",
    "not_yet": "Not yet: the groundwork below must be done first, then advise again.",
    "do_not_replicate": "Do not replicate here: build on what the area has, or choose another approach.",
}


@dataclass(frozen=True)
class UndeterminedRule:
    """A rule that missing information left open, and the fields it needed."""

    rule_id: str
    theme: str
    subject_id: str
    missing: tuple[str, ...]
    category: str = ""
    """The rule's category; open strength rules are asked about but never lower a readiness score."""

    @property
    def is_risk(self) -> bool:
        return self.category != "strength"


def _reason(finding: Finding) -> Reason:
    return Reason(finding=finding.ref, text=finding.title)


def _worst(current: str, candidate: str, order: Sequence[str]) -> str:
    return candidate if order.index(candidate) > order.index(current) else current


def _decision(findings: Sequence[Finding]) -> Decision:
    verdict: Verdict = "go"
    reasons: list[Reason] = []
    for finding in findings:
        effect = finding.effect.decision
        if effect is None and finding.severity == "high" and not finding.is_strength:
            effect = "conditions"
        if effect is None or effect == "go":
            continue
        candidate = _EFFECT_TO_VERDICT[effect]
        verdict = _worst(verdict, candidate, VERDICT_ORDER)  # type: ignore[assignment]
        reasons.append(_reason(finding))
    conditions: list[str] = []
    if verdict != "go":
        for finding in findings:
            is_reason = any(r.finding == finding.ref for r in reasons)
            if is_reason and finding.action is not None and finding.action.do not in conditions:
                conditions.append(finding.action.do)
    return Decision(verdict=verdict, summary=VERDICT_SUMMARY[verdict], reasons=reasons, conditions=conditions)


def _targets(site: SiteProfile) -> dict[str, str]:
    return {a.id: a.touches for a in site.adaptations}


def _about(finding: Finding, targets: dict[str, str]) -> str:
    """The principle or component a finding is about: its subject, or the thing an adaptation touches."""
    if finding.subject == "adaptation":
        return targets.get(finding.subject_id, finding.subject_id)
    return finding.subject_id


def _principles(programme: Programme, site: SiteProfile, findings: Sequence[Finding]) -> list[PrincipleVerdict]:
    verdicts = []
    for principle in sorted(programme.principles, key=lambda p: p.id):
        status: str = "keep" if principle.kind == "core" else "tailor"
        guidance = (
            "Keep exactly as the programme defines it: it is core."
            if principle.kind == "core"
            else "May be tailored to local need, within the framework the core principles set."
        )
        relevant = [
            f for f in findings
            if f.effect.principle is not None and principle.id in principles_affected(f, programme, site)
        ]
        for finding in relevant:
            assert finding.effect.principle is not None
            status = _worst(status, finding.effect.principle, PRINCIPLE_ORDER)
        # Say first what decides the status: the threatening adaptations when it is at risk.
        deciding = [f for f in relevant if f.effect.principle == status] + [
            f for f in relevant if f.effect.principle != status
        ]
        notes = [
            (f"At risk from adaptation \"{f.subject_id}\": " if f.effect.principle == "at_risk"
             and f.subject == "adaptation" and f'"{f.subject_id}"' not in f.advice else "") + f.advice
            for f in deciding
        ]
        if notes:
            guidance = " ".join(dict.fromkeys(notes))
        verdicts.append(
            PrincipleVerdict(
                id=principle.id,
                statement=principle.statement,
                kind=principle.kind,
                status=status,  # type: ignore[arg-type]
                guidance=guidance,
                reasons=[_reason(f) for f in relevant],
            )
        )
    return verdicts


def _components(programme: Programme, site: SiteProfile, findings: Sequence[Finding], targets: dict[str, str]
                ) -> list[ComponentVerdict]:
    verdicts = []
    services = site.existing_services or []
    for component in sorted(programme.components, key=lambda c: c.id):
        status: str = "deliver"
        relevant = [f for f in findings if f.effect.component is not None and _about(f, targets) == component.id]
        for finding in relevant:
            assert finding.effect.component is not None
            status = _worst(status, finding.effect.component, COMPONENT_ORDER)
        build_on = []
        if status == "build_on":
            build_on = sorted(s.name for s in services if set(s.covers) & set(component.serves))
        guidance = " ".join(dict.fromkeys(f.advice for f in relevant)) or "Deliver as the programme defines it."
        verdicts.append(
            ComponentVerdict(
                id=component.id,
                name=component.name,
                status=status,  # type: ignore[arg-type]
                guidance=guidance,
                build_on=build_on,
                reasons=[_reason(f) for f in relevant],
            )
        )
    return verdicts


def _actions(findings: Sequence[Finding]) -> list[Action]:
    grouped: dict[str, tuple[Finding, list[str]]] = {}
    for finding in findings:
        if finding.action is None:
            continue
        first, refs = grouped.setdefault(finding.action.do, (finding, []))
        refs.append(finding.ref)
        if SEVERITY_RANK[finding.severity] < SEVERITY_RANK[first.severity]:
            grouped[finding.action.do] = (finding, refs)
    ordered = sorted(
        grouped.values(),
        key=lambda item: (
            PHASES.index(item[0].action.phase),  # type: ignore[union-attr]
            SEVERITY_RANK[item[0].severity],
            item[0].rule_id,
        ),
    )
    actions = []
    for order, (finding, refs) in enumerate(ordered, start=1):
        assert finding.action is not None
        actions.append(
            Action(
                order=order,
                phase=finding.action.phase,
                priority=finding.severity,
                owner=finding.action.owner,
                do=finding.action.do,
                answers=refs,
            )
        )
    return actions


def _profile_field(path: str) -> str:
    """The site profile field a user fills in to settle `path` (itself, unless it is derived)."""
    return DERIVED_FROM.get(path, path)


def _description(path: str, descriptions: dict[str, str]) -> str:
    if path in descriptions:
        return descriptions[path]
    head, _, name = path.partition(".")
    if head == "site" and name in SiteProfile.model_fields:
        return SiteProfile.model_fields[name].description or path
    return path


def _questions(undetermined: Iterable[UndeterminedRule], descriptions: dict[str, str]) -> list[Question]:
    needed: dict[str, set[str]] = {}
    for item in undetermined:
        for path in item.missing:
            needed.setdefault(_profile_field(path), set()).add(item.rule_id)
    questions = []
    for path, rule_ids in needed.items():
        description = _description(path, descriptions).rstrip(".")
        questions.append(
            Question(field=path, question=f"Not stated: {description[:1].lower()}{description[1:]}.",
                     needed_by=sorted(rule_ids))
        )
    return sorted(questions, key=lambda q: (-len(q.needed_by), q.field))


def build_plan(
    programme: Programme,
    site: SiteProfile,
    findings: Sequence[Finding],
    undetermined: Sequence[UndeterminedRule],
    field_descriptions: dict[str, str],
    packs: Sequence[RulePackRef],
) -> AdaptationPlan:
    targets = _targets(site)
    open_by_theme: dict[str, int] = {}
    for _rule_id, theme in {(u.rule_id, u.theme) for u in undetermined if u.is_risk}:
        open_by_theme[theme] = open_by_theme.get(theme, 0) + 1
    return AdaptationPlan(
        programme=ProfileRef(id=programme.id, name=programme.name),
        site=ProfileRef(id=site.id, name=site.name),
        decision=_decision(findings),
        principles=_principles(programme, site, findings),
        components=_components(programme, site, findings, targets),
        actions=_actions(findings),
        readiness=scoring.readiness(findings, open_by_theme),
        readiness_method=scoring.METHOD,
        missing_information=_questions(undetermined, field_descriptions),
        findings=list(findings),
        rule_packs=list(packs),
    )
