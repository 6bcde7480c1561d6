"""Where each derived field comes from, and whether the profile states it.

A question about missing information must name what the user can fill in, not an internal figure;
and how much a site has told us must not depend on its answers. Both need to see through a derived
value to the profile fields it is worked out from.
"""

from __future__ import annotations

from typing import Any

from ..schema import Funding, Programme, SiteProfile
from ..schema.programme import PrincipleNeed
from .types import SubjectFact

_FROM_PARTNERS = (
    "partner_count", "critical_partner_count", "partners_meeting_regularly", "delivery_partner_count",
    "single_agency_approach",
    "partners_without_regular_meetings",
    "partners_with_live_history", "partners_consulted", "every_partner_has_role", "partners_with_informal_contact",
    "partners_sharing_information", "critical_partners_not_sharing",
    "partners_bringing_skills", "partners_bringing_funding", "partners_bringing_profile",
    "partners_seeing_mutual_benefit", "critical_partners_without_regular_meetings", "critical_partners_not_on_board",
    "critical_partners_not_on_board_names",
    "critical_partners_cut_off", "critical_partners_cut_off_names", "critical_partners_cut_off_at_least",
    "critical_partners_cut_off_at_most",
    "all_critical_partners_meet_regularly", "partner_contributions", "involved_partner_contributions",
    "every_partner_states_contributions",
    "agencies_to_proven", "missing_partner_types",
    "missing_partner_type_count",
)
DERIVED_FROM_ITEMS: dict[str, tuple[str, ...]] = {
    "site.critical_partner_count": ("critical",),
    "site.partners_meeting_regularly": ("regular_meetings",),
    "site.delivery_partner_count": ("critical", "regular_meetings"),
    "site.single_agency_approach": ("critical", "regular_meetings"),
    "site.partners_without_regular_meetings": ("regular_meetings",),
    "site.partners_with_live_history": ("years_relationship", "regular_meetings", "informal_contact",
                                        "shares_information"),
    "site.partners_consulted": ("consulted",),
    "site.every_partner_has_role": ("role",),
    "site.partners_with_informal_contact": ("informal_contact",),
    "site.partners_sharing_information": ("shares_information",),
    "site.critical_partners_not_sharing": ("critical", "shares_information"),
    **dict.fromkeys(("site.partners_bringing_skills", "site.partners_bringing_funding",
                     "site.partners_bringing_profile"), ("brings",)),
    "site.partners_seeing_mutual_benefit": ("sees_mutual_benefit",),
    "site.critical_partners_without_regular_meetings": ("critical", "regular_meetings"),
    "site.all_critical_partners_meet_regularly": ("critical", "regular_meetings"),
    "site.critical_partners_not_on_board": ("critical", "consulted", "sees_mutual_benefit"),
    "site.critical_partners_not_on_board_names": ("critical", "consulted", "sees_mutual_benefit"),
    **dict.fromkeys(("site.critical_partners_cut_off", "site.critical_partners_cut_off_at_least",
                     "site.critical_partners_cut_off_at_most"), ("critical", "regular_meetings", "shares_information")),
    "site.partner_contributions": ("brings",),
    "site.involved_partner_contributions": ("brings",),
    "site.every_partner_states_contributions": ("brings",),
}
"""Partner counts are unknown while any listed partner leaves the field out: the question is then
about those partners' fields, not about the list of partners."""
DERIVED_FROM: dict[str, str] = {
    **{f"site.{name}": "site.partners" for name in _FROM_PARTNERS},
    **{f"site.{name}": "site.existing_services"
       for name in ("service_count", "components_already_covered", "share_of_components_covered",
                    "components_on_full_services", "core_components_on_full_services", "services_built_on",
                    "runs_programme_already")},
    "site.needs_served": "site.local_needs",
    "site.serves_unmet_need": "site.existing_services",
    "site.services_meeting_needs": "site.existing_services",
    "site.components_without_local_need": "site.local_needs",
    "site.core_components_meeting_need": "site.local_needs",
    "adaptation.target_meets_local_need": "site.local_needs",
    "adaptation.target_already_covered": "site.existing_services",
    "adaptation.target_need_kept": "site.existing_services",
    "adaptation.target_need_met_by_services": "site.existing_services",
    "site.missing_conditions": "site.conditions",
    "site.contradicted_conditions": "site.conditions",
    "site.worked_around_conditions": "site.conditions",
    "site.worked_around_condition_count": "site.conditions",
    "site.worked_around_besides_transport": "site.conditions",
    "site.worked_around_besides_transport_count": "site.conditions",
    "site.missing_condition_count": "site.conditions",
    "site.missing_other_conditions": "site.conditions",
    "site.missing_other_condition_count": "site.conditions",
    "site.works_around": "site.adaptations",
    "site.travel_answered_by": "site.adaptations",
    "site.commissioner": "site.lead_organisation_type",
    "site.funding_coverage": "site.funding.months_secured",
    "site.first_outcomes_to_money_end_months": "site.funding.months_secured",
    "site.money_ends_month": "site.funding.months_secured",
    "site.cost_to_budget": "site.funding.annual_budget",
    "site.reviews_over_run": "site.operational_plan.review_every_months",
    "site.uncertain_funding_sources": "site.funding.sources",
    "site.uncertain_funding_after_secured": "site.funding.sources",
    "site.funding_source_count": "site.funding.sources",
    "site.source_months_total": "site.funding.sources",
    "site.secure_funding_sources": "site.funding.sources",
    "site.funding_kinds": "site.funding.sources",
    "site.self_funding_backed": "site.funding.self_funding",
    "site.joined_up_backed": "site.funding.joined_up",
    "site.dissemination_channel_count": "site.dissemination.channels",
    "component.covered_by": "site.existing_services",
    "component.covered_by_without_terms": "site.existing_services",
    "component.covered_by_without_room": "site.existing_services",
    "component.already_covered": "site.existing_services",
    "component.fully_covered": "site.existing_services",
    "component.covered_by_service_with_capacity": "site.existing_services",
    "component.terms_agreed": "site.existing_services",
    "site.terms_signed_with_services_built_on": "site.existing_services",
    "site.components_not_served": "site.existing_services",
    "component.meets_local_need": "site.local_needs",
}
"""The profile field each derived field is worked out from, so that a question about missing
information names what the user can actually fill in, not an internal figure."""


