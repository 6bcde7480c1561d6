"""What the area's existing services cover of a programme: whether a component meets a need the
site has shown, whether the services meeting a component have room for it, and whether some need
is left for a replication to add. Room is judged need by need, since two services may split one
component between them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..schema import Component, ExistingService
from .threeway import all_of, any_of, negate


def room_for(component: Component, covering: Sequence[ExistingService]) -> bool | None:
    """Whether the services meeting a component's needs have room for it: each need it serves that
    a service meets is met by one with room (two services splitting a component between them must
    both have room; one full leaves its part of the need unserved)."""
    return all_of(any_of(s.has_capacity for s in covering if tag in s.covers)
                  for tag in component.serves if any(tag in s.covers for s in covering))


def fully_covered(component: Component, covering: Sequence[ExistingService], carries_core: bool) -> bool:
    """Whether existing services serve every need the component serves. One that carries a core
    principle counts only when one service serves it all: pieced together from several (family
    support here, a treatment service there) the joining up the programme exists to add is missing,
    so it is delivered whole beside them, not built on them (723)."""
    if carries_core:
        return bool(serving_whole(component.serves, covering))
    return set(component.serves) <= {tag for s in covering for tag in s.covers}


def serving_whole(needs: Iterable[str], services: Sequence[ExistingService]) -> list[ExistingService]:
    """The services, other than the site's own run of the programme, that each serve every one of
    `needs`: what a component carrying a core principle can be built on (723)."""
    wanted = set(needs)
    return [s for s in services if not s.runs_this_programme and wanted <= set(s.covers)]


def meets_need(component: Component, local_needs: Sequence[str]) -> bool:
    """Whether a component serves a need the site has shown; one that serves the programme itself
    is needed wherever the programme runs, so dropping it is never excused by the area's needs."""
    return not component.serves_local_need or bool(set(component.serves) & set(local_needs))


def serves_unmet_need(needed: set[str], services: Sequence[ExistingService],
                      core_needs: Sequence[frozenset[str]] = ()) -> bool | None:
    """Whether some local need the programme serves is met by no existing service with room: the
    part a replication would add. A need met only by full services is still unmet for some families
    (extending them is the missing part); one met by services that do not say whether they have
    room is unknown. The site's own run of the programme meets none of it.

    So is what a component carrying a core principle serves (`core_needs`, its local needs), unless
    one service with room serves it all: pieced together from several, the joining up the programme
    exists to add is missing, as `fully_covered` reads it (723). A safeguarding hub's early help and
    a mental-health team's support for children are not a key adult in school (1713)."""
    unmet = []
    for need in needed:
        covering = [s for s in services if s.meets_any((need,))]
        unmet.append(negate(any_of(s.has_capacity for s in covering)) if covering else True)
    for serves in core_needs:
        whole = serving_whole(serves, services)
        unmet.append(negate(any_of(s.has_capacity for s in whole)) if whole else True)
    return any_of(unmet)


def carriers(component: Component, covering: Sequence[ExistingService]) -> list[ExistingService]:
    """The services that carry a component under signed terms: each serves every need it serves and
    has room. With one, the component is built on it, and the other services meeting its need are
    not asked for terms as well (2136 was told to sign up a full clinic beside the casework service
    that, with room and terms signed, already delivered the component)."""
    return [s for s in serving_whole(component.serves, covering) if s.has_capacity and s.terms_agreed]


def terms_agreed(component: Component, covering: Sequence[ExistingService]) -> bool:
    """Whether terms are signed with every service a component would build on: the plan names each
    of them as a service to build on, so one without terms leaves the hand-over unsettled; or a
    service carries it under signed terms (`carriers`)."""
    return bool(covering) and (all(s.terms_agreed for s in covering) or bool(carriers(component, covering)))


def without_terms(component: Component, covering: Sequence[ExistingService]) -> list[str]:
    """The names of the services a component would build on that have no terms signed for it: the
    ones a plan still asks the site to agree terms with (1748 asked again of a service signed up);
    none where a service carries it under signed terms."""
    if carriers(component, covering):
        return []
    return sorted(s.name for s in covering if not s.terms_agreed)


def without_room(covering: Sequence[ExistingService]) -> list[str]:
    """The names of the services a component would build on that the site says are full: the ones
    whose extra capacity is a term to agree (1749 named one with room as having none)."""
    return sorted(s.name for s in covering if s.has_capacity is False)


def unserved(components: Sequence[Component], covering: Sequence[Sequence[ExistingService] | None]) -> list[str]:
    """The names of the components no existing service meets any need of: the parts a replication
    would add whole, named where a plan tells a site to build on what exists and add only those."""
    return [c.name for c, services in zip(components, covering, strict=True) if not services]


def need_kept(component: Component, kept: Sequence[Component], services: Sequence[ExistingService] | None,
              local_needs: Sequence[str]) -> bool | None:
    """Whether every need the area has shown that a component left out serves is still served: by a
    part of the programme that stays (a step folded into another) or by a service the area runs.
    Unknown when only the services, not listed, could serve it. What a component serving the
    programme itself does (following up outcomes, training the workforce) is needed wherever the
    programme runs, whatever needs the area shows, so all of it must still be served (2091)."""
    left = set(component.serves) if not component.serves_local_need else set(component.serves) & set(local_needs)
    left -= {tag for c in kept for tag in c.serves}
    if not left:
        return True
    if services is None:
        return None
    return left <= {tag for s in services if not s.runs_this_programme for tag in s.covers}
