"""Time between funnel stages: count, quartiles, p90 and mean, by any dimension.

The leads are cut into cells exactly as :func:`leadkpi.compute` cuts them (the
engine's :class:`~leadkpi.kpis.grain.Grain`: local time in the project timezone,
fiscal quarters, ``(not set)`` for a missing dimension value). The quantiles of every
cell come from one sort of all durations by (cell, duration), not from a loop over
the cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from leadkpi.arguments import unknown
from leadkpi.data import LeadData, MissingTableError
from leadkpi.exceptions import ArgumentError
from leadkpi.funnel.remote import micros_between
from leadkpi.kpis.grain import Grain, selected_range, split_by
from leadkpi.kpis.remote import RemoteGrain, is_remote

if TYPE_CHECKING:
    from leadkpi.warehouse import RemoteData

__all__ = [
    "time_between",
    "stage_durations",
    "DURATION_COLUMNS",
    "DURATION_QUANTILES",
    "stage_column",
]

#: Columns that follow the grain columns in every duration table.
DURATION_COLUMNS = (
    "from_stage",
    "to_stage",
    "count",
    "median",
    "p25",
    "p75",
    "p90",
    "mean",
    "negative",
    "reason",
)
#: Quantile columns and their probabilities (linear interpolation, as numpy).
DURATION_QUANTILES = {"median": 0.5, "p25": 0.25, "p75": 0.75, "p90": 0.9}
_MODES = ("cohort", "period")


def stage_column(data: LeadData, stage: str) -> str:
    """The leads column that dates ``stage``: a configured stage id or a column.

    Examples
    --------
    >>> from leadkpi import load
    >>> stage_column(load("leadkpi.yaml"), "mql")
    'mql_at'
    """
    stages = dict(data.config.stages)
    if stage in stages:
        return stages[stage]
    if data.leads is not None and stage in data.leads.columns:
        return stage
    raise ArgumentError(
        f"unknown stage {stage!r}; expected a configured stage "
        f"({', '.join(stages)}) or a column of the leads table"
    )


def _empty(keys: list[str], grain: Grain) -> pd.DataFrame:
    columns: dict[str, pd.Series] = {}
    for key in keys:
        dtype = pd.PeriodDtype(grain.freq) if key == grain.period else object
        columns[key] = pd.Series(dtype=dtype)
    columns.update(
        from_stage=pd.Series(dtype=object),
        to_stage=pd.Series(dtype=object),
        count=pd.Series(dtype="int64"),
        **{q: pd.Series(dtype="float64") for q in ("median", "p25", "p75", "p90")},
        mean=pd.Series(dtype="float64"),
        negative=pd.Series(dtype="int64"),
        reason=pd.Series(dtype=object),
    )
    return pd.DataFrame(columns)[[*keys, *DURATION_COLUMNS]]


def _group_stats(
    cells: np.ndarray, seconds: np.ndarray
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray], np.ndarray]:
    """Per distinct cell (sorted): count, quantiles and mean of ``seconds``."""
    order = np.lexsort((seconds, cells))
    cells, seconds = cells[order], seconds[order]
    starts = np.flatnonzero(np.r_[True, cells[1:] != cells[:-1]]) if len(cells) else []
    starts = np.asarray(starts, dtype="int64")
    sizes = np.diff(np.r_[starts, len(cells)])
    quantiles = {}
    for name, q in DURATION_QUANTILES.items():
        position = starts + q * (sizes - 1)
        below = np.floor(position).astype("int64")
        above = np.ceil(position).astype("int64")
        weight = position - below
        quantiles[name] = seconds[below] * (1 - weight) + seconds[above] * weight
    means = np.add.reduceat(seconds, starts) / sizes if len(starts) else np.array([])
    return cells[starts], sizes, quantiles, means


def _between(
    grain: Grain,
    from_stage: tuple[str, str],
    to_stage: tuple[str, str],
    keys: list[str],
) -> pd.DataFrame:
    """The duration table of one pair of (stage id, leads column)."""
    leads = _leads(grain.data)
    (from_stage, first), (to_stage, last) = from_stage, to_stage
    dated_by = "created_at" if grain.mode == "cohort" else last
    found = set(leads.columns)
    absent = [c for c in dict.fromkeys((first, last, dated_by)) if c not in found]
    absent += [d for d in grain.dims if d not in found]
    if absent:
        row = _empty(keys, grain).reindex([0])
        row[["from_stage", "to_stage"]] = [from_stage, to_stage]
        row[["count", "negative"]] = 0
        row["reason"] = f"the leads table has no {', '.join(absent)} column"
        return row.astype({"count": "int64", "negative": "int64"})
    if getattr(grain, "remote", False):
        return _remote_between(grain, from_stage, first, to_stage, last, keys)
    # elapsed time between the instants (not the wall clocks: DST changes count)
    begin, finish = pd.to_datetime(leads[first]), pd.to_datetime(leads[last])
    seconds = (
        (finish - begin).dt.total_seconds().to_numpy(dtype="float64", na_value=np.nan)
    )
    keep = grain.in_window("leads", leads, dated_by) & ~np.isnan(seconds)
    ordinals = grain.ordinals("leads", leads, dated_by)
    codes, labels = grain.dim_codes("leads", leads)
    combos = max(len(labels), 1)
    cells = ordinals.astype("int64") * combos + codes
    backwards = keep & (seconds < 0)
    forward = keep & (seconds >= 0)
    cell, count, quantiles, mean = _group_stats(cells[forward], seconds[forward])
    flagged, negative = np.unique(cells[backwards], return_counts=True)
    every = np.union1d(cell, flagged)
    if not len(every):
        return _empty(keys, grain)
    at, at_flag = np.searchsorted(every, cell), np.searchsorted(every, flagged)

    def spread(values: np.ndarray, where: np.ndarray, fill: float) -> np.ndarray:
        out = np.full(len(every), fill, dtype=values.dtype)
        out[where] = values
        return out

    ordinal, code = np.divmod(every, combos)
    table = pd.DataFrame(index=range(len(every)))
    if grain.period:
        table[grain.period] = pd.arrays.PeriodArray(
            ordinal.astype("int64"), dtype=pd.PeriodDtype(grain.freq)
        )
    for dim in grain.dims:
        table[dim] = labels[dim].to_numpy()[code]
    table["from_stage"] = from_stage
    table["to_stage"] = to_stage
    table["count"] = spread(count.astype("int64"), at, 0)
    for name in ("median", "p25", "p75", "p90"):
        table[name] = spread(quantiles[name], at, np.nan)
    table["mean"] = spread(mean, at, np.nan)
    table["negative"] = spread(negative.astype("int64"), at_flag, 0)
    table["reason"] = np.where(
        table["count"] == 0,
        f"every {to_stage} is dated before its {from_stage}",
        None,
    )
    table["reason"] = table["reason"].astype(object)
    if keys:
        table = table.sort_values(keys, kind="stable")
    return table.reset_index(drop=True)[[*keys, *DURATION_COLUMNS]]


def _leads(data: LeadData | RemoteData) -> Any:
    leads = data.leads
    if leads is None:
        raise MissingTableError("time between stages needs the leads table")
    return leads


def _grain(
    data: LeadData | RemoteData,
    by: str | Sequence[str],
    mode: str,
    start: object,
    end: object,
) -> tuple[Grain | RemoteGrain, list[str]]:
    if mode not in _MODES:
        raise unknown("mode", mode, _MODES, what="a counting mode")
    leads = _leads(data)
    period, dims = split_by(by, list(leads.columns))
    lo, hi = selected_range(start, end)
    make = RemoteGrain if is_remote(data) else Grain
    grain = make(data, period, dims, mode, "lead", lo, hi)
    return grain, [period, *dims] if period else dims


def _remote_between(
    grain: RemoteGrain,
    from_stage: str,
    first: str,
    to_stage: str,
    last: str,
    keys: list[str],
) -> pd.DataFrame:
    """:func:`_between` on a backend: the durations are taken and cut there; per
    cell, the counts, the sum and the order statistics the quantiles interpolate
    between come back (two queries), and the quantiles are interpolated here as
    in memory."""
    import ibis

    leads = grain.labelled("leads", grain.data.leads)
    dated_by = "created_at" if grain.mode == "cohort" else last
    # elapsed time between the instants, in microseconds (backends keep those)
    waited = micros_between(grain.data, leads[last], leads[first])
    keep = grain.window(leads[dated_by]) & waited.notnull()
    groups = grain.cells()
    keyed = {g: leads[g] for g in groups if g.startswith("__d")}
    if grain.freq is not None:
        keyed["__k"] = grain.index(leads[dated_by])
    rows = leads.filter(keep).select(**keyed, __v=waited.cast("float64") / 1e6)
    value = rows["__v"]
    forward = value >= 0
    metrics = {
        "__n": forward.cast("int64").sum(),
        "__negative": (~forward).cast("int64").sum(),
        "__sum": value.sum(where=forward),
    }
    if groups:
        cells = grain.fetch(rows.group_by(groups).aggregate(**metrics))
    else:
        cells = grain.fetch(rows.aggregate(**metrics, __rows=rows.count()))
        cells = cells[cells["__rows"] > 0].drop(columns="__rows")
    if not len(cells):
        return _empty(keys, grain)
    cells = cells.reset_index(drop=True)
    n = cells["__n"].to_numpy(dtype="int64")
    sizes = np.unique(n[n > 0])
    ranks = [
        np.floor(q * (sizes - 1)).astype("int64") for q in DURATION_QUANTILES.values()
    ] + [np.ceil(q * (sizes - 1)).astype("int64") for q in DURATION_QUANTILES.values()]
    needed = pd.DataFrame(
        {"__size": np.tile(sizes, len(ranks)), "__rank": np.concatenate(ranks)}
    ).drop_duplicates()
    ahead = rows.filter(forward)
    ranked = ahead.mutate(
        __rank=ibis.row_number().over(group_by=groups or None, order_by=ahead["__v"]),
        __size=ahead.count().over(group_by=groups or None),
    )
    wanted = ibis.memtable(needed)
    picked = ranked.join(
        wanted,
        [ranked["__rank"] == wanted["__rank"], ranked["__size"] == wanted["__size"]],
    ).select(*groups, "__rank", "__v")
    stats = grain.fetch(picked)
    cell_keys = [*grain.dims, *(["__p"] if grain.freq is not None else [])]
    if cell_keys:
        where = pd.MultiIndex.from_frame(cells[cell_keys])
        row = where.get_indexer(pd.MultiIndex.from_frame(stats[cell_keys]))
    else:
        row = np.zeros(len(stats), dtype="int64")
    lookup = pd.Series(
        stats["__v"].to_numpy(dtype="float64"),
        index=pd.MultiIndex.from_arrays([row, stats["__rank"].to_numpy("int64")]),
    )

    def at_rank(at: np.ndarray) -> np.ndarray:
        index = pd.MultiIndex.from_arrays([np.arange(len(n)), at])
        return lookup.reindex(index).to_numpy(dtype="float64")

    table = pd.DataFrame(index=range(len(cells)))
    if grain.period:
        table[grain.period] = pd.arrays.PeriodArray(
            cells["__p"].to_numpy(dtype="int64"), dtype=pd.PeriodDtype(grain.freq)
        )
    for dim in grain.dims:
        table[dim] = cells[dim].to_numpy(dtype=object)
    table["from_stage"] = from_stage
    table["to_stage"] = to_stage
    table["count"] = n
    for name, q in DURATION_QUANTILES.items():
        position = q * (n - 1)
        below = np.floor(position).astype("int64")
        above = np.ceil(position).astype("int64")
        weight = position - below
        table[name] = at_rank(below) * (1 - weight) + at_rank(above) * weight
    with np.errstate(invalid="ignore", divide="ignore"):
        table["mean"] = np.where(
            n > 0, cells["__sum"].to_numpy(dtype="float64", na_value=np.nan) / n, np.nan
        )
    table["negative"] = cells["__negative"].to_numpy(dtype="int64")
    table["reason"] = np.where(
        n == 0, f"every {to_stage} is dated before its {from_stage}", None
    )
    table["reason"] = table["reason"].astype(object)
    if keys:
        table = table.sort_values(keys, kind="stable")
    return table.reset_index(drop=True)[[*keys, *DURATION_COLUMNS]]


def time_between(
    data: LeadData | RemoteData,
    from_stage: str = "lead",
    to_stage: str = "customer",
    *,
    by: str | Sequence[str] = (),
    mode: str = "cohort",
    start: object = None,
    end: object = None,
) -> pd.DataFrame:
    """Distribution of the time from one funnel stage to another, per cell.

    Only recorded timestamps count: a lead needs both dates. With cumulative stages
    a lead that skipped a stage reached it (:func:`leadkpi.funnel.funnel`), but it
    has no date there, so it is left out of the durations that start or end at it.

    Parameters
    ----------
    data : LeadData or RemoteData
        Needs the ``leads`` table. On a backend
        (:func:`leadkpi.warehouse.connect`) the durations are taken and cut
        there, and only each cell's counts, sum and the order statistics its
        quantiles need come back.
    from_stage, to_stage : str
        Stage ids from ``config.stages`` (``lead``, ``mql``, ``sql``,
        ``opportunity``, ``customer``) or columns of the leads table.
    by : str or sequence of str
        Grain, as for :func:`leadkpi.compute`: at most one period (``month``, …,
        fiscal quarters and years) and any leads columns.
    mode : {"cohort", "period"}
        ``cohort`` dates a lead by its ``created_at``; ``period`` by the date it
        reached ``to_stage``.
    start, end : str or Period, optional
        First and last period included (by the date ``mode`` uses).

    Returns
    -------
    pandas.DataFrame
        The grain columns (period first, as the engine), then
        :data:`DURATION_COLUMNS`: ``from_stage, to_stage, count`` (leads with both
        dates, the later not before the earlier), ``median, p25, p75, p90, mean``
        (seconds), ``negative`` (leads whose ``to_stage`` is dated before their
        ``from_stage``: left out of the statistics, counted here) and ``reason``
        (why a row has no statistics). One row per cell with any dated pair; an
        empty selection gives an empty table with these columns.

    Examples
    --------
    >>> from leadkpi import load
    >>> table = time_between(load("leadkpi.yaml"), "lead", "customer",
    ...                      by="channel")
    >>> list(table.columns[:4])
    ['channel', 'from_stage', 'to_stage', 'count']
    >>> bool((table["p25"] <= table["median"]).all())
    True
    """
    grain, keys = _grain(data, by, mode, start, end)
    pair = [(s, stage_column(data, s)) for s in (from_stage, to_stage)]
    return _between(grain, *pair, keys)


def stage_durations(
    data: LeadData | RemoteData,
    *,
    by: str | Sequence[str] = (),
    mode: str = "cohort",
    start: object = None,
    end: object = None,
    stages: Sequence[tuple[str, str]] | None = None,
) -> pd.DataFrame:
    """Time between every pair of consecutive stages, stacked.

    Parameters
    ----------
    data : LeadData or RemoteData
        Needs the ``leads`` table.
    by, mode, start, end
        As for :func:`time_between`.
    stages : sequence of (stage, column), optional
        Stages in order; default ``config.stages``.

    Returns
    -------
    pandas.DataFrame
        The :func:`time_between` columns; for each cell one row per consecutive
        pair (lead → MQL, MQL → SQL, …), pairs in stage order.

    Examples
    --------
    >>> from leadkpi import load
    >>> table = stage_durations(load("leadkpi.yaml"))
    >>> [f"{a}->{b}" for a, b in zip(table["from_stage"], table["to_stage"])]
    ['lead->mql', 'mql->sql', 'sql->opportunity', 'opportunity->customer']
    """
    pairs = list(stages if stages is not None else data.config.stages)
    grain, keys = _grain(data, by, mode, start, end)
    parts = [
        _between(grain, a, b, keys) for a, b in zip(pairs[:-1], pairs[1:], strict=True)
    ]
    parts = [p for p in parts if len(p)]
    if not parts:
        return _empty(keys, grain)
    table = pd.concat(parts, ignore_index=True)
    if keys:
        table = table.sort_values(keys, kind="stable").reset_index(drop=True)
    return table
