"""Turn text columns into the typed canonical columns, rejecting what does not parse.

Every function here is vectorised over a whole column: values that cannot be parsed
become rejects with a reason naming the column, the value and what was expected.
Numbers and dates are read by :mod:`leadkpi.io.numbers` and :mod:`leadkpi.io.dates`
(any locale); the table is then validated with its pandera schema.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from leadkpi.exceptions import LeadKPIWarning
from leadkpi.io.dates import parse_dates
from leadkpi.io.limits import ReadLimits
from leadkpi.io.numbers import MAX_COUNT, parse_numbers
from leadkpi.io.result import REJECT_COLUMNS
from leadkpi.io.text import ROW_PROBLEM
from leadkpi.io.threads import per_column
from leadkpi.schemas import Column, schema, table_spec

__all__ = ["coerce_column", "parse_table", "collect_warnings"]


@contextmanager
def collect_warnings() -> Iterator[list[str]]:
    """Collect the :class:`LeadKPIWarning` messages raised inside the block.

    Other warnings pass through unchanged.

    Examples
    --------
    >>> with collect_warnings() as notes:
    ...     warnings.warn("read as day/month", LeadKPIWarning)
    >>> notes
    ['read as day/month']
    """
    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", LeadKPIWarning)
        yield notes
    for item in caught:
        if issubclass(item.category, LeadKPIWarning):
            notes.append(str(item.message))
        else:
            warnings.warn_explicit(
                item.message, item.category, item.filename, item.lineno
            )


class _Typed(NamedTuple):
    """One column typed: values, the problems that reject cells, found currency."""

    values: pd.Series
    problems: list[tuple[np.ndarray, str]]  # (mask, what the cell is not / is)
    currency: pd.Series | None
    notes: tuple[str, ...]
    placeholder: np.ndarray | None = None  # read as missing, with a note


def _parse(
    values: pd.Series,
    column: Column,
    timezone: str,
    locale: str,
    dayfirst: bool | None,
    decimal: str | None,
    limits: ReadLimits | None = None,
) -> _Typed:
    kind = column.kind
    if kind == "month":
        return _month(values, timezone, locale, dayfirst, limits)
    if kind in ("timestamp", "date"):
        dates = parse_dates(
            values,
            kind=kind,
            timezone=timezone,
            dayfirst=dayfirst,
            locale=locale,
            limits=limits,
        )
        outside = dates.outside.to_numpy()
        first, last = dates.years
        return _Typed(
            dates.values,
            [
                (dates.invalid.to_numpy() & ~outside, f"is not {dates.expected}"),
                (outside, f"is outside the plausible years {first}–{last} (limits)"),
            ],
            None,
            dates.warnings,
            dates.placeholder.to_numpy(),
        )
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(
        values.dtype
    ):
        typed = values.astype("float64")
        invalid = np.zeros(len(values), dtype=bool)
        currency, notes, mark = None, (), "."
    else:
        numbers = parse_numbers(
            values, locale=locale, decimal=decimal, whole=kind == "count"
        )
        typed, invalid = numbers.values, numbers.invalid.to_numpy()
        currency, mark, notes = numbers.currency, numbers.decimal, numbers.warnings
    example = "1,234.56" if mark == "." else "1.234,56"
    infinite = (typed.notna() & ~np.isfinite(typed)).to_numpy()
    if kind == "count":
        large = (typed.abs() >= MAX_COUNT).to_numpy() & ~infinite
        fraction = (typed.notna() & (typed != np.round(typed))).to_numpy()
        fraction = fraction & ~infinite & ~large
        bad = invalid | infinite | large | fraction
        typed = typed.where(~bad).astype("Int64")
        return _Typed(
            typed,
            [
                (invalid | infinite | fraction, "is not a whole number"),
                (large, f"is too large; expected a whole number below {MAX_COUNT:,}"),
            ],
            None,
            notes,
        )
    typed = typed.where(~infinite)
    return _Typed(
        typed,
        [(invalid | infinite, f"is not a number like {example}")],
        currency,
        notes,
    )


def _parse_columns(
    raw: pd.DataFrame,
    columns: list[Column],
    timezone: str,
    locale: str,
    dayfirst: bool | None,
    decimal: str | None,
    limits: ReadLimits | None,
) -> dict[str, _Typed]:
    """:func:`_parse` of each of ``columns``, by name, two at a time in a large
    table (:func:`~leadkpi.io.threads.per_column`); each column is typed on its
    own and its notes are given back with it."""

    def one(column: Column) -> _Typed:
        values = raw[column.name]
        return _parse(values, column, timezone, locale, dayfirst, decimal, limits)

    typed = per_column(one, columns, len(raw))
    return dict(zip([c.name for c in columns], typed, strict=True))


#: ``2026-03``, ``2026/03`` or ``03/2026``: a month written without a day.
_YEAR_MONTH = r"^\s*(\d{4})[-/.](\d{1,2})\s*$"
_MONTH_YEAR = r"^\s*(\d{1,2})[-/.](\d{4})\s*$"


def _month(
    values: pd.Series,
    timezone: str,
    locale: str,
    dayfirst: bool | None,
    limits: ReadLimits | None,
) -> _Typed:
    """A calendar month: ``2026-03``, ``03/2026`` or any date in it, read as its
    first day."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):  # typed (Parquet)
        given = values
    else:
        text = values.astype("string")
        for pattern, year, month in ((_YEAR_MONTH, 0, 1), (_MONTH_YEAR, 1, 0)):
            parts = text.str.extract(pattern)
            found = parts[0].notna()
            if found.any():
                text = text.where(~found, parts[year] + "-" + parts[month].str.zfill(2))
        short = text.str.fullmatch(r"\d{4}-\d{2}").fillna(False).astype(bool)
        given = text.where(~short, text + "-01").astype(object)
        given = given.where(given.notna(), None)
    dates = parse_dates(
        given,
        kind="date",
        timezone=timezone,
        dayfirst=dayfirst,
        locale=locale,
        limits=limits,
    )
    outside = dates.outside.to_numpy()
    first, last = dates.years
    return _Typed(
        dates.values.dt.to_period("M").dt.to_timestamp().astype("datetime64[ns]"),
        [
            (dates.invalid.to_numpy() & ~outside, "is not a month like 2026-03"),
            (outside, f"is outside the plausible years {first}–{last} (limits)"),
        ],
        None,
        dates.warnings,
        dates.placeholder.to_numpy(),
    )


