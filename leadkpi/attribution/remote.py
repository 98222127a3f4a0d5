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
    _months,
    check_options,
)
from leadkpi.attribution.paths import JOURNEY_OPTIONS, PATH_COLUMNS, PATH_SEPARATOR
from leadkpi.exceptions import ArgumentError
from leadkpi.warehouse.connect import RemoteData, wall_clock

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from leadkpi.attribution.walks import Walks

__all__ = ["remote_paths", "remote_walks"]

_DAY_US = 86_400 * 10**6


def _table(data: RemoteData, name: str, columns: tuple[str, ...]) -> ir.Table:
    table = data.tables.get(name)
    if table is None:
        raise ArgumentError(f"journeys need the {name} table; {data.source} has none")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ArgumentError(
            f"the {name} table of {data.source} lacks {missing}; it has "
            f"{list(table.columns)}"
        )
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


def _queries(
    data: RemoteData,
    *,
    by: str,
    conversion: str,
    lookback_days: float | None,
    start: object,
    end: object,
    value_col: str,
) -> tuple[ir.Table, ir.Table]:
    """The distinct paths and the one-row table of touches left out, as Ibis
    expressions (nothing runs here)."""
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
    tt = touches.select(
        tid=touch_key,
        at=at,
        ch=_text(touches["channel"]),
        cp=(
            _text(touches["campaign"])
            if "campaign" in touches.columns
            else ibis.literal("")
        ),
    )

    # touches of a known lead, dated, not after its conversion
    known = tt.inner_join(lk, tt.tid == lk.lid)
    before_end = known.won.isnull() | (known.at <= known.won)
    usable = known.filter(known.at.notnull() & before_end)
    last = usable.group_by("lid").agg(last=usable.at.max())
    ends = lk.left_join(last, "lid").select("lid", "won", "val", "last")
    ends = ends.mutate(stop=ends.won.coalesce(ends["last"]))
    inside = ends.stop.notnull()
    lower, upper = _bound(low, zone), _bound(high, zone)
    if lower is not None:
        inside &= ends.stop >= lower
    if upper is not None:
        inside &= ends.stop < upper
    ends = ends.mutate(inside=inside)

    kept = usable.select("lid", "at", "ch", "cp").inner_join(
        ends.filter(ends.inside).select("lid", "stop"), "lid"
    )
    early = ibis.literal(False)
    if lookback_days is not None:
        early = kept.stop.delta(kept.at, unit="microsecond") > lookback_days * _DAY_US
    kept = kept.filter(~early)

    # per lead: its touches in order (time, channel, campaign), then its names
    ordered = ibis.struct({"at": kept.at, "ch": kept.ch, "cp": kept.cp}).collect()
    per_lead = kept.group_by("lid").agg(steps=ordered.sort())
    journeys = ends.filter(ends.inside).left_join(per_lead, "lid")
    bare = journeys.steps.isnull()
    channels = journeys.steps.map(lambda s: s.ch)
    campaigns = journeys.steps.map(lambda s: s.cp)
    none = ibis.literal([NO_TOUCH], type="array<string>")
    converted = journeys.won.notnull()
    journeys = journeys.filter(converted | ~bare).select(
        channels=ibis.ifelse(bare, none, channels),
        campaigns=ibis.ifelse(bare, none, campaigns),
        bare=bare,
        conv=ibis.ifelse(converted, 1.0, 0.0),
        val=ibis.ifelse(converted, journeys.val, 0.0),
    )
    keys = ["channels", "campaigns"] if by == "campaign" else ["channels"]
    paths = journeys.group_by([*keys, "bare"]).agg(
        conversions=journeys.conv.sum(),
        value=journeys.val.sum(),
        nulls=(1.0 - journeys.conv).sum(),
    )

    # touches left out, as journeys counts them in attrs["dropped"]
    flags = tt.left_join(
        ends.select("lid", "won", "stop", "inside"), tt.tid == ends.lid
    )
    is_known = flags.lid.notnull()
    dated = flags.at.notnull()
    after = is_known & dated & flags.won.notnull() & (flags.at > flags.won)
    fine = is_known & dated & ~after
    in_period = flags.inside.fill_null(False)
    too_early = ibis.literal(False)
    if lookback_days is not None:
        too_early = flags.stop.delta(flags.at, unit="microsecond") > (
            lookback_days * _DAY_US
        )
    counts = flags.aggregate(
        unknown_lead=(~is_known).sum(),
        undated=(is_known & ~dated).sum(),
        after_conversion=(after & in_period).sum(),
        outside_period=(fine & ~in_period).sum(),
        before_lookback=(fine & in_period & too_early.fill_null(False)).sum(),
    )
    return paths, counts


def _flat(lists: pd.Series) -> pa.Array:
    """The items of a list column, one after another."""
    return pc.list_flatten(pa.array(lists.array))


def _names(paths: pd.DataFrame, by: str) -> pa.ChunkedArray:
    """Each touch's name, flattened in path order: channel or channel/campaign."""
    names = _flat(paths["channels"])
    if by == "campaign":
        campaigns = _flat(paths["campaigns"])
        names = pc.binary_join_element_wise(names, campaigns, "/")
    return names


