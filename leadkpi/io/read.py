"""Read one export file into a canonical table."""

from __future__ import annotations

import os
from pathlib import Path

from leadkpi.exceptions import DataFileError
from leadkpi.io.canonical import read_canonical
from leadkpi.io.result import LoadResult
from leadkpi.schemas import TABLES

__all__ = ["read", "PROFILES"]

PROFILES = ("canonical",)


def read(
    path: str | os.PathLike[str],
    kind: str | None = None,
    *,
    profile: str = "canonical",
    timezone: str = "UTC",
) -> LoadResult:
    """Read one export file into a canonical table.

    Parameters
    ----------
    path : str or path-like
        The file (``.csv`` or ``.parquet``).
    kind : str, optional
        The canonical table it fills; by default the file's stem when that names a
        table (``leads.csv`` → ``"leads"``).
    profile : str
        The export layout; ``"canonical"`` reads leadkpi's own column names.
    timezone : str
        Project timezone for timestamps.

    Returns
    -------
    LoadResult
        The table, its rejects and the row accounting.

    Examples
    --------
    >>> result = read("data/sample/leads.csv")
    >>> result.rows_read == result.rows_loaded + result.rows_rejected
    True
    """
    path = Path(path)
    if kind is None:
        kind = path.stem.lower()
        if kind not in TABLES:
            raise DataFileError(
                str(path),
                f"cannot tell which table this file fills; pass kind= one of "
                f"{', '.join(TABLES)}",
            )
    if profile not in PROFILES:
        raise DataFileError(
            str(path), f"unknown profile {profile!r}; known: {', '.join(PROFILES)}"
        )
    return read_canonical(path, kind, timezone=timezone)