def _choices(values: pd.Series, column: Column) -> tuple[pd.Series, np.ndarray]:
    """A column with allowed values, in lower case, and where a value is not one."""
    folded = values.astype("string").str.strip().str.lower()
    folded = folded.where(folded != "")
    bad = (folded.notna() & ~folded.isin(column.choices)).to_numpy(dtype=bool)
    return folded.astype("str"), bad


def coerce_column(
    values: pd.Series,
    column: Column,
    timezone: str,
    *,
    locale: str = "en",
    dayfirst: bool | None = None,
    decimal: str | None = None,
) -> pd.Series:
    """Convert one column to its canonical type; unparseable values become missing.

    Parameters
    ----------
    values : pandas.Series
        Text (or already typed) values.
    column : Column
        The canonical column the values fill.
    timezone : str
        Project timezone that timestamps are converted to.
    locale, dayfirst, decimal
        See :func:`parse_table`.

    Returns
    -------
    pandas.Series
        Typed values, with the index of ``values``.

    Examples
    --------
    >>> from leadkpi.schemas import Column
    >>> coerce_column(pd.Series(["1.234,5 €", "--"]), Column("cost", "money"), "UTC")
    0    1234.5
    1       NaN
    dtype: float64
    """
    if column.kind in ("id", "string"):
        return values
    return _parse(values, column, timezone, locale, dayfirst, decimal).values


def _placeholder_note(
    name: str, original: pd.Series, placeholder: np.ndarray, lines: np.ndarray
) -> str:
    """The warning for placeholder dates read as missing, naming their lines."""
    where = lines[placeholder]
    shown = ", ".join(map(str, where[:10])) + (", …" if len(where) > 10 else "")
    values = ", ".join(repr(v) for v in original[placeholder].unique()[:3])
    return (
        f"{name}: {len(where)} placeholder date(s) ({values}) read as missing, "
        f"line(s) {shown}; they stand for 'no date' or 'no end' (limits: "
        "placeholder_dates)"
    )


def _quoted(values: pd.Series) -> pd.Series:
    return "'" + values.astype("str").str.replace("\n", " ") + "'"