def _fetch(data: RemoteData, by: str, options: dict[str, Any]) -> pd.DataFrame:
    """Run the path query; the distinct paths with their list columns, and attrs."""
    if by not in ("channel", "campaign"):
        raise ArgumentError(
            f"by={by!r} is not an attribution level; expected one of "
            "['channel', 'campaign']"
        )
    check_options(options["conversion"], options["lookback_days"])
    paths, counts = _queries(data, by=by, **options)
    table = paths.to_pyarrow()
    counted = counts.to_pyarrow().to_pylist()[0]
    frame = pd.DataFrame(
        {
            name: pd.arrays.ArrowExtensionArray(table[name])
            for name in ("channels", "campaigns")
            if name in table.column_names
        }
    )
    for name in ("conversions", "value", "nulls"):
        frame[name] = table[name].to_numpy().astype(float)
    bare = table["bare"].to_numpy(zero_copy_only=False).astype(bool)
    frame.attrs = {
        "dropped": {
            "unknown_lead": int(counted["unknown_lead"] or 0),
            "undated": int(counted["undated"] or 0),
            "after_conversion": int(counted["after_conversion"] or 0),
            "outside_period": int(counted["outside_period"] or 0),
            "before_lookback": int(counted["before_lookback"] or 0),
        },
        "no_touch": int(frame["conversions"].to_numpy()[bare].sum()),
        "conversion": options["conversion"],
    }
    return frame


def remote_paths(
    data: RemoteData,
    *,
    by: str = "channel",
    conversion: str = "customer",
    lookback_days: float | None = 90,
    start: str | pd.Period | None = None,
    end: str | pd.Period | None = None,
    value_col: str = "deal_value",
) -> pd.DataFrame:
    """The path table of the journeys on a backend, counted where the touches live.

    The same table as ``path_table(journeys(lead_data, ...), by=by)`` for the same
    canonical data: the journeys are cut, ordered and grouped by path as Ibis
    expressions (a join, two group-bys and a sort of each lead's touches), and only
    the distinct paths come back.

    Parameters
    ----------
    data : RemoteData
        Needs ``touches`` (lead_id, touched_at, channel, campaign) and ``leads``
        (lead_id, created_at, the conversion's date column, ``value_col``).
    by : {"channel", "campaign"}
        Name each touch by its channel or by ``channel/campaign``.
    conversion, lookback_days, start, end, value_col
        As :func:`~leadkpi.attribution.journeys` reads them.

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
    frame = _fetch(data, by, options)
    names = _names(frame, by).to_numpy(zero_copy_only=False).astype(object)
    lengths = frame["channels"].list.len().to_numpy(dtype=np.int64)
    path = _join(names, lengths)
    table = pd.DataFrame(
        {
            "path": pd.Series(path, dtype="str"),
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


def _join(names: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Names joined by the path separator, one text per path (one pass per depth)."""
    starts = np.r_[0, np.cumsum(lengths)[:-1]] if len(lengths) else lengths
    text = np.full(len(lengths), "", dtype=object)
    for depth in range(int(lengths.max()) if len(lengths) else 0):
        active = np.flatnonzero(lengths > depth)
        step = names[starts[active] + depth]
        text[active] = text[active] + (PATH_SEPARATOR if depth else "") + step
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
    frame = _fetch(data, by, dict(JOURNEY_OPTIONS) | options)
    lengths = frame["channels"].list.len().to_numpy(dtype=np.int64)
    columns = {"channel": "channels", "campaign": "campaigns"}
    flat = pd.DataFrame(
        {key: _flat(frame[columns[key]]).to_numpy(zero_copy_only=False) for key in keys}
    )
    # journeys puts NO_TOUCH after every real channel (and campaign)
    sort_keys = []
    for key in keys:
        sort_keys += [flat[key] == NO_TOUCH, flat[key]]
    labels = flat.drop_duplicates()
    rank = pd.DataFrame({f"k{i}": s for i, s in enumerate(sort_keys)})
    order = rank.loc[labels.index].sort_values(list(rank.columns)).index
    labels = labels.loc[order].reset_index(drop=True)
    state = (
        flat.merge(labels.reset_index(), on=list(keys), how="left")["index"]
        .to_numpy()
        .astype(np.int64)
    )
    journey = np.repeat(np.arange(len(frame)), lengths)
    starts = np.r_[0, np.cumsum(lengths)[:-1]] if len(lengths) else lengths
    walks = Walks(
        journey=journey,
        step=np.arange(len(journey)) - starts[journey],
        state=state,
        labels=labels.astype(object),
        conversions=frame["conversions"].to_numpy(dtype=float),
        value=frame["value"].to_numpy(dtype=float),
        nulls=frame["nulls"].to_numpy(dtype=float),
        direct=(flat["channel"] == DIRECT).to_numpy(),
    )
    return walks, frame.attrs
