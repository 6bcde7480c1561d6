"""durable_rules is used by one module only, so its traps are handled in one place."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "replicate"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_adapter_imports_durable_rules() -> None:
    importers = sorted(str(path.relative_to(SRC)) for path in SRC.rglob("*.py")
                       if _imports(path) & {"durable", "durable_rules_engine"})
    assert importers == ["engine/durable_adapter.py"]
