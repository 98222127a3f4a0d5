"""The KPI engine: any KPI at any grain, as sum-over-sum of its measures.

Computing a KPI at a grain (an optional period × any dimensions) computes each of its
measures at that grain, joins them on the grain and applies the KPI's formula to the
joined columns. A ratio is therefore always ``sum(numerator) / sum(denominator)`` over
the rows of the grain, never a mean of finer ratios; a median is computed from the
rows of the cell; and every value carries its numerator, denominator, the number of
observations behind it and a 95 % interval.

Missing spend is not zero spend. The ``spend``, ``web`` and ``email`` tables are
exports that cover some channels and campaigns only: when a cell's dimension values
(say ``channel = organic_search``) never appear in such a table, its measures there
are unknown (NaN, with a ``reason`` naming the value), so an organic channel shows no
cost per lead instead of a cost of 0. A channel that the table does cover but that
had no rows in a period (a paused campaign) has spend 0 in that period. Without
dimensions (``by=("month",)``) spend is the whole table, so CPL is blended over all
leads, paid and organic. The leads, deals and customers tables are the system of
record: a cell without rows there is a true 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from leadkpi.arguments import unknown
from leadkpi.config import Config
from leadkpi.data import LeadData
from leadkpi.exceptions import ArgumentError
from leadkpi.kpis import evaluate as ev
from leadkpi.kpis.definitions import KPIS, MEASURES
from leadkpi.kpis.grain import (
    NOT_SET,
    Grain,
    data_columns,
    selected_range,
    split_by,
)
from leadkpi.kpis.kpi import KPI
from leadkpi.kpis.measures import (
    AnyMeasure,
    Baseline,
    PeriodMonths,
    Setting,
    Statistic,
    Total,
)
from leadkpi.kpis.remote import (
    RemoteGrain,
    is_remote,
    prefetch,
    rows_in_window,
    seen_cells,
)
from leadkpi.kpis.values import kpi_columns
from leadkpi.schemas import TABLES

__all__ = [
    "compute",
    "RESULT_COLUMNS",
    "NOT_SET",
    "PARTIAL_TABLES",
    "PERIOD_TABLES",
    "COUNT_BY",
    "result_attrs",
]

#: Columns that follow the grain columns in every result.
RESULT_COLUMNS = (
    "kpi",
    "value",
    "numerator",
    "denominator",
    "unit",
    "better",
    "mode",
    "count_by",
    "n",
    "small_sample",
    "ci_low",
    "ci_high",
    "reason",
)
#: Tables that cover only some dimension values: elsewhere their measures are unknown.
PARTIAL_TABLES: tuple[str, ...] = ("spend", "web", "email")
#: Tables that list every cost of the periods they cover: a period without rows is
#: unknown, a channel without rows in a covered period is 0.
PERIOD_TABLES: tuple[str, ...] = ("costs",)
#: What lead counts can count.
COUNT_BY = ("lead", "account")
_MODES = ("cohort", "period")
_P = ev.PERIOD


def result_attrs(config: Config, kpis: Iterable[KPI]) -> dict[str, object]:
    """What a KPI result carries in ``attrs`` for whoever shows it: the project's
    ``currency`` and ``locale``, and ``kpi_names``, the names of the KPIs that are
    not in the catalogue (``{id: {lang: name}}``), as plain data."""
    names = {k.id: dict(k.name) for k in kpis if KPIS.get(k.id) is not k}
    return {"currency": config.currency, "locale": config.locale, "kpi_names": names}


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
            raise unknown("kpis", kpi, KPIS, what="a KPI id")
    return out


def compute(
    data: LeadData,
    kpis: str | KPI | Iterable[str | KPI] | None = None,
    *,
    by: str | Sequence[str] = ("month",),
    mode: str = "cohort",
    start: object = None,
    end: object = None,
    count_by: str = "lead",
    measures: Mapping[str, AnyMeasure] | None = None,
) -> pd.DataFrame:
    """Compute KPIs at a grain.

    Parameters
    ----------
    data : LeadData
        The project's canonical tables.
    kpis : str, KPI or iterable of them, optional
        KPI ids or objects (your own :class:`KPI` objects too); default every
        built-in KPI (:func:`leadkpi.catalogue`).
    by : str or sequence of str
        The grain: at most one period (``day``, ``week``, ``month``, ``quarter``,
        ``year``; quarters and years follow ``config.fiscal_year_start``) and any
        dimension columns (``channel``, ``campaign``, ``owner``, any extra lead
        column; deals and customers reach lead columns through ``lead_id``).
        ``()`` gives one figure over the selected range.
    mode : {"cohort", "period"}
        ``cohort`` counts what the leads created in the period went on to reach;
        ``period`` counts stage events dated in the period. KPIs with no cohort
        reading (spend, web, e-mail, stocks) are labelled ``period`` either way.
    start, end : str or Period, optional
        First and last period included (e.g. ``"2026-01"``, ``"2026-10"``).
    count_by : {"lead", "account"}
        Count leads, or distinct accounts (``account_id``) in every count measure
        (accounts that reached SQL, cost per opportunity account). Sums, stocks
        and statistics are unchanged.
    measures : mapping, optional
        Extra or replacement measure definitions by id (for custom KPIs); merged
        over the built-in ones.

    Returns
    -------
    pandas.DataFrame
        Tidy: the grain columns, then ``kpi, value, numerator, denominator, unit,
        better, mode, count_by, n, small_sample, ci_low, ci_high, reason``. ``n`` is
        the number of observations behind the value (a duration dated backwards,
        such as won before created, is a data error: left out of ``n`` and of the
        value, and counted in ``reason``), ``small_sample`` is ``n < 30``;
        ``ci_low``/``ci_high`` a 95 % interval (Wilson for proportions,
        Poisson for cost per count, compound Poisson for ROAS/ROI, order statistics
        for medians, a normal interval for a mean) or NaN. ``small_sample`` is
        False where ``n`` is unknown (sums of money, stocks of value). A KPI whose
        inputs are missing has NaN values and a ``reason``; a cell a partial table
        (spend, web, e-mail) never covers has NaN and a reason naming the value (see
        the module notes); a zero denominator gives NaN, never inf. Rows are the
        cells where any requested measure has data, sorted by the grain, then the
        KPIs in the order asked. Durations are in seconds, with
        ``unit`` ``"seconds"`` (``pandas.to_timedelta(value, unit="seconds")``).
        A plain frame: ``attrs`` carries the project's currency and locale (see
        :func:`result_attrs`); :func:`leadkpi.compute` shows the same frame
        formatted in Jupyter.

    Raises
    ------
    ArgumentError
        One line naming the argument, the value and the closest valid ones: an
        unknown KPI, measure, mode or ``count_by``, a ``by`` entry that is neither
        a period grain nor a column of any table, two periods in ``by``, a
        ``start``/``end`` that is not a period, or ``count_by="account"`` when the
        leads table has no ``account_id``. (Also a :class:`ValueError`.)

    Examples
    --------
    >>> from leadkpi import load
    >>> result = compute(load("leadkpi.yaml"), ["leads", "cost_per_lead"],
    ...                  by=("month", "channel"), start="2026-10", end="2026-10")
    >>> list(result.columns[:4])
    ['month', 'channel', 'kpi', 'value']
    >>> paid = result[(result["kpi"] == "cost_per_lead")
    ...               & (result["channel"] == "organic_search")]
    >>> paid["reason"].iloc[0]
    "the spend table has no rows for month 2026-10, channel 'organic_search'"
    """
    if mode not in _MODES:
        raise unknown("mode", mode, _MODES, what="a counting mode")
    if count_by not in COUNT_BY:
        raise unknown("count_by", count_by, COUNT_BY)
    if count_by == "account" and (
        data.leads is None or "account_id" not in data.leads.columns
    ):
        found = [] if data.leads is None else list(data.leads.columns)
        raise ArgumentError(
            "count_by='account' needs an account_id column in the leads table; "
            f"found columns: {', '.join(found) or 'no leads table'}"
        )
    chosen = _resolve(kpis)
    catalogue = {**MEASURES, **(measures or {})}
    period, dims = split_by(by, data_columns(data))
    lo, hi = selected_range(start, end)
    make = Grain
    if is_remote(data):  # tables on a backend: measures run there
        make = RemoteGrain
    grain = make(data, period, dims, mode, count_by, lo, hi)
    keys = [period, *dims] if period else dims
    needed = dict.fromkeys(m for k in chosen for m in (*k.measures, *k.support))
    missing = [m for m in needed if m not in catalogue]
    if missing:
        raise unknown("measures", missing[0], catalogue, what="a measure id")
    totals = [catalogue[m] for m in needed if isinstance(catalogue[m], Total)]
    added = [p for m in totals for p in m.parts]
    unknown_part = [p for p in added if p not in catalogue]
    if unknown_part:
        raise unknown("measures", unknown_part[0], catalogue, what="a measure id")
    needed = dict.fromkeys([*added, *needed])  # parts first: totals add them up
    frames: dict[str, pd.DataFrame] = {}
    reasons: dict[str, str] = {}
    if is_remote(data):  # measures that share a table and a date: one query
        prefetch(grain, [catalogue[mid] for mid in needed])
    for mid in needed:
        if isinstance(catalogue[mid], (PeriodMonths, Setting, Total)):
            continue
        got = ev.measure(grain, catalogue[mid], catalogue)
        if isinstance(got, str):
            reasons[mid] = got
        else:
            frames[mid] = got
    join_keys = [*dims, *([_P] if period else [])]
    joined = _join(list(frames.values()), join_keys)
    row_reasons = _fill(joined, frames, catalogue, grain)
    for mid in needed:
        m = catalogue[mid]
        if isinstance(m, PeriodMonths):
            joined[mid] = ev.period_months(grain, joined)
        elif isinstance(m, Setting):
            value = getattr(data.config, m.attribute)
            if value is None:
                reasons[mid] = f"needs {m.attribute} in the config"
            else:
                joined[mid] = np.full(len(joined), float(value))
        elif isinstance(m, Total):
            _total(joined, m, reasons, row_reasons, catalogue, data)
    if period:
        joined[period] = (
            pd.arrays.PeriodArray(
                joined[_P].to_numpy(dtype="int64"), dtype=pd.PeriodDtype(grain.freq)
            )
            if len(joined)
            else pd.Series(dtype=pd.PeriodDtype(grain.freq))
        )
    if keys and len(joined):
        # the per-row reasons follow their rows into the sorted order
        order = joined.sort_values(keys, kind="stable").index
        joined = joined.loc[order].reset_index(drop=True)
        row_reasons = {
            mid: why.loc[order].reset_index(drop=True)
            for mid, why in row_reasons.items()
        }
    parts = [
        kpi_columns(k, joined, reasons, row_reasons, grain, catalogue) for k in chosen
    ]
    rows = len(joined)
    # row i of the grain, KPI j -> sorted by the grain, then the KPIs in order
    order = (np.arange(rows)[:, None] + rows * np.arange(len(chosen))[None, :]).ravel()
    columns = {
        c: np.concatenate([p[c] for p in parts])[order] if parts else []
        for c in RESULT_COLUMNS
    }
    body = pd.DataFrame(columns)
    if keys:
        grain_rows = joined[keys].iloc[order % rows if rows else order]
        body = pd.concat([grain_rows.reset_index(drop=True), body], axis=1)
    result = body[[*keys, *RESULT_COLUMNS]]
    result.attrs.update(result_attrs(data.config, chosen))
    return result


def _join(frames: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    if not frames:  # nothing computable: one row per KPI, carrying the reason
        row = {k: [np.iinfo("int64").min if k == _P else None] for k in keys}
        return pd.DataFrame(row, index=[0])
    if not keys:
        rows = [f if len(f) else pd.DataFrame({c: [np.nan] for c in f}) for f in frames]
        return pd.concat([r.reset_index(drop=True) for r in rows], axis=1)
    indexed = [f.set_index(keys) for f in frames]
    return pd.concat(indexed, axis=1, join="outer").reset_index()


def _total(
    joined: pd.DataFrame,
    m: Total,
    reasons: dict[str, str],
    row_reasons: dict[str, pd.Series],
    catalogue: Mapping,
    data: LeadData,
) -> None:
    """Add the parts of ``m`` into ``joined[m.id]``; an optional part whose table
    is not loaded is left out and named in every row's reason."""
    notes = dict(m.optional)
    absent = [p for p in m.parts if p in reasons]
    unloaded = {
        p for p in absent if getattr(data, catalogue[p].table, None) is None
    } & set(notes)
    if len(absent) == len(m.parts) or set(absent) - unloaded:
        reasons[m.id] = "; ".join(dict.fromkeys(reasons[p] for p in absent))
        return
    present = [p for p in m.parts if p not in absent]
    total = joined[present[0]].to_numpy(dtype="float64", na_value=np.nan)
    for part in present[1:]:
        total = total + joined[part].to_numpy(dtype="float64", na_value=np.nan)
    joined[m.id] = total
    why = pd.Series(None, index=joined.index, dtype=object)
    for part in present:  # a part's own reason (a channel it does not cover) first
        if part in row_reasons:
            why = why.where(why.notna(), row_reasons[part])
    note = "; ".join(notes[p] for p in absent)
    if note:
        why = why.where(why.notna(), note)
    if why.notna().any():
        row_reasons[m.id] = why


