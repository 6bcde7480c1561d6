"""The plan builder: findings in, a 'replication, not duplication' adaptation plan out."""

from .builder import build_plan
from .model import AdaptationPlan
from .questions import UndeterminedRule

__all__ = ["AdaptationPlan", "UndeterminedRule", "build_plan"]
