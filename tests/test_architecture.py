"""The shape of the package: parts that depend one way only, the condition language at the bottom,
and modules small enough to read in one sitting.

A part is `replicate.X` for each sub-package or top-level module X. Every import counts, including
those inside functions and under TYPE_CHECKING: a deferred import is still a dependency, only a
later one.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "replicate"
MAX_LINES = 400
CONDITIONS_MAY_IMPORT = {"errors", "terminal"}
"""Leaf modules the condition language may use: `errors` (for `did_you_mean`), which imports `terminal`."""


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join(parts), path


def _imported(module: str, path: Path) -> Iterator[str]:
    """Every `replicate...` module name `module` imports, relative imports resolved."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                yield node.module or ""
                continue
            base = ".".join(package[: len(package) - node.level + 1])
            if node.module:
                yield f"{base}.{node.module}"
            else:
                yield from (f"{base}.{alias.name}" for alias in node.names)


def _part(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "replicate" and len(parts) > 1 else None


def import_graph() -> dict[str, dict[str, list[str]]]:
    """part -> part it imports -> the modules that do so. `replicate/__init__.py` (the lazy public
    API, which names everything) is the top of the house and not a part."""
    graph: dict[str, dict[str, list[str]]] = {}
    for module, path in _modules():
        source = _part(module)
        if source is None:
            continue
        graph.setdefault(source, {})
        for target in map(_part, _imported(module, path)):
            if target is not None and target != source:
                graph[source].setdefault(target, []).append(module)
    return graph


def cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """The strongly connected components of more than one part (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_two_parts_import_each_other() -> None:
    graph = import_graph()
    assert {"conditions", "engine", "rules", "guidance", "render", "portfolio"} <= set(graph)
    found = cycles(graph)
    details = {
        " <-> ".join(component): {f"{a} -> {b}": graph[a][b] for a in component for b in component if b in graph[a]}
        for component in found
    }
    assert found == [], details


def test_the_condition_language_is_at_the_bottom() -> None:
    """`replicate.conditions` imports no other part but a leaf, and both the rules and the engines
    build on it."""
    graph = import_graph()
    assert set(graph["conditions"]) <= CONDITIONS_MAY_IMPORT, graph["conditions"]
    for leaf in CONDITIONS_MAY_IMPORT:
        assert set(graph.get(leaf, {})) <= CONDITIONS_MAY_IMPORT, (leaf, graph[leaf])
    assert "conditions" in graph["rules"] and "conditions" in graph["engine"]
    assert "rules" not in graph["engine"], graph["engine"].get("rules")


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b": []}, "b": {"c": []}, "c": {"a": []}, "d": {"a": []}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b": []}, "b": {}}) == []


def test_no_module_is_over_the_line_limit() -> None:
    sizes = {str(path.relative_to(PACKAGE)): len(path.read_text(encoding="utf-8").splitlines())
             for _, path in _modules()}
    over = {name: lines for name, lines in sizes.items() if lines > MAX_LINES}
    assert over == {}, f"split these modules (at most {MAX_LINES} lines each): {over}"
