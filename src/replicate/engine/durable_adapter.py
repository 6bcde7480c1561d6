"""The only module that knows durable_rules. It registers the rulesets compiled from conditions
(`durable_json.py`), runs facts through them, and stays correct under every limit and trap of
durable-rules 2.0.28 (see docs/architecture.md for the list and the tests that prove each one).

It talks to durable's C engine (`durable_rules_engine`) directly, not through `durable.engine.Host`:
that Python layer builds a closure per action, reads the clock twice, round-trips the session
state through JSON after every action and re-serialises every unmatched fact to raise an
exception, which cost about three times what the C engine itself does. Here an evaluation is
`assert_fact` -> `start_action_for_state` -> `complete_and_start_action` until none is left,
and the rule that fired is read from the head of the action's JSON (`{"r12":{"m":...`): a rule
here only records that it matched, so the action itself is that one look-up.

* at most 1,024 live sessions per ruleset: one session per evaluation, deleted in `finally`, and
  evaluations serialised by a lock, so at most one session per ruleset is ever alive;
* at most 64 matched conditions per fact and 252 fields per message: rules are packed into
  several rulesets of at most `max_tests` tests each, and each fact is projected down to the
  fields its ruleset reads;
* a rule whose only condition is a negation could match the engine's own state: every pattern
  starts with the positive test `subject == ...`;
* an action must never be lost: every action the engine offers is taken and completed before the
  next fact is asserted; a fact the engine says it handled must offer one, and if recording an
  action fails, the action is abandoned, the session deleted and an `EngineError` raised;
* "no rule matched" is a result code (`ERR_EVENT_NOT_HANDLED`): it means no finding;
* deleting a session segfaults if no action has ever run in that ruleset (found here, not in
  the project's issues): every ruleset gets a warm-up rule on a private subject, fired once in
  a throw-away session at registration;
* `assert_facts` batches lose actions when one fact is unmatched: facts are asserted one by one;
* durable's timer threads (started by `Host`) run actions behind the caller's back and never stop:
  no `Host` is created, so there are none;
* `$iall` over an empty list is false and a missing field never matches `$neq`: negations are
  compiled with explicit list lengths so they follow the reference evaluator's three-valued logic.

Facts are sent flat, with dotted names as keys (`{"site.funding.months_secured": 6}`): the C engine
names a nested property by the same dotted string (it hashes `parent.child`), so the two forms
match the same patterns, and the flat one needs no nesting and fewer properties per message.
"""

from __future__ import annotations

import itertools
import json
import json.encoder
import math
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import durable_rules_engine as _c

from ..errors import EngineError
from ..facts import SubjectFact
from .base import EngineRule, Match
from .durable_json import LENGTH_SUFFIX, Pattern, count_tests, durable_pattern
from .heap import keep_heap_for_sessions

MAX_TESTS_PER_RULESET = 40
"""Well under durable_rules' 64 matched conditions per fact (MAX_STACK_SIZE), guard tests included."""
MAX_FIELDS_PER_FACT = 200
"""Well under durable_rules' 252 fields per message."""
WARM_UP_SUBJECT = "__warm_up__"
"""A subject no real fact has: its rule exists only to run one action per ruleset at start-up."""


@dataclass
class _Ruleset:
    name: str
    subject: str
    rule_ids: list[str] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)
    paths: set[str] = field(default_factory=set)
    tests: int = 0


@dataclass(frozen=True, eq=False)
class _Registered:
    """A ruleset as the C engine knows it, with what an evaluation needs in the order it needs it."""

    name: str
    handle: int
    scalars: tuple[tuple[str, str], ...]
    """(path, its JSON key with the colon): the fields read, each sent only when the fact has it."""
    lists: tuple[tuple[str, str, str], ...]
    """(path, its key and the opening bracket, the closing bracket and the key of its length)."""
    rule_ids: dict[str, str]
    """Rule name inside the ruleset (`r0`, `r1`, ...) -> the project's rule id."""


WARM_UP_RULE = "warm_up"
"""The warm-up rule's name in every ruleset; the others are `r0`, `r1`, ..."""
MAX_KEPT_MATCHES = 100_000
"""Shared Match objects kept at most (the cache is emptied beyond this), so memory stays flat whatever
the subject keys of the input."""


