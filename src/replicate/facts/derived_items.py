"""The derived fields of the items a rule runs once for each of (principles, components, partners,
services, adaptations): what each is to the programme and the site, worked out so that a rule reads
one field rather than walking lists."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class DerivedFields(BaseModel):
    """A subject's worked-out fields: frozen, and refusing any field not declared, so a rule can only
    read what the catalogue lists."""

    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)


class PrincipleDerived(DerivedFields):
    is_core: bool = Field(description="Whether the principle is core (non-negotiable).")
    need_count: int = Field(0, description="How many things the principle needs from the site.")
    need_labels: list[str] = Field(default_factory=list, description="What the principle needs from the site.")
    need_fields: list[str] = Field(
        default_factory=list,
        description="The site fields the principle needs to be true, as paths under site (e.g. "
        "evaluation.local_cost_benefit).",
    )
    unmet_needs: list[str] | None = Field(
        None, description="What the principle needs that the site is known to lack (unknown if none is known "
        "lacking and any is not stated)."
    )
    known_unmet_needs: list[str] = Field(
        default_factory=list, description="What the principle needs that the site is known to lack, whatever "
        "it leaves out about the rest: what an action names."
    )
    has_unmet_need: bool | None = Field(
        None, description="Whether the site is known to lack something the principle needs."
    )
    unmet_need_to_judge: bool | None = Field(
        None, description="Whether the site is known to lack something the principle needs that no other finding "
        "asks for: with no evaluation planned, what one would collect is asked for by the finding that none is."
    )
    unmet_need_conditions: list[str] | None = Field(
        None, description="The local conditions the principle needs that the site is known to lack, as tags "
        "(unknown if none is known lacking and the site's conditions are not stated)."
    )
    lacks_prerequisite: bool | None = Field(
        None, description="Whether the site is known to lack something the principle cannot be delivered without "
        "at all (a need the programme marks as a prerequisite)."
    )
    prerequisite_count: int = Field(0, description="How many of its needs the principle cannot be delivered without.")
    prerequisite_labels: list[str] = Field(
        default_factory=list, description="What the principle cannot be delivered without at all."
    )
    adaptation_count: int = Field(description="Planned adaptations that touch this principle.")
    adaptation_natures: list[str] = Field(description="The natures of those adaptations.")
    component_count: int = Field(description="Components that carry this principle.")


class ComponentDerived(DerivedFields):
    covered_by: list[str] | None = Field(
        None, description="Names of existing local services that already serve this component's need.")
    covered_by_without_terms: list[str] | None = Field(
        None, description="Names of those services with no terms signed for the programme: the ones terms are "
        "still to be agreed with.")
    covered_by_without_room: list[str] | None = Field(
        None, description="Names of those services the site says have no room for more work.")
    already_covered: bool | None = Field(
        None, description="Whether an existing local service serves its need, or part of it.")
    fully_covered: bool | None = Field(
        None, description="Whether existing local services between them serve every need it serves, so the "
        "plan can build the whole component on them (when only part is, the programme adds the rest); for a "
        "component carrying a core principle, whether one service serves it all."
    )
    covered_by_service_with_capacity: bool | None = Field(
        None, description="Whether those services have room for it: each need of it they meet is met by one "
        "that could take on more work."
    )
    terms_agreed: bool | None = Field(
        None, description="Whether terms are signed with every service that serves its need (what each gives, "
        "delivers, for whom, and the core principles it keeps); false until the site says they are.")
    meets_local_need: bool | None = Field(None, description="Whether it serves a need the site has shown.")
    carries_core_principle: bool = Field(description="Whether it carries a core principle of the programme.")
    core_principles: list[str] = Field(
        default_factory=list, description="The core principles it carries, as the programme states them."
    )
    adaptation_count: int = Field(description="Planned adaptations that touch this component.")
    adaptation_natures: list[str] = Field(description="The natures of those adaptations.")


class PartnerDerived(DerivedFields):
    type_in_proven_context: bool = Field(
        description="Whether the programme was proven with a partner of this type."
    )


class ServiceDerived(DerivedFields):
    overlapping_components: list[str] = Field(
        description="Names of programme components whose need this service already serves."
    )
    overlaps_programme: bool = Field(description="Whether it serves a need a programme component serves.")


class AdaptationDerived(DerivedFields):
    target_kind: Literal["principle", "component"] = Field(description="What the adaptation touches.")
    target_name: str = Field(description="The name or statement of what it touches.")
    target_is_core: bool = Field(
        description="Whether it touches a core principle, or a component carrying a core principle.")
    target_meets_local_need: bool | None = Field(
        None, description="For a component: whether it serves a need the site has shown (false for a principle).")
    inside_own_delivery: bool = Field(False, description="Whether the site says it alters no partner's work "
        "(`partners_affected` false): a change nobody else has to agree. Unstated, it may touch the partners.")
    works_around_core_need: bool = Field(False, description="Whether it works around a condition a core principle "
        "needs, so that the principle's own finding judges it (the board may agree it as the alternative).")
    target_serves_programme: bool = Field(
        False, description="For a component: whether it serves the programme itself (`serves_local_need` false, "
        "such as following up outcomes or training the workforce), needed wherever the programme runs, rather than "
        "a need an area shows (false for a principle).")
    target_need_kept: bool | None = Field(
        None, description="For a component left out: whether every need the area has shown that it serves is still "
        "served, by a part of the programme that stays or by a service the area runs (true for a principle)."
    )
    target_need_met_by_services: bool | None = Field(
        None, description="For a component left out: whether services the area runs meet every need the area has "
        "shown that it serves, so leaving it out builds on them (another part of the programme serving the same "
        "need is not enough: it may be the same need met less fully)."
    )
    target_already_covered: bool | None = Field(
        None, description="For a component: whether an existing local service already serves its need, so "
        "the plan builds on that service (false for a principle)."
    )
    target_core_principles: list[str] = Field(
        default_factory=list, description="For a component: the core principles it carries, as the programme "
        "states them (empty for a principle)."
    )
    target_core_carried_elsewhere: bool = Field(
        False, description="For a component carrying core principles: whether every one of them is also carried "
        "by another component the site keeps (false for a principle)."
    )
