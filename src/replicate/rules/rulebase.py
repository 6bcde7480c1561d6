"""A rule base: the shipped rules plus any local packs, checked as a whole.

A pack is a folder of rule files with an optional `pack.yaml` giving its name and version and the
shipped rules it switches off. A pack rule whose id is a shipped rule's id replaces it only if it
says `override: true` in the pack manifest's `overrides` list; otherwise it is a duplicate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import Problem, RuleError
from ..resources import shipped_rules_dir
from .loader import LoadResult, load_rule_files
from .model import Rule
from .yaml_source import YamlProblem, load_yaml

MANIFEST = "pack.yaml"


@dataclass(frozen=True)
class PackInfo:
    name: str
    version: str
    path: str
    disables: tuple[str, ...] = ()
    overrides: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleBase:
    rules: tuple[Rule, ...]
    packs: tuple[PackInfo, ...]

    def by_id(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.rules}

    def rule_count(self, pack: str) -> int:
        return sum(1 for rule in self.rules if rule.pack == pack)


def _manifest(folder: Path, default_name: str) -> tuple[PackInfo, list[Problem]]:
    path = folder / MANIFEST
    if not path.is_file():
        return PackInfo(default_name, "unversioned", str(folder)), []
    source = str(path)
    try:
        located = load_yaml(path.read_text(encoding="utf-8"), source)
    except YamlProblem as error:
        return PackInfo(default_name, "unversioned", str(folder)), [error.problem]
    except (OSError, UnicodeDecodeError) as error:
        return PackInfo(default_name, "unversioned", str(folder)), [Problem(source, message=f"cannot read: {error}")]
    data: Any = located.data or {}
    problems = []
    allowed = {"name", "version", "disable", "override"}
    if not isinstance(data, dict):
        return PackInfo(default_name, "unversioned", str(folder)), [Problem(source, message="expected a mapping", line=1)]
    for key in sorted(set(data) - allowed):
        line, column = located.position((key,))
        problems.append(Problem(source, message=f"unknown key {key!r}; a pack manifest has "
                                f"{', '.join(sorted(allowed))}", line=line, column=column))
    lists = {}
    for key in ("disable", "override"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            line, column = located.position((key,))
            problems.append(Problem(source, message=f"{key!r} must be a list of rule ids", line=line, column=column))
            value = []
        lists[key] = tuple(value)
    info = PackInfo(
        name=str(data.get("name", default_name)),
        version=str(data.get("version", "unversioned")),
        path=str(folder),
        disables=lists["disable"],
        overrides=lists["override"],
    )
    return info, problems


def _load_pack(folder: Path, name: str) -> tuple[PackInfo, LoadResult]:
    info, problems = _manifest(folder, name)
    result = load_rule_files([folder]) if folder.exists() else LoadResult(
        problems=[Problem(str(folder), message="no such rule folder")]
    )
    result.problems = problems + result.problems
    result.rules = [replace(rule, pack=info.name) for rule in result.rules]
    return info, result


def load_rule_base(packs: Sequence[Path] = (), *, shipped: Path | None = None, include_shipped: bool = True) -> RuleBase:
    """Load the shipped rules and then each pack in order; later packs may disable or override
    earlier rules by id. Raises `RuleError` listing every problem found."""
    folders: list[tuple[Path, str]] = []
    if include_shipped:
        folders.append((shipped or shipped_rules_dir(), "shipped"))
    folders += [(Path(p), Path(p).name or str(p)) for p in packs]
    rules: dict[str, Rule] = {}
    infos: list[PackInfo] = []
    problems: list[Problem] = []
    for folder, name in folders:
        info, result = _load_pack(folder, name)
        infos.append(info)
        problems += result.problems
        for rule_id in info.disables:
            if rules.pop(rule_id, None) is None:
                problems.append(Problem(str(folder / MANIFEST), message=f"disables {rule_id!r}, which no earlier pack defines"))
        for rule in result.rules:
            if rule.id in rules and rule.id not in info.overrides:
                first = rules[rule.id]
                problems.append(Problem(rule.file, line=rule.line, rule_id=rule.id,
                                        message=f"duplicate rule id (first defined at {first.file}:{first.line}); "
                                        f"list it under 'override' in {MANIFEST} to replace it"))
                continue
            rules[rule.id] = rule
        for rule_id in info.overrides:
            if not any(r.id == rule_id for r in result.rules):
                problems.append(Problem(str(folder / MANIFEST), message=f"overrides {rule_id!r} but defines no such rule"))
    if problems:
        raise RuleError(sorted(set(problems), key=lambda p: (p.source, p.line or 0, p.column or 0, p.message)))
    enabled = tuple(sorted((r for r in rules.values() if r.spec.enabled), key=lambda r: r.id))
    return RuleBase(rules=enabled, packs=tuple(infos))
