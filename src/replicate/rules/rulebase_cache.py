"""A cache of whole checked rule bases, so that starting `replicate` neither parses nor checks the
rules again while nothing they are made from has changed.

Checking a rule (its types, whether it can ever fire, its parameters and placeholders) is most of
what loading the rule base costs, and its answer depends only on the files read and the code that
reads them. An entry is keyed by a hash of: the code (every `.py` and `.yaml` file of this
package, by size and time of last change), and, for each rule folder in order (the shipped rules
and every pack), its path as given and the name and bytes of every rule, table, parameter and
manifest file under it, with the folder of the shipped rules hashed too because a base without
them still takes their parameters. An
edited, added or removed file is a different key, never a stale hit. Only a rule base that loaded
without problems is stored, so every error is still found and reported by the loader itself.

Entries are JSON, never pickle: loading one builds only dicts, lists, text and numbers, then the
rule models and the condition tree's own dataclasses (only those classes; the name of anything
else is refused). The rule models are constructed, not validated again: they were validated when
the entry was written, and an entry whose seal does not match its bytes is never read
(`cache_files.py`). Validating them would cost a cold start about a tenth of its time, most of it
in building the validators themselves. As in `yaml_cache.py`, whose folder, privacy check,
`REPLICATE_CACHE_DIR` and `REPLICATE_NO_CACHE` this shares (`cache_files.py`): an entry that is
missing, corrupt, of another format or unreadable is ignored and the rule base loaded as if there were no cache; one
that cannot be written is skipped, silently; a folder someone else could write is not used.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ..schema.common import holds_items, models_in
from . import cache_files

if TYPE_CHECKING:
    from .rulebase import RuleBase

FORMAT = 3
MAX_ENTRIES = 32
_SUFFIXES = (".yaml", ".yml", ".csv")
"""Every file a rule folder's loader reads ends in one of these (rules, tables, parameters, manifest)."""
_PREFIX = "rulebase-"


@cache
def _code_version() -> str:
    """Changes whenever any code or data that makes a rule base changes: each of this package's
    files by path, size and time of last change (as Python's own compiled-code cache judges a
    module; reading and hashing them all took a cold start 5 ms), and the YAML parser's version."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"{FORMAT}\0".encode())
    parser = importlib.util.find_spec("ruamel.yaml")  # its version, without importing it
    if parser is not None and parser.origin:
        digest.update(Path(parser.origin).read_bytes())
    found = []
    for folder, subfolders, names in os.walk(package):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        found += [os.path.join(folder, name) for name in names if name.endswith((".py", ".yaml"))]
    for path in sorted(found):
        info = os.stat(path)
        digest.update(f"{os.path.relpath(path, package)}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def _hash_folder(digest: Any, folder: Path) -> None:
    digest.update(b"folder\0" + os.fsencode(str(folder)) + b"\0" + os.fsencode(str(folder.resolve())) + b"\0")
    if not folder.is_dir():
        digest.update(b"missing\0")
        return
    for path in sorted(p for p in folder.rglob("*") if p.suffix in _SUFFIXES):
        digest.update(os.fsencode(str(path.relative_to(folder))) + b"\0")
        if path.is_file():
            data = path.read_bytes()
            digest.update(len(data).to_bytes(8, "big") + data)
        else:
            digest.update(b"not a file\0")


def enabled() -> bool:
    """False when `REPLICATE_NO_CACHE` is set (nothing is then hashed, read or written)."""
    return cache_files.cache_dir() is not None


def entry_key(folders: Sequence[Path], include_shipped: bool, shipped: Path) -> str | None:
    """The key of the rule base made from `folders` (in order), or None if a file cannot be read
    (the loader then reports it, with no cache involved)."""
    try:
        digest = hashlib.sha256(_code_version().encode() + b"\0" + str(include_shipped).encode() + b"\0")
        _hash_folder(digest, shipped)
        for folder in folders:
            _hash_folder(digest, folder)
    except (OSError, ValueError):
        return None
    return str(digest.hexdigest())


# -- encoding -------------------------------------------------------------------------------------


@cache
def _node_classes() -> dict[str, type]:
    """The condition tree's node classes by name: the only classes an entry may name."""
    from ..conditions.nodes import Node

    found: dict[str, type] = {}
    pending: list[type] = [Node]
    while pending:
        cls = pending.pop()
        found[cls.__name__] = cls
        pending += cls.__subclasses__()
    return found


def _encode_node(value: Any) -> Any:
    if isinstance(value, str | bool | int | float) or value is None:
        return value
    if isinstance(value, tuple):
        return [_encode_node(item) for item in value]
    if dataclasses.is_dataclass(value) and _node_classes().get(type(value).__name__) is type(value):
        node = {"node": type(value).__name__}
        node.update({f.name: _encode_node(getattr(value, f.name)) for f in dataclasses.fields(value)})
        return node
    raise TypeError(f"cannot cache a {type(value).__name__} in a condition")


