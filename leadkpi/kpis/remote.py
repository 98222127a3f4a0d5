"""Evaluate measures on a backend, as Ibis expressions.

The in-memory engine (:mod:`leadkpi.kpis.evaluate`) cuts pandas columns into
integer cell codes; here the same measures become ``GROUP BY`` queries on the
backend that :func:`leadkpi.warehouse.connect` opened, and only the grain ×
measure table comes back: the dimension labels, the period ordinal ``__p`` and
the measure's columns, exactly as the in-memory functions return them. The
formulas, intervals, targets and reports then run on it unchanged.

Periods are cut on the backend as consecutive integers (days since 1970, weeks
from Monday, months since year 0, fiscal quarters and years counted from the
fiscal year's first month) and turned into pandas period ordinals when the small
table comes back; a month, quarter or year is found by one tree of comparisons of
the stored value with the period starts of the data's span, turned into instants
in Python. Medians and other quantiles are exact on every backend: a small
table's values are ranked in one query; in a large one, a first query counts each
cell's values by order-preserving bucket, and only the few buckets that hold a
wanted rank with several values are ranked, so no backend approximates and none
sorts the whole of a large table.

What a compute asks of a table runs in as few readings of it as the measures
allow: the counts, sums and means dated by one column in one query, the stocks
that share entry and exits in one, quantiles of the same values in one or two.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from leadkpi.kpis.evaluate import PERIOD, _empty, _missing
from leadkpi.kpis.grain import LEAD_LINKED, NOT_SET, Periods
from leadkpi.kpis.measures import Measure, Statistic, Stock
from leadkpi.kpis.rows import NotOnBackend, Rule, StageGaps, stage_columns
from leadkpi.kpis.uncertainty import Z95, quantile_ranks
from leadkpi.schemas import TABLES

__all__ = [
    "RemoteGrain",
    "is_remote",
    "measure",
    "prefetch",
    "seen_cells",
    "rows_in_window",
]

_KEY = "__k"
_VALUE = "__v"


def is_remote(data: object) -> bool:
    """Whether ``data`` holds its tables on a backend (a RemoteData)."""
    return type(data).__name__ == "RemoteData" and hasattr(data, "backend")


def _label(i: int) -> str:
    return f"__d{i}"


@dataclass
class RemoteGrain(Periods):
    """What one ``compute`` call cuts by, on a backend: the same fields as
    :class:`~leadkpi.kpis.grain.Grain`, with Ibis expressions in place of
    arrays."""

    data: Any
    period: str | None
    dims: list[str]
    mode: str
    count_by: str
    lo: pd.Timestamp | None
    hi: pd.Timestamp | None
    _cache: dict = field(default_factory=dict, repr=False)

    remote = True

    def widened(self, lo: pd.Timestamp | None) -> RemoteGrain:
        return dataclasses.replace(self, lo=lo, _cache={})

    # --- tables -------------------------------------------------------------------

    def table(self, name: str) -> Any:
        """Table ``name`` (an Ibis table), or why it cannot be cut by the dims."""
        table = getattr(self.data, name, None)
        if table is None:
            return f"needs the {name} table"
        self.reads(name)
        columns = set(table.columns)
        absent = [c for c in self.dims if c not in columns]
        if absent and not self.linked(name, table, absent):
            return f"the {name} table has no {', '.join(absent)} column"
        return table

    def linked(self, name: str, table: Any, columns: list[str]) -> bool:
        """Whether ``columns`` reach table ``name`` from the leads via ``lead_id``."""
        leads = self.data.leads
        return (
            name in LEAD_LINKED
            and "lead_id" in table.columns
            and leads is not None
            and all(c in leads.columns for c in columns)
        )

    def view(self, name: str, table: Any) -> Any:
        """:meth:`labelled`, built once per table (so that measures of one table
        share their query)."""
        if ("view", name) not in self._cache:
            self._cache[("view", name)] = self.labelled(name, table)
        return self._cache[("view", name)]

    def labelled(self, name: str, table: Any) -> Any:
        """``table`` with the grain's dimension labels as text columns ``__d0``…
        (``(not set)`` where empty) and, for deals and customers without an
        ``account_id``, their lead's as ``__account``. A table without one of the
        dims takes every dim from its lead (as in memory)."""
        columns = set(table.columns)
        from_lead = name != "leads" and any(d not in columns for d in self.dims)
        account = (
            self.count_by == "account"
            and "account_id" not in columns
            and self.linked(name, table, ["account_id"])
        )
        view = table
        self.reads(name)
        if from_lead or account:
            self.reads("leads")
            leads = self.data.leads
            picked = {"__lead": leads["lead_id"].cast("string")}
            if from_lead:
                picked |= {f"__lead{i}": leads[d] for i, d in enumerate(self.dims)}
            if account:
                picked["__account"] = leads["account_id"]
            lookup = leads.select(**picked)
            view = table.left_join(
                lookup, table["lead_id"].cast("string") == lookup["__lead"]
            )
        labels = {}
        for i, dim in enumerate(self.dims):
            source = view[f"__lead{i}"] if from_lead else view[dim]
            labels[_label(i)] = source.cast("string").fill_null(NOT_SET)
        return view.mutate(**labels) if labels else view

    def _count(self, table: Any) -> int:
        return int(self.data.backend.to_pandas(table.count()))

    # --- times --------------------------------------------------------------------

    def time(self, value: Any) -> Any:
        """A timestamp or date expression as the project's wall-clock time."""
        from leadkpi.warehouse import wall_clock

        return wall_clock(self.data, value)

    def between(self, later: Any, earlier: Any) -> Any:
        """Microseconds from instant ``earlier`` to instant ``later``."""
        from leadkpi.warehouse.clock import micros_between

        return micros_between(self.data.name, later, earlier)

    def micros(self, value: Any) -> Any:
        """Wall-clock microseconds since 1970 of a timestamp or date expression
        (:func:`leadkpi.warehouse.clock.local_micros`)."""
        from leadkpi.warehouse.clock import local_micros

        return local_micros(self.data.name, self.config.timezone, value, self.span)

    @property
    def span(self) -> tuple[int, int]:
        """The first and last instant of the tables this grain has read so far
        (every table before it reads one; one query per table, once per
        RemoteData): the time zone's changes outside it are never tested."""
        return _span(self.data, self._cache.get("tables") or None)

    def reads(self, *names: str) -> None:
        """Note that the grain's expressions read tables ``names``."""
        self._cache.setdefault("tables", set()).update(names)

    def index(self, value: Any) -> Any:
        """The consecutive period number of each row's wall-clock time (NULL where
        unset; 0 without a period), in integer arithmetic."""
        import ibis

        from leadkpi.warehouse.clock import DAY_US

        if self.period is None:
            return ibis.ifelse(value.isnull(), ibis.null("int64"), 0)
        if self.period in ("day", "week"):
            days = self.micros(value) // DAY_US
            # weeks from Monday; 1970-01-01 was a Thursday
            return days if self.period == "day" else (days + 3) // 7
        fast = self._walk(value)
        if fast is None:
            return self._months_to_period(self.month_number(value, fast=False))
        return fast

    def _months_to_period(self, months: Any) -> Any:
        if self.period == "month":
            return months
        start = int(self.config.fiscal_year_start) - 1
        return (months - start) // (3 if self.period == "quarter" else 12)

    def _walk(self, value: Any) -> Any:
        """The period number of a timestamp column by one tree of comparisons over
        the period starts within the span of the tables the grain reads (which
        holds every value it is given, as for the zone's offsets in
        :meth:`micros`) (:func:`steps`); None for a date column, or where the time
        zone sets its clock back across a period start."""
        from leadkpi.warehouse.clock import steps, wall_span

        if value.type().is_date():
            return None
        name, zone = self.data.name, self.config.timezone
        span = self.span
        key = ("walk", value.op(), self.period, span)
        if key not in self._cache:  # the same column is cut by several queries
            lo, hi = (self.number_of(w) for w in wall_span(name, zone, value, span))
            # a period more on each side: the starts of the first and last are
            # tested too, should the clock be set back across them
            numbers = np.arange(lo - 1, max(hi, lo) + 2, dtype="int64")
            walls = self.start_of(numbers[1:])
            self._cache[key] = steps(name, zone, value, walls, numbers)
        return self._cache[key]

    def number_of(self, wall: int) -> int:
        """The period number (as :meth:`index` cuts it) of wall-clock microseconds."""
        return self.index_of(pd.Timestamp(int(wall), unit="us"))

    def start_of(self, numbers: np.ndarray) -> np.ndarray:
        """Wall-clock microseconds at which each period number starts."""
        from leadkpi.warehouse.clock import DAY_US

        numbers = np.asarray(numbers, dtype="int64")
        if self.period == "day":
            return numbers * DAY_US
        if self.period == "week":
            return (numbers * 7 - 3) * DAY_US
        months = numbers
        if self.period in ("quarter", "year"):
            step = 3 if self.period == "quarter" else 12
            months = numbers * step + int(self.config.fiscal_year_start) - 1
        since_1970 = (months - 1970 * 12).astype("datetime64[M]")
        return since_1970.astype("datetime64[us]").astype("int64")

    def index_of(self, when: pd.Timestamp) -> int:
        """The period number of ``when`` (as :meth:`index` cuts it)."""
        if self.period is None:
            return 0
        if self.period in ("day", "week"):
            days = (pd.Timestamp(when).normalize() - pd.Timestamp(0)).days
            return days if self.period == "day" else (days + 3) // 7
        months = when.year * 12 + when.month - 1
        if self.period == "month":
            return months
        start = int(self.config.fiscal_year_start) - 1
        return (months - start) // (3 if self.period == "quarter" else 12)

    @property
    def offset(self) -> int:
        """Period ordinal minus period number: the same for every period."""
        if self.period is None:
            return 0
        when = pd.Timestamp("2000-01-01")
        return self.ordinal_of(when) - self.index_of(when)

    def month_number(self, value: Any, *, fast: bool = True) -> Any:
        """Months since year 0 (``year * 12 + month - 1``) of the wall-clock time
        (``fast``: by one tree of comparisons where it can)."""
        from leadkpi.warehouse.clock import local_time

        local = local_time(self.data.name, self.config.timezone, value, self.span)
        exact = local.year().cast("int64") * 12 + local.month().cast("int64") - 1
        if not fast:
            return exact
        read = {"tables": set(self._cache.get("tables", ()))}
        monthly = dataclasses.replace(self, period="month", _cache=read)
        found = monthly._walk(value)
        return exact if found is None else found

    def bound(self, value: Any, when: pd.Timestamp) -> Any:
        """A literal to compare ``value`` with, for the wall-clock time ``when``."""
        from leadkpi.warehouse.clock import instant_literal

        return instant_literal(self.data.name, self.config.timezone, value, when)

    def window(self, value: Any) -> Any:
        """Rows whose ``value`` is set and falls in the selected range (compared
        as instants: no row is converted)."""
        keep = value.notnull()
        if self.lo is not None:
            keep = keep & (value >= self.bound(value, self.lo))
        if self.hi is not None:
            keep = keep & (value <= self.bound(value, self.hi))
        return keep

    def reached(self, table: Any, column: str) -> Any:
        """When each lead reached the stage ``column`` dates under
        ``config.cumulative_stages``: the earliest of it and every later stage
        (:func:`leadkpi.funnel.stages.reached`)."""
        columns = stage_columns(self.config, table.columns)
        if column not in columns or column == "created_at":
            return table[column]
        return _earliest([table[c] for c in columns[columns.index(column) :]])

    def reached_set(self, table: Any, column: str) -> Any:
        """Whether :meth:`reached` is set: the stage ``column`` or a later one is
        (without working out which came first)."""
        columns = stage_columns(self.config, table.columns)
        if column not in columns or column == "created_at":
            return table[column].notnull()
        later = columns[columns.index(column) :]
        return functools.reduce(operator.or_, (table[c].notnull() for c in later))

    def paid(self, name: str, table: Any) -> Any:
        """Rows whose ``channel`` had spend (cost > 0) in the selected range."""
        spend = self.data.spend
        if spend is None:
            return "needs the spend table (to tell paid channels)"
        if "channel" not in spend.columns or "channel" not in table.columns:
            return f"needs a channel column in the spend and {name} tables"
        if "paid" not in self._cache:
            spent = spend.filter(self.window(spend["date"]) & (spend["cost"] > 0))
            found = self.data.backend.to_pandas(spent.select("channel").distinct())
            self._cache["paid"] = [c for c in found["channel"] if isinstance(c, str)]
        channels = self._cache["paid"]
        if not channels:
            import ibis

            return ibis.literal(False)
        return table["channel"].isin(channels).fill_null(False)

    # --- results ------------------------------------------------------------------

    def fetch(self, expr: Any) -> pd.DataFrame:
        """Run ``expr`` on the backend and name its columns as the engine does."""
        return self.named(self.data.backend.to_pandas(expr))

    def named(self, frame: pd.DataFrame) -> pd.DataFrame:
        """A frame of backend cells with the engine's column names (the dims; the
        period ordinal in place of the period number)."""
        renames = {_label(i): dim for i, dim in enumerate(self.dims)}
        frame = frame.rename(columns=renames)
        for dim in self.dims:
            frame[dim] = frame[dim].astype(object)
        if _KEY in frame.columns:
            keys = frame.pop(_KEY).to_numpy(dtype="int64")
            if self.freq is not None:
                frame[PERIOD] = keys + self.offset
        return frame.reset_index(drop=True)

    def keys(self) -> list[str]:
        """The columns a measure's frame is keyed by: the dims, and the period
        ordinal."""
        return [*self.dims, *([PERIOD] if self.freq is not None else [])]

    def cells(self) -> list[str]:
        """Group keys: the dimension labels, and the period number."""
        return [_label(i) for i in range(len(self.dims))] + (
            [_KEY] if self.freq is not None else []
        )


