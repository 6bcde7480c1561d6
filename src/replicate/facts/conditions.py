"""The site's conditions against the ones the programme relied on: which are missing, and which
the site's planned adaptations work around.

A condition an adaptation works around is answered, not missing: it is judged once, by
FL-CONDITIONS-WORKED-AROUND, rather than as a gap the plan has already closed. What a core
principle needs is judged through the principle, and only the partnership board can agree another
way to give it what the condition provides (the route the principle's own finding offers): worked
around by a change the board decided to that principle, it is answered too; by anyone else, or for a
prerequisite the principle cannot be delivered without at all, still lacking.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from ..schema import ExistingService, SiteProfile
from ..schema.programme import PrincipleNeed

PARTNER_CLAIMS = frozenset({"partner_engagement_at_outset"})
"""Conditions that are facts about the site's partners, which its partners' own answers can contradict."""


def contradicted_conditions(site: SiteProfile) -> tuple[str, ...]:
    """Conditions the site lists that its own answers about its partners contradict: partners engaged
    at the outset, where every partner was, by the site's word, not consulted on the plan. Credited,
    the claim kept a CAF plan imposed on all its partners at one principle at risk, not two (1593);
    it is read as not made, as a self-funding claim the site's own sources contradict is."""
    partners = site.partners or ()
    if not partners or any(partner.consulted is not False for partner in partners):
        return ()
    return tuple(sorted(PARTNER_CLAIMS & set(site.conditions or ())))


def shown_conditions(site: SiteProfile) -> tuple[str, ...]:
    """Conditions the site does not list that its own answers about its partners show it has:
    partners engaged at the outset, where every partner was consulted on the plan, the plan was
    shaped with them, and every partner delivery depends on meets the programme regularly. A site
    that re-opened an imposed plan with its partners, as its plan asked, was otherwise told to put
    engagement "in place" by a date, which only listing the condition could meet (1809). Consulted
    alone is not enough: a critical partner consulted but not meeting, its force mid-restructure, is
    not engaged (933)."""
    partners = site.partners or ()
    if (site.conditions is None or not partners or site.leadership.co_designed is not True
            or any(partner.consulted is not True for partner in partners)
            or any(partner.critical is not False and partner.regular_meetings is not True for partner in partners)):
        return ()
    return tuple(sorted(PARTNER_CLAIMS - set(site.conditions)))


def partner_judged(site: SiteProfile) -> tuple[str, ...]:
    """Missing conditions the findings on the site's partners already judge before launch: partner
    engagement at the outset, where the plan was not shaped with partners or a partner critical to
    delivery was not consulted. Those findings' action (re-open the plan with the partners, consult
    each) is how engagement is put in place, so it is not asked again as a condition to "put in
    place" by a date (1809)."""
    critical_not_consulted = any(p.critical and p.consulted is False for p in site.partners or ())
    if site.leadership.co_designed is False or critical_not_consulted:
        return tuple(sorted(PARTNER_CLAIMS))
    return ()


def held(site: SiteProfile) -> tuple[SiteProfile, tuple[str, ...]]:
    """The site as the rules read it, with the conditions its own answers contradict taken out and
    those they show added, and the conditions taken out."""
    dropped, shown = contradicted_conditions(site), shown_conditions(site)
    if not (dropped or shown) or site.conditions is None:
        return site, ()
    conditions = [c for c in site.conditions if c not in dropped] + list(shown)
    return site.model_copy(update={"conditions": conditions}), dropped


