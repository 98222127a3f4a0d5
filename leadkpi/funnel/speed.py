"""Speed to lead: how fast sales first responds, and what slow responses cost.

Response time is ``first_response_at − created_at`` per lead, on the calendar or on
the project's working week (:mod:`leadkpi.funnel.hours`). Counts, rates, their
Wilson intervals and the medians come from the KPI engine, evaluated on a view of
the leads that carries each lead's response time and bucket
(:meth:`LeadData.with_tables`), so the numbers agree with
``contacted_within_sla_rate``, ``never_contacted_rate``, ``lead_response_time`` and
``lead_conversion_rate`` wherever the clocks agree.

Reports quoted by the KPI catalogue put these KPIs in context (claims of those
reports, not of leadkpi): a franchise-industry report found that 85 % of the leads
that became deals had been contacted within the first four hours, and that 62 % of
the leads at enterprise-tier brands never received a follow-up call; another report
put the leads lost to "no response" at 47.5 %.

Every figure here is a cohort figure: leads are dated by their ``created_at``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from leadkpi.arguments import check_dims, unknown
from leadkpi.config import BusinessHours, Config
from leadkpi.data import LeadData
from leadkpi.exceptions import ArgumentError
from leadkpi.funnel.hours import business_seconds
from leadkpi.funnel.remote import in_memory
from leadkpi.kpis.engine import compute
from leadkpi.kpis.formulas import ratio
from leadkpi.kpis.kpi import KPI, kpi
from leadkpi.kpis.measures import Measure, Statistic

__all__ = [
    "RESPONSE_BUCKETS",
    "NEVER",
    "BEFORE_CREATED",
    "CLOCKS",
    "SPEED_COLUMNS",
    "BUCKET_COLUMNS",
    "bucket_order",
    "response_time",
    "speed_to_lead",
    "response_buckets",
]

#: Response-time buckets: (id, upper bound in seconds, exclusive), in order.
RESPONSE_BUCKETS: tuple[tuple[str, float], ...] = (
    ("under_5m", 300.0),
    ("under_1h", 3600.0),
    ("under_4h", 14_400.0),
    ("under_24h", 86_400.0),
    ("over_24h", np.inf),
)
#: Bucket of a lead with no recorded first response.
NEVER = "never"
#: Bucket of a lead whose first response is dated before its creation (a data error,
#: flagged instead of being read as an instant response).
BEFORE_CREATED = "before_created"
#: The clocks response times can be counted on.
CLOCKS = ("calendar", "business")
#: Why response times are counted in memory, by clock (for a backend's error).
_WHY_IN_MEMORY = {
    "calendar": "its response times are taken in pandas",
    "business": "response times on business hours (clock='business', "
    "config.business_hours) are counted day by day in pandas",
}

#: Columns that follow the grain columns in :func:`speed_to_lead`.
SPEED_COLUMNS = (
    "leads",
    "contacted",
    "within_sla",
    "within_sla_rate",
    "within_sla_ci_low",
    "within_sla_ci_high",
    "never_contacted",
    "never_contacted_rate",
    "never_contacted_ci_low",
    "never_contacted_ci_high",
    "median_seconds",
    "p95_seconds",
    "before_created",
    "sla_hours",
    "clock",
)
#: Columns that follow the grain columns in :func:`response_buckets`.
BUCKET_COLUMNS = (
    "bucket",
    "leads",
    "share",
    "customers",
    "conversion_rate",
    "ci_low",
    "ci_high",
)
_SECONDS = "response_seconds"
_BUCKET = "response_bucket"
_FLAGGED = "response_before_created"


def bucket_order(
    buckets: Sequence[tuple[str, float]] = RESPONSE_BUCKETS,
) -> list[str]:
    """Bucket ids in display order: the timed buckets, then never, then flagged.

    Examples
    --------
    >>> bucket_order()
    ['under_5m', 'under_1h', 'under_4h', 'under_24h', 'over_24h', 'never', \
'before_created']
    """
    return [name for name, _ in buckets] + [NEVER, BEFORE_CREATED]


def _clock(config: Config, clock: str | None) -> str:
    if clock is None:
        return "business" if config.business_hours is not None else "calendar"
    if clock not in CLOCKS:
        raise unknown("clock", clock, CLOCKS)
    return clock


def response_time(
    leads: pd.DataFrame,
    config: Config,
    *,
    clock: str | None = None,
    buckets: Sequence[tuple[str, float]] = RESPONSE_BUCKETS,
) -> pd.DataFrame:
    """Seconds from creation to first response, and the response bucket, per lead.

    Parameters
    ----------
    leads : pandas.DataFrame
        The canonical leads table (``created_at``, ``first_response_at``).
    config : Config
        Project settings: ``timezone`` and ``business_hours``.
    clock : {"calendar", "business"}, optional
        Count elapsed time, or working time on ``config.business_hours`` (Monday to
        Friday 09:00–18:00 when the config has none). Default: business when the
        config sets business hours, else calendar.
    buckets : sequence of (id, upper bound in seconds)
        Buckets in order, bounds exclusive (default :data:`RESPONSE_BUCKETS`: a
        response after exactly 5 minutes is ``under_1h``).

    Returns
    -------
    pandas.DataFrame
        Same index as ``leads``: ``response_seconds`` (float, NaN when never
        contacted; negative when the response is dated before the creation) and
        ``response_bucket`` (ordered categorical, :func:`bucket_order`):
        :data:`NEVER` without a first response, :data:`BEFORE_CREATED` when it is
        dated before the lead was created (on the calendar, whatever the clock).

    Examples
    --------
    >>> from leadkpi import load
    >>> data = load("leadkpi.yaml")
    >>> times = response_time(data.leads, data.config)
    >>> times["response_bucket"].value_counts().index[0]
    'under_1h'
    """
    clock = _clock(config, clock)
    missing = [c for c in ("created_at", "first_response_at") if c not in leads]
    if missing:
        raise ArgumentError(
            f"response times need the leads columns created_at and "
            f"first_response_at; missing: {', '.join(missing)}"
        )
    created = pd.to_datetime(leads["created_at"])
    answered = pd.to_datetime(leads["first_response_at"])
    calendar = (
        (answered - created)
        .dt.total_seconds()
        .to_numpy(dtype="float64", na_value=np.nan)
    )
    if clock == "business":
        hours = config.business_hours or BusinessHours()
        seconds = business_seconds(created, answered, hours, config.timezone)
    else:
        seconds = calendar
    order = bucket_order(buckets)
    bounds = np.array([bound for _, bound in buckets], dtype="float64")
    codes = np.searchsorted(bounds, seconds, side="right")
    codes = np.minimum(codes, len(bounds) - 1)  # beyond the last bound: last bucket
    codes = np.where(np.isnan(calendar), len(bounds), codes)
    codes = np.where(calendar < 0, len(bounds) + 1, codes)
    bucket = pd.Categorical.from_codes(codes, categories=order, ordered=True)
    return pd.DataFrame({_SECONDS: seconds, _BUCKET: bucket}, index=leads.index)


def _view(
    data: LeadData,
    clock: str,
    buckets: Sequence[tuple[str, float]],
    by: str | Sequence[str],
) -> LeadData:
    """The data with the leads' response seconds and bucket as columns."""
    leads = data.require("leads", "speed to lead")
    check_dims(by, leads.columns)
    times = response_time(leads, data.config, clock=clock, buckets=buckets)
    flagged = (times[_BUCKET] == BEFORE_CREATED).to_numpy(dtype=bool)
    view = leads.assign(
        **{_SECONDS: times[_SECONDS], _BUCKET: times[_BUCKET], _FLAGGED: flagged}
    )
    return data.with_tables(leads=view)


