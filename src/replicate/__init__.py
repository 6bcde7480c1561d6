"""`replicate`: rule-based advice on replicating an effective local programme at a new site.

The public API, for tools that embed the engine::

    from replicate import Advisor, load_programme, load_site

    advisor = Advisor.from_packs([Path("my-rules")])   # the only expensive step; share it
    plan = advisor.advise(load_programme(programme_json), load_site(site_dict))
    plan.decision.verdict                              # a typed pydantic model
    plan.model_dump_json()                             # the same JSON `replicate advise -f json` writes

Everything here is re-exported lazily: `import replicate` only loads the small error module, and
the pydantic models, the rule loader and durable_rules are imported the first time a name that
needs them is used. That keeps the command line and embedders that only catch errors quick to start.
Every error raised on purpose is a `ReplicateError` (see `replicate.errors`) carrying the file,
field path and message of each problem.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import EngineError, InputError, OtherProgrammeError, OutputError, Problem, ReplicateError, RuleError

if TYPE_CHECKING:  # what type checkers see; at run time the same names load on first use
    from .advisor import Advisor
    from .api import SCHEMA_DOCUMENTS, SchemaDocument, json_schema, render_plan
    from .batch import SiteResult, run_batch
    from .batch_inputs import SiteInput, read_site_inputs
    from .explain import InstanceExplanation, RuleExplanation, explain_rule
    from .findings import Finding
    from .loading import load_programme, load_site
    from .plan.model import AdaptationPlan
    from .portfolio import Portfolio, PortfolioRow, build_portfolio
    from .rules.rulebase import RuleBase, load_rule_base
    from .schema import Programme, SiteProfile

_LAZY: dict[str, str] = {
    "Advisor": ".advisor",
    "SCHEMA_DOCUMENTS": ".api",
    "SchemaDocument": ".api",
    "json_schema": ".api",
    "render_plan": ".api",
    "SiteInput": ".batch_inputs",
    "SiteResult": ".batch",
    "read_site_inputs": ".batch_inputs",
    "run_batch": ".batch",
    "InstanceExplanation": ".explain",
    "RuleExplanation": ".explain",
    "explain_rule": ".explain",
    "Finding": ".findings",
    "load_programme": ".loading",
    "load_site": ".loading",
    "AdaptationPlan": ".plan.model",
    "Portfolio": ".portfolio",
    "PortfolioRow": ".portfolio",
    "build_portfolio": ".portfolio",
    "RuleBase": ".rules.rulebase",
    "load_rule_base": ".rules.rulebase",
    "Programme": ".schema",
    "SiteProfile": ".schema",
}

__all__ = [
    "SCHEMA_DOCUMENTS",
    "AdaptationPlan",
    "Advisor",
    "EngineError",
    "Finding",
    "InputError",
    "InstanceExplanation",
    "OtherProgrammeError",
    "OutputError",
    "Portfolio",
    "PortfolioRow",
    "Problem",
    "Programme",
    "ReplicateError",
    "RuleBase",
    "RuleError",
    "RuleExplanation",
    "SchemaDocument",
    "SiteInput",
    "SiteProfile",
    "SiteResult",
    "build_portfolio",
    "explain_rule",
    "json_schema",
    "load_programme",
    "load_rule_base",
    "load_site",
    "read_site_inputs",
    "render_plan",
    "run_batch",
]


def __getattr__(name: str) -> Any:
    """Import a public name's module the first time the name is used (PEP 562)."""
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'replicate' has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name, __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
