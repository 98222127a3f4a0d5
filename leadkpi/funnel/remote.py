"""The funnel's stage rule as Ibis expressions, for leads on a backend.

:func:`leadkpi.funnel.stages.reached` settles, in memory, which stages each lead
reached and when; :func:`remote_reached` is the same rule written as column
expressions of the backend's leads table (a backward running minimum over the
stage columns present, ``created_at`` never moved; dates after ``as_of`` not
reached; with a window, stages reached later than the window after creation not
counted), so that the funnel table and the cohort matrix run where the data lives
and bring back only their counts.

Instants are compared as instants: a column with a time zone against a UTC
literal; Spark's ``TIMESTAMP`` (an instant, shown by Ibis in UTC) against a naive
UTC literal; a naive column (the project's wall-clock time already, see
:func:`leadkpi.warehouse.connect`) against the literal's wall-clock time in the
project's time zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from leadkpi.funnel.stages import resolve_as_of
from leadkpi.kpis.remote import is_remote
from leadkpi.kpis.rows import NotOnBackend

if TYPE_CHECKING:
    from leadkpi.warehouse.connect import RemoteData

__all__ = [
    "ON_BACKEND",
    "RemoteStages",
    "any_set",
    "in_memory",
    "is_remote",
    "remote_as_of",
    "remote_reached",
    "literal_at",
    "micros_between",
    "months",
]


#: The funnel analyses that run on a backend.
ON_BACKEND = (
    "funnel",
    "cohort_matrix",
    "time_to_stage",
    "time_between",
    "stage_durations",
)


def in_memory(data: object, what: str, why: str = "") -> None:
    """Raise :class:`~leadkpi.kpis.rows.NotOnBackend` when ``data`` holds its
    tables on a backend: ``what`` runs on tables in memory only (``why`` says
    what keeps it there).

    Examples
    --------
    >>> in_memory(object(), "speed_to_lead")  # in memory: nothing to say
    """
    if not is_remote(data):
        return
    because = f" ({why})" if why else ""
    raise NotOnBackend(
        f"{what} runs on tables in memory only{because}, not on "
        f"{getattr(data, 'source', 'a backend')}: read them with leadkpi.load("
        "config) (it reads a backend's tables too) or LeadData(...); on a backend, "
        f"use {', '.join(ON_BACKEND)} or leadkpi.compute"
    )


def _naive_utc(data: RemoteData, dtype: Any) -> bool:
    """Whether a timestamp type without a zone holds UTC instants (Spark)."""
    return data.name == "pyspark" and dtype.timezone is None


def literal_at(data: RemoteData, column: Any, when: pd.Timestamp) -> Any:
    """The instant ``when`` (tz-aware) as a literal comparable with ``column``."""
    import ibis

    dtype = column.type()
    stamp = pd.Timestamp(when).tz_convert("UTC").floor("us")
    if dtype.is_timestamp() and dtype.timezone is not None:
        return ibis.literal(stamp.to_pydatetime(), type=dtype)
    if _naive_utc(data, dtype):
        return ibis.literal(stamp.tz_localize(None).to_pydatetime(), type=dtype)
    local = stamp.tz_convert(data.config.timezone).tz_localize(None)
    return ibis.literal(local.to_pydatetime(), type=dtype)


def _as_utc(data: RemoteData, value: object, dtype: Any) -> pd.Timestamp:
    """A timestamp fetched from a column of type ``dtype`` as a UTC instant."""
    stamp = pd.Timestamp(value)
    if stamp.tz is not None:
        return stamp.tz_convert("UTC")
    zone = "UTC" if _naive_utc(data, dtype) else data.config.timezone
    return stamp.tz_localize(zone, ambiguous=True, nonexistent="shift_forward")


def remote_as_of(
    data: RemoteData, as_of: object, table: Any, columns: Sequence[str]
) -> pd.Timestamp:
    """:func:`leadkpi.funnel.stages.resolve_as_of` on the backend: ``as_of`` as
    given, or the latest of ``columns`` that is not after the current time (one
    aggregate query)."""
    if as_of is not None:
        return resolve_as_of(as_of, [], data.config.timezone)
    now = pd.Timestamp.now(tz="UTC")
    present = [c for c in dict.fromkeys(columns) if c in table.columns]
    if not present:
        return now
    metrics = {}
    for i, column in enumerate(present):
        value = table[column]
        metrics[f"__m{i}"] = value.max(where=value <= literal_at(data, value, now))
    row = data.backend.to_pandas(table.aggregate(**metrics)).iloc[0]
    found = [
        _as_utc(data, row[f"__m{i}"], table[c].type())
        for i, c in enumerate(present)
        if not pd.isna(row[f"__m{i}"])
    ]
    return max(found) if found else now


#: Stands for "no date" inside a running minimum (later than any real date).
_NEVER = pd.Timestamp("2200-01-01", tz="UTC")


@dataclass(frozen=True)
class RemoteStages:
    """Per stage, Ibis expressions over the leads table: the rule of
    :class:`leadkpi.funnel.stages.StageDates`, one boolean or timestamp column
    expression per stage instead of one array column.

    Attributes
    ----------
    stages, columns : tuple of str
        Stage ids and the leads columns that date them.
    created : ibis expression
        ``created_at``.
    dates, reached, skipped, before_created, future, late, raw, later : dict
        Stage id → expression, as the arrays of
        :class:`~leadkpi.funnel.stages.StageDates` (a date NULL where unset).
        Stages whose column is missing are not in them.
    reasons : dict
        Stage id → why it cannot be counted (its column is missing).
    """

    stages: tuple[str, ...]
    columns: tuple[str, ...]
    created: Any
    dates: dict[str, Any]
    reached: dict[str, Any]
    skipped: dict[str, Any]
    before_created: dict[str, Any]
    future: dict[str, Any]
    late: dict[str, Any]
    raw: dict[str, Any]
    later: dict[str, Any]
    reasons: dict[str, str] = field(default_factory=dict)

    def counted(self, stage: str) -> Any:
        """The effective date where the stage counts (reached), else NULL."""
        import ibis

        date = self.dates[stage]
        return ibis.ifelse(self.reached[stage], date, ibis.null(date.type()))


def remote_reached(
    data: RemoteData,
    leads: Any,
    stages: Sequence[tuple[str, str]],
    *,
    cumulative: bool,
    as_of: pd.Timestamp,
    window: pd.Timedelta | None = None,
) -> RemoteStages:
    """:func:`leadkpi.funnel.stages.reached` as Ibis expressions over ``leads``.

    Parameters
    ----------
    data : RemoteData
        The backend (for its clock and its kind).
    leads : ibis table
        The leads table (or a view of it).
    stages, cumulative, as_of, window
        As for :func:`~leadkpi.funnel.stages.reached`.

    Returns
    -------
    RemoteStages
    """
    import ibis

    stages = list(stages)
    created = leads["created_at"]
    raw: dict[str, Any] = {}
    own: dict[str, Any] = {}
    future: dict[str, Any] = {}
    reasons: dict[str, str] = {}
    for stage, column in stages:
        if column not in leads.columns:
            reasons[stage] = f"the leads table has no {column} column"
            continue
        value = leads[column]
        raw[stage] = value
        future[stage] = value.notnull() & (value > literal_at(data, value, as_of))
        own[stage] = ibis.ifelse(future[stage], ibis.null(value.type()), value)
    later: dict[str, Any] = {}
    running = None
    for stage, _ in reversed(stages):  # backward running minimum of own dates
        if stage in own:
            # LEAST over values that are never NULL, each column named once: the
            # expression grows by one term per stage, not by a copy of the rest
            never = literal_at(data, own[stage], _NEVER)
            dated = own[stage].fill_null(never)
            running = dated if running is None else ibis.least(dated, running)
            later[stage] = running.nullif(never)
    dates, reached_, skipped, before, late = {}, {}, {}, {}, {}
    for stage, column in stages:
        if stage not in own:
            continue
        skipped[stage] = own[stage].isnull() & later[stage].notnull()
        cumulated = cumulative and column != "created_at"
        dates[stage] = later[stage] if cumulated else own[stage]
        is_set = dates[stage].notnull()
        before[stage] = is_set & (dates[stage] < created)
        late[stage] = ibis.literal(False)
        if window is not None:
            span = int(pd.Timedelta(window).value // 1000)
            waited = micros_between(data, dates[stage], created)
            late[stage] = is_set & (waited > span)
        reached_[stage] = is_set & ~late[stage]
    return RemoteStages(
        stages=tuple(s for s, _ in stages),
        columns=tuple(c for _, c in stages),
        created=created,
        dates=dates,
        reached=reached_,
        skipped=skipped,
        before_created=before,
        future=future,
        late=late,
        raw=raw,
        later=later,
        reasons=reasons,
    )


def micros_between(data: RemoteData, later: Any, earlier: Any) -> Any:
    """``later - earlier`` in microseconds on ``data``'s backend
    (:func:`leadkpi.warehouse.clock.micros_between`)."""
    from leadkpi.warehouse.clock import micros_between as between

    return between(data.name, later, earlier)


def months(data: RemoteData, value: Any) -> Any:
    """The local calendar month of a timestamp, as months since 1970-01 (the
    ordinal of a pandas monthly Period); NULL where unset. The wall clock is the
    engine's (:meth:`leadkpi.kpis.remote.RemoteGrain.month_number`), so a
    cohort is the month a KPI by month puts the lead in."""
    from leadkpi.kpis.remote import RemoteGrain

    grain = RemoteGrain(data, "month", [], "cohort", "lead", None, None)
    return grain.month_number(value) - 1970 * 12


def any_set(data: RemoteData, table: Any, columns: dict[str, Any]) -> dict[str, bool]:
    """Which of the named expressions are set (not NULL) in some row (one query)."""
    if not columns:
        return {}
    names = list(columns)
    metrics = {
        f"__a{i}": columns[name].notnull().cast("int64").max()
        for i, name in enumerate(names)
    }
    row = data.backend.to_pandas(table.aggregate(**metrics)).iloc[0]
    return {
        name: bool(np.nan_to_num(float(row[f"__a{i}"]), nan=0.0) > 0)
        for i, name in enumerate(names)
    }
