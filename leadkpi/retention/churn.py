"""Churn and retention per period, the catalogue's way, through the KPI engine.

Churn in a period is the customers lost during it among the customers active at
its start (started before it, not ended before it); customers won during the
period change neither the numerator nor the denominator. The counts are the
engine's ``customers_lost`` and ``customers_at_start`` measures, read back from
the ``churn_rate`` result, so they are never counted twice.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from leadkpi.data import LeadData
from leadkpi.kpis.engine import compute

__all__ = ["churn_table", "CHURN_COLUMNS"]

#: Columns of :func:`churn_table`, after the ``by`` columns.
CHURN_COLUMNS = (
    "customers_at_start",
    "lost",
    "churn_rate",
    "retention_rate",
    "ci_low",
    "ci_high",
    "reason",
)


def churn_table(
    data: LeadData,
    *,
    by: str | Sequence[str] = ("month",),
    start: object = None,
    end: object = None,
) -> pd.DataFrame:
    """Customers at the start of each period, those lost, churn and retention.

    Parameters
    ----------
    data : LeadData
        Needs the ``customers`` table; lead dimensions reach it through
        ``lead_id``.
    by : str or sequence of str
        The engine's grain: at most one period (``month``, ``quarter``, …) and any
        dimensions. Without a period the whole range ``start``–``end`` is one
        period (so without ``start`` nobody is active at its start).
    start, end : str or Period, optional
        First and last period included.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then ``customers_at_start``, ``lost`` (of those,
        ended during the period), ``churn_rate`` (lost / at start),
        ``retention_rate`` (1 − churn rate), ``ci_low``/``ci_high`` (95 % Wilson
        interval of the churn rate; the retention interval is 1 − it) and
        ``reason`` (why a value is NaN, e.g. ``"needs the customers table"``).
        Rates are NaN when no customer was active at the start. Without a
        customers table, as in the engine: one row, NaN values, that reason.

    Examples
    --------
    >>> from leadkpi import load
    >>> table = churn_table(load("leadkpi.yaml"), by="quarter", start="2026-01")
    >>> first = table.iloc[0]
    >>> str(first["quarter"]), int(first["customers_at_start"]), int(first["lost"])
    ('2026Q1', 79, 3)
    """
    keys = [by] if isinstance(by, str) else list(by)
    result = pd.DataFrame(
        compute(data, ["churn_rate", "retention_rate"], by=keys, start=start, end=end)
    )
    churn = result[result["kpi"] == "churn_rate"].reset_index(drop=True)
    kept = result[result["kpi"] == "retention_rate"].reset_index(drop=True)
    table = churn[keys].copy()
    table["customers_at_start"] = churn["denominator"].astype("float64")
    table["lost"] = churn["numerator"].astype("float64")
    table["churn_rate"] = churn["value"].astype("float64")
    table["retention_rate"] = kept["value"].astype("float64")
    table["ci_low"] = churn["ci_low"].astype("float64")
    table["ci_high"] = churn["ci_high"].astype("float64")
    table["reason"] = churn["reason"].astype(object)
    return table[[*keys, *CHURN_COLUMNS]]
