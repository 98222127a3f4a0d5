"""Catalogue section 4: revenue, value and retention.

Choices taken from the data, so that every figure is reproducible:

- ``revenue`` sums ``deal_value`` of won leads (by ``won_at`` in period mode, by
  ``created_at`` of the won leads in cohort mode).
- ``pipeline_value`` reads the ``deals`` table: the ``amount`` of deals created by
  the period end and neither won nor lost by then.
- ``revenue_uplift`` compares a period's revenue with its **baseline**: the mean
  revenue per period over the three periods before, in the same cell (channel,
  campaign, …), periods without revenue counting as zero. It needs a period in
  ``by``. Annualise with :func:`leadkpi.kpis.formulas.revenue_uplift_annualised`.
- ``churn_rate`` reads the ``customers`` table: customers active at the period start
  (started before it, not ended before it) that ended during it, over those active
  at the start; customers won during the period do not dilute it.
- ``ltv`` = average recurring revenue per month of the customers active at the
  period start × months per period × expected lifetime in periods, the lifetime
  being 1 / churn rate of that same period (a constant-churn model) capped at
  ``config.ltv_max_months`` (default 60 months; also the lifetime when nobody was
  lost): 1 / churn explodes when churn is rare. ``recurring_revenue`` is monthly.
- ``roas`` and ``roi`` set the revenue of the channels that had spend in the
  selected range (``paid_revenue``) against spend: per channel the channel's own
  revenue and spend, at the total the paid channels' revenue and all spend.
  ``blended_roas`` and ``blended_roi`` divide all revenue, organic customers
  included, by all spend.
- ``gross_margin_roi`` sets the gross profit of all revenue (``revenue ×
  gross_margin``, the config's share of revenue left after the cost of sales)
  against the total cost (ad spend + the costs table); without ``gross_margin`` in
  the config it is unknown, with that reason, never read as a 100 % margin.
- ``ltv_to_cac`` divides that LTV by the CAC of the same cell (on the full cost
  base, see ``cac``).
"""

from __future__ import annotations

import numpy as np

from leadkpi.kpis import formulas as f
from leadkpi.kpis.kpi import KPI, kpi

__all__ = ["REVENUE"]


def _ltv(
    *,
    recurring_revenue_at_start: object,
    months_per_period: object,
    customers_at_start: object,
    customers_lost: object,
    ltv_max_months: object,
) -> object:
    """LTV from the start stock: ARPA × months per period × min(1 / churn, cap)."""
    return f.ltv(
        average_value=f.ratio(recurring_revenue_at_start, customers_at_start),
        purchases_per_period=months_per_period,
        periods=f.lifetime(
            customers_at_start=customers_at_start,
            customers_lost=customers_lost,
            cap=np.divide(ltv_max_months, months_per_period),
        ),
    )


def _ltv_to_cac(
    *,
    recurring_revenue_at_start: object,
    months_per_period: object,
    customers_at_start: object,
    customers_lost: object,
    ltv_max_months: object,
    total_cost: object,
    customers: object,
) -> object:
    value = _ltv(
        recurring_revenue_at_start=recurring_revenue_at_start,
        months_per_period=months_per_period,
        customers_at_start=customers_at_start,
        customers_lost=customers_lost,
        ltv_max_months=ltv_max_months,
    )
    return f.ltv_to_cac(ltv=value, cac=f.cac(spend=total_cost, customers=customers))


def _uplift(*, revenue: object, revenue_baseline: object) -> object:
    return f.revenue_uplift(baseline=revenue_baseline, after=revenue)


def _uplift_rate(*, revenue: object, revenue_baseline: object) -> object:
    return f.revenue_uplift_rate(baseline=revenue_baseline, after=revenue)


def _roas(*, paid_revenue: object, spend: object) -> object:
    return f.roas(revenue=paid_revenue, spend=spend)


def _roi(*, paid_revenue: object, spend: object) -> object:
    return f.roi(revenue=paid_revenue, spend=spend)