def _duplicates(
    table: pd.DataFrame,
    raw: pd.DataFrame,
    candidates: np.ndarray,
    lines: np.ndarray,
    unique: list[str],
) -> pd.Series | None:
    """Reasons for rows repeating a unique key of an earlier row (by position);
    None when no row does.

    ``candidates`` (rows not yet rejected) is updated in place.
    """
    reasons = None
    for name in unique:
        positions = np.flatnonzero(candidates & table[name].notna().to_numpy())
        keys = table[name]
        if len(positions) < len(keys):
            keys = keys.iloc[positions]
        codes, _ = pd.factorize(keys)
        _, first_of_code = np.unique(codes, return_index=True)
        first = positions[first_of_code[codes]]
        repeat = first != positions
        if not repeat.any():
            continue
        later, earlier = positions[repeat], first[repeat]
        same = pd.util.hash_pandas_object(raw.iloc[later], index=False).to_numpy()
        same = same == pd.util.hash_pandas_object(raw.iloc[earlier], index=False)
        how = np.where(same, " (identical row)", " with different values")
        reason = (
            name + " = " + _quoted(raw[name].iloc[later]).reset_index(drop=True)
            + " repeats line " + pd.Series(lines[earlier]).astype("str")
            + pd.Series(how, dtype="str")
        )  # fmt: skip
        if reasons is None:
            reasons = pd.Series("", index=raw.index, dtype="str")
        reasons.iloc[later] += "; " + reason.to_numpy()
        candidates[later] = False
    return reasons


#: What some pandera releases (0.30) leave in a validated frame's ``attrs``: a schema
#: object, which ``DataFrame.to_parquet`` cannot write into the file's metadata.
_PANDERA_ATTR = "__pandera_schema__"


def _schema_failures(table: pd.DataFrame, raw: pd.DataFrame, kind: str) -> pd.Series:
    """Validate lazily with the table's pandera schema; return reasons by row index."""
    from pandera.errors import SchemaErrors  # imported on first use: it is slow

    try:
        # inplace: the schema coerces nothing, so the table need not be copied
        schema(kind, tuple(table.columns)).validate(table, lazy=True, inplace=True)
        found = None
    except SchemaErrors as exc:
        found = exc
    finally:
        table.attrs.pop(_PANDERA_ATTR, None)
    if found is not None:
        cases = found.failure_cases
        cases = cases[cases["index"].notna()].reset_index(drop=True)
        if cases.empty:
            raise found
        index = cases["index"].astype("int64").to_numpy()
        text = pd.Series("", index=cases.index, dtype="str")
        for name in cases["column"].unique():
            here = (cases["column"] == name).to_numpy()
            shown = (
                raw[name].iloc[index[here]] if name in raw else cases["failure_case"]
            )
            text[here] = _quoted(shown.reset_index(drop=True)).to_numpy()
        check = cases["check"].astype(str)
        reason = np.select(
            [
                check.str.contains("not_nullable"),
                check.str.contains("field_uniqueness"),
                check.str.contains("greater_than_or_equal_to"),
            ],
            [
                cases["column"] + " is empty; a value is required",
                cases["column"] + " = " + text + " repeats an earlier row",
                cases["column"] + " = " + text + " is negative; expected 0 or more",
            ],
            default=cases["column"] + " = " + text + " fails " + check,
        )
        by_row = pd.Series(reason, index=index)
        return by_row.groupby(level=0).agg("; ".join)
    return pd.Series(dtype="str")


