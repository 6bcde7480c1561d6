"""Facts: the second stage of the pipeline, turning a validated programme and site into what rules see.

A rule applies to one *subject*: the whole site, or each principle, component, partner, existing
service or planned adaptation in turn. For each subject instance this module builds one flat fact,
a mapping from dotted field paths (`site.funding.months_secured`, `partner.years_relationship`) to
values. Unknown values are simply absent, so "not known" can never be mistaken for `false` or `0`.

Derived fields (counts, ratios, overlaps) are declared as small models below so that they are
typed, documented and listed for rule authors exactly like the input fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .schema import (
    Component,
    CorePrinciple,
    ExistingService,
    Partner,
    PlannedAdaptation,
    Programme,
    SiteProfile,
)
from .schema.programme import PrincipleNeed

Subject = Literal["site", "principle", "component", "partner", "service", "adaptation", "findings"]
ITEM_SUBJECTS: tuple[Subject, ...] = ("principle", "component", "partner", "service", "adaptation")
SUBJECTS: tuple[Subject, ...] = ("site", *ITEM_SUBJECTS, "findings")

Scalar = str | int | float | bool
Value = Scalar | tuple[str, ...]
FlatFact = dict[str, Value]
"""Dotted path -> value; lists are tuples of strings. Missing paths are unknown."""

YEARS_FOR_ESTABLISHED_RELATIONSHIP = 2


class _Derived(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProgrammeDerived(_Derived):
    core_principle_count: int = Field(description="How many principles the programme marks as core.")
    adaptable_principle_count: int = Field(description="How many principles may be tailored.")
    component_count: int = Field(description="How many components the programme has.")
    outcome_figure_count: int = Field(description="How many outcome figures the original site reported.")
    comparison_figure_count: int = Field(
        description="Outcome figures reported with a comparison group's figure (e.g. 90% against 50%)."
    )


class SiteDerived(_Derived):
    partner_count: int | None = Field(None, description="How many partners the site plans to involve.")
    critical_partner_count: int | None = Field(None, description="How many of them delivery depends on.")
    partners_meeting_regularly: int | None = Field(None, description="Partners with regular formal meetings.")
    partners_without_regular_meetings: int | None = Field(
        None, description="Partners known to have no regular formal meetings."
    )
    partners_with_history: int | None = Field(
        None, description="Partners with at least two years of working relationship."
    )
    partners_consulted: int | None = Field(None, description="Partners consulted on the plan.")
    partners_with_informal_contact: int | None = Field(None, description="Partners whose staff have informal contact.")
    partners_sharing_information: int | None = Field(None, description="Partners that share knowledge and data.")
    partners_seeing_mutual_benefit: int | None = Field(
        None, description="Partners that see how the programme benefits their own service."
    )
    critical_partners_without_regular_meetings: int | None = Field(
        None, description="Partners delivery depends on that are known to have no regular formal meetings."
    )
    all_critical_partners_meet_regularly: bool | None = Field(
        None,
        description="Whether every partner delivery depends on has regular formal meetings "
        "(unknown if there is no critical partner or any of them is not stated).",
    )
    partner_contributions: list[str] | None = Field(
        None,
        description="What the partners bring between them (skills, funding, profile...); "
        "known only when every partner states it.",
    )
    agencies_to_proven: float | None = Field(
        None, description="Partners planned divided by the number of agencies where the programme was proven."
    )
    service_count: int | None = Field(None, description="How many existing local services are listed.")
    components_already_covered: int | None = Field(
        None, description="Programme components whose need an existing local service already serves."
    )
    share_of_components_covered: float | None = Field(
        None, description="Share (0-1) of the programme's components already served locally."
    )
    needs_served: int | None = Field(None, description="Local needs that some programme component serves.")
    missing_conditions: list[str] | None = Field(
        None, description="Conditions the programme relied on that the site does not list."
    )
    missing_partner_types: list[str] | None = Field(
        None, description="Partner types the programme was proven with that the site has none of."
    )
    missing_condition_count: int | None = Field(
        None, description="How many conditions the programme relied on are missing at the site."
    )
    missing_partner_type_count: int | None = Field(
        None, description="How many partner types of the proven context the site has none of."
    )
    components_without_local_need: int | None = Field(
        None, description="Programme components that serve no need the site has shown."
    )
    funding_coverage: float | None = Field(
        None, description="Months of funding secured divided by the programme's duration."
    )
    cost_to_budget: float | None = Field(
        None, description="The programme's yearly cost divided by the site's yearly budget."
    )
    uncertain_funding_sources: int | None = Field(None, description="Funding sources of uncertain stability.")
    secure_funding_sources: int | None = Field(None, description="Funding sources that are secure.")
    funding_kinds: list[str] | None = Field(None, description="The kinds of the funding sources listed.")
    dissemination_channel_count: int | None = Field(None, description="How many dissemination channels.")
    adaptation_count: int = Field(0, description="How many adaptations the site plans.")
    adaptations_to_core: int = Field(
        0, description="Planned adaptations that touch a core principle or a component carrying one."
    )


class PrincipleDerived(_Derived):
    is_core: bool = Field(description="Whether the principle is core (non-negotiable).")
    need_count: int = Field(0, description="How many things the principle needs from the site.")
    need_labels: list[str] = Field(default_factory=list, description="What the principle needs from the site.")
    unmet_needs: list[str] | None = Field(
        None, description="What the principle needs that the site is known to lack (unknown if none is known "
        "lacking and any is not stated)."
    )
    has_unmet_need: bool | None = Field(
        None, description="Whether the site is known to lack something the principle needs."
    )
    adaptation_count: int = Field(description="Planned adaptations that touch this principle.")
    adaptation_natures: list[str] = Field(description="The natures of those adaptations.")
    component_count: int = Field(description="Components that carry this principle.")


class ComponentDerived(_Derived):
    covered_by: list[str] | None = Field(
        None, description="Names of existing local services that already serve this component's need."
    )
    already_covered: bool | None = Field(None, description="Whether an existing local service serves its need.")
    covered_by_service_with_capacity: bool | None = Field(
        None, description="Whether one of those services could take on more work."
    )
    meets_local_need: bool | None = Field(None, description="Whether it serves a need the site has shown.")
    carries_core_principle: bool = Field(description="Whether it carries a core principle of the programme.")
    adaptation_count: int = Field(description="Planned adaptations that touch this component.")
    adaptation_natures: list[str] = Field(description="The natures of those adaptations.")


class PartnerDerived(_Derived):
    type_in_proven_context: bool = Field(
        description="Whether the programme was proven with a partner of this type."
    )


class ServiceDerived(_Derived):
    overlapping_components: list[str] = Field(
        description="Names of programme components whose need this service already serves."
    )
    overlaps_programme: bool = Field(description="Whether it serves a need a programme component serves.")


class AdaptationDerived(_Derived):
    target_kind: Literal["principle", "component"] = Field(description="What the adaptation touches.")
    target_name: str = Field(description="The name or statement of what it touches.")
    target_is_core: bool = Field(
        description="Whether it touches a core principle, or a component carrying a core principle."
    )


class FindingsSummary(_Derived):
    """What rules over findings see: counts of the findings the other rules produced."""

    rules: list[str] = Field(description="Ids of the rules that fired.")
    count: int = Field(description="How many findings there are.")
    high: int = Field(description="Findings of high severity.")
    medium: int = Field(description="Findings of medium severity.")
    low: int = Field(description="Findings of low severity.")
    strengths: int = Field(description="Findings that are strengths to build on.")
    principles_at_risk: int = Field(description="Distinct principles a finding puts at risk.")
    core_principles_at_risk: int = Field(description="Distinct core principles a finding puts at risk.")
    components_to_build_on: int = Field(description="Components to build on an existing service for.")
    dilution_risk: int = Field(description="Findings in the dilution-risk category.")
    missing_buy_in: int = Field(description="Findings in the missing-buy-in category.")
    funding_gap: int = Field(description="Findings in the funding-gap category.")
    context_mismatch: int = Field(description="Findings in the context-mismatch category.")
    partnership: int = Field(description="Findings in the partnership category.")
    operational: int = Field(description="Findings in the operational category.")
    impact: int = Field(description="Findings in the impact category.")
    duplication: int = Field(description="Findings in the duplication category.")


@dataclass(frozen=True)
class SubjectFact:
    """One subject instance and the flat fact rules about it see."""

    subject: Subject
    key: str
    """The instance's id (`site` for the site itself), stable across runs so output is deterministic."""
    label: str
    """A human name for the instance, used in findings."""
    values: FlatFact


