"""Site profiles for the benchmark, generated from the schema with a seeded random number generator.

The generator walks the pydantic models (`SiteProfile` and everything under it) rather than a
hand-written template, so the benchmark keeps exercising every field as the schema grows. Values
respect each field's constraints (ranges, vocabularies, id and tag patterns, list lengths), about a
third of optional fields are left out (unknown), and adaptations touch the programme's real
principles and components, so every profile is valid and the whole pipeline runs on it.
"""

from __future__ import annotations

import random
import types
import typing
from collections.abc import Sequence
from typing import Any, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from replicate.schema import Programme, SiteProfile
from replicate.schema.vocabulary import TAGGED_FIELDS

OPTIONAL_LEFT_OUT = 0.35
MAX_ITEMS = 4
EXTRA_TAGS = ("youth_activities", "school_health", "rural_transport", "speech_therapy", "play_and_leisure",
              "early_help")
"""Tags from the shipped vocabulary that the programme does not serve: local services beside it."""
EXTRA_CONDITIONS = ("parent_forum", "integrated_working_culture")
CONDITION_FIELDS = frozenset(field for fields in TAGGED_FIELDS.values() for field, kind in fields.items()
                             if kind == "conditions")
"""The fields whose tags are conditions (a site's conditions, what an adaptation works around), not needs."""


def _shipped_recordable() -> list[str]:
    from replicate.actions_done import recordable_rules
    from replicate.rules.rulebase import load_rule_base

    return recordable_rules(load_rule_base().by_id())


class ProfileGenerator:
    """Makes valid site profiles (as plain JSON-like dicts) for one programme."""

    def __init__(self, programme: Programme, seed: int = 1, recordable: Sequence[str] | None = None) -> None:
        self.rng = random.Random(seed)
        # A record of an action done names a rule whose action may be recorded: the schema cannot say
        # which, the rule base can (the shipped one unless given).
        self.recordable = sorted(recordable if recordable is not None else _shipped_recordable())
        self.programme = programme
        # Needs and conditions are separate vocabularies: a site draws each from its own.
        self.needs = sorted({t for c in programme.components for t in c.serves} | set(EXTRA_TAGS))
        self.conditions = sorted(set(programme.proven_context.relies_on) | set(EXTRA_CONDITIONS))
        self.targets = sorted({p.id for p in programme.principles} | {c.id for c in programme.components})

    def site(self, index: int) -> dict[str, Any]:
        data = self._model(SiteProfile, "site")
        data["id"] = f"site-{index}"
        return data

    # -- the walk ---------------------------------------------------------------------------------

    def _model(self, model: type[BaseModel], path: str) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name, info in model.model_fields.items():
            if not info.is_required() and self.rng.random() < OPTIONAL_LEFT_OUT:
                continue
            if path == "site" and name == "actions_done":
                rules = self.rng.sample(self.recordable, self.rng.randint(0, min(2, len(self.recordable))))
                data[name] = [{"rule": rule, "evidence": "Minutes of the partnership board"} for rule in rules]
                continue
            value = self._value(info.annotation, info, f"{path}.{name}", name)
            if value is not None:
                data[name] = value
        return data

    def _value(self, annotation: Any, info: FieldInfo | None, path: str, name: str) -> Any:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            base, *extras = get_args(annotation)
            return self._scalar(base, [*extras, *(info.metadata if info else [])], path, name)
        if origin in (Union, types.UnionType):
            options = [a for a in get_args(annotation) if a is not type(None)]
            return self._value(options[0], info, path, name)
        if origin is Literal:
            return self.rng.choice(get_args(annotation))
        if origin is list:
            (item,) = get_args(annotation)
            minimum = _bound(info.metadata if info else [], annotated_types.MinLen, "min_length", 0)
            count = self.rng.randint(int(max(minimum, 0)), int(max(minimum, MAX_ITEMS)))
            items = [self._value(item, None, f"{path}[{i}]", name) for i in range(count)]
            if isinstance(item, type) and issubclass(item, BaseModel) and "id" in item.model_fields:
                for i, entry in enumerate(items):
                    entry["id"] = f"{name}-{i}"
            if items and isinstance(items[0], str):
                items = sorted(set(items))
            return items
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return self._model(annotation, path)
        return self._scalar(annotation, info.metadata if info else [], path, name)

    def _scalar(self, base: Any, metadata: list[Any], path: str, name: str) -> Any:
        if base is bool:
            return self.rng.random() < 0.5
        if base is int or base is float:
            low = _bound(metadata, (annotated_types.Ge, annotated_types.Gt), None, 0)
            high = min(_bound(metadata, (annotated_types.Le, annotated_types.Lt), None, 100), 100)
            if base is int:  # small counts (0, 1, 2) decide most rules, so they come up often
                return self.rng.choice([int(low), int(low) + 1, int(low) + 2, self.rng.randint(int(low), int(high))])
            return round(self.rng.uniform(max(low, 0.5), max(high, 1)), 1)
        if base is str:
            pattern = next((getattr(m, "pattern", None) for m in metadata if getattr(m, "pattern", None)), None)
            if name == "touches":
                return self.rng.choice(self.targets)
            if name == "programme":
                return self.programme.id
            if name == "currency":
                return "GBP"
            if pattern and pattern.startswith("^[a-z0-9]"):
                return self.rng.choice(self.conditions if name in CONDITION_FIELDS else self.needs)
            if pattern:
                return f"{name}-{self.rng.randint(0, 999)}"
            return f"{name.replace('_', ' ')} {self.rng.randint(0, 999)}"
        if get_origin(base) is Literal:
            return self.rng.choice(get_args(base))
        return self._value(base, None, path, name)


def _bound(metadata: list[Any], kinds: Any, attribute: str | None, default: float) -> float:
    for item in metadata:
        if isinstance(item, kinds):
            for attr in (attribute, "ge", "gt", "le", "lt", "min_length"):
                if attr and hasattr(item, attr):
                    return float(getattr(item, attr))
    return default
