"""Distinct paths counted on an Ibis backend: the journeys of :func:`journeys`,
aggregated as :func:`path_table` aggregates them, without bringing a touch back.

The touches are joined with their leads, cut at the conversion, the period and the
lookback, ordered and collected per lead, and grouped by path where they live; only
the table of distinct paths (and the counts of touches left out) comes back to
pandas. :func:`~leadkpi.attribution.path_table` and
:func:`~leadkpi.attribution.attribute` call :func:`remote_paths` when they are
given a :class:`~leadkpi.warehouse.RemoteData`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from leadkpi.attribution.journeys import (
    CONVERSIONS,
    DIRECT,
    NO_TOUCH,
    _check,
    _months,
    check_options,
)
from leadkpi.attribution.paths import JOURNEY_OPTIONS, PATH_COLUMNS, PATH_SEPARATOR
from leadkpi.exceptions import ArgumentError
from leadkpi.warehouse.clock import DAY_US
from leadkpi.warehouse.connect import RemoteData, wall_clock

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from leadkpi.attribution.walks import Walks

__all__ = ["remote_paths", "remote_walks"]


def _table(data: RemoteData, name: str, columns: tuple[str, ...]) -> ir.Table:
    table = data.tables.get(name)
    _check(table, name, columns, data.source)
    return table


def _clock(
    data: RemoteData, touched: ir.Value, event: ir.Value
) -> tuple[ir.Value, ir.Value, str | None]:
    """Two timestamp columns on one clock, and the zone a bound is written in
    (None: an instant with a time zone).

    Instants stay instants: Spark's ``TIMESTAMP`` (which Ibis's Spark session
    shows in UTC, without a zone) and columns that have a time zone, so touches
    around a daylight-saving change are ordered and measured as they happened.
    When either column has no zone, both are read as the project's wall-clock
    time.
    """
    if data.name == "pyspark":
        return touched, event, "UTC"
    both = [v.type() for v in (touched, event)]
    if all(t.is_timestamp() and t.timezone is not None for t in both):
        return touched, event, None
    timezone = data.config.timezone
    return wall_clock(data, touched), wall_clock(data, event), timezone


def _bound(ns: int | None, zone: str | None) -> object:
    """A period bound (UTC ns) as a literal on the columns' clock (see _clock)."""
    import ibis

    if ns is None:
        return None
    stamp = pd.Timestamp(ns, unit="ns", tz="UTC")
    if zone is None:
        return ibis.literal(stamp)
    return ibis.literal(stamp.tz_convert(zone).tz_localize(None))


def _text(column: ir.Value) -> ir.Value:
    """A text column with missing values as "" (how :func:`journeys` names them)."""
    return column.cast("string").fill_null("")


def _older(at: ir.Value, stop: ir.Value, lookback_days: float | None) -> ir.Value:
    """Whether a touch is more than ``lookback_days`` before its journey's end.

    ``stop - at > L`` in whole microseconds is ``at < stop - floor(L)``: an instant
    minus an interval of microseconds, which DuckDB computes without its
    calendar (``date_diff`` on instants with a time zone goes through it, several
    times slower).
    """
    import ibis

    if lookback_days is None:
        return ibis.literal(False)
    micros = int(np.floor(lookback_days * DAY_US))
    return at < stop - ibis.interval(micros, unit="us")


