"""What the condition language needs to know of a field: its path, its type and its values.

The catalogue of fields itself is built from the input models in `replicate.rules.fields`; the
checker and the analysis here take it as a mapping, so the language does not depend on the schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FieldType = Literal["boolean", "number", "string", "list"]


@dataclass(frozen=True)
class FieldSpec:
    path: str
    type: FieldType
    description: str
    choices: tuple[str, ...] = ()
    """Allowed values of a string field, or of the items of a list field; empty means free text."""
    derived: bool = False

    @property
    def namespace(self) -> str:
        return self.path.split(".", 1)[0]


__all__ = ["FieldSpec", "FieldType"]
