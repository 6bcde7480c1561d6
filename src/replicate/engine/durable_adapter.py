"""The only module that knows durable_rules. It compiles conditions to durable_rules JSON rulesets,
runs facts through them, and stays correct under every limit and trap of durable-rules 2.0.28
(see docs/architecture.md for the list and the tests that prove each one):

* at most 1,024 live sessions per ruleset: one session per evaluation, deleted in `finally`, and
  evaluations serialised by a lock, so at most one session per ruleset is ever alive;
* at most 64 matched conditions per fact and 252 fields per message: rules are packed into
  several rulesets of at most `max_tests` tests each, and each fact is projected down to the
  fields its ruleset reads;
* a rule whose only condition is a negation re-fires forever: every pattern starts with the
  positive test `subject == ...`;
* actions that raise are swallowed into the session state: actions only append to a list, and the
  state returned by each assertion is checked for an `exception` key;
* "no rule matched" is an exception (`MessageNotHandledException`): it means no finding;
* deleting a session segfaults if no action has ever run in that ruleset (found here, not in
  the project's issues): every ruleset gets a warm-up rule on a private subject, fired once in
  a throw-away session at registration;
* `assert_facts` batches lose actions when one fact is unmatched: facts are asserted one by one;
* the host's timer threads run actions behind the caller's back and never stop: this host never
  starts them (all actions here are synchronous and complete inline);
* `$iall` over an empty list is false and a missing field never matches `$neq`: negations are
  compiled with explicit list lengths so they follow the reference evaluator's three-valued logic;
* Python 3.12 warns on every action: those warnings are silenced around engine calls.
"""

from __future__ import annotations

import itertools
import sys
import threading
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from durable.engine import Host, MessageNotHandledException

from ..errors import EngineError
from ..facts import SubjectFact, Value
from ..rules.expression import (
    And,
    Compare,
    Condition,
    Constant,
    Field,
    ListConstant,
    Member,
    Not,
    Or,
    Presence,
    Truthy,
)
from .base import EngineRule, Match

Pattern = dict[str, Any]

MAX_TESTS_PER_RULESET = 40
"""Well under durable_rules' 64 matched conditions per fact (MAX_STACK_SIZE), guard tests included."""
MAX_FIELDS_PER_FACT = 200
"""Well under durable_rules' 252 fields per message."""
WARM_UP_SUBJECT = "__warm_up__"
"""A subject no real fact has: its rule exists only to run one action per ruleset at start-up."""
LENGTH_SUFFIX = "__length"
"""Companion field holding a list's length; no schema field name contains a double underscore."""

