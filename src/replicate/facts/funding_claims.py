"""Whether the site's own funding claims (self-funded or low cost; costs shared over institutions or
years) are borne out by the funding sources it lists.

The guidance says such costs are only "potentially mitigated". A tick beside "self-funded" is read
as the mitigation it claims unless the site's own list of sources and its budget say otherwise: a
programme costing more than the budget, paid for only by money from outside, is neither self-funded
nor low cost; one grant of a year or less from one funder spreads nothing over institutions or years.
Then the claim is counted as not made (and the plan says so), rather than letting an unbacked tick
lift a prohibitive cost to a condition.
"""

from __future__ import annotations

from ..schema import Funding

OWN_MONEY = frozenset({"core_budget", "self_funded"})
"""Source kinds that are the site's own money."""
OUTSIDE_MONEY = frozenset({"grant", "charitable"})
"""Source kinds from a funder outside the site and its partners (a core budget may be pooled across
departments, and "other" says nothing)."""


def self_funding_backed(funding: Funding, cost_to_budget: float | None) -> bool | None:
    """The self-funding claim as the sources bear it out: false where it is claimed but the programme
    costs more than the budget and no listed source is the site's own money."""
    claim = funding.self_funding
    if claim is not True or not funding.sources or cost_to_budget is None:
        return claim
    return not (cost_to_budget > 1 and not any(source.kind in OWN_MONEY for source in funding.sources))


def joined_up_backed(funding: Funding) -> bool | None:
    """The joined-up claim as the sources bear it out: false where it is claimed but the one source
    listed is a grant or charitable money from outside the partnership and runs no more than a year."""
    claim = funding.joined_up
    if claim is not True or not funding.sources or len(funding.sources) != 1:
        return claim
    [source] = funding.sources
    return not (source.kind in OUTSIDE_MONEY and source.months is not None and source.months <= 12)
