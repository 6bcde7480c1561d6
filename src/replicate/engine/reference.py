"""The reference engine: rules evaluated in plain Python, with the condition language's own meaning.

What a condition means (three-valued logic: a comparison with an unknown field is *unknown*, never
false) is defined in `replicate.conditions.evaluate`; this engine runs each rule's condition,
compiled once into a closure with that meaning (`replicate.conditions.compiler`), on every fact of
its subject. The durable_rules adapter is tested against it on generated profiles, and
`undetermined()` tells which rules missing data left open.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..conditions import Compiled, Truth, compile_condition
from ..facts import SubjectFact
from .base import EngineRule, Match


class ReferenceEngine:
    """Evaluates rules directly in Python. The baseline the durable_rules adapter must agree with."""

    def __init__(self, rules: Sequence[EngineRule]) -> None:
        self._by_subject: dict[str, list[tuple[EngineRule, Compiled]]] = {}
        for rule in rules:
            self._by_subject.setdefault(rule.subject, []).append((rule, compile_condition(rule.condition)))

    def evaluate(self, facts: Sequence[SubjectFact]) -> list[Match]:
        matches = [
            Match(rule.id, fact.subject, fact.key)
            for fact in facts
            for rule, run in self._by_subject.get(fact.subject, ())
            if run(fact.values) is Truth.TRUE
        ]
        return sorted(matches)

    def undetermined(self, facts: Sequence[SubjectFact]) -> list[tuple[EngineRule, SubjectFact, list[str]]]:
        """Rules whose outcome missing data left open, with the unknown fields they needed."""
        open_rules = []
        for fact in facts:
            for rule, run in self._by_subject.get(fact.subject, ()):
                if run(fact.values) is Truth.UNKNOWN:
                    missing = sorted({path for path in rule.fields if path not in fact.values})
                    open_rules.append((rule, fact, missing))
        return open_rules

    def compiled(self, subject: str) -> list[tuple[EngineRule, Compiled]]:
        """The rules about `subject`, each with its compiled condition, in the order given."""
        return self._by_subject.get(subject, [])


__all__ = ["ReferenceEngine"]