_NEGATED = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
_OPERATOR = {"!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}


class _Compiler:
    """Turns a condition into a durable_rules pattern that matches exactly when the reference
    evaluator says TRUE. Negation is pushed down to the tests (`_false`), because the engine has no
    'not' and must treat an unknown field as neither true nor false."""

    def __init__(self, list_fields: frozenset[str]) -> None:
        self.list_fields = list_fields
        self.paths: set[str] = set()

    def _field(self, node: Field) -> str:
        self.paths.add(node.path)
        return node.path

    def _length(self, node: Field) -> str:
        self.paths.add(node.path)
        return node.path + LENGTH_SUFFIX

    def _compare(self, node: Compare, op: str) -> Pattern:
        left, right = node.left, node.right
        if not isinstance(left, Field):  # value op field: flip it round
            left, right = right, left
            op = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(op, op)
        assert isinstance(left, Field)
        path = self._field(left)
        if isinstance(right, Field):
            other = self._field(right)
            reference = {"$m": other}
            test: Pattern = {path: reference} if op == "==" else {_OPERATOR[op]: {path: reference}}
            return {"$and": [{"$ex": {path: 1}}, {"$ex": {other: 1}}, test]}
        assert isinstance(right, Constant)
        if op == "==":
            return {path: right.value}
        return {_OPERATOR[op]: {path: right.value}}

    def _member(self, node: Member, positive: bool) -> Pattern:
        if isinstance(node.container, ListConstant):
            assert isinstance(node.item, Field)
            path = self._field(node.item)
            values = node.container.values
            if positive:
                return {"$or": [{path: value} for value in values]} if len(values) > 1 else {path: values[0]}
            tests: list[Pattern] = [{"$neq": {path: value}} for value in values]
            return {"$and": tests} if len(tests) > 1 else tests[0]
        assert isinstance(node.container, Field) and isinstance(node.item, Constant)
        path = self._field(node.container)
        value = node.item.value
        if positive:
            return {"$iany": {path: {"$i": value}}}
        length = self._length(node.container)
        return {"$or": [{length: 0}, {"$iall": {path: {"$neq": {"$i": value}}}}]}

    def _presence(self, node: Presence, known: bool) -> Pattern:
        path = self._length(node.field) if node.field.path in self.list_fields else self._field(node.field)
        return {"$ex" if known else "$nex": {path: 1}}

    def true(self, node: Condition) -> Pattern:
        if isinstance(node, And):
            return {"$and": [self.true(o) for o in node.operands]}
        if isinstance(node, Or):
            return {"$or": [self.true(o) for o in node.operands]}
        if isinstance(node, Not):
            return self.false(node.operand)
        if isinstance(node, Truthy):
            return {self._field(node.field): True}
        if isinstance(node, Presence):
            return self._presence(node, node.known)
        if isinstance(node, Compare):
            return self._compare(node, node.op)
        return self._member(node, positive=not node.negated)

    def false(self, node: Condition) -> Pattern:
        if isinstance(node, And):
            return {"$or": [self.false(o) for o in node.operands]}
        if isinstance(node, Or):
            return {"$and": [self.false(o) for o in node.operands]}
        if isinstance(node, Not):
            return self.true(node.operand)
        if isinstance(node, Truthy):
            return {self._field(node.field): False}
        if isinstance(node, Presence):
            return self._presence(node, not node.known)
        if isinstance(node, Compare):
            return self._compare(node, _NEGATED[node.op])
        return self._member(node, positive=node.negated)


def count_tests(pattern: Pattern) -> int:
    """How many leaf tests a compiled pattern has: the unit of durable_rules' per-fact limit."""
    total = 0
    for key, value in pattern.items():
        if key in ("$and", "$or"):
            total += sum(count_tests(p) for p in value)
        else:
            total += 1
    return total


def compile_condition(condition: Condition, subject: str, list_fields: frozenset[str]) -> tuple[Pattern, set[str]]:
    """The durable_rules pattern for a condition, guarded by a positive subject test, and the
    field paths it reads."""
    compiler = _Compiler(list_fields)
    body = compiler.true(condition)
    return {"$and": [{"subject": subject}, body]}, compiler.paths


@dataclass
class _Ruleset:
    name: str
    subject: str
    rule_ids: list[str] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)
    paths: set[str] = field(default_factory=set)
    tests: int = 0


class _QuietHost(Host):  # type: ignore[misc]
    """A durable_rules host without its two never-ending timer threads (rules#332).

    Its timers only serve timeouts and asynchronous actions, which this project never uses; left
    running they would execute actions on another thread after `assert_fact` has returned."""

    def _run(self) -> None:
        return None


@contextmanager
def _quiet_warnings() -> Iterator[None]:
    if sys.version_info < (3, 12):
        yield
        return
    with warnings.catch_warnings():  # durable calls datetime.utcfromtimestamp on every action
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def _nest(values: dict[str, Value], paths: set[str], list_fields: frozenset[str]) -> dict[str, Any]:
    """Project a flat fact down to `paths`, as the nested dict durable_rules reads dotted names from."""
    nested: dict[str, Any] = {}
    for path in paths:
        if path not in values:
            continue
        value = values[path]
        *parents, leaf = path.split(".")
        node = nested
        for part in parents:
            node = node.setdefault(part, {})
        if path in list_fields:
            node[leaf] = list(value)  # type: ignore[arg-type]
            node[leaf + LENGTH_SUFFIX] = len(value)  # type: ignore[arg-type]
        else:
            node[leaf] = value
    return nested