class DurableEngine:
    """Evaluates rules on durable_rules. Safe to share between threads; cheap to call many times.

    Creating one registers its rulesets with the C engine (about 1 ms per ruleset, and never freed
    here), so make one per rule base, not one per call."""

    def __init__(
        self,
        rules: Sequence[EngineRule],
        list_fields: frozenset[str],
        *,
        max_tests: int = MAX_TESTS_PER_RULESET,
        max_fields: int = MAX_FIELDS_PER_FACT,
    ) -> None:
        keep_heap_for_sessions()
        self._list_fields = list_fields
        self._lock = threading.Lock()
        self._sessions = itertools.count(1)
        self._live: set[tuple[str, str]] = set()
        self._matches: dict[tuple[str, str, str], Match] = {}
        """Matches are immutable and repeat from one profile to the next: made once, they are shared."""
        placed: dict[str, list[_Ruleset]] = {}
        for rule in rules:
            self._place(placed, rule, max_tests, max_fields)
        self._rulesets: dict[str, tuple[_Registered, ...]] = {}
        try:
            for subject, group in placed.items():
                self._rulesets[subject] = tuple(self._register(ruleset) for ruleset in group)
        except EngineError:
            raise
        except Exception as error:  # durable reports definition errors as bare codes
            raise EngineError(f"durable_rules refused the compiled rule base: {error}") from None

    def _place(self, placed: dict[str, list[_Ruleset]], rule: EngineRule, max_tests: int, max_fields: int) -> None:
        pattern, paths = durable_pattern(rule.condition, rule.subject, self._list_fields)
        tests = count_tests(pattern)
        if tests > max_tests:
            raise EngineError(f"rule {rule.id}: its condition has {tests} tests; the limit is {max_tests}")
        group = placed.setdefault(rule.subject, [])
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

    def _register(self, ruleset: _Ruleset) -> _Registered:
        definition: dict[str, Any] = {
            f"r{index}": {"all": [{"m": pattern}]} for index, pattern in enumerate(ruleset.patterns)
        }
        definition[WARM_UP_RULE] = {"all": [{"m": {"subject": WARM_UP_SUBJECT}}]}
        handle = _c.create_ruleset(ruleset.name, json.dumps(definition, ensure_ascii=False))
        paths = sorted(ruleset.paths)
        registered = _Registered(
            name=ruleset.name,
            handle=handle,
            scalars=tuple((p, _key(p)) for p in paths if p not in self._list_fields),
            lists=tuple((p, _key(p) + "[", "]," + _key(p + LENGTH_SUFFIX)) for p in paths if p in self._list_fields),
            rule_ids={f"r{index}": rule_id for index, rule_id in enumerate(ruleset.rule_ids)},
        )
        self._warm_up(registered)
        return registered

    def _warm_up(self, ruleset: _Registered) -> None:
        """Run one action in a throw-away session, so that later sessions in which nothing matched
        can be deleted: durable-rules 2.0.28 frees an invalid pointer (and the process dies) when
        the first session ever deleted in a ruleset had no action."""
        sid = "warm-up"
        message = json.dumps({"subject": WARM_UP_SUBJECT, "id": "w", "sid": sid})
        fired: list[str] = []
        try:
            code, state = _c.assert_fact(ruleset.handle, message)
            action = _c.start_action_for_state(ruleset.handle, state) if code == _HANDLED else None
            while action is not None:
                fired.append(_rule_name(action if isinstance(action, str) else action[1]))
                action = _c.complete_and_start_action(ruleset.handle, state)
        finally:
            _c.delete_state(ruleset.handle, sid)
        if fired != [WARM_UP_RULE]:
            raise EngineError(f"durable_rules did not run the warm-up action of ruleset {ruleset.name}")

    @property
    def live_sessions(self) -> int:
        """Sessions currently open in the engine: zero whenever no evaluation is running."""
        return len(self._live)

    @property
    def ruleset_names(self) -> list[str]:
        return [rs.name for group in self._rulesets.values() for rs in group]

    def session_exists(self, ruleset: str, sid: str) -> bool:
        """Ask the engine itself whether a session's state is still held (used by the tests)."""
        handles = {rs.name: rs.handle for group in self._rulesets.values() for rs in group}
        with self._lock:
            try:
                _c.get_state(handles[ruleset], sid)
            except Exception:
                return False
            return True

    def evaluate(self, facts: Sequence[SubjectFact]) -> list[Match]:
        # The hot path: about 24 messages per profile, each of which costs the C engine about 5 us,
        # so the Python around it is kept to writing the message's JSON text and reading heads.
        with self._lock:
            sid = str(next(self._sessions))
            fired: list[tuple[str, int]] = []
            opened: dict[int, _Registered] = {}
            try:
                for index, fact in enumerate(facts):
                    group = self._rulesets.get(fact.subject)
                    if not group:
                        continue
                    values = fact.values
                    tail = f'"subject":{_key_text(fact.subject)},"id":{index},"sid":"{sid}"}}'
                    for ruleset in group:
                        if ruleset.handle not in opened:
                            opened[ruleset.handle] = ruleset
                            self._live.add((ruleset.name, sid))
                        self._send(ruleset, _message(ruleset, values, tail), index, fired)
            finally:
                self._close(opened.values(), sid)
        found = sorted({(rule_id, facts[i].subject, facts[i].key) for rule_id, i in fired})
        matches = self._matches
        if len(matches) > MAX_KEPT_MATCHES:  # keys are ids from the input: keep memory bounded
            matches.clear()
        return [matches.get(k) or matches.setdefault(k, Match(*k)) for k in found]

    def _send(self, ruleset: _Registered, message: str, index: int, fired: list[tuple[str, int]]) -> None:
        """Assert one fact and take every action it offers, recording which rule each is for."""
        handle = ruleset.handle
        try:
            code, state = _c.assert_fact(handle, message)
            if code == _NOT_HANDLED:
                return  # no rule matched: no finding, not an error
            if code != _HANDLED:
                raise EngineError(f"durable_rules answered code {code} for a fact in ruleset {ruleset.name}")
            action = _c.start_action_for_state(handle, state)
            if action is None:
                raise EngineError(f"durable_rules matched a fact in ruleset {ruleset.name} but offered no action")
            head = action[1]
            while head is not None:
                try:
                    fired.append((self._rule_of(ruleset, head), index))
                except Exception as error:
                    _c.abandon_action(handle, state)
                    raise EngineError(f"an action failed inside ruleset {ruleset.name}: {error!r}") from None
                head = _c.complete_and_start_action(handle, state)
        except EngineError:
            raise
        except Exception as error:
            raise EngineError(f"durable_rules failed on ruleset {ruleset.name}: {error}") from None

    def _rule_of(self, ruleset: _Registered, head: str) -> str:
        """The action: which rule fired, read from the head of its JSON without parsing the rest."""
        return ruleset.rule_ids[head[2 : head.index('"', 2)]]

    def _close(self, opened: Iterable[_Registered], sid: str) -> None:
        failures = []
        for ruleset in opened:
            try:
                _c.delete_state(ruleset.handle, sid)
            except Exception as error:
                failures.append(f"{ruleset.name}: {error}")
            self._live.discard((ruleset.name, sid))
        if failures:
            raise EngineError("could not close engine sessions: " + "; ".join(failures))


