"""Tags and choices shown in advice read as words a board would write, never as schema spellings."""

from __future__ import annotations

from typing import get_args

from hypothesis import given
from hypothesis import strategies as st

from replicate.rules.templates import words
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