def _fill(
    joined: pd.DataFrame,
    frames: dict[str, pd.DataFrame],
    catalogue: Mapping,
    grain: Grain,
) -> dict[str, pd.Series]:
    """Absent cells are 0, except where a partial table never covers the cell."""
    reasons: dict[str, pd.Series] = {}
    coverage: dict[str, pd.Series] = {}
    for mid in frames:
        m = catalogue[mid]
        if isinstance(m, Baseline):  # unknown stays unknown
            continue
        if isinstance(m, Statistic):  # no rows: n is 0, the statistic unknown
            joined[f"{mid}__n"] = joined[f"{mid}__n"].fillna(0.0)
            if m.negative:
                joined[f"{mid}__negative"] = joined[f"{mid}__negative"].fillna(0.0)
            continue
        joined[mid] = joined[mid].astype("float64").fillna(0.0)
        table = getattr(m, "table", None)
        by_dims = table in PARTIAL_TABLES and (grain.dims or grain.period)
        whole = table in PARTIAL_TABLES and not (grain.dims or grain.period)
        if by_dims or whole or (table in PERIOD_TABLES and grain.period):
            if table not in coverage:
                dims = grain.dims if by_dims else []
                coverage[table] = (
                    _range_uncovered(joined, table, grain)
                    if whole
                    else _uncovered(joined, table, grain, dims)
                )
            why = coverage[table]
            joined.loc[why.notna(), mid] = np.nan
            reasons[mid] = why
    return reasons


