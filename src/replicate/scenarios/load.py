"""Read scenario files: YAML with every problem placed at its file, line and column.

A scenario's site (and an inline programme) is validated with the same loaders as the CLI's
inputs, so a scenario can never hold a profile that `replicate advise` would refuse; their field
paths are mapped back to lines in the scenario file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import InputError, Problem, did_you_mean, format_path
from ..loading import check_site_against, load_programme, load_site, read_text
from ..resources import shipped_profiles_dir
from ..rules.fields import catalogue
from ..rules.yaml_source import Located, PathKey, YamlProblem, load_yaml
from ..schema import Programme, SiteProfile
from ..schema.common import holds_items, models_in
from .model import ScenarioSpec

SCENARIO_SUFFIXES = (".yaml", ".yml")
_SHIPPED_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,63}$")
_PATH_PART = re.compile(r"\.?([^.\[\]]+)|\[(\d+)\]")


@dataclass(frozen=True)
class Scenario:
    """A scenario ready to run: its file, what it says, and the validated programme and site."""

    path: Path
    spec: ScenarioSpec
    programme: Programme
    site: SiteProfile

    @property
    def label(self) -> str:
        return str(self.path)


def natural_order(path: Path) -> tuple[tuple[int, int | str], ...]:
    """`9-x` before `10-x` before `100-x`: numbered scenario files run and list in their numbers'
    order, however many digits the numbers have."""
    return tuple((0, int(part)) if part.isdigit() else (1, part)
                 for part in re.split(r"(\d+)", path.as_posix()) if part)


def scenario_files(paths: Iterable[Path]) -> list[Path]:
    """The scenario files named, or found (recursively, in natural order) under each folder named."""
    found: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            inside = sorted((p for p in path.rglob("*") if p.suffix in SCENARIO_SUFFIXES and p.is_file()),
                            key=natural_order)
            if not inside:
                problems.append(Problem(str(path), message="no scenario files (*.yaml, *.yml) in this folder"))
            found += inside
        elif path.is_file():
            found.append(path)
        else:
            problems.append(Problem(str(path), message="no such file or folder"))
    if problems:
        raise InputError(problems)
    return found


def _parse_path(location: str) -> PathKey:
    """Undo `format_path`: `partners[2].type` -> ('partners', 2, 'type')."""
    return tuple(int(index) if index else name for name, index in _PATH_PART.findall(location))


def _relocate(error: InputError, located: Located, base: PathKey, source: str) -> list[Problem]:
    """Place a profile loader's problems (field paths inside the site or programme) in the scenario file."""
    problems = []
    for problem in error.problems:
        path = (*base, *_parse_path(problem.location))
        line, column = located.position(path)
        problems.append(Problem(source, location=format_path(path), message=problem.message, line=line,
                                column=column))
    return problems


def _spec_problems(error: ValidationError, located: Located, source: str) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        loc = tuple(detail["loc"])
        message = detail["msg"].removeprefix("Value error, ")
        if detail["type"] == "extra_forbidden":
            message = "unknown key"
        elif detail["type"] == "missing":
            message = "missing key"
        if loc[:1] == ("programme",) and len(loc) == 2:  # each branch of `id or path | mapping` failed
            loc = ("programme",)
            message = "expected a shipped programme id, a path relative to this file, or the programme itself"
        line, column = located.position(loc)
        problems.append(Problem(source, location=format_path(loc), message=message, line=line, column=column))
    return list(dict.fromkeys(problems))


@cache
def _question_paths() -> frozenset[str]:
    """Paths a plan's question can ask: the site's and the programme's, never a rule's view of one
    item (`partner.brings` passed as an expectation that no question could ever match: 1324)."""
    return (frozenset(path for path in catalogue() if path.startswith(("site.", "programme.")))
            | {f"site.{name}" for name in SiteProfile.model_fields})


_ITEM_QUESTIONS = {"partner.": "site.partners.<id>.", "service.": "site.existing_services.<id>.",
                   "adaptation.": "site.adaptations.<id>.", "principle.": "programme.principles.<id>.",
                   "component.": "programme.components.<id>."}
"""How a plan asks about one item, for the rule field a scenario author may write instead."""


