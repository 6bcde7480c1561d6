"""The plan builder: findings in, a 'replication, not duplication' adaptation plan out."""

from .builder import UndeterminedRule, build_plan
from .model import AdaptationPlan

__all__ = ["AdaptationPlan", "UndeterminedRule", "build_plan"]
