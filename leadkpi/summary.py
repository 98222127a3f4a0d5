"""The executive summary of a month: KPI tiles and findings computed from the numbers.

:func:`tiles` turns a monthly :func:`leadkpi.compute` result into one row per KPI:
its value, the change against the previous month and the same month a year
earlier, the target and whether it was met, and whether the change is within noise.
Changes of rates and ratios (units ``fraction`` and ``multiple``) are differences
(percentage points, or ×), changes of everything else relative: ROI going from
300 % to 2,031 % is +1,731 points, never "+577 %".

:func:`findings` reads the tiles, the channels of the month (:func:`dimension_numbers`),
the response times by owner (:func:`leadkpi.speed_to_lead`) and the data-quality
checks (:func:`leadkpi.checks`) and returns what a reader should know first, as
records: the largest moves beyond noise with the channel that drove them, the
targets missed, the best and worst channel on CAC, channels that spend without
bringing a customer, response-time outliers and data-quality warnings. The words
for them live in :mod:`leadkpi.summary_tables`; nothing here is text for a reader.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
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
    "Finding",
    "tiles",
    "dimension_numbers",
    "top_by",
    "findings",
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

#: Share of change below which a component "held" (a driver's other side).
HELD = 0.10

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


# --- findings -----------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One thing the numbers say, as data; :mod:`leadkpi.summary_tables` words it.

    Attributes
    ----------
    kind : str
        ``move`` (a change beyond noise), ``targets_missed``, ``channel_cac`` (the
        best and worst channel on CAC), ``no_customers`` (channels that spent and
        brought no customer), ``sla_outlier`` (a rep far below the others on the
        response SLA) or ``data_quality`` (a check that warns).
    kpi : str or None
        The KPI it is about.
    subject : str or None
        The channel, owner or check it names.
    numbers : mapping
        The figures it quotes (values, changes), raw.
    unit : str
        The unit of the KPI's values.
    driver : mapping or None
        For a move: what drove it (``component``: the measure that moved most,
        ``component_change``, ``channel``, ``before``, ``after``, ``other``,
        ``other_change``).
    items : tuple of mapping
        For ``targets_missed``: one mapping per target missed.
    """

    kind: str
    kpi: str | None = None
    subject: str | None = None
    numbers: Mapping[str, Any] = field(default_factory=dict)
    unit: str = "count"
    driver: Mapping[str, Any] | None = None
    items: tuple[Mapping[str, Any], ...] = ()


def _rate(after: float, before: float) -> float:
    return (after - before) / abs(before) if before else np.nan


def _measures(channels: pd.DataFrame, dim: str) -> pd.DataFrame:
    """Per value of ``dim`` and measure: its value in the month and the month before."""
    parts = []
    for side in ("numerator", "denominator"):
        ids = channels["kpi"].map(lambda k, side=side: getattr(KPIS.get(k), side, None))
        parts.append(
            pd.DataFrame(
                {
                    "level": channels[dim].to_numpy(),
                    "measure": ids.to_numpy(),
                    "after": channels[side].to_numpy(float),
                    "before": channels[f"previous_{side}"].to_numpy(float),
                }
            )
        )
    table = pd.concat(parts).dropna(subset=["measure"])
    return table.drop_duplicates(["level", "measure"]).reset_index(drop=True)


def _driver(
    row: pd.Series, trend_row: pd.Series | None, measures: pd.DataFrame
) -> dict[str, Any] | None:
    """The measure that moved the KPI most and the channel that moved it most."""
    kpi = KPIS.get(row["kpi"])
    if kpi is None or measures.empty:
        return None
    parts = [p for p in (kpi.numerator, kpi.denominator) if p]
    if kpi.denominator and trend_row is not None:
        moves = {
            kpi.numerator: _rate(trend_row["numerator"], trend_row["prev_num"]),
            kpi.denominator: _rate(trend_row["denominator"], trend_row["prev_den"]),
        }
        sizes = {k: abs(np.log1p(v)) if np.isfinite(v) and v > -1 else np.inf
                 for k, v in moves.items()}  # fmt: skip
        component = max(parts, key=lambda p: sizes[p])
        component_change = moves[component]
    else:
        component, component_change = parts[0], row["change"]
    if not np.isfinite(component_change) or component_change == 0:
        return None
    rows = measures[measures["measure"] == component]
    delta = (rows["after"] - rows["before"]).fillna(0.0)
    same_way = delta[np.sign(delta) == np.sign(component_change)]
    if same_way.empty:
        return None
    top = rows.loc[same_way.abs().idxmax()]
    driver = {
        "component": component,
        "component_change": float(component_change),
        "channel": top["level"],
        "before": float(top["before"]),
        "after": float(top["after"]),
        "share": float(same_way.abs().max() / delta.abs().sum()),
    }
    others = [p for p in parts if p != component]
    if others:
        other = measures[
            (measures["measure"] == others[0]) & (measures["level"] == top["level"])
        ]
        if len(other):
            driver["other"] = others[0]
            driver["other_change"] = _rate(
                float(other["after"].iloc[0]), float(other["before"].iloc[0])
            )
    return driver


