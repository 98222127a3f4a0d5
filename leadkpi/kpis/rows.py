"""Row rules of the built-in measures, written once for pandas and for a backend.

Each rule is a small frozen object. Called as ``rule(table, config)`` on a pandas
frame it returns a NumPy array (what a measure's ``where`` or ``value`` callable
returns); ``rule.expr(table, config, clock)`` returns the same rule as an Ibis
expression on a backend table, so that :func:`leadkpi.kpis.compute` can run the
measure where the data lives. ``clock.time(value)`` gives a column as the
project's wall-clock time (see :func:`leadkpi.warehouse.wall_clock`) and
``clock.between(later, earlier)`` the microseconds between two instants, as
durations are taken in memory.

A measure defined with a plain Python function still works on pandas data; on a
backend it is unknown, with a reason saying so.
"""

from __future__ import annotations

import abc
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from leadkpi.config import Config
from leadkpi.exceptions import LeadKPIError, LeadKPIWarning

__all__ = [
    "Rule",
    "NotOnBackend",
    "Every",
    "AllSet",
    "Unset",
    "StartsWith",
    "Equals",
    "Seconds",
    "ResponseSeconds",
    "WithinSLA",
    "Number",
    "StageGaps",
    "EachResultType",
]

Clock = Any  # what a backend offers a rule: .time(value), .between(later, earlier)


class NotOnBackend(LeadKPIError):
    """A rule that only runs on data in memory (the reason says which)."""


class Rule(abc.ABC):
    """Base of the row rules: a pandas call, and the same rule on a backend as
    ``expr(table, config, clock)`` (one Ibis expression) or, for a rule of one
    value per step such as :class:`StageGaps`, ``exprs`` (one per step)."""

    @abc.abstractmethod
    def __call__(self, table: pd.DataFrame, config: Config) -> np.ndarray:
        """The rule on a pandas frame: one value per row (or per row and step)."""


@dataclass(frozen=True)
class Every(Rule):
    """Every row."""

    def __call__(self, table: pd.DataFrame, config: Config) -> np.ndarray:
        return np.ones(len(table), dtype=bool)

    def expr(self, table: Any, config: Config, clock: Clock) -> Any:
        import ibis

        return ibis.literal(True)


@dataclass(frozen=True)
class EachResultType(Every):
    """Every row; on pandas data, a warning when the platforms' conversions hold
    several result types (Meta's leads and link clicks, say), which
    :func:`leadkpi.conversion_kpis` keeps apart."""

    def __call__(self, table: pd.DataFrame, config: Config) -> np.ndarray:
        if "conversion_type" in table.columns:
            types = table.loc[table["conversions"].notna(), "conversion_type"]
            found = sorted(types.dropna().astype(str).unique())
            if len(found) > 1:
                warnings.warn(
                    "the ad platforms' conversions mix result types "
                    f"({', '.join(found)}); 'conversions' adds them "
                    "up. Declare a platform event with 'types:' under conversions: "
                    "in leadkpi.yaml, or use leadkpi.conversion_kpis, which keeps "
                    "each type apart",
                    LeadKPIWarning,
                    stacklevel=3,
                )
        return super().__call__(table, config)


@dataclass(frozen=True)
class AllSet(Rule):
    """Rows where every one of ``columns`` is set."""

    columns: tuple[str, ...]

    def __call__(self, table: pd.DataFrame, config: Config) -> np.ndarray:
        return table[list(self.columns)].notna().all(axis=1).to_numpy()

    def expr(self, table: Any, config: Config, clock: Clock) -> Any:
        out = table[self.columns[0]].notnull()
        for column in self.columns[1:]:
            out = out & table[column].notnull()
        return out


@dataclass(frozen=True)
class Unset(Rule):
    """Rows where ``column`` is empty."""

    column: str

    def __call__(self, table: pd.DataFrame, config: Config) -> np.ndarray:
        return table[self.column].isna().to_numpy()

    def expr(self, table: Any, config: Config, clock: Clock) -> Any:
        return table[self.column].isnull()


@dataclass(frozen=True)
class StartsWith(Rule):
    """Rows whose ``column`` starts with one of ``prefixes``, ignoring case."""

    column: str
    prefixes: tuple[str, ...]

    def __call__(self, table: pd.DataFrame, config: Config) -> np.ndarray:
        codes = table[self.column].astype("string").str.lower()
        hit = np.zeros(len(table), dtype=bool)
        for prefix in self.prefixes:  # a handful of prefixes, not rows
            hit |= codes.str.startswith(prefix.lower()).to_numpy(
                dtype=bool, na_value=False
            )
        return hit

    def expr(self, table: Any, config: Config, clock: Clock) -> Any:
        import ibis

        text = table[self.column].cast("string").lower()
        hit = ibis.literal(False)
        for prefix in self.prefixes:
            hit = hit | text.startswith(prefix.lower()).fill_null(False)
        return hit


