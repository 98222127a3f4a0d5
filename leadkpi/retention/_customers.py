"""The customers table cut into start months and months active, for cohort tables.

Customers reach lead dimensions (``channel``, ``owner``, …) through ``lead_id``
exactly as in the KPI engine (:meth:`leadkpi.kpis.grain.Grain.dim_codes`): a
customer whose lead is unknown is in ``"(not set)"``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leadkpi.arguments import unknown
from leadkpi.data import LeadData
from leadkpi.exceptions import ArgumentError, LeadKPIError, LeadKPIWarning
from leadkpi.funnel.stages import resolve_as_of
from leadkpi.kpis.grain import Grain
from leadkpi.periods import GRAINS

__all__ = ["Customers", "customers", "dims_of"]

_TABLE = "customers"
_NAT = np.iinfo("int64").min


@dataclass(frozen=True)
class Customers:
    """One row per usable customer, as arrays.

    Attributes
    ----------
    codes : ndarray
        Code of the customer's combination of dimensions (index of ``labels``).
    labels : DataFrame
        One row per code, one column per dimension.
    start : ndarray
        Ordinal of the start month (pandas monthly Period ordinal).
    active : ndarray
        Months at whose end the customer was still active: ``end month − start
        month``; a large number for customers still active.
    revenue : ndarray
        Monthly recurring revenue (missing counts as 0).
    last_month : int
        Ordinal of the last month that has ended by ``as_of``.
    as_of_month : int
        Ordinal of the month that holds ``as_of``.
    """

    codes: np.ndarray
    labels: pd.DataFrame
    start: np.ndarray
    active: np.ndarray
    revenue: np.ndarray
    last_month: int
    as_of_month: int


def dims_of(by: str | Sequence[str], function: str) -> list[str]:
    """The dimension columns of ``by``; a period grain is refused (cohorts are
    start months already)."""
    dims = [by] if isinstance(by, str) else list(by)
    periods = [d for d in dims if d in GRAINS]
    if periods:
        raise ArgumentError(
            f"{function}: by= takes dimensions only (cohorts are start months); "
            f"found the period grain(s) {periods}"
        )
    return dims


def customers(
    data: LeadData, dims: list[str], as_of: object, function: str
) -> Customers:
    """Customers cut by ``dims``, with start months and months active.

    Raises
    ------
    LeadKPIError
        When the project has no customers table, or ``dims`` reach it neither
        directly nor through the leads.
    """
    reach = [t for t in (data.customers, data.leads) if t is not None]
    known = list(dict.fromkeys(c for t in reach for c in t.columns))
    for dim in dims if data.customers is not None else ():
        if dim not in known:
            what = "a column of the customers or leads table"
            raise unknown("by", dim, known, what=what)
    grain = Grain(data, None, dims, "cohort", "lead", None, None)
    frame = grain.table(_TABLE)
    if isinstance(frame, str):
        raise LeadKPIError(f"{function} {frame}")
    absent = [c for c in ("started_at", "ended_at") if c not in frame.columns]
    if absent:
        raise LeadKPIError(
            f"{function} needs the customers table's {', '.join(absent)} column(s); "
            f"found {', '.join(map(str, frame.columns))}"
        )
    codes, labels = grain.dim_codes(_TABLE, frame)
    started = grain.local(_TABLE, frame, "started_at")
    ended = grain.local(_TABLE, frame, "ended_at")
    # the same "as of" rule as the funnel analyses, as local wall-clock time
    timezone = data.config.timezone
    when = resolve_as_of(as_of, [(frame, ("started_at", "ended_at"))], timezone)
    stamp = when.tz_convert(timezone).tz_localize(None)
    as_of_month = pd.Period(stamp, freq="M").ordinal
    start = np.asarray(started.dt.to_period("M").array.asi8)
    end = np.asarray(ended.dt.to_period("M").array.asi8)
    unset = start == _NAT
    backwards = (end != _NAT) & ~unset & (end < start)
    _warn(function, int(unset.sum()), int(backwards.sum()))
    open_ = end == _NAT
    active = np.where(open_, np.iinfo("int32").max, end - start)
    active = np.maximum(active, 0)  # an end before the start: never active
    keep = ~unset & (start <= as_of_month)
    revenue = (
        frame["recurring_revenue"].to_numpy(dtype="float64", na_value=np.nan)
        if "recurring_revenue" in frame.columns
        else np.zeros(len(frame))
    )
    return Customers(
        codes=codes[keep],
        labels=labels,
        start=start[keep],
        active=active[keep],
        revenue=np.nan_to_num(revenue[keep]),
        last_month=as_of_month - 1,
        as_of_month=as_of_month,
    )


def _warn(function: str, unset: int, backwards: int) -> None:
    if unset:
        warnings.warn(
            f"{function}: {unset} customer(s) without started_at are left out",
            LeadKPIWarning,
            stacklevel=4,
        )
    if backwards:
        warnings.warn(
            f"{function}: {backwards} customer(s) with ended_at before started_at "
            "count as ended in their start month",
            LeadKPIWarning,
            stacklevel=4,
        )
