"""Baseline: the same rules on the same facts, run by hand-written, direct durable_rules calls.

Nothing of the project's adapter is used: the conditions are translated to durable_rules JSON here,
the rulesets are registered on a bare `Host`, and each profile is one session whose facts are
asserted one by one and then deleted. It does only what any correct use must do (the same
three-valued negation, projection under the 252-field limit, rulesets of at most 40 tests, the
warm-up that keeps `delete_state` from crashing) and none of the adapter's bookkeeping (no lock,
no live-session tracking, no state checks), so the difference is what the adapter costs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from durable.engine import Host, MessageNotHandledException

from replicate.engine.base import EngineRule, Match
from replicate.facts import SubjectFact
from replicate.rules import expression as ex

MAX_TESTS = 40
LEN = "__length"
_NEG = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
_OP = {"!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}


class _NoTimers(Host):  # type: ignore[misc]
    def _run(self) -> None:
        return None


def _translate(node: ex.Condition, positive: bool, lists: frozenset[str], paths: set[str]) -> dict[str, Any]:
    """A pattern true exactly when the condition is TRUE (positive) or FALSE (not positive)."""
    if isinstance(node, ex.Not):
        return _translate(node.operand, not positive, lists, paths)
    if isinstance(node, ex.And | ex.Or):
        joiner = "$and" if isinstance(node, ex.And) == positive else "$or"
        return {joiner: [_translate(o, positive, lists, paths) for o in node.operands]}
    if isinstance(node, ex.Truthy):
        paths.add(node.field.path)
        return {node.field.path: positive}
    if isinstance(node, ex.Presence):
        paths.add(node.field.path)
        name = node.field.path + (LEN if node.field.path in lists else "")
        return {"$ex" if node.known == positive else "$nex": {name: 1}}
    if isinstance(node, ex.Compare):
        op = node.op if positive else _NEG[node.op]
        left, right = node.left, node.right
        if not isinstance(left, ex.Field):
            left, right, op = right, left, _FLIP.get(op, op)
        assert isinstance(left, ex.Field)
        paths.add(left.path)
        if isinstance(right, ex.Field):
            paths.add(right.path)
            test = {left.path: {"$m": right.path}} if op == "==" else {_OP[op]: {left.path: {"$m": right.path}}}
            return {"$and": [{"$ex": {left.path: 1}}, {"$ex": {right.path: 1}}, test]}
        assert isinstance(right, ex.Constant)
        return {left.path: right.value} if op == "==" else {_OP[op]: {left.path: right.value}}
    assert isinstance(node, ex.Member)
    inside = positive != node.negated
    if isinstance(node.container, ex.ListConstant):
        assert isinstance(node.item, ex.Field)
        paths.add(node.item.path)
        if inside:
            return {"$or": [{node.item.path: v} for v in node.container.values]}
        return {"$and": [{"$neq": {node.item.path: v}} for v in node.container.values]}
    assert isinstance(node.container, ex.Field) and isinstance(node.item, ex.Constant)
    path, value = node.container.path, node.item.value
    paths.add(path)
    if inside:
        return {"$iany": {path: {"$i": value}}}
    return {"$or": [{path + LEN: 0}, {"$iall": {path: {"$neq": {"$i": value}}}}]}


def _tests(pattern: dict[str, Any]) -> int:
    return sum(sum(_tests(p) for p in v) if k in ("$and", "$or") else 1 for k, v in pattern.items())


class DirectDurable:
    """The rules registered as plain durable_rules rulesets, evaluated with direct host calls."""

    def __init__(self, rules: Sequence[EngineRule], list_fields: frozenset[str]) -> None:
        self.host = _NoTimers()
        self.fired: list[tuple[str, str]] = []
        self.lists = list_fields
        # subject -> [(ruleset name, [(path, parent parts, leaf, is list)])]
        self.by_subject: dict[str, list[tuple[str, list[tuple[str, tuple[str, ...], str, bool]]]]] = {}
        definitions: dict[str, dict[str, Any]] = {}
        current: dict[str, tuple[str, set[str], int]] = {}
        for rule in rules:
            paths: set[str] = set()
            pattern = {"$and": [{"subject": rule.subject}, _translate(rule.condition, True, list_fields, paths)]}
            tests = _tests(pattern)
            name, used, count = current.get(rule.subject, ("", set(), MAX_TESTS + 1))
            if count + tests > MAX_TESTS or len(used | paths) * 2 > 200:
                name = f"{rule.subject}_{sum(1 for n in definitions if n.startswith(rule.subject + '_'))}"
                definitions[name] = {"warm": {"all": [{"m": {"subject": "__warm__"}}], "run": self._record("")}}
                used, count = set(), 0
            definitions[name][rule.id] = {"all": [{"m": pattern}], "run": self._record(rule.id)}
            current[rule.subject] = (name, used | paths, count + tests)
            self._remember(rule.subject, name, used | paths)
        self.host.set_rulesets(definitions)
        for name in definitions:  # durable-rules 2.0.28 crashes deleting a first session with no action
            self.host.assert_fact(name, {"subject": "__warm__", "id": "w", "sid": "w"})
            self.host.delete_state(name, "w")
        self.fired.clear()

    def _remember(self, subject: str, name: str, paths: set[str]) -> None:
        entries = self.by_subject.setdefault(subject, [])
        layout = [(p, tuple(p.split(".")[:-1]), p.split(".")[-1], p in self.lists) for p in sorted(paths)]
        if entries and entries[-1][0] == name:
            entries[-1] = (name, layout)
        else:
            entries.append((name, layout))

    def _record(self, rule_id: str) -> Any:
        fired = self.fired
        return lambda c: fired.append((rule_id, c.m["id"]))

    def evaluate(self, facts: Sequence[SubjectFact], sid: str) -> list[Match]:
        host, used = self.host, set()
        for index, fact in enumerate(facts):
            values = fact.values
            for name, layout in self.by_subject.get(fact.subject, ()):
                message: dict[str, Any] = {"subject": fact.subject, "id": str(index), "sid": sid}
                for path, parents, leaf, is_list in layout:
                    if path in values:
                        node = message
                        for part in parents:
                            node = node.setdefault(part, {})
                        value = values[path]
                        if is_list:
                            node[leaf] = list(value)  # type: ignore[arg-type]
                            node[leaf + LEN] = len(value)  # type: ignore[arg-type]
                        else:
                            node[leaf] = value
                used.add(name)
                with contextlib.suppress(MessageNotHandledException):
                    host.assert_fact(name, message)
        for name in used:
            host.delete_state(name, sid)
        found = {Match(rule_id, facts[int(i)].subject, facts[int(i)].key) for rule_id, i in self.fired}
        self.fired.clear()
        return sorted(found)