@dataclass(frozen=True)
class Equals(Rule):
    """Rows whose ``column`` equals ``value`` (an empty cell is not equal)."""

    column: str
    value: str

    def __call__(self, table: pd.DataFrame, config: Config) -> np.ndarray:
        return (table[self.column] == self.value).fillna(False).to_numpy(dtype=bool)

    def expr(self, table: Any, config: Config, clock: Clock) -> Any:
        return (table[self.column] == self.value).fill_null(False)


@dataclass(frozen=True)
class Seconds(Rule):
    """Seconds from column ``start`` to column ``end`` (NaN where either is unset)."""

    start: str
    end: str

    def __call__(self, table: pd.DataFrame, config: Config) -> np.ndarray:
        delta = table[self.end] - table[self.start]
        return delta.dt.total_seconds().to_numpy(dtype="float64", na_value=np.nan)

    def expr(self, table: Any, config: Config, clock: Clock) -> Any:
        # instants, not wall-clock times: a duration across a clock change is
        # the time that passed
        micro = clock.between(table[self.end], table[self.start])
        return micro.cast("float64") / 1e6

    def __repr__(self) -> str:
        return f"seconds_between({self.start!r}, {self.end!r})"


@dataclass(frozen=True)
class ResponseSeconds(Rule):
    """Seconds from creation to first response on the project's clock: working
    seconds on ``config.business_hours`` when it is set (as
    :func:`leadkpi.speed_to_lead` counts), else calendar seconds. A response
    dated before the creation stays negative (on the calendar): a data error.
    Working hours run on data in memory only."""

    def __call__(self, table: pd.DataFrame, config: Config) -> np.ndarray:
        calendar = Seconds("created_at", "first_response_at")(table, config)
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

    def expr(self, table: Any, config: Config, clock: Clock) -> Any:
        if config.business_hours is not None:
            raise NotOnBackend(
                "response times on business hours are computed on data in memory "
                "only (leadkpi.load), not on a backend"
            )
        return Seconds("created_at", "first_response_at").expr(table, config, clock)


@dataclass(frozen=True)
class WithinSLA(Rule):
    """Leads answered within ``config.sla_hours`` (a response dated before the
    lead existed is a data error, not a fast answer)."""

    def __call__(self, table: pd.DataFrame, config: Config) -> np.ndarray:
        seconds = ResponseSeconds()(table, config)
        return (seconds >= 0) & (seconds <= config.sla_hours * 3600.0)

    def expr(self, table: Any, config: Config, clock: Clock) -> Any:
        seconds = ResponseSeconds().expr(table, config, clock)
        within = (seconds >= 0) & (seconds <= config.sla_hours * 3600.0)
        return within.fill_null(False)


@dataclass(frozen=True)
class Number(Rule):
    """The values of a numeric ``column`` (NaN where empty)."""

    column: str

    def __call__(self, table: pd.DataFrame, config: Config) -> np.ndarray:
        return table[self.column].to_numpy(dtype="float64", na_value=np.nan)

    def expr(self, table: Any, config: Config, clock: Clock) -> Any:
        return table[self.column].cast("float64")


def stage_columns(config: Config, columns: object) -> list[str]:
    """The configured stage columns that ``columns`` holds, in funnel order."""
    return [c for _, c in config.stages if c in columns]


def _seconds(times: pd.Series) -> np.ndarray:
    values = times.astype("datetime64[ns, UTC]") if times.dt.tz is None else times
    out = values.to_numpy(dtype="datetime64[ns]").astype("int64").astype("float64")
    out[values.isna().to_numpy()] = np.nan
    return out / 1e9


@dataclass(frozen=True)
class StageGaps(Rule):
    """Seconds from each lead's previous reached stage to each later stage.

    One column per configured stage after the first; NaN where the stage was not
    reached. A skipped stage (SQL without MQL) is measured from the last stage
    reached before it. :meth:`dated_by` names the column that dates each step.
    """

    def __call__(self, table: pd.DataFrame, config: Config) -> np.ndarray:
        columns = stage_columns(config, table.columns)
        times = np.column_stack([_seconds(table[c]) for c in columns])
        gaps = np.full(times.shape, np.nan)
        last = times[:, 0].copy()
        for j in range(1, times.shape[1]):  # a handful of stages, not rows
            reached = ~np.isnan(times[:, j])
            gaps[:, j] = np.where(reached, times[:, j] - last, np.nan)
            last = np.where(reached, times[:, j], last)
        return gaps[:, 1:]

    def dated_by(self, table: pd.DataFrame, config: Config) -> list[str]:
        return stage_columns(config, table.columns)[1:]

    def exprs(self, table: Any, config: Config, clock: Clock) -> list[Any]:
        """One Ibis expression per stage after the first (as :meth:`__call__`)."""
        import ibis

        columns = stage_columns(config, table.columns)
        out = []
        for j in range(1, len(columns)):
            # the last reached stage before j: the nearest earlier one that is set
            last = ibis.coalesce(*(table[c] for c in reversed(columns[:j])))
            micro = clock.between(table[columns[j]], last)
            out.append(micro.cast("float64") / 1e6)
        return out
