"""LeadData: the canonical tables of one project, in one object."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

import pandas as pd

from leadkpi.config import Config
from leadkpi.exceptions import LeadKPIError
from leadkpi.io.parse import parse_table
from leadkpi.io.result import REJECT_COLUMNS, LoadResult
from leadkpi.schemas import TABLES

__all__ = ["LeadData", "MissingTableError"]

_ACCOUNTING_COLUMNS = [
    "table",
    "file",
    "profile",
    "sha256",
    "rows_read",
    "rows_loaded",
    "rows_rejected",
]


class MissingTableError(LeadKPIError):
    """A computation needs a canonical table that the project does not have."""


@dataclass(frozen=True)
class LeadData:
    """The canonical tables of one project (any of them may be absent).

    Frames passed in directly are typed and validated exactly like loaded files, and
    their rejected rows are kept: ``LeadData(leads=df)`` never silently drops a row.
    Build one from files with :func:`leadkpi.load`.

    Parameters
    ----------
    leads, deals, touches, spend, email, web, customers : pandas.DataFrame, optional
        Canonical tables (see :mod:`leadkpi.schemas`).
    config : Config
        Project settings (timezone, currency, stages, SLA, targets).
    loads : tuple of LoadResult
        How each table was loaded, for accounting and provenance.

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
    config: Config = field(default_factory=Config)
    loads: tuple[LoadResult, ...] = ()

    def __post_init__(self) -> None:
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

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables present, by name."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name in TABLES and getattr(self, f.name) is not None
        }

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
