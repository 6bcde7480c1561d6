"""An area "already runs everything the programme offers" only when each component carrying a core
principle is served whole by one existing service with room: pieced together from services that
share its need tags (a safeguarding hub's early help, a mental-health team's support for children),
the joining up the programme adds is missing, and refusing it would refuse it almost everywhere (1713)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from replicate.facts.coverage import serves_unmet_need
from replicate.schema import ExistingService

NEEDS = ("early_help", "information_sharing", "children_emotional_support")


def _service(name: str, covers: set[str], room: bool | None = True) -> ExistingService:
    return ExistingService.model_validate({"id": name, "name": name, "covers": sorted(covers), "has_capacity": room})


def test_a_core_component_pieced_together_from_two_services_is_a_need_left_to_meet() -> None:
    hub = _service("hub", {"early_help", "information_sharing"})
    camhs = _service("camhs", {"children_emotional_support"})
    core = [frozenset({"early_help", "information_sharing"}), frozenset({"children_emotional_support", "early_help"})]
    assert serves_unmet_need(set(NEEDS), [hub, camhs]) is False  # need by need, every one is met
    assert serves_unmet_need(set(NEEDS), [hub, camhs], core) is True


@given(core=st.lists(st.frozensets(st.sampled_from(NEEDS), min_size=1), min_size=1, max_size=3),
       room=st.sampled_from([True, False, None]))
def test_one_service_serving_every_core_component_whole_decides_by_its_room(
        core: list[frozenset[str]], room: bool | None) -> None:
    everything = _service("everything", set(NEEDS), room)
    unmet = serves_unmet_need(set(NEEDS), [everything], core)
    assert unmet is {True: False, False: True, None: None}[room]


SERVICES = st.lists(st.tuples(st.frozensets(st.sampled_from(NEEDS), min_size=1), st.sampled_from([True, False, None])),
                    max_size=3)


@given(core=st.lists(st.frozensets(st.sampled_from(NEEDS), min_size=1), max_size=3), services=SERVICES)
def test_core_components_only_ever_add_to_what_is_left_to_meet(
        core: list[frozenset[str]], services: list[tuple[frozenset[str], bool | None]]) -> None:
    listed = [_service(f"s{n}", set(covers), room) for n, (covers, room) in enumerate(services)]
    by_need = serves_unmet_need(set(NEEDS), listed)
    with_core = serves_unmet_need(set(NEEDS), listed, core)
    if by_need is True:
        assert with_core is True
    if with_core is False:
        assert by_need is False