def _queries(
    data: RemoteData,
    *,
    by: str,
    conversion: str,
    lookback_days: float | None,
    start: object,
    end: object,
    value_col: str,
    names: ir.Table | None = None,
    part: tuple[int, int] | None = None,
) -> tuple[ir.Table, ir.Table]:
    """Ibis expressions (nothing runs here) of the names, and of the distinct
    paths with one more row (no path) of the counts of touches left out.

    With ``names`` (the names query's result, as a table) the codes are those;
    with ``part`` ``(i, k)`` only the leads (and their touches) of the i-th of k
    partitions by hash of ``lead_id`` are read (touches without a lead in the
    first), so that each query holds a k-th of the journeys.

    Each distinct (channel, campaign) gets an integer ``code`` in sorted order,
    and each channel a ``channel_code``: touches are sorted and paths grouped
    as short lists of integers, several times quicker than lists of text; the
    names are put back on the few distinct paths in pandas. A path is a list of
    ``channel_code`` by channel and of ``code`` by campaign; -1 is
    :data:`NO_TOUCH`.
    """
    import ibis

    event = CONVERSIONS[conversion]
    leads = _table(data, "leads", ("lead_id", "created_at", event))
    touches = _table(data, "touches", ("lead_id", "touched_at", "channel"))
    timezone = data.config.timezone
    low, high = _months(start, end, timezone)

    at, won, zone = _clock(data, touches["touched_at"], leads[event])
    lead_key, touch_key = leads["lead_id"], touches["lead_id"]
    if lead_key.type() != touch_key.type():  # compared as text, as journeys does
        lead_key, touch_key = lead_key.cast("string"), touch_key.cast("string")
    value = (
        leads[value_col].cast("float64").fill_null(0.0)
        if value_col in leads.columns
        else ibis.literal(0.0)
    )
    lk = leads.select(lid=lead_key, won=won, val=value)
    campaign = (
        _text(touches["campaign"])
        if "campaign" in touches.columns
        else ibis.literal("")
    )
    tt = touches.select(tid=touch_key, at=at, ch=_text(touches["channel"]), cp=campaign)
    if names is None:
        names = tt.select("ch", "cp").distinct()
        names = names.mutate(
            code=ibis.row_number().over(order_by=[names.ch, names.cp]),
            channel_code=ibis.dense_rank().over(order_by=names.ch),
        )
    if part is not None:
        lk = lk.filter(_partition(lk.lid, part[1]) == part[0])
        tt = tt.filter(_partition(tt.tid, part[1]) == part[0])
    coded = tt.inner_join(names, ["ch", "cp"]).select(
        "tid", "at", "code", "channel_code"
    )

    # per lead: its touches known, undated, after its conversion, usable (dated,
    # not after), and the last usable one
    known = coded.inner_join(lk, coded.tid == lk.lid)
    dated = known.at.notnull()
    after = dated & known.won.notnull() & (known.at > known.won)
    usable = dated & ~after
    per = known.group_by("lid").agg(
        n_known=known.count(),
        n_undated=(~dated).sum(),
        n_after=after.sum(),
        n_usable=usable.sum(),
        last=known.at.max(where=usable),
    )
    ends = lk.left_join(per, "lid").select(
        "lid", "won", "val", "last", "n_known", "n_undated", "n_after", "n_usable"
    )
    ends = ends.mutate(stop=ends.won.coalesce(ends["last"]))
    inside = ends.stop.notnull()
    lower, upper = _bound(low, zone), _bound(high, zone)
    if lower is not None:
        inside &= ends.stop >= lower
    if upper is not None:
        inside &= ends.stop < upper
    ends = ends.mutate(inside=inside)

    kept = known.filter(usable).select("lid", "at", "code", "channel_code")
    kept = kept.inner_join(ends.filter(ends.inside).select("lid", "stop"), "lid")
    kept = kept.filter(~_older(kept.at, kept.stop, lookback_days))

    # per lead: its touches in order (time, channel, campaign: the code's order)
    key = kept.channel_code if by == "channel" else kept.code
    steps = ibis.struct({"at": kept.at, "code": kept.code, "key": key}).collect()
    per_lead = kept.group_by("lid").agg(steps=steps.sort())
    journeys = ends.filter(ends.inside).left_join(per_lead, "lid")
    bare = journeys.steps.isnull()
    converted = journeys.won.notnull()
    journeys = journeys.filter(converted | ~bare).select(
        path=ibis.ifelse(
            bare,
            ibis.literal([-1], type="array<int64>"),
            journeys.steps.map(lambda step: step.key.cast("int64")),
        ),
        bare=bare,
        conv=ibis.ifelse(converted, 1.0, 0.0),
        val=ibis.ifelse(converted, journeys.val, 0.0),
    )
    paths = journeys.group_by(["path", "bare"]).agg(
        conversions=journeys.conv.sum(),
        value=journeys.val.sum(),
        nulls=(1.0 - journeys.conv).sum(),
    )

    # the touches left out, summed over leads in the same query (one more row,
    # without a path): the touches kept are counted on the paths in pandas
    def total(count: ir.Value, where: ir.Value | None = None) -> ir.Value:
        return count.fill_null(0).sum(where=where).fill_null(0).cast("int64")

    totals = ends.aggregate(
        n_known=total(ends.n_known),
        n_undated=total(ends.n_undated),
        n_after=total(ends.n_after, ends.inside),
        n_outside=total(ends.n_usable, ~ends.inside),
        n_inside=total(ends.n_usable, ends.inside),
    ).cross_join(tt.aggregate(n_touches=tt.count().cast("int64")))
    zero = ibis.literal(0, type="int64")
    columns = ("n_known", "n_undated", "n_after", "n_outside", "n_inside", "n_touches")
    paths = paths.mutate(**{c: zero for c in columns})
    totals = totals.select(
        path=ibis.null("array<int64>"),
        bare=ibis.literal(False),
        conversions=ibis.literal(0.0),
        value=ibis.literal(0.0),
        nulls=ibis.literal(0.0),
        **{c: totals[c] for c in columns},
    )
    return names, paths.union(totals)


