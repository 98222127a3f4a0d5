"""The grain of one engine call: period buckets, dimension codes and row tables.

A :class:`Grain` is built once per :func:`leadkpi.compute` call and caches what
every measure shares (local times, period ordinals, dimension codes, lead
dimensions joined onto deals and customers), so that 60 KPIs over a million leads
cut each column once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from leadkpi.arguments import check_dims, parse_bound
from leadkpi.config import Config
from leadkpi.data import LeadData
from leadkpi.exceptions import ArgumentError
from leadkpi.periods import GRAINS, period_freq

__all__ = [
    "Grain",
    "NOT_SET",
    "LEAD_LINKED",
    "split_by",
    "selected_range",
    "data_columns",
]

#: Label of a dimension value that is missing in the data.
NOT_SET = "(not set)"
#: Tables whose rows carry a ``lead_id``: lead dimensions reach them by that key.
LEAD_LINKED = ("deals", "customers", "touches")
_NAT = np.iinfo("int64").min


def data_columns(data: LeadData) -> list[str]:
    """Every column of every table present: what a ``by=`` dimension may name."""
    return list(dict.fromkeys(c for t in data.tables.values() for c in t.columns))


def split_by(
    by: str | Sequence[str], columns: Sequence[str] | None = None
) -> tuple[str | None, list[str]]:
    """Split a ``by`` argument into its period grain (or None) and its dimensions.

    With ``columns``, each dimension must be one of them (an
    :class:`~leadkpi.exceptions.ArgumentError` with the closest names otherwise).

    >>> split_by(("channel", "month"))
    ('month', ['channel'])
    """
    by = [by] if isinstance(by, str) else list(by)
    if columns is not None:
        check_dims(by, columns)
    grains = [b for b in by if b in GRAINS]
    if len(grains) > 1:
        raise ArgumentError(f"by= holds more than one period grain: {grains}")
    return (grains[0] if grains else None), [b for b in by if b not in GRAINS]


def selected_range(
    start: object, end: object
) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The wall-clock bounds of the periods ``start`` to ``end`` (inclusive).

    A bound that is not a period raises :class:`~leadkpi.exceptions.ArgumentError`
    (:func:`leadkpi.arguments.parse_bound`).

    >>> selected_range("2026-10", None)
    (Timestamp('2026-10-01 00:00:00'), None)
    >>> selected_range("garbage", None)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    leadkpi.exceptions.ArgumentError: start='garbage' is not a period; expected ...
    """
    first, last = parse_bound("start", start), parse_bound("end", end)
    lo = first.start_time if first is not None else None
    hi = last.end_time if last is not None else None
    if lo is not None and hi is not None and lo > hi:
        raise ArgumentError(f"start={start!r} is after end={end!r}")
    return lo, hi


class Periods:
    """What a grain knows of its periods from ``data.config`` and ``period``:
    shared by the grain in memory and the grain on a backend."""

    data: LeadData
    period: str | None

    @property
    def config(self) -> Config:
        return self.data.config

    @property
    def freq(self) -> str | None:
        if self.period is None:
            return None
        return period_freq(self.period, self.config.fiscal_year_start)

    def ordinal_of(self, when: pd.Timestamp) -> int:
        """Ordinal of the period that contains ``when`` (0 without a period)."""
        if self.freq is None:
            return 0
        return int(pd.Period(when, freq=self.freq).ordinal)