def flatten(prefix: str, data: Mapping[str, Any], into: FlatFact) -> None:
    """Flatten nested mappings into dotted paths, dropping unknowns and lists of objects."""
    for name, value in data.items():
        path = f"{prefix}.{name}"
        if value is None:
            continue
        if isinstance(value, Mapping):
            flatten(path, value, into)
        elif isinstance(value, list | tuple):
            if all(isinstance(item, str) for item in value):
                into[path] = tuple(sorted(value))
        elif isinstance(value, bool | int | float | str):
            into[path] = value


def _dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="python", exclude_none=True)


def _tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(values)))


# Three-valued helpers: a derived value is known only when what it is worked out from is known, so
# "not stated" can never turn into "no" or "none" (a partner whose information sharing is not
# stated must not be counted as one that does not share).


def _negate(value: bool | None) -> bool | None:
    return None if value is None else not value


def _count(flags: Iterable[bool | None]) -> int | None:
    """How many are true, or unknown if any is unknown."""
    values = list(flags)
    return None if any(v is None for v in values) else sum(1 for v in values if v)


def _any(flags: Iterable[bool | None]) -> bool | None:
    """True if any is true; false only if every one is known false; otherwise unknown."""
    values = list(flags)
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def _all(flags: Iterable[bool | None]) -> bool | None:
    """False if any is false; true only if every one is known true; otherwise unknown."""
    values = list(flags)
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def _known_subset(items: list[Partner], test: Callable[[Partner], bool | None]) -> list[Partner] | None:
    """The items the test is true of, or unknown if the test is unknown for any of them."""
    results = [test(item) for item in items]
    if any(r is None for r in results):
        return None
    return [item for item, result in zip(items, results, strict=True) if result]


