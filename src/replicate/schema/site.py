"""What a target site is: its local profile, as the people planning the replication know it.

Almost every field may be left out. A missing field means "not known", which the engine reports
as a question to answer; it never counts as "no". An explicit `false` or `0` is an answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from pydantic import Field, StringConstraints

from .common import (
    AdaptationNature,
    Decider,
    DisseminationChannel,
    EconomicClimate,
    FundingKind,
    FundingOutlook,
    Identifier,
    Level,
    Name,
    PartnerContribution,
    PartnerType,
    PoliticalClimate,
    Setting,
    Stability,
    StrictModel,
    Tag,
    Text,
)


class ExistingService(StrictModel):
    id: Identifier
    name: Name
    covers: list[Tag] = Field(
        min_length=1, max_length=32, description="The needs or service types the service already covers."
    )
    provider: Name | None = Field(default=None, description="Who runs it.")
    has_capacity: bool | None = Field(default=None, description="Whether it could take on more work.")
    terms_agreed: bool = Field(
        default=False,
        description="Whether terms are signed with it for the programme: the places or hours it gives, what it "
        "delivers and for whom, and the core principles it keeps. Signing them is the plan's condition for a "
        "service it builds on, so leaving this out says they are not signed yet, not a question.",
    )
    runs_this_programme: bool = Field(
        default=False,
        description="Whether it is the site's own run of this programme so far (a pilot, or a first centre), "
        "which the replication scales up: not another service to build on or to duplicate. A listed service "
        "is another provider's unless it says so, so leaving this out is an answer, not a question.",
    )

    def meets_any(self, needs: Iterable[str]) -> bool:
        """Whether it already meets one of `needs`: the site's own run of the programme meets none,
        since it is what the replication scales up, not another service to build on."""
        return not self.runs_this_programme and not set(needs).isdisjoint(self.covers)


class Partner(StrictModel):
    id: Identifier
    name: Name
    type: PartnerType = Field(description="The kind of organisation.")
    role: Text | None = Field(default=None, description="What it would do in the programme.")
    critical: bool | None = Field(default=None, description="Whether delivery depends on this partner.")
    years_relationship: float | None = Field(
        default=None, ge=0, le=100, description="Years of existing working relationship with this partner."
    )
    informal_contact: bool | None = Field(default=None, description="Whether staff have informal contact.")
    regular_meetings: bool | None = Field(default=None, description="Whether there are regular formal meetings.")
    consulted: bool | None = Field(default=None, description="Whether the partner was consulted on the plan.")
    shares_information: bool | None = Field(default=None, description="Whether it shares knowledge and data.")
    sees_mutual_benefit: bool | None = Field(
        default=None, description="Whether it sees how the programme benefits its own service."
    )
    brings: list[PartnerContribution] | None = Field(
        default=None, max_length=16, description="What it brings: skills, funding, profile, credibility..."
    )


class StaffReadiness(StrictModel):

    understand_reasons: Level | None = Field(
        default=None, description="How well staff understand the reasons for change."
    )
    understand_aims: Level | None = Field(
        default=None, description="How well staff understand the aims of the programme."
    )
    ownership: bool | None = Field(
        default=None, description="Whether staff are given ownership of particular aspects of the work."
    )
    believe_in_model: Level | None = Field(
        default=None, description="How far staff believe in the model and can see its impact."
    )
    jobs_secure: bool | None = Field(
        default=None, description="Whether staff know how long their posts will be kept going, and what happens "
        "to them after."
    )


class Leadership(StrictModel):
    named_lead: bool | None = Field(default=None, description="Whether a named lead drives the programme.")
    lead_hours_per_week: float | None = Field(
        default=None, ge=0, le=80, description="Hours a week the lead has dedicated to the programme."
    )
    lead_influence: Level | None = Field(default=None, description="The lead's ability to influence.")
    lead_local_knowledge: bool | None = Field(default=None, description="Whether the lead knows the area well.")
    lead_understands_programme: bool | None = Field(
        default=None, description="Whether the lead understands the programme and its evidence."
    )
    lead_skills: Level | None = Field(default=None, description="The lead's leadership skills.")
    strategic_sponsor: bool | None = Field(
        default=None, description="Whether a senior sponsor backs it at strategic level."
    )
    operational_buy_in: bool | None = Field(
        default=None, description="Whether operational managers have bought in."
    )
    champions: int | None = Field(
        default=None, ge=0, le=10000, description="How many champions keep the programme on the agenda."
    )
    volunteers: int | None = Field(default=None, ge=0, le=1000000, description="How many volunteers.")
    succession_plan: bool | None = Field(default=None, description="Whether someone is lined up to take it on.")
    staff_capacity: Level | None = Field(
        default=None, description="Whether there are enough staff at the right levels."
    )
    time_allocated: bool | None = Field(
        default=None, description="Whether staff have time for the work beyond their day job."
    )
    co_designed: bool | None = Field(
        default=None, description="Whether stakeholders shaped the plan rather than having it imposed."
    )
    service_users_engaged: bool | None = Field(
        default=None, description="Whether families or service users are engaged in shaping it."
    )


class FundingSource(StrictModel):
    name: Name
    kind: FundingKind
    stability: Stability
    months: float | None = Field(default=None, ge=0, le=600, description="Months this source is committed for.")


class Funding(StrictModel):
    months_secured: float | None = Field(
        default=None, ge=0, le=600, description="Months of funding secured for the programme."
    )
    annual_budget: float | None = Field(default=None, ge=0, le=1e10, description="Yearly budget available.")
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = Field(
        default="GBP", description="The currency of the budget (ISO 4217 code)."
    )
    sources: list[FundingSource] | None = Field(
        default=None,
        max_length=64,
        description="Where the money comes from, with each source's kind, how stable it is and the months it is "
        "committed for.",
    )
    financial_plan: bool | None = Field(default=None, description="Whether there is an early financial plan.")
    cost_benefit_analysis: bool | None = Field(default=None, description="Whether a cost/benefit analysis was done.")
    budget_for_lead_time: bool | None = Field(default=None, description="Whether time to lead it is paid for.")
    budget_for_meetings: bool | None = Field(default=None, description="Whether time for meetings is paid for.")
    budget_for_training: bool | None = Field(default=None, description="Whether training is paid for.")
    extends_existing_work: bool | None = Field(
        default=None, description="Whether it is a natural extension of work already done."
    )
    extends_existing_roles: bool | None = Field(
        default=None, description="Whether it is built into existing job roles."
    )
    joined_up: bool | None = Field(
        default=None, description="Whether costs are shared over several institutions or years."
    )
    self_funding: bool | None = Field(default=None, description="Whether it is self-funded or low cost.")
    expertise_secured: bool | None = Field(default=None, description="Whether the expertise it needs is secured.")


class OperationalPlan(StrictModel):
    objectives: bool | None = Field(default=None, description="Whether the plan sets out objectives.")
    targeted_outcomes: bool | None = Field(default=None, description="Whether it names targeted outcomes.")
    timeline: bool | None = Field(default=None, description="Whether it has a timeline for those outcomes.")
    documented_process: bool | None = Field(
        default=None, description="Whether monitoring, recording and reviewing are documented."
    )
    assessment_system: bool | None = Field(
        default=None, description="Whether an assessment system adapts provision to the target group."
    )
    review_every_months: float | None = Field(
        default=None, gt=0, le=60, description="How often progress is reviewed, in months."
    )
    meeting_agendas: bool | None = Field(default=None, description="Whether meetings have clear agendas.")
    meeting_outcomes_recorded: bool | None = Field(
        default=None, description="Whether meeting outcomes are documented."
    )
    action_plan: bool | None = Field(
        default=None, description="Whether a documented action plan is revised and monitored."
    )
    outcomes_recorded: bool | None = Field(default=None, description="Whether outcomes achieved are recorded.")
    fidelity_checks: bool | None = Field(
        default=None, description="Whether delivery will be checked regularly against each core principle."
    )


class EvaluationPlan(StrictModel):
    planned: bool | None = Field(default=None, description="Whether an evaluation is planned.")
    systematic: bool | None = Field(default=None, description="Whether the evaluation will be systematic.")
    statistical_data: bool | None = Field(default=None, description="Whether it will collect statistical data.")
    baseline: bool | None = Field(
        default=None, description="Whether a baseline is set before launch: the area's figures recorded, or "
        "each person's measure when they start written into the evaluation plan."
    )
    comparison: bool = Field(
        default=False, description="Whether the evaluation plan names a comparison for each targeted outcome (an "
        "area's figure for the same measure, or a matched group) and where its figures will come from. Naming one "
        "is the plan's condition where the programme's own figures have none, so leaving this out says it is not "
        "named yet, not a question."
    )
    long_term_outcomes: bool | None = Field(
        default=None, description="Whether longer-term outcomes will be followed up."
    )
    local_cost_benefit: bool | None = Field(
        default=None, description="Whether a local cost/benefit case will be built from delivery outcomes."
    )


class Dissemination(StrictModel):
    channels: list[DisseminationChannel] | None = Field(
        default=None, max_length=16, description="How effective practice will be shared."
    )


class ExternalClimate(StrictModel):
    political: PoliticalClimate | None = Field(default=None, description="The local political climate.")
    economic: EconomicClimate | None = Field(default=None, description="The economic climate.")
    funding_outlook: FundingOutlook | None = Field(default=None, description="The outlook for public funding.")
    national_policy_change: bool | None = Field(
        default=None, description="Whether a national policy the programme, or its delivery here, depends on is "
        "changing or ending."
    )
    staffing_pressure: bool | None = Field(
        default=None, description="Whether recruiting or keeping staff is hard locally at present."
    )
    alternatives_considered: bool | None = Field(
        default=None, description="Whether other ways of working have been worked out in case circumstances change."
    )


class PlannedAdaptation(StrictModel):
    """A change the site means to make, described after FRAME so it can be judged before it happens."""

    id: Identifier
    touches: Identifier = Field(description="The id of the principle or component the adaptation changes.")
    nature: AdaptationNature = Field(description="add, remove (leave it out), shorten, substitute (deliver it "
                                     "another way, such as through a service the area runs) or modify.")
    description: Text = ""
    reason: Text | None = Field(default=None, description="Why the site wants the change.")
    decided_by: Decider | None = Field(default=None, description="Who decided on the change.")
    partners_affected: bool | None = Field(
        default=None, description="Whether the change alters a partner's work with the programme: its role, its "
        "forms or systems, or its referrals. A change to when a school's own groups meet does not. Left out, a "
        "change one party decided is read as touching the partners."
    )
    core_checked: bool = Field(
        default=False, description="For a component carrying a core principle cut back, replaced or left out by "
        "the partnership board or the people it serves: whether the board has checked the change against the "
        "programme's evidence and minuted how each core principle is still carried. That check is the "
        "plan's condition for such a change, so leaving this out says it is not made yet, not a question."
    )
    works_around: list[Tag] | None = Field(
        default=None,
        max_length=16,
        description="Conditions the programme relied on that the area lacks, or public transport in a rural area, "
        "which this change is how the site will work without (public_transport, for sessions held where families "
        "live, or delivered where they already are, such as in school or by phone). A condition worked around "
        "is judged as answered, and checked once delivery starts, not as missing; one a core principle needs is "
        "still judged through that principle, answered only by a change the partnership board decided to that "
        "principle (or a component carrying it), and never when the principle cannot be delivered without it.",
    )


class ActionDone(StrictModel):
    """A launch condition the site has met whose proof is a record, not a field of this profile."""

    rule: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")] = Field(
        description="The rule whose action is done, as the plan names it (FL-POLITICAL-CLIMATE); only a rule "
        "whose action can be recorded (`replicate rules show RULE` says so).")
    evidence: Annotated[str, StringConstraints(min_length=1, max_length=1000, strip_whitespace=True)] = Field(
        description="What shows it is done, as the plan's done-when asks: dated minutes, a signed letter, a reference.")


class SiteProfile(StrictModel):
    """A place that wants to run the programme, and what it already has."""

    id: Identifier
    name: Name
    programme: Identifier | None = Field(
        default=None,
        description="The id of the programme this profile was written for; a site is refused by any other.",
    )
    setting: Setting | None = Field(default=None, description="Urban, rural or mixed.")
    lead_organisation_type: PartnerType | None = Field(
        default=None, description="The kind of organisation leading the programme here (a council's own service is "
        "local_authority). A kind of partner the original relied on that the lead itself is counts as present.",
    )
    local_needs: list[Tag] | None = Field(default=None, max_length=64, description="The needs the area has shown.")
    needs_assessed: bool | None = Field(default=None, description="Whether local need was formally assessed.")
    population_similar: bool | None = Field(
        default=None, description="Whether the site's client group is like the one the programme was proven with."
    )
    transfer_checked: bool | None = Field(
        default=None, description="Whether the site has worked out, with the programme's owner, how each core "
        "principle transfers to its own client group and local needs."
    )
    conditions: list[Tag] | None = Field(
        default=None,
        max_length=64,
        description="The local conditions the area has, of those a programme may rely on (cross-borough "
        "working, public transport, shared buildings, referral routes, an information-sharing agreement).",
    )
    existing_services: list[ExistingService] | None = Field(
        default=None,
        max_length=200,
        description="Services the area already runs, each with the needs it covers, who runs it and whether it has "
        "room for more work.",
    )
    partners: list[Partner] | None = Field(
        default=None,
        max_length=200,
        description="Prospective partners, each with its kind, its role, whether delivery depends on it, and whether "
        "it meets the programme, shares information, was consulted and sees a benefit for itself.",
    )
    staff: StaffReadiness = Field(
        default_factory=StaffReadiness,
        # Said here because "most staff now believe in it" was read as partial (1121).
        description="How ready the staff are. The graded answers count staff: high, most or all of them; partial, "
        "some, with others not yet; low, few or none.",
    )
    leadership: Leadership = Field(default_factory=Leadership)
    funding: Funding = Field(default_factory=Funding)
    operational_plan: OperationalPlan = Field(default_factory=OperationalPlan)
    evaluation: EvaluationPlan = Field(default_factory=EvaluationPlan)
    dissemination: Dissemination = Field(default_factory=Dissemination)
    climate: ExternalClimate = Field(default_factory=ExternalClimate)
    adaptations: list[PlannedAdaptation] = Field(
        default_factory=list, max_length=200, description="Changes the site plans to make to the programme."
    )
    actions_done: list[ActionDone] = Field(
        default_factory=list, max_length=100,
        description="Launch conditions met whose proof is a record no other field holds (briefings given, a "
        "pilot's terms signed off): the risk stands, its condition no longer holds the decision.",
    )
