"""A rule that fires on several subjects is one finding; its advice must say each thing once."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from replicate.findings import merged_advice

WORDS = st.text(alphabet="abcdefgh ", min_size=1, max_size=12).map(str.strip).filter(bool)
SENTENCE = st.builds(lambda first, rest: f"{first.upper()}{rest}.", st.sampled_from("ABCDEFG"), WORDS)
ADVICE = st.lists(SENTENCE, min_size=1, max_size=4, unique=True).map(" ".join)


@given(st.lists(ADVICE, min_size=1, max_size=5))
def test_every_sentence_is_kept_and_none_is_said_twice(texts: list[str]) -> None:
    merged = merged_advice(texts)
    said = [s for s in merged.split(". ") if s]
    sentences = {s.rstrip(".") for text in texts for s in text.split(". ")}
    assert {s.rstrip(".") for s in said} == sentences
    assert len(said) == len(set(said))


@given(ADVICE)
def test_one_subject_keeps_its_advice_as_written(text: str) -> None:
    assert merged_advice([text]) == text


def test_what_every_subject_shares_comes_once_after_what_differs() -> None:
    merged = merged_advice(["Housing is full. Extend it, do not copy it.",
                            "Debt advice is full. Extend it, do not copy it."])
    assert merged == "Housing is full. Debt advice is full. Extend it, do not copy it."
