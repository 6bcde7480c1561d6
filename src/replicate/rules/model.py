"""What a rule is, as a policy author writes it in YAML and as the rest of the pipeline uses it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from ..conditions import Condition
from ..conditions.walk import presence_tested
from ..facts import Subject
from ..guidance import Theme

Category = Literal[
    "dilution_risk",
    "missing_buy_in",
    "funding_gap",
    "context_mismatch",
    "partnership",
    "operational",
    "impact",
    "duplication",
    "strength",
]
CATEGORIES: tuple[Category, ...] = (
    "dilution_risk",
    "missing_buy_in",
    "funding_gap",
    "context_mismatch",
    "partnership",
    "operational",
    "impact",
    "duplication",
    "strength",
)
Severity = Literal["high", "medium", "low", "info"]
SEVERITIES: tuple[Severity, ...] = ("high", "medium", "low", "info")
SEVERITY_RANK: dict[str, int] = {"high": 0, "medium": 1, "low": 2, "info": 3}
EFFECT_RANK: dict[str | None, int] = {None: 0, "go": 0, "conditions": 1, "not_yet": 2, "do_not_replicate": 3}
"""How far a rule's decision effect pushes the verdict (a rule that absorbs another weighs as much)."""
Phase = Literal["before_launch", "first_six_months", "ongoing"]
PHASES: tuple[Phase, ...] = ("before_launch", "first_six_months", "ongoing")
PrincipleEffect = Literal["keep", "tailor", "at_risk"]
ComponentEffect = Literal["deliver", "tailor", "build_on", "drop"]
DecisionEffect = Literal["go", "conditions", "not_yet", "do_not_replicate"]
BasisKind = Literal["guidance", "interpretation", "local_default"]
BASIS_KINDS: tuple[BasisKind, ...] = ("guidance", "interpretation", "local_default")
About = Literal["site", "programme", "fit"]

RuleId = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")]
FactorId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}[0-9]{1,2}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class _Spec(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


class ActionSpec(_Spec):
    do: Text = Field(description="What to do, in the imperative, in plain words.")
    done_when: Text | None = Field(
        default=None,
        description="How to tell it is done: a check someone can make (a signed agreement, a budget line, "
        "a named person).",
    )
    phase: Phase = Field(description="When: before_launch, first_six_months or ongoing.")
    owner: Annotated[str, StringConstraints(min_length=1, max_length=120)] = Field(
        description="The role that should own the action."
    )
    recordable: bool = Field(
        default=False,
        description="Whether its done-when is a record no other field of a site profile holds (briefings "
        "given, a pilot's terms signed off by the commissioner), so that a site lists the rule under "
        "actions_done, with what shows it, once it is done: the risk stands, its launch condition is met. "
        "Only for a before-launch action of a rule about the whole site whose decision effect is at most "
        "conditions.",
    )


class EffectSpec(_Spec):
    principle: PrincipleEffect | None = Field(
        default=None, description="What the finding means for the principle it is about (or that it touches)."
    )
    component: ComponentEffect | None = Field(
        default=None, description="What the finding means for the component it is about (or that it touches)."
    )
    decision: DecisionEffect | None = Field(
        default=None, description="The least the finding does to the go/no-go decision."
    )


class BasisSpec(_Spec):
    """How directly the guidance supports a rule, so a reader can tell the guidance's word from ours."""

    kind: BasisKind = Field(
        description="guidance: the passage says it; interpretation: a reading of the passage; "
        "local_default: a number or line the guidance does not draw."
    )
    rationale: Annotated[str, StringConstraints(min_length=3, max_length=400)] | None = Field(
        default=None, description="One line: why this reading or this line (required unless kind is guidance)."
    )

    @model_validator(mode="after")
    def _rationale_unless_guidance(self) -> BasisSpec:
        if self.kind != "guidance" and not self.rationale:
            raise ValueError(f"a basis of kind {self.kind!r} needs a one-line 'rationale'")
        return self


ParameterName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]


class ParameterSpec(_Spec):
    """A named number that rules and the decision use, defined once with its basis and reason."""

    name: ParameterName
    value: int | float
    unit: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    basis: BasisKind
    reason: Text = Field(description="Why this value: the passage it reads, or why a local line was drawn here.")


class SourceSpec(_Spec):
    theme: Theme
    quote: Annotated[str, StringConstraints(min_length=3, max_length=160)] = Field(
        description="A short phrase of the guidance the rule rests on."
    )


ExampleValue = str | int | float | bool | list[str]


class ExampleSpec(_Spec):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    fires: bool
    given: dict[str, ExampleValue] = Field(
        description="Field paths and their values; every field not given is unknown."
    )


class RuleSpec(_Spec):
    """One rule as written in a rule file."""

    id: RuleId
    title: Text
    theme: Theme
    category: Category
    severity: Severity
    for_each: Subject = "site"
    when: Text
    advice: Text
    action: ActionSpec | None = None
    effect: EffectSpec = Field(default_factory=EffectSpec)
    factors: list[FactorId] = Field(min_length=1, max_length=20)
    source: SourceSpec
    examples: list[ExampleSpec] = Field(default_factory=list, max_length=50)
    enabled: bool = True
    basis: BasisSpec | None = Field(
        default=None, description="Whether the guidance says this, a reading of it, or a local default."
    )
    about: About = Field(
        default="site",
        description="What the finding is about: the site, the programme's description, or the fit of the two.",
    )
    supersedes: list[RuleId] = Field(
        default_factory=list,
        max_length=20,
        description="Rules this more specific rule absorbs: when both fire on the same subject, only this one "
        "is reported; a rule about the whole site, or over another kind of subject than a target's (a principle "
        "rule absorbing findings about partners), absorbs that target on every subject. It must weigh at least "
        "as much as each of them.",
    )
    mitigates: list[RuleId] = Field(
        default_factory=list,
        max_length=20,
        description="Risk rules this rule softens: it fires when a favourable fact offsets the risk, and is "
        "reported instead of it (so it may weigh less).",
    )
    stands_for_absorbed: bool = Field(
        default=False,
        description="For a rule over findings: where what it absorbs comes down to one finding about one "
        "principle, component or adaptation, it is reported as that finding, taking its subject and its effect "
        "on principles and components (one change that dilutes the model is one finding, not two).",
    )


@dataclass(frozen=True)
class Rule:
    """A loaded, checked rule: its spec, its parsed condition and where it was written."""

    spec: RuleSpec
    condition: Condition
    fields: tuple[str, ...]
    file: str
    line: int
    pack: str = "shipped"
    parameters: tuple[str, ...] = ()
    """Names of the parameters its condition and texts use (bound to values at load time)."""

    @property
    def id(self) -> str:
        return self.spec.id

    @cached_property
    def presence_fields(self) -> frozenset[str]:
        """The fields its condition asks to be known or missing (see `findings._rested_on`)."""
        return presence_tested(self.condition)

    @property
    def subject(self) -> Subject:
        return self.spec.for_each
