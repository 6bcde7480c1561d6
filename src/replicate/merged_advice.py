"""One rule's advice about several subjects (three partners, two components) as one text, each thing
said once. It is sentence work on finished advice, kept apart from how findings are made."""

from __future__ import annotations

import re
from collections.abc import Sequence

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"(])")


def merged_advice(texts: Sequence[str], labels: Sequence[str] = ()) -> str:
    """One rule's advice about several subjects, each thing said once: what differs per subject
    first, in order, then the sentences every subject shares ("extending it is still better than
    running a rival"), which would otherwise be repeated once per subject. Given each text's
    subject label, a sentence that differs only by the label, where the label closes a clause
    ("no informal contact with X, on whom ..."), is said once naming them all; a label followed by
    a verb is left alone, so that no merged sentence reads "X and Y has"."""
    if len(texts) == 1:
        return texts[0]
    split = [_SENTENCE_END.split(text.strip()) for text in texts]
    named: dict[str, list[str]] = {}
    labels = [label.rstrip(".") for label in labels]  # a label that is a sentence ends inside the joined one
    if len(labels) == len(texts) and all(labels):
        templated = [[_without_label(sentence, label) for sentence in sentences]
                     for sentences, label in zip(split, labels, strict=True)]
        common = {t for t in templated[0] if _LABEL in t and all(t in other for other in templated[1:])}
        for template in common:
            named[template] = list(dict.fromkeys(labels))
        split = [[t if t in common else sentence for sentence, t in zip(sentences, row, strict=True)]
                 for sentences, row in zip(split, templated, strict=True)]
    shared = [s for s in dict.fromkeys(split[0]) if all(s in other for other in split[1:])]
    own = [s for sentences in split for s in sentences if s not in shared]
    said = [*dict.fromkeys(own), *shared]
    return " ".join(s.replace(_LABEL, _names(named[s])) if s in named else s for s in said)


_LABEL = "\x00"


def _without_label(sentence: str, label: str) -> str:
    """The sentence with its subject's label taken out where the label closes a clause."""
    return re.sub(re.escape(label) + r"(?=[,.;:!?]|$)", _LABEL, sentence)


def _names(labels: Sequence[str]) -> str:
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"


__all__ = ["merged_advice"]