#: Touches a path query holds at most, by default: more are split by lead into
#: partitions, one query each (:func:`remote_paths`).
TOUCHES_PER_PARTITION = 25_000_000


def _partition(key: ir.Value, parts: int) -> ir.Value:
    """Each key's partition, 0 to ``parts - 1``, by its hash (0 for NULL)."""
    import ibis

    number = key.hash() % parts
    number = ibis.ifelse(number < 0, number + parts, number)  # signed hashes
    return ibis.ifelse(key.isnull(), 0, number)


def _partitions(data: RemoteData, partitions: int | None) -> int:
    if partitions is not None:
        if int(partitions) < 1:
            raise ArgumentError(f"partitions={partitions!r} must be 1 or more")
        return int(partitions)
    touches = data.tables["touches"]
    rows = data.derived(
        "rows of touches", lambda d: int(d.backend.to_pandas(touches.count()))
    )
    return max(1, -(-rows // TOUCHES_PER_PARTITION))


def _fetch(
    data: RemoteData, by: str, options: dict[str, Any], partitions: int | None = None
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, pd.DataFrame]:
    """Run the queries: per distinct path its counts (attrs: the journeys'),
    lengths and codes (flattened), and the names of the codes by level key.

    The names are found first; then each partition of the leads (one unless the
    touches outnumber :data:`TOUCHES_PER_PARTITION`) is a query of its own, and
    a path met in several is added up."""
    import ibis

    if by not in ("channel", "campaign"):
        raise ArgumentError(
            f"by={by!r} is not an attribution level; expected one of "
            "['channel', 'campaign']"
        )
    check_options(options["conversion"], options["lookback_days"])
    names_expr, _ = _queries(data, by=by, **options)  # checks the tables
    parts = _partitions(data, partitions)
    names = names_expr.to_pyarrow()
    coded = ibis.memtable(names.select(["ch", "cp", "code", "channel_code"]))
    running = None
    for i in range(parts):
        _, paths_expr = _queries(
            data, by=by, **options, names=coded, part=(i, parts) if parts > 1 else None
        )
        part = _read_paths(paths_expr.to_pyarrow())
        running = part if running is None else _add_up([running, part])
    frame, lengths, codes, counted = running
    bare = (lengths == 1) & (codes[np.cumsum(lengths) - 1] < 0)
    journeys = frame["conversions"].to_numpy() + frame["nulls"].to_numpy()
    kept = int(np.round((lengths * journeys)[~bare].sum()))
    frame.attrs = {
        "dropped": {
            "unknown_lead": counted["n_touches"] - counted["n_known"],
            "undated": counted["n_undated"],
            "after_conversion": counted["n_after"],
            "outside_period": counted["n_outside"],
            "before_lookback": counted["n_inside"] - kept,
        },
        "no_touch": int(frame["conversions"].to_numpy()[bare].sum()),
        "conversion": options["conversion"],
    }
    # the names of each code, NO_TOUCH last (as journeys puts it) for -1
    column = "channel_code" if by == "channel" else "code"
    keys = ("channel",) if by == "channel" else ("channel", "campaign")
    table = pd.DataFrame(
        {
            "key": names[column].to_numpy().astype(np.int64),
            "channel": names["ch"].to_numpy(zero_copy_only=False).astype(object),
            "campaign": names["cp"].to_numpy(zero_copy_only=False).astype(object),
        }
    )
    table = table.drop_duplicates("key").sort_values("key")
    labels = pd.concat(
        [table[list(keys)], pd.DataFrame({k: [NO_TOUCH] for k in keys})],
        ignore_index=True,
    )
    codes = np.where(codes < 0, len(table), codes)  # the ranks run 0, 1, … n - 1
    return frame, lengths.astype(np.int64), codes, labels


def _read_paths(
    paths: pa.Table,
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, dict[str, int]]:
    """One path query's result: the counts, lengths and flattened codes of its
    paths, and its row of touches counted."""
    last = pc.is_null(paths["path"]).to_numpy(zero_copy_only=False)
    counted = paths.filter(pa.array(last)).to_pylist()[0]
    paths = paths.filter(pa.array(~last))
    counts = ("conversions", "value", "nulls")
    frame = pd.DataFrame({c: paths[c].to_numpy().astype(float) for c in counts})
    lists = paths["path"].combine_chunks()
    lengths = pc.list_value_length(lists).to_numpy(zero_copy_only=False)
    codes = pc.list_flatten(lists).to_numpy(zero_copy_only=False).astype(np.int64)
    return frame, lengths.astype(np.int64), codes, counted


def _add_up(
    found: list[tuple[pd.DataFrame, np.ndarray, np.ndarray, dict[str, int]]],
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, dict[str, int]]:
    """The paths of several partitions as one table: a path met in several has
    its counts added. Each path's codes become one binary key (their bytes), so
    that Arrow groups the paths without a Python object per path."""
    lengths = np.concatenate([n for _, n, _, _ in found])
    codes = np.concatenate([c for _, _, c, _ in found]).astype("<i8")
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64) * 8
    keys = pa.LargeBinaryArray.from_buffers(
        pa.large_binary(),
        len(lengths),
        [None, pa.py_buffer(offsets), pa.py_buffer(codes.tobytes())],
    )
    frame = pd.concat([f for f, _, _, _ in found], ignore_index=True)
    counts = list(frame.columns)
    table = pa.table({"key": keys, **{c: frame[c].to_numpy() for c in counts}})
    added = table.group_by("key", use_threads=False).aggregate(
        [(c, "sum") for c in counts]
    )
    merged = added["key"].combine_chunks()
    sizes = pc.binary_length(merged).to_numpy(zero_copy_only=False) // 8
    data = merged.buffers()[2]
    start = merged.offset
    bounds = np.frombuffer(merged.buffers()[1], dtype=np.int64)
    first, last = bounds[start], bounds[start + len(merged)]
    picked = np.frombuffer(data, dtype="<i8")[first // 8 : last // 8].astype(np.int64)
    out = pd.DataFrame({c: added[f"{c}_sum"].to_numpy() for c in counts})
    counted = {
        k: sum(int(c[k]) for _, _, _, c in found)
        for k in found[0][3]
        if k.startswith("n_")
    }
    return out, sizes.astype(np.int64), picked, counted


def remote_paths(
    data: RemoteData,
    *,
    by: str = "channel",
    conversion: str = "customer",
    lookback_days: float | None = 90,
    start: str | pd.Period | None = None,
    end: str | pd.Period | None = None,
    value_col: str = "deal_value",
    partitions: int | None = None,
) -> pd.DataFrame:
    """The path table of the journeys on a backend, counted where the touches live.

    The same table as ``path_table(journeys(lead_data, ...), by=by)`` for the same
    canonical data: the journeys are cut, ordered and grouped by path as Ibis
    expressions, and only the distinct paths come back. Two queries run: the
    distinct names, numbered in sorted order; and the touches joined with their
    names' numbers and their leads, grouped by lead (each journey's end, the
    touches left out) and again by lead (its touches sorted into a list of
    numbers), and the journeys grouped by that list, with the counts of touches
    left out in one more row. The names go back on the paths in pandas.

    Parameters
    ----------
    data : RemoteData
        Needs ``touches`` (lead_id, touched_at, channel, campaign) and ``leads``
        (lead_id, created_at, the conversion's date column, ``value_col``).
    by : {"channel", "campaign"}
        Name each touch by its channel or by ``channel/campaign``.
    conversion, lookback_days, start, end, value_col
        As :func:`~leadkpi.attribution.journeys` reads them.
    partitions : int, optional
        Split the leads by hash of ``lead_id`` into this many queries, each
        holding a part of the journeys in the backend's memory; by default one
        per :data:`TOUCHES_PER_PARTITION` touches (one query below that).

    Returns
    -------
    pandas.DataFrame
        ``path`` (names joined by ``" > "``), ``conversions``, ``value``,
        ``nulls``; most journeys first, then by path. ``attrs`` holds the
        journeys' ``dropped`` counts, ``no_touch`` and ``conversion``.

    Notes
    -----
    - Touches at the same instant are ordered by channel, then campaign, as in
      :func:`~leadkpi.attribution.journeys`. A warehouse has no row order for the
      last tie-break :func:`~leadkpi.attribution.journeys` uses, but touches that
      tie on all three are the same name on the path either way, so the path table
      is the same.
    - Names are ordered by the backend's string order, which is the code-point
      order of pandas on DuckDB and Spark; a backend whose default collation
      follows a locale may break ties at the same instant otherwise.
    - Times are compared at the backend's resolution (microseconds on DuckDB and
      Spark); touches of one lead that differ by less are ties.
    - Timestamps with a time zone are compared as instants; when the touches' or
      the conversion's column has none, both are read as the project's wall-clock
      time.

    Examples
    --------
    >>> import tempfile
    >>> from leadkpi import load
    >>> from leadkpi.warehouse import connect
    >>> data = load("leadkpi.yaml")
    >>> folder = tempfile.mkdtemp()
    >>> for name in ("leads", "touches"):
    ...     data.tables[name].to_parquet(f"{folder}/{name}.parquet")
    >>> paths = remote_paths(connect(folder, config=data.config))
    >>> int(paths["conversions"].sum())
    205
    """
    options = {
        "conversion": conversion,
        "lookback_days": lookback_days,
        "start": start,
        "end": end,
        "value_col": value_col,
    }
    frame, lengths, codes, labels = _fetch(data, by, options, partitions)
    names = labels["channel"].to_numpy(dtype=object)
    if by == "campaign":
        names = names + "/" + labels["campaign"].to_numpy(dtype=object)
    table = pd.DataFrame(
        {
            "path": pd.Series(_join(names[codes], lengths), dtype="str"),
            "conversions": frame["conversions"].to_numpy(),
            "value": frame["value"].to_numpy(),
            "nulls": frame["nulls"].to_numpy(),
        },
        columns=list(PATH_COLUMNS),
    )
    total = table["conversions"] + table["nulls"]
    order = np.lexsort((table["path"].to_numpy(dtype=object), -total.to_numpy()))
    table = table.iloc[order].reset_index(drop=True)
    table.attrs = frame.attrs
    return table


def _join(
    names: np.ndarray, lengths: np.ndarray, separator: str = PATH_SEPARATOR
) -> np.ndarray:
    """Names joined by ``separator``, one text per path (one pass per depth)."""
    starts = np.r_[0, np.cumsum(lengths)[:-1]] if len(lengths) else lengths
    text = np.full(len(lengths), "", dtype=object)
    for depth in range(int(lengths.max()) if len(lengths) else 0):
        active = np.flatnonzero(lengths > depth)
        step = names[starts[active] + depth]
        text[active] = text[active] + (separator if depth else "") + step
    return text


def remote_walks(
    data: RemoteData, keys: tuple[str, ...], options: dict[str, Any]
) -> tuple[Walks, dict[str, Any]]:
    """The model arrays of the distinct paths on a backend, each standing for its
    counts, with the level's labels (``keys``: ``channel``, or ``channel`` and
    ``campaign``) in the order :func:`~leadkpi.attribution.walks.walks` gives a
    journeys frame; and the journeys' attrs."""
    from leadkpi.attribution.walks import Walks

    by = "channel" if keys == ("channel",) else "campaign"
    frame, lengths, codes, names = _fetch(data, by, dict(JOURNEY_OPTIONS) | options)
    used = np.unique(codes)  # sorted: names in order, NO_TOUCH last
    state = np.searchsorted(used, codes).astype(np.int64)
    labels = pd.DataFrame({k: names[k].to_numpy(dtype=object)[used] for k in keys})
    journey = np.repeat(np.arange(len(frame)), lengths)
    starts = np.r_[0, np.cumsum(lengths)[:-1]] if len(lengths) else lengths
    walks = Walks(
        journey=journey,
        step=np.arange(len(journey)) - starts[journey],
        state=state,
        labels=labels,
        conversions=frame["conversions"].to_numpy(dtype=float),
        value=frame["value"].to_numpy(dtype=float),
        nulls=frame["nulls"].to_numpy(dtype=float),
        direct=labels["channel"].to_numpy(dtype=object)[state] == DIRECT,
    )
    return walks, frame.attrs
