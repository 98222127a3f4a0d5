"""Messages for a config that does not fit its schema: line, key path, what is wrong.

pydantic reports a validation error as a location in the data it was given
(``('sources', 'leads', 0, 'encoding')``); here that becomes the key path as the
file writes it (``sources.leads.encoding``, a single source being written without a
list), the line of that key, and a predicate that finishes the sentence
(``must be a text encoding such as utf-8, …, not 'bogus'``). An unknown key comes
with the closest known one.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
from collections.abc import Hashable, Mapping, Sequence
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from leadkpi.exceptions import ConfigError

__all__ = ["Problem", "config_error", "line_of", "problems_of", "shown", "suggest"]

#: One problem: the line (None when unknown), the key path and the predicate.
Problem = tuple[int | None, tuple[Hashable, ...], str]


def suggest(value: str, known: Sequence[str], *, fold: bool = True) -> str:
    """``"; did you mean 'X'?"`` for the closest known value, or nothing."""
    keys = {k.lower() if fold else k: k for k in known}
    close = difflib.get_close_matches(value.lower() if fold else value, keys, n=1)
    return f"; did you mean {keys[close[0]]!r}?" if close else ""


def shown(value: Any) -> str:
    """A value as a message quotes it: dates as written, long ones cut short."""
    text = value.isoformat() if isinstance(value, dt.date | dt.time) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_EXPECTED = {
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "list_type": "a list",
    "string_type": "text",
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "date_type": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "a date (YYYY-MM-DD)",
}


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types an annotation allows (Annotated and unions opened)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [t for arg in get_args(annotation) for t in _unwrap(arg)]
    return [annotation]


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _step(annotations: list[Any], part: Hashable) -> list[Any]:
    """The types found one key or position further down."""
    found = []
    for annotation in annotations:
        origin = get_origin(annotation)
        if _is_model(annotation):
            fields = annotation.model_fields
            if part in fields:
                found += _unwrap(fields[part].annotation)
            elif isinstance(part, int):  # a single entry written without a list
                found.append(annotation)
        elif origin is dict:
            found += _unwrap(get_args(annotation)[1])
        elif origin is list:
            found += _unwrap(get_args(annotation)[0])
    return found


def _known_keys(root: Any, loc: tuple[Hashable, ...]) -> tuple[list[str], str]:
    """The keys allowed in the mapping at ``loc`` of ``root``, and what they are."""
    annotations = _unwrap(root)
    for part in loc:
        annotations = _step(annotations, part)
    models = [a for a in annotations if _is_model(a)]
    if not models:
        return [], "setting"
    return list(models[0].model_fields), getattr(models[0], "noun", "setting")


def _locate(data: Any, loc: tuple[Hashable, ...]) -> tuple[Hashable, ...]:
    """The part of ``loc`` the user wrote (shorthands add steps that are not there)."""
    path: list[Hashable] = []
    for part in loc:
        if isinstance(part, int) and not isinstance(data, list):
            continue  # a single entry written without a list
        if isinstance(data, Mapping):
            key = next((k for k in data if str(k) == str(part)), None)
            if key is None:
                break
            path.append(str(key))  # as the file writes it; list positions stay ints
            data = data[key]
        elif isinstance(data, list) and isinstance(part, int):
            if part >= len(data):
                break
            path.append(part)
            data = data[part]
        else:
            break
    return tuple(path)


def _dotted(path: Sequence[Hashable]) -> str:
    """``sources.spend[1].currency``; control characters in a key are escaped."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else "." + repr(str(part))[1:-1]
    return out.lstrip(".")


def _predicate(error: Mapping[str, Any], root: Any) -> str:
    """What is wrong, as the end of a sentence that starts with the key."""
    kind, value = error["type"], error.get("input")
    loc = tuple(p for p in error["loc"] if p != "[key]")
    if kind == "extra_forbidden":
        known, noun = _known_keys(root, loc[:-1])
        hint = suggest(str(loc[-1]), known, fold=False)
        return f"is not a {noun}" + (hint or f"; expected {', '.join(known)}")
    if kind == "missing":
        return "is required"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind == "string_type" and isinstance(value, bool):
        return (
            f"must be text, not {value!r} (YAML reads yes, no, on and off as true "
            "or false: quote the value)"
        )
    if kind == "too_short":
        return "must not be empty"
    if kind in _EXPECTED:
        return f"must be {_EXPECTED[kind]}, not {shown(value)}"
    message = re.sub(r"^\w+ should", "must", str(error["msg"]))
    return f"{message}, not {shown(value)}"


def problems_of(
    exc: ValidationError, data: Any, root: Any, prefix: tuple[Hashable, ...]
) -> list[Problem]:
    """The problems of a pydantic error on ``data`` (of type ``root``), lines unset."""
    out = []
    for error in exc.errors(include_url=False):
        loc = tuple(p for p in error["loc"] if p != "[key]")
        path = (*prefix, *_locate(data, loc))
        if error["type"] == "missing":
            path = (*path, loc[-1])
        out.append((None, path, _predicate(error, root)))
    return out


def config_error(where: str, problems: Sequence[Problem]) -> ConfigError:
    """One error listing ``problems`` in file order, one line each.

    One problem reads ``config leadkpi.yaml line 3: 'currency' must be …``; several
    read ``config leadkpi.yaml: 2 problems`` and then one indented line each.
    """
    problems = tuple(sorted(problems, key=lambda p: (p[0] is None, p[0] or 0)))
    said = [
        (f"'{_dotted(path)}' " if path else "") + what for _, path, what in problems
    ]
    if len(problems) == 1:
        line = problems[0][0]
        head = " ".join(filter(None, [where, line and f"line {line}"]))
        return ConfigError(f"{head}: {said[0]}" if head else said[0], problems=problems)
    body = "".join(
        f"\n  {'' if line is None else f'line {line}: '}{text}"
        for (line, _, _), text in zip(problems, said, strict=True)
    )
    head = f"{where}: " if where else ""
    return ConfigError(f"{head}{len(problems)} problems{body}", problems=problems)


def line_of(path: tuple[Hashable, ...], lines: Mapping[tuple, int]) -> int | None:
    """The line of ``path``'s deepest key that the file has."""
    for n in range(len(path), 0, -1):
        if path[:n] in lines:
            return lines[path[:n]]
    return None
