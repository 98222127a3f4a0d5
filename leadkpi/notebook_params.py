"""The documented parameters of a report notebook, and ``--param key=value``.

A report notebook declares its parameters in its cell tagged ``parameters``, one a
line, in papermill's form ``name: type = default  # help``. :func:`parameters` reads
them (name, type, default, help), :func:`describe` lists them for ``leadkpi report
NAME --help``, and :func:`parse_params` turns ``key=value`` texts into values of
each parameter's type, refusing a key the notebook does not declare.
"""

from __future__ import annotations

import ast
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from leadkpi.arguments import unknown
from leadkpi.exceptions import ArgumentError

__all__ = ["Parameter", "parameters", "describe", "parse_params"]

_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


@dataclass(frozen=True)
class Parameter:
    """One documented parameter of a notebook: ``name: type = default  # help``."""

    name: str
    type: str
    default: str
    help: str


def parameters(notebook: str | os.PathLike[str]) -> dict[str, Parameter]:
    """The parameters ``notebook`` declares, in order (empty when it has none).

    Examples
    --------
    >>> found = parameters("notebooks/monthly_report.ipynb")
    >>> list(found)
    ['month', 'config', 'lang', 'mode']
    >>> found["mode"].type, found["mode"].default
    ('str', '"period"')
    """
    from papermill import inspect_notebook  # imported late: papermill is slow

    found = inspect_notebook(str(notebook))
    return {
        name: Parameter(
            name,
            str(item.get("inferred_type_name") or "None"),
            str(item.get("default") or ""),
            str(item.get("help") or ""),
        )
        for name, item in found.items()
    }


def describe(declared: Mapping[str, Parameter]) -> str:
    """The parameters as ``leadkpi report NAME --help`` lists them.

    Examples
    --------
    >>> print(describe({"top": Parameter("top", "int", "5", "rows shown")}))
      top (int, default 5): rows shown
    """
    if not declared:
        return "  (no parameters)"
    return "\n".join(
        f"  {p.name} ({p.type}, default {p.default})"
        + (f": {p.help}" if p.help else "")
        for p in declared.values()
    )


def _typed(parameter: Parameter, value: str) -> Any:
    """``value`` as the type of ``parameter``'s default."""
    kind = parameter.type.lower()
    try:
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        if kind == "bool":
            text = value.strip().lower()
            if text in _TRUE | _FALSE:
                return text in _TRUE
            raise ValueError
        if kind in ("list", "dict", "tuple"):
            if value.strip().startswith(("[", "{", "(")):
                text = value.strip()
                parsed = ast.literal_eval(text) if kind == "tuple" else json.loads(text)
            else:  # a comma-separated list: a,b,c
                parsed = [v.strip() for v in value.split(",") if v.strip()]
            if kind == "dict" and not isinstance(parsed, dict):
                raise ValueError
            return parsed
    except (ValueError, SyntaxError, json.JSONDecodeError):
        expected = {
            "bool": "true or false",
            "list": "a JSON list or a,b,c",
            "dict": 'a JSON object like {"a": 1}',
        }.get(kind, f"a{'n' if kind == 'int' else ''} {kind}")
        raise ArgumentError(
            f"--param {parameter.name}={value!r}: expected {expected} (the default "
            f"is {parameter.default})"
        ) from None
    return value  # str, or a parameter without a type: the text as given


def parse_params(
    items: Iterable[str], declared: Mapping[str, Parameter], *, notebook: str = ""
) -> dict[str, Any]:
    """``["months=6", "kpi=cac"]`` → ``{"months": 6, "kpi": "cac"}``, each value
    typed as the declared parameter's default.

    Raises
    ------
    ArgumentError
        An item without ``=``, a key the notebook does not declare (with the
        closest ones), or a value that is not of the parameter's type.

    Examples
    --------
    >>> declared = {"months": Parameter("months", "int", "12", ""),
    ...             "kpi": Parameter("kpi", "str", '"cac"', "")}
    >>> parse_params(["months=6", "kpi=cost_per_lead"], declared)
    {'months': 6, 'kpi': 'cost_per_lead'}
    >>> parse_params(["month=6"], declared, notebook="experiment")
    Traceback (most recent call last):
    ...
    leadkpi.exceptions.ArgumentError: --param month='6' is not a parameter of \
experiment; did you mean 'months'? (valid: months, kpi)
    """
    values: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ArgumentError(f"--param {item!r}: expected KEY=VALUE")
        if key not in declared:
            raise _unknown_key(key, value, declared, notebook)
        values[key] = _typed(declared[key], value)
    return values


def _unknown_key(
    key: str, value: str, declared: Mapping[str, Parameter], notebook: str
) -> ArgumentError:
    close = unknown("key", key, declared)  # the closest names, if any
    text = str(close)
    hint = text[text.index(";") :] if "; did you mean" in text else ""
    hint = hint[: hint.index("(valid")].rstrip() if "(valid" in hint else hint
    names = ", ".join(declared) or "none"
    return ArgumentError(
        f"--param {key}={value!r} is not a parameter of "
        f"{notebook or 'the notebook'}{hint} (valid: {names})"
    )
