"""Attributed leads, customers and revenue joined with spend: CPL, CAC, ROAS, ROI
per channel (or campaign) under every model."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from leadkpi.attribution.credit import attribute
from leadkpi.attribution.journeys import journeys
from leadkpi.attribution.walks import LEVELS
from leadkpi.exceptions import ArgumentError
from leadkpi.periods import parse_month

__all__ = ["attribution_kpis", "KPI_COLUMNS"]

#: Columns after ``model`` and the level's key columns.
KPI_COLUMNS = (
    "spend",
    "leads",
    "customers",
    "revenue",
    "cpl",
    "cac",
    "roas",
    "roi",
)


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """Sum over sum; a zero or missing denominator gives NaN."""
    return numerator / denominator.where(denominator > 0)


def _spend(data: object, keys: list[str], start: object, end: object) -> pd.DataFrame:
    spend = getattr(data, "spend", None)
    if spend is None:
        return pd.DataFrame(columns=[*keys, "spend"])
    month = pd.to_datetime(spend["date"]).dt.to_period("M")
    inside = pd.Series(True, index=spend.index)
    if start is not None:
        inside &= month >= parse_month(start)
    if end is not None:
        inside &= month <= parse_month(end)
    rows = spend.loc[inside, [*keys, "cost"]].astype({k: str for k in keys})
    return (
        rows.groupby(keys, as_index=False, observed=True)["cost"]
        .sum()
        .rename(columns={"cost": "spend"})
    )


def attribution_kpis(
    data: object,
    *,
    models: Sequence[str] | str | None = None,
    by: str = "channel",
    start: str | pd.Period | None = None,
    end: str | pd.Period | None = None,
    lookback_days: float | None = 90,
    **settings: object,
) -> pd.DataFrame:
    """Leads, customers and revenue per channel under each model, with spend.

    Two attributions in one call: leads (journeys ending at lead creation, for
    CPL) and customers with their revenue (journeys ending at the win, for CAC,
    ROAS and ROI), each over the months ``start`` to ``end``, joined with the
    spend of the same months.

    Parameters
    ----------
    data : LeadData
        Needs ``touches`` and ``leads``; ``spend`` for the cost KPIs.
    models, by, **settings
        As :func:`~leadkpi.attribution.attribute` (``half_life_days``,
        ``position_weights``, ``w_weights``, ``shapley_game``).
    start, end : str or Period, optional
        First and last month (``"YYYY-MM"``).
    lookback_days : float or None
        As :func:`~leadkpi.attribution.journeys`.

    Returns
    -------
    pandas.DataFrame
        ``model``, the level's columns, ``spend`` (NaN where the spend table has
        no rows for the channel), ``leads``, ``customers``, ``revenue`` (all
        attributed), ``cpl`` = spend / leads, ``cac`` = spend / customers,
        ``roas`` = revenue / spend, ``roi`` = (revenue − spend) / spend. A zero
        or missing denominator gives NaN.

    Examples
    --------
    >>> from leadkpi import load
    >>> kpis = attribution_kpis(load("leadkpi.yaml"), models=["first_touch",
    ...     "markov_1"], start="2026-01", end="2026-10")
    >>> list(kpis.columns)[:4]
    ['model', 'channel', 'spend', 'leads']
    >>> kpis.groupby("model")["customers"].sum().round(6).tolist()
    [120.0, 120.0]
    """
    if by not in LEVELS:
        raise ArgumentError(f"by={by!r}: expected one of {list(LEVELS)}")
    keys = list(LEVELS[by])
    window = {"start": start, "end": end, "lookback_days": lookback_days}
    won = attribute(
        journeys(data, conversion="customer", **window), models=models, by=by,
        **settings,
    )
    leads = attribute(
        journeys(data, conversion="lead", **window), models=models, by=by,
        **settings,
    )
    table = won.rename(columns={"conversions": "customers"}).merge(
        leads[["model", *keys, "conversions"]].rename(columns={"conversions": "leads"}),
        on=["model", *keys],
        how="outer",
    )
    spend = _spend(data, keys, start, end)
    grid = table[["model"]].drop_duplicates().merge(spend, how="cross")
    table = table.merge(grid, on=["model", *keys], how="outer")
    for column in ("leads", "customers", "revenue"):
        table[column] = table[column].fillna(0.0)
    table["cpl"] = _ratio(table["spend"], table["leads"])
    table["cac"] = _ratio(table["spend"], table["customers"])
    table["roas"] = _ratio(table["revenue"], table["spend"])
    table["roi"] = _ratio(table["revenue"] - table["spend"], table["spend"])
    order = {m: i for i, m in enumerate(dict.fromkeys(won["model"]))}
    table = table.sort_values(
        ["model", *keys], key=lambda s: s.map(order) if s.name == "model" else s
    )
    table = table[["model", *keys, *KPI_COLUMNS]].reset_index(drop=True)
    table = table.astype({k: float for k in KPI_COLUMNS})
    table.attrs = {
        "by": by,
        "lookback_days": lookback_days,
        "customers": won.attrs["conversions"],
        "dropped": won.attrs.get("dropped", {}),
        "no_touch": won.attrs.get("no_touch", 0),
    }
    return table