def _answered(table: pd.DataFrame, config: Config) -> np.ndarray:
    """Response seconds where the response is not dated before the creation."""
    seconds = table[_SECONDS].to_numpy(dtype="float64", na_value=np.nan)
    return np.where(table[_FLAGGED].to_numpy(dtype=bool), np.nan, seconds)


def _speed_measures(sla_seconds: float) -> dict[str, Measure | Statistic]:
    def within(table: pd.DataFrame, config: Config) -> np.ndarray:
        return np.nan_to_num(_answered(table, config), nan=np.inf) <= sla_seconds

    def flagged(table: pd.DataFrame, config: Config) -> np.ndarray:
        return table[_FLAGGED].to_numpy(dtype=bool)

    on = ("first_response_at", _SECONDS, _FLAGGED)
    return {
        # replaces the catalogue's calendar measures by the chosen clock's
        "contacted_within_sla": Measure(
            "contacted_within_sla", "leads", "created_at", where=within, columns=on
        ),
        "response_seconds": Statistic(
            "response_seconds",
            "leads",
            "created_at",
            _answered,
            cohort_column="created_at",
            columns=on,
        ),
        "speed:p95": Statistic(
            "speed:p95",
            "leads",
            "created_at",
            _answered,
            "quantile",
            cohort_column="created_at",
            columns=on,
            q=0.95,
        ),
        "speed:before_created": Measure(
            "speed:before_created", "leads", "created_at", where=flagged, columns=on
        ),
    }


