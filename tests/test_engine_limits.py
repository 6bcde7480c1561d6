"""durable-rules 2.0.28's hard limits and traps, each shown to be real and shown to be handled.

See docs/architecture.md for the table these tests prove.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import programme_and_site

from replicate.advisor import Advisor
from replicate.conditions import fields_in, parse
from replicate.engine.base import EngineRule
from replicate.engine.durable_adapter import DurableEngine
from replicate.errors import EngineError
from replicate.facts import SubjectFact
from replicate.loading import load_programme, load_site

MONTHS = "site.funding.months_secured"


def _rule(rule_id: str, text: str, subject: str = "site") -> EngineRule:
    condition = parse(text)
    return EngineRule(rule_id, subject, condition, tuple(dict.fromkeys(f.path for f in fields_in(condition))))  # type: ignore[arg-type]


def _site(values: dict[str, Any], key: str = "site") -> SubjectFact:
    return SubjectFact("site", key, "a site", values)


def test_one_fact_satisfying_more_than_64_conditions_breaks_an_unsplit_ruleset() -> None:
    """The trap is real: packed into one ruleset, 100 satisfied conditions fail with error 303."""
    rules = [_rule(f"R-{i}", f"{MONTHS} >= -{i}") for i in range(100)]
    engine = DurableEngine(rules, frozenset(), max_tests=10_000)
    with pytest.raises(EngineError, match="303"):
        engine.evaluate([_site({MONTHS: 5})])
    assert engine.live_sessions == 0


def test_five_hundred_rules_all_fire_on_one_profile() -> None:
    shapes = [
        "{m} >= -{i}",
        "{m} > -{i} and site.setting == \"rural\"",
        "\"debt_advice\" in site.local_needs or {m} < -{i}",
        "not ({m} < -{i}) and site.staff.ownership",
        "site.leadership.champions is missing and {m} != -{i}",
    ]
    rules = [_rule(f"R-{i}", shapes[i % len(shapes)].format(m=MONTHS, i=i)) for i in range(500)]
    engine = DurableEngine(rules, frozenset({"site.local_needs"}))
    fact = _site(
        {MONTHS: 5, "site.setting": "rural", "site.local_needs": ("debt_advice",), "site.staff.ownership": True}
    )
    matches = engine.evaluate([fact])
    assert {m.rule_id for m in matches} == {r.id for r in rules}
    assert len(engine.ruleset_names) >= 500 * 2 // 40
    assert engine.live_sessions == 0


def test_five_thousand_profiles_leave_no_live_session(durable_advisor: Advisor) -> None:
    """Far past the 1,024 live sessions a ruleset allows: every session is deleted after use."""
    programme = load_programme({
        "id": "p", "name": "P", "principles": [{"id": "P1", "statement": "s", "kind": "core"}],
        "components": [{"id": "C1", "name": "c", "serves": ["debt_advice"], "principles": ["P1"]}],
        "proven_context": {"setting": "urban"}, "evidence": {"kind": "none"}, "costs": {"duration_months": 12},
    })
    engine = durable_advisor.engine
    assert isinstance(engine, DurableEngine)
    for index in range(5000):
        site = load_site({"id": "s", "name": "S", "leadership": {"champions": index % 3},
                          "adaptations": [{"id": "a", "touches": "P1", "nature": "remove"}] if index % 2 else []})
        durable_advisor.findings(programme, site)
        assert engine.live_sessions == 0
    assert not any(engine.session_exists(name, str(sid)) for name in engine.ruleset_names for sid in range(1, 100))


def test_a_rule_with_only_a_missing_field_condition_fires_once_and_returns() -> None:
    """A lone `$nex` pattern would match the engine's own state and loop forever; run in a child
    process so that a regression shows as a timeout, not a hung test run."""
    script = textwrap.dedent(
        f"""
        from replicate.engine.base import EngineRule
        from replicate.engine.durable_adapter import DurableEngine
        from replicate.facts import SubjectFact
        from replicate.conditions import parse
        rules = [EngineRule("R-MISSING", "site", parse("{MONTHS} is missing"), ("{MONTHS}",)),
                 EngineRule("R-NOT-KNOWN", "site", parse("not ({MONTHS} is known)"), ("{MONTHS}",))]
        engine = DurableEngine(rules, frozenset())
        print(len(engine.evaluate([SubjectFact("site", "k", "s", {{}})])),
              len(engine.evaluate([SubjectFact("site", "k", "s", {{"{MONTHS}": 3}})])))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["2", "0"]


