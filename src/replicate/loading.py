"""Load and validate: the first stage of the pipeline, and the only one that sees raw input.

Everything after this stage works on validated models, so every way input can be wrong (bytes that
are not UTF-8, JSON that is truncated or has duplicate keys, NaN, wrong types, unknown fields,
dangling references) is turned here into one `InputError` listing every problem with its file and
field path.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import InputError, Problem, format_path
from .schema import Programme, SiteProfile, check_programme, check_site, cross_check

MAX_INPUT_BYTES = 5 * 1024 * 1024
"""A site profile is a few KiB; anything this large is a mistake, refused before parsing."""

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


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_json_text(text: str, source: str) -> Any:
    """Parse JSON strictly: no duplicate keys, no NaN or Infinity, no unbounded nesting."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise InputError(
            [Problem(source, message=f"not valid JSON: {error.msg}", line=error.lineno, column=error.colno)]
        ) from None
    except RecursionError:
        raise InputError([Problem(source, message="not valid JSON: nested too deeply")]) from None
    except ValueError as error:  # duplicate keys, NaN, integers too long to convert
        raise InputError([Problem(source, message=f"not valid JSON: {error}")]) from None


def read_text(path: Path) -> str:
    """Read a UTF-8 file, turning every OS or encoding failure into an `InputError` naming the file."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(
                [Problem(source, message=f"file is {size:,} bytes; the limit is {MAX_INPUT_BYTES:,}")]
            )
        data = path.read_bytes()
    except OSError as error:
        raise InputError([Problem(source, message=f"cannot read: {error.strerror or error}")]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            [Problem(source, message=f"not UTF-8 text: byte {data[error.start]:#04x} at offset {error.start}")]
        ) from None


def _validation_problems(error: ValidationError, source: str) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        message = detail["msg"]
        if detail["type"] == "extra_forbidden":
            message = "unknown field"
        problems.append(Problem(source, location=format_path(detail["loc"]), message=message))
    return problems


def validate(model: type[ModelT], data: Any, source: str) -> ModelT:
    """Validate parsed JSON against a model, reporting every problem with its field path."""
    if not isinstance(data, Mapping):
        raise InputError([Problem(source, message=f"expected a JSON object, found {type(data).__name__}")])
    try:
        return model.model_validate(data, strict=True)
    except ValidationError as error:
        raise InputError(_validation_problems(error, source)) from None
    except RecursionError:
        raise InputError([Problem(source, message="nested too deeply")]) from None


def _document(source: Source, label: str) -> tuple[Any, str]:
    """Accept a path, a JSON string or an already-parsed mapping, as embedders have all three."""
    if isinstance(source, Mapping):
        return source, label
    if isinstance(source, Path):
        return parse_json_text(read_text(source), str(source)), str(source)
    if source.lstrip().startswith("{"):
        return parse_json_text(source, label), label
    path = Path(source)
    return parse_json_text(read_text(path), str(path)), str(path)


def _raise_located(located: list[tuple[tuple[str | int, ...], str]], source: str) -> None:
    if located:
        raise InputError([Problem(source, location=format_path(path), message=msg) for path, msg in located])


def load_programme(source: Source, *, label: str = "<programme>") -> Programme:
    data, name = _document(source, label)
    programme = validate(Programme, data, name)
    _raise_located(check_programme(programme), name)
    return programme


def load_site(source: Source, *, label: str = "<site>") -> SiteProfile:
    data, name = _document(source, label)
    site = validate(SiteProfile, data, name)
    _raise_located(check_site(site), name)
    return site


def check_site_against(programme: Programme, site: SiteProfile, source: str) -> None:
    """Raise if the site refers to principles or components the programme does not have."""
    _raise_located(cross_check(programme, site), source)
