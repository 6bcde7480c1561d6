"""The derived fields (counts, ratios, overlaps) of each subject, declared as small models so that
they are typed, documented and listed for rule authors exactly like the input fields."""

from __future__ import annotations

from pydantic import BaseModel, Field

from .derived_items import (
    AdaptationDerived,
    ComponentDerived,
    DerivedFields,
    PartnerDerived,
    PrincipleDerived,
    ServiceDerived,
)
from .findings_summary import FindingsSummary

_AT_LEAST = " At least this many when some partners leave it out (unknown only when none is known to)."


class ProgrammeDerived(DerivedFields):
    core_principle_count: int = Field(description="How many principles the programme marks as core.")
    adaptable_principle_count: int = Field(description="How many principles may be tailored.")
    component_count: int = Field(description="How many components the programme has.")
    outcome_figure_count: int = Field(description="How many outcome figures the original site reported.")
    comparison_figure_count: int = Field(description="Outcome figures with a comparison group's (90% against 50%).")
    best_comparison_gain: float | None = Field(None, description="The largest gain an outcome figure shows over "
        "its comparison, as a share of it (0.25 for 75 against 60); a loss where the figure says which way is better. "
        "Unknown when no figure has a comparison.")
    best_comparison_figure: str | None = Field(None, description="That figure and its comparison, in words.")
    core_component_count: int = Field(0, description="How many components carry a core principle.")
    core_need_fields: list[str] = Field(default_factory=list, description="Site fields a core principle names as "
        "a need, as paths under site (e.g. evaluation.local_cost_benefit); a site lacking one is judged through it.")