def test_a_session_in_which_nothing_matched_is_deleted_safely_in_a_fresh_ruleset() -> None:
    """durable-rules segfaults deleting such a session unless an action has run in the ruleset
    before; the adapter's warm-up prevents it. A child process, because the failure is a crash."""
    script = textwrap.dedent(
        f"""
        from replicate.engine.base import EngineRule
        from replicate.engine.durable_adapter import DurableEngine
        from replicate.facts import SubjectFact
        from replicate.conditions import parse
        engine = DurableEngine([EngineRule("R-X", "site", parse("{MONTHS} > 10"), ("{MONTHS}",))], frozenset())
        for value in (1, 2, 11, 3):
            print(len(engine.evaluate([SubjectFact("site", "k", "s", {{"{MONTHS}": value}})])))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "0", "1", "0"]


class _FailingActionEngine(DurableEngine):
    """Recording the first action of an evaluation fails, as a bug in the action would."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.failures = 0
        super().__init__(*args, **kwargs)

    def _rule_of(self, ruleset: Any, head: str) -> str:
        if self.failures:
            self.failures -= 1
            raise RuntimeError("lost")
        return super()._rule_of(ruleset, head)


def test_an_action_that_fails_is_reported_never_silently_lost() -> None:
    engine = _FailingActionEngine([_rule("R-1", f"{MONTHS} > 1"), _rule("R-2", f"{MONTHS} > 2")], frozenset())
    assert engine.evaluate([_site({MONTHS: 0})]) == []  # no match, no action, no error
    engine.failures = 1
    with pytest.raises(EngineError, match="action failed"):
        engine.evaluate([_site({MONTHS: 5})])
    assert engine.live_sessions == 0
    # the abandoned action leaves nothing behind: the next evaluation sees both rules fire
    assert [m.rule_id for m in engine.evaluate([_site({MONTHS: 5})])] == ["R-1", "R-2"]


def test_every_action_of_every_fact_is_taken() -> None:
    """Several rules firing on several facts of one session: none is dropped or left pending."""
    rules = [_rule(f"R-{i}", f"{MONTHS} >= {i}") for i in range(30)]
    engine = DurableEngine(rules, frozenset(), max_tests=12)
    facts = [_site({MONTHS: value}, key=f"s{value}") for value in (3, 29, 0, 17)]
    matches = engine.evaluate(facts)
    assert sorted((m.subject_key, m.rule_id) for m in matches) == sorted(
        (f"s{value}", f"R-{i}") for value in (3, 29, 0, 17) for i in range(value + 1)
    )
    assert engine.live_sessions == 0


def test_the_engine_starts_no_background_threads() -> None:
    before = threading.active_count()
    engines = [DurableEngine([_rule("R-1", f"{MONTHS} > 1")], frozenset()) for _ in range(3)]
    assert threading.active_count() == before
    assert all(e.evaluate([_site({MONTHS: 5})]) for e in engines)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(programme_and_site(), min_size=16, max_size=24))
def test_eight_threads_give_the_same_results_as_one(
    durable_advisor: Advisor, pairs: list[tuple[dict[str, Any], dict[str, Any]]]
) -> None:
    loaded = [(load_programme(p), load_site(s)) for p, s in pairs]
    sequential = [durable_advisor.advise(p, s).model_dump_json() for p, s in loaded]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(lambda pair: durable_advisor.advise(*pair).model_dump_json(), loaded))
    assert threaded == sequential