@dataclass
class Grain(Periods):
    """What one ``compute`` call cuts by.

    Parameters
    ----------
    data : LeadData
        The tables.
    period : str or None
        The period grain (``month``, …) or None for the whole selected range.
    dims : list of str
        Dimension columns.
    mode : {"cohort", "period"}
        Counting mode.
    count_by : {"lead", "account"}
        What lead counts count.
    lo, hi : Timestamp or None
        The selected range, in local wall-clock time, inclusive.
    """

    data: LeadData
    period: str | None
    dims: list[str]
    mode: str
    count_by: str
    lo: pd.Timestamp | None
    hi: pd.Timestamp | None
    _cache: dict = field(default_factory=dict, repr=False)

    # --- tables -------------------------------------------------------------------

    def table(self, name: str) -> pd.DataFrame | str:
        """Table ``name``, or why it cannot be cut by the grain's dimensions."""
        frame = getattr(self.data, name, None)
        if frame is None:
            return f"needs the {name} table"
        if name == "costs":  # rows without a channel shared by their rule
            from leadkpi.costs import allocate_costs

            # once per data, not per grain: a report computes many grains
            frame = self.data.derived("allocated_costs", allocate_costs)
        absent = [c for c in self.dims if c not in frame.columns]
        if absent and not self._linked(name, frame, absent):
            return f"the {name} table has no {', '.join(absent)} column"
        return frame

    def _linked(self, name: str, frame: pd.DataFrame, columns: list[str]) -> bool:
        """Whether ``columns`` reach table ``name`` from the leads via ``lead_id``."""
        leads = self.data.leads
        return (
            name in LEAD_LINKED
            and "lead_id" in frame.columns
            and leads is not None
            and all(c in leads.columns for c in columns)
        )

    def lead_rows(self, name: str, frame: pd.DataFrame) -> np.ndarray:
        """Row of each ``frame`` row's lead in the leads table (-1 when unknown).

        Every linked table is matched in one pass (one hash of the lead ids).
        """
        key = ("lead_rows", name)
        if key not in self._cache:
            linked = {
                t: getattr(self.data, t)
                for t in LEAD_LINKED
                if getattr(self.data, t) is not None
                and "lead_id" in getattr(self.data, t).columns
            }
            leads = self.data.leads["lead_id"]
            ids = pd.concat(
                [
                    leads.astype("string"),
                    *(f["lead_id"].astype("string") for f in linked.values()),
                ],
                ignore_index=True,
            )
            codes, _ = pd.factorize(ids)
            lookup = np.full(int(codes.max()) + 2, -1, dtype="int64")
            lookup[codes[: len(leads)]] = np.arange(len(leads))
            offset = len(leads)
            for table, linked_frame in linked.items():
                part = codes[offset : offset + len(linked_frame)]
                self._cache[("lead_rows", table)] = lookup[part]  # -1 stays -1
                offset += len(linked_frame)
        return self._cache[key]

    # --- paid channels ------------------------------------------------------------

    def paid_rows(self, name: str, frame: pd.DataFrame) -> np.ndarray | str:
        """Rows of ``frame`` whose ``channel`` had spend (cost > 0) in the selected
        range, or why that cannot be told."""
        spend = self.data.spend
        if spend is None:
            return "needs the spend table (to tell paid channels)"
        if "channel" not in spend.columns or "channel" not in frame.columns:
            return f"needs a channel column in the spend and {name} tables"
        key = ("paid", name)
        if key not in self._cache:
            cost = spend["cost"].to_numpy(dtype="float64", na_value=0.0)
            spent = self.in_window("spend", spend, "date") & (cost > 0)
            paid = spend.loc[spent, "channel"].dropna().unique()
            self._cache[key] = frame["channel"].isin(paid).to_numpy(dtype=bool)
        return self._cache[key]

    # --- funnel stages ------------------------------------------------------------

    def stage_view(self) -> pd.DataFrame:
        """The leads with, per configured stage column ``c``, a column
        ``reached:c``: the date the lead reached the stage under
        ``config.cumulative_stages`` (a skipped stage dated by the earliest later
        stage), the rule :func:`leadkpi.funnel.funnel` counts by."""
        if "stage_view" not in self._cache:
            # read at call time: leadkpi.funnel imports the engine
            from leadkpi.funnel.stages import reached

            leads = self.data.leads
            stages = [(s, c) for s, c in self.config.stages if c in leads.columns]
            found = reached(leads, stages, cumulative=True, as_of=pd.Timestamp.max)
            tz = getattr(leads["created_at"].dtype, "tz", None)
            columns = {}
            for j, column in enumerate(found.columns):
                times = pd.Series(found.dates[:, j].view("datetime64[ns]"))
                times = times.dt.tz_localize("UTC")
                times = times.dt.tz_convert(tz) if tz is not None else times
                columns[f"reached:{column}"] = times.set_axis(leads.index)
            self._cache["stage_view"] = leads.assign(**columns)
        return self._cache["stage_view"]

    # --- times --------------------------------------------------------------------

    def local(self, name: str, frame: pd.DataFrame, column: str) -> pd.Series:
        """Column ``column`` as naive local wall-clock times."""
        key = ("local", name, column)
        if key not in self._cache:
            times = frame[column]
            if isinstance(times.dtype, pd.DatetimeTZDtype):
                times = times.dt.tz_localize(None)
            elif not pd.api.types.is_datetime64_dtype(times.dtype):
                times = pd.to_datetime(times)
            self._cache[key] = times
        return self._cache[key]

    def ordinals(self, name: str, frame: pd.DataFrame, column: str) -> np.ndarray:
        """Period ordinal of each row (int64; the minimum int64 where unset).

        Without a period in the grain every set row is in period 0.
        """
        key = ("ordinal", name, column)
        if key not in self._cache:
            times = self.local(name, frame, column)
            if self.freq is None:
                out = np.where(times.isna().to_numpy(), _NAT, 0).astype("int64")
            else:
                out = np.asarray(times.dt.to_period(self.freq).array.asi8)
            self._cache[key] = out
        return self._cache[key]

    def in_window(self, name: str, frame: pd.DataFrame, column: str) -> np.ndarray:
        """Rows whose ``column`` is set and falls in the selected range."""
        key = ("window", name, column)
        if key not in self._cache:
            times = self.local(name, frame, column)
            keep = times.notna().to_numpy().copy()
            if self.lo is not None:
                keep &= (times >= self.lo).to_numpy(dtype=bool, na_value=False)
            if self.hi is not None:
                keep &= (times <= self.hi).to_numpy(dtype=bool, na_value=False)
            self._cache[key] = keep
        return self._cache[key]

    # --- dimensions ---------------------------------------------------------------

    def dim_codes(
        self, name: str, frame: pd.DataFrame
    ) -> tuple[np.ndarray, pd.DataFrame]:
        """One int64 code per row for the combination of the grain's dimensions,
        and the label frame (one row per code, columns = dims).

        A deal or customer without a dimension column takes its lead's values
        (all of them, so that the combination is the lead's).
        """
        key = ("dims", name)
        if key in self._cache:
            return self._cache[key]
        if name != "leads" and any(d not in frame.columns for d in self.dims):
            codes, labels = self.dim_codes("leads", self.data.leads)
            unset = 0
            for dim in self.dims:  # the code of "(not set)" in every dimension
                size = int(labels[dim].nunique())
                unset = unset * size + (size - 1)
            rows = self.lead_rows(name, frame)
            linked = np.where(rows >= 0, codes[np.maximum(rows, 0)], unset)
            self._cache[key] = (linked, labels)
            return self._cache[key]
        codes = np.zeros(len(frame), dtype="int64")
        labels: list[np.ndarray] = []
        sizes: list[int] = []
        for dim in self.dims:
            values, uniques = pd.factorize(frame[dim], sort=True)
            names = np.asarray([str(x) for x in uniques] + [NOT_SET], dtype=object)
            values = np.where(values < 0, len(uniques), values)
            labels.append(names)
            sizes.append(len(names))
            codes = codes * len(names) + values
        total = int(np.prod(sizes)) if sizes else 1
        combos = np.arange(total, dtype="int64")
        columns = {}
        rest = combos
        for dim, names, size in zip(
            reversed(self.dims), reversed(labels), reversed(sizes), strict=True
        ):
            rest, part = np.divmod(rest, size)
            columns[dim] = names[part]
        label_frame = pd.DataFrame({d: columns[d] for d in self.dims}, index=combos)
        self._cache[key] = (codes, label_frame)
        return self._cache[key]

    def account_codes(self, name: str, frame: pd.DataFrame) -> np.ndarray:
        """Code of each row's account (-1 where it has none); deals and customers
        without ``account_id`` take their lead's."""
        key = ("accounts", name)
        if key not in self._cache:
            if "account_id" in frame.columns:
                codes = pd.factorize(frame["account_id"])[0].astype("int64")
            elif self._linked(name, frame, ["account_id"]):
                leads = self.account_codes("leads", self.data.leads)
                rows = self.lead_rows(name, frame)
                codes = np.where(rows >= 0, leads[np.maximum(rows, 0)], -1)
            else:
                codes = np.full(len(frame), -1, dtype="int64")
            self._cache[key] = codes
        return self._cache[key]
