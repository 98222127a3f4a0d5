"""Read files that are already in leadkpi's canonical layout (CSV or Parquet)."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from leadkpi.exceptions import DataFileError
from leadkpi.io.parse import parse_table
from leadkpi.io.result import LoadResult
from leadkpi.schemas import table_spec

__all__ = ["read_canonical", "file_sha256", "read_header"]


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_header(path: Path) -> list[str]:
    """Return the column names of a canonical CSV or Parquet file.

    Raises
    ------
    DataFileError
        When the file is empty or its first line is not a CSV header.
    """
    if path.suffix.lower() == ".parquet":
        return list(pq.read_schema(path).names)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), None)
    except UnicodeDecodeError as exc:
        raise DataFileError(
            str(path), f"is not UTF-8 text (byte {exc.start}); expected a UTF-8 CSV"
        ) from None
    if not header or not any(h.strip() for h in header):
        raise DataFileError(str(path), "is empty; expected a header line", line=1)
    return [h.strip() for h in header]


def _check_columns(path: Path, kind: str, header: list[str]) -> None:
    spec = table_spec(kind)
    missing = [c for c in spec.required if c not in header]
    if missing:
        found = ", ".join(header[:12]) + (" …" if len(header) > 12 else "")
        raise DataFileError(
            str(path),
            f"required {kind} column(s) {', '.join(missing)} missing; found: {found}",
            line=1,
        )
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        raise DataFileError(
            str(path), f"column(s) {', '.join(duplicated)} appear twice", line=1
        )


def _read_raw(path: Path, header: list[str], columns: list[str] | None) -> pd.DataFrame:
    if path.suffix.lower() == ".parquet":
        return pq.read_table(path, columns=columns).to_pandas()
    try:
        table = pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                strings_can_be_null=True,
                null_values=[""],
                include_columns=columns,
            ),
        )
    except pa.ArrowInvalid as exc:
        raise DataFileError(
            str(path), f"is not a well-formed CSV: {exc}".replace("\n", " ")
        ) from None
    return table.to_pandas()


def read_canonical(
    path: str | Path,
    kind: str,
    *,
    timezone: str = "UTC",
    columns: list[str] | None = None,
) -> LoadResult:
    """Read one canonical CSV or Parquet file into a validated table.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` (UTF-8, comma-separated, header line) or ``.parquet`` file whose
        column names are the canonical ones of ``kind``; extra columns are kept.
    kind : str
        The canonical table the file fills.
    timezone : str
        Project timezone that timestamps are converted to.
    columns : list of str, optional
        Read only these columns (they must include the required ones).

    Returns
    -------
    LoadResult
        ``rows_read == rows_loaded + rows_rejected``; each reject names its line.

    Raises
    ------
    DataFileError
        When the file is missing, empty, not UTF-8, malformed, or lacks a required
        column.
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileError(str(path), f"not found; expected the {kind} file here")
    header = read_header(path)
    _check_columns(path, kind, header)
    raw = _read_raw(path, header, columns)
    is_csv = path.suffix.lower() != ".parquet"
    table, rejects = parse_table(
        raw, kind, timezone=timezone, file=path.name, first_line=2 if is_csv else 1
    )
    return LoadResult(
        table=table,
        rejects=rejects,
        kind=kind,
        profile="canonical",
        path=path,
        rows_read=len(raw),
        sha256=file_sha256(path),
    )