def _extents(data: Any, names: Any = None) -> dict[tuple[str, str], tuple[int, int]]:
    """The least and greatest value of each timestamp and date column of
    ``data``'s tables ``names`` (default all), one query per table, each found
    once per RemoteData (:func:`leadkpi.warehouse.clock.column_extents`)."""
    from leadkpi.warehouse.clock import column_extents

    out = {}
    for name in sorted(data.tables if names is None else names):
        if name not in data.tables:
            continue
        out |= data.derived(
            f"column extents of {name}",
            lambda d, name=name: column_extents(
                d.name, {name: d.tables[name]}, d.backend.to_pandas
            ),
        )
    return out


def _span(data: Any, names: Any = None) -> tuple[int, int]:
    """The first and last instant of the timestamp columns of ``data``'s tables
    ``names`` (default all) (:func:`leadkpi.warehouse.clock.instant_span`)."""
    from leadkpi.warehouse.clock import instant_span

    return instant_span(data.tables, _extents(data, names))


def _earliest(values: list[Any]) -> Any:
    """The earliest of timestamps, ignoring the unset ones (NULL when none is set).

    Each one is referenced twice, so the expression grows with the number of
    stages, not exponentially; every argument of ``LEAST`` is set or all are
    NULL, so backends whose ``LEAST`` returns NULL for any NULL agree."""
    import ibis

    if len(values) == 1:
        return values[0]
    first_set = ibis.coalesce(*values)
    return ibis.least(*[ibis.coalesce(v, first_set) for v in values])