def _in_profile(path: str) -> bool:
    """Whether `path` names a field of the site profile or the programme as a plan's question does:
    the field of one item of a list by the item's id or number (`site.partners.pcc.brings`,
    `site.funding.sources.2.months`), which the field catalogue, listing fields once for every
    item, does not hold (1312, 1324)."""
    head, *parts = path.split(".")
    roots: dict[str, type[BaseModel]] = {"site": SiteProfile, "programme": Programme}
    model = roots.get(head)
    item_next = False
    for part in parts:
        if item_next:  # an item's id or number: any
            item_next = False
            continue
        field = model.model_fields.get(part) if model is not None else None
        if field is None:
            return False
        inner = models_in(field.annotation)
        model = inner[0] if inner else None
        item_next = model is not None and holds_items(field.annotation)
    return model is not None or not item_next


def _question_problems(spec: ScenarioSpec, located: Located, source: str) -> list[Problem]:
    known = _question_paths()
    problems = []
    for key, prefixes in (("questions", spec.expect.questions), ("no_questions", spec.expect.no_questions)):
        for index, prefix in enumerate(prefixes):
            if not any(path == prefix or path.startswith(prefix + ".") for path in known) and not _in_profile(prefix):
                line, column = located.position(("expect", key, index))
                item = next((f"; a plan asks it of one item as {asked}{prefix.removeprefix(rule)}"
                             for rule, asked in _ITEM_QUESTIONS.items() if prefix.startswith(rule)), "")
                problems.append(Problem(source, location=f"expect.{key}[{index}]", line=line, column=column,
                                        message=f"no profile field is {prefix!r} or under it"
                                                f"{item or did_you_mean(prefix, sorted(known))}"))
    return problems


def shipped_programmes() -> list[str]:
    return sorted(p.stem for p in (shipped_profiles_dir() / "programmes").glob("*.json"))


def _programme(spec: ScenarioSpec, located: Located, path: Path) -> Programme:
    source = str(path)
    value = spec.programme
    line, column = located.position(("programme",))
    if isinstance(value, dict):
        try:
            return load_programme(value, label=f"{source}:programme")
        except InputError as error:
            raise InputError(_relocate(error, located, ("programme",), source)) from None
    if _SHIPPED_ID.match(value) and not value.endswith(".json"):
        file = shipped_profiles_dir() / "programmes" / f"{value}.json"
        if not file.is_file():
            shipped = shipped_programmes()
            raise InputError([Problem(source, location="programme", line=line, column=column,
                                      message=f"no shipped programme {value!r}{did_you_mean(value, shipped)}; "
                                              f"shipped: {', '.join(shipped)}")])
        return load_programme(file)
    file = path.parent / value
    if not file.is_file():
        raise InputError([Problem(source, location="programme", line=line, column=column,
                                  message=f"no programme file {value!r} (looked for {file})")])
    return load_programme(file)


def _site(data: dict[str, Any], located: Located, source: str) -> tuple[SiteProfile | None, list[Problem]]:
    try:
        return load_site(data, label=f"{source}:site"), []
    except InputError as error:
        return None, _relocate(error, located, ("site",), source)


def load_scenario(path: Path) -> Scenario:
    """Load and check one scenario file, raising `InputError` listing every problem found."""
    source = str(path)
    try:
        located = load_yaml(read_text(path), source)
    except YamlProblem as error:
        raise InputError([error.problem]) from None
    if not isinstance(located.data, dict):
        raise InputError([Problem(source, message="expected a mapping with name, passage, why, programme, "
                                                  "site and expect", line=1, column=1)])
    try:
        spec = ScenarioSpec.model_validate(located.data, strict=True)
    except ValidationError as error:
        problems = _spec_problems(error, located, source)
        site_data = located.data.get("site")
        if isinstance(site_data, dict):  # report the site's problems too, not only the first layer's
            problems += _site(site_data, located, source)[1]
        raise InputError(problems) from None
    problems = _question_problems(spec, located, source)
    programme: Programme | None = None
    try:
        programme = _programme(spec, located, path)
    except InputError as error:
        problems += error.problems
    site, site_problems = _site(spec.site, located, source)
    problems += site_problems
    if programme is not None and site is not None:
        try:
            check_site_against(programme, site, source)
        except InputError as error:
            problems += _relocate(error, located, ("site",), source)
    if problems or programme is None or site is None:
        raise InputError(problems)
    return Scenario(path, spec, programme, site)


def load_scenarios(paths: Sequence[Path]) -> list[Scenario]:
    """Load every scenario under `paths`, reporting the problems of all files together."""
    scenarios: list[Scenario] = []
    problems: list[Problem] = []
    for path in scenario_files(paths):
        try:
            scenarios.append(load_scenario(path))
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    return scenarios

