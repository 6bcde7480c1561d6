"""The tag vocabulary: which needs, service types and conditions programmes and sites may name.

Tags are compared exactly, so a typo (`substance_misuse` for `substance_misuse_support`) would
quietly match nothing and the advice would be wrong without a word. The shipped vocabulary
(vocabulary.yaml, each tag with its meaning) is enforced with a did-you-mean; a rule pack extends
it with a `vocabulary:` section of the same form in its pack.yaml. The models keep tags as plain
strings: the vocabulary is checked after validation, and added to the JSON Schema as enums, so
extending it needs no change to the models.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import lru_cache
from importlib.resources import files
from typing import Any, Literal

from .programme import Programme
from .site import SiteProfile

TagKind = Literal["needs", "conditions"]
TAG_KINDS: tuple[TagKind, ...] = ("needs", "conditions")
KIND_WORDS = {"needs": "need or service type", "conditions": "condition"}

Located = tuple[tuple[str | int, ...], str]

TAGGED_FIELDS: dict[str, dict[str, TagKind]] = {
    # model name in the JSON Schema -> field -> the kind of tag its items are
    "Component": {"serves": "needs"},
    "ProvenContext": {"relies_on": "conditions"},
    "ExistingService": {"covers": "needs"},
    "SiteProfile": {"local_needs": "needs", "conditions": "conditions"},
    "PlannedAdaptation": {"works_around": "conditions"},
}


@dataclass(frozen=True)
class Vocabulary:
    """Every tag a programme or site may use, by kind, each with its one-line meaning."""

    needs: Mapping[str, str] = field(default_factory=dict)
    conditions: Mapping[str, str] = field(default_factory=dict)

    def of(self, kind: TagKind) -> Mapping[str, str]:
        return self.needs if kind == "needs" else self.conditions

    def extended(self, other: Vocabulary) -> Vocabulary:
        """This vocabulary and a pack's additions (a pack may also re-word a meaning)."""
        return Vocabulary({**self.needs, **other.needs}, {**self.conditions, **other.conditions})


def parse_vocabulary(data: Any) -> tuple[Vocabulary, list[Located]]:
    """A vocabulary from YAML data (`needs:` and `conditions:`, each a mapping of tag to meaning)."""
    from .common import TAG_PATTERN  # the same form the models require of a tag

    problems: list[Located] = []
    if not isinstance(data, Mapping):
        return Vocabulary(), [((), "a vocabulary is a mapping with 'needs' and 'conditions'")]
    for key in sorted(set(data) - set(TAG_KINDS)):
        close = get_close_matches(str(key), TAG_KINDS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append(((str(key),), f"unknown key{hint}; a vocabulary has 'needs' and 'conditions'"))
    kinds: dict[str, dict[str, str]] = {}
    for kind in TAG_KINDS:
        entries = data.get(kind) or {}
        kinds[kind] = {}
        if not isinstance(entries, Mapping):
            problems.append(((kind,), "must map each tag to a one-line meaning"))
            continue
        for tag, meaning in entries.items():
            if not isinstance(tag, str) or not TAG_PATTERN.match(tag):
                problems.append(((kind, str(tag)), "a tag must be lower-case letters, digits, '_' or '-'"))
            elif not isinstance(meaning, str) or not meaning.strip():
                problems.append(((kind, tag), "give the tag a one-line meaning"))
            else:
                kinds[kind][tag] = meaning.strip()
    return Vocabulary(kinds["needs"], kinds["conditions"]), problems


@lru_cache(maxsize=1)
def shipped_vocabulary() -> Vocabulary:
    from ruamel.yaml import YAML

    text = files(__package__).joinpath("vocabulary.yaml").read_text(encoding="utf-8")
    try:  # the C parser where installed (a shipped, shallow file): a fifth of the time
        data = YAML(typ="safe", pure=False).load(text)
    except Exception:  # no C parser here, or it disagrees: the pure parser decides
        data = YAML(typ="safe", pure=True).load(text)
    vocabulary, problems = parse_vocabulary(data)
    assert not problems, problems  # the shipped file is checked by the tests
    return vocabulary


def _unknown(tags: Iterable[str], path: tuple[str | int, ...], kind: TagKind, vocabulary: Vocabulary) -> list[Located]:
    known = vocabulary.of(kind)
    problems: list[Located] = []
    for index, tag in enumerate(tags):
        if tag not in known:
            close = get_close_matches(tag, sorted(known), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(((*path, index), f"unknown {KIND_WORDS[kind]} {tag!r}{hint}; the tags are listed by "
                             "`replicate schema site`, and a rule pack may add its own"))
    return problems


def check_programme_tags(programme: Programme, vocabulary: Vocabulary | None = None) -> list[Located]:
    vocabulary = vocabulary or shipped_vocabulary()
    problems: list[Located] = []
    for index, component in enumerate(programme.components):
        problems += _unknown(component.serves, ("components", index, "serves"), "needs", vocabulary)
    problems += _unknown(programme.proven_context.relies_on, ("proven_context", "relies_on"), "conditions",
                         vocabulary)
    for index, principle in enumerate(programme.principles):
        for need_index, need in enumerate(principle.needs):
            if need.condition is not None:  # a condition no site could list would be missing everywhere
                found = _unknown([need.condition], ("principles", index, "needs", need_index, "condition"),
                                 "conditions", vocabulary)
                problems += [(path[:-1], message) for path, message in found]
    return problems


def check_site_tags(site: SiteProfile, vocabulary: Vocabulary | None = None) -> list[Located]:
    vocabulary = vocabulary or shipped_vocabulary()
    problems = _unknown(site.local_needs or [], ("local_needs",), "needs", vocabulary)
    problems += _unknown(site.conditions or [], ("conditions",), "conditions", vocabulary)
    for index, service in enumerate(site.existing_services or []):
        problems += _unknown(service.covers, ("existing_services", index, "covers"), "needs", vocabulary)
    for index, adaptation in enumerate(site.adaptations):
        problems += _unknown(adaptation.works_around or [], ("adaptations", index, "works_around"), "conditions",
                             vocabulary)
    return problems


def _tag_schema(kind: TagKind, vocabulary: Vocabulary) -> dict[str, Any]:
    tags = vocabulary.of(kind)
    return {
        "type": "string",
        "enum": sorted(tags),
        "description": f"A {KIND_WORDS[kind]} from the vocabulary: "
        + "; ".join(f"{tag}: {meaning}" for tag, meaning in sorted(tags.items())),
    }


def with_tag_enums(schema: dict[str, Any], vocabulary: Vocabulary | None = None) -> dict[str, Any]:
    """The JSON Schema with every tag field's items listed as an enum, so that editors complete them."""
    vocabulary = vocabulary or shipped_vocabulary()
    definitions = schema.get("$defs", {})
    for model, tagged in TAGGED_FIELDS.items():
        target = schema if schema.get("title") == model else definitions.get(model)
        if target is None:
            continue
        for name, kind in tagged.items():
            _set_items(target.get("properties", {}).get(name), _tag_schema(kind, vocabulary))
    return schema


def _set_items(node: Any, items: dict[str, Any]) -> None:
    """Replace the item schema of an array, or of each array in an `anyOf` (an optional list)."""
    if not isinstance(node, dict):
        return
    if node.get("type") == "array":
        node["items"] = items
    for option in node.get("anyOf", []):
        _set_items(option, items)
