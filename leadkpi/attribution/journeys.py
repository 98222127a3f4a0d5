"""Journeys: each lead's ordered touches up to its conversion, one row per touch.

A journey is what attribution gives credit over. :func:`journeys` turns the
``touches`` and ``leads`` tables into a touch-level frame, vectorised (sorting and
``bincount`` over integer codes; no loop per lead or per touch).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from leadkpi.exceptions import ArgumentError
from leadkpi.funnel.stages import NAT, nanoseconds
from leadkpi.periods import parse_month

__all__ = ["journeys", "JOURNEY_COLUMNS", "NO_TOUCH", "DIRECT", "CONVERSIONS"]

#: Channel (and campaign) given to a converted lead that has no touch before its
#: conversion: it is kept, not dropped, so totals still add up.
NO_TOUCH = "(no touch)"
#: The channel that "last non-direct" skips.
DIRECT = "direct"
#: Conversion events a journey can end in, and the leads column that dates each.
CONVERSIONS = {
    "lead": "created_at",
    "mql": "mql_at",
    "sql": "sql_at",
    "opportunity": "opportunity_at",
    "customer": "won_at",
}
#: Columns of a :func:`journeys` frame, in order.
JOURNEY_COLUMNS = (
    "journey",
    "lead_id",
    "step",
    "steps",
    "touched_at",
    "channel",
    "campaign",
    "converted",
    "converted_at",
    "value",
    "days_before",
    "lead_creation",
    "opportunity_creation",
)
_DAY_NS = 86_400 * 10**9


def _months(start: object, end: object, timezone: str) -> tuple[int | None, int | None]:
    """UTC ns bounds [low, high) of the months from ``start`` to ``end``."""

    def edge(month: object, which: str) -> int | None:
        if month is None:
            return None
        period = parse_month(month)
        stamp = (
            period.start_time if which == "start" else (period + 1).start_time
        ).tz_localize(timezone)
        return int(stamp.tz_convert("UTC").value)

    return edge(start, "start"), edge(end, "end")


def _positions(ids: pd.Series, known: pd.Series) -> np.ndarray:
    """Row of each id in ``known`` (-1 when absent): one Arrow hash join."""
    found = pc.index_in(
        pa.array(ids.astype("str").to_numpy(), type=pa.large_string())
        if not isinstance(ids.array, pd.arrays.ArrowStringArray)
        else pa.array(ids.array),
        value_set=pa.array(known.astype("str").array),
    )
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of a text column, its names sorted (missing → "")."""
    category = values.astype("category")
    codes = category.cat.codes.to_numpy().astype(np.int64)
    names = category.cat.categories.to_numpy(dtype=object).astype(str)
    if (codes < 0).any() and "" in names:  # missing and "" are one name
        codes = np.where(codes < 0, int(np.flatnonzero(names == "")[0]), codes)
    elif (codes < 0).any():
        names = np.append(names, "")
        order = np.argsort(names, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        codes = rank[np.where(codes < 0, len(names) - 1, codes)]
        names = names[order]
    return codes, names.astype(object)


def _touch_order(lead: np.ndarray, when: np.ndarray, tie: np.ndarray) -> np.ndarray:
    """Stable order by lead, time, then ``tie``.

    One stable sort of an int64 key (lead, whole second) instead of a three-key
    lexsort; touches of one lead within the same second, rare, are then put in
    (ns, tie) order among themselves.
    """
    if not len(lead):
        return np.zeros(0, np.int64)
    low = int(when.min())
    seconds = (when - low) // 10**9
    span = int(seconds.max()) + 1
    if (int(lead.max()) + 1) * span >= 2**62:
        return np.lexsort((tie, when, lead))
    key = lead * span + seconds
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    same = ordered[1:] == ordered[:-1]
    if same.any():
        crowded = np.flatnonzero(np.r_[same, False] | np.r_[False, same])
        sub = order[crowded]
        order[crowded] = sub[np.lexsort((tie[sub], when[sub], key[sub]))]
    return order


def _stamps(ns: np.ndarray, timezone: str) -> pd.DatetimeIndex:
    return (
        pd.DatetimeIndex(ns.view("datetime64[ns]"))
        .tz_localize("UTC")
        .tz_convert(timezone)
    )


def _check(
    frame: object, name: str, columns: tuple[str, ...], source: str | None = None
) -> None:
    """Raise :class:`ArgumentError` when table ``name`` (a frame, or a backend
    table of ``source``) is absent or lacks one of ``columns``."""
    if frame is None:
        where = source or "the data"
        raise ArgumentError(f"journeys need the {name} table; {where} has none")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        of = f" of {source}" if source else ""
        raise ArgumentError(
            f"the {name} table{of} lacks {missing}; it has {list(frame.columns)}"
        )


def check_options(conversion: str, lookback_days: float | None) -> None:
    """Raise :class:`ArgumentError` for an unknown conversion or a lookback that is
    not a positive number of days (shared with the backend's journeys)."""
    if conversion not in CONVERSIONS:
        raise ArgumentError(
            f"conversion={conversion!r} is not a conversion event; "
            f"expected one of {list(CONVERSIONS)}"
        )
    if lookback_days is not None and not lookback_days > 0:
        raise ArgumentError(
            f"lookback_days must be a positive number of days or None, "
            f"not {lookback_days!r}"
        )


def journeys(
    data: object,
    *,
    conversion: str = "customer",
    lookback_days: float | None = 90,
    start: str | pd.Period | None = None,
    end: str | pd.Period | None = None,
    value_col: str = "deal_value",
    timezone: str | None = None,
) -> pd.DataFrame:
    """Each lead's ordered touches up to its conversion: one row per touch.

    Parameters
    ----------
    data : LeadData
        Needs ``touches`` (lead_id, touched_at, channel, campaign) and ``leads``
        (lead_id, created_at, the conversion's date column, ``value_col``, and
        ``opportunity_at`` for the W-shaped model's third key touch).
    conversion : {"customer", "opportunity", "sql", "mql", "lead"}
        The event a journey ends in, dated by ``won_at``, ``opportunity_at``,
        ``sql_at``, ``mql_at`` or ``created_at``.
    lookback_days : float or None
        Touches more than this many days before the journey's end are left out
        (counted in ``attrs``); None keeps every earlier touch.
    start, end : str or Period, optional
        First and last month (``"YYYY-MM"``, project timezone) of the journeys'
        ends: the conversion for converted leads, the last touch for the others.
    value_col : str
        Leads column with a converted journey's value (missing counts as 0).
    timezone : str, optional
        Timezone of the months; default the project's.

    Returns
    -------
    pandas.DataFrame
        One row per touch kept: ``journey`` (0-based id), ``lead_id``, ``step``
        (0-based position), ``steps`` (touches in the journey), ``touched_at``,
        ``channel``, ``campaign`` (categoricals), ``converted``,
        ``converted_at``, ``value`` (0 when not converted), ``days_before`` (days
        from the touch to the journey's end), ``lead_creation`` and
        ``opportunity_creation`` (the touch that created the lead: the last one at
        or before ``created_at``, the first touch when none is; the last touch at
        or before ``opportunity_at``, none when the journey has no opportunity
        before its end). ``attrs["dropped"]`` counts the touches left out:
        ``after_conversion`` and ``before_lookback`` (of the period's journeys),
        ``outside_period`` (of other journeys), ``undated`` and ``unknown_lead``
        (touches of no lead in the leads table); ``attrs["no_touch"]`` counts
        converted leads given the :data:`NO_TOUCH` channel.

    Notes
    -----
    - A journey ends at the conversion for a converted lead (touches after it are
      left out and counted) and at the last touch for the others, which are kept:
      the data-driven models need the journeys that did not convert.
    - Touches at the same instant are ordered by channel, then campaign, then
      their row in the touches table, so the order never depends on anything
      else.
    - A converted lead with no touch left gets one touch of channel
      :data:`NO_TOUCH` dated at its conversion; a lead that neither converted nor
      has a touch is no journey.
    - Unknown channels are kept as their own; repeated channels are kept as they
      happened (each model says what it does with them).

    Examples
    --------
    >>> from leadkpi import load
    >>> paths = journeys(load("leadkpi.yaml"), start="2026-01", end="2026-10")
    >>> int(paths.loc[paths["step"] == 0, "converted"].sum())
    120
    >>> sorted(paths.attrs["dropped"])[:2]
    ['after_conversion', 'before_lookback']
    """
    check_options(conversion, lookback_days)
    leads, touches = getattr(data, "leads", None), getattr(data, "touches", None)
    event = CONVERSIONS[conversion]
    _check(touches, "touches", ("lead_id", "touched_at", "channel"))
    _check(leads, "leads", ("lead_id", "created_at", event))
    if timezone is None:
        timezone = getattr(getattr(data, "config", None), "timezone", "UTC")
    low, high = _months(start, end, timezone)

    lead_ids = pd.Index(leads["lead_id"])
    won = nanoseconds(leads[event])
    created = nanoseconds(leads["created_at"])
    opp = (
        nanoseconds(leads["opportunity_at"])
        if "opportunity_at" in leads.columns
        else np.full(len(leads), NAT)
    )
    value = (
        leads[value_col].to_numpy(dtype=float, na_value=np.nan)
        if value_col in leads.columns
        else np.zeros(len(leads))
    )
    converted_lead = won != NAT

    lead = _positions(touches["lead_id"], leads["lead_id"])
    when = nanoseconds(touches["touched_at"])
    ch, names_ch = _codes(touches["channel"])
    cp, names_cp = _codes(
        touches["campaign"]
        if "campaign" in touches.columns
        else pd.Series("", index=touches.index)
    )
    known, dated = lead >= 0, when != NAT
    of = np.maximum(lead, 0)
    after = known & dated & converted_lead[of] & (when > won[of])
    usable = known & dated & ~after

    # sorted by lead and time; ties by channel, campaign, then row (stable sort)
    row = np.flatnonzero(usable)
    tie = ch[row] * (len(names_cp) + 1) + cp[row]
    row = row[_touch_order(lead[row], when[row], tie)]
    lead, when, ch, cp = lead[row], when[row], ch[row], cp[row]

    # the journey's end: conversion, or the lead's last touch; its period
    last_touch = np.full(len(leads), NAT)
    ends = np.flatnonzero(np.r_[lead[1:] != lead[:-1], True]) if len(lead) else row
    last_touch[lead[ends]] = when[ends]
    end_ns = np.where(converted_lead, won, last_touch)
    in_period = end_ns != NAT
    if low is not None:
        in_period &= end_ns >= low
    if high is not None:
        in_period &= end_ns < high
    inside = in_period[lead]
    dropped = {
        "unknown_lead": int((~known).sum()),
        "undated": int((known & ~dated).sum()),
        "after_conversion": int((after & in_period[of]).sum()),
        "outside_period": int((~inside).sum()),
    }
    lead, when, ch, cp = lead[inside], when[inside], ch[inside], cp[inside]
    dropped["before_lookback"] = 0
    if lookback_days is not None:
        early = end_ns[lead] - when > lookback_days * _DAY_NS
        dropped["before_lookback"] = int(early.sum())
        lead, when, ch, cp = lead[~early], when[~early], ch[~early], cp[~early]

    # converted leads left without a touch get one "no touch" touch
    has_touch = np.zeros(len(leads), bool)
    has_touch[lead] = True
    bare = np.flatnonzero(converted_lead & in_period & ~has_touch)
    names_ch, names_cp = np.append(names_ch, NO_TOUCH), np.append(names_cp, NO_TOUCH)
    if len(bare):
        lead = np.concatenate([lead, bare])
        when = np.concatenate([when, won[bare]])
        ch = np.concatenate([ch, np.full(len(bare), len(names_ch) - 1)])
        cp = np.concatenate([cp, np.full(len(bare), len(names_cp) - 1)])
        order = np.argsort(lead, kind="stable")
        lead, when, ch, cp = lead[order], when[order], ch[order], cp[order]
    no_touch = len(bare)

    first = np.r_[True, lead[1:] != lead[:-1]] if len(lead) else np.zeros(0, bool)
    starts = np.flatnonzero(first)
    journey = np.cumsum(first) - 1
    steps = np.diff(np.r_[starts, len(lead)])
    step = np.arange(len(lead)) - starts[journey]
    jl = lead[starts]
    is_conv = converted_lead[jl]

    def last_at_or_before(limit: np.ndarray, fallback_first: bool) -> np.ndarray:
        n_before = np.bincount(
            journey, weights=when <= limit[lead], minlength=len(starts)
        ).astype(int)
        valid = (limit[jl] != NAT) & (n_before > 0)
        target = np.where(valid, n_before - 1, 0 if fallback_first else -1)
        return step == target[journey]

    lead_role = last_at_or_before(created, True)
    opp_ok = np.where((opp != NAT) & (opp <= end_ns), opp, NAT)
    opp_role = last_at_or_before(opp_ok, False)

    frame = pd.DataFrame(
        {
            "journey": journey,
            "lead_id": lead_ids.take(lead),
            "step": step,
            "steps": steps[journey],
            "touched_at": _stamps(when, timezone),
            "channel": pd.Categorical.from_codes(ch, names_ch),
            "campaign": pd.Categorical.from_codes(cp, names_cp),
            "converted": is_conv[journey],
            "converted_at": _stamps(np.where(is_conv, won[jl], NAT)[journey], timezone),
            "value": np.where(is_conv, np.nan_to_num(value[jl]), 0.0)[journey],
            "days_before": (end_ns[lead] - when) / _DAY_NS,
            "lead_creation": lead_role,
            "opportunity_creation": opp_role,
        }
    )
    frame.attrs["dropped"] = dropped
    frame.attrs["no_touch"] = no_touch
    frame.attrs["conversion"] = conversion
    return frame
