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
- :class:`Total` — the sum of other measures in each cell (ad spend + the costs
  table: the full cost base).

``where`` and ``value`` callables receive the table and the project
:class:`~leadkpi.config.Config`, so business rules that live in the config (the
response SLA) stay out of the definitions. Written with the rules of
:mod:`leadkpi.kpis.rows` they also run where the data lives
(:func:`leadkpi.connect`); a plain function runs on data in memory only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
    "Setting",
    "Total",
    "AnyMeasure",
    "seconds_between",
]

RowFilter = Callable[[pd.DataFrame, Config], np.ndarray]
RowValue = Callable[[pd.DataFrame, Config], np.ndarray]


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
    per_date : bool
        ``value_column`` counts distinct things per row and date (GA4's daily
        users): summed over several dates it counts a returning user again each
        day. The measure is then unknown (with a reason) in any cell that spans
        more than one date.
    paid_only : bool
        Count only rows whose ``channel`` had spend (cost > 0 in the spend table)
        in the selected range: the revenue that ROAS and ROI set against spend.
    stage : bool
        ``time_column`` dates a funnel stage: when ``config.cumulative_stages`` is
        set, a lead that has a later stage dated but not this one reached it too,
        dated by the earliest later stage (as :func:`leadkpi.funnel.funnel` counts).
    unrecorded : str, optional
        When ``where`` keeps no row of the whole table (not only of the selected
        range), the table does not record this measure at all: it is then unknown,
        with this text as its reason, instead of 0 (the costs table without any
        outbound rows says nothing about the cost of outbound prospecting).
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
    stage: bool = False
    paid_only: bool = False
    per_date: bool = False
    unrecorded: str | None = None

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
    """A quantile (median by default) or mean of a per-row value, computed from the
    rows of each cell.

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
    stat : {"median", "quantile", "mean"}
        The statistic; ``quantile`` takes ``q`` (linear interpolation between
        order statistics, as :func:`numpy.quantile`).
    cohort_column : str, optional
        Column that dates a row in cohort mode (e.g. ``created_at``).
    columns : tuple of str
        Columns ``value`` reads.
    q : float
        The quantile of ``stat="quantile"`` (0.9 for the 90th percentile).
    negative : str, optional
        For a duration: what a negative value means (``"won_at before
        created_at"``). Negative values are then data errors, left out of the
        statistic and counted per cell (``<id>__negative``, named in ``reason``).
    dated_by : callable, optional
        For a ``value`` that returns one column per step (time in each stage):
        ``dated_by(table, config)`` names the column that dates each step in
        period mode.
    """

    id: str
    table: str
    time_column: str
    value: RowValue
    stat: Literal["median", "quantile", "mean"] = "median"
    cohort_column: str | None = None
    columns: tuple[str, ...] = ()
    dated_by: Callable[[pd.DataFrame, Config], list[str]] | None = None
    q: float = 0.5
    negative: str | None = None

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


@dataclass(frozen=True)
class Setting:
    """A project setting as a measure: ``config.<attribute>`` in every cell (the
    LTV lifetime cap, say), so formulas stay plain functions of measures."""

    id: str
    attribute: str

    @property
    def modal(self) -> bool:
        return False


@dataclass(frozen=True)
class Total:
    """The sum of other measures, cell by cell (ad spend + other costs).

    Parameters
    ----------
    id : str
        Identifier.
    parts : tuple of str
        The measures added. A cell where a part is unknown (a channel the spend
        table does not cover) is unknown, with that part's reason.
    optional : tuple of (str, str)
        Parts that may be missing altogether (their table not loaded), each with
        the note the result then carries in ``reason``: the total is the sum of
        the parts present, and says what it leaves out. At least one part must be
        present.
    """

    id: str
    parts: tuple[str, ...]
    optional: tuple[tuple[str, str], ...] = ()

    @property
    def modal(self) -> bool:
        return False


AnyMeasure = Measure | Statistic | Stock | Baseline | PeriodMonths | Setting | Total


def seconds_between(start: str, end: str) -> RowValue:
    """A row value: seconds from column ``start`` to column ``end`` (NaN if unset),
    on pandas data and on a backend (:class:`leadkpi.kpis.rows.Seconds`)."""
    from leadkpi.kpis.rows import Seconds

    return Seconds(start, end)
