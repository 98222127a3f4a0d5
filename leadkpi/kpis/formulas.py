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
    "gross_margin_roi",
    "ctr",
    "cpc",
    "cpm",
    "revenue_uplift",
    "revenue_uplift_rate",
    "revenue_uplift_annualised",
    "ltv",
    "churn_rate",
    "retention_rate",
    "pages_per_session",
    "avg_session_duration",
    "bounce_rate",
    "engagement_rate",
    "site_conversion_rate",
    "landing_page_conversion_rate",
    "opt_out_rate",
    "delivery_rate",
    "open_rate",
    "email_ctr",
    "click_to_open_rate",
    "unsubscribe_rate",
    "email_bounce_rate",
    "session_to_lead_rate",
    "workflow_goal_rate",
    "lead_to_mql_rate",
    "mql_to_sql_rate",
    "sql_to_opportunity_rate",
    "win_rate",
    "response_rate",
    "not_interested_rate",
    "cost_per_mql",
    "cost_per_sql",
    "cost_per_opportunity",
    "contacted_within_sla_rate",
    "never_contacted_rate",
    "average_deal_size",
    "ltv_to_cac",
    "cost_per_conversion",
    "conversion_rate",
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


def gross_margin_roi(*, revenue: Num, cost: Num, gross_margin: Num) -> Num:
    """Return on investment on gross profit: (revenue × gross margin − cost) / cost.

    >>> round(gross_margin_roi(revenue=1000, cost=97, gross_margin=0.6), 4)
    5.1856
    """
    return ratio(np.subtract(np.multiply(revenue, gross_margin), cost), cost)


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


def revenue_uplift_annualised(
    *, baseline: Num, after: Num, periods_per_year: Num = 12
) -> Num:
    """Uplift over a year: (after − baseline) × periods per year (12 for months)."""
    return np.multiply(np.subtract(after, baseline), periods_per_year)


def revenue_uplift_rate(*, baseline: Num, after: Num) -> Num:
    """Uplift as a fraction of the baseline: (after − baseline) / baseline."""
    return ratio(np.subtract(after, baseline), baseline)


def ltv(*, average_value: Num, purchases_per_period: Num, periods: Num) -> Num:
    """Customer lifetime value: average value × purchases per period × periods."""
    return np.multiply(np.multiply(average_value, purchases_per_period), periods)


