"""Build the facts: turn a validated programme and site into one flat fact per subject instance.

Unknown values are simply absent, so "not known" can never be mistaken for `false` or `0`. Derived
values are three-valued for the same reason: known only when what they are worked out from is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from pydantic import BaseModel

from ..schema import Component, CorePrinciple, ExistingService, Partner, PlannedAdaptation, Programme, SiteProfile
from ..schema.programme import PrincipleNeed
from .climate import external_forces
from .conditions import (
    board_worked_around,
    condition_facts,
    held,
    partner_judged,
    travel_answers,
    unmet_conditions,
    works_around,
)
from .coverage import (
    fully_covered,
    meets_need,
    need_kept,
    room_for,
    serves_unmet_need,
    terms_agreed,
    unserved,
    without_room,
    without_terms,
)
from .derived import ProgrammeDerived
from .evidence import best_comparison_figure, best_comparison_gain, evidence_to_show
from .findings_summary import FindingsSummary
from .funding_values import funding_values
from .partners import commissioning_body, partner_facts
from .provenance import EVALUATION_PARTS, secured_months
from .threeway import all_of, negate
from .types import FlatFact, Subject, SubjectFact, quoted


def flatten(prefix: str, data: Mapping[str, Any], into: FlatFact) -> None:
    """Flatten nested mappings into dotted paths, dropping unknowns and lists of objects. The data
    is what `model_dump` and the builder make (dicts, lists and plain scalars), so the tests are on
    concrete types: an `isinstance` against the `Mapping` ABC was a tenth of building facts."""
    for name, value in data.items():
        if value is None:
            continue
        kind = type(value)
        if kind is dict or (kind not in _SCALARS and isinstance(value, Mapping)):
            flatten(f"{prefix}.{name}", value, into)
        elif kind is list or kind is tuple or isinstance(value, list | tuple):
            if all(isinstance(item, str) for item in value):
                into[f"{prefix}.{name}"] = tuple(sorted(value))
        elif kind in _SCALARS or isinstance(value, bool | int | float | str):
            into[f"{prefix}.{name}"] = value


_SCALARS = frozenset({bool, int, float, str})


class _ProgrammeFlat:
    """A programme's own part of every fact: the same for every site it is advised on, so it is
    flattened once per programme rather than once per profile (a batch advises one programme on
    thousands of sites). Programmes are frozen models, so what is cached cannot go stale."""

    def __init__(self, programme: Programme, derived: BaseModel) -> None:
        self.programme = programme
        self.base: FlatFact = {}
        flatten("programme", _dump(programme), self.base)
        flatten("programme", _dump(derived), self.base)
        self._items: dict[tuple[str, str], FlatFact] = {}

    def item(self, subject: str, key: str, own: BaseModel) -> FlatFact:
        flat = self._items.get((subject, key))
        if flat is None:
            flat = self._items[(subject, key)] = {}
            flatten(subject, _dump(own), flat)
        return flat


_FLAT_PROGRAMMES: dict[int, _ProgrammeFlat] = {}
_MAX_FLAT_PROGRAMMES = 16


def _flat_programme(programme: Programme, derived: Callable[[], BaseModel]) -> _ProgrammeFlat:
    """The cached flat programme, keyed by the object itself (its id, checked by identity, so a new
    programme that reuses a freed id is never taken for the old one)."""
    flat = _FLAT_PROGRAMMES.get(id(programme))
    if flat is None or flat.programme is not programme:
        if len(_FLAT_PROGRAMMES) >= _MAX_FLAT_PROGRAMMES:
            _FLAT_PROGRAMMES.pop(next(iter(_FLAT_PROGRAMMES)))
        flat = _FLAT_PROGRAMMES[id(programme)] = _ProgrammeFlat(programme, derived())
    return flat


def _dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="python", exclude_none=True)


class FactBuilder:
    """Builds every subject's facts for one programme and one site.

    Overlap between components and services, and adaptations' targets, are worked out once here so
    that rules can ask simple questions ("is this component already covered?") without joins.
    Derived values are plain dicts (the models in derived.py document them; validating each one
    again was a fifth of the time of building facts): tests/test_facts_match_catalogue.py checks
    that every value built is a catalogued field of its declared type.
    """

    def __init__(self, programme: Programme, site: SiteProfile) -> None:
        self.programme = programme
        site, self._contradicted = held(site)  # a claim the site's own answers contradict is not made
        self.site = site
        self._principles = {p.id: p for p in programme.principles}
        self._components = {c.id: c for c in programme.components}
        self._core_ids = {p.id for p in programme.principles if p.kind == "core"}
        self._core_needs = [need for p in programme.principles if p.kind == "core" for need in p.needs]
        self._core_conditions = frozenset(n.condition for n in self._core_needs if n.condition)
        # Per core principle, the conditions the board's changes to it (or a component carrying it) work round.
        self._board_answered = {p: board_worked_around(site, {p} | {c.id for c in programme.components
                                                                 if p in c.principles}) for p in self._core_ids}
        self._core_components = {c.id for c in programme.components if self._core_ids & set(c.principles)}
        self._covering: dict[str, list[ExistingService] | None] = {}
        self._rooms: dict[str, bool | None] = {}
        self._secured = secured_months(site, programme.costs.duration_months)
        self._programme_flat = _flat_programme(programme, self._programme_derived)
        self.base: FlatFact = dict(self._programme_flat.base)
        flatten("site", _dump(site), self.base)
        flatten("site", self._site_derived(), self.base)
        if site.funding.months_secured is None and self._secured is not None:
            self.base["site.funding.months_secured"] = self._secured  # the sources answer what the site left out
        if site.funding.extends_existing_work is None and self.base.get("site.runs_programme_already"):
            # Scaling up its own run is work already done, extended: asking would read as if the
            # site had not said so (912).
            self.base["site.funding.extends_existing_work"] = True

    # -- derived values ---------------------------------------------------------------------------

    def _programme_derived(self) -> ProgrammeDerived:
        kinds = [p.kind for p in self.programme.principles]
        return ProgrammeDerived(
            core_principle_count=kinds.count("core"),
            adaptable_principle_count=kinds.count("adaptable"),
            component_count=len(self.programme.components),
            outcome_figure_count=len(self.programme.evidence.outcomes),
            comparison_figure_count=sum(1 for o in self.programme.evidence.outcomes if o.comparison is not None),
            best_comparison_gain=best_comparison_gain(self.programme.evidence.outcomes),
            best_comparison_figure=best_comparison_figure(self.programme.evidence.outcomes),
            core_component_count=len(self._core_components),
            core_need_fields=sorted({n.field for n in self._core_needs if n.field is not None}),
        )

    def _covering_services(self, component: Component) -> list[ExistingService] | None:
        """The services meeting any need of a component, worked out once per component: the site's
        counts, the component's own fact and the adaptations touching it all ask. The site's own run
        of the programme (a pilot being scaled up) is not another service meeting the need."""
        if component.id not in self._covering:
            services = self.site.existing_services
            self._covering[component.id] = (
                None if services is None else [s for s in services if s.meets_any(component.serves)])
        return self._covering[component.id]

    def _room(self, component: Component) -> bool | None:
        """Whether the services meeting a component have room for it, once per component: the
        site's two counts and the component's own fact all ask."""
        if component.id not in self._rooms:
            self._rooms[component.id] = room_for(component, self._covering_services(component) or [])
        return self._rooms[component.id]

    def _site_derived(self) -> dict[str, Any]:
        site, programme = self.site, self.programme
        partners = site.partners
        answered = works_around(site)
        values: dict[str, Any] = {
            "adaptation_count": len(site.adaptations),
            "adaptations_to_core": sum(1 for a in site.adaptations if self._touches_core(a)),
            "works_around": answered,
            "travel_answered_by": travel_answers(site),
            "contradicted_conditions": self._contradicted,
            "commissioner": commissioning_body(site.lead_organisation_type),
        }
        if partners is not None:
            values.update(partner_facts(partners, programme, site.lead_organisation_type))
        if site.existing_services is not None:
            covering = [self._covering_services(c) or [] for c in programme.components]
            covered = sum(1 for services in covering if services)
            # The share counts each component by how much of what it serves is met already: one met
            # only in part (key work for families, where a treatment service meets the substance-misuse
            # side) still has a part to add, so a programme of such components is no duplicate. The
            # site's own run of the programme (a pilot scaled up) meets none of it. Whether the
            # services have room is left to the rules that read it (a full one is still built on).
            met = {tag for s in site.existing_services if not s.runs_this_programme for tag in s.covers}
            share = sum(len(set(c.serves) & met) / len(set(c.serves)) for c in programme.components)
            values.update(
                service_count=len(site.existing_services),
                runs_programme_already=any(s.runs_this_programme for s in site.existing_services),
                components_already_covered=covered,
                components_not_served=unserved(programme.components, covering),
                share_of_components_covered=round(share / len(programme.components), 4),
                terms_signed_with_services_built_on=bool(covered) and all(
                    terms_agreed(c, s) for c, s in zip(programme.components, covering, strict=True) if s),
                services_built_on=sorted({s.name for services in covering for s in services}),
            )
            # A covered component is on full services when none covering it has room (unknown when none says so).
            room = {c.id: self._room(c) for c, services in zip(programme.components, covering, strict=True) if services}
            if None not in room.values():
                values["components_on_full_services"] = sum(1 for has_room in room.values() if has_room is False)
            core_room = [has_room for key, has_room in room.items() if key in self._core_components]
            if None not in core_room:
                values["core_components_on_full_services"] = sum(1 for has_room in core_room if has_room is False)
        values["evidence_to_show"] = evidence_to_show(programme, values.get("runs_programme_already"))
        if site.local_needs is not None:
            # A component that serves the programme itself (outcome follow-up, say) is judged by
            # no area's needs: it neither meets nor misses one.
            need_based = [c for c in programme.components if c.serves_local_need]
            local = set(site.local_needs)
            served = set().union(*(set(c.serves) for c in need_based))
            values["needs_served"] = len(local & served)
            values["components_without_local_need"] = sum(1 for c in need_based if not set(c.serves) & local)
            core_needs = [frozenset(c.serves) & local for c in need_based if c.id in self._core_components]
            values["core_components_meeting_need"] = sum(1 for needs in core_needs if needs)
            if site.existing_services is not None:
                values["serves_unmet_need"] = serves_unmet_need(local & served, site.existing_services,
                                                                 [needs for needs in core_needs if needs])
                values["services_meeting_needs"] = sorted(s.name for s in site.existing_services
                                                          if s.has_capacity and s.meets_any(local & served))
        if site.conditions is not None:
            needed = {n.condition for p in programme.principles if p.kind == "core" for n in p.needs
                      if n.condition and not self._board_answers(p.id, n)}
            maybe = ("public_transport",) if answered is None else ()
            not_sharing = any(p.critical and p.shares_information is False for p in site.partners or ())
            judged = (*(("information_sharing_agreement",) if not_sharing else ()), *partner_judged(site))
            values.update(condition_facts(programme.proven_context.relies_on, site.conditions, answered, needed,
                                          maybe, judged))
        values.update(funding_values(site, programme, self._secured, values))
        interval = site.operational_plan.review_every_months
        if interval:
            values["reviews_over_run"] = programme.costs.duration_months / interval
        if site.dissemination.channels is not None:
            values["dissemination_channel_count"] = len(set(site.dissemination.channels))
        values["external_forces"] = external_forces(site)
        described = [label for name, label in EVALUATION_PARTS if getattr(site.evaluation, name) is True]
        values["evaluation_parts_described"] = described
        values["evaluation_parts_described_at_least"] = len(described)
        return values

    def _touches_core(self, adaptation: PlannedAdaptation) -> bool:
        """Whether an adaptation changes a core principle, or a component that carries one."""
        return adaptation.touches in self._core_ids or adaptation.touches in self._core_components

    def _board_answers(self, principle_id: str, need: PrincipleNeed) -> bool:
        """Whether the board agreed a way round a condition the principle needs (never a prerequisite)."""
        return (need.condition is not None and not need.prerequisite
                and need.condition in self._board_answered.get(principle_id, frozenset()))

    def _need_met(self, principle_id: str, need: PrincipleNeed) -> bool | None:
        """Whether the site meets one need of a principle: true, false, or unknown if not stated."""
        if need.condition is not None:
            if self._board_answers(principle_id, need):
                return True
            return None if self.site.conditions is None else need.condition in self.site.conditions
        value = self.base.get(f"site.{need.field}")
        return None if value is None else value is True

    def _adaptations_touching(self, target_id: str) -> list[PlannedAdaptation]:
        return [a for a in self.site.adaptations if a.touches == target_id]

    # -- subject facts ----------------------------------------------------------------------------

    def _item(self, subject: Subject, key: str, label: str, own: BaseModel, derived: Mapping[str, Any]
              ) -> SubjectFact:
        values = dict(self.base)
        if subject in ("principle", "component"):
            values.update(self._programme_flat.item(subject, key, own))
        else:
            flatten(subject, _dump(own), values)
        flatten(subject, derived, values)
        return SubjectFact(subject, key, label, values)

    def principle(self, principle: CorePrinciple) -> SubjectFact:
        touching = self._adaptations_touching(principle.id)
        met_each = [(need, self._need_met(principle.id, need)) for need in principle.needs]
        met = {need.label: ok for need, ok in met_each}
        prerequisites = [(need, ok) for need, ok in met_each if need.prerequisite]
        unmet = sorted(label for label, ok in met.items() if ok is False)
        derived = dict(
            is_core=principle.kind == "core",
            need_count=len(principle.needs),
            need_labels=sorted(need.label for need in principle.needs),
            need_fields=sorted({need.field for need in principle.needs if need.field is not None}),
            unmet_needs=unmet if all(ok is not None for ok in met.values()) else None,
            known_unmet_needs=unmet,
            has_unmet_need=negate(all_of(met.values())) if met else False,  # needing nothing, it lacks nothing
            unmet_need_to_judge=negate(all_of(ok for need, ok in met_each if not (
                self.site.evaluation.planned is False and (need.field or "").startswith("evaluation.")))),
            unmet_need_conditions=unmet_conditions(met_each),
            lacks_prerequisite=negate(all_of(ok for _, ok in prerequisites)),
            prerequisite_count=len(prerequisites),
            prerequisite_labels=sorted(need.label for need, _ in prerequisites),
            adaptation_count=len(touching),
            adaptation_natures=sorted({a.nature for a in touching}),
            component_count=sum(1 for c in self.programme.components if principle.id in c.principles),
        )
        return self._item("principle", principle.id, principle.statement, principle, derived)

    def _core_statements(self, component: Component) -> tuple[str, ...]:
        """The core principles a component carries, as the programme states them, so that a finding
        can say which principle a change puts at risk, not "a core principle"."""
        return tuple(quoted(self._principles[p].statement) for p in component.principles if p in self._core_ids)

    def component(self, component: Component) -> SubjectFact:
        covering = self._covering_services(component)
        touching = self._adaptations_touching(component.id)
        derived: dict[str, Any] = {
            "carries_core_principle": component.id in self._core_components,
            "core_principles": self._core_statements(component),
            "adaptation_count": len(touching),
            "adaptation_natures": sorted({a.nature for a in touching}),
        }
        if covering is not None:
            derived.update(
                covered_by=sorted(s.name for s in covering),
                covered_by_without_terms=without_terms(component, covering),
                covered_by_without_room=without_room(covering),
                already_covered=bool(covering),
                fully_covered=fully_covered(component, covering, component.id in self._core_components),
                covered_by_service_with_capacity=self._room(component),
                terms_agreed=terms_agreed(component, covering),
            )
        if self.site.local_needs is not None:
            derived["meets_local_need"] = meets_need(component, self.site.local_needs)
        return self._item("component", component.id, component.name, component, derived)

    def partner(self, partner: Partner) -> SubjectFact:
        derived = dict(
            type_in_proven_context=partner.type in self.programme.proven_context.partner_types
        )
        return self._item("partner", partner.id, partner.name, partner, derived)

    def service(self, service: ExistingService) -> SubjectFact:
        overlapping = sorted(c.name for c in self.programme.components if service.meets_any(c.serves))
        derived = dict(overlapping_components=overlapping, overlaps_programme=bool(overlapping))
        return self._item("service", service.id, service.name, service, derived)

    def adaptation(self, adaptation: PlannedAdaptation) -> SubjectFact:
        principle = self._principles.get(adaptation.touches)
        derived: dict[str, Any]
        if principle is not None:
            derived = dict(
                target_kind="principle", target_name=principle.statement, target_is_core=principle.kind == "core",
                target_core_carried_elsewhere=False, target_meets_local_need=False, target_already_covered=False,
            )
        else:
            component = self._components[adaptation.touches]
            carried = self._core_ids & set(component.principles)
            removed = {a.touches for a in self.site.adaptations if a.nature == "remove"}
            kept = [c for c in self.programme.components if c.id != component.id and c.id not in removed]
            elsewhere = {p for c in kept for p in c.principles}
            derived = dict(
                target_kind="component", target_name=component.name, target_is_core=bool(carried),
                target_core_carried_elsewhere=bool(carried) and carried <= elsewhere,
                target_core_principles=self._core_statements(component),
                target_serves_programme=not component.serves_local_need,
            )
            if (covering := self._covering_services(component)) is not None:
                derived["target_already_covered"] = bool(covering)
            if (needs := self.site.local_needs) is not None:
                derived["target_meets_local_need"] = meets_need(component, needs)
                derived["target_need_kept"] = need_kept(component, kept, self.site.existing_services, needs)
                derived["target_need_met_by_services"] = need_kept(component, [], self.site.existing_services, needs)
        derived["works_around_core_need"] = bool(self._core_conditions & set(adaptation.works_around or ()))
        derived["inside_own_delivery"] = adaptation.partners_affected is False
        label = adaptation.description or f"{adaptation.nature} {adaptation.touches}"
        return self._item("adaptation", adaptation.id, label, adaptation, derived)

    def subject_facts(self) -> Iterator[SubjectFact]:
        """Every subject instance, in a stable order (sorted by id) so results never depend on list order."""
        yield SubjectFact("site", "site", self.site.name, dict(self.base))
        for principle in sorted(self.programme.principles, key=lambda p: p.id):
            yield self.principle(principle)
        for component in sorted(self.programme.components, key=lambda c: c.id):
            yield self.component(component)
        for partner in sorted(self.site.partners or [], key=lambda p: p.id):
            yield self.partner(partner)
        for service in sorted(self.site.existing_services or [], key=lambda s: s.id):
            yield self.service(service)
        for adaptation in sorted(self.site.adaptations, key=lambda a: a.id):
            yield self.adaptation(adaptation)


def findings_fact(summary: FindingsSummary, base: FlatFact) -> SubjectFact:
    values = dict(base)
    flatten("findings", _dump(summary), values)
    return SubjectFact("findings", "findings", "all findings", values)