def _moves(
    tiles: pd.DataFrame,
    trend: pd.DataFrame | None,
    measures: pd.DataFrame,
    limit: int,
) -> list[Finding]:
    beyond = tiles[tiles["within_noise"].eq(False).fillna(False).to_numpy(bool)]
    beyond = beyond[beyond["direction"].notna()]
    size = beyond["change"].abs()
    points = beyond["change_kind"].eq("points")
    size = size.where(~points, (beyond["change"] / beyond["previous"].abs()).abs())
    chosen = beyond.loc[size.sort_values(ascending=False).index[:limit]]
    out = []
    for _, row in chosen.iterrows():
        trend_row = None
        if trend is not None:
            trend_row = _totals(trend, row["kpi"], tiles.attrs.get("month"))
        out.append(
            Finding(
                kind="move",
                kpi=row["kpi"],
                numbers={
                    "value": row["value"],
                    "previous": row["previous"],
                    "change": row["change"],
                    "change_kind": row["change_kind"],
                    "improved": bool(row["improved"])
                    if pd.notna(row["improved"])
                    else None,
                },
                unit=row["unit"],
                driver=_driver(row, trend_row, measures),
            )
        )
    return out


def _totals(trend: pd.DataFrame, kpi: str, month: pd.Period | None) -> pd.Series | None:
    if month is None:
        return None
    rows = trend[trend["kpi"] == kpi].set_index("month")
    if month not in rows.index or month - 1 not in rows.index:
        return None
    now, then = rows.loc[month], rows.loc[month - 1]
    return pd.Series(
        {
            "numerator": float(now["numerator"]),
            "denominator": float(now["denominator"]),
            "prev_num": float(then["numerator"]),
            "prev_den": float(then["denominator"]),
        }
    )


def _targets_missed(tiles: pd.DataFrame, channels: pd.DataFrame | None,
                    dim: str) -> list[Finding]:  # fmt: skip
    items = [
        {"kpi": r["kpi"], "level": None, "value": r["value"], "target": r["target"],
         "unit": r["unit"]}
        for _, r in tiles[tiles["target_status"].eq("missed").fillna(False)].iterrows()
    ]  # fmt: skip
    if channels is not None and "status" in channels.columns:
        missed = channels[channels["status"].eq("missed").fillna(False).to_numpy(bool)]
        for _, r in missed.iterrows():
            items.append({"kpi": r["kpi"], "level": r[dim], "value": r["value"],
                          "target": r["target"], "unit": r["unit"]})  # fmt: skip
    return [Finding(kind="targets_missed", items=tuple(items))] if items else []


def _wide(channels: pd.DataFrame, dim: str) -> pd.DataFrame:
    return channels.pivot_table(
        index=dim, columns="kpi", values="value", aggfunc="first", dropna=False
    )


def _channel_cac(channels: pd.DataFrame, dim: str) -> list[Finding]:
    wide = _wide(channels, dim)
    if "cac" not in wide.columns:
        return []
    cac = wide["cac"].dropna()
    if len(cac) < 2:
        return []
    best, worst = cac.idxmin(), cac.idxmax()
    numbers = {"best": cac[best], "worst": cac[worst]}
    if "customers" in wide.columns:
        numbers |= {"best_customers": wide.loc[best, "customers"],
                    "worst_customers": wide.loc[worst, "customers"]}  # fmt: skip
    costly = None
    if "cost_per_lead" in wide.columns and wide["cost_per_lead"].notna().any():
        if wide["cost_per_lead"].idxmax() == best:  # dearest leads, cheapest customers
            costly = wide.loc[best, "cost_per_lead"]
    if costly is not None:
        numbers["best_cost_per_lead"] = costly
    return [
        Finding(kind="channel_cac", kpi="cac", subject=best,
                numbers=numbers | {"worst_channel": worst}, unit="currency")
    ]  # fmt: skip


def _no_customers(channels: pd.DataFrame, dim: str) -> list[Finding]:
    wide = _wide(channels, dim)
    needed = {"spend", "customers", "leads"}
    if not needed <= set(wide.columns):
        return []
    idle = wide[(wide["spend"] > 0) & (wide["customers"] == 0) & (wide["leads"] > 0)]
    if idle.empty:
        return []
    cpl = wide["cost_per_lead"] if "cost_per_lead" in wide else wide["spend"] * np.nan
    first = cpl.reindex(idle.index).sort_values().index[0]
    cheapest = cpl.notna().any() and cpl.idxmin() == first
    numbers = {
        "spend": wide.loc[first, "spend"],
        "leads": wide.loc[first, "leads"],
        "cost_per_lead": cpl.get(first, np.nan),
        "cheapest": bool(cheapest),
        "others": [c for c in idle.index if c != first],
    }
    return [Finding(kind="no_customers", subject=first, numbers=numbers,
                    unit="currency")]  # fmt: skip


