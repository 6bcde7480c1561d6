"""Load and validate: the first stage of the pipeline, and the only one that sees raw input.

Everything after this stage works on validated models, so every way input can be wrong (bytes that
are not UTF-8, JSON that is truncated or has duplicate keys, NaN, wrong types, unknown fields,
dangling references) is turned here into one `InputError` listing every problem with its file and
field path.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from difflib import get_close_matches
from pathlib import Path
from typing import Any, TypeVar, get_origin

from pydantic import BaseModel, ValidationError

from .errors import InputError, OtherProgrammeError, Problem, format_path
from .input_files import exists, read_bounded
from .schema import Programme, SiteProfile, check_programme, check_site, cross_check, other_programme
from .schema.common import models_in, unwrap
from .schema.vocabulary import Vocabulary, check_programme_tags, check_site_tags

MAX_INPUT_BYTES = 5 * 1024 * 1024
"""A site profile is a few KiB; anything this large is a mistake, refused before parsing."""
MAX_SHOWN_CHARS = 40
"""How much of a wrong value an error message repeats: enough to recognise it, never a flood."""

ModelT = TypeVar("ModelT", bound=BaseModel)
Source = str | Path | Mapping[str, Any]


class _DuplicateKey(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(f"duplicate key {key!r} in one object")
        result[key] = value
    return result


MAX_NUMBER_DIGITS = 100
"""No field takes a number anywhere near this long; longer ones are refused while parsing."""


def _too_many_digits(value: int) -> bool:
    """Whether an int (from JSON text, or handed over by an embedder) is longer than any field takes;
    measured by bits, because turning a huge int into text is itself refused by Python."""
    return value.bit_length() > MAX_NUMBER_DIGITS * 4


def _huge_numbers(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    if isinstance(value, int) and not isinstance(value, bool) and _too_many_digits(value):
        return [path]
    if isinstance(value, Mapping):
        return [p for key, item in value.items() for p in _huge_numbers(item, (*path, key))]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _huge_numbers(item, (*path, index))]
    return []


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise ValueError(f"a number of {len(text):,} digits is far too large")
    return int(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        shown = text if len(text) <= MAX_SHOWN_CHARS else text[:MAX_SHOWN_CHARS] + "..."
        raise ValueError(f"the number {shown} is too large to represent")
    return value


def parse_json_text(text: str, source: str) -> Any:
    """Parse JSON strictly: no duplicate keys, no NaN or Infinity (written, or reached by overflow),
    no absurdly long numbers, no unbounded nesting, and nothing larger than `MAX_INPUT_BYTES`."""
    if len(text) > MAX_INPUT_BYTES:
        raise InputError([Problem(source, message=f"input is {len(text):,} characters; the limit is "
                                                  f"{MAX_INPUT_BYTES:,}")])
    if not text.strip():
        raise InputError([Problem(source, message="the input is empty: expected a JSON object")])
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant,
                          parse_int=_bounded_int, parse_float=_finite_float)
    except json.JSONDecodeError as error:
        raise InputError(
            [Problem(source, message=f"not valid JSON: {error.msg}", line=error.lineno, column=error.colno)]
        ) from None
    except RecursionError:
        raise InputError([Problem(source, message="not valid JSON: nested too deeply")]) from None
    except ValueError as error:  # duplicate keys, NaN, overflowing or over-long numbers
        raise InputError([Problem(source, message=f"not valid JSON: {error}")]) from None


def read_text(path: Path) -> str:
    """Read a UTF-8 regular file of at most `MAX_INPUT_BYTES`, turning every OS or encoding failure
    into an `InputError` naming the file (a device, FIFO or over-long path included)."""
    data = read_bounded(path, MAX_INPUT_BYTES)
    return decode_utf8(data, str(path))


def decode_utf8(data: bytes, source: str) -> str:
    """UTF-8 text, a leading byte-order mark dropped; the first bad byte is named by its offset."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = f"not UTF-8 text: byte {data[error.start]:#04x} at offset {error.start:,}"
        raise InputError([Problem(source, message=message)]) from None


def _suggest(word: str, choices: Sequence[str]) -> str:
    close = get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _fields_at(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The field names allowed at `loc` (a pydantic error location ending in the bad key)."""
    current = [model]
    keyed = False
    for part in loc[:-1]:
        if isinstance(part, int) or keyed:
            keyed = False
            continue  # an index into a list, or a key of a mapping, keeps the item's model
        fields = [c.model_fields[part] for c in current if part in c.model_fields]
        found = [m for info in fields for m in models_in(info.annotation)]
        if not found:
            return []
        keyed = any(get_origin(unwrap(info.annotation)) is dict for info in fields)
        current = found
    return sorted({name for c in current for name in c.model_fields})


def _shown(value: Any) -> str:
    """A short description of a wrong value: its JSON type, and the value itself if it is short."""
    kind = {bool: "true/false", int: "a whole number", float: "a number", str: "text", list: "a list",
            dict: "an object", type(None): "null"}.get(type(value), type(value).__name__)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int) and not isinstance(value, bool) and _too_many_digits(value):
        return f"{kind} too large"
    if isinstance(value, int | float | str):
        finite = not (isinstance(value, float) and not math.isfinite(value))
        text = json.dumps(value) if finite else str(value)
        if len(text) <= MAX_SHOWN_CHARS:
            return f"{kind} {text}"
        return f"{kind} of {len(text):,} characters" if isinstance(value, str) else f"{kind} too large"
    return kind


_TYPE_ERRORS = {"int_type", "float_type", "bool_type", "string_type", "list_type", "model_type",
                "dict_type", "int_from_float", "finite_number", "model_attributes_type",
                "greater_than", "greater_than_equal", "less_than", "less_than_equal"}
_PATTERNS = {
    r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$": "an id must be letters, digits, '_', '-' or '.', start with a "
    "letter or digit, and be at most 64 characters",
    r"^[a-z0-9][a-z0-9_\-]{0,63}$": "a tag must be lower-case letters, digits, '_' or '-', such as "
    "'accommodation_support', at most 64 characters",
}


def _validation_problems(error: ValidationError, source: str, model: type[BaseModel]) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        message = detail["msg"]
        loc = tuple(detail["loc"])
        if detail["type"] == "extra_forbidden":
            allowed = _fields_at(model, loc)
            message = "unknown field" + _suggest(str(loc[-1]), allowed) if loc else "unknown field"
        elif detail["type"] == "literal_error" and isinstance(detail.get("input"), str):
            expected = str(detail.get("ctx", {}).get("expected", ""))
            choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip(" '")]
            message += ", found " + _shown(detail["input"]) + _suggest(detail["input"], choices)
        elif detail["type"] == "string_pattern_mismatch":
            pattern = str(detail.get("ctx", {}).get("pattern", ""))
            message = _PATTERNS.get(pattern, message) + ", found " + _shown(detail.get("input"))
        elif detail["type"] in _TYPE_ERRORS:
            message += ", found " + _shown(detail.get("input"))
        problems.append(Problem(source, location=format_path(loc), message=message))
    return problems


MIN_FRACTION = 0.0001
"""The smallest non-zero size of a number in a profile. durable_rules misreads the exponent form
(1e-05) that Python writes for smaller numbers and fails on the whole profile, and no quantity in
the schema (months, hours, pounds, years) is meaningful at that precision."""


def _tiny_numbers(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    if isinstance(value, float) and 0 < abs(value) < MIN_FRACTION:
        return [path]
    if isinstance(value, Mapping):
        return [p for key, item in value.items() for p in _tiny_numbers(item, (*path, key))]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _tiny_numbers(item, (*path, index))]
    return []


def validate(model: type[ModelT], data: Any, source: str) -> ModelT:
    """Validate parsed JSON against a model, reporting every problem with its field path."""
    if not isinstance(data, Mapping):
        raise InputError([Problem(source, message=f"expected a JSON object, found {_shown(data)}")])
    try:
        huge = _huge_numbers(data)
        if huge:
            message = f"a number of more than {MAX_NUMBER_DIGITS} digits is far too large"
            raise InputError([Problem(source, location=format_path(path), message=message) for path in huge])
        tiny = _tiny_numbers(data)
        if tiny:
            message = f"a number this small is not supported: use 0 or at least {MIN_FRACTION}"
            raise InputError([Problem(source, location=format_path(path), message=message) for path in tiny])
        return model.model_validate(data, strict=True)
    except ValidationError as error:
        raise InputError(_validation_problems(error, source, model)) from None
    except RecursionError:
        raise InputError([Problem(source, message="nested too deeply")]) from None


def _looks_like_json(text: str) -> bool:
    """Whether a string handed to a loader is a JSON document rather than a path: an object or a
    list, or a bare JSON scalar that no sensible file name would be."""
    stripped = text.strip()
    if stripped[:1] in ("{", "[", '"'):
        return True
    try:
        json.loads(stripped)
    except ValueError:
        return False
    return not exists(Path(text))


def _document(source: Source, label: str) -> tuple[Any, str]:
    """Accept a path, a JSON string or an already-parsed mapping, as embedders have all three.
    Anything else already parsed (a list from a JSON Lines batch, say) goes on to `validate`, which
    reports that an object was expected."""
    if isinstance(source, Path):
        return parse_json_text(read_text(source), str(source)), str(source)
    if isinstance(source, str):
        if _looks_like_json(source):
            return parse_json_text(source, label), label
        path = Path(source)
        return parse_json_text(read_text(path), str(path)), str(path)
    return source, label


def _raise_located(located: list[tuple[tuple[str | int, ...], str]], source: str) -> None:
    if located:
        raise InputError([Problem(source, location=format_path(path), message=msg) for path, msg in located])


def load_programme(source: Source, *, label: str = "<programme>", vocabulary: Vocabulary | None = None) -> Programme:
    """A validated programme; its tags are checked against `vocabulary` (the shipped one if None)."""
    data, name = _document(source, label)
    programme = validate(Programme, data, name)
    _raise_located(check_programme(programme) + check_programme_tags(programme, vocabulary), name)
    return programme


def site_from_data(data: Any, source: str, vocabulary: Vocabulary | None = None) -> SiteProfile:
    """Validate one already-parsed site (a JSON Lines entry): never read as a path, whatever it holds."""
    site = validate(SiteProfile, data, source)
    _raise_located(check_site(site) + check_site_tags(site, vocabulary), source)
    return site


def load_site(source: Source, *, label: str = "<site>", vocabulary: Vocabulary | None = None) -> SiteProfile:
    """A validated site profile; its tags are checked against `vocabulary` (the shipped one if None)."""
    data, name = _document(source, label)
    return site_from_data(data, name, vocabulary)


def check_site_against(programme: Programme, site: SiteProfile, source: str) -> None:
    """Raise if the site was written for another programme (`OtherProgrammeError`) or refers to
    principles or components the programme does not have."""
    elsewhere = other_programme(programme, site)
    if elsewhere:
        raise OtherProgrammeError([Problem(source, location=format_path(path), message=message)
                                   for path, message in elsewhere])
    _raise_located(cross_check(programme, site), source)
