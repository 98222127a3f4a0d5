"""Why deals are lost, and how many leads are lost at each funnel stage.

:func:`lost_reasons` counts lost deals by the reason the CRM recorded (HubSpot's
"Closed Lost Reason", Salesforce's "Loss Reason", Pipedrive's "Lost reason": the
``lost_reason`` column), cut by any lead or deal column, the period of the loss, or
the funnel stage the lead had reached when it was lost. :func:`lost_by_stage` sets
the leads lost at each stage against the leads that reached it, counted by the
engine with the funnel's own rules, so its ``reached`` is :func:`leadkpi.funnel`'s
``count``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from leadkpi.arguments import unknown
from leadkpi.data import LeadData, MissingTableError
from leadkpi.funnel.remote import in_memory
from leadkpi.funnel.stages import NAT, reached
from leadkpi.funnel.table import funnel
from leadkpi.kpis.definitions import KPI, MEASURES, Measure
from leadkpi.kpis.engine import compute
from leadkpi.kpis.grain import NOT_SET, selected_range
from leadkpi.periods import GRAINS, period_freq

__all__ = [
    "lost_reasons",
    "lost_by_stage",
    "has_lost_reasons",
    "LOST_COLUMNS",
    "LOST_STAGE_COLUMNS",
]

#: Columns of :func:`lost_reasons` after the grain columns.
LOST_COLUMNS = ("reason", "lost", "share")
#: Columns of :func:`lost_by_stage` after the grain columns.
LOST_STAGE_COLUMNS = ("stage", "reached", "lost", "lost_share", "mode")


def has_lost_reasons(data: LeadData) -> bool:
    """Whether the deals (or leads) carry ``lost_at`` and ``lost_reason``.

    >>> from leadkpi import load
    >>> has_lost_reasons(load("leadkpi.yaml"))
    True
    """
    in_memory(data, "has_lost_reasons")
    try:
        _lost_rows(data)
    except MissingTableError:
        return False
    return True


def _lost_rows(data: LeadData) -> tuple[pd.DataFrame, str]:
    """The lost rows that carry reasons (deals, else leads) and their table name."""
    for name in ("deals", "leads"):
        frame = getattr(data, name)
        if frame is not None and {"lost_reason", "lost_at"} <= set(frame.columns):
            return frame[frame["lost_at"].notna()], name
    found = {
        name: sorted(getattr(data, name).columns)
        for name in ("deals", "leads")
        if getattr(data, name) is not None
    }
    raise MissingTableError(
        "lost reasons need lost_at and lost_reason columns in the deals (or leads) "
        f"table; found: {found or 'no deals or leads table'}"
    )


def _lost_stage(data: LeadData, leads_rows: np.ndarray, lost: pd.Series) -> np.ndarray:
    """The last funnel stage each row's lead had reached when it was lost."""
    leads = data.leads
    stages = [(s, c) for s, c in data.config.stages if c in leads.columns]
    sd = reached(
        leads,
        stages,
        cumulative=data.config.cumulative_stages,
        as_of=pd.Timestamp.max.tz_localize("UTC"),
    )
    known = leads_rows >= 0
    dates = sd.dates[np.maximum(leads_rows, 0)]
    when = lost.dt.tz_convert("UTC").to_numpy("datetime64[ns]").astype("int64")
    before = (dates != NAT) & (dates <= when[:, None]) & known[:, None]
    last = before.shape[1] - 1 - np.argmax(before[:, ::-1], axis=1)
    names = np.asarray([s for s, _ in stages], dtype=object)
    return np.where(before.any(axis=1), names[last], NOT_SET)


def _lost_from_deals(data: LeadData) -> pd.Series:
    """Each lead's loss date from its deals: the last ``lost_at`` when every one of
    its deals was lost (NaT otherwise)."""
    deals = data.deals
    if deals is None or not {"lead_id", "lost_at"} <= set(deals.columns):
        raise MissingTableError(
            "leads lost at each stage need a lost_at column in the leads table "
            "(or deals with lead_id and lost_at)"
        )
    by_lead = deals.groupby("lead_id", sort=False)["lost_at"]
    last = by_lead.max().where(by_lead.count() == by_lead.size())
    position = last.index.get_indexer(data.leads["lead_id"])
    taken = last.array.take(np.where(position >= 0, position, 0))
    found = pd.Series(position >= 0, index=data.leads.index)
    return pd.Series(taken, index=data.leads.index).where(found)


