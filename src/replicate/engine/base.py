"""What every engine is given and gives back, so the durable_rules adapter and the plain-Python
reference evaluator are interchangeable (and can be checked against each other)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ..conditions import Condition
from ..facts import Subject, SubjectFact


@dataclass(frozen=True)
class EngineRule:
    """The part of a rule an engine needs: which subject it is about and its parsed condition."""

    id: str
    subject: Subject
    condition: Condition
    fields: tuple[str, ...]
    """Every field path the condition reads, for projecting facts down to what the rule needs."""


@dataclass(frozen=True, order=True)
class Match:
    """A rule whose condition is true for one subject instance."""

    rule_id: str
    subject: Subject
    subject_key: str


class RuleEngine(Protocol):
    def evaluate(self, facts: Sequence[SubjectFact]) -> list[Match]:
        """Return every (rule, subject instance) whose condition is true, sorted."""
        ...
