"""Cohort conversion matrix and time-to-stage curves, censoring-aware.

Both read the stage dates through :func:`leadkpi.funnel.stages.reached` and never
treat a lead that has not had the time to convert as a lead that did not convert:
the matrix marks cells a cohort has not lived through as not yet mature (value NaN),
and the time-to-stage curve censors open leads at ``as_of`` (Kaplan–Meier, or
Aalen–Johansen when another outcome such as a loss competes with conversion).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from leadkpi.arguments import parse_bound, unknown
from leadkpi.data import LeadData, MissingTableError
from leadkpi.exceptions import ArgumentError
from leadkpi.funnel.remote import (
    RemoteStages,
    is_remote,
    literal_at,
    micros_between,
    months,
    remote_as_of,
    remote_reached,
)
from leadkpi.funnel.stages import NAT, StageDates, nanoseconds, reached, resolve_as_of
from leadkpi.kpis.grain import NOT_SET

if TYPE_CHECKING:
    from leadkpi.warehouse import RemoteData

__all__ = [
    "cohort_matrix",
    "time_to_stage",
    "COHORT_COLUMNS",
    "TIME_TO_STAGE_COLUMNS",
    "Z95",
]

#: Columns after the ``by`` columns of every cohort matrix (shared with retention).
COHORT_COLUMNS = (
    "cohort",
    "age",
    "size",
    "count",
    "value",
    "mature",
    "skipped",
    "before_created",
    "future",
    "reason",
)
#: Columns after the ``by`` columns of :func:`time_to_stage`.
TIME_TO_STAGE_COLUMNS = (
    "days",
    "at_risk",
    "events",
    "censored",
    "reached",
    "ci_low",
    "ci_high",
    "competing",
)
#: Normal quantile of a two-sided 95 % interval.
Z95 = 1.959963984540054
_DAY = 86_400 * 10**9


def _stage_dates(
    data: LeadData, stage: str, cumulative: bool | None, as_of: object
) -> tuple[pd.DataFrame, StageDates, int, pd.Timestamp]:
    leads = data.require("leads", "the cohort analyses")
    stages = list(data.config.stages)
    known = [s for s, _ in stages]
    if stage not in known:
        raise unknown("stage", stage, known, what="a configured stage")
    if cumulative is None:
        cumulative = data.config.cumulative_stages
    columns = ["created_at", *(c for _, c in stages)]
    when = resolve_as_of(as_of, [(leads, columns)], data.config.timezone)
    # only the stage and the later ones decide when the stage was reached
    later = stages[known.index(stage) :]
    sd = reached(leads, later, cumulative=cumulative, as_of=when)
    return leads, sd, 0, when


def _groups(leads: pd.DataFrame, by: Sequence[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """One code per lead for its combination of ``by`` values, and their labels."""
    by = [by] if isinstance(by, str) else list(by)
    for b in by:
        if b not in leads.columns:
            raise unknown("by", b, leads.columns, what="a column of the leads table")
    if not by:
        return np.zeros(len(leads), dtype="int64"), pd.DataFrame(index=[0])
    combined = np.zeros(len(leads), dtype="int64")
    names: list[np.ndarray] = []
    for b in by:  # sorted values, then "(not set)", as the engine orders them
        values, uniques = pd.factorize(leads[b], sort=True)
        names.append(np.asarray([str(x) for x in uniques] + [NOT_SET], dtype=object))
        combined = combined * len(names[-1]) + np.where(
            values < 0, len(uniques), values
        )
    seen, codes = np.unique(combined, return_inverse=True)
    columns = {}
    rest = seen
    for b, labels in zip(reversed(by), reversed(names), strict=True):
        rest, part = np.divmod(rest, len(labels))
        columns[b] = labels[part]
    return codes.astype("int64"), pd.DataFrame({b: columns[b] for b in by})


def _months(ns: np.ndarray, tz: object) -> np.ndarray:
    """Local calendar month of each UTC ns (months since 1970-01; NAT stays NAT)."""
    stamps = pd.DatetimeIndex(np.where(ns == NAT, np.iinfo("int64").min, ns), tz="UTC")
    local = stamps.tz_convert(tz).tz_localize(None) if tz is not None else stamps
    months = local.to_numpy().astype("datetime64[M]").astype("int64")
    return np.where(ns == NAT, NAT, months)


def _created_in(cohorts: np.ndarray, start: object, end: object) -> np.ndarray:
    """Leads whose creation month (ordinal) is within ``start``-``end``."""
    keep = np.ones(len(cohorts), dtype=bool)
    first, last = parse_bound("start", start), parse_bound("end", end)
    if first is not None:
        keep &= cohorts >= first.asfreq("M", how="start").ordinal
    if last is not None:
        keep &= cohorts <= last.asfreq("M", how="end").ordinal
    return keep


def cohort_matrix(
    data: LeadData | RemoteData,
    stage: str = "customer",
    *,
    by: Sequence[str] = (),
    max_age: int | None = None,
    cumulative: bool | None = None,
    as_of: object = None,
    start: object = None,
    end: object = None,
) -> pd.DataFrame:
    """Share of each creation-month cohort that reached ``stage``, by months of age.

    Parameters
    ----------
    data : LeadData or RemoteData
        Needs the ``leads`` table. On a backend
        (:func:`leadkpi.warehouse.connect`) the leads are grouped there and only
        one row per group, cohort, age and flags comes back.
    stage : str
        A configured stage id (``mql``, ``sql``, ``opportunity``, ``customer``).
    by : sequence of str
        Lead columns to cut by (``channel``, ``owner``, …); they come first.
    max_age : int, optional
        Last age in months shown; default the age of the oldest cohort at
        ``as_of``. Leads reaching the stage later are not counted.
    cumulative : bool, optional
        Whether a later stage implies ``stage`` (an SQL that skipped MQL counts as
        an MQL, dated by its SQL date); default ``config.cumulative_stages`` (True).
    as_of : Timestamp or str, optional
        The data's "now"; default the latest stage or creation date that is not
        after the current time. Leads created after it are left out; stage dates
        after it do not count (they are counted in ``future``).
    start, end : str or Period, optional
        First and last cohort (creation month) included.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then :data:`COHORT_COLUMNS`: ``cohort`` (creation month,
        a Period in the project timezone), ``age`` (months from the creation month
        to the month the stage was reached; 0 = the same month), ``size`` (leads
        created in the cohort), ``count`` (leads that reached the stage by that age,
        cumulative; a stage dated before creation counts at age 0), ``value``
        (``count / size``), ``mature`` (whether the cohort has lived through month
        ``cohort + age`` by ``as_of``; when not, ``value`` is NaN, never a low
        rate), ``skipped`` and ``before_created`` (of ``count``, leads counted via a
        later stage, or dated before creation), ``future`` (leads of the cohort
        whose stage date is after ``as_of``, not counted) and ``reason`` (why the
        stage cannot be counted, e.g. its column is missing; then ``count`` and
        ``value`` are NaN). One row per cohort and age ``0..max_age``.

    Examples
    --------
    >>> from leadkpi import load
    >>> matrix = cohort_matrix(load("leadkpi.yaml"), "customer")
    >>> list(matrix.columns[:6])
    ['cohort', 'age', 'size', 'count', 'value', 'mature']
    >>> first = matrix[matrix["cohort"] == matrix["cohort"].min()]
    >>> bool(first["mature"].iloc[6]), round(float(first["value"].iloc[6]), 3) > 0
    (True, True)
    >>> last = matrix[matrix["cohort"] == matrix["cohort"].max()]
    >>> last["mature"].any(), last["value"].isna().all()
    (np.False_, np.True_)
    """
    by = [by] if isinstance(by, str) else list(by)
    if is_remote(data):
        rows = _remote_rows(data, stage, by, cumulative, as_of, start, end)
        if rows is None:
            return _empty_matrix(by)
        frame, now, reason = rows
        codes, labels = _groups(frame, by)
        return _matrix(
            codes,
            labels,
            frame["cohort"].to_numpy(dtype="int64"),
            frame["hit"].to_numpy(dtype=bool),
            frame["age"].to_numpy(dtype="int64"),
            frame["skipped"].to_numpy(dtype=bool),
            frame["before"].to_numpy(dtype=bool),
            frame["future"].to_numpy(dtype=bool),
            now=now,
            max_age=max_age,
            reason=reason,
            by=by,
            weights=frame["n"].to_numpy(dtype="int64"),
        )
    leads, sd, j, when = _stage_dates(data, stage, cumulative, as_of)
    codes, labels = _groups(leads, by)
    tz = getattr(leads["created_at"].dtype, "tz", None)
    cohorts = _months(sd.created, tz)
    now = int(_months(np.array([when.value]), tz)[0])
    keep = (sd.created <= when.value) & _created_in(cohorts, start, end)
    return _matrix(
        codes[keep],
        labels,
        cohorts[keep],
        sd.reached[keep, j],
        _months(sd.dates[keep, j], tz) - cohorts[keep],
        sd.skipped[keep, j],
        sd.before_created[keep, j],
        sd.future[keep, j],
        now=now,
        max_age=max_age,
        reason=sd.reasons.get(stage),
        by=by,
    )


def _matrix(
    codes: np.ndarray,
    labels: pd.DataFrame,
    cohorts: np.ndarray,
    hit: np.ndarray,
    waited: np.ndarray,
    skipped: np.ndarray,
    before: np.ndarray,
    future: np.ndarray,
    *,
    now: int,
    max_age: int | None,
    reason: str | None,
    by: list[str],
    weights: np.ndarray | None = None,
) -> pd.DataFrame:
    """The matrix from one row per kept lead (or per group of leads alike, with
    ``weights`` counting them): group code, cohort month, whether it reached the
    stage and how many months after its cohort's (``waited``, read where ``hit``),
    and its flags."""
    if not len(cohorts):
        return _empty_matrix(by)

    def count(cells: np.ndarray, mask: np.ndarray, size: int) -> np.ndarray:
        w = None if weights is None else weights[mask]
        return np.bincount(cells, weights=w, minlength=size).astype("int64")

    first = int(cohorts.min())
    n_cohorts = int(cohorts.max()) - first + 1
    ages = int(max_age) if max_age is not None else max(now - first, 0)
    if ages < 0:
        raise ArgumentError(f"max_age must be 0 or more, not {max_age!r}")
    width = ages + 1
    cell = codes * n_cohorts + (cohorts - first)
    n_cells = len(labels) * n_cohorts
    size = count(cell, np.ones(len(cell), dtype=bool), n_cells)
    age = np.maximum(waited, 0)
    counted = hit & (age <= ages)
    slot = cell[counted] * width + age[counted]
    where = np.flatnonzero(counted)

    def tally(mask: np.ndarray) -> np.ndarray:
        chosen = np.zeros(len(cell), dtype=bool)
        chosen[where[mask]] = True
        per_age = count(slot[mask], chosen, n_cells * width)
        return np.cumsum(per_age.reshape(n_cells, width), axis=1).ravel()

    tallied = tally(np.ones(len(where), dtype=bool)).astype("float64")
    skipped_ = tally(skipped[counted])
    before_ = tally(before[counted])
    future_ = count(cell[future], future, n_cells)
    present = np.repeat(size > 0, width)
    rows = np.flatnonzero(present)
    cell_of = rows // width
    age_of = rows % width
    cohort_of = first + cell_of % n_cohorts
    mature = cohort_of + age_of < now
    sizes = size[cell_of]
    tallied = tallied[rows] if reason is None else np.full(len(rows), np.nan)
    value = np.where(mature, tallied / sizes, np.nan)
    out = labels.iloc[cell_of // n_cohorts].reset_index(drop=True) if by else None
    body = pd.DataFrame(
        {
            "cohort": pd.arrays.PeriodArray(cohort_of, dtype=pd.PeriodDtype("M")),
            "age": age_of.astype("int64"),
            "size": sizes.astype("int64"),
            "count": tallied,
            "value": value,
            "mature": mature,
            "skipped": skipped_[rows].astype("int64"),
            "before_created": before_[rows].astype("int64"),
            "future": future_[cell_of].astype("int64"),
            "reason": pd.Series([reason] * len(rows), dtype=object),
        }
    )
    return body if out is None else pd.concat([out, body], axis=1)


def _remote_stage(
    data: RemoteData,
    stage: str,
    by: list[str],
    cumulative: bool | None,
    as_of: object,
    start: object,
    end: object,
) -> tuple[Any, RemoteStages, Any, Any, pd.Timestamp]:
    """:func:`_stage_dates` on a backend: the leads table, the stage and the later
    ones as :class:`~leadkpi.funnel.remote.RemoteStages`, which leads are followed
    (created by ``as_of``, in a creation month of the range), their cohort month
    and ``as_of``."""
    leads = data.leads
    if leads is None:
        raise MissingTableError("the cohort analyses needs the leads table")
    stages = list(data.config.stages)
    known = [s for s, _ in stages]
    if stage not in known:
        raise unknown("stage", stage, known, what="a configured stage")
    for b in by:
        if b not in leads.columns:
            raise unknown("by", b, leads.columns, what="a column of the leads table")
    if cumulative is None:
        cumulative = data.config.cumulative_stages
    columns = ["created_at", *(c for _, c in stages)]
    when = remote_as_of(data, as_of, leads, columns)
    later = stages[known.index(stage) :]
    rs = remote_reached(data, leads, later, cumulative=cumulative, as_of=when)
    cohort = months(data, leads["created_at"])
    keep = leads["created_at"] <= literal_at(data, leads["created_at"], when)
    first, last = parse_bound("start", start), parse_bound("end", end)
    if first is not None:
        keep &= cohort >= first.asfreq("M", how="start").ordinal
    if last is not None:
        keep &= cohort <= last.asfreq("M", how="end").ordinal
    return leads, rs, keep, cohort, when


def _remote_rows(
    data: RemoteData,
    stage: str,
    by: list[str],
    cumulative: bool | None,
    as_of: object,
    start: object,
    end: object,
) -> tuple[pd.DataFrame, int, str | None] | None:
    """The leads of a backend grouped by what the matrix counts (their ``by``
    values, cohort month, reached, age, flags) with their number ``n``; the month
    of ``as_of`` and why the stage cannot be counted. None: no lead is kept."""
    import ibis

    leads, rs, keep, cohort, when = _remote_stage(
        data, stage, by, cumulative, as_of, start, end
    )
    tz = data.config.timezone
    now = int(pd.Period(when.tz_convert(tz).tz_localize(None), freq="M").ordinal)
    false = ibis.literal(False)
    if stage in rs.reasons:
        hit = skipped = before = future = false
        age = ibis.literal(0)
    else:
        hit = rs.reached[stage]
        age = ibis.ifelse(hit, months(data, rs.dates[stage]) - cohort, 0)
        skipped, before = rs.skipped[stage], rs.before_created[stage]
        future = rs.future[stage]
    keyed = {b: leads[b] for b in by}
    keyed.update(
        cohort=cohort,
        hit=hit.fill_null(False),
        age=age.cast("int64"),
        skipped=skipped.fill_null(False),
        before=before.fill_null(False),
        future=future.fill_null(False),
    )
    rows = leads.filter(keep).select(**keyed)
    grouped = rows.group_by(list(keyed)).aggregate(n=rows.count())
    frame = _fetch(data, grouped, by)
    if not len(frame):
        return None
    return frame, now, rs.reasons.get(stage)


def _fetch(data: RemoteData, expr: Any, by: list[str]) -> pd.DataFrame:
    """Run ``expr``; its ``by`` columns as objects, missing values None (as the
    labels of :func:`_groups` read them)."""
    frame = data.backend.to_pandas(expr)
    for b in by:
        frame[b] = frame[b].astype(object).where(frame[b].notna(), None)
    return frame


def _empty_matrix(by: list[str]) -> pd.DataFrame:
    dtypes = {
        "cohort": pd.PeriodDtype("M"),
        "age": "int64",
        "size": "int64",
        "count": "float64",
        "value": "float64",
        "mature": "bool",
        "skipped": "int64",
        "before_created": "int64",
        "future": "int64",
        "reason": object,
    }
    columns = {b: pd.Series(dtype=object) for b in by}
    columns.update({c: pd.Series(dtype=dtypes[c]) for c in COHORT_COLUMNS})
    return pd.DataFrame(columns)


def time_to_stage(
    data: LeadData | RemoteData,
    stage: str = "customer",
    *,
    by: Sequence[str] = (),
    as_of: object = None,
    cumulative: bool | None = None,
    competing: str | None = None,
    start: object = None,
    end: object = None,
) -> pd.DataFrame:
    """Share of leads that reached ``stage`` by each number of days since creation,
    with open leads censored at ``as_of``.

    Each lead is followed from ``created_at``: it reaches the stage on day
    ``ceil(seconds / 86400)`` (a stage dated before creation counts on day 0), or is
    censored on day ``floor(seconds until as_of / 86400)`` if it has not reached it
    yet, i.e. it is known not to have converted for that many whole days. Without
    ``competing`` the curve is the Kaplan–Meier estimate ``1 − S(t)`` with a 95 %
    Greenwood interval on the log(−log) scale.

    With ``competing="lost_at"`` a lead lost before reaching the stage can no longer
    reach it, and the curve is the Aalen–Johansen cumulative incidence
    ``F(t) = Σ S(t⁻) · d / n`` (``S`` the Kaplan–Meier estimate of leaving by either
    outcome) with its delta-method interval. ``1 − KM`` would treat lost leads as
    censored, that is as leads that might still convert later, and so overstates
    conversion whenever losses are common.

    Parameters
    ----------
    data : LeadData or RemoteData
        Needs the ``leads`` table. On a backend
        (:func:`leadkpi.warehouse.connect`) each lead's day is worked out there
        and only the counts per group and day come back.
    stage : str
        A configured stage id.
    by : sequence of str
        Lead columns; one curve per combination.
    as_of : Timestamp or str, optional
        Censoring instant; default the latest stage or creation date that is not
        after the current time. Leads created after it are left out.
    cumulative : bool, optional
        Whether a later stage implies ``stage``; default
        ``config.cumulative_stages`` (True).
    competing : str, optional
        A leads column dating an outcome that ends the lead (``"lost_at"``).
    start, end : str or Period, optional
        First and last creation month of the leads followed.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then :data:`TIME_TO_STAGE_COLUMNS`: one row per day
        on which some lead of the group reached the stage, was censored or (with
        ``competing``) ended otherwise: ``days``, ``at_risk`` (leads still open at
        the start of the day), ``events`` (reached the stage), ``censored``,
        ``reached`` (estimated share reached by the end of the day), ``ci_low``,
        ``ci_high`` (95 %; equal to ``reached`` where the estimate is 0 or 1) and
        ``competing`` (leads ended by the competing outcome that day).

    Examples
    --------
    >>> from leadkpi import load
    >>> curve = time_to_stage(load("leadkpi.yaml"), "customer", competing="lost_at")
    >>> list(curve.columns[:5])
    ['days', 'at_risk', 'events', 'censored', 'reached']
    >>> bool(curve["reached"].is_monotonic_increasing)
    True
    """
    by = [by] if isinstance(by, str) else list(by)
    if is_remote(data):
        frame = _remote_followed(
            data, stage, by, cumulative, as_of, competing, start, end
        )
        codes, labels = _groups(frame, by)
        frame = frame.drop(columns=by).assign(g=codes)
        return _curve(frame, labels, by, competing)
    leads, sd, j, when = _stage_dates(data, stage, cumulative, as_of)
    codes, labels = _groups(leads, by)
    tz = getattr(leads["created_at"].dtype, "tz", None)
    keep = (sd.created <= when.value) & _created_in(_months(sd.created, tz), start, end)
    if sd.reasons.get(stage):
        raise ArgumentError(f"cannot follow stage {stage!r}: {sd.reasons[stage]}")
    created = sd.created[keep]
    date = np.where(sd.reached[keep, j], sd.dates[keep, j], NAT)
    hit = date != NAT
    waited = np.maximum(date - created, 0)
    day = np.where(hit, -(-waited // _DAY), (when.value - created) // _DAY)
    lost = np.zeros(len(created), dtype=bool)
    if competing is not None:
        _check_competing(competing, leads.columns)
        ended = nanoseconds(leads[competing])[keep]
        ended = np.where((ended != NAT) & (ended <= when.value), ended, NAT)
        lost = (ended != NAT) & (~hit | (ended < date))
        lost_day = -(-np.maximum(ended - created, 0) // _DAY)
        day = np.where(lost, lost_day, day)
        hit &= ~lost
    frame = pd.DataFrame(
        {
            "g": codes[keep],
            "days": day.astype("int64"),
            "events": hit.astype("int64"),
            "competing": lost.astype("int64"),
            "censored": (~hit & ~lost).astype("int64"),
        }
    )
    return _curve(frame, labels, by, competing)


def _check_competing(competing: str, columns: Sequence[str]) -> None:
    if competing not in columns:
        raise ArgumentError(
            f"competing={competing!r} is not a column of the leads table; "
            f"found: {', '.join(columns)}"
        )


def _remote_followed(
    data: RemoteData,
    stage: str,
    by: list[str],
    cumulative: bool | None,
    as_of: object,
    competing: str | None,
    start: object,
    end: object,
) -> pd.DataFrame:
    """The leads :func:`time_to_stage` follows, on a backend: per ``by`` values
    and day, how many reached the stage, were censored or ended by ``competing``
    (the day of each lead worked out there, on microseconds)."""
    import ibis

    leads, rs, keep, _, when = _remote_stage(
        data, stage, by, cumulative, as_of, start, end
    )
    if stage in rs.reasons:
        raise ArgumentError(f"cannot follow stage {stage!r}: {rs.reasons[stage]}")
    day = _DAY // 1000  # microseconds

    def whole_days(value: Any, up: bool) -> Any:
        value = ibis.greatest(value, 0)
        return (value + (day - 1 if up else 0)) // day

    created = leads["created_at"]
    now = literal_at(data, created, when)
    date = rs.counted(stage)
    hit = date.notnull()
    days = ibis.ifelse(
        hit,
        whole_days(micros_between(data, date, created), True),
        whole_days(micros_between(data, now, created), False),
    )
    lost = ibis.literal(False)
    if competing is not None:
        _check_competing(competing, leads.columns)
        ended = leads[competing]
        in_time = ended <= literal_at(data, ended, when)
        ended = ibis.ifelse(in_time, ended, ibis.null(ended.type()))
        lost = (ended.notnull() & (~hit | (ended < date))).fill_null(False)
        ended_on = whole_days(micros_between(data, ended, created), True)
        days = ibis.ifelse(lost, ended_on, days)
        hit = hit & ~lost
    rows = leads.filter(keep).select(
        *by,
        days=days.cast("int64"),
        events=hit.cast("int64"),
        competing=lost.cast("int64"),
        censored=(~hit & ~lost).cast("int64"),
    )
    counts = ["events", "competing", "censored"]
    grouped = rows.group_by([*by, "days"]).aggregate(
        **{c: rows[c].sum() for c in counts}
    )
    frame = _fetch(data, grouped, by)
    return frame.astype(dict.fromkeys(["days", *counts], "int64"))


def _curve(
    frame: pd.DataFrame, labels: pd.DataFrame, by: list[str], competing: str | None
) -> pd.DataFrame:
    """The curve from per-lead (or per group and day) rows: group code ``g``,
    ``days``, and the ``events``, ``competing`` and ``censored`` they count."""
    table = frame.groupby(["g", "days"], sort=True).sum().reset_index()
    if table.empty:
        return _empty_curve(by)
    g = table["g"].to_numpy()
    leaving = (table[["events", "competing", "censored"]].sum(axis=1)).to_numpy()
    total = pd.Series(leaving).groupby(g).transform("sum").to_numpy()
    before = pd.Series(leaving).groupby(g).cumsum().to_numpy() - leaving
    n = (total - before).astype("float64")
    d1 = table["events"].to_numpy(dtype="float64")
    d = d1 + table["competing"].to_numpy(dtype="float64")
    if competing is None:
        reached_, low, high = _kaplan_meier(g, n, d1)
    else:
        reached_, low, high = _aalen_johansen(g, n, d1, d)
    out = labels.iloc[g].reset_index(drop=True) if by else None
    body = pd.DataFrame(
        {
            "days": table["days"].to_numpy(dtype="int64"),
            "at_risk": n.astype("int64"),
            "events": table["events"].to_numpy(dtype="int64"),
            "censored": table["censored"].to_numpy(dtype="int64"),
            "reached": reached_,
            "ci_low": low,
            "ci_high": high,
            "competing": table["competing"].to_numpy(dtype="int64"),
        }
    )
    return body if out is None else pd.concat([out, body], axis=1)


def _cumsum(g: np.ndarray, values: np.ndarray) -> np.ndarray:
    return pd.Series(values).groupby(g).cumsum().to_numpy()


def _kaplan_meier(
    g: np.ndarray, n: np.ndarray, d: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """1 − S(t) per row (rows sorted by group, then time) and its 95 % interval."""
    with np.errstate(divide="ignore", invalid="ignore"):
        surv = np.exp(_cumsum(g, np.log1p(-d / n)))
        greenwood = _cumsum(g, np.where(n > d, d / (n * (n - d)), 0.0))
        se = np.sqrt(greenwood) / np.abs(np.log(surv))
        theta = np.log(-np.log(surv))
        s_low = np.exp(-np.exp(theta + Z95 * se))
        s_high = np.exp(-np.exp(theta - Z95 * se))
    inner = (surv > 0) & (surv < 1)
    reached_ = 1.0 - surv
    return (
        reached_,
        np.where(inner, 1.0 - s_high, reached_),
        np.where(inner, 1.0 - s_low, reached_),
    )


def _aalen_johansen(
    g: np.ndarray, n: np.ndarray, d1: np.ndarray, d: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cumulative incidence of the event of interest and its delta-method 95 %
    interval (log(−log) scale); ``d`` counts both outcomes."""
    with np.errstate(divide="ignore", invalid="ignore"):
        surv = np.exp(_cumsum(g, np.log1p(-d / n)))
        first_row = np.r_[True, g[1:] != g[:-1]]  # S(t⁻): survival before t
        lag = np.where(first_row, 1.0, np.r_[1.0, surv[:-1]])
        cif = _cumsum(g, lag * d1 / n)
        # Var F(t) = Σ (F(t) − F_j)² d_j / (n_j (n_j − d_j))
        #          + Σ S(t_j⁻)² d1_j (n_j − d1_j) / n_j³
        #          − 2 Σ (F(t) − F_j) S(t_j⁻) d1_j / n_j²   (sums over t_j ≤ t)
        a = np.where(n > d, d / (n * (n - d)), 0.0)
        b = lag * d1 / n**2
        var = (
            cif**2 * _cumsum(g, a)
            - 2 * cif * _cumsum(g, cif * a)
            + _cumsum(g, cif**2 * a)
            + _cumsum(g, lag**2 * d1 * (n - d1) / n**3)
            - 2 * (cif * _cumsum(g, b) - _cumsum(g, cif * b))
        )
        se = np.sqrt(np.maximum(var, 0.0)) / np.abs(cif * np.log(cif))
        theta = np.log(-np.log(cif))
        low = np.exp(-np.exp(theta + Z95 * se))
        high = np.exp(-np.exp(theta - Z95 * se))
    inner = (cif > 0) & (cif < 1)
    return cif, np.where(inner, low, cif), np.where(inner, high, cif)


def _empty_curve(by: list[str]) -> pd.DataFrame:
    columns = {b: pd.Series(dtype=object) for b in by}
    for c in TIME_TO_STAGE_COLUMNS:
        kind = "float64" if c in ("reached", "ci_low", "ci_high") else "int64"
        columns[c] = pd.Series(dtype=kind)
    return pd.DataFrame(columns)
