"""Three-valued logic over answers a profile may leave out.

A derived value is known only when what it is worked out from is known, so "not stated" can never
turn into "no" or "none": a partner whose information sharing is not stated must not be counted as
one that does not share. The fact builder works out every count and flag over partners, services
and sources with these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


def negate(value: bool | None) -> bool | None:
    return None if value is None else not value


def count_of(flags: Iterable[bool | None]) -> int | None:
    """How many are true, or unknown if any is unknown."""
    values = list(flags)
    return None if any(v is None for v in values) else sum(1 for v in values if v)


def at_least_count(flags: Iterable[bool | None]) -> int | None:
    """How many are known true, when that is at least one; unknown only when none is known true and
    some are unknown. A count rules compare with "at least one" or "none": one partner leaving a
    field out does not hide that six others meet, nor make "none meets" a question."""
    values = list(flags)
    known = sum(1 for v in values if v)
    if known:
        return known
    return None if any(v is None for v in values) else 0


def any_of(flags: Iterable[bool | None]) -> bool | None:
    """True if any is true; false only if every one is known false; otherwise unknown."""
    values = list(flags)
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def all_of(flags: Iterable[bool | None]) -> bool | None:
    """False if any is false; true only if every one is known true; otherwise unknown."""
    values = list(flags)
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def known_subset(items: list[T], test: Callable[[T], bool | None]) -> list[T] | None:
    """The items the test is true of, or unknown if the test is unknown for any of them."""
    results = [test(item) for item in items]
    if any(r is None for r in results):
        return None
    return [item for item, result in zip(items, results, strict=True) if result]