def _range_uncovered(joined: pd.DataFrame, table: str, grain: Grain) -> pd.Series:
    """Why ``table`` says nothing about the whole selected range (None when it has
    a row in it): one figure over a range without spend rows is unknown, not 0."""
    why = pd.Series(None, index=joined.index, dtype=object)
    if getattr(grain, "remote", False):
        if not rows_in_window(grain, table):
            why[:] = f"the {table} table has no rows in the selected range"
        return why
    frame = grain.table(table)
    if isinstance(frame, str):
        return why
    if not grain.in_window(table, frame, TABLES[table].time_column).any():
        why[:] = f"the {table} table has no rows in the selected range"
    return why


def _uncovered(
    joined: pd.DataFrame, table: str, grain: Grain, dims: list[str]
) -> pd.Series:
    """Per joined row, why ``table`` says nothing about it (None when it covers it).

    A row is covered when the table has at least one row for its dimensions
    ``dims`` and, with a period in the grain, in its period: a month with leads but
    no spend rows has an unknown spend, not a spend of 0.
    """
    why = pd.Series(None, index=joined.index, dtype=object)
    keys = list(dims) + ([_P] if grain.period else [])
    if getattr(grain, "remote", False):
        seen = seen_cells(grain, table, dims)
        if seen is None:
            return why
    else:
        frame = grain.table(table)
        if isinstance(frame, str) or any(d not in frame.columns for d in dims):
            return why
        seen = pd.DataFrame(index=pd.RangeIndex(len(frame)))
        if dims:
            codes, labels = grain.dim_codes(table, frame)
            seen = labels.iloc[codes].reset_index(drop=True)
        if grain.period:
            seen[_P] = grain.ordinals(table, frame, TABLES[table].time_column)
        seen = seen.drop_duplicates()
    hit = (
        joined[keys]
        .merge(seen.assign(__seen=True), on=keys, how="left")["__seen"]
        .fillna(False)
        .to_numpy(dtype=bool)
    )
    parts = []
    if grain.period:
        ordinals = joined[_P].to_numpy(dtype="int64")
        periods = pd.arrays.PeriodArray(ordinals, dtype=pd.PeriodDtype(grain.freq))
        parts.append(f"{grain.period} " + pd.Series(periods.astype(str), joined.index))
    text = joined[dims].astype(str)
    parts += [f"{dim} '" + text[dim] + "'" for dim in dims]
    label = parts[0]
    for part in parts[1:]:
        label = label + ", " + part
    why[~hit] = f"the {table} table has no rows for " + label[~hit]
    return why
