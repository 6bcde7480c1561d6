"""The catalogue of what a site can change about itself (`catalogue.yaml`), as checked models.

It is data rather than code so that a reviewer can read, in one page, every change `whatif` will
ever propose; the values a change tries come from the rules' conditions, never from here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from importlib.resources import files
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from ruamel.yaml import YAML

from ..schema import Programme

Scalar = str | int | float | bool


class _Spec(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)


class Via(_Spec):
    """The derived field the rules read in place of a profile field, and how the two relate."""

    field: str
    times: str | None = Field(None, description="derived = profile value / this programme field")
    divides: str | None = Field(None, description="derived = this programme field / profile value")

    @model_validator(mode="after")
    def _one_relation(self) -> Via:
        if (self.times is None) == (self.divides is None):
            raise ValueError("give exactly one of 'times' and 'divides'")
        return self


class Together(_Spec):
    """The same change made to several items at once, offered as one change: terms signed with each
    service a programme builds on are one piece of work (a service map agreed), and one service's
    terms alone settle nothing while the others' are open, so single changes could never show it."""

    where: str | None = Field(
        default=None, pattern=r"^[a-z_]+\.[a-z_]+$", description="A true/false fact of the item's subject, such as "
        "service.overlaps_programme: only items where it is true are changed (left out: every item that needs it).")
    label: str = Field(min_length=1, description="The change in plain words; {items} lists the items' names.")
    with_item: dict[str, Scalar] = Field(
        default_factory=dict, description="Other fields of each item set with it: a critical partner is on board "
        "once consulted and seeing a benefit, and either alone moves nothing, so single changes never showed the "
        "plan's one condition as the way to go (1848).")
    with_: dict[str, Scalar] = Field(
        default_factory=dict, alias="with", description="Fields of the site set with it: a plan reshaped with "
        "every partner is a plan the stakeholders shaped, the one condition a plan imposed on its partners has, "
        "which changes partner by partner never reached in three (2206).")


class ChangeSpec(_Spec):
    path: str = Field(pattern=r"^[a-z_]+(\[\])?(\.[a-z_]+(\[\])?)*$")
    label: str = Field(min_length=1)
    to: tuple[Scalar, ...] | None = None
    direction: Literal["up", "down"] | None = None
    max: float | str | None = None
    via: Via | None = None
    add: tuple[str, ...] | None = None
    withdraw: bool = False
    together: Together | None = None
    spread: str | None = Field(default=None, pattern=r"^[a-z_]+(\.[a-z_]+)*\[\]\.[a-z_]+$")
    """A number field of a list's items raised with this one, so that between them the items cover
    the new value: the source that secured the months is extended with them. Securing the rest of a
    run was two changes (the months, and a source's months), so three conditions took four (1604)."""
    unstated: str | None = Field(default=None, pattern=r"^[a-z_]+$")
    """An item field the change is offered only where the item leaves it out: funding confirmed for
    the rest of the run, from a source whose length nobody has given (a stated one is extended)."""
    with_: dict[str, Scalar] = Field(default_factory=dict, alias="with")
    """Fields set with it, as one change, where the site has less: a lead named with the hours and
    qualities the plan's condition asks of one (named alone, the lead's hours are unknown and the
    decision waits for them). A value `param.NAME` is the rule base's parameter of that name, and
    `programme.FIELD` the programme's number (funding confirmed for the rest of its run)."""

    @model_validator(mode="after")
    def _together_needs_one_value(self) -> ChangeSpec:
        if self.together is not None and (self.to is None or len(self.to) != 1 or "[]" not in self.path):
            raise ValueError("'together' needs an item field ('[]' in the path) and exactly one value in 'to'")
        return self


class AnswerSpec(_Spec):
    path: str
    from_: str = Field(alias="from")
    where: str | None = None
    """An item field that must not be false for the item's values to count (a component's
    `serves_local_need`: what it serves is no need an area shows otherwise, 2148)."""
    label: str


class Catalogue(_Spec):
    changes: tuple[ChangeSpec, ...]
    fixed: tuple[str, ...]
    answers: tuple[AnswerSpec, ...] = ()

    @model_validator(mode="after")
    def _nothing_fixed_changes(self) -> Catalogue:
        for change in self.changes:
            together = change.together.with_ if change.together is not None else {}
            for path in (change.path, *change.with_, *together, *([change.spread] if change.spread else [])):
                for fixed in self.fixed:
                    if path == fixed or path.startswith(fixed + "."):
                        raise ValueError(f"{path} is listed as fixed ({fixed}) and cannot be a change")
        return self

    def changes_for(self, pattern: str) -> tuple[ChangeSpec, ...]:
        """Every change listed for a field: a list such as the local conditions has one per tag
        that may be added (an agreement signed; cross-boundary working agreed)."""
        return tuple(c for c in self.changes if c.path == pattern)

    def change_for(self, pattern: str) -> ChangeSpec | None:
        """The first change listed for a field (what an answer to it is phrased from)."""
        return next(iter(self.changes_for(pattern)), None)

    def answer_for(self, pattern: str) -> AnswerSpec | None:
        return next((a for a in self.answers if a.path == pattern), None)


@cache
def load_catalogue() -> Catalogue:
    """The shipped catalogue. A broken catalogue is a packaging bug, so it fails loudly."""
    text = files(__package__).joinpath("catalogue.yaml").read_text(encoding="utf-8")
    data = YAML(typ="safe", pure=True).load(text)
    try:
        return Catalogue.model_validate(data)
    except ValidationError as error:  # pragma: no cover - the shipped file is tested
        raise RuntimeError(f"whatif/catalogue.yaml is invalid: {error}") from None


def programme_values(programme: Programme, path: str, where: str | None = None) -> list[Any]:
    """Every value at a dotted `programme.` path, looking inside lists of objects on the way:
    `programme.components.serves` is every tag any component serves; with `where`, only of the
    objects whose field of that name is not false."""
    head, _, rest = path.partition(".")
    if head != "programme" or not rest:
        raise ValueError(f"not a programme field: {path}")
    found: list[Any] = []

    def walk(value: Any, parts: list[str]) -> Iterator[Any]:
        if isinstance(value, list):
            for item in value:
                yield from walk(item, parts)
        elif not parts:
            if value is not None:
                yield value
        elif isinstance(value, dict) and not (where is not None and value.get(where) is False):
            yield from walk(value.get(parts[0]), parts[1:])

    found.extend(walk(programme.model_dump(mode="json"), rest.split(".")))
    return found


def programme_number(programme: Programme, bound: float | str) -> float | None:
    """A bound given as a number or as a programme field (None when the programme leaves it out)."""
    if isinstance(bound, int | float):
        return float(bound)
    values = programme_values(programme, bound)
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    return float(numbers[0]) if numbers else None


def companion_value(wanted: Scalar, programme: Programme, parameters: Mapping[str, float]) -> Scalar | None:
    """A value the catalogue sets `with` a change: as written, or the rule base's parameter it
    names, or the programme's number (None when either is missing, and nothing is set)."""
    if isinstance(wanted, str) and wanted.startswith("param."):
        return parameters.get(wanted.removeprefix("param."))
    if isinstance(wanted, str) and wanted.startswith("programme."):
        number = programme_number(programme, wanted)
        return None if number is None else int(number) if number == int(number) else number
    return wanted
