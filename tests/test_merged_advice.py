"""A rule that fires on several subjects is one finding; its advice must say each thing once."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from replicate.merged_advice import merged_advice

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


NAME = st.text(alphabet="KLMNOP", min_size=1, max_size=6)


@given(st.lists(NAME, min_size=2, max_size=5, unique=True), WORDS, WORDS)
def test_a_sentence_that_differs_only_by_the_subject_names_them_all_once(names: list[str], before: str,
                                                                          after: str) -> None:
    texts = [f"No contact with {name}, {after}. Shared {before}." for name in names]
    merged = merged_advice(texts, names)
    assert merged.count("No contact with") == 1
    assert merged.count(f"Shared {before}.") == 1
    for name in names:
        assert name in merged


def test_a_label_followed_by_a_verb_is_not_merged_into_a_plural() -> None:
    merged = merged_advice(["Housing has no room.", "Debt advice has no room."], ["Housing", "Debt advice"])
    assert merged == "Housing has no room. Debt advice has no room."


def test_merged_names_read_as_a_list() -> None:
    merged = merged_advice(["No contact with Police, on whom it depends.", "No contact with Schools, on whom it "
                            "depends.", "No contact with Health, on whom it depends."], ["Police", "Schools", "Health"])
    assert merged == "No contact with Police, Schools and Health, on whom it depends."


def test_labels_that_are_sentences_join_without_their_full_stops() -> None:
    """An adaptation is labelled by its description, a sentence: two of them joined read "A and B.",
    not "A. and B." (365, round 14)."""
    labels = ["Run the sessions at the family centres.", "Second a treatment worker into the team."]
    merged = merged_advice([f"How: {label}" for label in labels], labels)
    assert merged == "How: Run the sessions at the family centres and Second a treatment worker into the team."