def _decode_node(raw: Any) -> Any:
    if isinstance(raw, str | bool | int | float) or raw is None:
        return raw
    if isinstance(raw, list):
        return tuple(_decode_node(item) for item in raw)
    if isinstance(raw, dict):
        cls = _node_classes()[raw["node"]]  # KeyError for any other name: the entry is not used
        return cls(**{name: _decode_node(value) for name, value in raw.items() if name != "node"})
    raise ValueError("bad node")


def encode(rule_base: RuleBase) -> dict[str, Any]:
    return {
        "rules": [
            {"spec": rule.spec.model_dump(mode="json"), "condition": _encode_node(rule.condition),
             "fields": list(rule.fields), "file": rule.file, "line": rule.line, "pack": rule.pack,
             "parameters": list(rule.parameters)}
            for rule in rule_base.rules
        ],
        "packs": [
            {"name": p.name, "version": p.version, "path": p.path, "disables": list(p.disables),
             "overrides": list(p.overrides), "needs": dict(p.vocabulary.needs),
             "conditions": dict(p.vocabulary.conditions)}
            for p in rule_base.packs
        ],
        "vocabulary": {"needs": dict(rule_base.vocabulary.needs), "conditions": dict(rule_base.vocabulary.conditions)},
        "parameters": [
            {"name": name, "spec": p.spec.model_dump(mode="json"), "file": p.file, "line": p.line, "pack": p.pack}
            for name, p in rule_base.parameters.items()
        ],
    }


def _construct(model: type[BaseModel], raw: Any) -> Any:
    """The model `raw` was dumped from, built without validation: only from a sealed entry."""
    if not isinstance(raw, dict):
        raise ValueError(f"expected a {model.__name__}")
    nested = _nested_models(model)
    values: dict[str, Any] = {name: value if value is None or name not in nested else _nested(*nested[name], value)
                              for name, value in raw.items()}
    return model.model_construct(**values)


def _nested(model: type[BaseModel], items: bool, raw: Any) -> Any:
    if not items:
        return _construct(model, raw)
    if isinstance(raw, dict):
        return {key: _construct(model, value) for key, value in raw.items()}
    return [_construct(model, item) for item in raw]


@cache
def _nested_models(model: type[BaseModel]) -> dict[str, tuple[type[BaseModel], bool]]:
    """The fields of `model` that hold models, and whether they hold items of them (a list or a
    mapping); every other field of a rule model is JSON already (text, numbers, lists and mappings
    of them)."""
    return {name: (inner[0], holds_items(field.annotation)) for name, field in model.model_fields.items()
            if (inner := models_in(field.annotation))}


def _strings(raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise ValueError("expected a list of text")
    return tuple(raw)


def _text(raw: Any) -> str:
    if not isinstance(raw, str):
        raise ValueError("expected text")
    return raw


def _number(raw: Any) -> int:
    if type(raw) is not int:
        raise ValueError("expected a whole number")
    return raw


def _mapping(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise ValueError("expected a mapping of text")
    return raw


def decode(raw: dict[str, Any]) -> RuleBase:
    """The rule base an entry holds; raises ValueError, KeyError or TypeError if it is not well formed."""
    from ..schema.vocabulary import Vocabulary
    from .model import ParameterSpec, Rule, RuleSpec
    from .parameters import Parameter
    from .rulebase import PackInfo, RuleBase

    rules = tuple(
        Rule(spec=_construct(RuleSpec, r["spec"]), condition=_decode_node(r["condition"]),
             fields=_strings(r["fields"]), file=_text(r["file"]), line=_number(r["line"]), pack=_text(r["pack"]),
             parameters=_strings(r["parameters"]))
        for r in raw["rules"]
    )
    packs = tuple(
        PackInfo(name=_text(p["name"]), version=_text(p["version"]), path=_text(p["path"]),
                 disables=_strings(p["disables"]), overrides=_strings(p["overrides"]),
                 vocabulary=Vocabulary(_mapping(p["needs"]), _mapping(p["conditions"])))
        for p in raw["packs"]
    )
    parameters = {
        _text(p["name"]): Parameter(spec=_construct(ParameterSpec, p["spec"]), file=_text(p["file"]),
                                    line=_number(p["line"]), pack=_text(p["pack"]))
        for p in raw["parameters"]
    }
    vocabulary = Vocabulary(_mapping(raw["vocabulary"]["needs"]), _mapping(raw["vocabulary"]["conditions"]))
    return RuleBase(rules=rules, packs=packs, vocabulary=vocabulary, parameters=parameters)


# -- the folder -----------------------------------------------------------------------------------


def read(key: str) -> RuleBase | None:
    """The cached rule base for `key`, or None on a miss or any problem with the cache."""
    raw = cache_files.read_entry(_PREFIX, key, FORMAT)
    if raw is None:
        return None
    try:
        return decode(raw)
    except (ValueError, RecursionError, TypeError, KeyError, AttributeError):
        return None  # pydantic's ValidationError is a ValueError


def write(key: str, rule_base: RuleBase) -> None:
    """Store a rule base; silently does nothing if the cache cannot be written."""
    try:
        fields = encode(rule_base)
    except (TypeError, ValueError, RecursionError):
        return
    cache_files.write_entry(_PREFIX, key, FORMAT, fields, MAX_ENTRIES)

