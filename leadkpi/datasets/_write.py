"""Write the sample tables as canonical CSV (byte for byte reproducible) or Parquet."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from leadkpi.datasets._csv import to_csv_bytes
from leadkpi.datasets._generate import TABLE_NAMES, generate_sample

__all__ = ["write_sample", "FORMATS"]

FORMATS = ("csv", "parquet")


def _replace(path: Path, write: Callable[[str], object]) -> None:
    """Write through a temporary file in the same folder, then rename over ``path``."""
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    os.close(handle)
    try:
        write(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_sample(
    directory: str | os.PathLike[str], *, format: str = "csv", **kwargs: Any
) -> list[Path]:
    """Generate the sample company and write one file per table.

    Parameters
    ----------
    directory : str or path-like
        Folder to write into; created when missing. Existing files of the same
        names are replaced, each one atomically.
    format : {"csv", "parquet"}
        ``csv`` writes ``<table>.csv`` (UTF-8, byte-identical for the same
        arguments); ``parquet`` writes ``<table>.parquet`` with typed columns.
    **kwargs
        Passed to :func:`generate_sample` (``n_leads``, ``start``, ``end``,
        ``seed``).

    Returns
    -------
    list of pathlib.Path
        The files written, in the order ``leads, deals, touches, spend, email,
        web, customers``.

    Raises
    ------
    ValueError
        When ``format`` is not one of ``csv`` or ``parquet``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     paths = write_sample(folder, n_leads=200)
    ...     [p.name for p in paths][:3]
    ['leads.csv', 'deals.csv', 'touches.csv']
    """
    if format not in FORMATS:
        raise ValueError(f"format={format!r} is not one of {', '.join(FORMATS)}")
    tables = generate_sample(**kwargs)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in TABLE_NAMES:
        path = folder / f"{kind}.{format}"
        frame = tables[kind]
        if format == "csv":
            data = to_csv_bytes(frame, kind)
            _replace(path, lambda name, data=data: Path(name).write_bytes(data))
        else:
            _replace(
                path, lambda name, frame=frame: frame.to_parquet(name, index=False)
            )
        paths.append(path)
    return paths
