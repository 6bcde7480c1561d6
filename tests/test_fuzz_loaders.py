"""Fuzzing: whatever text or data arrives, the condition parser and the profile loaders either succeed
or raise the project's own error type. Nothing from json, pydantic or Python itself gets through."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replicate.conditions import ExpressionError, parse, render
from replicate.errors import InputError
from replicate.loading import load_programme, load_site, parse_json_text

ROOT = Path(__file__).resolve().parent.parent
SITE = json.loads((ROOT / "profiles" / "sites" / "well-prepared.json").read_text(encoding="utf-8"))
PROGRAMME_FILE = ROOT / "profiles" / "programmes" / "cafe-families-of-offenders.json"
PROGRAMME = json.loads(PROGRAMME_FILE.read_text(encoding="utf-8"))

WORDS = ["site", "partner", ".", "and", "or", "not", "in", "is", "missing", "known", "true", "false", "==", "!=",
         "<", "<=", ">", ">=", "(", ")", "[", "]", ",", '"x"', "'y'", "0", "-1", "2.5", "99999999999999999999",
         "0.00001", "site.setting", "site.funding_coverage", "partner.critical", "_x", "f(", "=", "&", " ", "\\"]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.text(max_size=200))
def test_the_condition_parser_only_ever_raises_its_own_error(text: str) -> None:
    try:
        parse(text)
    except ExpressionError as error:
        assert 1 <= error.column <= len(text) + 1


@FUZZ
@given(st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join))
def test_condition_like_token_soup_parses_or_fails_cleanly_and_round_trips(text: str) -> None:
    try:
        condition = parse(text)
    except ExpressionError as error:
        assert 1 <= error.column <= len(text) + 1
        return
    assert parse(render(condition)) == condition


@FUZZ
@given(st.text(max_size=300) | st.binary(max_size=300).map(lambda b: b.decode("latin-1")))
def test_any_text_is_valid_json_or_an_input_error(text: str) -> None:
    try:
        parse_json_text(text, "<fuzz>")
    except InputError as error:
        assert error.problems and error.problems[0].source == "<fuzz>"


@FUZZ
@given(JSON)
def test_any_json_value_as_a_profile_loads_or_is_an_input_error(data: Any) -> None:
    for loader in (load_site, load_programme):
        try:
            loader(data if isinstance(data, dict) else {"value": data})
        except InputError as error:
            assert error.problems


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        found += [p for key, item in value.items() for p in _paths(item, (*path, key))]
    elif isinstance(value, list):
        found += [p for index, item in enumerate(value) for p in _paths(item, (*path, index))]
    return found


@FUZZ
@given(st.data())
def test_a_valid_profile_with_any_part_replaced_loads_or_is_an_input_error(data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(["site", "programme"]))
    document = copy.deepcopy(SITE if kind == "site" else PROGRAMME)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from([p for p in _paths(document) if p]))
        node: Any = document
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = data.draw(JSON)
    loader = load_site if kind == "site" else load_programme
    try:
        loader(json.dumps(document, allow_nan=True))
    except InputError as error:
        assert all(problem.message for problem in error.problems)