class DurableEngine:
    """Evaluates rules on durable_rules. Safe to share between threads; cheap to call many times.

    Creating one registers its rulesets on a private host (about 1 ms per ruleset, and never freed:
    durable_rules cannot unload a ruleset), so make one per rule base, not one per call."""

    def __init__(
        self,
        rules: Sequence[EngineRule],
        list_fields: frozenset[str],
        *,
        max_tests: int = MAX_TESTS_PER_RULESET,
        max_fields: int = MAX_FIELDS_PER_FACT,
    ) -> None:
        self._list_fields = list_fields
        self._lock = threading.Lock()
        self._sessions = itertools.count(1)
        self._live: set[tuple[str, str]] = set()
        self._fired: list[tuple[str, str]] = []
        self._rulesets: dict[str, list[_Ruleset]] = {}
        self._host = _QuietHost()
        for rule in rules:
            self._place(rule, max_tests, max_fields)
        definitions = {rs.name: self._definition(rs) for group in self._rulesets.values() for rs in group}
        try:
            with _quiet_warnings():
                self._host.set_rulesets(definitions)
                for name in definitions:
                    self._warm_up(name)
        except EngineError:
            raise
        except Exception as error:  # durable reports definition errors as bare codes
            raise EngineError(f"durable_rules refused the compiled rule base: {error}") from None

    def _warm_up(self, ruleset: str) -> None:
        """Run one action in a throw-away session, so that later sessions in which nothing matched
        can be deleted: durable-rules 2.0.28 frees an invalid pointer (and the process dies) when
        the first session ever deleted in a ruleset had no action."""
        sid = "warm-up"
        self._host.assert_fact(ruleset, {"subject": WARM_UP_SUBJECT, "id": "w", "sid": sid})
        self._host.delete_state(ruleset, sid)
        if self._fired != [("", "w")]:
            raise EngineError(f"durable_rules did not run the warm-up action of ruleset {ruleset}")
        self._fired.clear()

    def _place(self, rule: EngineRule, max_tests: int, max_fields: int) -> None:
        pattern, paths = compile_condition(rule.condition, rule.subject, self._list_fields)
        tests = count_tests(pattern)
        if tests > max_tests:
            raise EngineError(f"rule {rule.id}: its condition has {tests} tests; the limit is {max_tests}")
        group = self._rulesets.setdefault(rule.subject, [])
        current = group[-1] if group else None
        if (
            current is None
            or current.tests + tests > max_tests
            or len(current.paths | paths) * 2 > max_fields  # a list field also carries its length
        ):
            current = _Ruleset(name=f"{rule.subject}_{len(group)}", subject=rule.subject)
            group.append(current)
        current.rule_ids.append(rule.id)
        current.patterns.append(pattern)
        current.paths |= paths
        current.tests += tests

    def _definition(self, ruleset: _Ruleset) -> dict[str, Any]:
        definition = {
            f"r{index}": {"all": [{"m": pattern}], "run": self._action(rule_id)}
            for index, (rule_id, pattern) in enumerate(zip(ruleset.rule_ids, ruleset.patterns, strict=True))
        }
        definition["warm_up"] = {"all": [{"m": {"subject": WARM_UP_SUBJECT}}], "run": self._action("")}
        return definition

    def _action(self, rule_id: str) -> Any:
        fired = self._fired

        def record(closure: Any) -> None:  # kept trivial: durable swallows what an action raises
            fired.append((rule_id, closure.m["id"]))

        return record

    @property
    def live_sessions(self) -> int:
        """Sessions currently open in the engine: zero whenever no evaluation is running."""
        return len(self._live)

    @property
    def ruleset_names(self) -> list[str]:
        return [rs.name for group in self._rulesets.values() for rs in group]

    def session_exists(self, ruleset: str, sid: str) -> bool:
        """Ask the engine itself whether a session's state is still held (used by the tests)."""
        with self._lock:
            try:
                self._host.get_state(ruleset, sid)
            except Exception:
                return False
            return True

    def evaluate(self, facts: Sequence[SubjectFact]) -> list[Match]:
        with self._lock, _quiet_warnings():
            sid = str(next(self._sessions))
            self._fired.clear()
            keys: dict[str, SubjectFact] = {}
            try:
                for index, fact in enumerate(facts):
                    fact_id = f"f{index}"
                    keys[fact_id] = fact
                    for ruleset in self._rulesets.get(fact.subject, ()):
                        self._assert(ruleset, sid, fact_id, fact)
            finally:
                self._close(sid)
            matches = {
                Match(rule_id, keys[fact_id].subject, keys[fact_id].key) for rule_id, fact_id in self._fired
            }
            self._fired.clear()
        return sorted(matches)

    def _assert(self, ruleset: _Ruleset, sid: str, fact_id: str, fact: SubjectFact) -> None:
        message = _nest(fact.values, ruleset.paths, self._list_fields)
        message.update(subject=fact.subject, id=fact_id, sid=sid)
        self._live.add((ruleset.name, sid))
        try:
            state = self._host.assert_fact(ruleset.name, message)
        except MessageNotHandledException:
            return  # no rule matched: no finding, not an error
        except Exception as error:
            raise EngineError(f"durable_rules failed on ruleset {ruleset.name}: {error}") from None
        if isinstance(state, dict) and "exception" in state:
            raise EngineError(f"an action failed inside ruleset {ruleset.name}: {state['exception']}")

    def _close(self, sid: str) -> None:
        failures = []
        for ruleset_name, live_sid in sorted(self._live):
            if live_sid != sid:
                continue
            try:
                self._host.delete_state(ruleset_name, sid)
            except Exception as error:
                failures.append(f"{ruleset_name}: {error}")
            self._live.discard((ruleset_name, sid))
        if failures:
            raise EngineError("could not close engine sessions: " + "; ".join(failures))
