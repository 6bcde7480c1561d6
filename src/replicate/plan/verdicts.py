"""What the plan says of each of the programme's principles and components: keep, tailor or put at
risk; deliver, tailor, build on a local service or drop. Each verdict is the strongest effect any
finding about it declares, and its guidance is those findings' own advice about it, so a reader can
trace every line to the rule behind it."""

from __future__ import annotations

from collections.abc import Sequence

from ..facts import need_stated
from ..facts.coverage import carriers
from ..findings import Finding
from ..schema import Component, CorePrinciple, Programme, SiteProfile
from ..tally import principles_affected
from .model import ComponentStatus, ComponentVerdict, PrincipleStatus, PrincipleVerdict, Reason

PRINCIPLE_ORDER: tuple[PrincipleStatus, ...] = ("keep", "tailor", "at_risk")
COMPONENT_ORDER: tuple[ComponentStatus, ...] = ("deliver", "tailor", "drop", "build_on")
"""Later wins. Building on an existing service outranks dropping: where a local service already
meets the need, the plan names it rather than leaving the need unmet."""


def _puts_at_risk(finding: Finding) -> bool:
    """A risk that says the planned change to a component must not stand as planned: it puts a core
    principle at risk, or it leaves out a part the plan says to keep (a condition or worse). Such a
    component was labelled "tailor to local need" or "drop" beside advice to restore it (2141, and
    the shipped dropping-core example)."""
    return not finding.is_strength and (finding.effect.principle == "at_risk" or (
        finding.effect.component == "drop" and finding.effect.decision is not None))


def _reason(finding: Finding) -> Reason:
    return Reason(finding=finding.ref, text=finding.title)


def _worst(current: str, candidate: str, order: Sequence[str]) -> str:
    return candidate if order.index(candidate) > order.index(current) else current


def targets_of(site: SiteProfile) -> dict[str, str]:
    """Each planned adaptation's id, and the principle or component it touches."""
    return {a.id: a.touches for a in site.adaptations}


def _about(finding: Finding, targets: dict[str, str]) -> set[str]:
    """The principles or components a finding is about: its subjects, or what its adaptations touch."""
    if finding.subject == "adaptation":
        return {targets.get(subject_id, subject_id) for subject_id in finding.subject_ids}
    return set(finding.subject_ids)


def _advice_for(finding: Finding, subject_id: str, targets: dict[str, str],
                programme: Programme | None = None) -> str:
    """The advice a finding gives about one principle or component (all of it, for a site finding).
    A finding grouped over several adaptations speaks of each in turn: only the instances whose
    adaptation touches this subject (or, for a principle, a component carrying it) belong here, or
    one principle would be shown another adaptation's "how"."""
    carriers = {c.id for c in programme.components if subject_id in c.principles} if programme else set()
    own = [i.advice for i in finding.instances
           if i.subject_id == subject_id or targets.get(i.subject_id) == subject_id
           or (finding.subject == "adaptation" and targets.get(i.subject_id) in carriers)]
    return " ".join(dict.fromkeys(own)) if own else finding.advice


_NOT_SET_UP = "Core to the programme, which is not to be set up here."
_REVIEW_EXISTING = " Use it to review how the existing services that meet the need work together."
"""A core principle's line where the advice is not to replicate: "keep exactly" would read as a launch
step. The review of existing services is named only where the plan builds on some (808: no service
in the area met the need the programme was for)."""


def principles(programme: Programme, site: SiteProfile, findings: Sequence[Finding],
                replicating: bool = True, builds_on: bool = False) -> list[PrincipleVerdict]:
    verdicts = []
    targets = targets_of(site)
    # With no principle marked core there is no framework yet to tailor within (988).
    framework = any(p.kind == "core" for p in programme.principles)
    tailoring = ("May be tailored to local need, within the framework the core principles set." if framework
                 else "May be tailored to local need once the core principles are identified: until then there "
                 "is no framework to tailor within.")
    for principle in sorted(programme.principles, key=lambda p: p.id):
        status: str = "keep" if principle.kind == "core" else "tailor"
        guidance = (
            ("Keep exactly as the programme defines it: it is core." if replicating
             else _NOT_SET_UP + (_REVIEW_EXISTING if builds_on else ""))
            if principle.kind == "core"
            else tailoring if replicating
            else "Adaptable, in a programme not to be set up here."
        )
        relevant = [
            f for f in findings
            if f.effect.principle is not None and principle.id in principles_affected(f, programme, site)
        ]
        if not replicating:  # a finding's status or tailoring note would read as a launch step
            verdicts.append(_principle_verdict(principle, status, guidance, relevant))
            continue
        for finding in relevant:
            assert finding.effect.principle is not None
            status = _worst(status, finding.effect.principle, PRINCIPLE_ORDER)
        # Say first what decides the status: the threatening adaptations when it is at risk.
        deciding = [f for f in relevant if f.effect.principle == status] + [
            f for f in relevant if f.effect.principle != status
        ]
        notes = [
            (f"At risk from adaptation \"{f.subject_id}\": " if f.effect.principle == "at_risk"
             and f.subject == "adaptation" and f'"{f.subject_id}"' not in f.advice else "")
            + _advice_for(f, principle.id, targets, programme)
            for f in deciding
        ]
        if notes:
            guidance = " ".join(dict.fromkeys(notes))
        elif not framework:
            # A planned change no finding could judge is still named, not left out of the plan (988).
            guidance += "".join(f' Adaptation "{a.id}" would {_CHANGES[a.nature]}: {_UNJUDGED}'
                                for a in site.adaptations if a.touches == principle.id)
        # So that "keep exactly" is not read as "all is in place" while an answer is still awaited.
        unknown = ([need.label for need in principle.needs if not need_stated(site, need)]
                   if principle.kind == "core" and status == "keep" else [])
        if unknown:
            guidance += (f" Not yet known whether the site has what it needs: {'; '.join(unknown)} (see the "
                         "questions).")
        verdicts.append(_principle_verdict(principle, status, guidance, relevant))
    return verdicts


