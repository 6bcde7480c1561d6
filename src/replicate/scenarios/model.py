"""What a scenario file says: a passage of the guidance, a programme and a site, and the advice
the guidance would give them.

A scenario is written from the guidance, not from the rules, so its expectations name what is
stable across rule rewrites (factor ids, themes, categories, kinds) rather than rule ids, though
a rule id may be named when a council wants to pin one rule.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from ..errors import did_you_mean
from ..findings import Finding
from ..guidance import Theme, factors
from ..rules.model import Category, Severity
from ..schema.common import Name, StrictModel

ExpectedDecision = Literal["go", "go_with_conditions", "information_needed", "not_yet", "do_not_replicate"]
DECISIONS: tuple[ExpectedDecision, ...] = (
    "go", "go_with_conditions", "information_needed", "not_yet", "do_not_replicate",
)
"""Best to worst. `information_needed` is part of the decision model being built (issue 9), so a
scenario may expect it before the plan can produce it."""
Kind = Literal["risk", "strength"]
MAX_QUOTE_CHARS = 160
"""A passage is cited, not copied: a short phrase a reader can find in the guidance."""


class Passage(StrictModel):
    theme: Theme
    quote: str = Field(min_length=3, max_length=MAX_QUOTE_CHARS,
                       description="A short verbatim phrase of the guidance the scenario rests on.")


class FindingMatcher(StrictModel):
    """Matches a finding when every key given matches; keys left out match anything."""

    rule: str | None = Field(default=None, min_length=1, max_length=100, description="A rule id.")
    factor: str | None = Field(default=None, description="A factor id the finding cites, such as FL3.")
    theme: Theme | None = None
    category: Category | None = None
    kind: Kind | None = Field(default=None, description="risk (any category but strength) or strength.")
    severity: Severity | None = None
    subject_id: str | None = Field(default=None, min_length=1, max_length=64,
                                   description="A principle, component, partner, service or adaptation id, or site.")

    @field_validator("factor")
    @classmethod
    def _known_factor(cls, value: str | None) -> str | None:
        known = factors()
        if value is not None and value not in known:
            raise ValueError(f"unknown factor {value!r}{did_you_mean(value, list(known))}")
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> FindingMatcher:
        if not self.given():
            raise ValueError("a matcher needs at least one of: " + ", ".join(FindingMatcher.model_fields))
        return self

    def given(self) -> dict[str, str]:
        """The keys this matcher constrains, in the order they are declared."""
        return {key: value for key, value in self.model_dump().items() if value is not None}

    def matches(self, finding: Finding) -> bool:
        kind: Kind = "strength" if finding.is_strength else "risk"
        return all((
            self.rule is None or finding.rule_id == self.rule,
            self.factor is None or self.factor in finding.factors,
            self.theme is None or finding.theme == self.theme,
            self.category is None or finding.category == self.category,
            self.kind is None or kind == self.kind,
            self.severity is None or finding.severity == self.severity,
            self.subject_id is None or self.subject_id in finding.subject_ids,
        ))

    def __str__(self) -> str:
        return "{" + ", ".join(f"{key}: {value}" for key, value in self.given().items()) + "}"


class Expectation(StrictModel):
    decision: ExpectedDecision
    findings: list[FindingMatcher] = Field(default_factory=list, max_length=100,
                                           description="Each must match at least one finding.")
    no_findings: list[FindingMatcher] = Field(default_factory=list, max_length=100,
                                              description="No finding may match any of these.")
    questions: list[str] = Field(default_factory=list, max_length=100,
                                 description="Profile fields the plan must ask about, by path prefix.")
    no_questions: list[str] = Field(default_factory=list, max_length=100,
                                    description="Profile fields the plan must not ask about, by path prefix: what a "
                                    "resubmission has answered.")


class ScenarioSpec(StrictModel):
    """One scenario file, as written; the programme and site are checked after this."""

    name: Name
    passage: Passage
    why: str = Field(min_length=1, max_length=2000, description="What the site should be told, and why.")
    programme: str | dict[str, Any] = Field(
        description="A shipped programme id, a path relative to the scenario file, or the programme itself.")
    site: dict[str, Any] = Field(description="The site profile, in full.")
    expect: Expectation
