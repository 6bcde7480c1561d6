"""The C floor: the same rules on the same facts, run by durable_rules' C engine with nothing else.

Nothing of the project's adapter is used: the conditions are translated to durable_rules JSON here,
registered with `durable_rules_engine.create_ruleset`, and every message is serialised to JSON
*before* the clock starts (`prepare`). What is timed (`run`) is only the C calls any correct use
must make: per fact `assert_fact`, then `start_action_for_state` and `complete_and_start_action`
until no action is left, and per profile one `delete_state` per ruleset it used. It does the same
three-valued negation, projection under the 252-field limit, rulesets of at most 40 tests and
warm-up that keeps `delete_state` from crashing, so the adapter's time over this is what its
Python costs.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import durable_rules_engine as c
from typing_extensions import assert_never

from replicate import conditions as ex
from replicate.engine.base import EngineRule, Match
from replicate.facts import SubjectFact

MAX_TESTS = 40
LEN = "__length"
_NEG = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
_OP = {"!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}

Prepared = list[tuple[int, str]]
"""One profile: (ruleset handle, fact JSON) in order; the sid is the profile's index."""


def _translate(node: ex.Condition, positive: bool, lists: frozenset[str], paths: set[str]) -> dict[str, Any]:
    """A pattern true exactly when the condition is TRUE (positive) or FALSE (not positive)."""
    match node:
        case ex.Not(operand=operand):
            return _translate(operand, not positive, lists, paths)
        case ex.And(operands=operands):
            return {"$and" if positive else "$or": [_translate(o, positive, lists, paths) for o in operands]}
        case ex.Or(operands=operands):
            return {"$or" if positive else "$and": [_translate(o, positive, lists, paths) for o in operands]}
        case ex.Truthy(field=ex.Field(path=path)):
            paths.add(path)
            return {path: positive}
        case ex.Presence(field=ex.Field(path=path), known=known):
            paths.add(path)
            return {"$ex" if known == positive else "$nex": {path + (LEN if path in lists else ""): 1}}
        case ex.Compare():
            return _compare(node, node.op if positive else _NEG[node.op], paths)
        case ex.Member():
            return _member(node, positive != node.negated, paths)
        case _:
            assert_never(node)


def _compare(node: ex.Compare, op: str, paths: set[str]) -> dict[str, Any]:
    match node.left, node.right:
        case (ex.Field(path=left), ex.Field(path=right)):
            paths |= {left, right}
            test = {left: {"$m": right}} if op == "==" else {_OP[op]: {left: {"$m": right}}}
            return {"$and": [{"$ex": {left: 1}}, {"$ex": {right: 1}}, test]}
        case (ex.Field(path=path), ex.Constant(value=value)):
            pass
        case (ex.Constant(value=value), ex.Field(path=path)):
            op = _FLIP.get(op, op)
        case _:
            raise ValueError(f"cannot translate {node!r}")
    paths.add(path)
    return {path: value} if op == "==" else {_OP[op]: {path: value}}


def _member(node: ex.Member, inside: bool, paths: set[str]) -> dict[str, Any]:
    match node.item, node.container:
        case (ex.Field(path=path), ex.ListConstant(values=values)):
            paths.add(path)
            if inside:
                return {"$or": [{path: v} for v in values]}
            return {"$and": [{"$neq": {path: v}} for v in values]}
        case (ex.Constant(value=value), ex.Field(path=path)):
            paths.add(path)
            if inside:
                return {"$iany": {path: {"$i": value}}}
            return {"$or": [{path + LEN: 0}, {"$iall": {path: {"$neq": {"$i": value}}}}]}
        case _:
            raise ValueError(f"cannot translate {node!r}")


def _tests(pattern: dict[str, Any]) -> int:
    return sum(sum(_tests(p) for p in v) if k in ("$and", "$or") else 1 for k, v in pattern.items())


def _head(messages: str) -> str:
    return messages[2 : messages.index('"', 2)]