def parse_table(
    raw: pd.DataFrame,
    kind: str,
    *,
    timezone: str,
    file: str,
    first_line: int = 2,
    lines: np.ndarray | None = None,
    locale: str = "en",
    dayfirst: bool | None = None,
    decimal: str | None = None,
    limits: ReadLimits | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Type and validate a raw table; split it into loaded rows and rejects.

    Parameters
    ----------
    raw : pandas.DataFrame
        One row per input row, canonical column names, text (or typed) values. Its
        index is ignored. A :data:`~leadkpi.io.text.ROW_PROBLEM` column (rows the
        reader could not split) rejects the rows where it is set.
    kind : str
        The canonical table (a key of :data:`leadkpi.schemas.TABLES`).
    timezone : str
        Project timezone for timestamps.
    file : str
        Name shown in rejects.
    first_line : int
        Line number of the first data row in the file (2 below a header line); rows
        are numbered consecutively from it unless ``lines`` is given.
    lines : numpy.ndarray, optional
        The line number of each row (``RawTable.lines``); overrides ``first_line``.
    locale : str
        Decides wholly ambiguous number and date columns (``"en"``, ``"es"``…).
    dayfirst : bool, optional
        Force the day/month order of ``01/02/2025``-style dates.
    decimal : {".", ","}, optional
        Force the decimal mark of numbers.
    limits : ReadLimits, optional
        The plausible years of dates and the placeholder dates read as missing
        (default :class:`~leadkpi.io.limits.ReadLimits`).

    Returns
    -------
    table, rejects : pandas.DataFrame
        ``len(table) + len(rejects) == len(raw)``. Extra (non-canonical) columns are
        kept in ``table`` unchanged; a ``currency`` column is filled from currency
        symbols or codes found in money values when the table has one. ``rejects``
        has ``file, line, reason`` followed by the original values as text.
        Decisions taken for ambiguous columns are raised as
        :class:`~leadkpi.exceptions.LeadKPIWarning` (see :func:`collect_warnings`).

    Examples
    --------
    >>> raw = pd.DataFrame({"date": ["01/10/2025", "31/02/2025"], "cost": ["1,5", "2"]})
    >>> table, rejects = parse_table(raw, "spend", timezone="UTC", file="ads.csv")
    >>> table[["date", "cost"]]
            date  cost
    0 2025-10-01   1.5
    >>> rejects[["line", "reason"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'line': 3, 'reason': "date = '31/02/2025' is not a date like DD/MM/YYYY"}]
    """
    spec = table_spec(kind)
    raw = raw.reset_index(drop=True)
    n = len(raw)
    if lines is None:
        lines = np.arange(first_line, first_line + n, dtype=np.int64)
    lines = np.asarray(lines, dtype=np.int64)
    if len(lines) != n:
        raise ValueError(f"{len(lines)} line numbers for {n} rows")
    reasons = pd.Series("", index=raw.index, dtype="str")
    flagged = np.zeros(n, dtype=bool)  # the rows given a reason (no text compares)
    if ROW_PROBLEM in raw.columns:
        problem = raw.pop(ROW_PROBLEM)
        has = problem.notna()
        reasons[has] += "; row " + problem[has].astype("str")
        flagged |= has.to_numpy(dtype=bool)
    table = raw.copy(deep=False)  # typed columns replace text ones; raw is kept
    currency = pd.Series(pa.nulls(n, pa.large_string()), index=raw.index, dtype="str")
    parsed = _parse_columns(
        raw,
        [c for c in spec.columns if c.name in raw and c.kind not in ("id", "string")],
        timezone,
        locale,
        dayfirst,
        decimal,
        limits,
    )
    for column in spec.columns:
        if column.name in raw.columns and column.choices:
            table[column.name], bad = _choices(raw[column.name], column)
            if bad.any():
                allowed = ", ".join(column.choices)
                shown = _quoted(raw[column.name][bad])
                reasons[bad] += (
                    f"; {column.name} = " + shown + f" is not one of {allowed}"
                )
                flagged |= bad
        if column.name not in raw.columns or column.kind in ("id", "string"):
            continue
        original = raw[column.name]
        typed = parsed[column.name]
        for note in typed.notes:
            warnings.warn(f"{file}: {note}", LeadKPIWarning, stacklevel=2)
        if typed.placeholder is not None and typed.placeholder.any():
            note = _placeholder_note(column.name, original, typed.placeholder, lines)
            warnings.warn(f"{file}: {note}", LeadKPIWarning, stacklevel=2)
        table[column.name] = typed.values
        if typed.currency is not None and typed.currency.notna().any():
            currency = currency.fillna(typed.currency)
        for bad, problem in typed.problems:
            if bad.any():
                shown = _quoted(original[bad])
                reasons[bad] += "; " + column.name + " = " + shown + " " + problem
                flagged |= bad
    if "currency" in spec.column_names and currency.notna().any():
        present = table["currency"] if "currency" in table else currency
        table["currency"] = present.astype("str").fillna(currency)
    candidates = ~flagged
    unique = [c.name for c in spec.columns if c.unique and c.name in table.columns]
    repeated = _duplicates(table, raw, candidates, lines, unique)
    if repeated is not None:
        reasons += repeated
        flagged = ~candidates  # repeats are no longer candidates
    checked = table if candidates.all() else table[candidates]  # no copy if all
    schema_reasons = _schema_failures(checked, raw, kind)
    if len(schema_reasons):
        reasons.loc[schema_reasons.index] += "; " + schema_reasons
        flagged[schema_reasons.index.to_numpy(dtype=np.int64)] = True
    rejected = flagged
    # a slice when nothing is rejected: a take over chunked text columns copies them
    bad = raw[rejected] if rejected.any() else raw.iloc[:0]
    rejects = bad.astype("str").where(bad.notna(), "")
    rejects.insert(0, "reason", reasons[rejected].str.removeprefix("; "))
    rejects.insert(0, "line", lines[rejected])
    rejects.insert(0, "file", file)
    assert tuple(rejects.columns[:3]) == REJECT_COLUMNS
    loaded = table[~rejected] if rejected.any() else table  # no copy if none
    return loaded.reset_index(drop=True), rejects.reset_index(drop=True)
