"""Measures: the aggregations over canonical tables that KPI formulas take.

Four kinds, all frozen and inert until the engine evaluates them at a grain:

- :class:`Measure` — additive: a count of rows (or of distinct values) or a sum of a
  column, dated by a time column. Lead-stage measures have a cohort reading: in
  cohort mode a row is dated by the lead's ``created_at`` and kept when the stage
  column is set.
- :class:`Statistic` — non-additive: a median or mean of a per-row value, computed
  from the rows of each cell of the grain (never averaged from finer cells).
- :class:`Stock` — state at a period boundary: rows that have entered (``entry``)
  and not yet left (``exits``) at the period's end or start, or the rows of the
  start stock that left during the period.
- :class:`Baseline` — the mean of another measure over the periods before each
  period, in the same cell (the baseline of revenue uplift).

``where`` and ``value`` callables receive the table and the project
:class:`~leadkpi.config.Config`, so business rules that live in the config (the
response SLA) stay out of the definitions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

import numpy as np
import pandas as pd

from leadkpi.config import Config

__all__ = [
    "Measure",
    "Statistic",
    "Stock",
    "Baseline",
    "PeriodMonths",
    "AnyMeasure",
    "MEASURES",
    "NURTURE_PREFIXES",
    "seconds_between",
]

RowFilter = Callable[[pd.DataFrame, Config], np.ndarray]
RowValue = Callable[[pd.DataFrame, Config], np.ndarray]

#: UTM campaign codes that mark a nurture campaign (prefix match, case-insensitive).
NURTURE_PREFIXES: tuple[str, ...] = ("nurture",)


@dataclass(frozen=True)
class Measure:
    """An additive aggregation over one canonical table.

    Parameters
    ----------
    id : str
        Identifier, also the keyword that formulas receive.
    table : str
        Canonical table aggregated.
    time_column : str
        Column that dates an event of this measure (period mode).
    agg : {"count", "sum", "distinct"}
        Count rows, sum ``value_column``, or count distinct ``value_column`` values.
    value_column : str, optional
        Column summed (``sum``) or whose distinct values are counted (``distinct``).
    cohort_column : str, optional
        In cohort mode rows are dated by this column (a lead's ``created_at``) and
        kept only where ``time_column`` is set. None: no cohort reading.
    where : callable, optional
        ``where(table, config) -> bool array``: only these rows count.
    columns : tuple of str
        Columns ``where`` reads (so a missing one is reported, not raised).
    squared : bool
        Sum the squares of ``value_column`` (for the variance of a sum).
    """

    id: str
    table: str
    time_column: str
    agg: Literal["count", "sum", "distinct"] = "count"
    value_column: str | None = None
    cohort_column: str | None = None
    where: RowFilter | None = None
    columns: tuple[str, ...] = ()
    squared: bool = False

    def needs(self) -> tuple[str, ...]:
        """Columns of ``table`` this measure reads."""
        cols = [self.time_column, self.value_column, self.cohort_column, *self.columns]
        return tuple(dict.fromkeys(c for c in cols if c))

    @property
    def modal(self) -> bool:
        """Whether cohort and period mode apply (measures of the leads table)."""
        return self.table == "leads"


@dataclass(frozen=True)
class Statistic:
    """A median or mean of a per-row value, computed from the rows of each cell.

    Parameters
    ----------
    id : str
        Identifier.
    table : str
        Canonical table.
    time_column : str
        Column that dates a row in period mode (e.g. ``first_response_at``).
    value : callable
        ``value(table, config) -> float array``; NaN rows are left out.
    stat : {"median", "mean"}
        The statistic.
    cohort_column : str, optional
        Column that dates a row in cohort mode (e.g. ``created_at``).
    columns : tuple of str
        Columns ``value`` reads.
    dated_by : callable, optional
        For a ``value`` that returns one column per step (time in each stage):
        ``dated_by(table, config)`` names the column that dates each step in
        period mode.
    """

    id: str
    table: str
    time_column: str
    value: RowValue
    stat: Literal["median", "mean"] = "median"
    cohort_column: str | None = None
    columns: tuple[str, ...] = ()
    dated_by: Callable[[pd.DataFrame, Config], list[str]] | None = None

    def needs(self) -> tuple[str, ...]:
        cols = [self.time_column, self.cohort_column, *self.columns]
        return tuple(dict.fromkeys(c for c in cols if c))

    @property
    def modal(self) -> bool:
        return self.cohort_column is not None


@dataclass(frozen=True)
class Stock:
    """Rows present at a period boundary: entered, and not yet left.

    A row is present from ``entry`` until the earliest of its ``exits`` (a missing
    exit means it never left). Without a period in the grain, the period is the
    whole selected range.

    Parameters
    ----------
    id : str
        Identifier.
    table : str
        Canonical table.
    entry : str
        Column at which a row enters.
    exits : tuple of str
        Columns at which it leaves (the earliest counts). Columns listed in
        ``optional`` may be absent from the table (then nobody leaves that way).
    at : {"end", "start", "exits"}
        Count the stock at the period end, at its start, or the rows of the start
        stock whose ``event`` (default: their exit) falls in the period.
    value_column : str, optional
        Sum this column instead of counting rows.
    event : str, optional
        With ``at="exits"``: the exit column that counts (e.g. ``opted_out_at`` when
        bounces also end a contact's presence).
    optional : tuple of str
        Exit columns that may be absent.
    """

    id: str
    table: str
    entry: str
    exits: tuple[str, ...]
    at: Literal["end", "start", "exits"] = "end"
    value_column: str | None = None
    event: str | None = None
    optional: tuple[str, ...] = ()

    def needs(self) -> tuple[str, ...]:
        cols = [self.entry, *self.exits, self.value_column, self.event]
        return tuple(dict.fromkeys(c for c in cols if c and c not in self.optional))

    @property
    def modal(self) -> bool:
        return False


@dataclass(frozen=True)
class Baseline:
    """Mean of measure ``of`` per period over the ``periods`` periods before.

    Needs a period in the grain; periods without rows count as zero. The result is
    the baseline that revenue uplift compares a period with.
    """

    id: str
    of: str
    periods: int = 3

    @property
    def modal(self) -> bool:
        return True


@dataclass(frozen=True)
class PeriodMonths:
    """Length of each period of the grain in months (a month is 1, a quarter 3; a
    day 12 / 365.25; without a period, the length of the selected range)."""

    id: str = "months_per_period"

    @property
    def modal(self) -> bool:
        return False


AnyMeasure = Measure | Statistic | Stock | Baseline | PeriodMonths


def seconds_between(start: str, end: str) -> RowValue:
    """A row value: seconds from column ``start`` to column ``end`` (NaN if unset)."""

    def value(table: pd.DataFrame, config: Config) -> np.ndarray:
        delta = table[end] - table[start]
        return delta.dt.total_seconds().to_numpy(dtype="float64", na_value=np.nan)

    value.__qualname__ = f"seconds_between({start!r}, {end!r})"
    return value


def _set(column: str) -> RowFilter:
    def where(table: pd.DataFrame, config: Config) -> np.ndarray:
        return table[column].notna().to_numpy()

    return where


def _within_sla(table: pd.DataFrame, config: Config) -> np.ndarray:
    hours = (table["first_response_at"] - table["created_at"]).dt.total_seconds()
    return (hours <= config.sla_hours * 3600.0).to_numpy(dtype=bool, na_value=False)


def _never_contacted(table: pd.DataFrame, config: Config) -> np.ndarray:
    return table["first_response_at"].isna().to_numpy()


def _nurture(table: pd.DataFrame, config: Config) -> np.ndarray:
    codes = table["utm_campaign"].astype("string").str.lower()
    hit = np.zeros(len(table), dtype=bool)
    for prefix in NURTURE_PREFIXES:
        hit |= codes.str.startswith(prefix).to_numpy(dtype=bool, na_value=False)
    return hit


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


def _lead(id_: str, column: str, **kw: object) -> Measure:
    return Measure(id_, "leads", column, cohort_column="created_at", **kw)


MEASURES: MappingProxyType[str, AnyMeasure] = MappingProxyType(
    {
        m.id: m
        for m in (
            # leads
            Measure("leads", "leads", "created_at"),
            _lead("mqls", "mql_at"),
            _lead("sqls", "sql_at"),
            _lead("opportunities", "opportunity_at"),
            _lead("customers", "won_at"),
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
            # spend
            Measure("spend", "spend", "date", "sum", "cost"),
            Measure("impressions", "spend", "date", "sum", "impressions"),
            Measure("clicks", "spend", "date", "sum", "clicks"),
            # web
            Measure("visitors", "web", "date", "sum", "users"),
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
            # statistics
            Statistic(
                "response_seconds",
                "leads",
                "first_response_at",
                seconds_between("created_at", "first_response_at"),
                cohort_column="created_at",
                columns=("created_at",),
            ),
            Statistic(
                "conversion_seconds",
                "leads",
                "won_at",
                seconds_between("created_at", "won_at"),
                cohort_column="created_at",
                columns=("created_at",),
            ),
            Statistic(
                "stage_seconds",
                "leads",
                "created_at",
                _stage_gaps,
                cohort_column="created_at",
                dated_by=_stage_dates,
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
        )
    }
)
