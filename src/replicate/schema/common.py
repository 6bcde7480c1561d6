"""Shared building blocks of the input schema: the strict base model and the controlled vocabularies.

Vocabularies are `Literal` types rather than `Enum`s so that strict validation accepts the plain
strings JSON carries, the JSON Schema lists the allowed values, and the rule checker can offer a
did-you-mean for a misspelt value.
"""

from __future__ import annotations

import re
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"),
    Field(description="A short identifier: letters, digits, '_', '-' or '.', at most 64 characters."),
]
"""Ids of principles, components, partners, services and adaptations."""

Name = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
Text = Annotated[str, StringConstraints(max_length=4000)]
TAG_FORM = r"^[a-z0-9][a-z0-9_\-]{0,63}$"
TAG_PATTERN = re.compile(TAG_FORM)
Tag = Annotated[
    str,
    StringConstraints(pattern=TAG_FORM),
    Field(description="A lower-case tag such as 'accommodation_support'."),
]
"""A need, service type or condition: compared exactly, so kept in one canonical form and checked
against the vocabulary (vocabulary.py) once the document is valid."""

Setting = Literal["urban", "rural", "mixed"]
Level = Literal["low", "partial", "high"]
LEVELS: tuple[Level, ...] = get_args(Level)
"""The graded answers, in order: a lead's influence raised to "partial" moves it less than to "high"."""
PrincipleKind = Literal["core", "adaptable"]
PartnerType = Literal[
    "local_authority",
    "health",
    "education",
    "police",
    "probation",
    "voluntary",
    "housing",
    "employment",
    "community",
    "family_services",
    "other",
]
PartnerContribution = Literal["skills", "funding", "resources", "profile", "credibility", "data", "referrals"]
AdaptationNature = Literal["add", "remove", "shorten", "substitute", "modify"]
Decider = Literal[
    "programme_developer",
    "local_lead",
    "commissioner",
    "partnership_board",
    "frontline_staff",
    "service_users",
    "funder",
]
EvidenceKind = Literal[
    "randomised_trial",
    "quasi_experimental",
    "statistical_monitoring",
    "cost_benefit",
    "qualitative",
    "anecdotal",
    "none",
]
FundingKind = Literal["core_budget", "grant", "partner_contribution", "self_funded", "charitable", "other"]
Stability = Literal["secure", "time_limited", "uncertain"]
PoliticalClimate = Literal["supportive", "neutral", "unfavourable"]
EconomicClimate = Literal["growing", "stable", "tightening"]
FundingOutlook = Literal["improving", "stable", "uncertain", "declining"]
DisseminationChannel = Literal[
    "website",
    "intranet",
    "online_guides",
    "conferences",
    "open_days",
    "buddying",
    "evidence_base",
    "statistical_neighbours",
]


class StrictModel(BaseModel):
    """Refuses unknown fields and silent coercion: a typo must be an error, never a quiet default."""

    # defer_build (here and on the package's other models): a model's validator is built when it is
    # first used, not when its module is imported, so a start pays only for the models it uses.
    model_config = ConfigDict(
        defer_build=True,
        extra="forbid",
        strict=True,
        allow_inf_nan=False,
        frozen=True,
        str_max_length=4000,
    )


def unwrap(annotation: Any) -> Any:
    """Remove Optional and Annotated wrappers (the field catalogue, the loader's did-you-mean and
    what-if analysis all walk the schema this way)."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def holds_items(annotation: Any) -> bool:
    """Whether an annotation such as `list[Partner] | None` holds items (a list or a mapping of
    them) rather than one value: a path through the schema then names an item next."""
    return get_origin(unwrap(annotation)) in (list, dict)


def models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models an annotation such as `list[Partner] | None` or `dict[str, Provenance]` can hold
    (the loader, the plan's question texts and provenance checking all step through the schema so)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for argument in get_args(annotation) for model in models_in(argument)]
