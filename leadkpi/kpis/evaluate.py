"""Evaluate one measure at a grain, vectorised with integer cell codes.

Each function returns a frame keyed by the grain's dimension labels and, with a
period, the period ordinal ``__p``; or a string saying why the measure cannot be
computed. Cells are ``dimension code × period``; counts and sums are
``numpy.bincount`` over them, distinct counts a ``numpy.unique`` of
``cell × value`` pairs, medians an order statistic of a ``lexsort``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np
import pandas as pd

from leadkpi.kpis.grain import Grain
from leadkpi.kpis.measures import (
    AnyMeasure,
    Baseline,
    Measure,
    Statistic,
    Stock,
)
from leadkpi.kpis.uncertainty import Z95, quantile_ranks
from leadkpi.schemas import TABLES

__all__ = [
    "measure",
    "additive",
    "statistic",
    "stock",
    "baseline",
    "period_months",
    "PERIOD",
]

#: Column holding the period ordinal in intermediate frames.
PERIOD = "__p"


def _missing(grain: Grain, table: str, needs: tuple[str, ...]) -> pd.DataFrame | str:
    frame = grain.table(table)
    if isinstance(frame, str):
        return frame
    absent = [c for c in needs if c not in frame.columns]
    if absent:
        return f"the {table} table has no {', '.join(absent)} column"
    return frame


def _span(grain: Grain, ords: np.ndarray) -> tuple[int, int]:
    """First period ordinal and number of periods covering ``ords`` and the range."""
    if grain.freq is None:
        return 0, 1
    first = grain.ordinal_of(grain.lo) if grain.lo is not None else int(ords.min())
    last = grain.ordinal_of(grain.hi) if grain.hi is not None else int(ords.max())
    return first, max(last - first + 1, 1)


def _frame(
    grain: Grain,
    labels: pd.DataFrame,
    cells: np.ndarray,
    first: int,
    periods: int,
    values: dict[str, np.ndarray],
) -> pd.DataFrame:
    dim, offset = np.divmod(cells, periods)
    out = (
        labels.iloc[dim].reset_index(drop=True)
        if grain.dims
        else pd.DataFrame(index=range(len(cells)))
    )
    if grain.freq is not None:
        out[PERIOD] = first + offset
    for name, column in values.items():
        out[name] = column
    return out


def _empty(grain: Grain, names: list[str]) -> pd.DataFrame:
    cols = {d: pd.Series(dtype=object) for d in grain.dims}
    if grain.freq:
        cols[PERIOD] = pd.Series(dtype="int64")
    cols.update({c: pd.Series(dtype="float64") for c in names})
    return pd.DataFrame(cols)


def _cells(
    grain: Grain, name: str, frame: pd.DataFrame, dated_by: str, keep: np.ndarray
) -> tuple[np.ndarray, pd.DataFrame, int, int]:
    ords = grain.ordinals(name, frame, dated_by)[keep]
    codes, labels = grain.dim_codes(name, frame)
    first, periods = _span(grain, ords) if len(ords) else (0, 1)
    return codes[keep] * periods + (ords - first), labels, first, periods


def additive(grain: Grain, m: Measure) -> pd.DataFrame | str:
    """A count, distinct count or sum per cell."""
    frame = _missing(grain, m.table, m.needs())
    if isinstance(frame, str):
        return frame
    if grain.period in ("day", "week") and _monthly(m):
        return (
            f"the {m.table} table is by month: cut it by month, quarter or year, "
            f"not by {grain.period}"
        )
    dated_by = time_column = m.time_column
    if m.stage and grain.config.cumulative_stages:
        view = grain.stage_view()
        if f"reached:{m.time_column}" in view.columns:
            frame, time_column = view, f"reached:{m.time_column}"
            dated_by = time_column
    keep = grain.in_window(m.table, frame, time_column).copy()
    if grain.mode == "cohort" and m.cohort_column:
        dated_by = m.cohort_column
        keep = (
            grain.in_window(m.table, frame, dated_by)
            & frame[time_column].notna().to_numpy()
        )
    if m.where is not None:
        chosen = np.asarray(m.where(frame, grain.config), dtype=bool)
        if m.unrecorded and not chosen.any():
            return m.unrecorded
        keep &= chosen
    if m.paid_only:
        paid = grain.paid_rows(m.table, frame)
        if isinstance(paid, str):
            return paid
        keep &= paid
    if not keep.any():
        return _empty(grain, [m.id])
    cells, labels, first, periods = _cells(grain, m.table, frame, dated_by, keep)
    size = len(labels) * periods
    if m.per_date:
        days = grain.local(m.table, frame, dated_by).dt.normalize()
        pairs = pd.DataFrame({"cell": cells, "day": days.to_numpy()[keep]})
        if pairs.drop_duplicates()["cell"].duplicated().any():
            return (
                f"the {m.table} table's {m.value_column} are counted per day: their "
                "sum over several days counts a returning user again each day "
                "(see sessions)"
            )
    if m.agg == "sum":
        weights = frame[m.value_column].to_numpy(dtype="float64", na_value=0.0)[keep]
        weights = np.nan_to_num(weights * weights if m.squared else weights)
        present, totals = _tally(cells, size, weights)
        return _frame(grain, labels, present, first, periods, {m.id: totals})
    by_account = m.agg == "count" and grain.count_by == "account"
    if m.agg == "distinct" or by_account:
        if by_account:
            things = grain.account_codes(m.table, frame)[keep]
        else:
            things = pd.factorize(frame[m.value_column])[0][keep]
        known = things >= 0
        pairs = np.unique(cells[known] * (int(things.max()) + 1) + things[known])
        cells = pairs // (int(things.max()) + 1)
    present, counts = _tally(cells, size)
    return _frame(grain, labels, present, first, periods, {m.id: counts})


def _monthly(m: Measure) -> bool:
    """Whether the measure's rows are dated by a month (the costs table)."""
    column = TABLES[m.table].column(m.time_column) if m.table in TABLES else None
    return column is not None and column.kind == "month"


