"""Read files that are already in leadkpi's canonical layout (CSV, TSV or Parquet)."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyarrow.parquet as pq

from leadkpi.exceptions import DataFileError
from leadkpi.io.limits import ReadLimits
from leadkpi.io.parse import collect_warnings, parse_table
from leadkpi.io.result import LoadResult, loaded_lines
from leadkpi.io.text import ROW_PROBLEM, peek_text, read_text_table
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
    """Return the column names of a canonical CSV, TSV or Parquet file.

    Raises
    ------
    DataFileError
        When the file is empty, binary or has no header line.
    """
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        return list(pq.read_schema(path).names)
    _, _, rows = peek_text(path, n=1)
    if not rows or not any(h.strip() for h in rows[0]):
        raise DataFileError(str(path), "is empty; expected a header line", line=1)
    return [h.strip() for h in rows[0]]


def _check_columns(path: Path, kind: str, header: list[str], line: int) -> None:
    spec = table_spec(kind)
    missing = [c for c in spec.required if c not in header]
    if missing:
        found = ", ".join(header[:12]) + (" …" if len(header) > 12 else "")
        known = set(header) & set(spec.column_names)
        if len([h for h in header if h]) < 2 and not known:  # perhaps not an export
            found = "no table header (content not shown)"
        raise DataFileError(
            str(path),
            f"required {kind} column(s) {', '.join(missing)} missing; found: {found}",
            line=line,
        )
    duplicated = sorted({h.rsplit(".", 1)[0] for h in header if _repeat(h, header)})
    if duplicated:
        raise DataFileError(
            str(path), f"column(s) {', '.join(duplicated)} appear twice", line=line
        )


def _repeat(name: str, header: list[str]) -> bool:
    """Whether ``name`` is the reader's suffixed copy of a repeated header cell."""
    base, _, number = name.rpartition(".")
    return number.isdigit() and base in header


def read_canonical(
    path: str | Path,
    kind: str,
    *,
    timezone: str = "UTC",
    columns: list[str] | None = None,
    locale: str = "en",
    dayfirst: bool | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    limits: ReadLimits | None = None,
) -> LoadResult:
    """Read one canonical CSV, TSV or Parquet file into a validated table.

    Parameters
    ----------
    path : str or Path
        A delimited text file (UTF-8/UTF-16/Windows-1252; comma, semicolon or tab;
        header line first) or a ``.parquet`` file whose column names are the
        canonical ones of ``kind``; extra columns are kept.
    kind : str
        The canonical table the file fills.
    timezone : str
        Project timezone that timestamps are converted to.
    columns : list of str, optional
        Keep only these columns (they must include the required ones).
    locale : str
        Decides wholly ambiguous number and date columns.
    dayfirst, decimal : optional
        Force the date order or decimal mark (see :func:`parse_table`).
    encoding, delimiter : str, optional
        Force the encoding or delimiter instead of detecting them.
    limits : ReadLimits, optional
        Bounds on sizes and dates (default :class:`~leadkpi.io.limits.ReadLimits`).

    Returns
    -------
    LoadResult
        ``rows_read == rows_loaded + rows_rejected``; each reject names its line;
        blank lines are in ``skipped``; decisions taken in ``warnings``.

    Raises
    ------
    DataFileError
        When the file is missing, empty, binary, malformed, or lacks a required
        column.

    Examples
    --------
    >>> result = read_canonical("data/sample/spend.csv", "spend")
    >>> result.rows_read == result.rows_loaded + result.rows_rejected
    True
    >>> result.encoding, result.delimiter, result.table["cost"].dtype
    ('utf-8', ',', dtype('float64'))
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileError(str(path), f"not found; expected the {kind} file here")
    with ThreadPoolExecutor(max_workers=1) as pool:  # hashing releases the GIL
        digest = pool.submit(file_sha256, path)
        with collect_warnings() as decoded:  # lines read in another encoding
            raw = read_text_table(
                path, encoding=encoding, delimiter=delimiter, limits=limits
            )
        header = [c for c in raw.frame.columns if c != ROW_PROBLEM]
        _check_columns(path, kind, header, raw.header_line or 1)
        frame = raw.frame
        if columns is not None:
            keep = [c for c in frame.columns if c in columns or c == ROW_PROBLEM]
            frame = frame[keep]
        with collect_warnings() as notes:
            table, rejects = parse_table(
                frame,
                kind,
                timezone=timezone,
                file=path.name,
                lines=raw.lines,
                locale=locale,
                dayfirst=dayfirst,
                decimal=decimal,
                limits=limits,
            )
    return LoadResult(
        table=table,
        rejects=rejects,
        kind=kind,
        profile="canonical",
        path=path,
        rows_read=len(frame),
        sha256=digest.result(),
        warnings=(*decoded, *notes),
        skipped=raw.skipped,
        encoding=raw.encoding,
        delimiter=raw.delimiter,
        lines=loaded_lines(raw.lines, rejects),
    )
