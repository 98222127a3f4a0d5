"""Funnel stage counts and stage-to-stage conversion, through the KPI engine.

The stage dates are settled once by :func:`leadkpi.funnel.stages.reached`
(cumulative stages, window, dates in the future); the engine then counts a view of
the leads whose stage columns hold those effective dates, together with one dated
column per flagged case (skipped, before creation, in the future), so that every
count and flag is cut by exactly the same grain.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from leadkpi.arguments import unknown
from leadkpi.data import LeadData, MissingTableError
from leadkpi.exceptions import ArgumentError
from leadkpi.funnel.remote import (
    any_set,
    is_remote,
    literal_at,
    remote_as_of,
    remote_reached,
)
from leadkpi.funnel.stages import NAT, StageDates, reached, resolve_as_of
from leadkpi.kpis.definitions import KPI, MEASURES, Measure
from leadkpi.kpis.engine import compute
from leadkpi.stage_labels import misordered

if TYPE_CHECKING:
    from leadkpi.warehouse import RemoteData

__all__ = ["funnel", "FUNNEL_COLUMNS", "SESSION_STAGE", "parse_window"]

#: Columns after the grain columns, in order.
FUNNEL_COLUMNS = (
    "stage",
    "count",
    "from_previous",
    "from_first",
    "drop_off",
    "skipped",
    "before_created",
    "future",
    "mature",
    "mode",
    "reason",
)
#: The stage above the leads: web sessions, counted by the engine's measure (a sum of
#: daily users is not a count of visitors).
SESSION_STAGE = ("session", "sessions")
_FLAGS = ("skipped", "before_created", "future")
_YOUNG = "__young"


def parse_window(window: object) -> pd.Timedelta | None:
    """``window`` in days (int or float) or a Timedelta, as a Timedelta."""
    if window is None:
        return None
    if isinstance(window, bool) or not isinstance(
        window, (int, float, np.integer, np.floating, pd.Timedelta)
    ):
        raise ArgumentError(
            f"window must be a number of days or a Timedelta, not {window!r}"
        )
    span = window if isinstance(window, pd.Timedelta) else pd.Timedelta(days=window)
    if pd.isna(span) or span < pd.Timedelta(0):
        raise ArgumentError(f"window must be zero or more days, not {window!r}")
    return span


def _kpi(kpi_id: str, measure: str) -> KPI:
    return KPI(
        kpi_id,
        {},
        {},
        measure,
        "count",
        "higher",
        (measure,),
        lambda _m=measure, **m: m[_m],
        numerator=measure,
    )


def _as_times(ns: np.ndarray, tz: object) -> pd.Series:
    """int64 UTC ns (NaT as its int64 value) → timestamps in ``tz``, without parsing."""
    times = pd.Series(np.asarray(ns, dtype="int64").view("datetime64[ns]"))
    times = times.dt.tz_localize("UTC")
    return times.dt.tz_convert(tz) if tz is not None else times


def _view(
    leads: pd.DataFrame, sd: StageDates, young: np.ndarray | None
) -> tuple[pd.DataFrame, dict[str, Measure]]:
    """Leads whose stage columns hold the counted dates, plus one dated column per
    flag; and the measures that count them."""
    tz = getattr(leads["created_at"].dtype, "tz", None)
    columns: dict[str, pd.Series] = {}
    measures: dict[str, Measure] = {}
    for j, (stage, column) in enumerate(zip(sd.stages, sd.columns, strict=True)):
        if stage in sd.reasons:
            continue
        counted = np.where(sd.reached[:, j], sd.dates[:, j], NAT)
        columns[column] = _as_times(counted, tz)
        cohort = None if column == "created_at" else "created_at"
        measures[f"stage:{stage}"] = Measure(
            f"stage:{stage}", "leads", column, cohort_column=cohort
        )
        flags = {
            "skipped": np.where(sd.skipped[:, j] & ~sd.late[:, j], sd.later[:, j], NAT),
            "before_created": np.where(
                sd.before_created[:, j] & sd.reached[:, j], sd.dates[:, j], NAT
            ),
            "future": np.where(sd.future[:, j], sd.raw[:, j], NAT),
        }
        for flag, ns in flags.items():
            if not (ns != NAT).any():  # nothing flagged: counted as 0, no column
                continue
            name = f"__{flag}__{stage}"
            columns[name] = _as_times(ns, tz)
            measures[name] = Measure(name, "leads", name, cohort_column="created_at")
    if young is not None:
        columns[_YOUNG] = _as_times(np.where(young, sd.created, NAT), tz)
        measures[_YOUNG] = Measure(_YOUNG, "leads", _YOUNG, cohort_column="created_at")
    view = leads.assign(**{c: s.set_axis(leads.index) for c, s in columns.items()})
    return view, measures


def _remote_view(
    data: RemoteData,
    stages: list[tuple[str, str]],
    cumulative: bool,
    as_of: object,
    columns: list[str],
    span: pd.Timedelta | None,
    mode: str,
) -> tuple[RemoteData, dict[str, Measure], dict[str, str]]:
    """:func:`_view` on a backend: the leads with their counted stage dates and
    one dated column per flag, as an Ibis view; the measures that count them; and
    the stages that cannot be counted. A flag column is added only where some lead
    is flagged, as in memory (one query tells which)."""
    import ibis

    from leadkpi.warehouse import RemoteData

    leads = data.leads
    when = remote_as_of(data, as_of, leads, columns)
    rs = remote_reached(
        data,
        leads,
        stages,
        cumulative=cumulative,
        as_of=when,
        window=span if mode == "cohort" else None,
    )
    counted: dict[str, object] = {}
    flags: dict[str, object] = {}
    measures: dict[str, Measure] = {}
    for stage, column in stages:
        if stage in rs.reasons:
            continue
        counted[column] = rs.counted(stage)
        cohort = None if column == "created_at" else "created_at"
        measures[f"stage:{stage}"] = Measure(
            f"stage:{stage}", "leads", column, cohort_column=cohort
        )
        date, later, raw = rs.dates[stage], rs.later[stage], rs.raw[stage]
        for flag, (mask, value) in {
            "skipped": (rs.skipped[stage] & ~rs.late[stage], later),
            "before_created": (rs.before_created[stage] & rs.reached[stage], date),
            "future": (rs.future[stage], raw),
        }.items():
            flags[f"__{flag}__{stage}"] = ibis.ifelse(
                mask, value, ibis.null(value.type())
            )
    present = any_set(data, leads, flags)
    flags = {name: value for name, value in flags.items() if present[name]}
    if span is not None:
        created = rs.created
        young = created > literal_at(data, created, when - span)
        flags[_YOUNG] = ibis.ifelse(young, created, ibis.null(created.type()))
    for name in flags:
        measures[name] = Measure(name, "leads", name, cohort_column="created_at")
    view = leads.mutate(**counted, **flags)
    tables = {**data.tables, "leads": view}
    remote = RemoteData(data.backend, data.config, data.source, tables)
    return remote, measures, rs.reasons


def funnel(
    data: LeadData | RemoteData,
    *,
    stages: Sequence[tuple[str, str]] | None = None,
    by: Sequence[str] = (),
    mode: str = "cohort",
    window: float | pd.Timedelta | None = None,
    cumulative: bool | None = None,
    start: object = None,
    end: object = None,
    as_of: object = None,
) -> pd.DataFrame:
    """Count leads at each funnel stage and the conversion between stages.

    Parameters
    ----------
    data : LeadData or RemoteData
        Needs the ``leads`` table; the ``web`` table for the session stage. On a
        backend (:func:`leadkpi.warehouse.connect`) the stage dates are settled
        by the same rule as Ibis expressions and the counts run there
        (:func:`leadkpi.kpis.compute`); only the counts come back.
    stages : sequence of (stage, column), optional
        Stages in order, each with the leads column that dates it, or with a
        catalogue measure id (``("session", "sessions")``) that counts it.
        Default: session → lead → MQL → SQL → opportunity → customer, i.e. the
        configured ``config.stages`` with :data:`SESSION_STAGE` on top when the web
        table is present.
    by : sequence of str
        Grain, as for :func:`leadkpi.compute` (e.g. ``("month",)`` or
        ``("channel",)``); default one funnel over the selected range.
    mode : {"cohort", "period"}
        ``cohort``: what the leads created in the range went on to reach;
        ``period``: stage events dated in the range.
    window : float or Timedelta, optional
        Cohort mode only: a stage counts only when reached within this many days of
        the lead's creation, so that a recent cohort is not compared unfairly with
        an old one.
    cumulative : bool, optional
        Whether reaching a stage implies the earlier ones; default
        ``config.cumulative_stages`` (True). Then a lead with an SQL date but no MQL
        date counts as an MQL, dated by its SQL date (and is counted in
        ``skipped``); otherwise it does not count as an MQL.
    start, end : str or Period, optional
        First and last period included.
    as_of : Timestamp or str, optional
        Stage dates after it are in the future: not counted, counted in ``future``.
        Default: the latest stage or creation date that is not after the current
        time.

    Returns
    -------
    pandas.DataFrame
        The grain columns, then :data:`FUNNEL_COLUMNS`: ``stage, count,
        from_previous`` (conversion from the stage before, NaN for the first),
        ``from_first`` (from the first stage of the funnel in the same cell),
        ``drop_off`` (count lost since the stage before), ``skipped`` (leads that
        have no date of their own for the stage but a later stage dated: counted
        only via that later stage, under cumulative stages), ``before_created``
        (counted, dated before the lead was created), ``future`` (dated after
        ``as_of``: not counted), ``mature`` (with a window: whether every lead of
        the cell had the full window by ``as_of``; the counts of an immature cell are
        still shown; NA without a window), ``mode`` and ``reason`` (why a stage
        could not be counted: its column is missing, no web table, a dimension the
        web table lacks). A stage that cannot be counted has a NaN count, and so do
        conversions against it.

    Raises
    ------
    ValueError
        For a window in period mode, a bad window or an unknown mode.

    Examples
    --------
    >>> from leadkpi import load
    >>> data = load("leadkpi.yaml")
    >>> table = funnel(data, start="2026-01", end="2026-03")
    >>> list(table["stage"])
    ['session', 'lead', 'mql', 'sql', 'opportunity', 'customer']
    >>> row = table.set_index("stage").loc["sql"]
    >>> bool(row["count"] <= table.set_index("stage").loc["mql", "count"])
    True
    >>> by_month = funnel(data, by=("month",), window=90, start="2026-06")
    >>> by_month.groupby("month")["mature"].first().tail(2).tolist()
    [False, False]
    """
    if mode not in ("cohort", "period"):
        raise unknown("mode", mode, ("cohort", "period"), what="a counting mode")
    span = parse_window(window)
    if span is not None and mode == "period":
        raise ArgumentError(
            "window= applies to cohort mode only (a stage reached within N days of "
            f"creation); got window={window!r} with mode='period'"
        )
    remote = is_remote(data)
    leads = data.leads if remote else data.require("leads", "the funnel")
    if leads is None:
        raise MissingTableError("the funnel needs the leads table")
    if stages is None:
        stages = list(data.config.stages)
        if data.web is not None:
            stages.insert(0, SESSION_STAGE)
    stages = list(stages)
    wrong = misordered([stage for stage, _ in stages])
    if wrong:
        raise ArgumentError(
            f"stages: {wrong[0]!r} is listed before {wrong[1]!r}; give the funnel's "
            "stages in the order a lead reaches them"
        )
    lead_stages = [(s, c) for s, c in stages if c in leads.columns or c not in MEASURES]
    if cumulative is None:
        cumulative = data.config.cumulative_stages
    columns = ["created_at", *(c for _, c in lead_stages)]
    if remote:
        data, measures, reasons = _remote_view(
            data, lead_stages, cumulative, as_of, columns, span, mode
        )
    else:
        when = resolve_as_of(as_of, [(leads, columns)], data.config.timezone)
        sd = reached(
            leads,
            lead_stages,
            cumulative=cumulative,
            as_of=when,
            window=span if mode == "cohort" else None,
        )
        young = None
        if span is not None:
            young = sd.created + span.value > when.value
        view, measures = _view(leads, sd, young)
        data, reasons = data.with_tables(leads=view), sd.reasons
    kpis = []
    for stage, column in stages:
        if (stage, column) in lead_stages:
            kpis.append(_kpi(stage, f"stage:{stage}"))
            if stage in reasons:  # column missing: the engine gives the reason
                measures[f"stage:{stage}"] = Measure(
                    f"stage:{stage}", "leads", column, cohort_column="created_at"
                )
        else:
            kpis.append(_kpi(stage, column))
    flag_ids = [m for m in measures if m.startswith("__")]
    kpis += [_kpi(m, m) for m in flag_ids]
    result = compute(
        data,
        kpis,
        by=by,
        mode=mode,
        start=start,
        end=end,
        measures={**MEASURES, **measures},
    )
    return _shape(result, stages, flag_ids, mode, span is not None)


def _shape(
    result: pd.DataFrame,
    stages: list[tuple[str, str]],
    flag_ids: list[str],
    mode: str,
    windowed: bool,
) -> pd.DataFrame:
    """Engine rows (cell × KPI) → one row per cell and stage."""
    result = pd.DataFrame(result)
    keys = list(result.columns[: result.columns.get_loc("kpi")])
    n_kpis = len(stages) + len(flag_ids)
    cells = len(result) // n_kpis
    values = result["value"].to_numpy(dtype="float64").reshape(cells, n_kpis)
    reasons = result["reason"].to_numpy(dtype=object).reshape(cells, n_kpis)
    n_stages = len(stages)
    counts = values[:, :n_stages]
    previous = np.full_like(counts, np.nan)
    previous[:, 1:] = counts[:, :-1]
    first = counts[:, :1]
    with np.errstate(divide="ignore", invalid="ignore"):
        from_previous = np.where(previous > 0, counts / previous, np.nan)
        from_first = np.where(first > 0, counts / first, np.nan)
    flags = {}
    for flag in _FLAGS:
        out = np.zeros((cells, n_stages), dtype="int64")
        for j, (stage, _) in enumerate(stages):
            name = f"__{flag}__{stage}"
            if name in flag_ids:
                got = values[:, n_stages + flag_ids.index(name)]
                out[:, j] = np.nan_to_num(got).astype("int64")
        flags[flag] = out.ravel()
    if windowed and _YOUNG in flag_ids:
        young = np.nan_to_num(values[:, n_stages + flag_ids.index(_YOUNG)])
        mature = pd.array(np.repeat(young == 0, n_stages), dtype="boolean")
    else:
        mature = pd.array([pd.NA] * (cells * n_stages), dtype="boolean")
    rows = np.repeat(np.arange(cells) * n_kpis, n_stages)
    table = result[keys].iloc[rows].reset_index(drop=True)
    stage_reasons = reasons[:, :n_stages].ravel()
    body = pd.DataFrame(
        {
            "stage": pd.Series(
                np.tile([s for s, _ in stages], cells).astype(object), dtype=object
            ),
            "count": counts.ravel(),
            "from_previous": from_previous.ravel(),
            "from_first": from_first.ravel(),
            "drop_off": (previous - counts).ravel(),
            **flags,
            "mature": mature,
            "mode": mode,
            "reason": pd.Series(
                np.where(pd.isna(stage_reasons), None, stage_reasons), dtype=object
            ),
        }
    )
    return pd.concat([table, body], axis=1)[[*keys, *FUNNEL_COLUMNS]]
