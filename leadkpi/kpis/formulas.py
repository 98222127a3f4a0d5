"""KPI formulas as plain vectorised functions of their measures.

Each function takes keyword arguments named after the measures it needs and works on
scalars (a worked example in a teaching notebook) and on aligned Series or arrays (the
engine) alike. A zero denominator gives NaN: never an exception, never 0 or inf.

Examples
--------
>>> cost_per_lead(spend=10_000, leads=200)
50.0
>>> round(roas(revenue=1000, spend=97), 2), round(roi(revenue=1000, spend=97), 4)
(10.31, 9.3093)
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import pandas as pd

__all__ = [
    "ratio",
    "cost_per_lead",
    "lead_conversion_rate",
    "cac",
    "roas",
    "roi",
    "ctr",
    "cpc",
    "cpm",
    "revenue_uplift",
    "revenue_uplift_rate",
    "ltv",
    "churn_rate",
    "retention_rate",
]

Num = TypeVar("Num", float, np.ndarray, pd.Series)


def ratio(numerator: Num, denominator: Num) -> Num:
    """``numerator / denominator``, NaN where the denominator is zero or missing."""
    num = np.asarray(numerator, dtype="float64")
    den = np.asarray(denominator, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den != 0, num / np.where(den != 0, den, 1.0), np.nan)
    if isinstance(numerator, pd.Series):
        return pd.Series(out, index=numerator.index)
    if isinstance(denominator, pd.Series):
        return pd.Series(out, index=denominator.index)
    return out if out.ndim else float(out)


def cost_per_lead(*, spend: Num, leads: Num) -> Num:
    """Cost per lead: spend / leads."""
    return ratio(spend, leads)


def lead_conversion_rate(*, customers: Num, leads: Num) -> Num:
    """Lead conversion rate: customers / leads, as a fraction."""
    return ratio(customers, leads)


def cac(*, spend: Num, customers: Num) -> Num:
    """Customer acquisition cost: (marketing + sales) spend / new customers."""
    return ratio(spend, customers)


def roas(*, revenue: Num, spend: Num) -> Num:
    """Return on ad spend: revenue / spend (a multiple, 10.31 means 10.31×)."""
    return ratio(revenue, spend)


def roi(*, revenue: Num, spend: Num) -> Num:
    """Return on investment on net profit: (revenue − spend) / spend, as a fraction."""
    return ratio(np.subtract(revenue, spend), spend)


def ctr(*, clicks: Num, impressions: Num) -> Num:
    """Click-through rate: clicks / impressions."""
    return ratio(clicks, impressions)


def cpc(*, spend: Num, clicks: Num) -> Num:
    """Cost per click: spend / clicks."""
    return ratio(spend, clicks)


def cpm(*, spend: Num, impressions: Num) -> Num:
    """Cost per mille: spend / impressions × 1000."""
    return ratio(np.multiply(spend, 1000.0), impressions)


def revenue_uplift(*, baseline: Num, after: Num) -> Num:
    """Extra revenue per period after a campaign: after − baseline."""
    return np.subtract(after, baseline)


def revenue_uplift_rate(*, baseline: Num, after: Num) -> Num:
    """Uplift as a fraction of the baseline: (after − baseline) / baseline."""
    return ratio(np.subtract(after, baseline), baseline)


def ltv(*, average_value: Num, purchases_per_period: Num, periods: Num) -> Num:
    """Customer lifetime value: average value × purchases per period × periods."""
    return np.multiply(np.multiply(average_value, purchases_per_period), periods)


def churn_rate(*, customers_at_start: Num, customers_lost: Num) -> Num:
    """Customers lost during the period among those active at its start."""
    return ratio(customers_lost, customers_at_start)


def retention_rate(*, customers_at_start: Num, customers_lost: Num) -> Num:
    """1 − churn rate, for the same customers."""
    return 1.0 - churn_rate(
        customers_at_start=customers_at_start, customers_lost=customers_lost
    )
