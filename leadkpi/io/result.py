"""What a load returns: the table, its rejects, and the accounting that ties them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

__all__ = ["LoadResult", "REJECT_COLUMNS", "SKIPPED_COLUMNS", "empty_skipped"]

#: The leading columns of every rejects table; the row's original values follow.
REJECT_COLUMNS = ("file", "line", "reason")
#: The columns of a skipped-lines table (blank lines, totals, report footers).
SKIPPED_COLUMNS = ("line", "reason", "text")


def empty_skipped() -> pd.DataFrame:
    """An empty skipped-lines table with the right columns and types."""
    return pd.DataFrame(
        {
            "line": pd.Series(dtype="int64"),
            "reason": pd.Series(dtype="str"),
            "text": pd.Series(dtype="str"),
        }
    )


@dataclass(frozen=True)
class LoadResult:
    """One file read into one canonical table.

    Attributes
    ----------
    table : pandas.DataFrame
        The rows that loaded, typed and validated.
    rejects : pandas.DataFrame
        One row per rejected input row: ``file``, ``line`` (1-based line in the file),
        ``reason``, then the row's original values as text.
    kind : str
        The canonical table filled (``"leads"``, ``"spend"``, …).
    profile : str
        The export layout used to read the file.
    path : Path
        The file read.
    rows_read : int
        Data rows found in the file; always ``rows_loaded + rows_rejected``.
    sha256 : str
        SHA-256 of the file's bytes (empty for in-memory frames).
    warnings : tuple of str
        Things the reader decided that the user should know (an ambiguous date
        order settled by the locale, a fallback encoding).
    skipped : pandas.DataFrame
        Lines of the file that are not data (``line, reason, text``): blank lines,
        total rows, report footers. Never counted in ``rows_read``.
    encoding, delimiter : str, optional
        How the file was decoded and split (None when not applicable).
    """

    table: pd.DataFrame
    rejects: pd.DataFrame
    kind: str
    profile: str
    path: Path
    rows_read: int
    sha256: str = ""
    warnings: tuple[str, ...] = ()
    skipped: pd.DataFrame = field(default_factory=empty_skipped)
    encoding: str | None = None
    delimiter: str | None = None

    def __post_init__(self) -> None:
        loaded, rejected = len(self.table), len(self.rejects)
        if self.rows_read != loaded + rejected:
            raise AssertionError(
                f"{self.path}: {self.rows_read} rows read but {loaded} loaded "
                f"+ {rejected} rejected"
            )

    @property
    def rows_loaded(self) -> int:
        return len(self.table)

    @property
    def rows_rejected(self) -> int:
        return len(self.rejects)

    def accounting(self) -> dict[str, object]:
        """Return the row accounting as one record (see :meth:`LeadData.accounting`)."""
        return {
            "table": self.kind,
            "file": str(self.path),
            "profile": self.profile,
            "sha256": self.sha256,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
        }

    def __repr__(self) -> str:
        return (
            f"LoadResult(kind={self.kind!r}, profile={self.profile!r}, "
            f"path={str(self.path)!r}, rows_read={self.rows_read}, "
            f"rows_loaded={self.rows_loaded}, rows_rejected={self.rows_rejected})"
        )
