"""Load rule files into checked `Rule`s, collecting every problem with its file, line and column.

Nothing reaches the engine until the whole rule base is clean: parse errors, unknown fields (with
a did-you-mean), type mismatches, bad placeholders, unknown factor ids and duplicate ids are all
reported together, like a compiler.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..conditions import ExpressionError, explain_syntax_error, fields_in, parse
from ..errors import InputError, Problem, RuleError, did_you_mean, format_path
from ..guidance import factors
from ..input_files import read_bounded
from .checker import analyse_condition, check_condition
from .fields import fields_for
from .model import Rule, RuleSpec
from .parameters import (
    PARAMETER_FILE,
    PREFIX,
    Parameters,
    bare_thresholds,
    bind,
    is_parameter_file,
    shipped_parameters,
    show_value,
)
from .templates import ACTION_TERMS, PLACEHOLDER, placeholders
from .yaml_source import MAX_CHARS, Located, YamlProblem, load_yaml

RULE_FILE_SUFFIXES = (".yaml", ".yml", ".csv")
"""Rule files, decision tables in YAML, and decision tables in CSV."""
PACK_MANIFEST = "pack.yaml"
"""A rule pack's manifest (see rulebase.py): never read as a rule file."""


_EXAMPLE_TYPES: dict[str, type | tuple[type, ...]] = {
    "boolean": bool, "number": (int, float), "string": str, "list": list,
}


@dataclass
class LoadResult:
    rules: list[Rule] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


_MISSING_KEY_HINTS = {
    "source": "every rule must cite the guidance it rests on: source: {theme: ..., quote: \"...\"}",
    "factors": "every rule must list the guidance factor ids it encodes, such as [RS1]",
    "when": "the condition under which the rule fires",
}


def spec_problems(error: ValidationError, located: Located, base: tuple[str | int, ...], source: str,
                  rule_id: str | None, allowed_keys: Sequence[str] = tuple(RuleSpec.model_fields)) -> list[Problem]:
    """Turn pydantic's errors about one rule into problems placed at the offending key's line and
    column, with did-you-mean for misspelt keys and values and a reason for each required key."""
    problems = []
    for detail in error.errors(include_url=False):
        loc = tuple(detail["loc"])
        line, column = located.position((*base, *loc))
        message = detail["msg"]
        if detail["type"] == "extra_forbidden":
            message = f"unknown key {loc[-1]!r}{did_you_mean(str(loc[-1]), sorted(allowed_keys))}"
            loc = loc[:-1]
        elif detail["type"] == "missing":
            hint = _MISSING_KEY_HINTS.get(str(loc[-1])) if len(loc) == 1 else None
            message = f"missing key {loc[-1]!r}" + (f": {hint}" if hint else "")
            loc = loc[:-1]
        elif detail["type"] == "literal_error" and isinstance(detail.get("input"), str):
            expected = detail.get("ctx", {}).get("expected", "")
            choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip(" '")]
            message = f"{message}{did_you_mean(detail['input'], choices)}"
        where = format_path(loc)
        problems.append(Problem(source, message=f"{where}: {message}" if where else message, line=line,
                                column=column, rule_id=rule_id))
    return problems


def _condition_column(located: Located, path: tuple[str | int, ...], offset: int) -> tuple[int, int]:
    """Where a column inside the `when` text is in the file (exact for single-line conditions)."""
    line, column = located.position(path)
    style = located.styles.get(path)
    if style in (None, "", "'", '"'):
        return line, column + offset - 1 + (1 if style in ("'", '"') else 0)
    return line + 1, offset


_TEXT_KEYS: tuple[tuple[str, ...], ...] = (("advice",), ("action", "do"), ("action", "done_when"))
"""The texts of a rule that may name parameters as `{param.NAME}`."""


def _text_at(spec: RuleSpec, key: tuple[str, ...]) -> str | None:
    value: object = spec
    for name in key:
        value = getattr(value, name, None)
    return value if isinstance(value, str) else None


