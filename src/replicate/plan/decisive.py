"""The information without which no decision can be defended: left out, the decision is
"information needed", whatever else the profile says, and the questions for it come first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..facts import months_from_sources, stated_in_site
from ..schema import Programme, SiteProfile
from ..schema.site import OperationalPlan


@dataclass(frozen=True)
class DecisiveInformation:
    """Information without which no decision can be defended: if every field of the group is left
    out, the decision is "information needed", whatever else the profile says."""

    label: str
    fields: tuple[str, ...]
    within: tuple[str, ...] = ()
    """For one field of a section: the section's fields. It is asked for only when the section is
    partly stated; a section left out altogether is named once, as a whole."""
    unless_false: str | None = None
    """A field whose known "no" makes the group moot (no named lead has no hours to state)."""
    answered_by: Callable[[SiteProfile], bool] | None = None
    """Another part of the profile that answers the group (the months each secure source is committed
    for answer how many months are secured)."""
    theme: str | None = None
    """The theme a section left out altogether leaves unknown: that theme's low confidence is the
    same gap, not a second reason."""
    ask: tuple[str, ...] = ()
    """The fields to ask first, where one answer lifts the group (whether an evaluation is planned),
    rather than every field of it: six questions about an evaluation nobody has mentioned would bury
    the rest. Empty: all of `fields`."""

    @property
    def asked(self) -> tuple[str, ...]:
        return self.ask or self.fields


_FUNDING = ("site.funding.months_secured", "site.funding.annual_budget", "site.funding.sources",
            "site.funding.financial_plan")
_LEADERSHIP = ("site.leadership.named_lead", "site.leadership.lead_hours_per_week",
               "site.leadership.strategic_sponsor", "site.leadership.champions")
_EVALUATION = ("site.evaluation.planned", "site.evaluation.systematic", "site.evaluation.statistical_data",
               "site.evaluation.baseline", "site.evaluation.long_term_outcomes", "site.evaluation.local_cost_benefit")
_OPERATIONAL_PLAN = tuple(f"site.operational_plan.{name}" for name in OperationalPlan.model_fields)
_CLEAR_PLAN = tuple(f"site.operational_plan.{name}" for name in ("objectives", "targeted_outcomes", "timeline"))

DECISIVE: tuple[DecisiveInformation, ...] = (
    DecisiveInformation("Funding is not stated at all (months secured, budget, sources or a financial plan)",
                        _FUNDING, theme="resources"),
    DecisiveInformation("How many months of funding are secured is not stated", ("site.funding.months_secured",),
                        within=_FUNDING, answered_by=lambda site: months_from_sources(site) is not None),
    DecisiveInformation("The yearly budget is not stated", ("site.funding.annual_budget",), within=_FUNDING),
    DecisiveInformation("Leadership is not stated at all (a named lead, their time, a senior sponsor or "
                        "champions)", _LEADERSHIP, theme="buy_in"),
    DecisiveInformation("Whether a named lead drives the programme, and the hours a week they give it, are not "
                        "stated", ("site.leadership.named_lead", "site.leadership.lead_hours_per_week"),
                        within=_LEADERSHIP),
    DecisiveInformation("How many hours a week the lead gives the programme is not stated",
                        ("site.leadership.lead_hours_per_week",), within=_LEADERSHIP,
                        unless_false="named_lead"),
    DecisiveInformation("Local need is not stated", ("site.local_needs",)),
    DecisiveInformation("Whether the local needs listed were assessed is not stated", ("site.needs_assessed",),
                        within=("site.local_needs",)),
    DecisiveInformation("The services the area already runs are not listed", ("site.existing_services",)),
    DecisiveInformation("The plan's objectives, targeted outcomes and timeline are not stated",
                        _CLEAR_PLAN, within=_OPERATIONAL_PLAN),
    DecisiveInformation("Evaluation is not stated at all (whether one is planned, and how impact will be shown)",
                        _EVALUATION, theme="impact", ask=("site.evaluation.planned",)),
)
"""Funding and leadership are the two failures the guidance returns to most ("early financial
planning is essential"; "a leader with drive and dedicated time"): how long the money lasts, how
much of it there is a year and how much time the lead has are the facts of them a board asks first
(an unknown budget could hide a prohibitive cost), so a profile that describes either section but
leaves one of them out gets the question, not a guess. Local need is "key", and
needs listed without an assessment are groundwork before advising again, so whether they were
assessed is asked before any decision is given. The
services the area already runs decide between replication and duplication ("you need to look at
what you've got already"): without them a plan could fund a copy of what is there, so no decision
is given until they are listed (an empty list says there are none). A plan "setting out objectives,
targeted outcomes and a timeline" is what the guidance asks for "at the outset": an operational plan
described by its meetings and reviews alone (1509) says nothing of what the programme is to achieve
here, by when, so at least one of the three is asked before any decision. Whether impact will be shown
is the question on which a programme's continuation turned ("key to the continuation of the
project was the demonstrable impact"; providers not delivering outcomes should be decommissioned):
a profile silent on evaluation is asked, however much else it says about sharing its results."""


def _asked(group: DecisiveInformation, site: SiteProfile) -> bool:
    if any(stated_in_site(site, f) for f in group.fields):
        return False
    if group.answered_by is not None and group.answered_by(site):
        return False
    if group.within and not any(stated_in_site(site, f) for f in group.within):
        return False  # the whole section is asked for instead
    return not (group.unless_false is not None and getattr(site.leadership, group.unless_false) is False)


PROGRAMME_COST = DecisiveInformation(
    "The programme's yearly cost is not stated, so whether the site can afford it cannot be judged",
    ("programme.costs.annual_cost",))
"""The programme's own figure that a budget is judged against: the guidance asks "that costs are not
prohibitive", and the same programme four times over the budget is groundwork first, so a
programme with no cost is asked of its owner before a decision, as a site's budget is (1899 was
told to go ahead once the cost was written down, whatever it turned out to be)."""


def decisive_missing(site: SiteProfile, programme: Programme | None = None) -> list[DecisiveInformation]:
    """The groups left out, each once: a group inside a wider one also left out is part of it (the
    lead's hours, where whether there is a lead at all is not stated either: 1588)."""
    asked = [group for group in DECISIVE if _asked(group, site)]
    costless = programme is not None and programme.costs.annual_cost is None
    return [*(group for group in asked if not any(set(group.fields) < set(other.fields) for other in asked)),
            *([PROGRAMME_COST] if costless else [])]


__all__ = ["DECISIVE", "PROGRAMME_COST", "DecisiveInformation", "decisive_missing"]
