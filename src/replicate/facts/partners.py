"""What the site's partners add up to: counts the partnership rules compare, worked out in
three-valued logic (facts/threeway.py) so that a partner's blank is never read as a "no".

Counts compared with "at least one" or "none" count the partners known to (one blank does not hide
six that meet); a count compared with a higher line comes with its bounds, so that a rule is decided
where the blanks cannot carry it across the line and asks only where they could.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..schema import Partner, Programme
from ..schema.common import PartnerType
from .threeway import all_of, any_of, at_least_count, count_of, known_subset, negate
from .types import YEARS_FOR_ESTABLISHED_RELATIONSHIP, distinct


def commissioning_body(lead_type: PartnerType | None) -> str:
    """Who commissions the programme and signs off its plans here, in the plan's words: a school or
    trust that leads it answers to its governing board, and has no commissioner to hand work to
    (round 61 C, 2198: a head read "owner: commissioner" for the cluster's own decisions)."""
    return "governing board" if lead_type == "education" else "commissioner"


def partner_facts(partners: Sequence[Partner], programme: Programme,
                  lead_type: PartnerType | None = None) -> dict[str, Any]:
    """The site's derived partner values (documented in derived.py's SiteDerived). The lead organisation's
    own kind is no missing partner: a council's youth justice service was told to find who covers "the
    local authority partner" (923, 932, 941)."""
    critical = known_subset(list(partners), lambda p: p.critical)
    contributions = [p.brings for p in partners]
    proven_agencies = programme.proven_context.agencies
    cut_off = [all_of((p.critical, negate(p.regular_meetings), negate(p.shares_information))) for p in partners]
    missing_types = set(programme.proven_context.partner_types) - {p.type for p in partners} - {lead_type}
    involved = [p for p in partners if _involved(p)]
    any_said = any(brings is not None for brings in contributions)  # what one brings is known whatever the rest say
    return dict(
        partner_count=len(partners),
        critical_partner_count=count_of(p.critical for p in partners),
        partners_meeting_regularly=at_least_count(p.regular_meetings for p in partners),
        delivery_partner_count=(delivery := count_of(any_of((p.critical, p.regular_meetings)) for p in partners)),
        # The guidance's single-agency case: a focused outcome, partners not critical to it. False,
        # not unknown, for any other programme, so that what-if never reads a partner's meetings as
        # able to move the rules it guards (the tipping point stayed out of reach for the CAF model).
        single_agency_approach=bool(programme.focused_outcome is True and delivery is not None and delivery <= 1),
        partners_without_regular_meetings=count_of(negate(p.regular_meetings) for p in partners),
        # A history counts while the partners are still in touch: one that has lapsed (no meetings,
        # no informal contact, nothing shared) is not people who know each other (688).
        partners_with_live_history=at_least_count(
            all_of((None if p.years_relationship is None
                    else p.years_relationship >= YEARS_FOR_ESTABLISHED_RELATIONSHIP,
                    any_of((p.regular_meetings, p.informal_contact, p.shares_information))))
            for p in partners
        ),
        partners_consulted=count_of(p.consulted for p in partners),
        every_partner_has_role=True if partners and all(p.role for p in partners) else None,  # never false
        partners_with_informal_contact=at_least_count(p.informal_contact for p in partners),
        partners_sharing_information=at_least_count(p.shares_information for p in partners),
        critical_partners_not_sharing=count_of(all_of((p.critical, negate(p.shares_information))) for p in partners),
        partners_seeing_mutual_benefit=count_of(p.sees_mutual_benefit for p in partners),
        critical_partners_without_regular_meetings=(
            None if critical is None else count_of(negate(p.regular_meetings) for p in critical)
        ),
        critical_partners_cut_off_names=distinct(p.name for p, off in zip(partners, cut_off, strict=True) if off),
        **_bounded("critical_partners_cut_off", cut_off),
        critical_partners_not_on_board=(
            None if critical is None
            else at_least_count(any_of((negate(p.consulted), negate(p.sees_mutual_benefit))) for p in critical)
        ),
        critical_partners_not_on_board_names=distinct(
            p.name for p in partners
            if p.critical and any_of((negate(p.consulted), negate(p.sees_mutual_benefit)))
        ),
        all_critical_partners_meet_regularly=(
            None if not critical else all_of(p.regular_meetings for p in critical)
        ),
        partner_contributions=_brought(partners) if any_said else None,
        involved_partner_contributions=_credited(involved) if any_said else None,
        **{f"partners_bringing_{kind}": distinct(p.name for p in involved if set(_credited_to(p)) & things)
           for kind, things in _CONTRIBUTIONS.items()},
        every_partner_states_contributions=(  # never false, like every_partner_has_role
            True if partners and all(brings is not None for brings in contributions) else None
        ),
        agencies_to_proven=(
            round(len(partners) / proven_agencies, 4) if proven_agencies else None
        ),
        missing_partner_types=distinct(missing_types),
        missing_partner_type_count=len(missing_types),
    )


def _brought(partners: Sequence[Partner]) -> tuple[str, ...]:
    return distinct(item for p in partners if p.brings for item in p.brings)


def _credited(partners: Sequence[Partner]) -> tuple[str, ...]:
    return distinct(item for p in partners for item in _credited_to(p))


def _credited_to(partner: Partner) -> tuple[str, ...]:
    """What the partnership strengths credit an involved partner with: what it brings, except the
    profile or credibility of one that sees no benefit for its own service. A partner cannot be
    relied on to vouch for a programme it sees nothing in: 1694 credited the head teachers' cluster
    with credibility while saying it saw no benefit."""
    return tuple(item for item in partner.brings or ()
                 if item not in _ADVOCACY or partner.sees_mutual_benefit is not False)


_ADVOCACY = frozenset({"profile", "credibility"})


def _involved(partner: Partner) -> bool:
    """Whether the partner is known to take part: consulted, meeting the programme, sharing with it,
    in informal contact or seeing a benefit for its own service. What a partner on the letterhead
    only says it brings is not yet a strength of the partnership (828, 836)."""
    return any_of((partner.consulted, partner.regular_meetings, partner.shares_information,
                   partner.informal_contact, partner.sees_mutual_benefit)) is True


_CONTRIBUTIONS = {"skills": {"skills"}, "funding": {"funding", "resources"}, "profile": {"profile", "credibility"}}
"""What the partnership strengths credit, by the involved partners' `brings`: named, so that a board
sees who."""


def _bounded(name: str, flags: list[bool | None]) -> dict[str, int | None]:
    """A count, and the fewest and most it can be while some flags are unknown: a rule drawing a line
    above one ("two or more partners cut off") is decided by the bounds when they fall on one side
    of it, and asks only when the unknowns could carry the count across."""
    known = sum(1 for flag in flags if flag)
    return {name: count_of(flags), f"{name}_at_least": known,
            f"{name}_at_most": known + sum(1 for flag in flags if flag is None)}
