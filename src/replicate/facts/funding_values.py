"""The site's derived funding values: how much of the run is paid for, what the money costs against
the budget, when the first outcomes arrive against the end of the money, and what the listed sources
add up to.

Kept apart from the fact builder because each value reads only the site's funding, the programme's
costs and its evidence lag, and because the rules on sustainability lean on them more than on any
other derived value: they are easier to check here, one function of plain inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..schema import Programme, SiteProfile
from .funding_claims import joined_up_backed, self_funding_backed
from .provenance import capped_by_sources, uncertain_after_secured
from .types import distinct


def funding_values(site: SiteProfile, programme: Programme, secured: float | None,
                   partner_values: Mapping[str, Any]) -> dict[str, Any]:
    """The funding values, each present only when what it is worked out from is known.

    `secured` is the months the site's money covers (stated, or worked out from its sources);
    `partner_values` the partner facts already derived, for whether partners bring money.
    """
    funding = site.funding
    run_months = programme.costs.duration_months
    values: dict[str, Any] = {}
    # Exact ratios: a rounded one would put a budget a pound above half the cost on the far side
    # of a 2x line (1.99997 read as 2). They are shown rounded, as percentages.
    if secured is not None:
        values["funding_coverage"] = secured / run_months
    lag = programme.evidence.outcomes_measured_after_months
    backed = capped_by_sources(site, secured)
    if backed is not None:
        # The money's end, not the run's: money secured past the run keeps the programme going, and
        # the decision on what comes next falls when it ends (1648: 48 months funded of a 24-month run).
        values["money_ends_month"] = backed
        if lag is not None:
            # From the first outcomes measured to the end of the money: the decision on what comes
            # next is due before the money ends (846).
            values["first_outcomes_to_money_end_months"] = backed - lag
    if funding.annual_budget and programme.costs.annual_cost is not None:
        values["cost_to_budget"] = programme.costs.annual_cost / funding.annual_budget
    values["self_funding_backed"] = self_funding_backed(funding, values.get("cost_to_budget"), run_months)
    values["joined_up_backed"] = joined_up_backed(
        funding, partner_values.get("partner_contributions") or [],
        site.partners == [] or partner_values.get("every_partner_states_contributions") is True)
    if funding.sources is not None:
        values["funding_source_count"] = len(funding.sources)
        values["uncertain_funding_sources"] = sum(1 for s in funding.sources if s.stability == "uncertain")
        values["uncertain_funding_after_secured"] = uncertain_after_secured(funding)
        months = [s.months for s in funding.sources]
        stated_total = sum(m for m in months if m is not None)
        # A source that leaves its months out can only add to the total: once the others reach
        # the months secured, no answer could show the sources short of them (1087).
        if months and (None not in months or (funding.months_secured is not None
                                              and stated_total >= funding.months_secured)):
            values["source_months_total"] = stated_total
        values["secure_funding_sources"] = sum(1 for s in funding.sources if s.stability == "secure")
        values["funding_kinds"] = distinct([s.kind for s in funding.sources])
    return values