def _monthly(m: Measure) -> bool:
    column = TABLES[m.table].column(m.time_column) if m.table in TABLES else None
    return column is not None and column.kind == "month"


def _rule(rule: object, what: str) -> str | None:
    if rule is None or isinstance(rule, Rule):
        return None
    name = getattr(rule, "__qualname__", repr(rule))
    return (
        f"its {what} is a Python function ({name}), which runs on data in memory "
        "only: write it with leadkpi.kpis.rows to run it on a backend"
    )


def measure(grain: RemoteGrain, m: Any, catalogue: Any) -> pd.DataFrame | str:
    """One measure at ``grain`` on the backend (or why it cannot be computed)."""
    from leadkpi.kpis.evaluate import baseline

    try:
        if isinstance(m, Measure) and m.table == "costs":
            return _costs(grain, m, catalogue)
        if isinstance(m, Measure):
            return additive(grain, m)
        if isinstance(m, Statistic):
            return statistic(grain, m)
        if isinstance(m, Stock):
            return stock(grain, m)
    except NotOnBackend as error:
        return str(error)
    if type(m).__name__ == "Baseline":
        return baseline(grain, m, catalogue)
    raise TypeError(f"measure {getattr(m, 'id', m)!r} is not a leadkpi measure")


@dataclass(frozen=True)
class _Plan:
    """One additive measure as parts of a query: the rows it dates by and the
    window they fall in, the rows among them it keeps (None: all), and what it
    adds up. Plans that share a table and a dating column run as one query
    (:func:`prefetch`)."""

    id: str
    view: Any
    dated: Any
    window: Any
    keep: Any
    value: Any
    agg: str
    key: tuple

    def rows(self) -> Any:
        """The rows it counts (or adds up)."""
        kept = self.window if self.keep is None else self.window & self.keep
        return self.view.filter(kept)


def _plan(grain: RemoteGrain, m: Measure) -> _Plan | str:
    """What ``m`` asks of the backend, or why it cannot be computed."""
    table = _missing(grain, m.table, m.needs())
    if isinstance(table, str):
        return table
    if grain.period in ("day", "week") and _monthly(m):
        return (
            f"the {m.table} table is by month: cut it by month, quarter or year, "
            f"not by {grain.period}"
        )
    why = _rule(m.where, "row filter")
    if why:
        return why
    view = grain.view(m.table, table)
    cumulative = m.stage and grain.config.cumulative_stages
    event, key = view[m.time_column], (m.table, m.time_column)
    if cumulative:
        event, key = grain.reached(view, m.time_column), (m.table, "reached", key[1])
    dated, window, keep = event, grain.window(event), None
    if grain.mode == "cohort" and m.cohort_column:
        dated, key = view[m.cohort_column], (m.table, m.cohort_column)
        window = grain.window(dated)
        if m.time_column != m.cohort_column:  # reached: some stage from it on set
            keep = (
                grain.reached_set(view, m.time_column)
                if cumulative
                else event.notnull()
            )
    if m.where is not None:
        chosen = m.where.expr(view, grain.config, grain)
        if m.unrecorded and not grain._count(view.filter(chosen)):
            return m.unrecorded
        keep = chosen if keep is None else keep & chosen
    if m.paid_only:
        paid = grain.paid(m.table, view)
        if isinstance(paid, str):
            return paid
        keep = paid if keep is None else keep & paid
    agg, value = m.agg, None
    if m.agg == "sum":
        value = view[m.value_column].cast("float64")
        value = value * value if m.squared else value
    elif m.agg == "count" and grain.count_by == "account":
        agg = "distinct"
        if "account_id" in table.columns:
            value = view["account_id"]
        elif "__account" in view.columns:
            value = view["__account"]
        else:
            import ibis

            value = ibis.null("string")
    elif m.agg == "distinct":
        value = view[m.value_column]
    return _Plan(m.id, view, dated, window, keep, value, agg, key)


def _run(grain: RemoteGrain, plans: list[_Plan]) -> dict[str, pd.DataFrame]:
    """One query for plans that share a table and a dating column: each measure's
    cells and value, the cells where it kept no row left out (as in memory).

    A row rule or value that several measures share (the same expression) is
    computed once, and so is an aggregate they share."""
    first = plans[0]
    view = first.view
    keyed = {_label(i): view[_label(i)] for i in range(len(grain.dims))}
    if grain.freq is not None:
        keyed[_KEY] = grain.index(first.dated)
    keyed["__window"] = first.window
    columns: dict[Any, str] = {}  # expression -> its column

    def column(expr: Any) -> str | None:
        if expr is None:
            return None
        if expr.op() not in columns:
            columns[expr.op()] = f"__c{len(columns)}"
            keyed[columns[expr.op()]] = expr
        return columns[expr.op()]

    aggregates: dict[tuple, str] = {}  # (kind, keep, value) -> its name

    def aggregate(kind: str, keep: str | None, value: str | None = None) -> str:
        return aggregates.setdefault((kind, keep, value), f"__a{len(aggregates)}")

    wanted = []
    for plan in plans:
        keep, value = column(plan.keep), column(plan.value)
        counted = aggregate("count", keep)
        if plan.agg == "sum":
            wanted.append((plan, aggregate("sum", keep, value), counted))
        elif plan.agg == "distinct":
            found = aggregate("distinct", keep, value)
            wanted.append((plan, found, found))
        else:
            wanted.append((plan, counted, counted))
    selected = view.select(**keyed)
    rows = selected.filter(selected["__window"])
    metrics: dict[str, Any] = {}
    for (kind, keep, value), name in aggregates.items():
        where = None if keep is None else rows[keep]
        if kind == "sum":
            metrics[name] = rows[value].sum(where=where)
        elif kind == "distinct":
            metrics[name] = rows[value].nunique(where=where)
        else:
            metrics[name] = rows.count(where=where)
    groups = grain.cells()
    if groups:
        out = rows.group_by(groups).aggregate(**metrics)
    else:
        out = rows.aggregate(**metrics)
    frame = grain.fetch(out)
    keys = grain.keys()
    results = {}
    for plan, name, present in wanted:
        kept = frame[frame[present].to_numpy(dtype="float64") > 0]
        kept = kept[[*keys, name]].rename(columns={name: plan.id})
        kept[plan.id] = kept[plan.id].astype("float64").fillna(0.0)
        results[plan.id] = _ordered(grain, kept.reset_index(drop=True), [plan.id])
    return results


def prefetch(grain: RemoteGrain, measures: list[Any]) -> None:
    """Run the additive measures among ``measures`` in as few queries as their
    tables and dating columns allow; :func:`measure` then answers from them."""
    batches: dict[tuple, list[_Plan]] = {}
    for m in measures:  # stocks sharing a query: the events each one asks
        table = getattr(grain.data, m.table, None) if isinstance(m, Stock) else None
        if table is not None:
            events = grain._cache.setdefault(
                ("stock events", _stock_key(m, table.columns)), []
            )
            if m.event and m.event in table.columns and m.event not in events:
                events.append(m.event)
    for m in measures:  # quantiles of the same values: one histogram, one ranking
        if isinstance(m, Statistic) and m.stat != "mean":
            peers = grain._cache.setdefault(("quantile peers", _same_values(m)), [])
            peers.append(m)
            sets = grain._cache.setdefault(("quantile sets", m.table), {})
            sets[_same_values(m)] = peers
    for m in measures:  # means of one value: their sums join the counts' query
        if isinstance(m, Statistic) and m.stat == "mean":
            for plan in _mean_plans(grain, m):
                batches.setdefault(plan.key, []).append(plan)
    for m in measures:
        if not isinstance(m, Measure) or m.table == "costs" or m.per_date:
            continue
        plan = _plan(grain, m)
        if isinstance(plan, str):
            grain._cache[("measure", m.id)] = plan
        else:
            batches.setdefault(plan.key, []).append(plan)
    for plans in batches.values():
        for mid, frame in _run(grain, plans).items():
            grain._cache[("measure", mid)] = frame


