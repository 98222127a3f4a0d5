"""The built-in measures: what every catalogue KPI aggregates, by id.

Business rules that the measures apply are data: :data:`NURTURE_PREFIXES` (which UTM
campaign codes mark a nurture campaign) here, the response SLA and the funnel stages
in the project :class:`~leadkpi.config.Config`. Pass measures of your own to
:func:`leadkpi.compute` (``measures=``) to change a rule.
"""

from __future__ import annotations

from types import MappingProxyType

from leadkpi.kpis.measures import (
    AnyMeasure,
    Baseline,
    Measure,
    PeriodMonths,
    Setting,
    Statistic,
    Stock,
    Total,
    seconds_between,
)
from leadkpi.kpis.rows import (
    AllSet,
    EachResultType,
    Equals,
    Number,
    ResponseSeconds,
    StageGaps,
    StartsWith,
    Unset,
    WithinSLA,
)
from leadkpi.outreach import OUTREACH_CHANNEL

__all__ = ["MEASURES", "NURTURE_PREFIXES", "AD_SPEND_ONLY", "COSTS_ONLY"]

#: The reason a full-cost KPI carries when no costs table is loaded: its value
#: then counts ad spend only (the paid CAC, say), and says so.
AD_SPEND_ONLY = "ad spend only: no costs table is loaded"
#: The reason it carries when no spend table is loaded.
COSTS_ONLY = "costs table only: no spend table is loaded"

#: UTM campaign codes that mark a nurture campaign (prefix match, case-insensitive).
NURTURE_PREFIXES: tuple[str, ...] = ("nurture",)


def _outreach(id_: str, *steps: str) -> Measure:
    """Prospects by first contact, kept when every step in ``steps`` is dated."""
    if not steps:
        return Measure(id_, "outreach", "contacted_at")
    return Measure(id_, "outreach", "contacted_at", where=AllSet(steps), columns=steps)


def _lead(id_: str, column: str, **kw: object) -> Measure:
    return Measure(id_, "leads", column, cohort_column="created_at", **kw)


