"""Tags and choices shown in advice read as words a board would write, never as schema spellings."""

from __future__ import annotations

from typing import get_args

from hypothesis import given
from hypothesis import strategies as st

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
