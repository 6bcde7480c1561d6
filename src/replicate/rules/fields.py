"""The vocabulary of the rule language: every field a condition may name, with its type.

Generated from the input models and the derived-fact models, so the checker, the reference
documentation for rule authors and the engine can never disagree about what a field is called or
what values it takes.
"""

from __future__ import annotations

import types
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from ..conditions.fields import FieldSpec, FieldType
from ..facts import DERIVED_MODELS, ITEM_SUBJECTS, Subject
from ..schema import (
    Component,
    CorePrinciple,
    ExistingService,
    Partner,
    PlannedAdaptation,
    Programme,
    SiteProfile,
)
from ..schema.common import unwrap

INPUT_MODELS: dict[str, type[BaseModel]] = {
    "programme": Programme,
    "site": SiteProfile,
    "principle": CorePrinciple,
    "component": Component,
    "partner": Partner,
    "service": ExistingService,
    "adaptation": PlannedAdaptation,
}


def scalar_type(annotation: Any) -> tuple[FieldType, tuple[str, ...]] | None:
    """A field's type as rules see it (and its allowed values), or None if it is not a scalar."""
    annotation = unwrap(annotation)
    if get_origin(annotation) is Literal:
        return "string", tuple(str(a) for a in get_args(annotation))
    if annotation is bool:
        return "boolean", ()
    if annotation in (int, float):
        return "number", ()
    if annotation is str:
        return "string", ()
    return None


def _walk(prefix: str, model: type[BaseModel], derived: bool) -> Iterator[FieldSpec]:
    for name, info in model.model_fields.items():
        path = f"{prefix}.{name}"
        annotation = unwrap(info.annotation)
        description = info.description or ""
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from _walk(path, annotation, derived)
            continue
        if get_origin(annotation) is list:
            item = scalar_type(get_args(annotation)[0])
            if item is not None and item[0] == "string":
                yield FieldSpec(path, "list", description, item[1], derived)
            continue  # lists of objects are reached through their own subject instead
        scalar = scalar_type(annotation)
        if scalar is not None:
            yield FieldSpec(path, scalar[0], description, scalar[1], derived)


@cache
def catalogue() -> dict[str, FieldSpec]:
    """Every field path a condition may name, whatever its subject."""
    specs: dict[str, FieldSpec] = {}
    for namespace, model in INPUT_MODELS.items():
        for spec in _walk(namespace, model, derived=False):
            specs[spec.path] = spec
    for namespace, model in DERIVED_MODELS.items():
        for spec in _walk(namespace, model, derived=True):
            if spec.path in specs:
                raise RuntimeError(f"derived field {spec.path} shadows an input field")
            specs[spec.path] = spec
    return specs


def namespaces_for(subject: Subject) -> tuple[str, ...]:
    """Which namespaces a rule about `subject` can see: its own, plus the site and programme."""
    if subject in ITEM_SUBJECTS or subject == "findings":
        return ("site", "programme", subject)
    return ("site", "programme")


@cache
def fields_for(subject: Subject) -> Mapping[str, FieldSpec]:
    """Read-only and made once per subject: loading the rule base asks for it hundreds of times."""
    visible = namespaces_for(subject)
    return types.MappingProxyType({path: spec for path, spec in catalogue().items() if spec.namespace in visible})
