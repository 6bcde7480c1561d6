"""Did-you-mean hints for conditions written with another language's habits (`=>`, `&&`, `AND`,
`is None`, `True`), so an author sees the fix and not only the error."""

from __future__ import annotations

WORD_HINTS = {
    "true": "'true', in lower case",
    "false": "'false', in lower case",
    "yes": "'true'",
    "no": "'false'",
    "none": "'is missing'",
    "null": "'is missing'",
    "nil": "'is missing'",
}
"""Words from other languages that authors reach for, and what the condition language calls them."""

_OPERATOR_HINTS: tuple[tuple[str, str], ...] = (
    ("===", "=="),
    ("=>", ">="),
    ("=<", "<="),
    ("<>", "!="),
    ("&&", "and"),
    ("||", "or"),
    ("=", "=="),
    ("&", "and"),
    ("|", "or"),
    ("!", "not"),
)
"""Operators from spreadsheets and programming languages, longest first, with their spelling here."""

_KEYWORD_HINTS = {"AND": "and", "And": "and", "OR": "or", "Or": "or", "NOT": "not", "Not": "not",
                  "IN": "in", "IS": "is", "&&": "and", "||": "or"}


def explain_syntax_error(text: str, message: str, column: int) -> str:
    """Add a did-you-mean to a syntax error when the text near the error looks like an operator or
    keyword from another language (`=>`, `&&`, `AND`, `is None`), so the author sees the fix."""
    index = max(column - 1, 0)
    for start in (index - 2, index - 1, index):
        if start < 0:
            continue
        for wrong, right in _OPERATOR_HINTS:
            if text.startswith(wrong, start) and start <= index < start + len(wrong) and (
                wrong != "=" or not text.startswith("==", start)
            ):
                if wrong == "!" and text.startswith("!=", start):
                    continue
                return f"{wrong!r} is not an operator in conditions (did you mean {right!r}?)"
    word = text[index:].split(" ", 1)[0].split("(", 1)[0]
    if word in _KEYWORD_HINTS:
        return f"{message} (did you mean {_KEYWORD_HINTS[word]!r}?)"
    if message.startswith("expected 'missing' or 'known'") and word.lower() in WORD_HINTS:
        return f"{message} (did you mean 'is missing'?)" if word.lower() in ("none", "null", "nil", "empty") \
            else f"{message} (write 'is missing' or 'is known', or compare with '==')"
    return message


__all__ = ["WORD_HINTS", "explain_syntax_error"]
