"""The condition language's checks, bound to the field catalogue of a rule's subject.

`replicate.conditions` checks a condition against whatever fields it is given; a rule sees the
fields of its subject (`fields_for`), and the whole catalogue tells it where a field it cannot
see lives. This module is that binding, so the loader and the decision tables ask by subject.
"""

from __future__ import annotations

from .. import conditions
from ..conditions import Condition, ConditionFinding, TypeProblem
from ..facts import Subject
from .fields import catalogue, fields_for


def check_condition(condition: Condition, subject: Subject) -> list[TypeProblem]:
    """Every type problem of a rule's condition, as (column, message)."""
    return conditions.check_condition(condition, fields_for(subject), catalogue())


def analyse_condition(condition: Condition, subject: Subject) -> list[ConditionFinding]:
    """Whether a rule's condition can never be true, or always is."""
    return conditions.analyse_condition(condition, fields_for(subject))


__all__ = ["analyse_condition", "check_condition"]
