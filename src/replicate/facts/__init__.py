"""Facts: the second stage of the pipeline, turning a validated programme and site into what rules see.

A rule applies to one *subject*: the whole site, or each principle, component, partner, existing
service or planned adaptation in turn. For each subject instance one flat fact is built, a mapping
from dotted field paths (`site.funding.months_secured`, `partner.years_relationship`) to values.

    types.py       what a fact is (subjects, values, `SubjectFact`)
    derived.py     the derived fields, declared as documented models
    builder.py     `FactBuilder`: programme + site -> facts
    coverage.py    what existing services cover of the programme, need by need, and their room
    provenance.py  what each derived field is worked out from, and whether the profile states it
    conditions.py  the conditions a site lacks, and those its adaptations work around
"""

from .builder import FactBuilder, findings_fact, flatten
from .derived import DERIVED_MODELS
from .findings_summary import FindingsSummary
from .provenance import (
    DERIVED_FROM,
    DERIVED_FROM_ITEMS,
    PRINCIPLE_NEEDS,
    ROUTING_FIELDS,
    backed_months,
    months_from_sources,
    need_stated,
    secured_months,
    stated,
    stated_in_site,
)
from .types import ITEM_SUBJECTS, SUBJECTS, FlatFact, Scalar, Subject, SubjectFact, Value

__all__ = [
    "DERIVED_FROM",
    "DERIVED_FROM_ITEMS",
    "DERIVED_MODELS",
    "ITEM_SUBJECTS",
    "PRINCIPLE_NEEDS",
    "ROUTING_FIELDS",
    "SUBJECTS",
    "FactBuilder",
    "FindingsSummary",
    "FlatFact",
    "Scalar",
    "Subject",
    "SubjectFact",
    "Value",
    "backed_months",
    "findings_fact",
    "flatten",
    "months_from_sources",
    "need_stated",
    "secured_months",
    "stated",
    "stated_in_site",
]
