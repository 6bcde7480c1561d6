"""What rules over findings see (the `findings` subject): counts of what the other rules found,
declared as a model so that rule authors find its fields listed like any other subject's."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class FindingsSummary(BaseModel):
    """What rules over findings see: counts of the findings the other rules produced."""

    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)

    rules: list[str] = Field(description="Ids of the rules that fired.")
    count: int = Field(description="How many findings there are.")
    high: int = Field(description="Findings of high severity.")
    medium: int = Field(description="Findings of medium severity.")
    low: int = Field(description="Findings of low severity.")
    strengths: int = Field(description="Findings that are strengths to build on.")
    principles_at_risk: int = Field(description="Distinct principles a finding puts at risk.")
    core_principles_at_risk: int = Field(description="Distinct core principles a finding puts at risk.")
    core_risk_sources: int = Field(
        description="How many adaptations and principles' unmet needs put a core principle at risk (one "
        "adaptation that reaches two core principles counts once)."
    )
    core_risk_source_labels: list[str] = Field(
        default_factory=list, description="What puts a core principle at risk, in words: each adaptation's "
        "description, or the principle whose needs are unmet."
    )
    core_principles_at_risk_labels: list[str] = Field(
        default_factory=list, description="The core principles a finding puts at risk, as the programme states them."
    )
    core_component_drops: int = Field(
        description="Adaptations that drop a component carrying a core principle (each already a finding "
        "that blocks on its own)."
    )
    components_to_build_on: int = Field(description="Components to build on an existing service for.")
    dilution_risk: int = Field(description="Findings in the dilution-risk category.")
    missing_buy_in: int = Field(description="Findings in the missing-buy-in category.")
    funding_gap: int = Field(description="Findings in the funding-gap category.")
    context_mismatch: int = Field(description="Findings in the context-mismatch category.")
    partnership: int = Field(description="Findings in the partnership category.")
    operational: int = Field(description="Findings in the operational category.")
    impact: int = Field(description="Findings in the impact category.")
    duplication: int = Field(description="Findings in the duplication category.")
