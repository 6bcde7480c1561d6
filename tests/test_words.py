"""Tags and choices shown in advice read as words a board would write, never as schema spellings."""

from __future__ import annotations

from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replicate.render.labels import quantity
from replicate.rules.templates import fill, words
from replicate.schema.common import EvidenceKind


def test_every_kind_of_evidence_reads_as_the_words_for_it() -> None:
    shown = {kind: words(kind) for kind in get_args(EvidenceKind)}
    assert all("_" not in text for text in shown.values()), shown
    # "(quasi experimental)" and "(cost benefit)" had lost their hyphen and slash (1266).
    assert shown["quasi_experimental"] == "quasi-experimental"
    assert shown["cost_benefit"] == "cost/benefit"
    assert shown["randomised_trial"] == "randomised trial"


@given(st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), min_size=2, max_size=4))
def test_no_tag_is_shown_with_its_underscores(parts: list[str]) -> None:
    assert "_" not in words("_".join(parts))


def test_a_name_ending_in_s_takes_the_apostrophe_alone() -> None:
    # "designed by the agencies's plan" and "Evaluation without numbers's evaluation" (163, 111).
    text = "{site.name}'s plan; {programme.name}'s core principles"
    values = {"site.name": "the agencies", "programme.name": "Family Hubs"}
    assert fill(text, values) == "the agencies' plan; Family Hubs' core principles"


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABC", min_size=1, max_size=20))
def test_a_possessive_name_never_reads_s_apostrophe_s_and_keeps_the_name(name: str) -> None:
    filled = fill("{site.name}'s assessment", {"site.name": name})
    assert filled.startswith(name)
    assert "s's" not in filled and "S's" not in filled
    assert filled.endswith("' assessment") or filled.endswith("'s assessment")


def test_an_apostrophe_s_not_after_a_placeholder_is_left_as_written() -> None:
    assert fill("the site's plan for {site.name}", {"site.name": "Leeds"}) == "the site's plan for Leeds"


@pytest.mark.parametrize(("people", "expected"), [
    ("older person", "about an older person,"),   # "a older person" (1044)
    ("pupil", "about a pupil,"),
    ("one-year-old", "about a one-year-old,"),
    ("user", "about a user,"),                     # "u" is spelled by sound: the text's choice stands
])
def test_the_article_before_a_placeholder_agrees_with_the_value_filled_in(people: str, expected: str) -> None:
    assert fill("about a {programme.clients.singular},", {"programme.clients.singular": people}) == expected


@given(st.sampled_from(["a", "an", "A", "An"]), st.text(alphabet="abcdefgiopstu", min_size=1, max_size=8))
def test_an_article_agrees_with_a_letter_that_decides_it_and_keeps_its_capital(written: str, value: str) -> None:
    filled = fill(written + " {x}", {"x": value})
    chosen = filled.split(" ")[0]
    assert chosen.lower() in ("a", "an") and chosen[0] == written[0]
    if value[0] in "aeio" and not value.startswith("one"):
        assert chosen.lower() == "an"
    elif value[0] not in "u":
        assert chosen.lower() == "a"


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (1, "years of working together", "1 year of working together"),
    (2, "years of working together", "2 years of working together"),
    (1, "partner agencies", "1 partner agency"),
    (1, "core principles at risk", "1 core principle at risk"),
    (1, "readiness score out of 100", "1 readiness score out of 100"),
    (0.5, "share of the theme's score kept", "0.5 share of the theme's score kept"),
])
def test_a_parameter_of_one_reads_in_the_singular(value: float, unit: str, expected: str) -> None:
    assert quantity(value, unit) == expected
