"""What would change the decision: the smallest sets of realistic changes to a site that move the
decision one step up, and all the way to go (`replicate whatif`).

    from replicate.whatif import what_if
    result = what_if(advisor, programme, site, max_changes=3)

Modules: `catalogue` (what a site can change, from catalogue.yaml), `profile` (where a change is
made, and making it), `levers` (candidate changes from the rules' conditions), `search` (the
breadth-first search, re-advising each candidate), `build` (the result), `model` (its models).
"""

from __future__ import annotations

from .build import DEFAULT_LIMIT, DEFAULT_MAX_CHANGES, what_if
from .model import Goal, LeverEffect, ProposedChange, Suggestion, WhatIf

__all__ = [
    "DEFAULT_LIMIT",
    "DEFAULT_MAX_CHANGES",
    "Goal",
    "LeverEffect",
    "ProposedChange",
    "Suggestion",
    "WhatIf",
    "what_if",
]
