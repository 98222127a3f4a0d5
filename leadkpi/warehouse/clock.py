"""The project's wall clock on a backend, in integer arithmetic.

Converting each timestamp with the backend's time-zone library costs about half a
second per million rows and column in DuckDB; a KPI query cuts hundreds of
millions. So a timestamp becomes microseconds since 1970 (``epoch_us`` in DuckDB,
``unix_micros`` in Spark) plus the project time zone's UTC offset at that
instant, picked from the zone's transitions (a handful per year) by a balanced
tree of comparisons; days and weeks follow from the local time by integer
arithmetic, and months, quarters and years from one tree of comparisons of the
stored value with the period starts, turned into instants in Python
(:func:`steps`). Bounds of a selected range are compared as instants, converted
once in Python.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "first_instants",
    "steps",
    "wall_span",
    "local_micros",
    "local_time",
    "instant_literal",
    "column_extents",
    "instant_span",
    "micros_between",
    "transitions",
    "DAY_US",
]

#: Microseconds in a day.
DAY_US = 86_400_000_000
_FIRST, _LAST = "1970-01-01", "2100-01-01"


@functools.lru_cache(maxsize=16)
def transitions(timezone: str) -> tuple[np.ndarray, np.ndarray]:
    """When ``timezone``'s UTC offset changes between 1970 and 2100, and the
    offset before the first change and after each one.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``at``: the UTC microseconds of each change (sorted); ``offsets``: one
        more entry than ``at``, in microseconds, ``offsets[i]`` in force before
        ``at[i]`` and ``offsets[-1]`` after the last change.

    Examples
    --------
    >>> at, offsets = transitions("Europe/Madrid")
    >>> pd.Timestamp(int(at[at > 1_700_000_000_000_000][0]), unit="us")
    Timestamp('2024-03-31 01:00:00')
    >>> sorted({int(o) // 3_600_000_000 for o in offsets[-4:]})
    [1, 2]
    """
    days = pd.date_range(_FIRST, _LAST, freq="D", tz="UTC").as_unit("us")
    offset = _offsets(days, timezone)
    changed = np.flatnonzero(np.diff(offset)) + 1
    if not len(changed):
        return np.array([], dtype="int64"), offset[:1]
    # within each day that changed, the first minute on the new offset
    minutes = np.arange(1, 1441, dtype="int64") * 60_000_000
    starts = days.asi8[changed - 1]
    grid = (starts[:, None] + minutes[None, :]).ravel()
    moments = pd.DatetimeIndex(pd.to_datetime(grid, unit="us", utc=True)).as_unit("us")
    shifted = _offsets(moments, timezone).reshape(len(changed), -1)
    first_new = np.argmax(shifted == offset[changed][:, None], axis=1)
    at = starts + minutes[first_new]
    return at.astype("int64"), np.concatenate([offset[:1], offset[changed]])


def _offsets(instants: pd.DatetimeIndex, timezone: str) -> np.ndarray:
    local = instants.tz_convert(timezone).tz_localize(None)
    return local.asi8 - instants.tz_localize(None).asi8  # both in microseconds


def _builtin(name: str, returns: str, takes: str = "timestamp") -> Any:
    import ibis

    @ibis.udf.scalar.builtin(name=name, signature=((takes,), returns))
    def function(ts):  # type: ignore[no-untyped-def]
        """A backend's own function of one timestamp."""

    return function


def _epoch_micros(backend: str, value: Any) -> Any:
    """Microseconds since 1970 of an instant (or of a naive time's own digits)."""
    if backend == "duckdb":
        return _builtin("epoch_us", "int64")(value)
    if backend == "pyspark":
        return _builtin("unix_micros", "int64")(value)
    return value.epoch_seconds().cast("int64") * 1_000_000


def micros_between(backend: str, later: Any, earlier: Any) -> Any:
    """``later - earlier`` in microseconds (int64): the elapsed time between two
    instants, from their epoch microseconds (DuckDB's ``DATE_DIFF`` on instants
    walks the calendar and takes some 15 times longer). Between timestamps without
    a time zone (wall-clock times) it is the wall-clock difference, an hour off
    the elapsed time when a daylight-saving change falls between them."""
    if backend not in ("duckdb", "pyspark"):
        return later.delta(earlier, unit="microsecond")
    return _epoch_micros(backend, later) - _epoch_micros(backend, earlier)


def _aware(backend: str, value: Any) -> bool:
    """Whether ``value`` holds instants (shown in UTC) rather than wall-clock times."""
    dtype = value.type()
    return backend == "pyspark" or dtype.timezone is not None


def column_extents(
    backend: str, tables: dict[str, Any], execute: Any
) -> dict[tuple[str, str], tuple[int, int]]:
    """The least and greatest value of every timestamp and date column of
    ``tables`` as stored (epoch microseconds; a date as its midnight), keyed by
    table and column name, one query per table; ``execute`` runs an expression
    to pandas. An empty column is left out."""
    out = {}
    for name, table in tables.items():
        schema = table.schema()
        columns = [c for c, t in schema.items() if t.is_timestamp() or t.is_date()]
        if not columns:
            continue
        parts = {}
        for i, column in enumerate(columns):
            value = table[column]
            if schema[column].is_date():
                micros = value.epoch_days().cast("int64") * DAY_US
            else:
                micros = _epoch_micros(backend, value)
            parts[f"lo{i}"] = micros.min()
            parts[f"hi{i}"] = micros.max()
        found = execute(table.aggregate(**parts)).iloc[0]
        for i, column in enumerate(columns):
            lo, hi = found[f"lo{i}"], found[f"hi{i}"]
            if not pd.isna(lo):
                out[(name, column)] = (int(lo), int(hi))
    return out


def instant_span(
    tables: dict[str, Any], extents: dict[tuple[str, str], tuple[int, int]]
) -> tuple[int, int]:
    """The first and last instant (UTC microseconds) of every timestamp column
    of ``tables``, from their :func:`column_extents`; ``(0, 0)`` when all are
    empty."""
    found = [
        extent
        for (name, column), extent in extents.items()
        if name in tables and tables[name].schema()[column].is_timestamp()
    ]
    if not found:
        return 0, 0
    return min(lo for lo, _ in found), max(hi for _, hi in found)


def local_micros(
    backend: str, timezone: str, value: Any, span: tuple[int, int] | None = None
) -> Any:
    """Wall-clock microseconds since 1970 in ``timezone`` of a timestamp or date
    column (NULL where it is NULL).

    A date is its midnight; a timestamp without a time zone is taken as the
    wall-clock time already (in Spark every ``TIMESTAMP`` is an instant). With
    ``span`` (the first and last instant the data holds, see
    :func:`instant_span`), only the zone's changes within it are tested."""
    dtype = value.type()
    if dtype.is_date():
        return value.epoch_days().cast("int64") * DAY_US
    micros = _epoch_micros(backend, value)
    if not _aware(backend, value):
        return micros
    at, offsets = transitions(timezone)
    if span is not None:
        first = int(np.searchsorted(at, span[0], side="right"))
        last = int(np.searchsorted(at, span[1], side="right"))
        at, offsets = at[first:last], offsets[first : last + 1]

    return micros + _tree(micros, at, offsets)


def _tree(x: Any, thresholds: np.ndarray, leaves: np.ndarray) -> Any:
    """``leaves[i]``, where ``i`` is how many of the ascending ``thresholds`` are at
    or below ``x``: a balanced tree of comparisons, as deep as the log of their
    number (a NULL ``x`` takes the last leaf: callers test for NULL first)."""
    import ibis

    def pick(lo: int, hi: int) -> Any:
        if lo == hi:
            return ibis.literal(int(leaves[lo]), type="int64")
        mid = (lo + hi + 1) // 2
        return ibis.ifelse(
            x < int(thresholds[mid - 1]), pick(lo, mid - 1), pick(mid, hi)
        )

    return pick(0, len(leaves) - 1)


def first_instants(timezone: str, walls: np.ndarray) -> np.ndarray | None:
    """The first instant (UTC microseconds) at which ``timezone``'s wall clock
    reads each of the ascending wall-clock times ``walls`` (microseconds) or
    later; None when the clock, once there, is set back below one of them (a
    daylight-saving change across one), as a count of them passed by would then
    go down again.

    Examples
    --------
    >>> import pandas as pd
    >>> walls = pd.DatetimeIndex(["2024-03-31 02:30", "2024-04-01"]).as_unit("us")
    >>> first = first_instants("Europe/Madrid", walls.asi8)
    >>> [str(pd.Timestamp(int(t), unit="us")) for t in first]
    ['2024-03-31 01:00:00', '2024-03-31 22:00:00']
    """
    at, offsets = transitions(timezone)
    walls = np.asarray(walls, dtype="int64")
    starts = np.concatenate([[np.iinfo("int64").min // 2], at])
    ends = np.concatenate([at, [np.iinfo("int64").max // 2]])
    # on each stretch of one offset, the first instant there reading wall or later
    candidate = np.maximum(starts[None, :], walls[:, None] - offsets[None, :])
    first = np.where(candidate < ends[None, :], candidate, ends[-1]).min(axis=1)
    back = np.flatnonzero(np.diff(offsets) < 0)  # changes that set the clock back
    changed, after = at[back], offsets[back + 1]
    set_back = (changed[None, :] > first[:, None]) & (
        changed[None, :] + after[None, :] < walls[:, None]
    )
    return None if set_back.any() else first


def steps(
    backend: str,
    timezone: str,
    value: Any,
    walls: np.ndarray,
    leaves: np.ndarray,
) -> Any | None:
    """``leaves[i]`` for each row, where ``i`` is how many of the ascending
    wall-clock times ``walls`` (microseconds, midnights for a date column) the
    row's wall-clock time in ``timezone`` has reached; NULL where ``value`` is.

    One tree of comparisons on the stored value (no conversion of any row): the
    walls become instants in Python. None when the time zone sets its clock back
    across one of ``walls``; the caller then converts each row."""
    import ibis

    dtype = value.type()
    walls = np.asarray(walls, dtype="int64")
    if dtype.is_date():
        x = value.epoch_days().cast("int64")
        thresholds = -(-walls // DAY_US)  # the first day at or after each
    else:
        x = _epoch_micros(backend, value)
        thresholds = walls
        if _aware(backend, value):
            found = first_instants(timezone, walls)
            if found is None:
                return None
            thresholds = found
    tree = _tree(x, thresholds, np.asarray(leaves, dtype="int64"))
    return ibis.ifelse(value.isnull(), ibis.null("int64"), tree)


def wall_span(
    backend: str, timezone: str, value: Any, span: tuple[int, int]
) -> tuple[int, int]:
    """The first and last wall-clock time (microseconds) that ``value``'s column
    can hold, from the data's ``span`` (:func:`instant_span`)."""
    lo, hi = span
    if value.type().is_date() or not _aware(backend, value):
        return lo, hi
    at, offsets = transitions(timezone)
    offset = offsets[np.searchsorted(at, [lo, hi], side="right")]
    return int(lo + offset[0]), int(hi + offset[1])


def local_time(
    backend: str, timezone: str, value: Any, span: tuple[int, int] | None = None
) -> Any:
    """The wall-clock time in ``timezone`` of a timestamp or date column, as a
    timestamp without a time zone (Spark: one whose fields, read in the session's
    UTC, are the wall clock's), made from :func:`local_micros` without the
    backend's time-zone library."""
    dtype = value.type()
    if dtype.is_date():
        return value.cast("timestamp")
    if not _aware(backend, value):
        return value
    micros = local_micros(backend, timezone, value, span)
    if backend == "duckdb":
        return _builtin("make_timestamp", "timestamp", "int64")(micros)
    if backend == "pyspark":
        return _builtin("timestamp_micros", "timestamp", "int64")(micros)
    return micros.as_timestamp("us")


def instant_literal(backend: str, timezone: str, value: Any, when: pd.Timestamp) -> Any:
    """A literal to compare ``value`` with for the wall-clock time ``when``."""
    import ibis

    when = pd.Timestamp(when).floor("us")
    if value.type().is_date():
        return ibis.literal(when.to_pydatetime()).cast("timestamp")
    if not _aware(backend, value):
        return ibis.literal(when.to_pydatetime())
    instant = when.tz_localize(timezone, ambiguous=True, nonexistent="shift_forward")
    utc = instant.tz_convert("UTC")
    if backend == "pyspark":  # Ibis shows Spark's instants as naive UTC
        return ibis.literal(utc.tz_localize(None).to_pydatetime())
    return ibis.literal(utc.to_pydatetime())
