"""Named parameters: every number a rule or the decision depends on, defined once with its basis.

The guidance draws almost no numeric lines ("dedicated time", a "tipping point"), so any number the
rule base uses is either a reading of a passage or a local choice. Writing it as a named parameter
(`param.lead_hours_min` in a condition, `{param.lead_hours_min}` in advice) means that:

- it is defined in one place (`parameters.yaml` of the shipped base or of a pack) with its value,
  unit, basis and reason, so conditions and action texts can never disagree about it;
- a council's rule pack can change it without copying a rule (a later pack's value wins);
- the plan can say which findings rest on which local value.

Parameters are bound when the rule base is assembled: a condition's `param.NAME` becomes the
constant, so the engines never see parameters and need no code for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from typing_extensions import assert_never

from ..conditions import (
    And,
    Compare,
    Condition,
    Constant,
    Field,
    ListConstant,
    Member,
    Not,
    Operand,
    Or,
    Presence,
    Truthy,
)
from ..conditions.walk import tests_in
from ..errors import Problem, format_path
from .model import ParameterSpec

PARAMETER_FILE = "parameters.yaml"
"""The reserved file name in a rule folder that holds its parameters (never read as rules); a file
ending in `.parameters.yaml` (such as `buy_in.parameters.yaml`, beside the rules that use them) is
a parameter file too."""
PARAMETER_SUFFIX = ".parameters.yaml"


def is_parameter_file(path: Path) -> bool:
    return path.name == PARAMETER_FILE or path.name.endswith(PARAMETER_SUFFIX)
PREFIX = "param."
SMALL_NUMBERS = (0, 1)
"""Numbers a condition may use bare: `== 0` and `>= 1` say "none" and "any", not a threshold."""


@dataclass(frozen=True)
class Parameter:
    """A parameter's definition and where its value came from."""

    spec: ParameterSpec
    file: str
    line: int
    pack: str = "shipped"

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def value(self) -> int | float:
        return self.spec.value


Parameters = Mapping[str, Parameter]


def load_parameter_text(text: str, source: str, pack: str = "shipped") -> tuple[dict[str, Parameter], list[Problem]]:
    """The parameters of one `parameters.yaml`, and every problem in it with its line."""
    from .yaml_source import YamlProblem, load_yaml  # here: a rule base from the cache needs no YAML parser

    try:
        located = load_yaml(text, source)
    except YamlProblem as error:
        return {}, [error.problem]
    data: Any = located.data
    if not isinstance(data, dict) or not isinstance(data.get("parameters"), list) or set(data) != {"parameters"}:
        return {}, [Problem(source, message="expected a mapping with one key, 'parameters:', holding a list", line=1)]
    found: dict[str, Parameter] = {}
    problems: list[Problem] = []
    for index, entry in enumerate(data["parameters"]):
        base: tuple[str | int, ...] = ("parameters", index)
        line, column = located.position(base)
        try:
            spec = ParameterSpec.model_validate(entry, strict=True)
        except ValidationError as error:
            for detail in error.errors(include_url=False):
                where = format_path(tuple(detail["loc"]))
                at_line, at_column = located.position((*base, *detail["loc"]))
                problems.append(Problem(source, message=f"parameter {where}: {detail['msg']}" if where
                                        else f"parameter: {detail['msg']}", line=at_line, column=at_column))
            continue
        if isinstance(spec.value, bool):
            problems.append(Problem(source, message=f"parameter {spec.name!r}: the value must be a number",
                                    line=line, column=column))
            continue
        if spec.name in found:
            problems.append(Problem(source, message=f"parameter {spec.name!r} is defined twice in this file",
                                    line=line, column=column))
            continue
        found[spec.name] = Parameter(spec, source, line, pack)
    return found, problems


def load_parameter_file(path: Path, pack: str = "shipped") -> tuple[dict[str, Parameter], list[Problem]]:
    source = str(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        return {}, [Problem(source, message=f"cannot read: {error.strerror or error}")]
    except UnicodeDecodeError as error:
        return {}, [Problem(source, message=f"not UTF-8 text (offset {error.start})")]
    return load_parameter_text(text, source, pack)


def parameter_files(folder: Path) -> list[Path]:
    """The parameter files of a rule folder (its own and any sub-folder's), sorted. A folder that
    cannot be read (missing, a name too long) has none here: loading its rules says why."""
    try:
        if folder.is_file():
            return [folder] if is_parameter_file(folder) else []
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.rglob("*.yaml") if p.is_file() and is_parameter_file(p))
    except OSError:
        return []


@cache
def shipped_parameters() -> dict[str, Parameter]:
    """The shipped base's parameters, for loading a rule file on its own (tests, `rules check FILE`)."""
    from ..resources import shipped_rules_dir

    found: dict[str, Parameter] = {}
    for path in parameter_files(shipped_rules_dir()):
        loaded, _problems = load_parameter_file(path)
        found.update(loaded)
    return found


def bare_thresholds(condition: Condition) -> list[tuple[int, float]]:
    """Numbers compared against a field that are not named parameters: (column, value) each."""
    found: list[tuple[int, float]] = []

    def operand(node: Operand) -> None:
        match node:
            case Constant(value=value) if isinstance(value, int | float) and not isinstance(value, bool):
                if value not in SMALL_NUMBERS:
                    found.append((node.column, value))
            case Constant() | Field() | ListConstant():
                pass
            case _:
                assert_never(node)

    for test in tests_in(condition):
        match test:
            case Compare(left=left, right=right):
                operand(left)
                operand(right)
            case Member() | Presence() | Truthy():
                pass
            case _:
                assert_never(test)
    return found


def bind(condition: Condition, parameters: Parameters) -> tuple[Condition, list[str], list[tuple[int, str]]]:
    """The condition with every `param.NAME` replaced by its value; the names used; and the
    (column, name) of each reference to a parameter that does not exist."""
    used: list[str] = []
    unknown: list[tuple[int, str]] = []

    def operand(node: Operand) -> Operand:
        match node:
            case Field(path=path) if path.startswith(PREFIX):
                name = path[len(PREFIX):]
                parameter = parameters.get(name)
                if parameter is None:
                    unknown.append((node.column, name))
                    return node
                used.append(name)
                return Constant(node.column, parameter.value)
            case Field() | Constant() | ListConstant():
                return node
            case _:
                assert_never(node)

    def visit(node: Condition) -> Condition:
        match node:
            case Compare(column=column, op=op, left=left, right=right):
                return Compare(column, op, operand(left), operand(right))
            case Member(column=column, item=item, container=container, negated=negated):
                return Member(column, operand(item), operand(container), negated)
            case Presence() | Truthy():
                return node
            case Not(column=column, operand=inner):
                return Not(column, visit(inner))
            case And(column=column, operands=items):
                return And(column, tuple(visit(item) for item in items))
            case Or(column=column, operands=items):
                return Or(column, tuple(visit(item) for item in items))
            case _:
                assert_never(node)

    bound = visit(condition)
    return bound, list(dict.fromkeys(used)), unknown


def show_value(parameter: Parameter) -> str:
    """A parameter's value as advice shows it: 7.5, 10, and a share as a percentage (75%), which is
    how a reader expects a proportion (never 0.75 or 1e-05)."""
    value = parameter.value
    if parameter.spec.unit.startswith("share"):
        return f"{value * 100:g}%"
    return f"{value:g}" if isinstance(value, float) else str(value)
