"""Lesson 2 — the funnel: stage-to-stage rates, cohort versus period, sum over sum.

Two exercises are worked by hand (a small funnel; a quarter of three months), three
are on the sample company: what June 2026's leads went on to become (cohort), what
happened in June 2026 (period), and the MQL→SQL rate of the third quarter of 2026.
"""

from __future__ import annotations

import pandas as pd

from leadkpi.course.exercise import Exercise, Mistake
from leadkpi.data import LeadData
from leadkpi.kpis.engine import compute

#: The sample month counted both ways in exercises 2.2 and 2.3.
MONTH = "2026-06"
#: The sample quarter of exercise 2.5 (first and last month).
QUARTER = ("2026-07", "2026-09")

#: Exercise 2.1's funnel, worked by hand: stage → count.
FUNNEL = {"visitors": 2_000, "leads": 120, "mqls": 48, "sqls": 18}
#: Exercise 2.4's quarter, worked by hand: month → (leads, customers).
MONTHS = {"July": (500, 10), "August": (100, 8), "September": (400, 12)}


def _values(
    data: LeadData, kpi: str, by: tuple[str, ...], mode: str, start: str, end: str
) -> pd.Series:
    return compute(data, kpi, by=by, mode=mode, start=start, end=end)["value"]


def june_customers(data: LeadData, mode: str) -> float:
    """Customers of :data:`MONTH` counted in ``mode``: won by the leads created in
    it (``cohort``) or won in it (``period``)."""
    return float(_values(data, "customers", ("month",), mode, MONTH, MONTH).iloc[0])


def quarter_mql_to_sql_rate(data: LeadData, mode: str = "period") -> float:
    """MQL→SQL rate of :data:`QUARTER` as a whole, counted in ``mode``."""
    return float(_values(data, "mql_to_sql_rate", (), mode, *QUARTER).iloc[0])


def averaged_monthly_mql_to_sql_rate(data: LeadData) -> float:
    """The classic slip: the mean of the quarter's three monthly rates."""
    return float(
        _values(data, "mql_to_sql_rate", ("month",), "period", *QUARTER).mean()
    )


_leads = sum(leads for leads, _ in MONTHS.values())
_customers = sum(customers for _, customers in MONTHS.values())
_monthly_rates = [customers / leads for leads, customers in MONTHS.values()]

EXERCISES: tuple[Exercise, ...] = (
    # MQL→SQL of the hand-made funnel: SQLs over the stage before, not over leads
    Exercise(
        "2.1",
        "fraction",
        FUNNEL["sqls"] / FUNNEL["mqls"],
        mistakes=(
            Mistake(FUNNEL["sqls"] / FUNNEL["leads"], "rate_from_first"),
            Mistake(FUNNEL["sqls"] / FUNNEL["visitors"], "rate_from_first"),
        ),
    ),
    # customers that June 2026's leads went on to become (cohort)
    Exercise(
        "2.2",
        "number",
        lambda data: june_customers(data, "cohort"),
        mistakes=(
            Mistake(lambda data: june_customers(data, "period"), "period_not_cohort"),
        ),
    ),
    # customers won in June 2026 (period)
    Exercise(
        "2.3",
        "number",
        lambda data: june_customers(data, "period"),
        mistakes=(
            Mistake(lambda data: june_customers(data, "cohort"), "cohort_not_period"),
        ),
    ),
    # the quarter's lead conversion rate, from three months worked by hand
    Exercise(
        "2.4",
        "fraction",
        _customers / _leads,
        mistakes=(
            Mistake(sum(_monthly_rates) / len(_monthly_rates), "averaged_ratios"),
        ),
    ),
    # the sample's MQL→SQL rate in the third quarter of 2026 (period)
    Exercise(
        "2.5",
        "fraction",
        quarter_mql_to_sql_rate,
        mistakes=(
            Mistake(averaged_monthly_mql_to_sql_rate, "averaged_ratios"),
            Mistake(
                lambda data: quarter_mql_to_sql_rate(data, "cohort"),
                "cohort_not_period",
            ),
        ),
    ),
)