MEASURES: MappingProxyType[str, AnyMeasure] = MappingProxyType(
    {
        m.id: m
        for m in (
            # leads
            Measure("leads", "leads", "created_at"),
            # funnel stages follow config.cumulative_stages, as the funnel does
            _lead("mqls", "mql_at", stage=True),
            _lead("sqls", "sql_at", stage=True),
            _lead("opportunities", "opportunity_at", stage=True),
            _lead("customers", "won_at", stage=True),
            # the stage dates as recorded, skipped stages not counted
            _lead("mqls_recorded", "mql_at"),
            _lead("sqls_recorded", "sql_at"),
            _lead("opportunities_recorded", "opportunity_at"),
            _lead("contacted", "first_response_at"),
            _lead("replies", "replied_at"),
            _lead("not_interested", "not_interested_at"),
            _lead("workflow_enrolled", "workflow_enrolled_at"),
            _lead("workflow_goals", "workflow_goal_at"),
            Measure(
                "contacted_within_sla",
                "leads",
                "created_at",
                where=WithinSLA(),
                columns=("first_response_at",),
            ),
            Measure(
                "never_contacted",
                "leads",
                "created_at",
                where=Unset("first_response_at"),
                columns=("first_response_at",),
            ),
            Measure(
                "nurture_leads",
                "leads",
                "created_at",
                where=StartsWith("utm_campaign", NURTURE_PREFIXES),
                columns=("utm_campaign",),
            ),
            _lead("revenue", "won_at", agg="sum", value_column="deal_value"),
            _lead(
                "revenue_sq",
                "won_at",
                agg="sum",
                value_column="deal_value",
                squared=True,
            ),
            # revenue of the channels that had spend: what ROAS and ROI divide
            _lead(
                "paid_revenue",
                "won_at",
                agg="sum",
                value_column="deal_value",
                paid_only=True,
            ),
            _lead(
                "paid_revenue_sq",
                "won_at",
                agg="sum",
                value_column="deal_value",
                squared=True,
                paid_only=True,
            ),
            _lead("paid_customers", "won_at", paid_only=True, stage=True),
            # spend
            Measure("spend", "spend", "date", "sum", "cost"),
            Measure("impressions", "spend", "date", "sum", "impressions"),
            Measure("clicks", "spend", "date", "sum", "clicks"),
            # the ad platforms' own conversion count (one event's count replaces
            # it: leadkpi.conversion_kpis)
            Measure(
                "conversions",
                "spend",
                "date",
                "sum",
                "conversions",
                where=EachResultType(),
                columns=("conversions",),
            ),
            # costs beyond ad spend (tools, agencies, salaries, events), shared
            # among channels by their rules (leadkpi.costs.allocate_costs)
            Measure("other_costs", "costs", "month", "sum", "amount"),
            Total(
                "total_cost",
                ("spend", "other_costs"),
                optional=(("other_costs", AD_SPEND_ONLY), ("spend", COSTS_ONLY)),
            ),
            # web
            Measure("visitors", "web", "date", "sum", "users", per_date=True),
            Measure("sessions", "web", "date", "sum", "sessions"),
            Measure("pageviews", "web", "date", "sum", "pageviews"),
            Measure("engaged_sessions", "web", "date", "sum", "engaged_sessions"),
            Measure("bounced_sessions", "web", "date", "sum", "bounces"),
            Measure("engagement_seconds", "web", "date", "sum", "engagement_seconds"),
            Measure("form_submissions", "web", "date", "sum", "form_submissions"),
            Measure(
                "landing_page_sessions", "web", "date", "sum", "landing_page_sessions"
            ),
            # email
            Measure("sent", "email", "sent_on", "sum", "sent"),
            Measure("delivered", "email", "sent_on", "sum", "delivered"),
            Measure("opens", "email", "sent_on", "sum", "opens"),
            Measure("email_clicks", "email", "sent_on", "sum", "clicks"),
            Measure("unsubscribes", "email", "sent_on", "sum", "unsubscribes"),
            Measure("email_bounces", "email", "sent_on", "sum", "bounces"),
            # outbound prospecting: prospects by first contact
            _outreach("prospects_contacted"),
            _outreach("requests_sent", "request_sent_at"),
            _outreach("requests_accepted", "request_sent_at", "request_accepted_at"),
            _outreach("outreach_messages", "message_sent_at"),
            _outreach("outreach_replies", "replied_at"),
            _outreach("meetings_booked", "meeting_at"),
            _outreach("outreach_conversions", "converted_at"),
            Measure(
                "outreach_cost",
                "costs",
                "month",
                "sum",
                "amount",
                where=Equals("channel", OUTREACH_CHANNEL),
                columns=("channel",),
                unrecorded=(
                    "the costs table has no rows in the outbound channel "
                    "(the cost of outbound prospecting)"
                ),
            ),
            # statistics
            Statistic(
                "response_seconds",
                "leads",
                "first_response_at",
                ResponseSeconds(),
                cohort_column="created_at",
                columns=("created_at",),
                negative="first_response_at before created_at",
            ),
            Statistic(
                "conversion_seconds",
                "leads",
                "won_at",
                seconds_between("created_at", "won_at"),
                cohort_column="created_at",
                columns=("created_at",),
                negative="won_at before created_at",
            ),
            Statistic(
                "conversion_seconds_p90",
                "leads",
                "won_at",
                seconds_between("created_at", "won_at"),
                "quantile",
                cohort_column="created_at",
                columns=("created_at",),
                q=0.9,
                negative="won_at before created_at",
            ),
            # from the first interaction (the earliest touch), not lead creation
            Statistic(
                "first_touch_conversion_seconds",
                "leads",
                "won_at",
                seconds_between("first_touch_at", "won_at"),
                cohort_column="created_at",
                columns=("first_touch_at",),
                negative="won_at before the first touch",
            ),
            Statistic(
                "first_touch_conversion_seconds_p90",
                "leads",
                "won_at",
                seconds_between("first_touch_at", "won_at"),
                "quantile",
                cohort_column="created_at",
                columns=("first_touch_at",),
                q=0.9,
                negative="won_at before the first touch",
            ),
            Statistic(
                "stage_seconds",
                "leads",
                "created_at",
                StageGaps(),
                cohort_column="created_at",
                dated_by=StageGaps().dated_by,
                negative="a stage dated before the previous one",
            ),
            Statistic(
                "mean_score",
                "leads",
                "created_at",
                Number("score"),
                "mean",
                cohort_column="created_at",
                columns=("score",),
            ),
            # state at a period boundary
            Stock(
                "contactable_at_end",
                "leads",
                "created_at",
                ("opted_out_at", "hard_bounced_at"),
                optional=("hard_bounced_at",),
            ),
            Stock(
                "contactable_at_start",
                "leads",
                "created_at",
                ("opted_out_at", "hard_bounced_at"),
                at="start",
                optional=("hard_bounced_at",),
            ),
            Stock(
                "opt_outs",
                "leads",
                "created_at",
                ("opted_out_at", "hard_bounced_at"),
                at="exits",
                event="opted_out_at",
                optional=("hard_bounced_at",),
            ),
            Stock(
                "open_pipeline",
                "deals",
                "created_at",
                ("won_at", "lost_at"),
                value_column="amount",
            ),
            Stock(
                "customers_at_start",
                "customers",
                "started_at",
                ("ended_at",),
                at="start",
            ),
            Stock(
                "customers_lost", "customers", "started_at", ("ended_at",), at="exits"
            ),
            Stock(
                "recurring_revenue_at_start",
                "customers",
                "started_at",
                ("ended_at",),
                at="start",
                value_column="recurring_revenue",
            ),
            Baseline("revenue_baseline", "revenue", 3),
            PeriodMonths(),
            Setting("ltv_max_months", "ltv_max_months"),
            Setting("gross_margin", "gross_margin"),
        )
    }
)
