"""Catalogue section 1: traffic and acquisition (session → lead).

Web KPIs read the ``web`` table (one row per day × source/medium). ``visitors`` sums
its ``users`` column, the distinct users the analytics export reports per row, only
where a cell holds one date: a GA4 export by day counts a visitor who comes back
on two days twice, so over a month ``visitors`` (and ``site_conversion_rate``) is
unknown, with a reason, and ``sessions`` is the count to read.
Ad KPIs read the ``spend`` table. Neither has a cohort reading: their ``mode`` is
``period``.
"""

from __future__ import annotations

from leadkpi.kpis import formulas as f
from leadkpi.kpis.kpi import KPI, kpi

__all__ = ["TRAFFIC"]

TRAFFIC: tuple[KPI, ...] = (
    kpi(
        "visitors",
        "sum of users",
        "count",
        "higher",
    ),
    kpi(
        "sessions",
        "sum of sessions",
        "count",
        "higher",
    ),
    kpi(
        "pageviews",
        "sum of pageviews",
        "count",
        "higher",
    ),
    kpi(
        "pages_per_session",
        "pageviews / sessions",
        "multiple",
        "higher",
        f.pages_per_session,
        n="sessions",
    ),
    kpi(
        "avg_session_duration",
        "engagement_seconds / sessions",
        "seconds",
        "higher",
        f.avg_session_duration,
        n="sessions",
    ),
    kpi(
        "bounce_rate",
        "bounced_sessions / sessions",
        "fraction",
        "lower",
        f.bounce_rate,
        interval="wilson",
    ),
    kpi(
        "engagement_rate",
        "engaged_sessions / sessions",
        "fraction",
        "higher",
        f.engagement_rate,
        interval="wilson",
    ),
    kpi(
        "form_submissions",
        "sum of form_submissions",
        "count",
        "higher",
    ),
    kpi(
        "impressions",
        "sum of impressions",
        "count",
        "higher",
    ),
    kpi(
        "clicks",
        "sum of clicks",
        "count",
        "higher",
    ),
    kpi(
        "ctr",
        "clicks / impressions",
        "fraction",
        "higher",
        f.ctr,
        interval="wilson",
    ),
    kpi(
        "cpc",
        "spend / clicks",
        "currency",
        "lower",
        f.cpc,
        interval="cost_per_count",
    ),
    kpi(
        "cpm",
        "spend / impressions × 1000",
        "currency",
        "lower",
        f.cpm,
        n="impressions",
    ),
    kpi(
        "spend",
        "sum of cost",
        "currency",
        None,
    ),
    kpi(
        "leads",
        "count of leads by created_at",
        "count",
        "higher",
    ),
    kpi(
        "site_conversion_rate",
        "leads / visitors",
        "fraction",
        "higher",
        f.site_conversion_rate,
        interval="wilson",
    ),
    kpi(
        "session_to_lead_rate",
        "leads / sessions",
        "fraction",
        "higher",
        f.session_to_lead_rate,
    ),
    kpi(
        "landing_page_conversion_rate",
        "form_submissions / landing_page_sessions",
        "fraction",
        "higher",
        f.landing_page_conversion_rate,
        interval="wilson",
    ),
    kpi(
        "cost_per_lead",
        "spend / leads",
        "currency",
        "lower",
        f.cost_per_lead,
        interval="cost_per_count",
    ),
    kpi(
        "database_size",
        "leads created by period end − those opted out or hard-bounced by then",
        "count",
        "higher",
        measures=("contactable_at_end",),
    ),
    kpi(
        "opt_out_rate",
        "opt_outs / contactable_at_start",
        "fraction",
        "lower",
        f.opt_out_rate,
        interval="wilson",
    ),
)