def lifetime(*, customers_at_start: Num, customers_lost: Num, cap: Num) -> Num:
    """Expected lifetime in periods under constant churn, capped: ``min(1 / churn,
    cap)``; the cap when nobody was lost, NaN without customers at the start.

    >>> float(lifetime(customers_at_start=200, customers_lost=1, cap=60))
    60.0
    """
    start = np.asarray(customers_at_start, dtype="float64")
    lost = np.asarray(customers_lost, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(lost > 0, start / np.where(lost > 0, lost, 1.0), np.inf)
    out = np.where(start > 0, np.minimum(raw, cap), np.nan)
    return out if out.ndim else float(out)


def churn_rate(*, customers_at_start: Num, customers_lost: Num) -> Num:
    """Customers lost during the period among those active at its start."""
    return ratio(customers_lost, customers_at_start)


def retention_rate(*, customers_at_start: Num, customers_lost: Num) -> Num:
    """1 − churn rate, for the same customers."""
    return 1.0 - churn_rate(
        customers_at_start=customers_at_start, customers_lost=customers_lost
    )


def pages_per_session(*, pageviews: Num, sessions: Num) -> Num:
    """Page views per session: pageviews / sessions."""
    return ratio(pageviews, sessions)


def avg_session_duration(*, engagement_seconds: Num, sessions: Num) -> Num:
    """Engagement seconds per session (a duration in seconds).

    ``engagement_seconds / sessions``
    """
    return ratio(engagement_seconds, sessions)


def bounce_rate(*, bounced_sessions: Num, sessions: Num) -> Num:
    """Share of sessions that bounced: bounced_sessions / sessions."""
    return ratio(bounced_sessions, sessions)


def engagement_rate(*, engaged_sessions: Num, sessions: Num) -> Num:
    """Share of sessions that were engaged: engaged_sessions / sessions."""
    return ratio(engaged_sessions, sessions)


def site_conversion_rate(*, leads: Num, visitors: Num) -> Num:
    """Leads per distinct visitor: leads / visitors."""
    return ratio(leads, visitors)


def session_to_lead_rate(*, leads: Num, sessions: Num) -> Num:
    """Leads per web session: leads / sessions (additive over days, unlike
    visitors).

    Examples
    --------
    >>> session_to_lead_rate(leads=30, sessions=2_000)
    0.015
    """
    return ratio(leads, sessions)


def landing_page_conversion_rate(
    *, form_submissions: Num, landing_page_sessions: Num
) -> Num:
    """Form submissions per landing-page session.

    ``form_submissions / landing_page_sessions``
    """
    return ratio(form_submissions, landing_page_sessions)


def opt_out_rate(*, opt_outs: Num, contactable_at_start: Num) -> Num:
    """Contactable leads at the period start that opted out during it.

    ``opt_outs / contactable_at_start``
    """
    return ratio(opt_outs, contactable_at_start)


def delivery_rate(*, delivered: Num, sent: Num) -> Num:
    """Share of sent e-mails that were delivered: delivered / sent."""
    return ratio(delivered, sent)


def open_rate(*, opens: Num, delivered: Num) -> Num:
    """Unique opens per delivered e-mail: opens / delivered."""
    return ratio(opens, delivered)


def email_ctr(*, email_clicks: Num, delivered: Num) -> Num:
    """Unique clicks per delivered e-mail: email_clicks / delivered."""
    return ratio(email_clicks, delivered)


def click_to_open_rate(*, email_clicks: Num, opens: Num) -> Num:
    """Unique clicks per unique open: email_clicks / opens."""
    return ratio(email_clicks, opens)


def unsubscribe_rate(*, unsubscribes: Num, delivered: Num) -> Num:
    """Unsubscribes per delivered e-mail: unsubscribes / delivered."""
    return ratio(unsubscribes, delivered)


def email_bounce_rate(*, email_bounces: Num, sent: Num) -> Num:
    """Share of sent e-mails that bounced: email_bounces / sent.

    Examples
    --------
    >>> email_bounce_rate(email_bounces=12, sent=1_000)
    0.012
    """
    return ratio(email_bounces, sent)


def workflow_goal_rate(*, workflow_goals: Num, workflow_enrolled: Num) -> Num:
    """Enrolled contacts that reached the workflow goal.

    ``workflow_goals / workflow_enrolled``
    """
    return ratio(workflow_goals, workflow_enrolled)


def lead_to_mql_rate(*, mqls: Num, leads: Num) -> Num:
    """Share of leads that became MQLs: mqls / leads."""
    return ratio(mqls, leads)


def mql_to_sql_rate(*, sqls: Num, mqls: Num) -> Num:
    """Share of MQLs that sales accepted: sqls / mqls."""
    return ratio(sqls, mqls)


def sql_to_opportunity_rate(*, opportunities: Num, sqls: Num) -> Num:
    """Share of SQLs that became opportunities: opportunities / sqls."""
    return ratio(opportunities, sqls)


def win_rate(*, customers: Num, opportunities: Num) -> Num:
    """Share of opportunities won: customers / opportunities."""
    return ratio(customers, opportunities)


def response_rate(*, replies: Num, contacted: Num) -> Num:
    """Share of contacted leads that replied: replies / contacted."""
    return ratio(replies, contacted)


def not_interested_rate(*, not_interested: Num, contacted: Num) -> Num:
    """Share of contacted leads marked not interested: not_interested / contacted."""
    return ratio(not_interested, contacted)


def cost_per_mql(*, spend: Num, mqls: Num) -> Num:
    """Spend per MQL: spend / mqls."""
    return ratio(spend, mqls)


def cost_per_sql(*, spend: Num, sqls: Num) -> Num:
    """Spend per SQL: spend / sqls."""
    return ratio(spend, sqls)


def cost_per_opportunity(*, spend: Num, opportunities: Num) -> Num:
    """Spend per opportunity, in the same period: spend / opportunities."""
    return ratio(spend, opportunities)


def contacted_within_sla_rate(*, contacted_within_sla: Num, leads: Num) -> Num:
    """Share of leads first contacted within the SLA: contacted_within_sla / leads."""
    return ratio(contacted_within_sla, leads)


def never_contacted_rate(*, never_contacted: Num, leads: Num) -> Num:
    """Share of leads with no recorded response: never_contacted / leads."""
    return ratio(never_contacted, leads)


def average_deal_size(*, revenue: Num, customers: Num) -> Num:
    """Revenue per won deal: revenue / customers."""
    return ratio(revenue, customers)


def ltv_to_cac(*, ltv: Num, cac: Num) -> Num:
    """Lifetime value per unit of acquisition cost (a multiple): ltv / cac."""
    return ratio(ltv, cac)


def cost_per_conversion(*, spend: Num, conversions: Num) -> Num:
    """Cost per conversion (of one conversion event): spend / conversions.

    >>> cost_per_conversion(spend=1_500, conversions=50)
    30.0
    """
    return ratio(spend, conversions)


def conversion_rate(*, conversions: Num, leads: Num) -> Num:
    """Conversion rate (of one conversion event): conversions / leads.

    >>> conversion_rate(conversions=25, leads=500)
    0.05
    """
    return ratio(conversions, leads)