class FactBuilder:
    """Builds every subject's facts for one programme and one site.

    Overlap between components and services, and adaptations' targets, are worked out once here so
    that rules can ask simple questions ("is this component already covered?") without joins.
    """

    def __init__(self, programme: Programme, site: SiteProfile) -> None:
        self.programme = programme
        self.site = site
        self._principles = {p.id: p for p in programme.principles}
        self._components = {c.id: c for c in programme.components}
        self._core_ids = {p.id for p in programme.principles if p.kind == "core"}
        self.base: FlatFact = {}
        flatten("programme", _dump(programme), self.base)
        flatten("programme", _dump(self._programme_derived()), self.base)
        flatten("site", _dump(site), self.base)
        flatten("site", _dump(self._site_derived()), self.base)

    # -- derived values ---------------------------------------------------------------------------

    def _programme_derived(self) -> ProgrammeDerived:
        kinds = [p.kind for p in self.programme.principles]
        return ProgrammeDerived(
            core_principle_count=kinds.count("core"),
            adaptable_principle_count=kinds.count("adaptable"),
            component_count=len(self.programme.components),
            outcome_figure_count=len(self.programme.evidence.outcomes),
            comparison_figure_count=sum(1 for o in self.programme.evidence.outcomes if o.comparison is not None),
        )

    def _covering_services(self, component: Component) -> list[ExistingService] | None:
        if self.site.existing_services is None:
            return None
        needs = set(component.serves)
        return [s for s in self.site.existing_services if needs & set(s.covers)]

    def _site_derived(self) -> SiteDerived:
        site, programme = self.site, self.programme
        partners = site.partners
        values: dict[str, Any] = {
            "adaptation_count": len(site.adaptations),
            "adaptations_to_core": sum(1 for a in site.adaptations if self._touches_core(a)),
        }
        if partners is not None:
            critical = _known_subset(partners, lambda p: p.critical)
            contributions = [p.brings for p in partners]
            proven_agencies = programme.proven_context.agencies
            values.update(
                partner_count=len(partners),
                critical_partner_count=_count(p.critical for p in partners),
                partners_meeting_regularly=_count(p.regular_meetings for p in partners),
                partners_without_regular_meetings=_count(_negate(p.regular_meetings) for p in partners),
                partners_with_history=_count(
                    None if p.years_relationship is None
                    else p.years_relationship >= YEARS_FOR_ESTABLISHED_RELATIONSHIP
                    for p in partners
                ),
                partners_consulted=_count(p.consulted for p in partners),
                partners_with_informal_contact=_count(p.informal_contact for p in partners),
                partners_sharing_information=_count(p.shares_information for p in partners),
                partners_seeing_mutual_benefit=_count(p.sees_mutual_benefit for p in partners),
                critical_partners_without_regular_meetings=(
                    None if critical is None else _count(_negate(p.regular_meetings) for p in critical)
                ),
                all_critical_partners_meet_regularly=(
                    None if not critical else _all(p.regular_meetings for p in critical)
                ),
                partner_contributions=(
                    _tuple([item for brings in contributions if brings for item in brings])
                    if partners and all(brings is not None for brings in contributions)
                    else None
                ),
                agencies_to_proven=(
                    round(len(partners) / proven_agencies, 4) if proven_agencies else None
                ),
                missing_partner_types=_tuple(
                    set(programme.proven_context.partner_types) - {p.type for p in partners}
                ),
                missing_partner_type_count=len(
                    set(programme.proven_context.partner_types) - {p.type for p in partners}
                ),
            )
        if site.existing_services is not None:
            covered = sum(1 for c in programme.components if self._covering_services(c))
            values.update(
                service_count=len(site.existing_services),
                components_already_covered=covered,
                share_of_components_covered=round(covered / len(programme.components), 4),
            )
        if site.local_needs is not None:
            served = set().union(*(set(c.serves) for c in programme.components))
            values["needs_served"] = len(set(site.local_needs) & served)
            values["components_without_local_need"] = sum(
                1 for c in programme.components if not set(c.serves) & set(site.local_needs)
            )
        if site.conditions is not None:
            missing = _tuple(set(programme.proven_context.relies_on) - set(site.conditions))
            values["missing_conditions"] = missing
            values["missing_condition_count"] = len(missing)
        funding = site.funding
        if funding.months_secured is not None:
            values["funding_coverage"] = round(funding.months_secured / programme.costs.duration_months, 4)
        if funding.annual_budget and programme.costs.annual_cost is not None:
            values["cost_to_budget"] = round(programme.costs.annual_cost / funding.annual_budget, 4)
        if funding.sources is not None:
            values["uncertain_funding_sources"] = sum(1 for s in funding.sources if s.stability == "uncertain")
            values["secure_funding_sources"] = sum(1 for s in funding.sources if s.stability == "secure")
            values["funding_kinds"] = _tuple([s.kind for s in funding.sources])
        if site.dissemination.channels is not None:
            values["dissemination_channel_count"] = len(set(site.dissemination.channels))
        return SiteDerived(**values)

    def _touches_core(self, adaptation: PlannedAdaptation) -> bool:
        """Whether an adaptation changes a core principle, or a component that carries one."""
        if adaptation.touches in self._core_ids:
            return True
        component = self._components.get(adaptation.touches)
        return component is not None and bool(self._core_ids & set(component.principles))

    def _need_met(self, need: PrincipleNeed) -> bool | None:
        """Whether the site meets one need of a principle: true, false, or unknown if not stated."""
        if need.condition is not None:
            return None if self.site.conditions is None else need.condition in self.site.conditions
        value = self.base.get(f"site.{need.field}")
        return None if value is None else value is True

    def _adaptations_touching(self, target_id: str) -> list[PlannedAdaptation]:
        return [a for a in self.site.adaptations if a.touches == target_id]

    # -- subject facts ----------------------------------------------------------------------------

    def _item(self, subject: Subject, key: str, label: str, own: BaseModel, derived: BaseModel) -> SubjectFact:
        values = dict(self.base)
        flatten(subject, _dump(own), values)
        flatten(subject, _dump(derived), values)
        return SubjectFact(subject, key, label, values)

    def principle(self, principle: CorePrinciple) -> SubjectFact:
        touching = self._adaptations_touching(principle.id)
        met = {need.label: self._need_met(need) for need in principle.needs}
        unmet = sorted(label for label, ok in met.items() if ok is False)
        derived = PrincipleDerived(
            is_core=principle.kind == "core",
            need_count=len(principle.needs),
            need_labels=sorted(need.label for need in principle.needs),
            unmet_needs=unmet if all(ok is not None for ok in met.values()) else None,
            has_unmet_need=_negate(_all(met.values())) if met else False,  # needing nothing, it lacks nothing
            adaptation_count=len(touching),
            adaptation_natures=sorted({a.nature for a in touching}),
            component_count=sum(1 for c in self.programme.components if principle.id in c.principles),
        )
        return self._item("principle", principle.id, principle.statement, principle, derived)

    def component(self, component: Component) -> SubjectFact:
        covering = self._covering_services(component)
        touching = self._adaptations_touching(component.id)
        derived: dict[str, Any] = {
            "carries_core_principle": bool(self._core_ids & set(component.principles)),
            "adaptation_count": len(touching),
            "adaptation_natures": sorted({a.nature for a in touching}),
        }
        if covering is not None:
            derived.update(
                covered_by=sorted(s.name for s in covering),
                already_covered=bool(covering),
                covered_by_service_with_capacity=_any(s.has_capacity for s in covering),
            )
        if self.site.local_needs is not None:
            derived["meets_local_need"] = bool(set(component.serves) & set(self.site.local_needs))
        return self._item("component", component.id, component.name, component, ComponentDerived(**derived))

    def partner(self, partner: Partner) -> SubjectFact:
        derived = PartnerDerived(
            type_in_proven_context=partner.type in self.programme.proven_context.partner_types
        )
        return self._item("partner", partner.id, partner.name, partner, derived)

    def service(self, service: ExistingService) -> SubjectFact:
        overlapping = sorted(c.name for c in self.programme.components if set(c.serves) & set(service.covers))
        derived = ServiceDerived(overlapping_components=overlapping, overlaps_programme=bool(overlapping))
        return self._item("service", service.id, service.name, service, derived)

    def adaptation(self, adaptation: PlannedAdaptation) -> SubjectFact:
        principle = self._principles.get(adaptation.touches)
        if principle is not None:
            derived = AdaptationDerived(
                target_kind="principle", target_name=principle.statement, target_is_core=principle.kind == "core"
            )
        else:
            component = self._components[adaptation.touches]
            derived = AdaptationDerived(
                target_kind="component",
                target_name=component.name,
                target_is_core=bool(self._core_ids & set(component.principles)),
            )
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


