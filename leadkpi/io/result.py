"""What a load returns: the table, its rejects, and the accounting that ties them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "LoadResult",
    "REJECT_COLUMNS",
    "SKIPPED_COLUMNS",
    "empty_skipped",
    "loaded_lines",
]

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


def loaded_lines(lines: np.ndarray, rejects: pd.DataFrame) -> np.ndarray:
    """The lines of the rows that loaded: ``lines`` (one per row read) less rejects.

    Parameters
    ----------
    lines : numpy.ndarray
        The file line of every row read, in file order (``RawTable.lines``).
    rejects : pandas.DataFrame
        The rejects of the same read (their ``line`` column).

    Returns
    -------
    numpy.ndarray
        int64 lines, aligned with the loaded table's rows.

    Examples
    --------
    >>> rejects = pd.DataFrame({"line": [5]})
    >>> loaded_lines(np.array([4, 5, 7, 9]), rejects).tolist()
    [4, 7, 9]
    """
    lines = np.asarray(lines, dtype=np.int64)
    rejected = rejects["line"].to_numpy(dtype=np.int64)
    return lines[~np.isin(lines, rejected)]


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
    reconciliation : pandas.DataFrame, optional
        The loaded rows against the file's own totals, one row per totals role and
        metric (``role, metric, file_total, loaded, status``; see
        :func:`leadkpi.io.profiles.totals.reconcile`); None when the file carries
        no totals.
    lines : numpy.ndarray, optional
        The 1-based file line of each row of ``table`` (int64, same order), which
        the readers fill from the lines the rows were read from. When not given,
        the rows are taken to follow each other from line 1 (in-memory frames and
        Parquet files) or line 2 (a text file, header on line 1), less the
        rejected lines.
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
    lines: np.ndarray | None = field(default=None, repr=False, compare=False)
    reconciliation: pd.DataFrame | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        loaded, rejected = len(self.table), len(self.rejects)
        if self.rows_read != loaded + rejected:
            raise AssertionError(
                f"{self.path}: {self.rows_read} rows read but {loaded} loaded "
                f"+ {rejected} rejected"
            )
        lines = self.lines
        if lines is None:
            first = 1 if self.profile == "frame" or self._parquet() else 2
            lines = np.arange(first, first + self.rows_read, dtype=np.int64)
            lines = loaded_lines(lines, self.rejects)
        lines = np.asarray(lines, dtype=np.int64)
        if len(lines) != loaded:
            raise AssertionError(
                f"{self.path}: {len(lines)} line numbers for {loaded} loaded rows"
            )
        object.__setattr__(self, "lines", lines)

    def _parquet(self) -> bool:
        return Path(self.path).suffix.lower() == ".parquet"

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
