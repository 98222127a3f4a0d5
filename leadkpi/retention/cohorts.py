"""Customer cohorts by start month: the retention matrix, cohort LTV and the pooled
retention curve.

Counting rule shared by every table here: a customer **is active at the end of a
month** when it started on or before that month and has no ``ended_at`` in or
before it (an ``ended_at`` at 00:00 on the 1st belongs to the new month, in the
project timezone). Month ``age`` of a cohort is the month ``cohort + age``; age 0
is the start month. So a customer who started on 15 January and ended on 10 March
is active at the end of January (age 0) and February (age 1), not of March; one
who started and ended in January is never counted active. This is the engine's
churn reading: the customers active at the end of a month are exactly those
``customers_at_start`` of the next month.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from leadkpi.data import LeadData
from leadkpi.exceptions import ArgumentError
from leadkpi.kpis.formulas import ratio
from leadkpi.retention._customers import Customers, customers, dims_of

__all__ = [
    "retention_matrix",
    "cohort_ltv",
    "retention_curve",
    "COHORT_COLUMNS",
    "LTV_COLUMNS",
    "CURVE_COLUMNS",
]

#: Columns of :func:`retention_matrix`, after the ``by`` columns.
COHORT_COLUMNS = ("cohort", "age", "size", "count", "value", "mature")
#: Columns of :func:`cohort_ltv`, after the ``by`` columns.
LTV_COLUMNS = (*COHORT_COLUMNS, "revenue")
#: Columns of :func:`retention_curve`, after the ``by`` columns.
CURVE_COLUMNS = ("age", "cohorts", "size", "count", "value")
_METHODS = ("pooled", "chained")


def _cells(
    found: Customers, dims: list[str], max_age: int | None
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The cohort × age cells: keys frame, active counts and active revenue."""
    if max_age is not None and (
        not isinstance(max_age, (int, np.integer)) or max_age < 0
    ):
        raise ArgumentError(f"max_age must be an integer >= 0, not {max_age!r}")
    max_age = None if max_age is None else int(max_age)
    if not len(found.start):
        return _empty(found.labels.iloc[0:0], dims), np.zeros(0), np.zeros(0)
    first = int(found.start.min())
    ages = (found.as_of_month - first + 1) if max_age is None else max_age + 1
    pairs = pd.MultiIndex.from_arrays([found.codes, found.start])
    group, keys = pd.factorize(pairs, sort=True)
    n = len(keys)
    bins = np.minimum(found.active, ages)  # active at the end of ages < bins
    flat = group * (ages + 1) + bins
    hist = np.bincount(flat, minlength=n * (ages + 1)).reshape(n, ages + 1)
    money = np.bincount(flat, found.revenue, minlength=n * (ages + 1))
    money = money.reshape(n, ages + 1)
    # active at the end of age a: months active > a
    count = hist.sum(axis=1, keepdims=True) - np.cumsum(hist, axis=1)[:, :ages]
    paying = money.sum(axis=1, keepdims=True) - np.cumsum(money, axis=1)[:, :ages]
    codes = keys.get_level_values(0).to_numpy()
    cohort = keys.get_level_values(1).to_numpy()
    frame = found.labels.iloc[np.repeat(codes, ages)].reset_index(drop=True)
    frame = frame[dims] if dims else pd.DataFrame(index=range(n * ages))
    frame["cohort"] = pd.arrays.PeriodArray(
        np.repeat(cohort, ages).astype("int64"), dtype=pd.PeriodDtype("M")
    )
    frame["age"] = np.tile(np.arange(ages, dtype="int64"), n)
    frame["size"] = np.repeat(hist.sum(axis=1), ages).astype("int64")
    mature = (np.repeat(cohort, ages) + frame["age"].to_numpy()) <= found.last_month
    frame["mature"] = mature
    return frame, count.ravel().astype("float64"), paying.ravel()