_FROM_PARTNERS = (
    "partner_count", "critical_partner_count", "partners_meeting_regularly", "partners_without_regular_meetings",
    "partners_with_history", "partners_consulted", "partners_with_informal_contact", "partners_sharing_information",
    "partners_seeing_mutual_benefit", "critical_partners_without_regular_meetings",
    "all_critical_partners_meet_regularly", "partner_contributions", "agencies_to_proven", "missing_partner_types",
    "missing_partner_type_count",
)
DERIVED_FROM_ITEMS: dict[str, tuple[str, ...]] = {
    "site.critical_partner_count": ("critical",),
    "site.partners_meeting_regularly": ("regular_meetings",),
    "site.partners_without_regular_meetings": ("regular_meetings",),
    "site.partners_with_history": ("years_relationship",),
    "site.partners_consulted": ("consulted",),
    "site.partners_with_informal_contact": ("informal_contact",),
    "site.partners_sharing_information": ("shares_information",),
    "site.partners_seeing_mutual_benefit": ("sees_mutual_benefit",),
    "site.critical_partners_without_regular_meetings": ("critical", "regular_meetings"),
    "site.all_critical_partners_meet_regularly": ("critical", "regular_meetings"),
    "site.partner_contributions": ("brings",),
}
"""Partner counts are unknown while any listed partner leaves the field out: the question is then
about those partners' fields, not about the list of partners."""
DERIVED_FROM: dict[str, str] = {
    **{f"site.{name}": "site.partners" for name in _FROM_PARTNERS},
    **{f"site.{name}": "site.existing_services"
       for name in ("service_count", "components_already_covered", "share_of_components_covered")},
    "site.needs_served": "site.local_needs",
    "site.components_without_local_need": "site.local_needs",
    "site.missing_conditions": "site.conditions",
    "site.missing_condition_count": "site.conditions",
    "site.funding_coverage": "site.funding.months_secured",
    "site.cost_to_budget": "site.funding.annual_budget",
    "site.uncertain_funding_sources": "site.funding.sources",
    "site.secure_funding_sources": "site.funding.sources",
    "site.funding_kinds": "site.funding.sources",
    "site.dissemination_channel_count": "site.dissemination.channels",
    "component.covered_by": "site.existing_services",
    "component.already_covered": "site.existing_services",
    "component.covered_by_service_with_capacity": "site.existing_services",
    "component.meets_local_need": "site.local_needs",
}
"""The profile field each derived field is worked out from, so that a question about missing
information names what the user can actually fill in, not an internal figure."""


