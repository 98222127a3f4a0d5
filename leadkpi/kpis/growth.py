"""Relative targets: a change against a reference period, and the pace to reach it.

A relative target (``revenue: {change: +0.20, against: same_month_last_year}``)
becomes a number once the reference period's actual value is known: the reference
value × (1 + change). A month's target is judged when the month closes; a quarter's
or a year's is followed month by month, with what is still needed over the months
left.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from leadkpi.data import LeadData
from leadkpi.kpis.definitions import KPIS, MEASURES
from leadkpi.kpis.engine import compute
from leadkpi.kpis.measures import Measure
from leadkpi.kpis.targets import check_targets
from leadkpi.periods import parse_month, period_freq

__all__ = ["target_progress", "REFERENCES", "PROGRESS_COLUMNS", "PROGRESS_STATUSES"]

#: ``against`` → (the target's period kind, how many of them back the reference is).
REFERENCES: dict[str, tuple[str, int]] = {
    "previous_month": ("month", 1),
    "same_month_last_year": ("month", 12),
    "previous_quarter": ("quarter", 1),
    "same_quarter_last_year": ("quarter", 4),
    "previous_year": ("year", 1),
}
#: ``status``: a closed period met or missed its target; an open one is on track
#: (at its pace so far it would meet it) or behind.
PROGRESS_STATUSES = ("met", "missed", "on_track", "behind")
#: The columns of a :func:`target_progress` result.
PROGRESS_COLUMNS = (
    "kpi",
    "period",
    "against",
    "reference_period",
    "reference",
    "change",
    "target",
    "actual",
    "months_elapsed",
    "months_left",
    "progress",
    "needed",
    "needed_per",
    "status",
    "unit",
    "better",
    "reason",
)


def _additive(kpi_id: str) -> bool:
    """A count or sum of one measure: its months add up to the period's."""
    kpi = KPIS.get(kpi_id)
    return (
        kpi is not None
        and len(kpi.measures) == 1
        and isinstance(MEASURES.get(kpi.measures[0]), Measure)
    )


def _one(
    data: LeadData, kpi: str, kind: str, first: pd.Period, last: pd.Period, mode: str
) -> pd.Series:
    """The KPI over the months ``first``–``last``, cut by the period ``kind`` so that
    a table that does not cover the period (no spend rows yet) gives no value, not
    a value of 0."""
    rows = compute(data, [kpi], by=(kind,), start=first, end=last, mode=mode)
    if len(rows) == 1:
        return rows.iloc[0]
    empty = {"value": np.nan, "numerator": np.nan, "denominator": np.nan}
    kpi_def = KPIS.get(kpi)
    return pd.Series(
        {
            **empty,
            "unit": getattr(kpi_def, "unit", None),
            "better": getattr(kpi_def, "better", None),
            "reason": "no data",
        }
    )