def _empty(labels: pd.DataFrame, dims: list[str]) -> pd.DataFrame:
    columns: dict[str, pd.Series] = {d: labels[d].reset_index(drop=True) for d in dims}
    columns["cohort"] = pd.Series(dtype=pd.PeriodDtype("M"))
    columns["age"] = pd.Series(dtype="int64")
    columns["size"] = pd.Series(dtype="int64")
    columns["mature"] = pd.Series(dtype=bool)
    return pd.DataFrame(columns)


def _sorted(frame: pd.DataFrame, dims: list[str]) -> pd.DataFrame:
    """Rows by the dimension labels (as the engine sorts), then cohort and age."""
    if not dims or frame.empty:
        return frame
    keys = [*dims, "cohort", "age"]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


def retention_matrix(
    data: LeadData,
    *,
    by: str | Sequence[str] = (),
    max_age: int | None = None,
    as_of: object = None,
) -> pd.DataFrame:
    """Share of each start-month cohort still active, by months since the start.

    Parameters
    ----------
    data : LeadData
        Needs the ``customers`` table; ``by`` columns of the leads reach customers
        through ``lead_id``.
    by : str or sequence of str
        Dimensions (``channel``, ``owner``, any leads or customers column).
    max_age : int, optional
        Last age shown; default up to the month of ``as_of`` for the oldest cohort.
    as_of : str or Timestamp, optional
        The date the data describes (naive = project local time); default the
        latest ``started_at`` / ``ended_at``. Customers starting after it are left
        out.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then ``cohort`` (start month, Period), ``age`` (months
        since the start month, 0 = the start month), ``size`` (customers who
        started in the cohort), ``count`` (customers of the cohort active at the
        end of month ``cohort + age``, see the module notes), ``value`` (count /
        size) and ``mature`` (the month ``cohort + age`` has ended by ``as_of``;
        when False, ``count`` and ``value`` are NaN, never a low rate). Every
        cohort has the same ages. Customers without ``started_at`` are left out
        with a :class:`~leadkpi.exceptions.LeadKPIWarning`.

    Raises
    ------
    LeadKPIError
        When the project has no customers table (or ``by`` reaches it neither
        directly nor through ``lead_id``).

    Examples
    --------
    >>> from leadkpi import load
    >>> data = load("leadkpi.yaml")
    >>> table = retention_matrix(data, max_age=6)
    >>> list(table.columns)
    ['cohort', 'age', 'size', 'count', 'value', 'mature']
    >>> table[table["cohort"] == pd.Period("2025-09")]["value"].round(2).tolist()
    [1.0, 1.0, 0.86, 0.86, 0.86, 0.86, 0.86]
    """
    dims = dims_of(by, "retention_matrix")
    found = customers(data, dims, as_of, "retention_matrix")
    frame, count, _ = _cells(found, dims, max_age)
    mature = frame["mature"].to_numpy(dtype=bool)
    frame["count"] = np.where(mature, count, np.nan)
    frame["value"] = ratio(frame["count"], frame["size"])
    return _sorted(frame[[*dims, *COHORT_COLUMNS]], dims)


