"""The adaptation plan: the document `replicate` produces, as typed models.

The JSON rendering is exactly `AdaptationPlan.model_dump_json()`, and `replicate schema plan`
prints its JSON Schema, so embedders and the CLI see one and the same document.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..findings import Finding
from ..guidance import Theme
from ..rules.model import Phase, Severity

SCHEMA_VERSION = "1.0"

Verdict = Literal["go", "go_with_conditions", "information_needed", "not_yet", "do_not_replicate"]
VERDICT_ORDER: tuple[Verdict, ...] = ("go", "go_with_conditions", "information_needed", "not_yet", "do_not_replicate")
PrincipleStatus = Literal["keep", "tailor", "at_risk"]
ComponentStatus = Literal["deliver", "tailor", "build_on", "drop"]


class _PlanModel(BaseModel):
    model_config = ConfigDict(frozen=True)


class Reason(_PlanModel):
    finding: str = Field(description="The finding's reference: RULE-ID, or RULE-ID@subject.")
    text: str


class Decision(_PlanModel):
    verdict: Verdict
    summary: str
    reasons: list[Reason]
    conditions: list[str] = Field(description="What must be true before going ahead, when the verdict has any.")


class PrincipleVerdict(_PlanModel):
    id: str
    statement: str
    kind: str
    status: PrincipleStatus
    guidance: str = Field(description="What to do with the principle, and why that is safe (or not).")
    reasons: list[Reason]


class ComponentVerdict(_PlanModel):
    id: str
    name: str
    status: ComponentStatus
    guidance: str
    build_on: list[str] = Field(description="Existing local services to build on instead of duplicating.")
    reasons: list[Reason]


class Action(_PlanModel):
    order: int
    phase: Phase
    priority: Severity
    owner: str
    do: str
    answers: list[str] = Field(description="References of the findings this action answers.")


class ThemeReadiness(_PlanModel):
    theme: Theme
    score: int = Field(ge=0, le=100)
    risks: int
    strengths: int
    undetermined_rules: int = Field(
        description="Risk rules of this theme that missing information left open (each lowers the score a little)."
    )


class Question(_PlanModel):
    field: str
    question: str
    needed_by: list[str] = Field(description="Rules that could not be decided without it.")


class ProfileRef(_PlanModel):
    id: str
    name: str


class RulePackRef(_PlanModel):
    name: str
    version: str
    rules: int


class AdaptationPlan(_PlanModel):
    """A 'replication, not duplication' plan for one programme at one site."""

    schema_version: str = SCHEMA_VERSION
    programme: ProfileRef
    site: ProfileRef
    decision: Decision
    principles: list[PrincipleVerdict]
    components: list[ComponentVerdict]
    actions: list[Action]
    readiness: list[ThemeReadiness] = Field(description="Readiness by theme, weakest first.")
    readiness_method: str
    missing_information: list[Question]
    findings: list[Finding]
    rule_packs: list[RulePackRef]
