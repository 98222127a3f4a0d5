"""The built-in measures: what every catalogue KPI aggregates, by id.

Business rules that the measures apply are data: :data:`NURTURE_PREFIXES` (which UTM
campaign codes mark a nurture campaign) here, the response SLA and the funnel stages
in the project :class:`~leadkpi.config.Config`. Pass measures of your own to
:func:`leadkpi.compute` (``measures=``) to change a rule.
"""

from __future__ import annotations

import warnings
from types import MappingProxyType

import numpy as np
import pandas as pd

from leadkpi.config import Config
from leadkpi.exceptions import LeadKPIWarning
from leadkpi.kpis.measures import (
    AnyMeasure,
    Baseline,
    Measure,
    PeriodMonths,
    RowFilter,
    Setting,
    Statistic,
    Stock,
    Total,
    seconds_between,
)

__all__ = ["MEASURES", "NURTURE_PREFIXES", "AD_SPEND_ONLY", "COSTS_ONLY"]

#: The reason a full-cost KPI carries when no costs table is loaded: its value
#: then counts ad spend only (the paid CAC, say), and says so.
AD_SPEND_ONLY = "ad spend only: no costs table is loaded"
#: The reason it carries when no spend table is loaded.
COSTS_ONLY = "costs table only: no spend table is loaded"

#: UTM campaign codes that mark a nurture campaign (prefix match, case-insensitive).
NURTURE_PREFIXES: tuple[str, ...] = ("nurture",)


def _set(column: str) -> RowFilter:
    def where(table: pd.DataFrame, config: Config) -> np.ndarray:
        return table[column].notna().to_numpy()

    return where


def _response_seconds(table: pd.DataFrame, config: Config) -> np.ndarray:
    """Seconds from creation to first response on the project's clock: working
    seconds on ``config.business_hours`` when it is set (as
    :func:`leadkpi.speed_to_lead` counts), else calendar seconds. A response dated
    before the creation stays negative (on the calendar): a data error."""
    calendar = seconds_between("created_at", "first_response_at")(table, config)
    if config.business_hours is None:
        return calendar
    # read at call time: leadkpi.funnel imports the engine
    from leadkpi.funnel.hours import business_seconds

    working = business_seconds(
        table["created_at"],
        table["first_response_at"],
        config.business_hours,
        config.timezone,
    )
    return np.where(calendar < 0, calendar, working)


def _within_sla(table: pd.DataFrame, config: Config) -> np.ndarray:
    # a response dated before the lead existed is a data error, not a fast answer
    seconds = _response_seconds(table, config)
    return (seconds >= 0) & (seconds <= config.sla_hours * 3600.0)


def _never_contacted(table: pd.DataFrame, config: Config) -> np.ndarray:
    return table["first_response_at"].isna().to_numpy()


def _nurture(table: pd.DataFrame, config: Config) -> np.ndarray:
    codes = table["utm_campaign"].astype("string").str.lower()
    hit = np.zeros(len(table), dtype=bool)
    for prefix in NURTURE_PREFIXES:
        hit |= codes.str.startswith(prefix).to_numpy(dtype=bool, na_value=False)
    return hit


def _one_result_type(table: pd.DataFrame, config: Config) -> np.ndarray:
    """Every row; a warning when the platforms' counts hold several result types
    (Meta's leads and link clicks, say), which :func:`leadkpi.conversion_kpis`
    keeps apart."""
    if "conversion_type" in table.columns:
        types = table.loc[table["conversions"].notna(), "conversion_type"]
        found = sorted(types.dropna().astype(str).unique())
        if len(found) > 1:
            warnings.warn(
                "the ad platforms' conversions mix result types "
                f"({', '.join(found)}); 'conversions' adds them "
                "up. Declare a platform event with 'types:' under conversions: in "
                "leadkpi.yaml, or use leadkpi.conversion_kpis, which keeps each "
                "type apart",
                LeadKPIWarning,
                stacklevel=2,
            )
    return np.ones(len(table), dtype=bool)


def _score(table: pd.DataFrame, config: Config) -> np.ndarray:
    return table["score"].to_numpy(dtype="float64", na_value=np.nan)


def _stage_columns(config: Config, table: pd.DataFrame) -> list[str]:
    return [c for _, c in config.stages if c in table.columns]


def _stage_gaps(table: pd.DataFrame, config: Config) -> np.ndarray:
    """Seconds from each lead's previous reached stage to each later stage.

    One column per configured stage after the first; NaN where the stage was not
    reached. A skipped stage (SQL without MQL) is measured from the last stage
    reached before it.
    """
    columns = _stage_columns(config, table)
    times = np.column_stack([_seconds(table[c]) for c in columns])
    gaps = np.full(times.shape, np.nan)
    last = times[:, 0].copy()
    for j in range(1, times.shape[1]):  # a handful of stages, not rows
        reached = ~np.isnan(times[:, j])
        gaps[:, j] = np.where(reached, times[:, j] - last, np.nan)
        last = np.where(reached, times[:, j], last)
    return gaps[:, 1:]


def _stage_dates(table: pd.DataFrame, config: Config) -> list[str]:
    return _stage_columns(config, table)[1:]


def _seconds(times: pd.Series) -> np.ndarray:
    values = times.astype("datetime64[ns, UTC]") if times.dt.tz is None else times
    out = values.to_numpy(dtype="datetime64[ns]").astype("int64").astype("float64")
    out[values.isna().to_numpy()] = np.nan
    return out / 1e9


def _steps(*columns: str) -> RowFilter:
    """Rows where every one of ``columns`` is set."""

    def where(table: pd.DataFrame, config: Config) -> np.ndarray:
        return table[list(columns)].notna().all(axis=1).to_numpy()

    return where


def _outreach(id_: str, *steps: str) -> Measure:
    """Prospects by first contact, kept when every step in ``steps`` is dated."""
    if not steps:
        return Measure(id_, "outreach", "contacted_at")
    return Measure(id_, "outreach", "contacted_at", where=_steps(*steps), columns=steps)


def _outbound_costs(table: pd.DataFrame, config: Config) -> np.ndarray:
    from leadkpi.outreach import OUTREACH_CHANNEL

    return (table["channel"] == OUTREACH_CHANNEL).fillna(False).to_numpy()


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
                where=_within_sla,
                columns=("first_response_at",),
            ),
            Measure(
                "never_contacted",
                "leads",
                "created_at",
                where=_never_contacted,
                columns=("first_response_at",),
            ),
            Measure(
                "nurture_leads",
                "leads",
                "created_at",
                where=_nurture,
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
                where=_one_result_type,
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
                where=_outbound_costs,
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
                _response_seconds,
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
                _stage_gaps,
                cohort_column="created_at",
                dated_by=_stage_dates,
                negative="a stage dated before the previous one",
            ),
            Statistic(
                "mean_score",
                "leads",
                "created_at",
                _score,
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