EVALUATION_PARTS = (("systematic", "systematic"), ("statistical_data", "statistical data"),
                    ("baseline", "a baseline"), ("long_term_outcomes", "longer-term outcomes"),
                    ("local_cost_benefit", "a local cost/benefit case"))
"""The parts of an evaluation a profile can describe, by field, as the advice names them."""
_EVALUATION_PARTS = tuple(f"site.evaluation.{name}" for name, _ in EVALUATION_PARTS)
DERIVED_FROM_FIELDS: dict[str, tuple[str, ...]] = {
    "site.evaluation_parts_described": _EVALUATION_PARTS,
    "site.evaluation_parts_described_at_least": _EVALUATION_PARTS,
    "site.external_forces": tuple(f"site.climate.{name}" for name in
                                  ("political", "economic", "funding_outlook", "staffing_pressure")),
}
"""Derived values always worked out (what the profile says, possibly nothing) that count as stated,
for how much of a theme is known, only when every field they read is: otherwise a profile silent
about its evaluation would seem to have said something about it. A question about one asks for
the first field it reads."""


PRINCIPLE_NEEDS = ("principle.has_unmet_need", "principle.unmet_needs", "principle.lacks_prerequisite",
                   "principle.unmet_need_conditions", "principle.unmet_need_to_judge")
"""The principle facts worked out from what it needs of the site: the site answers them by those fields."""

ROUTING_FIELDS = frozenset({"programme.core_need_fields"})
"""Derived fields a rule reads only to stand aside for another that judges the same fact (a core
principle that needs what the site lacks): a finding that fired was not that case, so the value is no
ground for it, and a board reading it among the finding's facts took it for one (851, 877)."""


def stated_in_site(site: SiteProfile, path: str) -> bool:
    """Whether the profile states a field (`site.funding.months_secured`), whatever its value."""
    value: Any = site
    for name in path.removeprefix("site.").split("."):
        value = getattr(value, name, None)
        if value is None:
            return False
    return True


