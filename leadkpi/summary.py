"""The executive summary of a month: KPI tiles and the numbers of each channel.

:func:`tiles` turns a monthly :func:`leadkpi.compute` result into one row per KPI:
its value, the change against the previous month and the same month a year
earlier, the target and whether it was met, and whether the change is within noise.
Changes of rates and ratios (units ``fraction`` and ``multiple``) are differences
(percentage points, or ×), changes of everything else relative: ROI going from
300 % to 2,031 % is +1,731 points, never "+577 %".

:func:`dimension_numbers` gives the same for each channel or campaign, with the
targets the configuration sets for them; :mod:`leadkpi.summary_findings` reads both
for the findings. The words live in :mod:`leadkpi.present.summary_tables`; nothing
here is
text for a reader.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from leadkpi.arguments import require_columns
from leadkpi.data import LeadData
from leadkpi.kpis.compare import compare
from leadkpi.kpis.definitions import KPIS
from leadkpi.kpis.engine import compute
from leadkpi.kpis.targets import add_targets, check_targets

__all__ = [
    "TILE_KPIS",
    "DIMENSION_KPIS",
    "POINT_UNITS",
    "tiles",
    "dimension_numbers",
    "top_by",
]

#: The KPIs of the summary's tiles, in reading order.
TILE_KPIS: tuple[str, ...] = (
    "leads",
    "mqls",
    "sqls",
    "opportunities",
    "customers",
    "lead_conversion_rate",
    "revenue",
    "pipeline_value",
    "spend",
    "cost_per_lead",
    "cac",
    "paid_cac",
    "roi",
    "roas",
)

#: The KPIs of the channel and campaign tables, in column order.
DIMENSION_KPIS: tuple[str, ...] = (
    "leads",
    "mqls",
    "customers",
    "spend",
    "cost_per_lead",
    "cost_per_mql",
    "cost_per_opportunity",
    "cac",
    "roas",
)

#: Units whose change is a difference (percentage points, ×), not a relative change.
POINT_UNITS: tuple[str, ...] = ("fraction", "multiple")

_TILE_COLUMNS = [
    "kpi",
    "value",
    "previous",
    "change",
    "change_kind",
    "year_ago",
    "change_year",
    "target",
    "target_status",
    "direction",
    "improved",
    "within_noise",
    "improved_year",
    "within_noise_year",
    "unit",
    "small_sample",
    "previous_small_sample",
    "year_ago_small_sample",
    "reason",
    "zero_denominator",
    "mode",
]


def _change(compared: pd.DataFrame) -> np.ndarray:
    points = compared["unit"].isin(POINT_UNITS).to_numpy(bool)
    return np.where(
        points,
        compared["change"].to_numpy(float),
        compared["change_rate"].to_numpy(float),
    )


def _noise(compared: pd.DataFrame) -> pd.Series:
    """True when a change is within noise, False when beyond, missing if unjudged."""
    return (~compared["significant"].astype("boolean")).reset_index(drop=True)


def _flag(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(False, index=range(len(frame)), dtype="boolean")
    return frame[column].astype("boolean").fillna(False).reset_index(drop=True)


def tiles(
    trend: pd.DataFrame,
    month: pd.Period,
    *,
    targets: Mapping[str, Any] | None = None,
    kpis: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per KPI of ``month``: value, changes, target, direction and noise.

    Parameters
    ----------
    trend : pandas.DataFrame
        A :func:`leadkpi.compute` result by ``("month",)`` that holds ``month``,
        the month before and the same month a year earlier (compute from
        ``month - 12``); a missing earlier month leaves its columns empty.
    month : pandas.Period
        The month summarised.
    targets : mapping, optional
        ``Config.targets`` (absolute targets; see
        :func:`leadkpi.kpis.targets.add_targets`).
    kpis : sequence of str, optional
        The KPIs, in order; default every KPI of ``trend`` in its order.

    Returns
    -------
    pandas.DataFrame
        Columns ``kpi, value, previous, change, change_kind, year_ago,
        change_year, target, target_status, direction, improved, within_noise,
        improved_year, within_noise_year, unit, small_sample,
        previous_small_sample, year_ago_small_sample, reason, zero_denominator,
        mode``.
        ``change_kind`` is ``"points"`` for rates and ratios (``change`` is
        value − previous, in the KPI's unit: 0.02 is two percentage points) and
        ``"relative"`` otherwise (``change`` is the change over |previous|).
        ``direction`` is ``higher``/``lower`` (which way is good) or missing;
        ``improved`` is good news by it; ``within_noise`` True when the change is
        not significant at 95 %, missing when it cannot be judged. A KPI without
        a value keeps its row, with the engine's ``reason`` (or
        ``zero_denominator``: nothing to divide by in the month).

    Examples
    --------
    >>> from leadkpi import compute, load
    >>> data = load("leadkpi.yaml")
    >>> month = pd.Period("2026-10", "M")
    >>> trend = compute(data, ["leads", "roi"], by=("month",), start=month - 12,
    ...                 end=month, mode="period")
    >>> tiles(trend, month)[["kpi", "change", "change_kind"]].round(3)
         kpi  change change_kind
    0  leads  -0.154    relative
    1    roi   3.027      points
    """
    require_columns(trend, ("month", "kpi", "value", "unit"), "tiles", "compute()")
    if "better" not in trend.columns:
        trend = trend.assign(better=trend["kpi"].map(lambda k: KPIS[k].better))
    month = pd.Period(month, "M")
    ids = list(pd.unique(trend["kpi"])) if kpis is None else list(kpis)
    before = compare(trend)
    before = before[(before["month"] == month) & before["kpi"].isin(ids)]
    before = before.set_index("kpi").reindex(ids).reset_index()
    year = compare(trend, "previous_year")
    year = year[(year["month"] == month) & year["kpi"].isin(ids)]
    year = year.set_index("kpi").reindex(ids).reset_index()
    before["unit"] = before["unit"].fillna(
        before["kpi"].map(lambda k: KPIS[k].unit if k in KPIS else "count")
    )
    year["unit"] = before["unit"]
    if targets is not None:
        judged = add_targets(before.assign(better=before["better"]), targets)
        target, status = judged["target"], judged["status"].astype("object")
    else:
        target = pd.Series(np.nan, index=before.index)
        status = pd.Series(None, index=before.index, dtype=object)
    reason = (
        before["reason"].astype("object")
        if "reason" in before
        else pd.Series(None, index=before.index, dtype=object)
    )
    out = pd.DataFrame(
        {
            "kpi": before["kpi"].astype("object"),
            "value": before["value"].astype(float),
            "previous": before["previous"].astype(float),
            "change": _change(before),
            "change_kind": np.where(
                before["unit"].isin(POINT_UNITS), "points", "relative"
            ),
            "year_ago": year["previous"].astype(float),
            "change_year": _change(year),
            "target": target.astype(float).to_numpy(),
            "target_status": status.to_numpy(),
            "direction": before["better"]
            .astype("object")
            .where(before["better"].isin(["higher", "lower"]), None),
            "improved": before["improved"].astype("boolean"),
            "within_noise": _noise(before),
            "improved_year": year["improved"].astype("boolean"),
            "within_noise_year": _noise(year),
            "unit": before["unit"].astype("object"),
            "small_sample": _flag(before, "small_sample"),
            "previous_small_sample": _flag(before, "previous_small_sample"),
            "year_ago_small_sample": _flag(year, "previous_small_sample"),
            "reason": reason.to_numpy(),
            "zero_denominator": (
                before["denominator"].eq(0).fillna(False).to_numpy(bool)
                if "denominator" in before
                else False
            ),
            "mode": (
                before["mode"].astype("object").to_numpy() if "mode" in before else None
            ),
        },
        columns=_TILE_COLUMNS,
    )
    out.attrs["month"] = month
    return out


