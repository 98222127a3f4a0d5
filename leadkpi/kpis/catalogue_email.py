"""Catalogue section 2: e-mail and nurturing.

Send KPIs read the ``email`` table (one row per send × campaign; ``opens`` and
``clicks`` are unique opens and clicks). ``nurture_leads`` counts leads whose
converting touch (the UTM campaign on the lead) is a nurture campaign: a UTM
campaign code starting with one of
:data:`~leadkpi.kpis.measure_catalogue.NURTURE_PREFIXES` (pass a KPI over your own
measure to use another rule). ``workflow_goal_rate`` reads
the leads columns ``workflow_enrolled_at`` and ``workflow_goal_at``.
"""

from __future__ import annotations

from leadkpi.kpis import formulas as f
from leadkpi.kpis.kpi import KPI, kpi

__all__ = ["EMAIL"]

EMAIL: tuple[KPI, ...] = (
    kpi(
        "emails_sent",
        "sum of sent",
        "count",
        None,
        measures=("sent",),
    ),
    kpi(
        "delivery_rate",
        "delivered / sent",
        "fraction",
        "higher",
        f.delivery_rate,
        interval="wilson",
    ),
    kpi(
        "open_rate",
        "opens / delivered",
        "fraction",
        "higher",
        f.open_rate,
        interval="wilson",
    ),
    kpi(
        "email_ctr",
        "email_clicks / delivered",
        "fraction",
        "higher",
        f.email_ctr,
        interval="wilson",
    ),
    kpi(
        "click_to_open_rate",
        "email_clicks / opens",
        "fraction",
        "higher",
        f.click_to_open_rate,
        interval="wilson",
    ),
    kpi(
        "unsubscribe_rate",
        "unsubscribes / delivered",
        "fraction",
        "lower",
        f.unsubscribe_rate,
        interval="wilson",
    ),
    kpi(
        "email_bounce_rate",
        "email_bounces / sent",
        "fraction",
        "lower",
        f.email_bounce_rate,
        interval="wilson",
    ),
    kpi(
        "nurture_leads",
        "count of leads whose utm_campaign starts with a nurture prefix",
        "count",
        "higher",
    ),
    kpi(
        "workflow_goal_rate",
        "workflow_goals / workflow_enrolled",
        "fraction",
        "higher",
        f.workflow_goal_rate,
        interval="wilson",
    ),
)