def _bind_texts(spec: RuleSpec, parameters: Parameters) -> tuple[RuleSpec, list[str]]:
    """The spec with `{param.NAME}` in its texts replaced by values, and the names used."""
    used: list[str] = []

    def fill(text: str) -> str:
        def one(match: re.Match[str]) -> str:
            path = match.group(1)
            if not path.startswith(PREFIX) or path[len(PREFIX):] not in parameters:
                return match.group(0)
            used.append(path[len(PREFIX):])
            return show_value(parameters[path[len(PREFIX):]])

        return PLACEHOLDER.sub(one, text)

    update: dict[str, object] = {"advice": fill(spec.advice)}
    if spec.action is not None:
        action_update: dict[str, object] = {"do": fill(spec.action.do)}
        if spec.action.done_when is not None:
            action_update["done_when"] = fill(spec.action.done_when)
        update["action"] = spec.action.model_copy(update=action_update)
    return spec.model_copy(update=update), used


def check_rule(spec: RuleSpec, located: Located, base: tuple[str | int, ...], source: str,
               parameters: Parameters | None = None) -> tuple[Rule | None, list[Problem]]:
    """Check one rule completely and bind its parameters (the shipped ones unless given)."""
    if parameters is None:
        parameters = shipped_parameters()
    problems: list[Problem] = []

    def report(path: tuple[str | int, ...], message: str, offset: int | None = None) -> None:
        if offset is None:
            line, column = located.position((*base, *path))
        else:
            line, column = _condition_column(located, (*base, *path), offset)
        problems.append(Problem(source, message=message, line=line, column=column, rule_id=spec.id))

    condition = None
    used: list[str] = []
    try:
        condition = parse(spec.when)
    except ExpressionError as error:
        report(("when",), explain_syntax_error(spec.when, error.message, error.column), error.column)
    if condition is not None:
        for column, number in bare_thresholds(condition):
            report(("when",), f"bare numeric threshold {number:g}: name it in {PARAMETER_FILE} (value, unit, "
                   "basis, reason) and write param.NAME here, so its basis is stated once", column)
        condition, used, unknown = bind(condition, parameters)
        for column, name in unknown:
            report(("when",), f"unknown parameter {name!r}{did_you_mean(name, sorted(parameters))}", column)
    if condition is not None and not problems:
        type_problems = check_condition(condition, spec.for_each)
        for column, message in type_problems:
            report(("when",), message, column)
        if not type_problems:
            for finding in analyse_condition(condition, spec.for_each):
                report(("when",), finding.message)
    visible = fields_for(spec.for_each)
    for key in _TEXT_KEYS:
        text = _text_at(spec, key)
        for path, _column in placeholders(text or ""):
            if path.startswith(PREFIX):
                name = path[len(PREFIX):]
                if name not in parameters:
                    report(key, f"placeholder {{{path}}} names no parameter{did_you_mean(name, sorted(parameters))}")
            elif key != ("advice",) and path not in ACTION_TERMS:
                report(key, "placeholder {" + path + "}: action texts may name parameters ({param.NAME}) and only "
                       + ", ".join("{" + term + "}" for term in ACTION_TERMS))
            elif path not in visible:
                report(key, f"placeholder {{{path}}} names no field{did_you_mean(path, sorted(visible))}")
    if spec.basis is None:
        report((), "missing key 'basis': say whether the guidance says this (guidance), it is a reading of a "
               "passage (interpretation) or a local line (local_default)")
    if spec.action is not None and not spec.action.done_when:
        report(("action",), "the action has no 'done_when': say how anyone can tell it is done (a signed "
               "agreement, a budget line, a named person)")
    if spec.action is not None and spec.action.recordable and (
            spec.action.phase != "before_launch" or spec.for_each != "site"
            or spec.effect.decision in ("not_yet", "do_not_replicate")):
        report(("action", "recordable"), "only a before-launch action of a rule about the whole site, whose "
               "decision effect is at most 'conditions', can be recorded as done: groundwork is not waived by a record")
    known_factors = factors()
    for index, factor_id in enumerate(spec.factors):
        if factor_id not in known_factors:
            report(("factors", index), f"unknown factor {factor_id!r}{did_you_mean(factor_id, list(known_factors))}")
    for index, example in enumerate(spec.examples):
        for path, value in example.given.items():
            field_spec = visible.get(path)
            if field_spec is None:
                report(("examples", index, "given", path),
                       f"example gives unknown field {path!r}{did_you_mean(path, sorted(visible))}")
                continue
            expected = _EXAMPLE_TYPES[field_spec.type]
            if not isinstance(value, expected) or (field_spec.type == "number" and isinstance(value, bool)):
                report(("examples", index, "given", path), f"example value {value!r} is not {field_spec.type}")
    if condition is None or problems:
        return None, problems
    paths = tuple(dict.fromkeys(f.path for f in fields_in(condition)))
    line, _ = located.position(base)
    bound_spec, text_parameters = _bind_texts(spec, parameters)
    names = tuple(dict.fromkeys([*used, *text_parameters]))
    return Rule(spec=bound_spec, condition=condition, fields=paths, file=source, line=line,
                parameters=names), problems


