"""The KPI engine: any KPI at any grain, as sum-over-sum of its measures.

Computing a KPI at a grain (an optional period × any dimensions) computes each of its
measures at that grain, joins them on the grain and applies the KPI's formula to the
joined columns. A ratio is therefore always ``sum(numerator) / sum(denominator)`` over
the rows of the grain, never a mean of finer ratios, and every value carries its
numerator and denominator.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from leadkpi.data import LeadData
from leadkpi.kpis.definitions import KPI, KPIS, MEASURES, Measure
from leadkpi.periods import GRAINS, to_period

__all__ = ["compute", "RESULT_COLUMNS", "NOT_SET"]

#: Columns that follow the grain columns in every result.
RESULT_COLUMNS = (
    "kpi",
    "value",
    "numerator",
    "denominator",
    "unit",
    "better",
    "mode",
    "reason",
)
#: Label of a dimension value that is missing in the data.
NOT_SET = "(not set)"
_MODES = ("cohort", "period")


def _resolve(kpis: str | KPI | Iterable[str | KPI] | None) -> list[KPI]:
    if kpis is None:
        return list(KPIS.values())
    if isinstance(kpis, (str, KPI)):
        kpis = [kpis]
    out = []
    for kpi in kpis:
        if isinstance(kpi, KPI):
            out.append(kpi)
        elif kpi in KPIS:
            out.append(KPIS[kpi])
        else:
            raise ValueError(f"unknown KPI {kpi!r}; known: {', '.join(KPIS)}")
    return out


def _split_by(by: str | Sequence[str]) -> tuple[str | None, list[str]]:
    by = [by] if isinstance(by, str) else list(by)
    grains = [b for b in by if b in GRAINS]
    if len(grains) > 1:
        raise ValueError(f"by= holds more than one period grain: {grains}")
    return (grains[0] if grains else None), [b for b in by if b not in GRAINS]


def _window(start: object, end: object) -> tuple[pd.Timestamp | None, ...]:
    lo = pd.Period(str(start)).start_time if start is not None else None
    hi = pd.Period(str(end)).end_time if end is not None else None
    return lo, hi


def _local(times: pd.Series) -> pd.Series:
    if isinstance(times.dtype, pd.DatetimeTZDtype):
        return times.dt.tz_localize(None)
    return times


def _measure(
    data: LeadData,
    measure: Measure,
    grain: str | None,
    dims: list[str],
    mode: str,
    window: tuple[pd.Timestamp | None, pd.Timestamp | None],
) -> pd.DataFrame | str:
    """One measure at the grain, or the reason it cannot be computed."""
    table = getattr(data, measure.table, None)
    if table is None:
        return f"needs the {measure.table} table"
    absent = [c for c in (*measure.needs(), *dims) if c not in table.columns]
    if absent:
        return f"the {measure.table} table has no {', '.join(absent)} column"
    dated_by = measure.time_column
    rows = table
    if mode == "cohort" and measure.cohort_column:
        rows = table[table[measure.time_column].notna()]
        dated_by = measure.cohort_column
    times = _local(rows[dated_by])
    keep = times.notna()
    lo, hi = window
    if lo is not None:
        keep &= times >= lo
    if hi is not None:
        keep &= times <= hi
    keys = {}
    if grain:
        keys[grain] = to_period(times[keep], grain)
    for dim in dims:
        values = rows.loc[keep, dim]
        keys[dim] = values.astype("str").where(values.notna(), NOT_SET)
    if measure.agg == "count":
        values = pd.Series(1, index=keys[grain].index if grain else times[keep].index)
    else:
        values = rows.loc[keep, measure.value_column].astype("float64").fillna(0.0)
    frame = pd.DataFrame({**keys, measure.id: values})
    if not keys:
        return pd.DataFrame({measure.id: [float(frame[measure.id].sum())]})
    return (
        frame.groupby(list(keys), sort=True, observed=True)[measure.id]
        .sum()
        .astype("float64")
        .reset_index()
    )


def compute(
    data: LeadData,
    kpis: str | KPI | Iterable[str | KPI] | None = None,
    *,
    by: str | Sequence[str] = ("month",),
    mode: str = "period",
    start: object = None,
    end: object = None,
    measures: Mapping[str, Measure] = MEASURES,
) -> pd.DataFrame:
    """Compute KPIs at a grain.

    Parameters
    ----------
    data : LeadData
        The project's canonical tables.
    kpis : str, KPI or iterable of them, optional
        KPI ids or objects; default every built-in KPI.
    by : str or sequence of str
        The grain: at most one period (``day``, ``week``, ``month``, ``quarter``,
        ``year``) and any dimension columns (``channel``, ``campaign``, ``owner``,
        any extra lead column). ``()`` gives one figure over the selected range.
    mode : {"period", "cohort"}
        ``period`` counts stage events dated in the period; ``cohort`` counts what
        the leads created in the period went on to reach.
    start, end : str or Period, optional
        First and last period included (e.g. ``"2026-01"``, ``"2026-10"``).
    measures : mapping
        Measure definitions by id (to add measures that custom KPIs need).

    Returns
    -------
    pandas.DataFrame
        Tidy: the grain columns, then ``kpi, value, numerator, denominator, unit,
        better, mode, reason``. A KPI whose inputs are missing has NaN values and a
        ``reason``; a zero denominator gives NaN, never inf.

    Examples
    --------
    >>> from leadkpi import load
    >>> result = compute(load("leadkpi.yaml"), ["leads", "cost_per_lead"],
    ...                  by=("month", "channel"), start="2026-10", end="2026-10")
    >>> list(result.columns[:4])
    ['month', 'channel', 'kpi', 'value']
    """
    if mode not in _MODES:
        raise ValueError(f"mode must be one of {_MODES}, not {mode!r}")
    chosen = _resolve(kpis)
    grain, dims = _split_by(by)
    keys = [grain, *dims] if grain else dims
    window = _window(start, end)
    needed = dict.fromkeys(m for kpi in chosen for m in kpi.measures)
    unknown = [m for m in needed if m not in measures]
    if unknown:
        raise ValueError(f"unknown measure(s) {unknown}; known: {', '.join(measures)}")
    frames: dict[str, pd.DataFrame] = {}
    reasons: dict[str, str] = {}
    for mid in needed:
        got = _measure(data, measures[mid], grain, dims, mode, window)
        if isinstance(got, str):
            reasons[mid] = got
        else:
            frames[mid] = got
    joined = _join(list(frames.values()), keys)
    for mid in frames:
        joined[mid] = joined[mid].fillna(0.0)
    parts = [_evaluate(kpi, joined, keys, reasons, mode) for kpi in chosen]
    result = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if keys and len(result):
        order = {k.id: i for i, k in enumerate(chosen)}
        result = result.sort_values(
            [*keys, "kpi"],
            key=lambda s: s.map(order) if s.name == "kpi" else s,
            kind="stable",
        )
    return result.reset_index(drop=True)[[*keys, *RESULT_COLUMNS]]


def _join(frames: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    if not frames:  # nothing computable: one row per KPI, carrying the reason
        return pd.DataFrame({k: [None] for k in keys}, index=[0])
    if not keys:
        return pd.concat(frames, axis=1)
    joined = frames[0]
    for frame in frames[1:]:
        joined = joined.merge(frame, on=keys, how="outer")
    return joined


def _evaluate(
    kpi: KPI, joined: pd.DataFrame, keys: list[str], reasons: dict[str, str], mode: str
) -> pd.DataFrame:
    out = joined[keys].copy() if keys else pd.DataFrame(index=joined.index)
    missing = [reasons[m] for m in kpi.measures if m in reasons]
    nan = np.full(len(joined), np.nan)
    if missing:
        value = numerator = denominator = nan
    else:
        value = np.asarray(kpi.func(**{m: joined[m] for m in kpi.measures}), "float64")
        value = np.where(np.isfinite(value), value, np.nan)
        numerator = joined[kpi.numerator].to_numpy() if kpi.numerator else nan
        denominator = joined[kpi.denominator].to_numpy() if kpi.denominator else nan
    out["kpi"] = kpi.id
    out["value"] = value
    out["numerator"] = numerator
    out["denominator"] = denominator
    out["unit"] = kpi.unit
    out["better"] = kpi.better
    out["mode"] = mode
    out["reason"] = "; ".join(dict.fromkeys(missing)) if missing else None
    return out
