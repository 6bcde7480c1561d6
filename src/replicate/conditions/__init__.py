"""The condition language, at the bottom of the house: parse, check, analyse, evaluate, compile.

    condition = parse('site.setting == "rural" and site.funding.funding_coverage < 0.5')
    check_condition(condition, visible_fields, every_field)   # [(column, message), ...]
    evaluate(condition, {"site.setting": "rural"})            # Truth.UNKNOWN: coverage not stated
    run = compile_condition(condition)                        # once; then run(fact) per fact

The rule loader (`replicate.rules`) and the engines (`replicate.engine`) both build on this
package, and it imports neither (nor anything else of `replicate` but `errors`), so the meaning of
a condition is defined in one place. Each module has one job: `nodes` (the tree), `parse`, `text`
(writing a condition back), `check` (types), `analyse` (fields read, representative values,
conditions that can never or always hold), `evaluate` (three-valued meaning, with a trace for
explanations) and `compiler` (closures with the same meaning, for the hot path).
"""

from __future__ import annotations

from .analyse import ConditionFinding, analyse_condition, fields_in
from .check import TypeProblem, check_condition
from .compiler import Compiled, compile_condition
from .evaluate import MISSING, Step, Truth, evaluate, explain
from .fields import FieldSpec, FieldType
from .hints import explain_syntax_error
from .nodes import (
    And,
    AnyNode,
    Compare,
    Condition,
    Constant,
    Field,
    ListConstant,
    Literal_,
    Member,
    Not,
    Operand,
    Or,
    Presence,
    Truthy,
    Value,
)
from .parse import ExpressionError, parse
from .text import literal_text, render

__all__ = [
    "MISSING",
    "And",
    "AnyNode",
    "Compare",
    "Compiled",
    "Condition",
    "ConditionFinding",
    "Constant",
    "ExpressionError",
    "Field",
    "FieldSpec",
    "FieldType",
    "ListConstant",
    "Literal_",
    "Member",
    "Not",
    "Operand",
    "Or",
    "Presence",
    "Step",
    "Truth",
    "Truthy",
    "TypeProblem",
    "Value",
    "analyse_condition",
    "check_condition",
    "compile_condition",
    "evaluate",
    "explain",
    "explain_syntax_error",
    "fields_in",
    "literal_text",
    "parse",
    "render",
]
