"""Lesson 1 — what a KPI is; the core formulas (CPL, ROAS versus ROI, CAC).

The worked examples are the catalogue's: a campaign of 10,000 spent for 200 leads,
a 97 € tool that brought 10 sales of 100 €, 1,500 of ads for 50 customers. Two
exercises are on the sample company: its cost per lead in a month and the share of
a year's leads that became customers.
"""

from __future__ import annotations

import pandas as pd

from leadkpi.course.exercise import Exercise, Mistake
from leadkpi.data import LeadData
from leadkpi.kpis.engine import compute

#: The sample month the lesson's own exercise is about.
MONTH = "2026-10"
#: The sample year whose leads the conversion exercise follows (a cohort old enough
#: to have converted).
YEAR = ("2025-01", "2025-12")


def sample_cost_per_lead(data: LeadData) -> float:
    """The sample company's cost per lead in :data:`MONTH`, all channels."""
    result = compute(
        data, "cost_per_lead", by=("month",), mode="period", start=MONTH, end=MONTH
    )
    return float(result["value"].iloc[0])


def averaged_channel_cost_per_lead(data: LeadData) -> float:
    """The classic slip: the mean of the channels' CPLs instead of spend ÷ leads."""
    result = compute(
        data,
        "cost_per_lead",
        by=("month", "channel"),
        mode="period",
        start=MONTH,
        end=MONTH,
    )
    return float(result["value"].dropna().mean())


def _conversion(data: LeadData, by: tuple[str, ...], mode: str) -> pd.Series:
    start, end = YEAR
    result = compute(
        data, "lead_conversion_rate", by=by, mode=mode, start=start, end=end
    )
    return result["value"]


def sample_conversion_rate(data: LeadData) -> float:
    """Share of the sample's leads created in :data:`YEAR` that became customers."""
    return float(_conversion(data, (), "cohort").iloc[0])


def averaged_channel_conversion_rate(data: LeadData) -> float:
    """The classic slip: the mean of the channels' conversion rates."""
    return float(_conversion(data, ("channel",), "cohort").dropna().mean())


def period_conversion_rate(data: LeadData) -> float:
    """Customers won in :data:`YEAR` over leads created in it: a period count."""
    return float(_conversion(data, (), "period").iloc[0])


EXERCISES: tuple[Exercise, ...] = (
    # 10,000 spent, 200 leads
    Exercise("1.1", "number", 10_000 / 200),
    # 10 sales of 100 € against a 97 € subscription: revenue ÷ cost
    Exercise(
        "1.2",
        "number",
        1_000 / 97,
        mistakes=(Mistake((1_000 - 97) / 97, "roi_not_roas"),),
    ),
    # the same, as ROI on net profit (a fraction: 9.309 or "930.9 %")
    Exercise(
        "1.3",
        "fraction",
        (1_000 - 97) / 97,
        mistakes=(Mistake(1_000 / 97, "roas_not_roi"),),
    ),
    # the source's "ROI of 1030.9 %": which KPI is it really?
    Exercise(
        "1.4",
        "choice",
        "ROAS",
        choices=("ROI", "ROAS"),
        mistakes=(Mistake("ROI", "roas_not_roi"),),
    ),
    # 1,500 of ads, 50 new customers
    Exercise("1.5", "number", 1_500 / 50),
    # the sample company's CPL in October 2026
    Exercise(
        "1.6",
        "number",
        sample_cost_per_lead,
        mistakes=(Mistake(averaged_channel_cost_per_lead, "averaged_ratios"),),
    ),
    # the share of the sample's 2025 leads that became customers
    Exercise(
        "1.7",
        "fraction",
        sample_conversion_rate,
        mistakes=(
            Mistake(averaged_channel_conversion_rate, "averaged_ratios"),
            Mistake(period_conversion_rate, "period_not_cohort"),
        ),
    ),
)