#: The sums a mean is read from (and its negative values' count).
_MEAN_PARTS = ("__n", "__s", "__ss", "__neg")


def _mean_plans(grain: RemoteGrain, m: Statistic) -> list[_Plan]:
    """A mean of one value per row (not one per stage) as additive plans: its
    count, sum and sum of squares (of values not negative, when negative values
    are errors, and their count), run with the counts dated by the same column.
    No plan when it cannot run so (:func:`statistic` then says why, or runs it
    alone)."""
    table = _missing(grain, m.table, m.needs())
    if isinstance(table, str) or not isinstance(m.value, Rule):
        return []
    if isinstance(m.value, StageGaps):  # one value per stage: its own query
        return []
    view = grain.view(m.table, table)
    try:
        value = m.value.expr(view, grain.config, grain).cast("float64")
    except NotOnBackend:
        return []
    column = m.time_column
    if grain.mode == "cohort" and m.cohort_column:
        column = m.cohort_column
    dated, key = view[column], (m.table, column)
    window = grain.window(dated)
    valid = value.notnull() & ~value.isnan()
    kept = valid & (value >= 0) if m.negative else valid
    parts = [("__n", kept, None, "count"), ("__s", kept, value, "sum")]
    parts.append(("__ss", kept, value * value, "sum"))
    if m.negative:
        parts.append(("__neg", valid & (value < 0), None, "count"))
    return [
        _Plan(f"{m.id}{part}", view, dated, window, keep, v, agg, key)
        for part, keep, v, agg in parts
    ]


def _batched_mean(
    grain: RemoteGrain, m: Statistic
) -> tuple[pd.DataFrame, pd.DataFrame | None] | None:
    """The sums of mean ``m`` per cell and its negatives' counts, from the
    batched query (None when it did not run there)."""
    found = [grain._cache.get(("measure", f"{m.id}{p}")) for p in _MEAN_PARTS]
    if any(f is None for f in found[:3]):
        return None
    keys = grain.keys()
    sums = found[0].rename(columns={f"{m.id}__n": "__n"})
    for part, frame in zip(("__s", "__ss"), found[1:3], strict=True):
        frame = frame.rename(columns={f"{m.id}{part}": part})
        sums = sums.merge(frame, on=keys, how="left") if keys else sums.join(frame)
    negatives = found[3]
    if negatives is not None:
        negatives = negatives.rename(columns={f"{m.id}__neg": f"{m.id}__negative"})
    return sums, negatives


def additive(grain: RemoteGrain, m: Measure) -> pd.DataFrame | str:
    """A count, distinct count or sum per cell, as a backend query."""
    if ("measure", m.id) in grain._cache:
        return grain._cache[("measure", m.id)]
    plan = _plan(grain, m)
    if isinstance(plan, str):
        return plan
    if m.per_date:
        from leadkpi.warehouse.clock import DAY_US

        days = grain.micros(plan.dated) // DAY_US
        rows = plan.rows()
        groups = {_label(i): plan.view[_label(i)] for i in range(len(grain.dims))}
        if grain.freq is not None:
            groups[_KEY] = grain.index(plan.dated)
        spread = days.nunique()
        found = (
            rows.group_by(**groups).aggregate(__days=spread)
            if groups
            else rows.aggregate(__days=spread)
        )
        if grain._count(found.filter(found["__days"] > 1)):
            return (
                f"the {m.table} table's {m.value_column} are counted per day: their "
                "sum over several days counts a returning user again each day "
                "(see sessions)"
            )
    return _run(grain, [plan])[m.id]