def lost_reasons(
    data: LeadData,
    by: Sequence[str] = ("channel",),
    *,
    start: object = None,
    end: object = None,
) -> pd.DataFrame:
    """Lost deals by the reason recorded, in each cell of ``by``.

    Parameters
    ----------
    data : LeadData
        Lost rows come from ``deals`` (``lost_at`` set) when it has a
        ``lost_reason`` column, else from ``leads``.
    by : sequence of str
        Any of: a period grain (``month``, ``quarter``…) of the loss date; ``stage``,
        the funnel stage the lead had last reached when it was lost (from the
        leads' stage dates, cumulative as the funnel counts); a column of the lost
        rows (a deal's ``owner``); or a leads column reached through ``lead_id``
        (``channel``, ``campaign``). ``()`` for one breakdown.
    start, end : str or Period, optional
        First and last period of the loss date included.

    Returns
    -------
    pandas.DataFrame
        Tidy: the grain columns, then ``reason`` (``(not set)`` when the CRM has
        none), ``lost`` (rows lost for it) and ``share`` (of the cell's lost rows);
        rows sorted by the grain, then the most frequent reason first.

    Raises
    ------
    MissingTableError
        When neither deals nor leads carry ``lost_at`` and ``lost_reason``.
    ArgumentError
        When a ``by`` entry names no column of the lost rows or the leads.

    Examples
    --------
    >>> from leadkpi import load
    >>> table = lost_reasons(load("leadkpi.yaml"), by=())
    >>> list(table.columns), round(float(table["share"].sum()), 6)
    (['reason', 'lost', 'share'], 1.0)
    """
    in_memory(data, "lost_reasons")
    by = [by] if isinstance(by, str) else list(by)
    rows, name = _lost_rows(data)
    lo, hi = selected_range(start, end)
    tz = data.config.timezone
    lost_at = rows["lost_at"]
    local = lost_at.dt.tz_convert(tz).dt.tz_localize(None)
    keep = np.ones(len(rows), dtype=bool)
    if lo is not None:
        keep &= (local >= lo).to_numpy(dtype=bool)
    if hi is not None:
        keep &= (local <= hi).to_numpy(dtype=bool)
    rows, local, lost_at = rows[keep], local[keep], lost_at[keep]
    leads = data.leads
    if name == "leads":
        lead_rows = leads.index.get_indexer(rows.index)
    elif leads is not None and "lead_id" in rows.columns:
        lead_rows = pd.Index(leads["lead_id"]).get_indexer(rows["lead_id"])
    else:
        lead_rows = np.full(len(rows), -1)
    cells: dict[str, np.ndarray] = {}
    for dim in by:
        if dim in GRAINS:
            freq = period_freq(dim, data.config.fiscal_year_start)
            cells[dim] = local.dt.to_period(freq).to_numpy()
        elif dim == "stage" and leads is not None:
            cells[dim] = _lost_stage(data, lead_rows, lost_at)
        elif dim in rows.columns:
            cells[dim] = rows[dim].to_numpy(dtype=object)
        elif leads is not None and dim in leads.columns:
            values = leads[dim].to_numpy(dtype=object)
            cells[dim] = np.where(
                lead_rows >= 0, values[np.maximum(lead_rows, 0)], None
            )
        else:
            columns = sorted({*rows.columns, *([] if leads is None else leads)})
            raise unknown("by", dim, [*GRAINS, "stage", *columns], what="a column")
    frame = pd.DataFrame(
        {dim: pd.Series(values).fillna(NOT_SET) for dim, values in cells.items()}
    )
    reason = rows["lost_reason"].astype("str").str.strip().reset_index(drop=True)
    frame["reason"] = reason.where(reason.notna() & (reason != ""), NOT_SET)
    counts = frame.groupby([*by, "reason"], sort=False).size().rename("lost")
    out = counts.reset_index()
    if by:
        total = out.groupby(by, sort=False)["lost"].transform("sum")
    else:
        total = out["lost"].sum()
    out["share"] = out["lost"] / total
    out["lost"] = out["lost"].astype("int64")
    order = [*by, "lost", "reason"]
    ascending = [True] * len(by) + [False, True]
    return out.sort_values(order, ascending=ascending, kind="stable").reset_index(
        drop=True
    )[[*by, *LOST_COLUMNS]]


