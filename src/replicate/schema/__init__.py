"""The input schema: programmes and site profiles, as strict pydantic models.

The models are the single source of truth: validation, the JSON Schema (`replicate schema`) and
the field reference that rule authors read are all generated from them.
"""

from .programme import Component, CorePrinciple, Costs, Evidence, OutcomeFigure, Programme, ProvenContext
from .references import check_programme, check_site, cross_check, other_programme
from .site import (
    Dissemination,
    EvaluationPlan,
    ExistingService,
    ExternalClimate,
    Funding,
    FundingSource,
    Leadership,
    OperationalPlan,
    Partner,
    PlannedAdaptation,
    SiteProfile,
    StaffReadiness,
)

__all__ = [
    "Component",
    "CorePrinciple",
    "Costs",
    "Dissemination",
    "EvaluationPlan",
    "Evidence",
    "ExistingService",
    "ExternalClimate",
    "Funding",
    "FundingSource",
    "Leadership",
    "OperationalPlan",
    "OutcomeFigure",
    "Partner",
    "PlannedAdaptation",
    "Programme",
    "ProvenContext",
    "SiteProfile",
    "StaffReadiness",
    "check_programme",
    "check_site",
    "cross_check",
    "other_programme",
]
