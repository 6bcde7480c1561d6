"""What a programme is: the model to be replicated, as it was proven somewhere else.

Core principles are separated from adaptable ones (REP's core elements vs menu options) because
the whole question of replication is which parts may be tailored and which must be kept exactly.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, field_validator, model_validator

from .common import (
    EvidenceKind,
    Identifier,
    Name,
    PartnerType,
    PrincipleKind,
    Setting,
    StrictModel,
    Tag,
    Text,
    models_in,
)

ProvenanceKind = Literal["guidance", "local_evidence", "illustrative"]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


class PrincipleNeed(StrictModel):
    """Something a principle needs from the site: a local condition, or a yes to a site question.

    A principle is not only put at risk by changing it: a co-owned model imposed on partners, or an
    embedded one with nobody sharing information, has lost it already. Declaring what a principle
    needs lets the plan judge it against the site as well as against the planned adaptations."""

    label: Name = Field(description="What is needed, in plain words, for the reader.")
    condition: Tag | None = Field(default=None, description="A local condition the site must list in `conditions`.")
    field: Annotated[str, StringConstraints(pattern=r"^[a-z_]+(\.[a-z_]+)+$", max_length=120)] | None = Field(
        default=None, description="A yes/no site field that must be true, such as 'leadership.co_designed'."
    )
    prerequisite: bool = Field(
        default=False,
        description="Whether the principle cannot be delivered at all without it: a service it works through, "
        "such as the adult treatment service a whole-family model takes the family through, rather than an "
        "agreement the site can sign before launch. A site lacking a prerequisite has groundwork to do first.",
    )

    @model_validator(mode="after")
    def _one_kind(self) -> PrincipleNeed:
        if (self.condition is None) == (self.field is None):
            raise ValueError("give exactly one of 'condition' or 'field'")
        return self


class Provenance(StrictModel):
    """Where a programme fact comes from, so a finding resting on an illustrative one says so."""

    kind: ProvenanceKind = Field(
        description="guidance: the guidance's own case study says it; local_evidence: the programme's own "
        "evaluation or records; illustrative: an example value written for this profile."
    )
    note: Text = Field(default="", description="The passage, document or reason.")


class CorePrinciple(StrictModel):
    id: Identifier
    statement: Text = Field(description="What the principle says the programme always does.")
    rationale: Text = Field(default="", description="Why the principle matters to the programme's outcomes.")
    kind: PrincipleKind = Field(
        description="'core' if it is non-negotiable; 'adaptable' if it may be tailored to local need."
    )
    needs: list[PrincipleNeed] = Field(
        default_factory=list, max_length=16, description="What the principle needs from the site to hold."
    )


class Component(StrictModel):
    id: Identifier
    name: Name
    delivers: Text = Field(default="", description="What the component delivers to the people the programme serves.")
    serves: list[Tag] = Field(
        min_length=1,
        max_length=32,
        description="The local needs or service types it serves; compared with the site's existing services.",
    )
    principles: list[Identifier] = Field(
        default_factory=list, max_length=64, description="Ids of the principles this component carries."
    )
    serves_local_need: bool = Field(
        default=True,
        description="False for a component that serves the programme itself (following up outcomes, "
        "sharing information, training the workforce) rather than a need an area shows: it is never "
        "judged against the site's local needs, and it is needed wherever the programme runs.",
    )


class ProvenContext(StrictModel):
    setting: Setting = Field(description="Where the programme was proven: urban, rural or mixed.")
    relies_on: list[Tag] = Field(
        default_factory=list,
        max_length=32,
        description="Local conditions the programme relied on, such as 'cross_borough_working'.",
    )
    partner_types: list[PartnerType] = Field(
        default_factory=list, max_length=16, description="The kinds of partner it was delivered with."
    )
    agencies: int | None = Field(
        default=None, ge=0, le=200, description="How many agencies were involved where it was proven, besides the "
        "lead organisation: it is set beside the site's partners, a list that leaves the lead out."
    )
    place: Name | None = Field(default=None, description="Where it was proven, for the reader.")
    depends_on_service_users: bool = Field(
        default=True,
        description="Whether it depends on the families or other service users it serves taking part in it "
        "(coming to its sessions or visits, and shaping it), as a family programme or a class for older people "
        "does; a programme delivered through staff or institutions, which its service users never attend (a "
        "school federation coaching its teachers), says no.",
    )


class OutcomeFigure(StrictModel):
    measure: Name
    value: float = Field(ge=-1e9, le=1e9)
    comparison: float | None = Field(default=None, ge=-1e9, le=1e9, description="The comparison group's figure.")
    unit: Name = "percent"
    better: Literal["higher", "lower"] | None = Field(
        default=None, description="Which way is an improvement: higher (school attendance) or lower (reoffending). "
        "Without it a figure counts as a gain by the size of its difference from the comparison, either way."
    )


class Evidence(StrictModel):
    kind: EvidenceKind = Field(description="The strongest kind of evaluation behind the programme.")
    systematic: bool | None = Field(default=None, description="Whether the evaluation was systematic.")
    independent: bool | None = Field(default=None, description="Whether the evaluation was independent.")
    cost_effective: bool | None = Field(default=None, description="Whether it was shown to be cost-effective.")
    long_term_outcomes: bool | None = Field(
        default=None, description="Whether longer-term outcomes were recorded, not only short-term ones."
    )
    outcomes: list[OutcomeFigure] = Field(default_factory=list, max_length=64)
    sites: int | None = Field(default=None, ge=0, le=100000, description="At how many sites it has been delivered.")
    participants: int | None = Field(
        default=None, ge=0, le=10**9, description="How many people the evidence covers."
    )
    outcomes_measured_after_months: float | None = Field(
        default=None, ge=0, le=240, description="How long after each person it serves starts the programme its "
        "outcomes are measured, in months (the last of its main measures: a year after referral is 12)."
    )


class Costs(StrictModel):
    duration_months: int = Field(ge=1, le=240, description="How long the programme runs, in months.")
    annual_cost: float | None = Field(
        default=None, ge=0, le=1e10,
        description="The programme's yearly running cost, which each site's budget is set against.")
    setup_cost: float | None = Field(default=None, ge=0, le=1e10, description="One-off set-up cost.")
    staff_fte: float | None = Field(default=None, ge=0, le=10000, description="Staff needed, full-time equivalent.")
    currency: Currency = Field(default="GBP", description="The currency of the costs (ISO 4217 code).")


ClientWord = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9 '-]{0,39}$")]


class ClientTerms(StrictModel):
    """What the programme calls the people it serves. The plan's advice and actions speak of them
    ("before the first family starts"), and a discharge service told to consult "families" reads as
    advice written for somebody else. Lower case, because they are used mid-sentence."""

    singular: ClientWord = Field(default="family", description="One of them, as in 'before the first family starts'.")
    plural: ClientWord = Field(default="families", description="Several, as in 'the families the programme serves'.")


class Programme(StrictModel):
    """A programme proven elsewhere, described so that its fit to a new site can be judged."""

    id: Identifier
    name: Name
    summary: Text = ""
    focused_outcome: bool | None = Field(
        default=None, description="Whether it aims at one focused outcome (a single agency may fit better)."
    )
    principles: list[CorePrinciple] = Field(max_length=64)
    components: list[Component] = Field(min_length=1, max_length=64)
    proven_context: ProvenContext
    evidence: Evidence
    costs: Costs
    clients: ClientTerms = Field(
        default_factory=ClientTerms,
        description="What the programme calls the people it serves ('older person' and 'older people', say); "
        "families by default.",
    )
    national_policy: Name | None = Field(
        default=None, description="A national policy or agenda the programme depends on, such as 'Every Child Matters'."
    )
    provenance: dict[
        Annotated[str, StringConstraints(pattern=r"^[a-z_]+(\.[a-z_]+)*$", max_length=120)], Provenance
    ] = Field(
        default_factory=dict,
        max_length=200,
        description="Where programme facts come from, by field path (e.g. 'proven_context.setting'); "
        "a section's path covers the fields under it.",
    )

    @field_validator("provenance")
    @classmethod
    def _paths_exist(cls, provenance: dict[str, Provenance]) -> dict[str, Provenance]:
        """A provenance entry for a field the programme does not have would mark nothing: refuse it."""
        unknown = [path for path in provenance if not _is_programme_path(path)]
        if unknown:
            raise ValueError(f"no programme field {', '.join(repr(p) for p in unknown)}: use paths such as "
                             "'proven_context.setting' or 'evidence.cost_effective'")
        return provenance


def _is_programme_path(path: str) -> bool:
    model: type[BaseModel] | None = Programme
    for name in path.split("."):
        if model is None or name not in model.model_fields:
            return False
        model = next(iter(models_in(model.model_fields[name].annotation)), None)
    return True