def months_from_sources(site: SiteProfile, duration_months: float | None = None) -> float | None:
    """The months of funding secured, read from the sources when the site leaves the total out.

    When every source is certain for its months (secure, or a grant awarded for a fixed term) and
    says how long it is committed for, the programme is funded for at least the shortest commitment,
    whether the sources run side by side or end to end; and when that covers the whole run
    (`duration_months`, if given), no reading of the sources gives less. Short of the whole run the
    two readings differ, so there is no answer and the site is asked for its total, as it is when a
    source is uncertain or gives no length; one source alone has one reading (1153)."""
    funding = site.funding
    if funding.months_secured is not None or not funding.sources:
        return None
    if any(s.stability not in ("secure", "time_limited") or s.months is None for s in funding.sources):
        return None
    if len(funding.sources) == 1:
        return funding.sources[0].months
    shortest = min(s.months for s in funding.sources if s.months is not None)
    return None if duration_months is not None and shortest < duration_months else shortest


def secured_months(site: SiteProfile, duration_months: float) -> float | None:
    """The months secured as the site states them, or as its sources answer them (see above)."""
    stated_months = site.funding.months_secured
    return stated_months if stated_months is not None else months_from_sources(site, duration_months)


def backed_months(site: SiteProfile, duration_months: float) -> float | None:
    """The months secured, but no more than the sources add up to when every source gives its
    length: a total the sources do not bear out (36 months said, one 12-month grant listed) is not
    one to plan the funding decision on."""
    return capped_by_sources(site, secured_months(site, duration_months))


def capped_by_sources(site: SiteProfile, months: float | None) -> float | None:
    """`months` secured (worked out already), capped as `backed_months` says."""
    lengths = [s.months for s in site.funding.sources or []]
    if months is None or not lengths or any(m is None for m in lengths):
        return months
    return min(months, sum(m for m in lengths if m is not None))


def uncertain_after_secured(funding: Funding) -> bool | None:
    """Whether every uncertain source is money for after the months secured, not part of them: the
    secure sources' months alone add up to the months the site says are secured. Then an uncertain
    source is how the unfunded rest of the run might be paid for, one gap with the months not yet
    funded, not a second risk to the money said to be secured. A time-limited source (a grant
    awarded for a year) is as certain as a secure one for its months. Unknown while the months
    secured, or a certain source's months, are left out."""
    secure = [s.months for s in funding.sources or [] if s.stability in ("secure", "time_limited")]
    if funding.months_secured is None or any(m is None for m in secure):
        return None
    return sum(m for m in secure if m is not None) >= funding.months_secured


def need_stated(site: SiteProfile, need: PrincipleNeed) -> bool:
    """Whether the site says if it has what a principle needs: a condition is answered by the list of
    conditions (leaving one out of a stated list says the site lacks it), a field by that field."""
    return site.conditions is not None if need.condition else stated_in_site(site, f"site.{need.field}")


def stated(path: str, fact: SubjectFact, programme: Programme, site: SiteProfile) -> bool:
    """Whether what `path` is worked out from is stated in the profile, whatever the answers.

    Some derived values are known or not depending on the answers (a principle lacks something as
    soon as one need is known unmet, while all needs met must all be known), so the plain presence
    of a derived value says more about the answers than about how much the site has told us. This
    looks through to the inputs instead, so that a worse answer never counts as knowing more."""
    if path in DERIVED_FROM_ITEMS:
        return site.partners is not None and all(
            getattr(partner, name) is not None for partner in site.partners for name in DERIVED_FROM_ITEMS[path])
    if path in PRINCIPLE_NEEDS:
        principle = next((p for p in programme.principles if p.id == fact.key), None)
        needs = principle.needs if principle is not None else []
        return all(need_stated(site, need) for need in needs)
    if path == "site.funding_coverage":
        return secured_months(site, programme.costs.duration_months) is not None
    if path == "site.source_months_total":  # every source's length, not just the list
        return site.funding.sources is not None and all(s.months is not None for s in site.funding.sources)
    if path in DERIVED_FROM_FIELDS:
        return all(stated_in_site(site, field) for field in DERIVED_FROM_FIELDS[path])
    if path in DERIVED_FROM:
        return stated_in_site(site, DERIVED_FROM[path])
    return path in fact.values