def _ordered(grain: RemoteGrain, frame: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    keys = grain.keys()
    frame = frame[[*keys, *names]]
    if keys and len(frame):
        frame = frame.sort_values(keys, kind="stable").reset_index(drop=True)
    return frame


def statistic(grain: RemoteGrain, m: Statistic) -> pd.DataFrame | str:
    """A quantile (with its order-statistic interval) or mean per cell."""
    read = _statistic_values(grain, m)
    if isinstance(read, str):
        return read
    view, values, dated = read
    names = [m.id, f"{m.id}__n", f"{m.id}__lo", f"{m.id}__hi"]
    if m.negative:
        names.append(f"{m.id}__negative")
    if not values:
        return _empty(grain, names)
    rows = _statistic_rows(grain, view, values, dated)
    groups = grain.cells()
    negatives = None
    batched = _batched_mean(grain, m) if m.stat == "mean" else None
    if batched is not None:
        sums, negatives = batched
    elif m.stat == "mean":
        if m.negative:
            wrong = rows.filter(rows[_VALUE] < 0)
            negatives = _grouped(grain, wrong, {names[-1]: wrong.count()})
            rows = rows.filter(rows[_VALUE] >= 0)
        sums = _grouped(
            grain,
            rows,
            {
                "__n": rows.count(),
                "__s": rows[_VALUE].sum(),
                "__ss": (rows[_VALUE] * rows[_VALUE]).sum(),
            },
        )
    if m.stat == "mean":
        n = sums["__n"].to_numpy(dtype="float64")
        value = sums["__s"].to_numpy(dtype="float64") / n
        squares = sums["__ss"].to_numpy(dtype="float64")
        with np.errstate(invalid="ignore", divide="ignore"):
            var = np.clip((squares - n * value**2) / (n - 1), 0, None)
            half = np.where(n >= 2, Z95 * np.sqrt(var / n), np.nan)
        result = sums.drop(columns=["__n", "__s", "__ss"])
        low, high = value - half, value + half
    else:
        found = _quantiles(grain, m, rows, groups, _same_values(m), read)
        result, (value, n, low, high), negatives = found
        if negatives is not None:
            negatives = negatives.rename(columns={"__n": names[-1]})
    for name, column in zip(names, (value, n, low, high), strict=False):
        result[name] = np.asarray(column, dtype="float64")
    if negatives is None:
        return _ordered(grain, result, names)
    keys = grain.keys()
    negatives[names[-1]] = negatives[names[-1]].astype("float64")
    if not keys:
        if not len(result):
            counted = float(negatives[names[-1]].sum()) if len(negatives) else 0.0
            if not counted:
                return _empty(grain, names)
            result = pd.DataFrame(
                {
                    m.id: [np.nan],
                    names[1]: [0.0],
                    names[2]: [np.nan],
                    names[3]: [np.nan],
                }
            )
        result[names[-1]] = negatives[names[-1]].sum()
        return result[names]
    if not len(result):
        for name in names[:-1]:
            negatives[name] = 0.0 if name == names[1] else np.nan
        return _ordered(grain, negatives, names)
    merged = result.merge(negatives[[*keys, names[-1]]], on=keys, how="outer")
    merged[names[-1]] = merged[names[-1]].fillna(0.0)
    merged[names[1]] = merged[names[1]].fillna(0.0)
    return _ordered(grain, merged, names)


def _statistic_values(
    grain: RemoteGrain, m: Statistic
) -> tuple[Any, list[Any], list[str]] | str:
    """The view statistic ``m`` reads, its values (one per stage for the time in
    each stage) and the column dating each; or why it cannot run."""
    table = _missing(grain, m.table, m.needs())
    if isinstance(table, str):
        return table
    why = _rule(m.value, "row value")
    if why:
        return why
    view = grain.labelled(m.table, table)
    if isinstance(m.value, StageGaps):
        values = m.value.exprs(view, grain.config, grain)
        dated = m.value.dated_by(view, grain.config)
    else:
        values = [m.value.expr(view, grain.config, grain)]
        dated = [m.time_column]
    if grain.mode == "cohort" and m.cohort_column:
        dated = [m.cohort_column] * len(values)
    return view, values, dated


def _same_values(m: Statistic) -> tuple:
    """Statistics with the same key read the same rows and values."""
    return (m.table, repr(m.value), m.time_column, m.cohort_column, m.negative)


def _statistic_rows(
    grain: RemoteGrain, view: Any, values: list[Any], dated: list[str]
) -> Any:
    """The cells' labels, period number and value of each row whose value is set
    and dated in the window; several values per row (the time in each stage, each
    dated by its own column) as a union of one selection per value. (Unnesting an
    array of the values instead reads the table once, but DuckDB builds the
    arrays slower than it reads the table again.)"""
    import ibis

    parts = []
    for value, column in zip(values, dated, strict=True):
        value = value.cast("float64")
        keep = grain.window(view[column]) & value.notnull() & ~value.isnan()
        keyed = _cell_columns(grain, view, column)
        keyed[_VALUE] = value
        # selected first and filtered after: Ibis compiles it several times
        # quicker than a filter followed by the selection of the period tree
        chosen = view.select(**keyed, __keep=keep)
        parts.append(chosen.filter(chosen["__keep"]).drop("__keep"))
    return parts[0] if len(parts) == 1 else ibis.union(*parts, distinct=False)


def _cell_columns(grain: RemoteGrain, view: Any, column: str) -> dict[str, Any]:
    """The cells' labels and, at a grain with periods, the period number of
    ``column``."""
    keyed = {_label(i): view[_label(i)] for i in range(len(grain.dims))}
    if grain.freq is not None:
        keyed[_KEY] = grain.index(view[column])
    return keyed


def _grouped(grain: RemoteGrain, rows: Any, metrics: dict[str, Any]) -> pd.DataFrame:
    groups = grain.cells()
    if groups:
        return grain.fetch(rows.group_by(groups).aggregate(**metrics))
    out = rows.aggregate(**metrics, __rows=rows.count())
    frame = grain.fetch(out)
    return frame[frame["__rows"] > 0].drop(columns="__rows").reset_index(drop=True)


#: Tables of at most so many rows have each cell's values sorted into an array by
#: one query (:func:`_sorted_arrays`); larger ones are counted by bucket first.
SORTED_ARRAY_ROWS = 10_000_000


def _rows(grain: RemoteGrain, table: str) -> int:
    """Rows of table ``table`` (counted once per RemoteData)."""
    return grain.data.derived(
        f"rows of {table}", lambda d: grain._count(getattr(d, table))
    )


def _resolution(grain: RemoteGrain, table: str) -> int:
    """Value buckets per unit of the fourth root of a value (:func:`_quantiles`):
    finer for larger tables (32 at 10^8 rows, 3 at 10^6), so that the buckets
    counted and the rows ranked in the undecided ones stay few together."""
    return int(np.clip(round(np.sqrt(_rows(grain, table)) / 300), 1, 32))


def _sorted_arrays(
    grain: RemoteGrain, sets: list[list[Statistic]], rows: Any, groups: list[str]
) -> list[list[tuple[pd.DataFrame, tuple[np.ndarray, ...], pd.DataFrame | None]]]:
    """What :func:`_quantiles` returns, for each statistic of each of ``sets``
    (quantiles of the same values: set ``s`` reads column ``__v{s}`` of ``rows``,
    where a row without a value of it holds NULL), from one query that sorts each
    cell's values into an array and reads from it only the ranks their values and
    intervals need: quicker than ranking every row in a window, or counting by
    bucket first, when a table is small. Negative values, when they are errors,
    are counted apart and left out of the arrays."""
    import ibis

    metrics: dict[str, Any] = {}
    for s, peers in enumerate(sets):
        value = rows[f"{_VALUE}{s}"]
        kept = value >= 0 if peers[0].negative else None
        # the array's length counted beside it: short expressions for the ranks
        metrics[f"__l{s}"] = value.collect(where=kept).sort()
        metrics[f"__n{s}"] = value.count(where=kept)
        if peers[0].negative:
            metrics[f"__neg{s}"] = value.count(where=value < 0)
    grouped = rows.group_by(groups) if groups else rows
    arrays = grouped.aggregate(**metrics)
    picks: dict[str, Any] = {}
    for s, peers in enumerate(sets):
        values, size = arrays[f"__l{s}"], arrays[f"__n{s}"]
        # the ranks each quantile and its interval read, as quantile_ranks
        # computes them (the same operations in the same order, so the same doubles)
        n = size.cast("float64")
        for i, peer in enumerate(peers):
            q = 0.5 if peer.stat == "median" else peer.q
            position = q * (n - 1)
            half = Z95 * (n * q * (1 - q)).sqrt()
            low = (n * q - half).floor()
            high = (1 + n * q + half).ceil()
            ranks = (
                position.floor(),
                position.ceil(),
                ibis.ifelse(low < 1, 1, low) - 1,
                ibis.ifelse(high > n, n, high) - 1,
            )
            for j, rank in enumerate(ranks):
                # within the array whenever it holds a value (int32: Spark's index)
                pick = values[rank.cast("int32")]
                null = ibis.null("float64")
                picks[f"__r{s}_{i}_{j}"] = ibis.ifelse(size > 0, pick, null)
    counts = [c for c in metrics if not c.startswith("__l")]
    stats = grain.data.backend.to_pandas(arrays.select(*groups, *counts, **picks))
    return [
        _read_arrays(grain, stats, s, peers, groups) for s, peers in enumerate(sets)
    ]


def _read_arrays(
    grain: RemoteGrain,
    stats: pd.DataFrame,
    s: int,
    peers: list[Statistic],
    groups: list[str],
) -> list[tuple[pd.DataFrame, tuple[np.ndarray, ...], pd.DataFrame | None]]:
    """Each of ``peers``' quantiles, count and interval per cell from the ranks
    :func:`_sorted_arrays` read for set ``s``."""
    negatives = None
    if peers[0].negative:
        wrong = stats[stats[f"__neg{s}"] > 0]
        negatives = wrong[[*groups, f"__neg{s}"]]
        negatives = negatives.rename(columns={f"__neg{s}": "__n"})
        negatives = grain.named(negatives.reset_index(drop=True))
    stats = stats[stats[f"__n{s}"] > 0].reset_index(drop=True)
    count = stats[f"__n{s}"].to_numpy(dtype="int64")
    cells = grain.named(stats[groups])
    out = []
    for i, peer in enumerate(peers):
        q = 0.5 if peer.stat == "median" else peer.q
        low_v, high_v, low, high = (
            stats[f"__r{s}_{i}_{j}"].to_numpy(dtype="float64") for j in range(4)
        )
        pos = q * (count - 1)
        quantile = low_v + (pos - np.floor(pos)) * (high_v - low_v)
        low = np.where(count >= 2, low, np.nan)
        high = np.where(count >= 2, high, np.nan)
        stats_of = (quantile, count.astype("float64"), low, high)
        copy = None if negatives is None else negatives.copy()
        out.append((cells.copy(), stats_of, copy))
    return out


def _value_bucket(value: Any, resolution: int) -> Any:
    """An order-preserving bucket of each value: the fourth root (two square
    roots, which IEEE 754 rounds exactly, so never out of order) in steps of
    ``1 / resolution``, negative values mirrored below -1. At 32, about 1 % of a
    value wide near 10^4, and a few thousand buckets up to 10^8."""
    import ibis

    root = value.abs().sqrt().sqrt() * resolution
    return ibis.ifelse(value < 0, -1.0 - root.floor(), root.floor()).cast("float64")


def _histogram(
    grain: RemoteGrain, rows: Any, groups: list[str], resolution: int
) -> pd.DataFrame:
    """Each cell's values by bucket: count, least and greatest (one aggregate
    query; quantiles of the same values share it)."""
    rows = rows.mutate(__b=_value_bucket(rows[_VALUE], resolution))
    value = rows[_VALUE]
    query = rows.group_by([*groups, "__b"]).aggregate(
        __n=rows.count(), __lo=value.min(), __hi=value.max()
    )
    return grain.data.backend.to_pandas(query)


def _quantiles(
    grain: RemoteGrain,
    m: Statistic,
    rows: Any,
    groups: list[str],
    key: tuple,
    read: tuple[Any, list[Any], list[str]],
) -> tuple[pd.DataFrame, tuple[np.ndarray, ...], pd.DataFrame | None]:
    """Each cell's quantile and the order statistics bounding its interval, exact.

    A table of at most :data:`SORTED_ARRAY_ROWS` rows has each cell's values
    sorted into an array by one query, which reads the ranks wanted from it
    (:func:`_sorted_arrays`); the other values of the table dated by the same
    column share it (:func:`_folded`). In a larger one, nothing is sorted whole:
    a first query counts each cell's values by bucket (:func:`_value_bucket`)
    with their least and greatest; the ranks the value and its interval read
    (as :func:`~leadkpi.kpis.uncertainty.quantile_ranks` gives them) fall in
    known buckets, and a bucket of one distinct value answers at once. Only the
    rows of the other buckets are ranked, by a second query. With
    ``m.negative``, negative values are counted apart and left out of the ranks
    (the third item; else None). ``key`` names the values: the statistics
    :func:`prefetch` found for the same values (a median and a 90th percentile)
    share both queries; ``read`` is what :func:`_statistic_values` gave for
    ``m``."""
    if ("quantiles", m.id) in grain._cache:
        return grain._cache[("quantiles", m.id)]
    peers = grain._cache.get(("quantile peers", key), [])
    peers = [*peers, m] if m not in peers else peers
    if _rows(grain, m.table) <= SORTED_ARRAY_ROWS:
        if _folded(grain, key, groups, read):
            return grain._cache[("quantiles", m.id)]
        single = rows.select(*groups, **{f"{_VALUE}0": rows[_VALUE]})
        results = _sorted_arrays(grain, [peers], single, groups)[0]
    else:
        resolution = _resolution(grain, m.table)
        hist = _histogram(grain, rows, groups, resolution)
        plans = [_ranks(grain, peer, hist, groups) for peer in peers]
        refine = pd.concat([plan["refine"] for plan in plans]).drop_duplicates()
        ranked = (
            _ranked(grain, rows, groups, refine, resolution) if len(refine) else None
        )
        results = [_read_ranks(plan, ranked, groups) for plan in plans]
    for peer, result in zip(peers, results, strict=True):
        grain._cache[("quantiles", peer.id)] = result
    return grain._cache[("quantiles", m.id)]


def _folded(
    grain: RemoteGrain,
    key: tuple,
    groups: list[str],
    read: tuple[Any, list[Any], list[str]],
) -> bool:
    """Whether the quantiles of the values ``key`` names (``read``: their view,
    values and dating columns, as :func:`_statistic_values` gives them) were
    read, with those of other values of their table dated by the same column
    (:func:`prefetch` found them; in cohort mode, all of them), from one query
    of sorted arrays: the table is read once for all (once per stage for the
    time in each stage), not once per value. Their results are cached."""
    import ibis

    view, _, dated = read
    if len(set(dated)) != 1:
        return False
    column, table = dated[0], key[0]
    chosen = []
    for other, peers in grain._cache.get(("quantile sets", table), {}).items():
        if any(("quantiles", peer.id) in grain._cache for peer in peers):
            continue
        theirs = read if other == key else _statistic_values(grain, peers[0])
        if not isinstance(theirs, str) and theirs[1] and set(theirs[2]) == {column}:
            chosen.append((peers, theirs[1]))
    if len(chosen) < 2 or key not in {_same_values(p[0]) for p, _ in chosen}:
        return False
    window = grain.window(view[column])
    parts = []
    for j in range(max(len(values) for _, values in chosen)):
        keyed = _cell_columns(grain, view, column)
        valid = []
        for s, (_, values) in enumerate(chosen):
            value = ibis.null("float64")
            if j < len(values):
                value = values[j].cast("float64")
                valid.append(value.notnull() & ~value.isnan())
                value = ibis.ifelse(valid[-1], value, ibis.null("float64"))
            keyed[f"{_VALUE}{s}"] = value
        keep = window & functools.reduce(operator.or_, valid)
        picked = view.select(**keyed, __keep=keep)
        parts.append(picked.filter(picked["__keep"]).drop("__keep"))
    rows = parts[0] if len(parts) == 1 else ibis.union(*parts, distinct=False)
    sets = [peers for peers, _ in chosen]
    results = _sorted_arrays(grain, sets, rows, groups)
    for peers, found_for in zip(sets, results, strict=True):
        for peer, result in zip(peers, found_for, strict=True):
            grain._cache[("quantiles", peer.id)] = result
    return True


def _ranks(
    grain: RemoteGrain, m: Statistic, hist: pd.DataFrame, groups: list[str]
) -> dict[str, Any]:
    """Where the ranks statistic ``m`` reads lie in the buckets of ``hist``: the
    values already known, and the bucket ranks still to read (``refine``: the
    cell, bucket and 0-based rank within it)."""
    q = 0.5 if m.stat == "median" else m.q
    negatives = None
    if m.negative:
        below = hist[hist["__b"] < 0]
        if groups:
            negatives = below.groupby(groups, sort=False)["__n"].sum().reset_index()
        else:
            negatives = pd.DataFrame(
                {"__n": [below["__n"].sum()] if len(below) else []}
            )
        negatives = grain.named(negatives)
        hist = hist[hist["__b"] >= 0]
    hist = hist.sort_values([*groups, "__b"], kind="stable").reset_index(drop=True)
    if groups:
        code = hist.groupby(groups, sort=False).ngroup().to_numpy("int64")
    else:
        code = np.zeros(len(hist), dtype="int64")
    counts = hist["__n"].to_numpy("int64")
    n = np.bincount(code, weights=counts).astype("int64") if len(hist) else counts
    ends = np.cumsum(counts)  # values up to and including each bucket
    base = np.concatenate([[0], np.cumsum(n)[:-1]])  # values before each cell
    lows = hist["__lo"].to_numpy("float64")
    highs = hist["__hi"].to_numpy("float64")

    def locate(ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The bucket row holding each cell's 0-based rank, and the rank in it."""
        target = base + np.clip(ranks, 0, np.maximum(n - 1, 0))
        row = np.searchsorted(ends, target, side="right")
        row = np.minimum(row, max(len(hist) - 1, 0))
        return row, target - (ends[row] - counts[row])

    pos = q * (n - 1)
    below_rank = np.floor(pos).astype("int64")
    j, k = quantile_ranks(n, q)
    wanted = [
        below_rank,
        np.ceil(pos).astype("int64"),
        np.maximum(j, 1) - 1,
        np.maximum(k, 1) - 1,
    ]
    located = []
    for ranks in wanted:
        row, within = locate(ranks)
        open_ = lows[row] != highs[row]
        at = hist.loc[row, [*groups, "__b"]].reset_index(drop=True)
        located.append((at.assign(__r=within), open_, lows[row]))
    refine = pd.concat([at[open_] for at, open_, _ in located])
    first = np.r_[0, np.flatnonzero(np.diff(code)) + 1] if len(hist) else []
    cells = grain.named(hist.loc[first, groups].reset_index(drop=True))
    return {
        "located": located,
        "refine": refine,
        "n": n,
        "pos": pos,
        "below": below_rank,
        "cells": cells,
        "negatives": negatives,
    }


def _read_ranks(
    plan: dict[str, Any], found: pd.DataFrame | None, groups: list[str]
) -> tuple[pd.DataFrame, tuple[np.ndarray, ...], pd.DataFrame | None]:
    """A statistic's value, count and interval from its :func:`_ranks` and the
    values ranked within buckets (``found``)."""
    values = []
    for at, open_, known in plan["located"]:
        got = np.where(open_, np.nan, known)
        if open_.any() and found is not None:
            keys = [*groups, "__b", "__r"]
            read = at.merge(found, on=keys, how="left")[_VALUE]
            got = np.where(open_, read.to_numpy("float64"), got)
        values.append(got)
    n, pos, below = plan["n"], plan["pos"], plan["below"]
    if not len(plan["cells"]):
        empty = np.zeros(0)
        return plan["cells"], (empty, empty, empty, empty), plan["negatives"]
    low_v, high_v, low_ci, high_ci = values
    value = low_v + (pos - below) * (high_v - low_v)
    low = np.where(n >= 2, low_ci, np.nan)
    high = np.where(n >= 2, high_ci, np.nan)
    stats = (value, n.astype("float64"), low, high)
    return plan["cells"], stats, plan["negatives"]


def _ranked(
    grain: RemoteGrain,
    rows: Any,
    groups: list[str],
    refine: pd.DataFrame,
    resolution: int,
) -> pd.DataFrame:
    """The values at the ``refine`` ranks (``__r``, 0-based) within their cells'
    buckets (``__b``): only those buckets' rows are ranked."""
    import ibis

    keys = [*groups, "__b"]
    refine = refine.drop_duplicates().reset_index(drop=True)
    buckets = ibis.memtable(refine[keys].drop_duplicates().reset_index(drop=True))
    rows = rows.mutate(__b=_value_bucket(rows[_VALUE], resolution))
    inside = rows.join(buckets, keys).select(*keys, _VALUE)
    order = ibis.window(group_by=keys, order_by=inside[_VALUE])
    ranked = inside.mutate(__r=ibis.row_number().over(order))
    picked = ranked.join(ibis.memtable(refine[[*keys, "__r"]]), [*keys, "__r"])
    found = grain.data.backend.to_pandas(picked.select(*keys, "__r", _VALUE))
    found["__r"] = found["__r"].astype("int64")
    return found


def _bucket(grain: RemoteGrain, value: Any, first: int, periods: int) -> Any:
    """0 = before the range, 1..periods = in it, periods + 1 = after or never."""
    import ibis

    if grain.freq is None:
        out = ibis.literal(1)
        if grain.hi is not None:
            out = ibis.ifelse(value > grain.bound(value, grain.hi), 2, out)
        if grain.lo is not None:
            out = ibis.ifelse(value < grain.bound(value, grain.lo), 0, out)
        return ibis.ifelse(value.isnull(), 2, out).cast("int64")
    from leadkpi.warehouse.clock import steps

    numbers = np.arange(first, first + periods + 1, dtype="int64")
    name, zone = grain.data.name, grain.config.timezone
    key = ("bucket", value.op(), grain.period, first, periods)
    if key not in grain._cache:
        walls = grain.start_of(numbers)
        grain._cache[key] = steps(name, zone, value, walls, np.arange(periods + 2))
    tree = grain._cache[key]
    if tree is not None:
        return tree.fill_null(periods + 1).cast("int64")  # never: after the range
    number = grain.index(value) - first + 1
    clipped = ibis.ifelse(
        number < 0, 0, ibis.ifelse(number > periods + 1, periods + 1, number)
    )
    return ibis.ifelse(number.isnull(), periods + 1, clipped).cast("int64")


def _stock_key(m: Stock, columns: Any) -> tuple:
    """Stocks with the same table, entry, exits and weight share one query."""
    exits = tuple(c for c in m.exits if c in columns)
    return (m.table, m.entry, exits, m.value_column)


def _stock_range(grain: RemoteGrain, key: tuple, view: Any) -> tuple[int, int] | None:
    """The first period number and the number of periods a stock is read over:
    the selected range, else the periods its entry and exit columns span (from
    the columns' extremes, found once per RemoteData); None when they are empty."""
    from leadkpi.warehouse.clock import wall_span

    if grain.freq is None:
        return 0, 1
    table, entry, exits, _ = key
    extents = _extents(grain.data, [table])
    name, zone = grain.data.name, grain.config.timezone
    lows, highs = [], []
    for column in (entry, *exits):
        found = extents.get((table, column))
        if found is None:
            continue
        lo, hi = wall_span(name, zone, view[column], found)
        lows.append(grain.number_of(lo))
        highs.append(grain.number_of(hi))
    if not lows:
        return None
    first = grain.index_of(grain.lo) if grain.lo is not None else min(lows)
    last = grain.index_of(grain.hi) if grain.hi is not None else max(highs)
    return first, max(last - first + 1, 1)


def _tallies(
    grain: RemoteGrain, m: Stock, table: Any
) -> tuple[pd.DataFrame, int, int] | None:
    """Each cell's rows (or weight) by the period bucket they enter, leave and
    have each stock's event in: one ``GROUP BY`` for the stocks of a table that
    share entry, exits and weight (:func:`prefetch` names their events)."""
    import ibis

    key = _stock_key(m, table.columns)
    events = grain._cache.setdefault(("stock events", key), [])
    if m.event and m.event in table.columns and m.event not in events:
        events.append(m.event)  # not named by prefetch: asked again with it
        grain._cache.pop(("stock", key), None)
    if ("stock", key) in grain._cache:
        return grain._cache[("stock", key)]
    view = grain.labelled(m.table, table)
    found = _stock_range(grain, key, view)
    if found is None:
        grain._cache[("stock", key)] = None
        return None
    first, periods = found
    _, entry, exits, value_column = key
    leave = ibis.literal(periods + 1)
    for column in exits:
        bucket = _bucket(grain, view[column], first, periods)
        leave = ibis.ifelse(bucket < leave, bucket, leave)
    weight = (
        view[value_column].cast("float64").fill_null(0.0)
        if value_column
        else ibis.literal(1.0)
    )
    labels = [_label(i) for i in range(len(grain.dims))]
    rows = view.select(
        *labels,
        __enter=_bucket(grain, view[entry], first, periods),
        __leave=leave.cast("int64"),
        __w=weight,
        **{f"__event_{e}": _bucket(grain, view[e], first, periods) for e in events},
    )
    groups = [c for c in rows.columns if c != "__w"]
    query = rows.group_by(groups).aggregate(__w=rows["__w"].sum())
    tallied = grain.data.backend.to_pandas(query)
    grain._cache[("stock", key)] = (tallied, first, periods)
    return grain._cache[("stock", key)]


def stock(grain: RemoteGrain, m: Stock) -> pd.DataFrame | str:
    """Rows present at each period's end or start, or leaving the start stock."""
    table = _missing(grain, m.table, m.needs())
    if isinstance(table, str):
        return table
    found = _tallies(grain, m, table)
    if found is None:
        return _empty(grain, [m.id])
    tallied, first, periods = found
    labels = [_label(i) for i in range(len(grain.dims))]
    size = periods + 2
    enter = tallied["__enter"].to_numpy(dtype="int64")
    leave = tallied["__leave"].to_numpy(dtype="int64")
    weight = tallied["__w"].to_numpy(dtype="float64")
    if m.at == "exits":
        event = f"__event_{m.event}" if m.event else "__leave"
        if event not in tallied.columns:  # the event column is absent: no exits
            return _empty(grain, [m.id])
        at = tallied[event].to_numpy(dtype="int64")
        keep = (enter < at) & (leave == at) & (at >= 1) & (at <= periods)
        parts = [(tallied[keep], at[keep], weight[keep])]
    else:  # entries add to the level, exits take away
        parts = [(tallied, enter, weight), (tallied, leave, -weight)]
    seen = tallied[labels].drop_duplicates().reset_index(drop=True)
    if not len(seen) and labels:
        return _empty(grain, [m.id])
    flat = np.zeros(max(len(seen), 1) * size)
    for part, bucket, signed in parts:
        if labels:
            code = pd.MultiIndex.from_frame(seen).get_indexer(
                pd.MultiIndex.from_frame(part[labels])
            )
        else:
            code = np.zeros(len(part), dtype="int64")
        np.add.at(flat, code * size + bucket, signed)
    grid = flat.reshape(-1, size)
    if m.at == "exits":
        grid = grid[:, 1 : periods + 1]
    else:
        level = np.cumsum(grid, axis=1)
        grid = level[:, 1 : periods + 1] if m.at == "end" else level[:, :periods]
    dim, offset = np.nonzero(np.abs(grid) > 1e-9)
    out = (
        seen.iloc[dim].reset_index(drop=True)
        if labels
        else pd.DataFrame(index=range(len(dim)))
    )
    out = out.rename(columns={_label(i): d for i, d in enumerate(grain.dims)})
    for d in grain.dims:
        out[d] = out[d].astype(object)
    if grain.freq is not None:
        out[PERIOD] = (first + offset + grain.offset).astype("int64")
    out[m.id] = grid[dim, offset]
    return _ordered(grain, out, [m.id])


# --- the costs table -------------------------------------------------------------


def _costs(grain: RemoteGrain, m: Measure, catalogue: Any) -> pd.DataFrame | str:
    """A measure of the costs table: a few rows a month, brought into memory,
    shared among channels by their rules with weights counted on the backend
    (:func:`leadkpi.costs.share_costs`), then evaluated as in memory."""
    from leadkpi.data import LeadData
    from leadkpi.kpis import evaluate
    from leadkpi.kpis.grain import Grain

    if grain.data.costs is None:
        return "needs the costs table"
    allocated = grain.data.derived("allocated_costs", _allocated)
    view = LeadData(config=grain.config).with_tables(costs=allocated)
    view._derived["allocated_costs"] = allocated
    local = Grain(
        view, grain.period, grain.dims, grain.mode, grain.count_by, grain.lo, grain.hi
    )
    return evaluate.measure(local, m, catalogue)


def _naive(times: pd.Series, timezone: str) -> pd.Series:
    times = pd.to_datetime(times)
    if isinstance(times.dtype, pd.DatetimeTZDtype):
        times = times.dt.tz_convert(timezone).dt.tz_localize(None)
    return times.astype("datetime64[ns]")


def _allocated(data: Any) -> pd.DataFrame:
    from leadkpi.costs import share_costs
    from leadkpi.warehouse.clock import local_time

    span = _span(data, ["costs"])
    table = data.costs
    month = local_time(data.name, data.config.timezone, table["month"], span)
    costs = data.backend.to_pandas(table.mutate(month=month))
    costs["month"] = _naive(costs["month"], data.config.timezone)
    return share_costs(costs, lambda: _weights(data))


def _weights(data: Any) -> pd.DataFrame:
    """Leads created and spend per month and channel, counted on the backend: what
    the allocation rules weigh (:func:`leadkpi.costs.allocation_weights`)."""
    from leadkpi.costs import weights_from_totals
    from leadkpi.warehouse.clock import local_time

    span = _span(data, ["leads", "spend"])
    parts = []
    for name, column, value in (
        ("leads", "created_at", None),
        ("spend", "date", "cost"),
    ):
        table = getattr(data, name)
        if table is None or "channel" not in table.columns:
            continue
        local = local_time(data.name, data.config.timezone, table[column], span)
        rows = table.select(
            month=local.year().cast("int64") * 12 + local.month().cast("int64") - 1,
            channel=table["channel"],
            weight=table[value].cast("float64").fill_null(0.0) if value else 1.0,
        )
        rows = rows.filter(rows["channel"].notnull() & rows["month"].notnull())
        totals = rows.group_by(["month", "channel"]).aggregate(
            weight=rows["weight"].sum()
        )
        frame = data.backend.to_pandas(totals.filter(totals["weight"] > 0))
        number = frame["month"].to_numpy(dtype="int64")
        frame["month"] = pd.to_datetime(
            {"year": number // 12, "month": number % 12 + 1, "day": 1}
        ).astype("datetime64[ns]")
        frame["channel"] = frame["channel"].astype(object)
        frame["allocation"] = "by_spend" if value else "by_leads"
        parts.append(frame[["month", "channel", "allocation", "weight"]])
    return weights_from_totals(parts)


# --- what the engine asks of a partial table -------------------------------------


def rows_in_window(grain: RemoteGrain, name: str) -> bool:
    """Whether table ``name`` has a row in the selected range."""
    table = grain.table(name)
    if isinstance(table, str):
        return True
    column = table[TABLES[name].time_column]
    return bool(grain._count(table.filter(grain.window(column))))


def seen_cells(grain: RemoteGrain, name: str, dims: list[str]) -> pd.DataFrame | None:
    """The distinct ``dims`` (labels) and periods that table ``name`` has rows for,
    or None when it cannot say (then nothing is marked uncovered)."""
    table = grain.table(name)
    if isinstance(table, str) or any(d not in table.columns for d in dims):
        return None
    keyed = {d: table[d].cast("string").fill_null(NOT_SET) for d in dims}
    if grain.freq is not None:
        keyed[_KEY] = grain.index(table[TABLES[name].time_column])
    rows = table.select(**keyed).distinct()
    frame = grain.data.backend.to_pandas(rows)
    for d in dims:
        frame[d] = frame[d].astype(object)
    if _KEY in frame.columns:
        frame[PERIOD] = frame.pop(_KEY).astype("int64") + grain.offset
    return frame


def span(grain: RemoteGrain) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last wall-clock time of the customers' starts (else the leads'
    creations), for a grain without a period or bounds."""
    data = grain.data
    table, column = (
        (data.customers, "started_at")
        if data.customers is not None
        else (data.leads, "created_at")
    )
    if table is None or column not in table.columns:
        return None
    micros = grain.micros(table[column])
    found = data.backend.to_pandas(table.aggregate(lo=micros.min(), hi=micros.max()))
    lo, hi = found["lo"].iloc[0], found["hi"].iloc[0]
    if pd.isna(lo):
        return None
    return pd.Timestamp(int(lo), unit="us"), pd.Timestamp(int(hi), unit="us")
