"""Turn text columns into the typed canonical columns, rejecting what does not parse.

Every function here is vectorised over a whole column: values that cannot be parsed
become rejects with a reason naming the column, the value and what was expected.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandera.errors import SchemaErrors

from leadkpi.io.result import REJECT_COLUMNS
from leadkpi.schemas import Column, schema, table_spec

__all__ = ["coerce_column", "parse_table"]

_EXPECTED = {
    "timestamp": "an ISO 8601 timestamp",
    "date": "a YYYY-MM-DD date",
    "money": "a number",
    "number": "a number",
    "count": "a whole number",
}


def coerce_column(values: pd.Series, column: Column, timezone: str) -> pd.Series:
    """Convert one column to its canonical type; unparseable values become missing.

    Parameters
    ----------
    values : pandas.Series
        Text (or already typed) values.
    column : Column
        The canonical column the values fill.
    timezone : str
        Project timezone that timestamps are converted to.

    Returns
    -------
    pandas.Series
        Typed values, with the index of ``values``.
    """
    kind = column.kind
    if kind == "timestamp":
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            return values.dt.tz_convert(timezone)
        parsed = pd.to_datetime(values, utc=True, errors="coerce", format="ISO8601")
        return parsed.dt.tz_convert(timezone)
    if kind == "date":
        parsed = pd.to_datetime(values, errors="coerce", format="ISO8601")
        if isinstance(parsed.dtype, pd.DatetimeTZDtype):
            parsed = parsed.dt.tz_localize(None)
        return parsed.dt.normalize().astype("datetime64[ns]")
    if kind in ("money", "number"):
        return pd.to_numeric(values, errors="coerce").astype("float64")
    if kind == "count":
        numbers = pd.to_numeric(values, errors="coerce").astype("float64")
        whole = numbers.where(np.isfinite(numbers) & (numbers == np.round(numbers)))
        return whole.astype("Int64")
    return values  # ids and strings stay as they are


def _schema_failures(table: pd.DataFrame, kind: str) -> pd.Series:
    """Validate lazily with the table's pandera schema; return reasons by row index."""
    try:
        schema(kind, tuple(table.columns)).validate(table, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        cases = cases[cases["index"].notna()]
        if cases.empty:
            raise
        text = cases["failure_case"].astype(str)
        check = cases["check"].astype(str)
        reason = np.select(
            [
                check.str.contains("not_nullable"),
                check.str.contains("field_uniqueness"),
                check.str.contains("greater_than_or_equal_to"),
            ],
            [
                cases["column"] + " is empty; a value is required",
                cases["column"] + " = '" + text + "' repeats an earlier row",
                cases["column"] + " = " + text + " is negative",
            ],
            default=cases["column"] + " = '" + text + "' fails " + check,
        )
        by_row = pd.Series(reason, index=cases["index"].astype("int64").to_numpy())
        return by_row.groupby(level=0).agg("; ".join)
    return pd.Series(dtype="str")


def parse_table(
    raw: pd.DataFrame,
    kind: str,
    *,
    timezone: str,
    file: str,
    first_line: int = 2,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Type and validate a raw table; split it into loaded rows and rejects.

    Parameters
    ----------
    raw : pandas.DataFrame
        One row per input row, canonical column names, text (or typed) values. Its
        index is ignored; rows are numbered from ``first_line`` in the order given.
    kind : str
        The canonical table (a key of :data:`leadkpi.schemas.TABLES`).
    timezone : str
        Project timezone for timestamps.
    file : str
        Name shown in rejects.
    first_line : int
        Line number of the first data row in the file (2 below a header line).

    Returns
    -------
    table, rejects : pandas.DataFrame
        ``len(table) + len(rejects) == len(raw)``. Extra (non-canonical) columns are
        kept in ``table`` unchanged. ``rejects`` has ``file, line, reason`` followed by
        the original values.
    """
    spec = table_spec(kind)
    raw = raw.reset_index(drop=True)
    table = raw.copy()
    reasons = pd.Series("", index=raw.index, dtype="str")
    for column in spec.columns:
        if column.name not in raw.columns:
            continue
        original = raw[column.name]
        typed = coerce_column(original, column, timezone)
        table[column.name] = typed
        bad = typed.isna() & original.notna()
        if bad.any():
            shown = original[bad].astype("str")
            expected = _EXPECTED[column.kind]
            reasons[bad] += "; " + column.name + " = '" + shown + "' is not " + expected
    parsed_ok = reasons == ""
    schema_reasons = _schema_failures(table[parsed_ok], kind)
    if len(schema_reasons):
        reasons.loc[schema_reasons.index] += "; " + schema_reasons
    rejected = reasons != ""
    rejects = raw[rejected].astype("str").where(raw[rejected].notna(), "")
    rejects.insert(0, "reason", reasons[rejected].str.removeprefix("; "))
    rejects.insert(0, "line", (rejects.index + first_line).astype("int64"))
    rejects.insert(0, "file", file)
    assert tuple(rejects.columns[:3]) == REJECT_COLUMNS
    return table[~rejected].reset_index(drop=True), rejects.reset_index(drop=True)