_HANDLED = 0
_NOT_HANDLED = 1
"""durable_rules' RULES_OK and ERR_EVENT_NOT_HANDLED; any other answer to `assert_fact` is an error here."""


def _rule_name(messages: str) -> str:
    """`{"r12":{"m":{...}}}` -> `r12`. Rule names here are `r<n>` or `warm_up`: no quote to escape."""
    return messages[2 : messages.index('"', 2)]


class _Encoders(dict[type, Callable[[Any], str]]):
    """JSON text of one fact value, by exact type: faster than `json.dumps` on a dict per message,
    which was the largest Python cost of an evaluation. Any other type goes through `json.dumps`."""

    def __missing__(self, kind: type) -> Callable[[Any], str]:
        return _any_value


def _any_value(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise EngineError(f"a fact value cannot be sent to durable_rules: {error}") from None


def _float(value: float) -> str:
    """A float as plain decimal digits: durable_rules' C parser refuses exponent notation, which
    Python's shortest repr uses below 1e-4 and from 1e16 (a yearly cost of 1 against a budget of
    125,000 is 8e-06), and the assert then fails with error 204."""
    if not math.isfinite(value):
        return _any_value(value)
    text = float.__repr__(value)
    if "e" not in text:
        return text
    from decimal import Decimal  # only for the rare exponent: the common case stays one repr

    return format(Decimal(text), "f")


def _strings(value: tuple[str, ...]) -> str:
    return "[" + ",".join(map(_key_text, value)) + "]"


_key_text: Callable[[str], str] = json.encoder.encode_basestring
"""A JSON string with non-ASCII kept as UTF-8, as durable's own layer sends it."""
_VALUE = _Encoders({str: _key_text, bool: lambda v: "true" if v else "false", int: int.__repr__, float: _float,
                    tuple: _strings, list: _strings})


_ABSENT: Any = object()


def _key(path: str) -> str:
    return _key_text(path) + ":"


def _message(ruleset: _Registered, values: dict[str, Any], tail: str) -> str:
    """The fact projected to the fields `ruleset` reads, as JSON text, ending with `tail`."""
    parts = [key + _VALUE[type(value)](value) for path, key in ruleset.scalars
             if (value := values.get(path, _ABSENT)) is not _ABSENT]
    for path, opening, length in ruleset.lists:
        if (items := values.get(path, _ABSENT)) is not _ABSENT:
            parts.append(opening + ",".join(map(_key_text, items)) + length + str(len(items)))
    parts.append(tail)
    return "{" + ",".join(parts)