class CFloor:
    """The rules registered as plain durable_rules rulesets, evaluated with C calls only."""

    def __init__(self, rules: Sequence[EngineRule], list_fields: frozenset[str], *, nested: bool = False) -> None:
        self.lists = list_fields
        self.nested = nested
        self.rule_ids: dict[int, dict[str, str]] = {}
        self.by_subject: dict[str, list[tuple[int, list[str]]]] = {}
        definitions: dict[str, dict[str, Any]] = {}
        names: dict[str, dict[str, str]] = {}  # ruleset -> rule name in it -> rule id
        paths_of: dict[str, set[str]] = {}
        current: dict[str, tuple[str, int]] = {}
        for rule in rules:
            paths: set[str] = set()
            pattern = {"$and": [{"subject": rule.subject}, _translate(rule.condition, True, list_fields, paths)]}
            tests = _tests(pattern)
            name, count = current.get(rule.subject, ("", MAX_TESTS + 1))
            if not name or count + tests > MAX_TESTS or len(paths_of[name] | paths) * 2 > 200:
                name = f"{rule.subject}_{sum(1 for n in definitions if n.startswith(rule.subject + '_'))}"
                definitions[name] = {"warm": {"all": [{"m": {"subject": "__warm__"}}]}}
                names[name], paths_of[name], count = {}, set(), 0
            rule_name = f"r{len(names[name])}"
            definitions[name][rule_name] = {"all": [{"m": pattern}]}
            names[name][rule_name] = rule.id
            paths_of[name] |= paths
            current[rule.subject] = (name, count + tests)
        for name, definition in definitions.items():
            handle = c.create_ruleset(name, json.dumps(definition, ensure_ascii=False))
            self.rule_ids[handle] = names[name]
            # durable-rules 2.0.28 crashes deleting a first session with no action: fire one first
            _, state = c.assert_fact(handle, json.dumps({"subject": "__warm__", "id": "w", "sid": "w"}))
            c.start_action_for_state(handle, state)
            c.complete_and_start_action(handle, state)
            c.delete_state(handle, "w")
            self.by_subject.setdefault(name.rsplit("_", 1)[0], []).append((handle, sorted(paths_of[name])))

    def _message(self, fact: SubjectFact, paths: list[str], index: int, sid: str) -> str:
        message: dict[str, Any] = {"subject": fact.subject, "id": f"f{index}", "sid": sid}
        for path in paths:
            if path not in fact.values:
                continue
            value = fact.values[path]
            node, leaf = message, path
            if self.nested:
                *parents, leaf = path.split(".")
                for part in parents:
                    node = node.setdefault(part, {})
            if path in self.lists:
                node[leaf] = list(value)  # type: ignore[arg-type]
                node[leaf + LEN] = len(value)  # type: ignore[arg-type]
            else:
                node[leaf] = value
        return json.dumps(message, ensure_ascii=False)

    def prepare(self, profiles: Sequence[Sequence[SubjectFact]]) -> list[Prepared]:
        """Every message of every profile as JSON text, built before the clock starts."""
        return [
            [(handle, self._message(fact, paths, index, str(number)))
             for index, fact in enumerate(facts) for handle, paths in self.by_subject.get(fact.subject, ())]
            for number, facts in enumerate(profiles)
        ]

    @staticmethod
    def run(prepared: Sequence[Prepared]) -> list[list[tuple[int, int, str]]]:
        """The timed part: C calls only. Returns, per profile, (message number, handle, action head)."""
        assert_fact, start, complete, delete = (c.assert_fact, c.start_action_for_state,
                                                c.complete_and_start_action, c.delete_state)
        out = []
        for number, messages in enumerate(prepared):
            sid = str(number)
            fired: list[tuple[int, int, str]] = []
            used = set()
            for position, (handle, text) in enumerate(messages):
                used.add(handle)
                code, state = assert_fact(handle, text)
                if code == 0:
                    action = start(handle, state)
                    head = action[1] if action else None
                    while head is not None:
                        fired.append((position, handle, head))
                        head = complete(handle, state)
            for handle in used:
                delete(handle, sid)
            out.append(fired)
        return out

    def matches(self, profiles: Sequence[Sequence[SubjectFact]], fired: Sequence[list[tuple[int, int, str]]]
                ) -> list[list[Match]]:
        """Decode what `run` returned (untimed), for the agreement check."""
        result = []
        for facts, profile in zip(profiles, fired, strict=True):
            owners = [fact for fact in facts for _ in self.by_subject.get(fact.subject, ())]
            found = {Match(self.rule_ids[handle][_head(head)], owners[position].subject, owners[position].key)
                     for position, handle, head in profile}
            result.append(sorted(found))
        return result