def _sla_outliers(owners: pd.DataFrame, dim: str = "owner") -> list[Finding]:
    needed = (dim, "within_sla_rate", "within_sla_ci_high", "leads")
    if any(c not in owners.columns for c in needed) or len(owners) < 3:
        return []
    rates = owners.set_index(dim)
    out = []
    for owner, row in rates.iterrows():
        others = rates.drop(index=owner)["within_sla_rate"].median()
        if row["within_sla_ci_high"] < others / 2:
            out.append(
                Finding(
                    kind="sla_outlier",
                    subject=owner,
                    kpi="contacted_within_sla_rate",
                    unit="fraction",
                    numbers={
                        "rate": row["within_sla_rate"],
                        "others": others,
                        "leads": row["leads"],
                        "median_seconds": row.get("median_seconds", np.nan),
                        "sla_hours": row.get("sla_hours", np.nan),
                    },
                )
            )
    return sorted(out, key=lambda f: f.numbers["rate"])[:1]


def _data_quality(checks: pd.DataFrame) -> list[Finding]:
    if checks is None or checks.empty:
        return []
    warned = checks[checks["severity"].isin(["error", "warning"])]
    if warned.empty:
        return []
    ranked = warned.sort_values("share", ascending=False, na_position="last")
    row = ranked.iloc[0]
    return [
        Finding(
            kind="data_quality",
            subject=row["check"],
            numbers={"table": row["table"], "count": row["count"],
                     "share": row["share"], "severity": row["severity"],
                     "more": len(warned) - 1},
        )
    ]  # fmt: skip


def findings(
    tiles: pd.DataFrame,
    channels: pd.DataFrame | None = None,
    *,
    trend: pd.DataFrame | None = None,
    owners: pd.DataFrame | None = None,
    checks: pd.DataFrame | None = None,
    dim: str = "channel",
    limit: int = 6,
) -> list[Finding]:
    """What the month's numbers say first, as :class:`Finding` records.

    In this order, up to ``limit``: the (up to two) largest moves beyond noise with
    what drove them, the targets missed (overall and per channel), the channels
    with the lowest and highest CAC, the channel that spent without bringing a
    customer (the cheapest on leads first), a rep far below the others on the
    response SLA, and the data-quality warning that touches the largest share of
    its table.

    Parameters
    ----------
    tiles : pandas.DataFrame
        :func:`tiles` of the month.
    channels : pandas.DataFrame, optional
        :func:`dimension_numbers` of the month by ``dim`` (with
        :data:`DIMENSION_KPIS`).
    trend : pandas.DataFrame, optional
        The result ``tiles`` came from: a ratio's move is split into its
        numerator and denominator to find the one that moved it.
    owners : pandas.DataFrame, optional
        :func:`leadkpi.speed_to_lead` by ``("owner",)``. A rep is an outlier when
        the top of their 95 % interval of leads answered within the SLA is under
        half the median rate of the other reps.
    checks : pandas.DataFrame, optional
        :func:`leadkpi.checks`.
    limit : int
        At most this many findings.

    Returns
    -------
    list of Finding

    Examples
    --------
    >>> from leadkpi import compute, load
    >>> data = load("leadkpi.yaml")
    >>> month = pd.Period("2026-10", "M")
    >>> trend = compute(data, TILE_KPIS, by=("month",), start=month - 12, end=month,
    ...                 mode="period")
    >>> channels = dimension_numbers(data, month, targets=data.config.targets)
    >>> found = findings(tiles(trend, month, targets=data.config.targets), channels,
    ...                  trend=trend)
    >>> [(f.kind, f.kpi or f.subject) for f in found][:3]
    [('move', 'cost_per_lead'), ('move', 'leads'), ('targets_missed', None)]
    """
    measures = (
        _measures(channels, dim)
        if channels is not None and "previous_numerator" in channels.columns
        else pd.DataFrame(columns=["level", "measure", "after", "before"])
    )
    groups: list[list[Finding]] = [
        _moves(tiles, trend, measures, limit=2),
        _targets_missed(tiles, channels, dim),
    ]
    if channels is not None:
        groups += [_channel_cac(channels, dim), _no_customers(channels, dim)]
    if owners is not None:
        groups.append(_sla_outliers(owners))
    if checks is not None:
        groups.append(_data_quality(checks))
    found = [f for group in groups for f in group]
    while len(found) > limit:  # drop a second move before any other kind
        moves = [i for i, f in enumerate(found) if f.kind == "move"]
        found.pop(moves[-1] if len(moves) > 1 else len(found) - 1)
    return found