#: Above this many possible cells, tallies sort the cells instead of a dense count.
DENSE_CELLS = 5_000_000


def _tally(
    cells: np.ndarray, size: int, weights: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Cells that have rows, and their row count (or sum of ``weights``)."""
    if size <= DENSE_CELLS:
        rows = np.bincount(cells, minlength=size)
        present = np.flatnonzero(rows)
        if weights is None:
            return present, rows[present].astype("float64")
        return present, np.bincount(cells, weights, minlength=size)[present]
    present, inverse = np.unique(cells, return_inverse=True)
    return present, np.bincount(inverse, weights).astype("float64")


def _sort_by_cell(cells: np.ndarray, vals: np.ndarray) -> np.ndarray:
    """Order that sorts by cell, then value (a radix sort of small cell codes)."""
    by_value = np.argsort(vals)
    small = cells.max() < 2**16
    keys = cells[by_value].astype("uint16") if small else cells[by_value]
    return by_value[np.argsort(keys, kind="stable")]


def statistic(grain: Grain, m: Statistic) -> pd.DataFrame | str:
    """A quantile (with its order-statistic interval) or mean per cell."""
    frame = _missing(grain, m.table, m.needs())
    if isinstance(frame, str):
        return frame
    values = np.asarray(m.value(frame, grain.config), dtype="float64")
    if values.ndim == 1:
        values = values[:, None]
        dated = [m.time_column]
    else:
        dated = m.dated_by(frame, grain.config) if m.dated_by else []
    if grain.mode == "cohort" and m.cohort_column:
        dated = [m.cohort_column] * values.shape[1]
    names = [m.id, f"{m.id}__n", f"{m.id}__lo", f"{m.id}__hi"]
    if m.negative:
        names.append(f"{m.id}__negative")
    parts = []
    for j, column in enumerate(dated):  # one pass per stage, not per row
        keep = grain.in_window(m.table, frame, column) & ~np.isnan(values[:, j])
        if keep.any():
            ords = grain.ordinals(m.table, frame, column)[keep]
            parts.append((keep, ords, values[keep, j]))
    if not parts:
        return _empty(grain, names)
    codes, labels = grain.dim_codes(m.table, frame)
    first, periods = _span(grain, np.concatenate([p[1] for p in parts]))
    cells = np.concatenate(
        [codes[keep] * periods + (ords - first) for keep, ords, _ in parts]
    )
    vals = np.concatenate([p[2] for p in parts])
    negative = None
    if m.negative:  # data errors: left out of the statistic, counted per cell
        wrong = vals < 0
        negative = (cells[wrong], labels, first, periods)
        cells, vals = cells[~wrong], vals[~wrong]
        if not len(cells):
            return _negatives(grain, m, names, *negative)
    if m.stat == "mean":  # sums per cell: no sort needed
        size = len(labels) * periods
        present, n = _tally(cells, size)
        sums = _tally(cells, size, vals)[1]
        squares = _tally(cells, size, vals * vals)[1]
        value = sums / n
        with np.errstate(invalid="ignore", divide="ignore"):
            var = np.clip((squares - n * value**2) / (n - 1), 0, None)
            half = np.where(n >= 2, Z95 * np.sqrt(var / n), np.nan)
        low, high = value - half, value + half
    else:
        order = _sort_by_cell(cells, vals)
        cells, vals = cells[order], vals[order]
        start = np.flatnonzero(np.diff(cells, prepend=cells[0] - 1))
        present = cells[start]
        n = np.diff(np.append(start, len(cells)))
        q = 0.5 if m.stat == "median" else m.q
        position = q * (n - 1)
        below = np.floor(position).astype("int64")
        above = np.ceil(position).astype("int64")
        value = vals[start + below] + (position - below) * (
            vals[start + above] - vals[start + below]
        )
        j, k = quantile_ranks(n, q)
        low = np.where(n >= 2, vals[start + np.maximum(j, 1) - 1], np.nan)
        high = np.where(n >= 2, vals[start + np.maximum(k, 1) - 1], np.nan)
    result = _frame(
        grain,
        labels,
        present,
        first,
        periods,
        dict(zip(names, (value, n.astype("float64"), low, high), strict=False)),
    )
    if negative is None:
        return result
    counted = _negatives(grain, m, names, *negative)
    keys = [*grain.dims, *([PERIOD] if grain.freq is not None else [])]
    if not keys:
        result[names[-1]] = counted[names[-1]].sum()
        return result
    merged = result.merge(counted[[*keys, names[-1]]], on=keys, how="outer")
    merged[names[-1]] = merged[names[-1]].fillna(0.0)
    merged[f"{m.id}__n"] = merged[f"{m.id}__n"].fillna(0.0)
    return merged


def _negatives(
    grain: Grain,
    m: Statistic,
    names: list[str],
    cells: np.ndarray,
    labels: pd.DataFrame,
    first: int,
    periods: int,
) -> pd.DataFrame:
    """Per cell, the negative durations left out (the statistic unknown, n 0)."""
    present, count = _tally(cells, len(labels) * periods)
    nan, zero = np.full(len(present), np.nan), np.zeros(len(present))
    columns = dict(zip(names, (nan, zero, nan, nan, count), strict=True))
    return _frame(grain, labels, present, first, periods, columns)


def _buckets(
    grain: Grain, name: str, frame: pd.DataFrame, column: str, first: int, periods: int
) -> np.ndarray:
    """0 = before the range, 1..periods = in it, periods + 1 = after or never."""
    if grain.freq is None:
        times = grain.local(name, frame, column)
        out = np.full(len(frame), 1, dtype="int64")
        unset = times.isna().to_numpy()
        if grain.lo is not None:
            out[(times < grain.lo).to_numpy(dtype=bool, na_value=False)] = 0
        if grain.hi is not None:
            out[(times > grain.hi).to_numpy(dtype=bool, na_value=False)] = 2
        out[unset] = 2
        return out
    ords = grain.ordinals(name, frame, column)
    unset = ords == np.iinfo("int64").min
    out = np.clip(ords - first + 1, 0, periods + 1)
    out[unset] = periods + 1
    return out


def stock(grain: Grain, m: Stock) -> pd.DataFrame | str:
    """Rows present at each period's end or start, or leaving the start stock."""
    frame = _missing(grain, m.table, m.needs())
    if isinstance(frame, str):
        return frame
    exits = [c for c in m.exits if c in frame.columns]
    if grain.freq is None:
        first, periods = 0, 1
    else:
        columns = [m.entry, *exits]
        ords = np.concatenate([grain.ordinals(m.table, frame, c) for c in columns])
        ords = ords[ords != np.iinfo("int64").min]
        if not len(ords):
            return _empty(grain, [m.id])
        first, periods = _span(grain, ords)
    enter = _buckets(grain, m.table, frame, m.entry, first, periods)
    leave = np.full(len(frame), periods + 1, dtype="int64")
    for column in exits:
        leave = np.minimum(
            leave, _buckets(grain, m.table, frame, column, first, periods)
        )
    codes, labels = grain.dim_codes(m.table, frame)
    weights = (
        frame[m.value_column].to_numpy(dtype="float64", na_value=0.0)
        if m.value_column
        else np.ones(len(frame))
    )
    weights = np.nan_to_num(weights)
    size = periods + 2
    n_dims = len(labels)
    if m.at == "exits":
        event = (
            _buckets(grain, m.table, frame, m.event, first, periods)
            if m.event
            else leave
        )
        keep = (enter < event) & (leave == event) & (event >= 1) & (event <= periods)
        flat = np.bincount(
            codes[keep] * size + event[keep], weights[keep], minlength=n_dims * size
        )
        grid = flat.reshape(n_dims, size)[:, 1 : periods + 1]
    else:
        ins = np.bincount(codes * size + enter, weights, minlength=n_dims * size)
        outs = np.bincount(codes * size + leave, weights, minlength=n_dims * size)
        level = np.cumsum((ins - outs).reshape(n_dims, size), axis=1)
        grid = level[:, 1 : periods + 1] if m.at == "end" else level[:, :periods]
    dim, offset = np.nonzero(np.abs(grid) > 1e-9)
    cells = dim * periods + offset
    return _frame(grain, labels, cells, first, periods, {m.id: grid[dim, offset]})


def measure(grain: Grain, m: AnyMeasure, catalogue: Mapping) -> pd.DataFrame | str:
    if getattr(grain, "remote", False):  # a RemoteGrain: the backend evaluates
        from leadkpi.kpis import remote

        return remote.measure(grain, m, catalogue)
    if isinstance(m, Measure):
        return additive(grain, m)
    if isinstance(m, Statistic):
        return statistic(grain, m)
    if isinstance(m, Stock):
        return stock(grain, m)
    if isinstance(m, Baseline):
        return baseline(grain, m, catalogue)
    raise TypeError(f"measure {getattr(m, 'id', m)!r} is not a leadkpi measure")


def baseline(grain: Grain, m: Baseline, catalogue: Mapping) -> pd.DataFrame | str:
    """Mean of ``m.of`` per period over the ``m.periods`` periods before each one."""
    if grain.freq is None:
        return f"{m.id} needs a period in by="
    of = catalogue[m.of]
    lo = grain.lo
    if lo is not None:
        lo = (pd.Period(lo, freq=grain.freq) - m.periods).start_time
    wide = dataclasses.replace(grain, lo=lo, _cache={})
    past = measure(wide, of, catalogue)
    if isinstance(past, str):
        return past
    if past.empty:
        return past.rename(columns={of.id: m.id})
    table = (
        past.pivot_table(
            index=grain.dims or None, columns=PERIOD, values=of.id, aggfunc="sum"
        )
        if grain.dims
        else past.set_index(PERIOD)[[of.id]].T
    )
    first, last = int(past[PERIOD].min()), int(past[PERIOD].max())
    if grain.hi is not None:
        last = max(last, grain.ordinal_of(grain.hi))
    table = table.reindex(columns=range(first, last + 1), fill_value=0.0).fillna(0.0)
    rolled = table.T.shift(1).rolling(m.periods, min_periods=m.periods).mean().T
    long = rolled.stack(future_stack=True).rename(m.id).reset_index()
    if not grain.dims:
        long = long.drop(columns=[c for c in long.columns if c not in (PERIOD, m.id)])
    long = long.rename(columns={"level_1": PERIOD})
    low = grain.ordinal_of(grain.lo) if grain.lo is not None else first
    keep = long[PERIOD].between(low, last) & long[m.id].notna()
    return long[keep].reset_index(drop=True)


def period_months(grain: Grain, joined: pd.DataFrame) -> np.ndarray:
    per_month = {
        "day": 12 / 365.25,
        "week": 7 * 12 / 365.25,
        "month": 1.0,
        "quarter": 3.0,
        "year": 12.0,
    }
    if grain.period:
        return np.full(len(joined), per_month[grain.period])
    lo, hi = grain.lo, grain.hi
    if (lo is None or hi is None) and getattr(grain, "remote", False):
        from leadkpi.kpis import remote

        found = remote.span(grain)
        if found is None:
            return np.full(len(joined), np.nan)
        lo = lo if lo is not None else found[0]
        hi = hi if hi is not None else found[1]
    if lo is None or hi is None:
        frame = (
            grain.data.customers
            if grain.data.customers is not None
            else (grain.data.leads)
        )
        column = "started_at" if grain.data.customers is not None else "created_at"
        if frame is None or column not in frame:
            return np.full(len(joined), np.nan)
        times = grain.local("span", frame, column)
        lo = lo if lo is not None else times.min()
        hi = hi if hi is not None else times.max()
    return np.full(len(joined), (hi - lo) / pd.Timedelta(days=365.25 / 12))
