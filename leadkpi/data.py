"""LeadData: the canonical tables of one project, in one object."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TypeVar

import pandas as pd

from leadkpi.channels import fill_channels
from leadkpi.config import Config
from leadkpi.currency import money_columns, to_project_currency
from leadkpi.exceptions import ArgumentError, LeadKPIError
from leadkpi.io.parse import parse_table
from leadkpi.io.result import REJECT_COLUMNS, LoadResult
from leadkpi.rollup import first_touches, rollup_deals
from leadkpi.schemas import TABLES

__all__ = ["LeadData", "MissingTableError", "ENTRY_COLUMNS"]

T = TypeVar("T")

_ACCOUNTING_COLUMNS = [
    "table",
    "file",
    "profile",
    "sha256",
    "rows_read",
    "rows_loaded",
    "rows_rejected",
]


_DERIVATION_COLUMNS = ["table", "column", "derived", "changed", "detail"]

#: The column from which a row of each table exists (what :meth:`LeadData.as_of`
#: drops rows by); every other date column is an event that may not have happened.
ENTRY_COLUMNS = {
    "leads": "created_at",
    "deals": "created_at",
    "touches": "touched_at",
    "spend": "date",
    "email": "sent_on",
    "web": "date",
    "customers": "started_at",
    "costs": "month",
    "outreach": "contacted_at",
}

#: Tables whose ``channel`` is derived where missing.
_CHANNEL_TABLES = ("leads", "touches", "web", "spend")
_CHANNEL_INPUTS = {"channel", "source", "medium", "campaign", "landing_page"} | {
    "utm_source",
    "utm_medium",
    "utm_campaign",
}


def _wall(stamp: pd.Timestamp, data: LeadData) -> pd.Timestamp:
    """``stamp`` as naive wall-clock time in the project timezone (date columns)."""
    return stamp.tz_convert(data.config.timezone).tz_localize(None)


class MissingTableError(LeadKPIError):
    """A computation needs a canonical table that the project does not have."""


@dataclass(frozen=True)
class LeadData:
    """The canonical tables of one project (any of them may be absent).

    Frames passed in directly are typed and validated exactly like loaded files, and
    their rejected rows are kept: ``LeadData(leads=df)`` never silently drops a row.
    Build one from files with :func:`leadkpi.load`.

    Then the tables are assembled, in this order (each step vectorised, and each
    gives the same result when run again on its own output):

    1. **Money**: every money column is converted into ``config.currency`` with
       ``config.rates`` (:func:`leadkpi.currency.to_project_currency`); the amount as
       exported stays in ``<column>_original`` and the code in ``currency``. A
       currency without a rate raises :class:`~leadkpi.exceptions.ConfigError`.
    2. **Channels**: ``channel`` is derived where missing on leads, touches, web and
       spend (:func:`leadkpi.channels.fill_channels` with ``config.channel_rules``);
       ``utm_*`` are read from ``landing_page`` where empty. An explicit channel is
       kept.
    3. **Deals**: when ``deals`` is present, each lead with deals takes
       ``opportunity_at`` (first deal created), ``won_at`` (first deal won) and
       ``deal_value`` (sum of won amounts) from them, replacing what the leads file
       said (:func:`leadkpi.rollup.rollup_deals`); leads without deals keep theirs.
    4. **First touch**: when ``touches`` is present, each lead's
       ``first_touch_at`` is its earliest touch (:func:`leadkpi.rollup.first_touches`),
       the start of ``time_to_conversion_from_first_touch``.
    5. **Outreach**: when ``outreach`` is present, its rows are folded into one
       per prospect × sequence (:func:`leadkpi.outreach.fold_outreach`) and, with
       ``leads``, matched to them by e-mail or profile URL
       (:func:`leadkpi.outreach.join_leads`): ``lead_id``, ``matched_by`` and
       ``converted_at`` (the lead's creation, when at or after the first contact).

    What was derived, and how many values the leads file disagreed on, is listed in
    :attr:`derivations` (and reported by :func:`leadkpi.checks`).

    Parameters
    ----------
    leads, deals, touches, spend, email, web, customers, costs : DataFrame, optional
        Canonical tables (see :mod:`leadkpi.schemas`). ``costs`` holds what is
        not ad spend (tools, agencies, salaries, events) by month; the engine
        shares its rows without a channel among channels
        (:func:`leadkpi.costs.allocate_costs`).
    outreach : DataFrame, optional
        Outbound prospecting, one row per prospect × sequence; activity rows
        are folded into that grain and each prospect is matched to its lead
        (step 5 below).
    config : Config
        Project settings (timezone, currency, stages, SLA, targets).
    loads : tuple of LoadResult
        How each table was loaded, for accounting and provenance.

    Attributes
    ----------
    derivations : pandas.DataFrame
        What assembly derived: ``table, column, derived`` (rows given a value),
        ``changed`` (of those, rows whose own value was replaced) and ``detail``.

    Examples
    --------
    >>> import pandas as pd
    >>> data = LeadData(leads=pd.DataFrame(
    ...     {"lead_id": ["a", "b"], "created_at": ["2025-01-03T10:00:00Z", "bad"]}))
    >>> len(data.leads), len(data.rejects())
    (1, 1)
    """

    leads: pd.DataFrame | None = None
    deals: pd.DataFrame | None = None
    touches: pd.DataFrame | None = None
    spend: pd.DataFrame | None = None
    email: pd.DataFrame | None = None
    web: pd.DataFrame | None = None
    customers: pd.DataFrame | None = None
    costs: pd.DataFrame | None = None
    outreach: pd.DataFrame | None = None
    config: Config = field(default_factory=Config)
    loads: tuple[LoadResult, ...] = ()
    derivations: pd.DataFrame = field(
        init=False, repr=False, compare=False, default=None
    )
    # results derived from these very tables, computed once (see ``derived``); a
    # copy with other tables or settings starts with its own, empty
    _derived: dict[str, object] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        self._parse_frames()
        notes: list[tuple[str, str, int, int, str]] = []
        self._convert_money()
        self._fill_channels(notes)
        derived = pd.DataFrame(notes, columns=_DERIVATION_COLUMNS)
        if self.leads is not None and self.deals is not None:
            leads, summary = rollup_deals(self.leads, self.deals)
            object.__setattr__(self, "leads", leads)
            derived = pd.concat([derived, summary], ignore_index=True)
        if self.leads is not None and self.touches is not None:
            leads, summary = first_touches(self.leads, self.touches)
            object.__setattr__(self, "leads", leads)
            derived = pd.concat([derived, summary], ignore_index=True)
        if self.outreach is not None:
            derived = pd.concat([derived, self._fold_outreach()], ignore_index=True)
        counts = {"derived": "int64", "changed": "int64"}
        object.__setattr__(self, "derivations", derived.astype(counts))

    def _fold_outreach(self) -> pd.DataFrame:
        # read at call time: leadkpi.outreach is a leaf module, kept out of import
        from leadkpi.outreach import join_leads

        outreach, notes = join_leads(self.outreach, self.leads)
        object.__setattr__(self, "outreach", outreach)
        return notes

    def _files(self, kind: str) -> str:
        return ", ".join(str(r.path.name) for r in self.loads if r.kind == kind)

    def _convert_money(self) -> None:
        for kind in TABLES:
            frame = getattr(self, kind)
            if frame is None or not money_columns(kind):
                continue
            converted = to_project_currency(
                frame, kind, self.config, file=self._files(kind) or None
            )
            object.__setattr__(self, kind, converted)

    def _fill_channels(self, notes: list) -> None:
        for kind in _CHANNEL_TABLES:
            frame = getattr(self, kind)
            if frame is None or not _CHANNEL_INPUTS & set(frame.columns):
                continue
            filled, fill = fill_channels(frame, self.config.channel_rules)
            object.__setattr__(self, kind, filled)
            if fill.derived or fill.unknown:
                detail = (
                    f"{fill.derived:,} of {fill.rows:,} rows derived from "
                    f"source/medium/UTM ({fill.other:,} matched no rule: 'other'); "
                    f"{fill.unknown:,} without any source data left empty"
                )
                notes.append((kind, "channel", fill.derived, 0, detail))
            if fill.utm_from_url:
                detail = f"{fill.utm_from_url:,} rows read from landing_page URLs"
                notes.append((kind, "utm_*", fill.utm_from_url, 0, detail))

    def _parse_frames(self) -> None:
        loaded = {result.kind for result in self.loads}
        extra: list[LoadResult] = []
        for kind in TABLES:
            frame = getattr(self, kind)
            if frame is None or kind in loaded:
                continue
            name = f"<{kind} frame>"
            table, rejects = parse_table(
                frame, kind, timezone=self.config.timezone, file=name, first_line=1
            )
            object.__setattr__(self, kind, table)
            extra.append(
                LoadResult(table, rejects, kind, "frame", Path(name), len(frame))
            )
        if extra:
            object.__setattr__(self, "loads", self.loads + tuple(extra))

    def with_tables(self, **tables: pd.DataFrame | None) -> LeadData:
        """A copy with some tables replaced by frames derived from this one's.

        The frames are taken as already assembled: they are not parsed, validated,
        converted or rolled up again (use the constructor for new data). Analyses
        use this to evaluate the engine on a view of the leads, e.g. with a
        ``response_bucket`` column added or stages past a window cleared.

        Examples
        --------
        >>> import pandas as pd
        >>> data = LeadData(leads=pd.DataFrame(
        ...     {"lead_id": ["a", "b"], "created_at": ["2025-01-03T10:00:00Z"] * 2}))
        >>> view = data.with_tables(leads=data.leads.assign(tier=["x", "y"]))
        >>> list(view.leads["tier"]), "tier" in data.leads
        (['x', 'y'], False)
        """
        unknown = set(tables) - set(TABLES)
        if unknown:
            raise ArgumentError(
                f"unknown table(s) {sorted(unknown)}; expected some of {list(TABLES)}"
            )
        view = copy.copy(self)
        for name, frame in tables.items():
            object.__setattr__(view, name, frame)
        object.__setattr__(view, "_derived", {})
        return view

    def grouped(
        self, column: str, keep: Iterable[object], other: str = "other"
    ) -> LeadData:
        """A copy where every value of ``column`` outside ``keep`` reads ``other``,
        in every table that has the column: a chart of a few lines pools the rest.

        Examples
        --------
        >>> import pandas as pd
        >>> data = LeadData(leads=pd.DataFrame(
        ...     {"lead_id": ["a", "b", "c"], "created_at": ["2025-01-03T10:00:00Z"] * 3,
        ...      "channel": ["email", "events", "referral"]}))
        >>> list(data.grouped("channel", ["email"]).leads["channel"])
        ['email', 'other', 'other']
        """
        kept = list(keep)
        tables = {}
        for name in TABLES:
            frame = getattr(self, name, None)
            if frame is not None and column in frame.columns:
                values = frame[column]
                pooled = values.where(values.isin(kept) | values.isna(), other)
                tables[name] = frame.assign(**{column: pooled})
        return self.with_tables(**tables)

    def as_of(self, when: object) -> LeadData:
        """The data as it was known at ``when``: what a report for a past period sees.

        Rows that did not exist yet (created, touched, sent, dated or started after
        ``when``: :data:`ENTRY_COLUMNS`) are left out, and every later event date
        (a lead won, a deal lost, a customer ended after ``when``) is unset. The
        accounting of the loaded files is kept.

        Parameters
        ----------
        when : Timestamp or str
            The instant; a naive one is wall-clock time in the project timezone
            (``period.end_time`` of a report month, say).

        Examples
        --------
        >>> import pandas as pd
        >>> data = LeadData(leads=pd.DataFrame({
        ...     "lead_id": ["a", "b"],
        ...     "created_at": ["2025-01-03T10:00:00Z", "2025-02-03T10:00:00Z"],
        ...     "won_at": ["2025-02-10T10:00:00Z", None]}))
        >>> january = data.as_of("2025-01-31 23:59:59")
        >>> january.leads["lead_id"].tolist(), january.leads["won_at"].isna().tolist()
        (['a'], [True])
        """
        stamp = pd.Timestamp(when)
        if stamp.tz is None:
            stamp = stamp.tz_localize(
                self.config.timezone, ambiguous=True, nonexistent="shift_forward"
            )
        cut: dict[str, pd.DataFrame] = {}
        for name, frame in self.tables.items():
            later = {}
            for column in frame.columns:
                values = frame[column]
                if not pd.api.types.is_datetime64_any_dtype(values.dtype):
                    continue
                tz = getattr(values.dtype, "tz", None)
                limit = stamp.tz_convert(tz) if tz is not None else _wall(stamp, self)
                later[column] = (values > limit).to_numpy(dtype=bool, na_value=False)
            entry = ENTRY_COLUMNS.get(name)
            keep = ~later.pop(entry) if entry in later else slice(None)
            unset = {
                c: frame[c].mask(after) for c, after in later.items() if after.any()
            }
            cut[name] = frame.assign(**unset)[keep].reset_index(drop=True)
        return self.with_tables(**cut)

    def with_config(self, config: Config) -> LeadData:
        """A copy that reads its tables with other settings (SLA, business hours,
        stages, targets); the tables are kept as assembled.

        Examples
        --------
        >>> import dataclasses
        >>> data = LeadData()
        >>> quick = data.with_config(dataclasses.replace(data.config, sla_hours=1))
        >>> quick.config.sla_hours, data.config.sla_hours
        (1, 4.0)
        """
        view = copy.copy(self)
        object.__setattr__(view, "config", config)
        object.__setattr__(view, "_derived", {})
        return view

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables present, by name."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name in TABLES and getattr(self, f.name) is not None
        }

    def derived(self, key: str, make: Callable[[LeadData], T]) -> T:
        """``make(self)``, computed on the first call for ``key`` and kept.

        For results that depend on this object's tables and config only (such as
        :func:`leadkpi.costs.allocate_costs`), which several analyses of one report
        ask for: each :meth:`with_tables`, :meth:`with_config` or :meth:`as_of`
        copy computes its own. Treat the result as read-only.

        Examples
        --------
        >>> data = LeadData()
        >>> calls = []
        >>> make = lambda d: calls.append(d) or len(calls)
        >>> data.derived("n", make), data.derived("n", make), len(calls)
        (1, 1, 1)
        >>> data.with_tables().derived("n", make)
        2
        """
        if key not in self._derived:
            self._derived[key] = make(self)
        return self._derived[key]  # type: ignore[return-value]

    def require(self, table: str, purpose: str = "this") -> pd.DataFrame:
        """Return ``table`` or raise :class:`MissingTableError` saying who needs it."""
        frame = getattr(self, table, None)
        if frame is None:
            raise MissingTableError(f"{purpose} needs the {table} table")
        return frame

    def accounting(self) -> pd.DataFrame:
        """Rows read, loaded and rejected per input, with each file's SHA-256.

        Returns
        -------
        pandas.DataFrame
            Columns ``table, file, profile, sha256, rows_read, rows_loaded,
            rows_rejected``; one row per loaded file or frame.
        """
        records = [result.accounting() for result in self.loads]
        return pd.DataFrame(records, columns=_ACCOUNTING_COLUMNS)

    def rejects(self) -> pd.DataFrame:
        """Every rejected row of every input: ``table, file, line, reason`` + values."""
        frames = [
            r.rejects.assign(table=r.kind)[["table", *r.rejects.columns]]
            for r in self.loads
            if len(r.rejects)
        ]
        if not frames:
            return pd.DataFrame(columns=["table", *REJECT_COLUMNS])
        return pd.concat(frames, ignore_index=True)

    def __repr__(self) -> str:
        parts = ", ".join(f"{name}={len(df):,}" for name, df in self.tables.items())
        return f"LeadData({parts or 'no tables'}; timezone={self.config.timezone!r})"