def cohort_ltv(
    data: LeadData,
    *,
    by: str | Sequence[str] = (),
    max_age: int | None = None,
    as_of: object = None,
) -> pd.DataFrame:
    """Cumulative recurring revenue per customer of each start-month cohort.

    A customer pays its monthly ``recurring_revenue`` for every month at whose end
    it is active, the months the retention matrix counts (see the module notes):
    started 15 January, ended 10 March → January and February, two months. By the
    end of age ``a`` a customer has paid ``recurring_revenue × min(months active,
    a + 1)``. Churned customers stay in the denominator, so the value is revenue
    per customer acquired, not per customer left. Missing revenue counts as 0.

    Parameters
    ----------
    data, by, max_age, as_of
        As in :func:`retention_matrix`.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then ``cohort, age, size``, ``count`` (customers still
        active at the end of the month, as in the retention matrix), ``value``
        (cumulative revenue per customer of the cohort by the end of month
        ``cohort + age``), ``mature`` and ``revenue`` (the cohort's cumulative
        revenue). Immature cells have NaN ``count``, ``value`` and ``revenue``.

    Examples
    --------
    >>> from leadkpi import load
    >>> table = cohort_ltv(load("leadkpi.yaml"), max_age=11)
    >>> cohort = table[table["cohort"] == pd.Period("2025-09")]
    >>> cohort["value"].round().tolist()[:4]
    [1424.0, 2847.0, 4240.0, 5633.0]
    """
    dims = dims_of(by, "cohort_ltv")
    found = customers(data, dims, as_of, "cohort_ltv")
    frame, count, paying = _cells(found, dims, max_age)
    mature = frame["mature"].to_numpy(dtype=bool)
    ages = int(frame["age"].max()) + 1 if len(frame) else 1
    revenue = np.cumsum(paying.reshape(-1, ages), axis=1).ravel() if len(frame) else []
    frame["count"] = np.where(mature, count, np.nan)
    frame["revenue"] = np.where(mature, revenue, np.nan)
    frame["value"] = ratio(frame["revenue"], frame["size"])
    return _sorted(frame[[*dims, *LTV_COLUMNS]], dims)


def retention_curve(
    data: LeadData,
    *,
    by: str | Sequence[str] = (),
    max_age: int | None = None,
    as_of: object = None,
    method: str = "pooled",
) -> pd.DataFrame:
    """Retention by months since the start, cohorts pooled (size-weighted).

    Only mature cells count. ``method="pooled"``: at each age, the customers still
    active over the customers of the cohorts that have lived through that age,
    ``sum(count) / sum(size)``; older ages rest on fewer, older cohorts
    (``cohorts`` says how many), so the curve may rise where a cohort leaves the
    pool. ``method="chained"`` (a Kaplan–Meier-style product, never rising): the
    retention at age 0 times, at each later age ``a``, the share of the customers
    active at age ``a − 1`` still active at ``a``, both summed over the cohorts
    mature at ``a``.

    Parameters
    ----------
    data, by, max_age, as_of
        As in :func:`retention_matrix`.
    method : {"pooled", "chained"}
        How cohorts are combined.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then ``age``, ``cohorts`` (cohorts mature at that
        age), ``size`` and ``count`` (their customers, and those still active)
        and ``value`` (the retention); ages that no cohort has lived through are
        left out.

    Examples
    --------
    >>> from leadkpi import load
    >>> curve = retention_curve(load("leadkpi.yaml"), by="channel", max_age=6)
    >>> at6 = curve[curve["age"] == 6].set_index("channel")["value"]
    >>> bool(at6["paid_social"] < at6.drop("paid_social").min())
    True
    """
    if method not in _METHODS:
        raise ArgumentError(f"method must be one of {_METHODS}, not {method!r}")
    dims = dims_of(by, "retention_curve")
    matrix = retention_matrix(data, by=dims, max_age=max_age, as_of=as_of)
    keys = [*dims, "cohort"]
    before = matrix.groupby(keys, sort=False, observed=True)["count"].shift(1)
    mature = matrix.assign(cohorts=1, before=before)[matrix["mature"]]
    pooled = (
        mature.groupby([*dims, "age"], sort=True, observed=True)[
            ["cohorts", "size", "count", "before"]
        ]
        .sum()
        .reset_index()
    )
    pooled["cohorts"] = pooled["cohorts"].astype("int64")
    pooled["size"] = pooled["size"].astype("int64")
    pooled["count"] = pooled["count"].astype("float64")
    pooled["value"] = ratio(pooled["count"], pooled["size"])
    if method == "chained":
        first = pooled["age"] == 0
        step = np.where(
            first, pooled["value"], ratio(pooled["count"], pooled["before"])
        )
        step = pd.Series(step, index=pooled.index).fillna(1.0)  # nobody left: 0/0
        chain = (
            step.groupby([pooled[d] for d in dims]).cumprod()
            if dims
            else step.cumprod()
        )
        pooled["value"] = chain.to_numpy(dtype="float64")
    return pooled[[*dims, *CURVE_COLUMNS]]