class SiteDerived(DerivedFields):
    commissioner: str = Field(
        "commissioner", description="Who commissions the programme and signs off its plans here: the governing "
        "board where a school or trust leads it (site.lead_organisation_type is education), else the commissioner.")
    travel_answered_by: list[str] = Field(
        default_factory=list, description="What the plan relies on to bring people to the programme without "
        "public transport: the adaptations that work around it, and listed transport services with room.")
    contradicted_conditions: list[str] = Field(
        default_factory=list, description="Conditions the site lists that its own answers about its partners "
        "contradict (partners engaged at the outset, where no partner was consulted on the plan): not counted.")
    partner_count: int | None = Field(None, description="How many partners the site plans to involve.")
    critical_partner_count: int | None = Field(None, description="How many of them delivery depends on.")
    partners_meeting_regularly: int | None = Field(
        None, description="Partners with regular formal meetings." + _AT_LEAST
    )
    delivery_partner_count: int | None = Field(
        None, description="Partners with a seat in delivery: critical to it, or in its regular formal meetings "
        "(the rest are kept informed)."
    )
    single_agency_approach: bool | None = Field(
        None, description="Whether the programme aims at one focused outcome and at most one partner has a seat "
        "in delivery, the others kept informed: the guidance's single-agency approach."
    )
    partners_without_regular_meetings: int | None = Field(
        None, description="Partners known to have no regular formal meetings."
    )
    partners_with_live_history: int | None = Field(
        None, description="Partners with at least two years of working relationship that are still in touch "
        "(they meet, have informal contact or share knowledge)." + _AT_LEAST
    )
    partners_consulted: int | None = Field(None, description="Partners consulted on the plan.")
    every_partner_has_role: bool | None = Field(
        None, description="Whether every partner states the role it would play (unknown while any leaves it out)."
    )
    partners_with_informal_contact: int | None = Field(
        None, description="Partners whose staff have informal contact." + _AT_LEAST
    )
    partners_sharing_information: int | None = Field(
        None, description="Partners that share knowledge and data." + _AT_LEAST
    )
    critical_partners_not_sharing: int | None = Field(
        None, description="Partners critical to delivery that do not share knowledge and data (unknown while any "
        "partner leaves out whether it is critical or whether it shares)."
    )
    partners_seeing_mutual_benefit: int | None = Field(
        None, description="Partners that see how the programme benefits their own service."
    )
    critical_partners_without_regular_meetings: int | None = Field(
        None, description="Partners critical to delivery that are known to have no regular formal meetings."
    )
    critical_partners_cut_off: int | None = Field(
        None, description="Partners critical to delivery that neither meet the programme regularly nor share "
        "knowledge and data with it (unknown while any of them leaves either out)."
    )
    critical_partners_cut_off_names: list[str] | None = Field(
        None, description="The names of the partners critical to delivery that are known to neither meet the "
        "programme regularly nor share knowledge and data with it."
    )
    critical_partners_cut_off_at_least: int | None = Field(
        None, description="Partners critical to delivery that are known to neither meet the programme regularly nor "
        "share knowledge and data with it: the fewest there can be."
    )
    critical_partners_cut_off_at_most: int | None = Field(
        None, description="Partners critical to delivery that are not known to meet the programme or share with it: "
        "the most there can be."
    )
    critical_partners_not_on_board: int | None = Field(
        None, description="Partners critical to delivery that were not consulted on the plan or see no benefit "
        "for their own service." + _AT_LEAST
    )
    critical_partners_not_on_board_names: list[str] = Field(
        default_factory=list, description="The partners critical to delivery known not to have been consulted "
        "on the plan or to see no benefit for their own service."
    )
    all_critical_partners_meet_regularly: bool | None = Field(
        None,
        description="Whether every partner critical to delivery has regular formal meetings "
        "(unknown if there is no critical partner or any of them is not stated).",
    )
    partner_contributions: list[str] | None = Field(
        None,
        description="What the partners that say so bring between them (skills, funding, profile...): "
        "what one partner brings is known whatever the others leave out; unknown when none says.",
    )
    involved_partner_contributions: list[str] | None = Field(
        None,
        description="What the partners known to take part (consulted, meeting the programme, sharing with it, "
        "in informal contact or seeing a benefit for their own service) bring between them; unknown when no "
        "partner says what it brings.",
    )
    partners_bringing_skills: list[str] | None = Field(
        None, description="The names of the partners known to take part and to bring skills or knowledge."
    )
    partners_bringing_funding: list[str] | None = Field(
        None, description="The names of the partners known to take part and to bring funding or resources."
    )
    partners_bringing_profile: list[str] | None = Field(
        None, description="The names of the partners known to take part and to bring profile or credibility."
    )
    every_partner_states_contributions: bool | None = Field(
        None, description="Whether every partner says what it brings (unknown while any leaves it out): "
        "what no partner brings is known only then."
    )
    agencies_to_proven: float | None = Field(
        None, description="Partners planned divided by the number of agencies where the programme was proven."
    )
    money_ends_month: float | None = Field(
        None, description="The month the money ends, counted from the start: the months secured, or what the "
        "listed sources add up to where they fall short of them. Past the run where more is secured than the "
        "programme's length. Unknown when the months funded are not stated.",
    )
    first_outcomes_to_money_end_months: float | None = Field(
        None, description="Months from when the outcomes of the first people served are measured to when the "
        "money ends (`money_ends_month`); negative when the money ends first. Unknown when the months funded "
        "or when the programme measures its outcomes is not stated.",
    )
    evidence_to_show: str = Field(
        "", description="The evidence of impact to show staff and partners, in words: the site's own results "
        "where it already runs the programme, then the programme's outcome figures, or what its kind of "
        "evaluation offers where it reports none. For action texts; conditions should read the evidence fields.",
    )
    service_count: int | None = Field(None, description="How many existing local services are listed.")
    runs_programme_already: bool | None = Field(
        None, description="Whether a listed service is the site's own run of this programme so far (a pilot or a "
        "first centre) that the replication scales up.",
    )
    components_already_covered: int | None = Field(
        None, description="Programme components whose need an existing local service already serves."
    )
    components_not_served: list[str] | None = Field(
        None, description="Names of the programme components no existing local service serves any need of: "
        "the parts a replication would add whole.")
    share_of_components_covered: float | None = Field(
        None, description="Share (0-1) of the programme already served locally: each component counts by "
        "the share of the needs it serves that existing services meet, so 1 means every need of every "
        "component is met.")
    terms_signed_with_services_built_on: bool | None = Field(None, description="Whether terms are signed with "
        "every service that meets a need a component serves: the map of who delivers each part, agreed.")
    services_built_on: list[str] | None = Field(
        None, description="Names of the existing services that meet a need some component serves: what a plan "
        "builds on, and where a decision not to replicate puts the effort instead.")
    components_on_full_services: int | None = Field(
        None, description="Components already served locally only by services that say they have no room: "
        "their need is not met for every family, so extending the service is still work to do."
    )
    core_components_on_full_services: int | None = Field(
        None, description="Of those, the components that carry a core principle: a side component on a full "
        "service is that service's capacity to extend, not a part of the programme left to add."
    )
    needs_served: int | None = Field(None, description="Local needs that some programme component serves.")
    serves_unmet_need: bool | None = Field(
        None, description="Whether the programme serves a local need that no existing service with room meets "
        "(a need met only by full services counts as unmet), or a component carrying a core principle that no one "
        "existing service with room serves whole: the part a replication would add."
    )
    services_meeting_needs: list[str] | None = Field(
        None, description="Names of the existing services with room that meet a local need the programme serves.")
    core_components_meeting_need: int | None = Field(
        None, description="Components carrying a core principle that serve a need the site has shown."
    )
    missing_conditions: list[str] | None = Field(
        None, description="Conditions the programme relied on that the site does not list, and no planned "
        "adaptation works around."
    )
    worked_around_conditions: list[str] | None = Field(
        None, description="Conditions the programme relied on that the site lacks and a planned adaptation "
        "works around (never one a core principle needs: that is judged through the principle)."
    )
    worked_around_condition_count: int | None = Field(
        None, description="How many of the conditions the programme relied on the site works around."
    )
    worked_around_besides_transport: list[str] | None = Field(
        None, description="The conditions worked around other than public transport, whose answer (the "
        "journeys) the travel findings check."
    )
    worked_around_besides_transport_count: int | None = Field(
        None, description="How many conditions other than public transport the site works around."
    )
    missing_partner_types: list[str] | None = Field(
        None, description="Partner types the programme was proven with that the site has none of."
    )
    missing_condition_count: int | None = Field(
        None, description="How many conditions the programme relied on are missing at the site."
    )
    missing_other_conditions: list[str] | None = Field(
        None, description="Missing conditions the programme relied on that no core principle names as a need "
        "(those are judged through the principle)."
    )
    missing_other_condition_count: int | None = Field(
        None, description="How many of the missing conditions no core principle names as a need."
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
    self_funding_backed: bool | None = Field(
        None, description="Whether the programme is self-funded or low cost, as the funding sources bear it out: "
        "false where the site says so but it costs more than the budget and no source listed is its own money "
        "(a core budget or self-funding), or where all its own money is time-limited or uncertain and runs out "
        "before the programme's run does."
    )
    joined_up_backed: bool | None = Field(
        None, description="Whether costs are shared over several institutions or years, as the funding sources "
        "bear it out: false where the site says so but its one source is a grant or charitable money from "
        "outside the partnership that runs a year or less, or is no partner's contribution while no partner is "
        "said to bring funding."
    )
    external_forces: list[str] = Field(
        default_factory=list, description="The external forces the profile says are at work (an unfavourable "
        "political climate, a tightening economy, an uncertain or declining funding outlook, pressure on "
        "staffing), in words. Those it leaves out are not listed."
    )
    evaluation_parts_described: list[str] = Field(
        default_factory=list, description="The parts of an evaluation the profile says it will have (systematic, "
        "statistical data, a baseline, longer-term outcomes, a local cost/benefit case), so that a profile that "
        "also says no evaluation is planned is seen to disagree with itself. Those it leaves out are not listed."
    )
    evaluation_parts_described_at_least: int = Field(
        0, description="How many parts of an evaluation the profile says it will have: at least this many, "
        "whatever it leaves out."
    )
    reviews_over_run: float | None = Field(
        None, description="How many times progress would be reviewed over the programme's run: its duration "
        "divided by the site's review interval."
    )
    funding_source_count: int | None = Field(None, description="How many funding sources are listed.")
    uncertain_funding_sources: int | None = Field(None, description="Funding sources of uncertain stability.")
    uncertain_funding_after_secured: bool | None = Field(
        None, description="Whether the uncertain funding sources are only for months after those secured: the "
        "secure sources alone add up to the months the site says are secured (unknown if no source is listed, or "
        "the months secured or a secure source's months are left out)."
    )
    source_months_total: float | None = Field(
        None, description="The months of every funding source added together: the most they could cover run "
        "end to end (unknown if a source leaves its months out, unless the rest already reach the months secured)."
    )
    secure_funding_sources: int | None = Field(None, description="Funding sources that are secure.")
    funding_kinds: list[str] | None = Field(None, description="The kinds of the funding sources listed.")
    dissemination_channel_count: int | None = Field(None, description="How many dissemination channels.")
    adaptation_count: int = Field(0, description="How many adaptations the site plans.")
    adaptations_to_core: int = Field(
        0, description="Planned adaptations that touch a core principle or a component carrying one."
    )
    works_around: list[str] | None = Field(
        None, description="The conditions the site's plan works around: those its adaptations name, and public "
        "transport where a listed service with room provides rural transport (known whether or not the site lists "
        "its conditions; unknown while public transport turns on such a service whose room is not stated)."
    )


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


