"""The guidance the rule base encodes: its seven themes and 68 factors, with stable ids.

`factors.yaml` is the project's copy of the factor list (NFER, "How to sustain and replicate
effective local practice", 2011). Rules cite factor ids, so coverage of the guidance is checked by
machine: every factor must be encoded by at least one rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Literal

Theme = Literal[
    "cultural_change",
    "partnership_working",
    "flexibility",
    "resources",
    "operational_model",
    "impact",
    "buy_in",
]
THEMES: tuple[Theme, ...] = (
    "cultural_change",
    "partnership_working",
    "flexibility",
    "resources",
    "operational_model",
    "impact",
    "buy_in",
)
THEME_TITLES: dict[str, str] = {
    "cultural_change": "Cultural change",
    "partnership_working": "Partnership working",
    "flexibility": "Flexibility",
    "resources": "Resources",
    "operational_model": "Operational model",
    "impact": "Impact",
    "buy_in": "Appropriate buy-in",
}
GUIDANCE_TITLE = "NFER (2011), How to sustain and replicate effective local practice"


@dataclass(frozen=True)
class Factor:
    id: str
    theme: Theme
    kind: Literal["risk", "strength", "both"]
    factor: str
    quote: str


@cache
def factors() -> dict[str, Factor]:
    """All factors of the guidance by id, in the guidance's order."""
    from ruamel.yaml import YAML  # here, not at the top: an advice run never reads the factor list

    text = files(__package__).joinpath("factors.yaml").read_text(encoding="utf-8")
    data = YAML(typ="safe").load(text)  # the C parser when installed: a shipped, shallow file
    return {
        entry["id"]: Factor(entry["id"], theme, entry["kind"], entry["factor"], entry["quote"])
        for theme, entries in data.items()
        for entry in entries
    }
