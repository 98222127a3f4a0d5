"""Findings of a month: what its numbers say first, as records.

:func:`findings` reads the KPI tiles (:func:`leadkpi.summary.tiles`), the channels of
the month (:func:`leadkpi.summary.dimension_numbers`), the response times by owner
(:func:`leadkpi.speed_to_lead`) and the data-quality checks (:func:`leadkpi.checks`)
and returns :class:`Finding` records: the largest moves beyond noise with the channel
that drove them, the targets missed, the best and worst channel on CAC, channels that
spend without bringing a customer, response-time outliers and data-quality warnings.
Their words live in :mod:`leadkpi.present.findings_tables`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from leadkpi.kpis.definitions import KPIS

__all__ = ["Finding", "findings"]


@dataclass(frozen=True)
class Finding:
    """One thing the numbers say, as data; :mod:`leadkpi.present.findings_tables`
    words it.

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
        :func:`leadkpi.speed_to_lead` by ``("owner",)`` over the twelve months
        up to the report month (the sentence says that window). A rep is an
        outlier when the top of their 95 % interval of leads answered within the
        SLA is under half the median rate of the other reps.
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
    >>> from leadkpi.summary import TILE_KPIS, dimension_numbers, tiles
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