DERIVED_MODELS: dict[str, type[BaseModel]] = {
    "programme": ProgrammeDerived,
    "site": SiteDerived,
    "principle": PrincipleDerived,
    "component": ComponentDerived,
    "partner": PartnerDerived,
    "service": ServiceDerived,
    "adaptation": AdaptationDerived,
    "findings": FindingsSummary,
}
"""Where each derived model is mounted; the field catalogue reads these."""


_PRINCIPLE_NEEDS = ("principle.has_unmet_need", "principle.unmet_needs")


def stated_in_site(site: SiteProfile, path: str) -> bool:
    """Whether the profile states a field (`site.funding.months_secured`), whatever its value."""
    value: Any = site
    for name in path.removeprefix("site.").split("."):
        value = getattr(value, name, None)
        if value is None:
            return False
    return True


def stated(path: str, fact: SubjectFact, programme: Programme, site: SiteProfile) -> bool:
    """Whether what `path` is worked out from is stated in the profile, whatever the answers.

    Some derived values are known or not depending on the answers (a principle lacks something as
    soon as one need is known unmet, while all needs met must all be known), so the plain presence
    of a derived value says more about the answers than about how much the site has told us. This
    looks through to the inputs instead, so that a worse answer never counts as knowing more."""
    if path in DERIVED_FROM_ITEMS:
        return site.partners is not None and all(
            getattr(partner, name) is not None for partner in site.partners for name in DERIVED_FROM_ITEMS[path])
    if path in _PRINCIPLE_NEEDS:
        principle = next((p for p in programme.principles if p.id == fact.key), None)
        needs = principle.needs if principle is not None else []
        return all(site.conditions is not None if need.condition else stated_in_site(site, f"site.{need.field}")
                   for need in needs)
    if path in DERIVED_FROM:
        return stated_in_site(site, DERIVED_FROM[path])
    return path in fact.values
