"""The plan builder: findings in, a 'replication, not duplication' adaptation plan out.

The names here load on first use: a batch's parent process reads plan models (a portfolio row's
verdict) without building plans, and should not import the builder, the decision model and the
rule parameters behind them."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .builder import build_plan
    from .model import AdaptationPlan
    from .questions import UndeterminedRule

_LAZY = {"build_plan": ".builder", "AdaptationPlan": ".model", "UndeterminedRule": ".questions"}

__all__ = ["AdaptationPlan", "UndeterminedRule", "build_plan"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