def _count(id_: str, measure: str) -> KPI:
    return kpi(id_, f"count of {measure}", "count", None,
               measures=(measure,))  # fmt: skip


_SPEED_KPIS = {
    "leads": "leads",
    "contacted": _count("contacted", "contacted"),
    "within_sla": _count("within_sla", "contacted_within_sla"),
    "within_sla_rate": "contacted_within_sla_rate",
    "never_contacted": _count("never_contacted", "never_contacted"),
    "never_contacted_rate": "never_contacted_rate",
    "median_seconds": "lead_response_time",
    "p95_seconds": kpi(
        "p95_seconds",
        "quantile(first_response_at − created_at, 0.95)",
        "seconds",
        "lower",
        measures=("speed:p95",),
    ),
    "before_created": _count("before_created", "speed:before_created"),
}


def _keys(result: pd.DataFrame) -> list[str]:
    return list(result.columns[: result.columns.get_loc("kpi")])


def _wide(result: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """One row per cell, one column per KPI value (and interval where asked)."""
    keys = _keys(result)
    ids = {(k if isinstance(k, str) else k.id): out for out, k in names.items()}
    labelled = result.assign(kpi=result["kpi"].map(ids))
    cell = labelled.groupby(keys, sort=False).ngroup() if keys else 0
    labelled = labelled.assign(_cell=cell)
    wide = labelled.pivot(index="_cell", columns="kpi", values="value")
    for name in ("within_sla_rate", "never_contacted_rate"):
        rows = labelled[labelled["kpi"] == name].set_index("_cell")
        wide[f"{name.removesuffix('_rate')}_ci_low"] = rows["ci_low"]
        wide[f"{name.removesuffix('_rate')}_ci_high"] = rows["ci_high"]
    wide.columns.name = None
    if keys:
        first = labelled.drop_duplicates("_cell").set_index("_cell")[keys]
        wide = first.join(wide)
    return pd.DataFrame(wide).reset_index(drop=True)


def speed_to_lead(
    data: LeadData,
    *,
    by: str | Sequence[str] = (),
    clock: str | None = None,
    sla_hours: float | None = None,
    start: object = None,
    end: object = None,
) -> pd.DataFrame:
    """Response-time summary per cell: SLA share, never contacted, median, p95.

    Context for the figures (claims of the reports the KPI catalogue cites): 85 % of
    the leads that became deals were contacted within four hours (a franchise-
    industry report); 62 % of the leads at enterprise-tier brands never received a
    follow-up call (same report); 47.5 % of leads were lost to "no response"
    (another report).

    Parameters
    ----------
    data : LeadData
        Needs the ``leads`` table with ``created_at`` and ``first_response_at``.
    by : str or sequence of str
        Grain, as for :func:`leadkpi.compute` (``("month",)``, ``("owner",)``, …).
    clock : {"calendar", "business"}, optional
        See :func:`response_time`.
    sla_hours : float, optional
        The response SLA; default ``config.sla_hours`` (4 h).
    start, end : str or Period, optional
        First and last creation period included.

    Returns
    -------
    pandas.DataFrame
        The grain columns, then :data:`SPEED_COLUMNS`: ``leads`` created,
        ``contacted`` (with a recorded first response), ``within_sla`` (responded
        within ``sla_hours`` on the clock; responses dated before the creation do
        not count), ``within_sla_rate`` = within_sla / leads with its 95 % Wilson
        interval, ``never_contacted`` and its rate and interval,
        ``median_seconds`` and ``p95_seconds`` of the response time (contacted
        leads, flagged ones left out), ``before_created`` (responses dated before
        the creation: flagged, counted here), and the ``sla_hours`` and ``clock``
        used. Cohort figures: leads are dated by ``created_at``.

    Examples
    --------
    >>> from leadkpi import load
    >>> table = speed_to_lead(load("leadkpi.yaml"), by="owner")
    >>> table.sort_values("median_seconds")["owner"].iloc[-1]
    'Raúl Delgado'
    """
    clock = _clock(data.config, clock)
    in_memory(data, "speed_to_lead", _WHY_IN_MEMORY[clock])
    sla = float(data.config.sla_hours if sla_hours is None else sla_hours)
    if not sla > 0:
        raise ArgumentError(f"sla_hours must be a positive number, not {sla_hours!r}")
    view = _view(data, clock, RESPONSE_BUCKETS, by)
    result = compute(
        view,
        list(_SPEED_KPIS.values()),
        by=by,
        mode="cohort",
        start=start,
        end=end,
        measures=_speed_measures(sla * 3600.0),
    )
    keys = _keys(result)
    table = _wide(pd.DataFrame(result), _SPEED_KPIS)
    table = table[table["leads"] > 0] if len(table) else table
    counts = ["leads", "contacted", "within_sla", "never_contacted", "before_created"]
    for column in SPEED_COLUMNS:
        if column not in table:
            table[column] = np.nan
    table = table.astype(dict.fromkeys(counts, "int64"))
    table["sla_hours"] = sla
    table["clock"] = clock
    return table.reset_index(drop=True)[[*keys, *SPEED_COLUMNS]]


def response_buckets(
    data: LeadData,
    *,
    by: str | Sequence[str] = (),
    clock: str | None = None,
    start: object = None,
    end: object = None,
    buckets: Sequence[tuple[str, float]] = RESPONSE_BUCKETS,
) -> pd.DataFrame:
    """Leads and lead conversion rate by response bucket, per cell.

    Conversion is the cohort lead conversion rate (customers / leads created) of
    the leads in each bucket, with its 95 % Wilson interval, both from the engine's
    ``lead_conversion_rate``. For context, a franchise-industry report quoted by the
    catalogue found 85 % of leads that became deals had been contacted within four
    hours (a claim of that report).

    Parameters
    ----------
    data : LeadData
        Needs the ``leads`` table with ``created_at``, ``first_response_at`` and
        ``won_at``.
    by : str or sequence of str
        Grain, as for :func:`leadkpi.compute` (``"owner"``, ``"channel"``, …).
    clock : {"calendar", "business"}, optional
        See :func:`response_time`.
    start, end : str or Period, optional
        First and last creation period included.
    buckets : sequence of (id, upper bound in seconds)
        Default :data:`RESPONSE_BUCKETS`.

    Returns
    -------
    pandas.DataFrame
        The grain columns, then :data:`BUCKET_COLUMNS`: ``bucket`` (ordered
        categorical, every bucket of :func:`bucket_order` for every cell),
        ``leads``, ``share`` of the cell's leads, ``customers``,
        ``conversion_rate`` (NaN for a bucket without leads), ``ci_low`` and
        ``ci_high``.

    Examples
    --------
    >>> from leadkpi import load
    >>> table = response_buckets(load("leadkpi.yaml")).set_index("bucket")
    >>> rate = table["conversion_rate"]
    >>> bool(rate["under_1h"] > 3 * rate["over_24h"])
    True
    """
    clock = _clock(data.config, clock)
    in_memory(data, "response_buckets", _WHY_IN_MEMORY[clock])
    view = _view(data, clock, buckets, by)
    grain = [by] if isinstance(by, str) else list(by)
    result = compute(
        view,
        ["leads", "customers", "lead_conversion_rate"],
        by=(*grain, _BUCKET),
        mode="cohort",
        start=start,
        end=end,
    )
    keys = [k for k in _keys(result) if k != _BUCKET]
    order = bucket_order(buckets)
    values = result.pivot_table(
        index=[*keys, _BUCKET], columns="kpi", values="value", dropna=False,
        observed=True, sort=False,
    )  # fmt: skip
    rates = result[result["kpi"] == "lead_conversion_rate"].set_index([*keys, _BUCKET])[
        ["ci_low", "ci_high"]
    ]
    table = values.join(rates).reset_index()
    cells = table[keys].drop_duplicates() if keys else pd.DataFrame(index=[0])
    full = cells.merge(pd.DataFrame({_BUCKET: order}), how="cross")
    table = full.merge(table, on=[*keys, _BUCKET], how="left")
    for column in ("leads", "customers"):
        if column not in table:
            table[column] = 0.0
        table[column] = table[column].fillna(0).astype("int64")
    for column in ("lead_conversion_rate", "ci_low", "ci_high"):
        if column not in table:
            table[column] = np.nan
    table = table.rename(
        columns={_BUCKET: "bucket", "lead_conversion_rate": "conversion_rate"}
    )
    cell = keys or np.zeros(len(table), dtype="int64")
    total = table.groupby(cell, sort=False)["leads"].transform("sum")
    table["share"] = ratio(table["leads"], total)
    table["conversion_rate"] = table["conversion_rate"].where(table["leads"] > 0)
    table["bucket"] = pd.Categorical(table["bucket"], categories=order, ordered=True)
    table = table[(total > 0).to_numpy()]
    table = pd.DataFrame(table).reset_index(drop=True)[[*keys, *BUCKET_COLUMNS]]
    return table.astype({"share": "float64", "conversion_rate": "float64"})
