"""The text report's own word wrapper gives exactly what `textwrap.wrap` gives, for any text,
width and indents (it exists only to be faster)."""

from __future__ import annotations

import textwrap

from hypothesis import given
from hypothesis import strategies as st

from replicate.render.wrap import wrap

words = st.text(st.sampled_from("ab-é\t\n\r\x0b\x0c  .,"), max_size=12)
texts = st.lists(words, max_size=30).map("".join) | st.lists(
    st.text(st.sampled_from("ab-é.,@+"), min_size=1, max_size=14), max_size=30).map(" ".join) | st.lists(
    st.text(st.sampled_from("ab-é.,@+"), min_size=1, max_size=14), max_size=30).map(lambda ws: " ".join(ws) + " ")
"""Any text, and the common case (words separated by single spaces) that takes a shorter path."""


@given(texts, st.integers(1, 40), st.text(" >*", max_size=6), st.text(" >*", max_size=6))
def test_wrap_is_textwrap(text: str, width: int, initial: str, subsequent: str) -> None:
    expected = textwrap.wrap(text, width, initial_indent=initial, subsequent_indent=subsequent,
                             break_on_hyphens=False, break_long_words=False)
    assert wrap(text, width, initial, subsequent) == expected


def test_a_long_id_is_never_broken() -> None:
    assert wrap("see FL-DILUTION-CORE-ADAPTATION@p1+p2 now", 10, "  ", "  ") == [
        "  see", "  FL-DILUTION-CORE-ADAPTATION@p1+p2", "  now"]
