"""Catalogue section 3: qualification and sales funnel (lead → MQL → SQL → won).

Stage counts read the leads table. In cohort mode a stage counts the leads created
in the period that went on to reach it (ever, up to the data's end); in period mode
it counts the stage events dated in the period. Under ``cumulative_stages`` (the
default) a lead that skipped a stage reached it, dated by the earliest later stage:
the counts the funnel shows. ``*_recorded`` count the stage dates as recorded.
Contact KPIs read ``first_response_at`` (the first recorded response by sales),
``replied_at`` (the prospect replied) and ``not_interested_at`` (marked not
interested). Durations are
in seconds and computed from the rows of each cell: a median is never averaged.
``time_to_conversion`` counts from lead creation;
``time_to_conversion_from_first_touch`` from the lead's earliest touch
(``first_touch_at``, derived from the touches table), as the webinar-platform article
counts it.
"""

from __future__ import annotations

from leadkpi.kpis import formulas as f
from leadkpi.kpis.kpi import KPI, kpi

__all__ = ["FUNNEL"]


def _cost(id_: str, stage: str, func: object) -> KPI:
    return kpi(
        id_,
        f"spend / {stage}",
        "currency",
        "lower",
        func,
        interval="cost_per_count",
    )


def _rate(id_: str, func: object, better: str = "higher") -> KPI:
    code = func.__code__
    num, den = code.co_varnames[:2]
    return kpi(id_, f"{num} / {den}", "fraction", better, func, interval="wilson")


def _recorded(id_: str, column: str) -> KPI:
    return kpi(
        f"{id_}_recorded",
        f"count of leads by {column} as recorded",
        "count",
        "higher",
    )


def _cac(*, total_cost: object, customers: object) -> object:
    """CAC on the full cost base: (ad spend + other costs) / new customers."""
    return f.cac(spend=total_cost, customers=customers)


FUNNEL: tuple[KPI, ...] = (
    kpi(
        "mqls",
        "count of leads reaching mql_at",
        "count",
        "higher",
    ),
    kpi(
        "sqls",
        "count of leads reaching sql_at",
        "count",
        "higher",
    ),
    kpi(
        "opportunities",
        "count of leads reaching opportunity_at",
        "count",
        "higher",
    ),
    _recorded(
        "mqls",
        "mql_at",
    ),
    _recorded(
        "sqls",
        "sql_at",
    ),
    _recorded(
        "opportunities",
        "opportunity_at",
    ),
    kpi(
        "customers",
        "count of leads by won_at",
        "count",
        "higher",
    ),
    _rate(
        "lead_to_mql_rate",
        f.lead_to_mql_rate,
    ),
    _rate(
        "mql_to_sql_rate",
        f.mql_to_sql_rate,
    ),
    _rate(
        "sql_to_opportunity_rate",
        f.sql_to_opportunity_rate,
    ),
    _rate(
        "win_rate",
        f.win_rate,
    ),
    _rate(
        "lead_conversion_rate",
        f.lead_conversion_rate,
    ),
    _rate(
        "response_rate",
        f.response_rate,
    ),
    _rate(
        "not_interested_rate",
        f.not_interested_rate,
        better="lower",
    ),
    _cost("cost_per_mql", "mqls", f.cost_per_mql),
    _cost("cost_per_sql", "sqls", f.cost_per_sql),
    _cost(
        "cost_per_opportunity",
        "opportunities",
        f.cost_per_opportunity,
    ),
    kpi(
        "cac",
        "(spend + other_costs) / customers",
        "currency",
        "lower",
        _cac,
        measures=("total_cost", "customers"),
        interval="cost_per_count",
    ),
    kpi(
        "paid_cac",
        "spend / customers",
        "currency",
        "lower",
        f.cac,
        interval="cost_per_count",
    ),
    kpi(
        "other_costs",
        "sum of costs.amount (rows without a channel shared by their rule)",
        "currency",
        None,
    ),
    kpi(
        "total_cost",
        "spend + other_costs",
        "currency",
        None,
    ),
    kpi(
        "lead_response_time",
        "median(first_response_at − created_at)",
        "seconds",
        "lower",
        measures=("response_seconds",),
        interval="statistic",
    ),
    _rate(
        "contacted_within_sla_rate",
        f.contacted_within_sla_rate,
    ),
    _rate(
        "never_contacted_rate",
        f.never_contacted_rate,
        better="lower",
    ),
    kpi(
        "time_to_conversion",
        "median(won_at − created_at)",
        "seconds",
        "lower",
        measures=("conversion_seconds",),
        interval="statistic",
    ),
    kpi(
        "time_to_conversion_p90",
        "quantile(won_at − created_at, 0.9)",
        "seconds",
        "lower",
        measures=("conversion_seconds_p90",),
        interval="statistic",
    ),
    kpi(
        "time_to_conversion_from_first_touch",
        "median(won_at − first touched_at)",
        "seconds",
        "lower",
        measures=("first_touch_conversion_seconds",),
        interval="statistic",
    ),
    kpi(
        "time_to_conversion_from_first_touch_p90",
        "quantile(won_at − first touched_at, 0.9)",
        "seconds",
        "lower",
        measures=("first_touch_conversion_seconds_p90",),
        interval="statistic",
    ),
    kpi(
        "stage_duration",
        "median(stage reached − previous stage reached), all configured stages",
        "seconds",
        "lower",
        measures=("stage_seconds",),
        interval="statistic",
    ),
    kpi(
        "avg_lead_score",
        "mean(score)",
        "points",
        "higher",
        measures=("mean_score",),
        interval="statistic",
    ),
)
