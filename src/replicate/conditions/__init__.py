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

import importlib
from typing import TYPE_CHECKING, Any

# `parse` and `evaluate` are named like their modules: imported here, the functions take the names
# (imported lazily, a later `import replicate.conditions.parse` would leave the module there).
from .evaluate import MISSING, Step, Truth, evaluate, explain
from .parse import ExpressionError, parse

if TYPE_CHECKING:  # what type checkers see; at run time the other names load on first use
    from .analyse import ConditionFinding, analyse_condition
    from .check import TypeProblem, check_condition
    from .compiler import Compiled, compile_condition
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
    from .text import literal_text, render
    from .walk import fields_in

_LAZY = {
    "And": ".nodes",
    "AnyNode": ".nodes",
    "Compare": ".nodes",
    "Compiled": ".compiler",
    "Condition": ".nodes",
    "ConditionFinding": ".analyse",
    "Constant": ".nodes",
    "Field": ".nodes",
    "FieldSpec": ".fields",
    "FieldType": ".fields",
    "ListConstant": ".nodes",
    "Literal_": ".nodes",
    "Member": ".nodes",
    "Not": ".nodes",
    "Operand": ".nodes",
    "Or": ".nodes",
    "Presence": ".nodes",
    "Truthy": ".nodes",
    "TypeProblem": ".check",
    "Value": ".nodes",
    "analyse_condition": ".analyse",
    "check_condition": ".check",
    "compile_condition": ".compiler",
    "explain_syntax_error": ".hints",
    "fields_in": ".walk",
    "literal_text": ".text",
    "render": ".text",
}

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


def __getattr__(name: str) -> Any:
    """Load a name's module on first use: a module that needs only the tree (`conditions.nodes`)
    should not import the checker, the analysis and the compiler with it."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