def _blended_roas(*, revenue: object, spend: object) -> object:
    return f.roas(revenue=revenue, spend=spend)


def _blended_roi(*, revenue: object, spend: object) -> object:
    return f.roi(revenue=revenue, spend=spend)


def _gross_margin_roi(
    *, revenue: object, total_cost: object, gross_margin: object
) -> object:
    return f.gross_margin_roi(
        revenue=revenue, cost=total_cost, gross_margin=gross_margin
    )


_LTV_MEASURES = (
    "recurring_revenue_at_start",
    "months_per_period",
    "customers_at_start",
    "customers_lost",
    "ltv_max_months",
)

REVENUE: tuple[KPI, ...] = (
    kpi(
        "revenue",
        "sum of deal_value of won leads",
        "currency",
        "higher",
        n="customers",
        support=("customers",),
    ),
    kpi(
        "average_deal_size",
        "revenue / customers",
        "currency",
        "higher",
        f.average_deal_size,
        interval="mean_value",
        n="customers",
        support=("revenue_sq",),
    ),
    kpi(
        "pipeline_value",
        "sum of amount of deals open at period end",
        "currency",
        "higher",
        measures=("open_pipeline",),
    ),
    kpi(
        "roas",
        "paid_revenue / spend",
        "multiple",
        "higher",
        _roas,
        interval="return_on_spend",
        n="paid_customers",
        support=("paid_revenue_sq", "paid_customers"),
    ),
    kpi(
        "roi",
        "(paid_revenue − spend) / spend",
        "fraction",
        "higher",
        _roi,
        interval="return_on_spend",
        n="paid_customers",
        support=("paid_revenue_sq", "paid_customers"),
    ),
    kpi(
        "blended_roas",
        "revenue / spend",
        "multiple",
        "higher",
        _blended_roas,
        interval="return_on_spend",
        n="customers",
        support=("revenue_sq", "customers"),
    ),
    kpi(
        "blended_roi",
        "(revenue − spend) / spend",
        "fraction",
        "higher",
        _blended_roi,
        interval="return_on_spend",
        n="customers",
        support=("revenue_sq", "customers"),
    ),
    kpi(
        "gross_margin_roi",
        "(revenue × gross_margin − total_cost) / total_cost",
        "fraction",
        "higher",
        _gross_margin_roi,
        measures=("revenue", "total_cost", "gross_margin"),
        n="customers",
        support=("customers",),
    ),
    kpi(
        "revenue_uplift",
        "revenue − revenue_baseline",
        "currency",
        "higher",
        _uplift,
        measures=("revenue", "revenue_baseline"),
    ),
    kpi(
        "revenue_uplift_rate",
        "(revenue − revenue_baseline) / revenue_baseline",
        "fraction",
        "higher",
        _uplift_rate,
        measures=("revenue", "revenue_baseline"),
    ),
    kpi(
        "ltv",
        "ARPA × months_per_period × min(customers_at_start / customers_lost, "
        "ltv_max_months / months_per_period)",
        "currency",
        "higher",
        _ltv,
        measures=_LTV_MEASURES,
        numerator="recurring_revenue_at_start",
        denominator="customers_lost",
        n="customers_at_start",
    ),
    kpi(
        "ltv_to_cac",
        "ltv / cac",
        "multiple",
        "higher",
        _ltv_to_cac,
        measures=(*_LTV_MEASURES, "total_cost", "customers"),
        numerator=None,
        denominator=None,
        n="customers",
    ),
    kpi(
        "churn_rate",
        "customers_lost / customers_at_start",
        "fraction",
        "lower",
        f.churn_rate,
        measures=("customers_lost", "customers_at_start"),
        interval="wilson",
    ),
    kpi(
        "retention_rate",
        "1 − customers_lost / customers_at_start",
        "fraction",
        "higher",
        f.retention_rate,
        measures=("customers_at_start", "customers_lost"),
        numerator="customers_lost",
        denominator="customers_at_start",
        interval="wilson_complement",
    ),
)