def target_progress(
    data: LeadData,
    month: str | pd.Period,
    targets: Mapping[str, Any] | None = None,
    *,
    mode: str = "period",
) -> pd.DataFrame:
    """Progress to each relative target in the period that contains ``month``.

    Parameters
    ----------
    data : LeadData
        The project's tables.
    month : str or Period
        The last month known (a report's month): the target's period is the month,
        quarter or year (fiscal, by ``config.fiscal_year_start``) that contains it.
    targets : mapping, optional
        ``Config.targets`` (the default) or a mapping of the ``leadkpi.yaml`` shape;
        only relative targets (``change`` and ``against``) are evaluated here,
        absolute ones by :func:`leadkpi.add_targets`.
    mode : {"period", "cohort"}
        Counting mode of the KPIs (the monthly report's).

    Returns
    -------
    pandas.DataFrame
        One row per relative target, :data:`PROGRESS_COLUMNS`: the target's
        ``period`` and its ``reference_period`` (Periods), the ``reference``
        value, the ``change`` asked and the resulting ``target`` (reference × (1 +
        change)), the ``actual`` value from the period's start to ``month``,
        ``months_elapsed`` and ``months_left``. For a count or sum (leads,
        revenue), ``progress`` is actual ÷ target and ``needed`` what remains ÷ the
        months left (``needed_per="month"``; 0 once reached). For a ratio of two
        sums (cost per lead, a conversion rate), ``needed`` is the value the rest
        of the period must have for the whole period to meet the target, if its
        denominator keeps its pace so far (``needed_per="rest"``). ``status`` is one
        of :data:`PROGRESS_STATUSES`, missing when the reference has no value
        (``reason`` says why).

    Raises
    ------
    ArgumentError
        A malformed month, or a target for a KPI id that does not exist.

    Examples
    --------
    >>> from leadkpi import load
    >>> data = load("leadkpi.yaml")

    In October, the fourth quarter's targets, set against last year's fourth
    quarter and this year's third:

    >>> progress = target_progress(data, "2026-10", {
    ...     "leads": {"change": 0.10, "against": "same_quarter_last_year"},
    ...     "cost_per_lead": {"change": -0.10, "against": "previous_quarter"}})
    >>> progress[["kpi", "reference", "target", "actual", "needed", "status"]].round(1)
                 kpi  reference  target  actual  needed    status
    0          leads      870.0   957.0   358.0   299.5  on_track
    1  cost_per_lead       60.2    54.2    49.9    56.3  on_track
    >>> progress[["period", "months_left", "needed_per"]]
       period  months_left needed_per
    0  2026Q4            2      month
    1  2026Q4            2       rest
    """
    month = parse_month(month)
    parsed = check_targets(data.config.targets if targets is None else targets)
    rows = []
    for kpi, target in parsed.items():  # a handful of targets: two computes each
        if not target.relative:
            continue
        kind, back = REFERENCES[target.against]
        period = month.asfreq(period_freq(kind, data.config.fiscal_year_start))
        reference = period - back
        first = period.start_time.to_period("M")
        total = (period.end_time.to_period("M") - first).n + 1
        elapsed = (month - first).n + 1
        before = _one(
            data,
            kpi,
            kind,
            reference.start_time.to_period("M"),
            reference.end_time.to_period("M"),
            mode,
        )
        now = _one(data, kpi, kind, first, month, mode)
        rows.append(
            {
                "kpi": kpi,
                "period": period,
                "against": target.against,
                "reference_period": reference,
                "reference": before["value"],
                "change": target.change,
                "actual": now["value"],
                "numerator": now["numerator"],
                "denominator": now["denominator"],
                "months_elapsed": elapsed,
                "months_left": total - elapsed,
                "additive": _additive(kpi),
                "unit": now["unit"],
                "better": now["better"],
                "reason": (
                    f"no value for {reference}: {before['reason']}"
                    if pd.isna(before["value"])
                    else f"no value for {first}–{month}: {now['reason']}"
                    if pd.isna(now["value"])
                    else None
                ),
            }
        )
    if not rows:
        return pd.DataFrame({c: [] for c in PROGRESS_COLUMNS})
    out = pd.DataFrame(rows)
    return _paced(out)[list(PROGRESS_COLUMNS)]


def _paced(out: pd.DataFrame) -> pd.DataFrame:
    """Target, progress, what is needed for the rest, and status, all rows at once."""
    reference = out["reference"].to_numpy("float64")
    actual = out["actual"].to_numpy("float64")
    target = reference * (1 + out["change"].to_numpy("float64"))
    elapsed = out["months_elapsed"].to_numpy("float64")
    left = out["months_left"].to_numpy("float64")
    additive = out["additive"].to_numpy(bool)
    higher = out["better"].eq("higher").to_numpy(bool)
    lower = out["better"].eq("lower").to_numpy(bool)
    numerator = out["numerator"].to_numpy("float64")
    denominator = out["denominator"].to_numpy("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (
            ~additive
            & (denominator > 0)
            & np.isclose(actual, numerator / denominator, rtol=1e-9)
        )
        # a ratio's rest: its denominator at the pace so far
        rest = denominator * left / elapsed
        per_month = (target - actual) / left
        per_month = np.where(higher, np.maximum(per_month, 0.0), per_month)
        rest_value = (target * (denominator + rest) - numerator) / rest
        projected = np.where(additive, actual * (elapsed + left) / elapsed, actual)
        progress = np.where(additive & (target != 0), actual / target, np.nan)
    open_ = left > 0
    needed = np.where(
        open_ & additive, per_month, np.where(open_ & ratio, rest_value, np.nan)
    )
    # an open period is judged at its pace so far; a count or sum is projected
    good = np.where(
        higher, projected >= target, np.where(lower, projected <= target, False)
    )
    known = np.isfinite(target) & np.isfinite(actual) & (higher | lower)
    status = np.where(
        open_,
        np.where(good, "on_track", "behind"),
        np.where(good, "met", "missed"),
    )
    out = out.assign(
        target=np.where(np.isfinite(target), target, np.nan),
        progress=progress,
        needed=np.where(np.isfinite(needed), needed, np.nan),
        needed_per=np.where(
            open_ & additive, "month", np.where(open_ & ratio, "rest", None)
        ).astype(object),
        status=pd.Series(status, index=out.index, dtype="string").where(known),
    )
    return out