def lost_by_stage(
    data: LeadData,
    *,
    by: Sequence[str] = (),
    mode: str = "cohort",
    start: object = None,
    end: object = None,
) -> pd.DataFrame:
    """The share of leads lost at each funnel stage.

    A lead is lost at the last stage it had reached (cumulative stages, as the
    funnel counts) by its ``lost_at``. In cohort mode, of the leads created in the
    period that reached a stage, the share lost at it; in period mode, the losses
    dated in the period over the stage entries dated in it (a ratio of flows, which
    may exceed 1 when a stage empties).

    Parameters
    ----------
    data : LeadData
        Needs ``leads`` with ``lost_at``, or deals with ``lead_id`` and
        ``lost_at`` (a lead is then lost when all its deals are, on the last).
    by, mode, start, end
        As for :func:`leadkpi.funnel`.

    Returns
    -------
    pandas.DataFrame
        The grain columns, then ``stage, reached`` (the funnel's count), ``lost``,
        ``lost_share`` (lost / reached, NaN when none reached) and ``mode``.

    Examples
    --------
    >>> from leadkpi import load
    >>> table = lost_by_stage(load("leadkpi.yaml"), start="2026-01", end="2026-06")
    >>> bool(table.set_index("stage").loc["opportunity", "lost_share"] > 0)
    True
    """
    in_memory(data, "lost_by_stage")
    leads = data.require("leads", "leads lost at each stage")
    stages = [(s, c) for s, c in data.config.stages if c in leads.columns]
    lost_at = leads["lost_at"] if "lost_at" in leads else _lost_from_deals(data)
    rows = np.arange(len(leads))
    stage_of = pd.Series(_lost_stage(data, rows, lost_at), index=leads.index)
    stage_of = stage_of.where(lost_at.notna())
    columns, measures, kpis = {}, {}, []
    for stage, _ in stages:
        name = f"__lost__{stage}"
        columns[name] = lost_at.where(stage_of == stage)
        measures[name] = Measure(name, "leads", name, cohort_column="created_at")
        kpis.append(
            KPI(
                name,
                {"en": name},
                {"en": name},
                name,
                "count",
                "lower",
                (name,),
                lambda _m=name, **m: m[_m],
                numerator=name,
            )  # fmt: skip
        )
    view = data.with_tables(leads=leads.assign(**columns))
    counted = compute(
        view,
        kpis,
        by=by,
        mode=mode,
        start=start,
        end=end,
        measures={**MEASURES, **measures},
    )
    counted = pd.DataFrame(counted)
    keys = list(counted.columns[: counted.columns.get_loc("kpi")])
    counted["stage"] = counted["kpi"].str.removeprefix("__lost__")
    lost = counted[[*keys, "stage", "value"]].rename(columns={"value": "lost"})
    stages_table = funnel(data, stages=stages, by=by, mode=mode, start=start, end=end)
    merged = stages_table[[*keys, "stage", "count"]].merge(
        lost, on=[*keys, "stage"], how="left"
    )
    merged = merged.rename(columns={"count": "reached"})
    merged["lost"] = merged["lost"].fillna(0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        merged["lost_share"] = np.where(
            merged["reached"] > 0, merged["lost"] / merged["reached"], np.nan
        )
    merged["mode"] = mode
    return merged[[*keys, *LOST_STAGE_COLUMNS]]
