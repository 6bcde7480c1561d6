"""Read YAML as plain data, remembering where every value came from, and never building objects.

Rule files are written by hand, so every error must point at a line and column. The file is
*composed* into a node tree (which keeps positions) and converted here; a tag that would build a
Python object (`!!python/object`, or any tag outside YAML's core schema) is refused, so a rule file
can never run code.

Parsing is most of the time it takes to start: a document that parsed cleanly is kept in a JSON
cache keyed by its text (`yaml_cache.py`), and ruamel's C parser (from `ruamel.yaml.clib`, when
installed) is used when the document is shallow enough for it; it gives the same nodes and marks as
the pure-Python parser. Any document the C parser rejects is parsed again in pure Python, so error
messages do not depend on which parser is installed.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from ..errors import Problem
from . import yaml_cache

CORE_TAGS = {
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}
MAX_DEPTH = 50
MAX_CHARS = 5 * 1024 * 1024
"""A rule file is a few KiB; a larger one is a mistake, refused before the (slow) YAML parser sees it."""
SPARE_VALUES = 1000
"""Aliases may repeat a value, but a file may not expand to more values than it has characters
(plus this): written out, each value takes at least one. That stops an alias bomb ("billion
laughs", nine lines that expand to 10^9 values) after a bounded amount of work."""
_QUOTED_START = re.compile(r"""^\s*(?:-\s+)?([A-Za-z_][\w-]*):\s+(["'])(?:(?!\2).)*\2\s*\S""")
"""A value that starts with a quoted part and goes on after it: `when: "x" in site.y`."""
C_PARSER_MAX_NESTING = 1000
"""ruamel's C parser crashes the process on documents nested tens of thousands deep; it is given a
document only when this bounds its nesting (measured safe to 10,000)."""
MIN_CACHED_CHARS = 256
"""Documents shorter than this parse faster than a cache entry is read."""

PathKey = tuple[str | int, ...]


@dataclass
class Located:
    """A YAML document's data, plus the (line, column) of every value, keyed by field path."""

    data: Any
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    styles: dict[PathKey, str | None] = field(default_factory=dict)

    def position(self, path: PathKey) -> tuple[int, int]:
        """The closest known position: the path itself, or the nearest parent that has one."""
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))


class YamlProblem(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _problem(source: str, node: Node, message: str) -> YamlProblem:
    mark = node.start_mark
    return YamlProblem(Problem(source, message=message, line=mark.line + 1, column=mark.column + 1))


class _Converter:
    def __init__(self, yaml: YAML, source: str, budget: int) -> None:
        self.yaml = yaml
        self.source = source
        self.located = Located(None)
        self.budget = budget

    def convert(self, node: Node, path: PathKey, depth: int = 0) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _problem(self.source, node, "anchors and aliases expand this file to more values than it could "
                           "hold written out (an alias bomb?): write the values out instead of repeating aliases")
        if depth > MAX_DEPTH:
            raise _problem(self.source, node, f"nested more than {MAX_DEPTH} levels deep")
        tag = str(node.tag)
        if tag not in CORE_TAGS:
            raise _problem(self.source, node, f"YAML tag {tag!r} is not allowed in rule files")
        self.located.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, MappingNode):
            result: dict[Hashable, Any] = {}
            for key_node, value_node in node.value:
                key = self.convert(key_node, (*path, "<key>"), depth + 1)
                if not isinstance(key, str):
                    raise _problem(self.source, key_node, f"keys must be text, not {key!r}")
                if key in result:
                    raise _problem(self.source, key_node, f"duplicate key {key!r}")
                mark = value_node.start_mark
                key_path = (*path, key)
                self.located.positions[key_path] = (mark.line + 1, mark.column + 1)
                result[key] = self.convert(value_node, key_path, depth + 1)
            self.located.positions.pop((*path, "<key>"), None)
            return result
        if isinstance(node, SequenceNode):
            return [self.convert(item, (*path, index), depth + 1) for index, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        self.located.styles[path] = node.style or None  # the C parser says '' for plain scalars
        value = self.yaml.constructor.construct_object(node, deep=True)
        if tag.endswith(":timestamp"):
            return node.value  # dates are kept as the text the author wrote
        return value


def _quote_hint(text: str, line: int | None) -> str:
    """The fix for the commonest mistake in a condition: starting it with a quoted string, which YAML
    reads as the whole value, so whatever follows the closing quote is a syntax error."""
    if line is None:
        return ""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return ""
    match = _QUOTED_START.match(lines[line - 1])
    if match is None:
        return ""
    key = match.group(1)
    value = lines[line - 1].split(":", 1)[1].strip()
    other = "'" if match.group(2) == '"' else '"'
    return (f". A value that starts with a quote ends at the closing quote: quote the whole condition, "
            f"{key}: {other}{value}{other}")


def load_yaml(text: str, source: str, *, cache: bool = True, c_parser: bool = True) -> Located:
    """Parse one YAML document, raising `YamlProblem` with a line and column on any problem.
    `cache` and `c_parser` exist so the tests can compare every way of getting the same answer."""

    if len(text) > MAX_CHARS:
        raise YamlProblem(Problem(source, message=f"file is {len(text):,} characters; the limit is {MAX_CHARS:,}"))
    cached = cache and len(text) >= MIN_CACHED_CHARS
    if cached and (hit := yaml_cache.read(text)) is not None:
        data, positions, styles = hit
        return Located(data, positions, styles)
    located = None
    if c_parser and _shallow(text):
        with contextlib.suppress(Exception):  # whatever it rejects, the pure parser explains
            located = _load(text, source, pure=False)
    if located is None:
        located = _load(text, source, pure=True)
    if cached:
        yaml_cache.write(text, located.data, located.positions, located.styles)
    return located


def _shallow(text: str) -> bool:
    """A bound on the nesting of any document with this text: a block collection nests only by
    indenting or by `- ` on the same line (each at least one column), a flow one only by brackets."""
    brackets = text.count("[") + text.count("{")
    return brackets <= C_PARSER_MAX_NESTING and (
        max(map(len, text.splitlines()), default=0) + brackets <= C_PARSER_MAX_NESTING
    )


def _load(text: str, source: str, *, pure: bool) -> Located:
    yaml = YAML(typ="safe", pure=pure)
    try:
        node = yaml.compose(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        reason = error.problem or error.context or "invalid YAML"
        raise YamlProblem(Problem(source, message=f"invalid YAML: {reason}{_quote_hint(text, line)}",
                                  line=line, column=column)) from None
    except ReaderError as error:  # a character YAML does not allow, such as NUL: placed by its offset
        line = text.count("\n", 0, error.position) + 1
        column = error.position - text.rfind("\n", 0, error.position)
        reason = f"invalid YAML: character U+{int(error.character):04X} is not allowed here"
        raise YamlProblem(Problem(source, message=reason, line=line, column=column)) from None
    except (YAMLError, RecursionError, ValueError) as error:
        raise YamlProblem(Problem(source, message=f"invalid YAML: {error}")) from None
    converter = _Converter(yaml, source, len(text) + SPARE_VALUES)
    if node is None:
        converter.located.data = None
        return converter.located
    try:
        converter.located.data = converter.convert(node, ())
    except RecursionError:
        raise YamlProblem(Problem(source, message="invalid YAML: nested too deeply")) from None
    except (YAMLError, ValueError) as error:
        raise YamlProblem(Problem(source, message=f"invalid YAML value: {error}")) from None
    return converter.located
