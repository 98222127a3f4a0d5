"""The project's wall clock on a backend, in integer arithmetic.

Converting each timestamp with the backend's time-zone library costs about half a
second per million rows and column in DuckDB; a KPI query cuts hundreds of
millions. So a timestamp becomes microseconds since 1970 (``epoch_us`` in DuckDB,
``unix_micros`` in Spark) plus the project time zone's UTC offset at that
instant, picked from the zone's transitions (a handful per year) by a balanced
tree of comparisons; period numbers follow from the local day by integer
arithmetic. Bounds of a selected range are compared as instants, converted once
in Python.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "local_micros",
    "local_time",
    "instant_literal",
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


def instant_span(backend: str, tables: dict[str, Any], execute: Any) -> tuple[int, int]:
    """The first and last instant (UTC microseconds) of every timestamp column of
    ``tables``, one query per table; ``execute`` runs an expression to pandas."""
    lows, highs = [], []
    for table in tables.values():
        columns = [c for c, t in table.schema().items() if t.is_timestamp()]
        if not columns:
            continue
        parts = {}
        for i, column in enumerate(columns):
            micros = _epoch_micros(backend, table[column])
            parts[f"lo{i}"] = micros.min()
            parts[f"hi{i}"] = micros.max()
        found = execute(table.aggregate(**parts)).iloc[0]
        lows += [found[f"lo{i}"] for i in range(len(columns))]
        highs += [found[f"hi{i}"] for i in range(len(columns))]
    lows = [int(v) for v in lows if not pd.isna(v)]
    highs = [int(v) for v in highs if not pd.isna(v)]
    if not lows:
        return 0, 0
    return min(lows), max(highs)


def local_micros(
    backend: str, timezone: str, value: Any, span: tuple[int, int] | None = None
) -> Any:
    """Wall-clock microseconds since 1970 in ``timezone`` of a timestamp or date
    column (NULL where it is NULL).

    A date is its midnight; a timestamp without a time zone is taken as the
    wall-clock time already (in Spark every ``TIMESTAMP`` is an instant). With
    ``span`` (the first and last instant the data holds, see
    :func:`instant_span`), only the zone's changes within it are tested."""
    import ibis

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

    def pick(lo: int, hi: int) -> Any:  # offsets[lo..hi], a balanced tree
        if lo == hi:
            return ibis.literal(int(offsets[lo]), type="int64")
        mid = (lo + hi + 1) // 2
        return ibis.ifelse(micros < int(at[mid - 1]), pick(lo, mid - 1), pick(mid, hi))

    return micros + pick(0, len(offsets) - 1)


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
