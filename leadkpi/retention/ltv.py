"""LTV by acquisition channel: the catalogue's formula beside the realised value,
and both against CAC.

- **Formula LTV** is the engine's ``ltv`` (average value × purchases per period ×
  expected lifetime), evaluated per month and pooled over the months of the range:
  ``ARPA = sum(recurring revenue at month start) / sum(customers at month start)``,
  ``monthly churn = sum(customers lost) / sum(customers at month start)`` and
  ``LTV = ARPA × 1 month × min(1 / monthly churn, config.ltv_max_months)`` (a
  constant-churn model whose lifetime is capped, default 60 months: 1 / churn
  explodes when churn is rare). ``few_lost`` flags a churn estimate that rests on
  fewer than 30 lost customers. Per-month measures are the engine's, read back from its
  ``ltv`` and ``churn_rate`` results.
- **Empirical LTV** is realised revenue per acquired customer by the end of month
  ``horizon − 1`` of :func:`~leadkpi.retention.cohorts.cohort_ltv`, pooled over the
  cohorts that have lived through that month (**mature cohorts only**):
  ``sum(cohort revenue) / sum(cohort size)``. It ignores revenue after the
  horizon, so it is a floor of the lifetime value.
- **CAC** is the engine's ``cac`` (spend / new customers, cohort mode) over the same
  range and cells; NaN where the spend table does not cover the cell (organic
  channels).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from leadkpi.arguments import parse_bound
from leadkpi.data import LeadData
from leadkpi.exceptions import ArgumentError
from leadkpi.kpis import formulas as f
from leadkpi.kpis.engine import compute
from leadkpi.retention._customers import dims_of
from leadkpi.retention.cohorts import cohort_ltv

__all__ = ["ltv_table", "LTV_TABLE_COLUMNS", "FEW_LOST"]

#: Columns of :func:`ltv_table`, after the ``by`` columns.
LTV_TABLE_COLUMNS = (
    "customers",
    "horizon",
    "mature_customers",
    "ltv_empirical",
    "arpa",
    "monthly_churn",
    "customers_lost",
    "few_lost",
    "ltv_formula",
    "cac",
    "ltv_to_cac_empirical",
    "ltv_to_cac_formula",
)
#: Below this many lost customers the churn estimate (and the formula LTV) is flagged.
FEW_LOST = 30


def _rows(result: pd.DataFrame, kpi: str, dims: list[str]) -> pd.DataFrame:
    rows = pd.DataFrame(result[result["kpi"] == kpi])
    return rows.drop(columns="kpi").set_index(dims) if dims else rows


def _formula(
    data: LeadData, dims: list[str], start: object, end: object
) -> pd.DataFrame:
    """ARPA, churn and the capped formula LTV, pooled over the months."""
    monthly = compute(
        data, ["ltv", "churn_rate"], by=["month", *dims], start=start, end=end
    )
    ltv = _rows(monthly, "ltv", dims)
    churn = _rows(monthly, "churn_rate", dims)
    parts = pd.DataFrame(
        {
            "revenue_at_start": ltv["numerator"].to_numpy(dtype="float64"),
            "at_start": churn["denominator"].to_numpy(dtype="float64"),
            "lost": churn["numerator"].to_numpy(dtype="float64"),
        },
        index=churn.index if dims else None,
    )
    sums = (
        parts.groupby(level=dims).sum(min_count=1) if dims else parts.sum().to_frame().T
    )
    out = pd.DataFrame(index=sums.index)
    out["arpa"] = f.ratio(sums["revenue_at_start"], sums["at_start"])
    out["monthly_churn"] = f.churn_rate(
        customers_at_start=sums["at_start"], customers_lost=sums["lost"]
    )
    out["customers_lost"] = sums["lost"]
    out["ltv_formula"] = f.ltv(
        average_value=out["arpa"],
        purchases_per_period=1.0,
        periods=f.lifetime(
            customers_at_start=sums["at_start"],
            customers_lost=sums["lost"],
            cap=data.config.ltv_max_months,
        ),
    )
    return out


def _empirical(
    data: LeadData,
    dims: list[str],
    start: object,
    end: object,
    horizon: int,
    as_of: object,
) -> pd.DataFrame:
    cells = cohort_ltv(data, by=dims, max_age=horizon - 1, as_of=as_of)
    keep = np.ones(len(cells), dtype=bool)
    first, last = parse_bound("start", start), parse_bound("end", end)
    if first is not None:
        keep &= (cells["cohort"] >= first.asfreq("M", how="start")).to_numpy()
    if last is not None:
        keep &= (cells["cohort"] <= last.asfreq("M", how="end")).to_numpy()
    cells = cells[keep]
    first = cells[cells["age"] == 0]
    last = cells[(cells["age"] == horizon - 1) & cells["mature"]]
    group = dims if dims else (lambda _: 0)
    out = pd.DataFrame(
        {
            "customers": first.groupby(group)["size"].sum(),
            "mature_customers": last.groupby(group)["size"].sum(),
            "revenue": last.groupby(group)["revenue"].sum(),
        }
    )
    out["ltv_empirical"] = f.ratio(out["revenue"], out["mature_customers"])
    return out.drop(columns="revenue")


def ltv_table(
    data: LeadData,
    *,
    by: str | Sequence[str] = ("channel",),
    start: object = None,
    end: object = None,
    horizon: int = 12,
    as_of: object = None,
) -> pd.DataFrame:
    """Formula and empirical LTV, CAC and LTV:CAC per acquisition channel.

    See the module notes for each definition.

    Parameters
    ----------
    data : LeadData
        Needs the ``customers`` table (and ``spend`` and leads for CAC).
    by : str or sequence of str
        Dimensions (any leads column; customers reach it through ``lead_id``).
    start, end : str or Period, optional
        First and last month: of the pooled months for the formula and CAC, of
        the start-month cohorts for the empirical LTV.
    horizon : int
        Months of realised revenue in the empirical LTV (12 = the first year).
    as_of : str or Timestamp, optional
        As in :func:`~leadkpi.retention.cohorts.retention_matrix`.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then ``customers`` (started in the range), the
        realised value first: ``horizon``, ``mature_customers`` (customers of the
        cohorts behind the empirical LTV), ``ltv_empirical``; then the formula's
        inputs and value: ``arpa`` (monthly recurring revenue per customer active
        at a month start), ``monthly_churn``, ``customers_lost`` (the lost
        customers the churn rests on), ``few_lost`` (fewer than :data:`FEW_LOST`:
        the churn estimate, and so the formula LTV, is fragile), ``ltv_formula``
        (lifetime capped at ``config.ltv_max_months``); then ``cac``,
        ``ltv_to_cac_empirical`` and ``ltv_to_cac_formula``. One row per cell with
        customers.

    Examples
    --------
    >>> from leadkpi import load
    >>> table = ltv_table(load("leadkpi.yaml")).set_index("channel")
    >>> churn = table["monthly_churn"]
    >>> bool(churn["paid_social"] > 2.5 * churn.drop("paid_social").max())
    True
    """
    if not isinstance(horizon, (int, np.integer)) or horizon < 1:
        raise ArgumentError(f"horizon must be an integer >= 1, not {horizon!r}")
    dims = dims_of(by, "ltv_table")
    empirical = _empirical(data, dims, start, end, int(horizon), as_of)
    formula = _formula(data, dims, start, end)
    cac = _rows(compute(data, ["cac"], by=dims, start=start, end=end), "cac", dims)
    table = empirical.join(formula, how="left")
    if dims:
        table = table.join(cac["value"].rename("cac"), how="left")
    else:
        table["cac"] = float(cac["value"].iloc[0]) if len(cac) else np.nan
    table["horizon"] = int(horizon)
    table["ltv_to_cac_formula"] = f.ltv_to_cac(
        ltv=table["ltv_formula"], cac=table["cac"]
    )
    table["ltv_to_cac_empirical"] = f.ltv_to_cac(
        ltv=table["ltv_empirical"], cac=table["cac"]
    )
    table = table.reset_index(drop=not dims)
    counts = ("customers", "mature_customers", "customers_lost")
    for column in counts:
        table[column] = table[column].fillna(0).astype("int64")
    table["few_lost"] = table["customers_lost"] < FEW_LOST
    for column in LTV_TABLE_COLUMNS:
        if column not in (*counts, "horizon", "few_lost"):
            table[column] = table[column].astype("float64")
    return table[[*dims, *LTV_TABLE_COLUMNS]]
