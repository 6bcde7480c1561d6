"""Whether the site's own funding claims (self-funded or low cost; costs shared over institutions or
years) are borne out by the funding sources it lists.

The guidance says such costs are only "potentially mitigated". A tick beside "self-funded" is read
as the mitigation it claims unless the site's own list of sources and its budget say otherwise: a
programme costing more than the budget, paid for only by money from outside, is neither self-funded
nor low cost, nor is one whose own money is a one-off that runs out before the programme does (670);
one grant of a year or less from one funder spreads nothing over institutions or years, nor does
one source no partner brings money to, however many years it runs (668: the guidance's costs are
spread "over more institutions by schools working together").
Then the claim is counted as not made, rather than letting an unbacked tick lift a prohibitive cost
to a condition or stand as a strength.
"""

from __future__ import annotations

from collections.abc import Collection

from ..schema import Funding

OWN_MONEY = frozenset({"core_budget", "self_funded"})
"""Source kinds that are the site's own money."""
OUTSIDE_MONEY = frozenset({"grant", "charitable"})
"""Source kinds from a funder outside the site and its partners (a core budget may be pooled across
departments, and "other" says nothing)."""


def self_funding_backed(funding: Funding, cost_to_budget: float | None, run_months: float) -> bool | None:
    """The self-funding claim as the sources bear it out: false where it is claimed but every listed
    source is a grant or charitable money from outside, or the programme costs more than the budget and
    no listed source is the site's own money, or every source of its own money is time-limited or
    uncertain and runs out before the programme's run does."""
    claim = funding.self_funding
    if claim is not True or not funding.sources:
        return claim
    own = [source for source in funding.sources if source.kind in OWN_MONEY]
    if all(source.kind in OUTSIDE_MONEY for source in funding.sources):
        return False  # paid for wholly by an outside funder: not self-funded, whatever it costs (834)
    if own and all(source.stability != "secure" and source.months is not None and source.months < run_months
                   for source in own):
        return False
    if cost_to_budget is None:
        return claim
    return not (cost_to_budget > 1 and not own)


def joined_up_backed(funding: Funding, partners_bring: Collection[str], every_partner_said: bool) -> bool | None:
    """The joined-up claim as the sources bear it out: false where it is claimed but the one source
    listed is a grant or charitable money from outside the partnership that runs no more than a year,
    or is no partner's contribution while every partner says what it brings and none brings funding or
    resources (a federation's pooled budget is one source, with its member schools bringing the money, or
    the teachers' time it pays for: 945). Open
    while a partner leaves out what it brings: a blank is neither a partner paying in nor not."""
    claim = funding.joined_up
    if claim is not True or not funding.sources or len(funding.sources) != 1:
        return claim
    [source] = funding.sources
    if source.kind in OUTSIDE_MONEY and source.months is not None and source.months <= 12:
        return False
    if source.kind == "partner_contribution" or {"funding", "resources"} & set(partners_bring):
        return claim
    return False if every_partner_said else None