def load_rule_text(text: str, source: str, parameters: Parameters | None = None) -> LoadResult:
    """Load the rules of one YAML document: a `rules:` list, or a decision `table:`; a source
    ending in `.csv` is a decision table in CSV. Parameters default to the shipped ones."""
    from . import table_csv, tables  # tables build on this module, so they are imported when first needed

    if source.endswith(".csv"):
        return table_csv.load_csv_table(text, source, parameters)
    result = LoadResult()
    try:
        located = load_yaml(text, source)
    except YamlProblem as error:
        result.problems.append(error.problem)
        return result
    data: Any = located.data
    if data is None:
        result.problems.append(Problem(source, message="the file is empty: expected a 'rules:' list", line=1))
        return result
    if isinstance(data, dict) and "table" in data and "rules" not in data:
        return tables.load_table(located, source, parameters)
    if not isinstance(data, dict) or "rules" not in data:
        result.problems.append(Problem(source, message="expected a mapping with a 'rules:' list "
                                       "(or a decision 'table:')", line=1, column=1))
        return result
    extra = sorted(set(data) - {"rules"})
    for key in extra:
        line, column = located.position((key,))
        result.problems.append(Problem(source, message=f"unknown top-level key {key!r}", line=line, column=column))
    entries = data["rules"]
    if not isinstance(entries, list):
        line, column = located.position(("rules",))
        result.problems.append(Problem(source, message="'rules' must be a list", line=line, column=column))
        return result
    for index, entry in enumerate(entries):
        base: tuple[str | int, ...] = ("rules", index)
        rule_id = entry.get("id") if isinstance(entry, dict) and isinstance(entry.get("id"), str) else None
        if not isinstance(entry, dict):
            line, column = located.position(base)
            result.problems.append(Problem(source, message="each rule must be a mapping", line=line, column=column))
            continue
        try:
            spec = RuleSpec.model_validate(entry, strict=True)
        except ValidationError as error:
            result.problems += spec_problems(error, located, base, source, rule_id)
            continue
        rule, problems = check_rule(spec, located, base, source, parameters)
        result.problems += problems
        if rule is not None:
            result.rules.append(rule)
    return result


def rule_files(paths: Iterable[Path]) -> list[Path]:
    """The rule files under each path (a file, or a folder searched recursively), sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in RULE_FILE_SUFFIXES and p.is_file()
                            and not p.name.startswith("_") and p.name != PACK_MANIFEST
                            and not is_parameter_file(p))
        elif not is_parameter_file(path):
            found.append(path)
    return found


def load_rule_files(paths: Sequence[Path], parameters: Parameters | None = None) -> LoadResult:
    """Load and check every rule file; duplicate ids across files are problems too."""
    result = LoadResult()
    for path in rule_files(paths):
        source = str(path)
        try:
            text = read_bounded(path, MAX_CHARS).decode("utf-8")
        except InputError as error:  # missing, a device or FIFO, over the limit, a name too long
            result.problems += error.problems
            continue
        except UnicodeDecodeError as error:
            result.problems.append(Problem(source, message=f"not UTF-8 text (offset {error.start})"))
            continue
        loaded = load_rule_text(text, source, parameters)
        result.rules += loaded.rules
        result.problems += loaded.problems
    seen: dict[str, Rule] = {}
    for rule in result.rules:
        first = seen.get(rule.id)
        if first is not None:
            result.problems.append(
                Problem(rule.file, message=f"duplicate rule id (first defined at {first.file}:{first.line})",
                        line=rule.line, column=1, rule_id=rule.id)
            )
        else:
            seen[rule.id] = rule
    result.rules = list(seen.values())  # a duplicate is reported once, here, and not loaded
    return result


def load_rules(paths: Sequence[Path]) -> list[Rule]:
    """Load rules, raising one `RuleError` listing every problem if there is any."""
    result = load_rule_files(paths)
    if result.problems:
        raise RuleError(sorted(result.problems, key=lambda p: (p.source, p.line or 0, p.column or 0)))
    return result.rules
