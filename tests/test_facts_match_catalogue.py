"""Every value in every fact is a field rule authors can read, with the type the field reference
gives it. Derived values are built as plain dicts (for speed), so this is what catches a misspelt
or mistyped derived field: it would appear in facts but not in the catalogue, or with another type."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from strategies import programme_and_site

from replicate.conditions.fields import FieldType
from replicate.facts import FactBuilder, Value
from replicate.loading import load_programme, load_site
from replicate.rules.fields import catalogue

CATALOGUE = catalogue()


def _type_of(value: Value) -> FieldType:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "list"


@settings(max_examples=80, deadline=None)
@given(programme_and_site())
def test_every_fact_value_is_a_catalogued_field_of_its_type(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    programme, site = pair
    for fact in FactBuilder(load_programme(programme), load_site(site)).subject_facts():
        for path, value in fact.values.items():
            if value == () and path not in CATALOGUE:
                continue  # an empty list of objects (no outcome figures) flattens like an empty list of tags
            assert path in CATALOGUE, f"{fact.subject} fact has {path}, which rules cannot name"
            assert _type_of(value) == CATALOGUE[path].type, f"{path} = {value!r}, not a {CATALOGUE[path].type}"
            if CATALOGUE[path].choices and isinstance(value, str):
                assert value in CATALOGUE[path].choices, (path, value)