def _principle_verdict(principle: CorePrinciple, status: str, guidance: str, relevant: Sequence[Finding]
                       ) -> PrincipleVerdict:
    return PrincipleVerdict(id=principle.id, statement=principle.statement, kind=principle.kind,
                            status=status,  # type: ignore[arg-type]
                            guidance=guidance, reasons=[_reason(f) for f in relevant])


_CHANGES = {"add": "add to it", "remove": "remove it", "shorten": "shorten it", "substitute": "replace it",
            "modify": "modify it"}


_UNJUDGED = ("not judged here, since nothing says which principles it must keep; judge it once the core "
             "principles are identified.")

_NOT_DELIVERED = "Not to be set up here: the advice is not to replicate the programme."
"""A component's line where the advice is not to replicate and no local service carries it on."""


def components(programme: Programme, site: SiteProfile, findings: Sequence[Finding], targets: dict[str, str],
                replicating: bool = True) -> list[ComponentVerdict]:
    """Not replicating, a component is either built on (where a local service meets its need) or not
    delivered at all: "deliver" or a tailoring step would read as a plan to set it up."""
    verdicts = []
    services = site.existing_services or []
    for component in sorted(programme.components, key=lambda c: c.id):
        status: str = "deliver"
        relevant = [f for f in findings if f.effect.component is not None and component.id in _about(f, targets)]
        for finding in relevant:
            assert finding.effect.component is not None
            status = _worst(status, finding.effect.component, COMPONENT_ORDER)
        if status in ("tailor", "drop") and any(_puts_at_risk(f) for f in relevant):
            status = "at_risk"
        build_on = []
        if status == "build_on":
            covering = [s for s in services if s.meets_any(component.serves)]
            build_on = sorted(s.name for s in carriers(component, covering) or covering)
        if not replicating:  # built on, with only the advice to build on it, or not set up at all
            if status != "build_on":
                status, guidance = "drop", _NOT_DELIVERED
            else:
                guidance = " ".join(dict.fromkeys(_advice_for(f, component.id, targets) for f in relevant
                                                  if f.effect.component == "build_on"))
            verdicts.append(_component_verdict(component, status, guidance, build_on, relevant))
            continue
        # Building on a service outranks dropping the component, so advice to drop it is not
        # shown beside the advice to build on it (the finding stays in the list of findings).
        shown = [f for f in relevant if not (status == "build_on" and f.effect.component == "drop")]
        guidance = " ".join(dict.fromkeys(_advice_for(f, component.id, targets) for f in shown))
        changes = [a for a in site.adaptations if a.touches == component.id]
        if not guidance and changes:
            # A change no finding judged (there is no framework of core principles to judge it by):
            # never "deliver as defined" beside a planned change to it.
            status = "tailor"
            guidance = " ".join(f'Adaptation "{a.id}" would {_CHANGES[a.nature]}: {_UNJUDGED}' for a in changes)
        guidance = guidance or "Deliver as the programme defines it."
        verdicts.append(_component_verdict(component, status, guidance, build_on, relevant))
    return verdicts


def _component_verdict(component: Component, status: str, guidance: str, build_on: list[str],
                       relevant: Sequence[Finding]) -> ComponentVerdict:
    return ComponentVerdict(id=component.id, name=component.name,
                            status=status,  # type: ignore[arg-type]
                            guidance=guidance, build_on=build_on, reasons=[_reason(f) for f in relevant])
