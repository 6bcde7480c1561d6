"""A rule base: the shipped rules plus any local packs, checked as a whole.

A pack is a folder of rule files (and decision tables) with an optional `pack.yaml`:

    name: camden-local          # recorded in every plan made with the pack
    version: "2024.1"
    disable: [BI-NO-CHAMPIONS]  # switch off earlier rules by id
    override: [RS-FUNDING-TABLE-1]  # this pack's rule of the same id replaces the earlier one
    vocabulary:                 # tags this pack's programmes and sites may use, beyond the shipped ones
      needs: {kinship_care: Support for relatives raising a child.}
      conditions: {county_lines_protocol: A protocol for children exploited by county lines.}

A pack rule whose id an earlier pack (or the shipped base) already defines replaces it only if the
id is listed under `override`; otherwise it is a duplicate, so a rule is never replaced by accident.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, Problem, RuleError, did_you_mean, format_path
from ..input_files import exists, is_file, os_reason, read_bounded
from ..resources import shipped_rules_dir
from ..schema.vocabulary import Vocabulary, parse_vocabulary, shipped_vocabulary

if TYPE_CHECKING:
    from .loader import LoadResult
    from .model import Rule
    from .parameters import Parameter

# The loader, the checker and the YAML parser are imported by the functions that read rule files:
# a rule base found in the cache (the usual start) needs none of them.

MANIFEST = "pack.yaml"
"""A pack's manifest (`loader.PACK_MANIFEST`, which the loader never reads as a rule file)."""


@dataclass(frozen=True)
class PackInfo:
    name: str
    version: str
    path: str
    disables: tuple[str, ...] = ()
    overrides: tuple[str, ...] = ()
    vocabulary: Vocabulary = field(default_factory=Vocabulary)


@dataclass(frozen=True)
class RuleBase:
    rules: tuple[Rule, ...]
    packs: tuple[PackInfo, ...]
    vocabulary: Vocabulary
    """The shipped tag vocabulary with every pack's additions. Kept with the rules (and in the cache
    with them) so a start that finds its rule base cached needs no YAML parser at all."""
    parameters: Mapping[str, Parameter] = field(default_factory=dict)
    """Every named parameter with the value in force (a later pack's value wins)."""

    def by_id(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.rules}

    def rule_count(self, pack: str) -> int:
        return sum(1 for rule in self.rules if rule.pack == pack)


def combined_vocabulary(packs: Sequence[PackInfo]) -> Vocabulary:
    vocabulary = shipped_vocabulary()
    for pack in packs:
        vocabulary = vocabulary.extended(pack.vocabulary)
    return vocabulary