def condition_facts(relied_on: Iterable[str], conditions: Iterable[str], answered: Iterable[str] | None,
                    needed: set[str], maybe_answered: Iterable[str] = (),
                    partner_asks: Iterable[str] = ()) -> dict[str, object]:
    """The site's derived condition values, from the conditions the programme relied on, those the
    site lists, those its plan works around (`works_around`) and those core principles need.

    A condition only a service of unstated room would work around (`maybe_answered`) is neither
    missing nor worked around until the site says: if it is all that stands between the site and
    every condition, the values are unknown and the plan asks; if other conditions are missing
    anyway, it is listed with them, for the finding is the same either way and the site does lack it.
    A missing condition in `partner_asks` stays missing but is not among the "other" ones."""
    lacking = set(relied_on) - set(conditions)
    worked_around = (lacking - needed) & set(answered or ())
    undecided = (lacking - needed - worked_around) & set(maybe_answered)
    if undecided and not lacking - worked_around - undecided:
        return dict.fromkeys(("worked_around_conditions", "worked_around_condition_count",
                              "worked_around_besides_transport", "worked_around_besides_transport_count",
                              "missing_conditions", "missing_condition_count", "missing_other_conditions",
                              "missing_other_condition_count"))
    missing = tuple(sorted(lacking - worked_around))
    judged_elsewhere = needed | set(partner_asks)
    other = tuple(c for c in missing if c not in judged_elsewhere)
    # Public transport worked around is the travel findings' to check (the journeys); the others
    # are checked by a finding of their own, which no travel finding absorbs (1638).
    besides_transport = tuple(sorted(worked_around - {"public_transport"}))
    return {
        "worked_around_conditions": tuple(sorted(worked_around)),
        "worked_around_condition_count": len(worked_around),
        "worked_around_besides_transport": besides_transport,
        "worked_around_besides_transport_count": len(besides_transport),
        "missing_conditions": missing,
        "missing_condition_count": len(missing),
        "missing_other_conditions": other,
        "missing_other_condition_count": len(other),
    }


def _transport_services(site: SiteProfile) -> list[ExistingService]:
    """The listed services that provide rural transport (a community transport scheme, say)."""
    return [s for s in site.existing_services or () if "rural_transport" in s.covers]


def transport_room(site: SiteProfile) -> bool | None:
    """Whether a listed service that provides rural transport (a community transport scheme) has
    room for the programme's families: unknown when none is said to and one leaves its room out."""
    schemes = [s.has_capacity for s in _transport_services(site)]
    if any(room is True for room in schemes):
        return True
    return None if any(room is None for room in schemes) else False


def travel_answers(site: SiteProfile) -> tuple[str, ...]:
    """What the plan relies on to bring people to the programme without public transport, by name:
    the adaptations marked as working around it, and listed services with room that provide rural
    transport. A finding that says the plan answers travel names them: 1617 read `site.works_around`
    as a fact the site never gave, where a listed youth bus with room had given it."""
    adapted = [f'adaptation "{a.id}"' for a in site.adaptations if "public_transport" in (a.works_around or ())]
    carried = [f"{s.name}, a transport service with room" for s in _transport_services(site) if s.has_capacity]
    return (*adapted, *carried)


def works_around(site: SiteProfile) -> tuple[str, ...] | None:
    """The conditions the site's plan works around: those its adaptations name, and public transport
    where a listed service provides rural transport and is said to have room. Unknown when public
    transport turns on a scheme whose room is not stated: it is asked about, neither counted as
    carrying the families nor as not. A site that has public transport as well is not worse off for
    it: a scheme with room still carries the families the buses do not reach, and only a scheme known
    to have room counts, since the buses already answer the question (1485)."""
    tags = {tag for a in site.adaptations for tag in a.works_around or ()}
    if "public_transport" not in tags:
        room = transport_room(site)
        has_buses = "public_transport" in (site.conditions or ())
        if room is None and not has_buses:
            return None
        if room:
            tags.add("public_transport")
    return tuple(sorted(tags))


def board_worked_around(site: SiteProfile, targets: Collection[str]) -> frozenset[str]:
    """The conditions a change the partnership board decided to the principle, or to a component
    carrying it (`targets`), works around: the board's agreed alternative, which is how a core
    principle may do without a condition it needs that is no prerequisite (1189). A change to some
    other part of the model that merely names the condition answers nothing for it (1253)."""
    return frozenset(tag for a in site.adaptations if a.decided_by == "partnership_board" and a.touches in targets
                     for tag in a.works_around or ())


def unmet_conditions(met_each: Sequence[tuple[PrincipleNeed, bool | None]]) -> list[str] | None:
    """The conditions a principle needs that the site is known to lack; unknown while none is known
    lacking and some is not stated, so a rule asking for one of them waits for the answer."""
    conditions = [(need.condition, ok) for need, ok in met_each if need.condition is not None]
    lacking = sorted(condition for condition, ok in conditions if ok is False)
    return lacking if lacking or all(ok is not None for _, ok in conditions) else None