def dimension_numbers(
    data: LeadData,
    month: pd.Period,
    *,
    dim: str = "channel",
    kpis: Sequence[str] = DIMENSION_KPIS,
    mode: str = "period",
    targets: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """The KPIs of each value of ``dim`` in ``month``, against the month before.

    Parameters
    ----------
    data : LeadData
    month : pandas.Period
    dim : str
        ``channel``, ``campaign`` or any dimension of the engine.
    kpis : sequence of str
        The KPIs computed (default :data:`DIMENSION_KPIS`).
    mode : {"period", "cohort"}
    targets : mapping, optional
        ``Config.targets``: a KPI's target for a value of ``dim`` (``cost_per_lead:
        {channel: {paid_search: 80}}``) wins over its overall target.

    Returns
    -------
    pandas.DataFrame
        The :func:`leadkpi.compare` rows of ``month`` (``dim``, ``kpi``, ``value``,
        ``numerator``, ``denominator``, ``previous``, ``change``, ``change_rate``,
        ``improved``, ``significant``, …) plus ``previous_numerator`` and
        ``previous_denominator`` (for drivers) and ``target``/``status`` (the
        targets set for values of ``dim`` only: an overall target is the total's).

    Examples
    --------
    >>> from leadkpi import load
    >>> data = load("leadkpi.yaml")
    >>> numbers = dimension_numbers(data, pd.Period("2026-10", "M"),
    ...                             targets=data.config.targets)
    >>> row = numbers[(numbers["channel"] == "paid_search")
    ...               & (numbers["kpi"] == "cost_per_lead")]
    >>> row[["value", "target", "status"]].round(2).to_numpy().tolist()
    [[90.14, 80.0, 'missed']]
    """
    month = pd.Period(month, "M")
    result = compute(
        data, list(kpis), by=("month", dim), mode=mode, start=month - 1, end=month
    )
    compared = compare(result)
    earlier = result[result["month"] == month - 1][
        [dim, "kpi", "numerator", "denominator"]
    ].rename(
        columns={
            "numerator": "previous_numerator",
            "denominator": "previous_denominator",
        }
    )
    rows = compared[compared["month"] == month]
    rows = rows.merge(earlier, on=[dim, "kpi"], how="left")
    rows = add_targets(rows, _targets_of(targets, dim))
    return rows.reset_index(drop=True).__finalize__(result)


def _targets_of(targets: Mapping[str, Any] | None, dim: str) -> dict[str, Any]:
    """Only the targets set for values of ``dim``: a KPI's overall (monthly)
    target is for the total, never for each channel or campaign."""
    parsed = check_targets(targets)
    return {
        kpi: {dim: dict(target.by[dim])}
        for kpi, target in parsed.items()
        if dim in target.by
    }


def top_by(
    numbers: pd.DataFrame, dim: str, kpi: str = "spend", *, n: int = 10
) -> pd.DataFrame:
    """The rows of the ``n`` values of ``dim`` with the largest ``kpi``.

    Examples
    --------
    >>> rows = pd.DataFrame({"campaign": list("aabbc"), "kpi": ["spend", "leads"] * 2
    ...                      + ["spend"], "value": [5.0, 1, 9, 2, 1]})
    >>> top_by(rows, "campaign", n=2)["campaign"].unique().tolist()
    ['b', 'a']
    """
    ranked = numbers[numbers["kpi"] == kpi].sort_values("value", ascending=False)
    keep = ranked.dropna(subset=["value"])[dim].head(n).tolist()
    chosen = numbers[numbers[dim].isin(keep)]
    order = {v: i for i, v in enumerate(keep)}
    return chosen.sort_values(dim, key=lambda s: s.map(order), kind="stable")
