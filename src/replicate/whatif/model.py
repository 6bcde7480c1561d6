"""What would change the decision: the result of `replicate whatif`, as typed models.

The JSON rendering is exactly `WhatIf.model_dump_json()`; `WhatIf.model_json_schema()` is its
schema. Values are JSON values as the site profile writes them; `old` is null when the profile
does not state the field.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..guidance import Theme
from ..plan.model import ProfileRef, Verdict
from ..rules.model import Phase

SCHEMA_VERSION = "1.3"
"""1.1: a proposed change lists the other fields it sets in `also` (a lead named with the hours and
qualities a plan asks of one). 1.2: a single change lists the findings it brings in (`introduces`).
1.3: an answer says the worse decision another answer could bring (`another_answer_could`)."""
JsonValue = str | int | float | bool | list[str] | None


class _Model(BaseModel):
    model_config = ConfigDict(defer_build=True, frozen=True)


class FieldChange(_Model):
    field: str
    old: JsonValue = Field(description="The value now (null: not stated).")
    new: JsonValue


class ProposedChange(_Model):
    field: str = Field(description="The profile field, with the item in brackets: partners[housing].regular_meetings.")
    old: JsonValue = Field(description="The value now (null: not stated; for a withdrawal, the item's id).")
    new: JsonValue = Field(description="The value after the change (null: the item is withdrawn).")
    kind: Literal["change", "answer", "withdraw"] = Field(
        description="change: something the site can do; answer: a question answered one way; "
        "withdraw: a planned adaptation taken out."
    )
    label: str = Field(description="The change in plain words.")
    also: list[FieldChange] = Field(default_factory=list, description="Other fields the same change sets: a lead "
                                    "named with the hours and qualities a plan asks of one.")
    another_answer_could: Verdict | None = Field(
        default=None, description="For an answer: the worse decision another answer could bring, as the plan's "
        "question says. The effect shown is for the hoped-for answer; a board read \"the lead's hours -> go\" beside "
        "a plan saying the leadership left out could mean \"not yet\" (2252).")


class FindingRef(_Model):
    ref: str = Field(description="RULE-ID, or RULE-ID@subject.")
    rule_id: str
    title: str


class ThemeGain(_Model):
    theme: Theme
    before: int
    after: int


class ActionRef(_Model):
    do: str
    phase: Phase
    owner: str


class Suggestion(_Model):
    changes: list[ProposedChange]
    verdict: Verdict = Field(description="The decision once every change is made.")
    provisional: bool = Field(
        default=False, description="Whether, once the changes are made, an unanswered question could still "
        "change that decision (as the plan would say).")
    resolves: list[FindingRef] = Field(description="Risk findings that no longer stand.")
    introduces: list[FindingRef] = Field(description="Risk findings the changes bring in (e.g. an answer of 'no').")
    uncovers: list[FindingRef] = Field(
        default_factory=list,
        description="Risk findings that stood inside a finding it resolves (absorbed there) and now stand on "
        "their own: not new, still to do.")
    readiness: list[ThemeGain] = Field(description="Themes whose readiness score moves.")
    actions: list[ActionRef] = Field(description="The actions of the findings it resolves.")


class Goal(_Model):
    target: Verdict = Field(description="The least good decision that counts as reaching the goal.")
    label: str
    reached_with: int | None = Field(description="The fewest changes that reach it; null if none within the limit.")
    found: int = Field(description="How many smallest sets reach it (only the first few are listed).")
    suggestions: list[Suggestion]
    out_of_reach: list[FindingRef] = Field(
        description="Findings or open questions in the way that no change the site can make touches."
    )
    complete: bool = Field(description="False when the search stopped at its budget before trying every set.")


class LeverEffect(_Model):
    change: ProposedChange
    verdict: Verdict = Field(description="The decision with this change alone.")
    resolves: list[str] = Field(description="References of the risk findings it resolves alone, and of the "
                                "services to build on whose terms it signs (their condition met).")
    introduces: list[str] = Field(default_factory=list, description="References of the risk findings it brings "
                                  "in alone: why a change that resolves every finding may still leave a condition "
                                  "(32 months secured of 36, 2104).")
    readiness_gain: int = Field(description="The sum of the readiness scores' changes.")


class WhatIf(_Model):
    """The smallest sets of realistic changes that move the decision one step up, and to go."""

    schema_version: str = SCHEMA_VERSION
    programme: ProfileRef
    site: ProfileRef
    verdict: Verdict = Field(description="The decision as the site stands.")
    provisional: bool = Field(
        default=False, description="Whether an unanswered question could still change the decision as it stands.")
    max_changes: int
    goals: list[Goal] = Field(description="One step up, then go (one goal when the next step is go, or when going "
                              "all the way takes no more changes; none at go).")
    levers: list[LeverEffect] = Field(description="Every single change considered, best first.")