def _manifest(folder: Path, default_name: str) -> tuple[PackInfo, list[Problem]]:
    from .yaml_source import MAX_CHARS, YamlProblem, load_yaml

    path = folder / MANIFEST
    if not is_file(path):
        return PackInfo(default_name, "unversioned", str(folder)), []
    source = str(path)
    try:
        located = load_yaml(read_bounded(path, MAX_CHARS).decode("utf-8"), source)
    except YamlProblem as error:
        return PackInfo(default_name, "unversioned", str(folder)), [error.problem]
    except InputError as error:
        return PackInfo(default_name, "unversioned", str(folder)), list(error.problems)
    except UnicodeDecodeError as error:
        return PackInfo(default_name, "unversioned", str(folder)), [
            Problem(source, message=f"not UTF-8 text (offset {error.start})")]
    data: Any = located.data or {}
    problems = []
    allowed = {"name", "version", "disable", "override", "vocabulary"}
    if not isinstance(data, dict):
        return PackInfo(default_name, "unversioned", str(folder)), [
            Problem(source, message="expected a mapping of name, version, disable, override and vocabulary", line=1)]
    for key in sorted(set(data) - allowed):
        line, column = located.position((key,))
        problems.append(Problem(source, message=f"unknown key {key!r}{did_you_mean(str(key), sorted(allowed))}; "
                                f"a pack manifest has {', '.join(sorted(allowed))}", line=line, column=column))
    lists = {}
    for key in ("disable", "override"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            line, column = located.position((key,))
            problems.append(Problem(source, message=f"{key!r} must be a list of rule ids", line=line, column=column))
            value = []
        lists[key] = tuple(value)
    vocabulary, located_problems = parse_vocabulary(data.get("vocabulary") or {})
    for where, message in located_problems:
        line, column = located.position(("vocabulary", *where))
        problems.append(Problem(source, location=format_path(("vocabulary", *where)), message=message,
                                line=line, column=column))
    info = PackInfo(
        name=str(data.get("name", default_name)),
        version=str(data.get("version", "unversioned")),
        path=str(folder),
        disables=lists["disable"],
        overrides=lists["override"],
        vocabulary=vocabulary,
    )
    return info, problems


def pack_vocabulary(packs: Sequence[Path]) -> Vocabulary:
    """The tag vocabulary with these packs' additions, read from their manifests alone (the
    programme is checked before the rules are compiled). Raises `RuleError` for a bad manifest."""
    infos: list[PackInfo] = []
    problems: list[Problem] = []
    for folder in packs:
        info, found = _manifest(Path(folder), Path(folder).name)
        infos.append(info)
        problems += found
    if problems:
        raise RuleError(problems)
    return combined_vocabulary(infos)


def _missing_reason(folder: Path) -> str:
    """"no such rule folder", or the OS's own reason when it is something else (a name too long)."""
    try:
        os.stat(folder)
    except FileNotFoundError:
        return "no such rule folder"
    except (OSError, ValueError) as error:
        return f"cannot read: {os_reason(error)}"
    return "no such rule folder"


def _load_pack(folder: Path, name: str, parameters: Mapping[str, Parameter]) -> tuple[PackInfo, LoadResult]:
    from .loader import LoadResult, load_rule_files

    info, problems = _manifest(folder, name)
    result = load_rule_files([folder], parameters) if exists(folder) else LoadResult(
        problems=[Problem(str(folder), message=_missing_reason(folder))]
    )
    result.problems = problems + result.problems
    result.rules = [replace(rule, pack=info.name) for rule in result.rules]
    return info, result


def collect_rule_base(packs: Sequence[Path] = (), *, shipped: Path | None = None, include_shipped: bool = True
                      ) -> tuple[RuleBase, list[Problem]]:
    """Load the shipped rules and then each pack in order, collecting every problem instead of
    stopping at the first; later packs may disable or override earlier rules by id. The rule base
    returned holds every rule that loaded, so `replicate rules check` can go on to analyse them."""
    from .consistency import check_rule_base
    from .parameters import load_parameter_file, parameter_files, shipped_parameters

    folders: list[tuple[Path, str]] = []
    if include_shipped:
        folders.append((shipped or shipped_rules_dir(), "shipped"))
    folders += [(Path(p), Path(p).resolve().name or str(p)) for p in packs]
    rules: dict[str, Rule] = {}
    infos: list[PackInfo] = []
    problems: list[Problem] = []
    # Parameters first, from every pack in order, so that a pack's value applies to the rules of
    # every pack (the shipped rules included): that is what overriding a number means.
    # A base without the shipped rules still needs the decision model's numbers: start from the
    # shipped parameters, which any pack may override.
    parameters: dict[str, Parameter] = {} if include_shipped else dict(shipped_parameters())
    for folder, name in folders:
        pack_name = _manifest(folder, name)[0].name
        for path in parameter_files(folder):
            loaded, found = load_parameter_file(path, pack_name)
            parameters.update(loaded)
            problems += found
    for folder, name in folders:
        info, result = _load_pack(folder, name, parameters)
        manifest = str(folder / MANIFEST)
        if any(earlier.name == info.name for earlier in infos):
            problems.append(Problem(manifest if is_file(folder / MANIFEST) else str(folder),
                                    message=f"another pack is already named {info.name!r}: give each pack its own "
                                    "name, so plans say which rules they used"))
        infos.append(info)
        problems += result.problems
        for rule_id in info.disables:
            if rules.pop(rule_id, None) is None:
                problems.append(Problem(manifest, message=f"disables {rule_id!r}, which no earlier pack defines"
                                        f"{did_you_mean(rule_id, sorted(rules))}"))
        own_ids = {r.id for r in result.rules}
        for rule in result.rules:
            if rule.id in rules and rule.id not in info.overrides:
                first = rules[rule.id]
                problems.append(Problem(rule.file, line=rule.line, column=1, rule_id=rule.id,
                                        message=f"duplicate rule id (first defined at {first.file}:{first.line}); "
                                        f"list it under 'override' in {MANIFEST} to replace it"))
                continue
            rules[rule.id] = rule
        for rule_id in info.overrides:
            if rule_id not in own_ids:
                problems.append(Problem(manifest, message=f"overrides {rule_id!r} but defines no such rule"
                                        f"{did_you_mean(rule_id, sorted(own_ids))}"))
    enabled = tuple(sorted((r for r in rules.values() if r.spec.enabled), key=lambda r: r.id))
    switched_off = {rule_id for info in infos for rule_id in info.disables} | {
        rule.id for rule in rules.values() if not rule.spec.enabled}
    problems += check_rule_base(enabled, switched_off - {rule.id for rule in enabled})
    ordered = sorted(set(problems), key=lambda p: (p.source, p.line or 0, p.column or 0, p.message))
    return RuleBase(rules=enabled, packs=tuple(infos), vocabulary=combined_vocabulary(infos),
                    parameters=parameters), ordered


def load_rule_base(packs: Sequence[Path] = (), *, shipped: Path | None = None,
                   include_shipped: bool = True) -> RuleBase:
    """Load the shipped rules and then each pack in order; later packs may disable or override
    earlier rules by id. Raises `RuleError` listing every problem found.

    A rule base made from exactly these files before (and by this code) comes from the user's
    cache without being parsed or checked again (`rulebase_cache.py`); a broken one never does."""
    from . import rulebase_cache

    shipped_folder = shipped or shipped_rules_dir()
    folders = [Path(p) for p in packs]
    key = rulebase_cache.entry_key([shipped_folder, *folders] if include_shipped else folders, include_shipped,
                                   shipped_folder) if rulebase_cache.enabled() else None
    if key is not None and (cached := rulebase_cache.read(key)) is not None:
        return cached
    rule_base, problems = collect_rule_base(packs, shipped=shipped, include_shipped=include_shipped)
    if problems:
        raise RuleError(problems)
    if key is not None:
        rulebase_cache.write(key, rule_base)
    return rule_base
