"""Read spreadsheet (XLSX) and Parquet exports into the same text tables as CSVs.

Cells come back as the text the typed parsers understand: Excel dates and times as
ISO text (``2025-10-01``, ``2025-10-01 14:03:00``), whole numbers without ``.0``,
booleans as ``TRUE``/``FALSE``; Parquet columns are cast to text by pyarrow.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from leadkpi.exceptions import DataFileError
from leadkpi.io.limits import ReadLimits, check_cells
from leadkpi.io.profiles.base import RawTable
from leadkpi.io.text import (
    _concat_skipped,
    _drop_non_data,
    _find_header,
    _frame_from_records,
    _names,
    _trim,
    csv_line,
)

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = ["read_xlsx", "read_parquet", "peek_rows"]


def _fail(path: Path, problem: str) -> DataFileError:
    return DataFileError(str(path), problem)


def _table(
    path: Path,
    records: list[tuple[int, int, list[str]]],
    find_header: Callable[[list[str]], bool] | None,
    footer: Sequence[str],
    encoding: str,
) -> RawTable:
    """A RawTable from csv-like records (XLSX rows)."""
    h = _find_header(path, records, find_header)
    names = _names(records[h][2])
    body = [
        (f, last, c[: len(names)] if not any(c[len(names) :]) else c)
        for f, last, c in records[h + 1 :]
    ]
    frame, lines, skipped = _frame_from_records(body, names)
    frame, lines, dropped = _drop_non_data(frame, lines, footer, ",")
    return RawTable(
        frame=frame,
        lines=lines,
        preamble=tuple(csv_line(_trim(c), ",") for _, _, c in records[:h]),
        header_line=records[h][0],
        encoding=encoding,
        delimiter=None,
        skipped=_concat_skipped(skipped, dropped),
        path=path,
    )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value)


def _check_unpacked(path: Path, limits: ReadLimits) -> None:
    """Refuse a workbook whose parts unpack to more than the limit (a zip bomb)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            size = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise _fail(path, f"is not a readable XLSX workbook ({exc})") from None
    if size > limits.max_unpacked_bytes:
        raise _fail(
            path,
            f"unpacks to {size:,} bytes; the limit is {limits.max_unpacked_bytes:,} "
            "(limits: max_unpacked_bytes)",
        )


def _too_many_cells(path: Path, cells: int, limits: ReadLimits) -> DataFileError:
    return _fail(
        path,
        f"holds {cells:,} cells or more; the limit is {limits.max_cells:,} "
        "(limits: max_cells)",
    )


def _open_book(path: Path, limits: ReadLimits | None = None) -> Workbook:
    import openpyxl

    _check_unpacked(path, limits or ReadLimits())
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors alike
        raise _fail(path, f"is not a readable XLSX workbook ({exc})") from None


def _text_columns(table: pa.Table) -> dict[str, pa.ChunkedArray]:
    columns = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        if name.startswith("__index_level_"):
            continue
        try:
            columns[name] = column.cast(pa.string())
        except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
            columns[name] = pa.chunked_array(
                [[None if v is None else str(v) for v in column.to_pylist()]],
                pa.string(),
            )
    return columns


def peek_rows(
    path: Path, n: int, limits: ReadLimits | None = None
) -> list[list[str]]:
    """The first ``n`` rows of a workbook's first sheet or of a Parquet file (its
    column names first), as text, without reading the whole file; the file is held
    to ``limits`` (default :class:`ReadLimits`) before anything is unpacked."""
    limits = limits or ReadLimits()
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        try:
            source = pq.ParquetFile(path)
            _check_parquet(path, source.metadata, limits)
            batch = next(source.iter_batches(batch_size=max(n - 1, 1)), None)
        except (pa.ArrowException, OSError) as exc:
            raise _fail(path, f"is not a readable Parquet file ({exc})") from None
        if batch is None:
            return [list(source.schema_arrow.names)]
        columns = _text_columns(pa.Table.from_batches([batch]))
        rows = pa.table(columns).to_pylist()[: n - 1]
        return [list(columns)] + [[v or "" for v in row.values()] for row in rows]
    book = _open_book(path, limits)
    try:
        rows = book.worksheets[0].iter_rows(values_only=True, max_row=n)
        return [_trim([_cell_text(v) for v in row]) for row in rows]
    finally:
        book.close()


def read_xlsx(
    path: Path,
    sheet: str | None,
    find_header: Callable[[list[str]], bool] | None,
    footer: Sequence[str],
    limits: ReadLimits | None = None,
) -> RawTable:
    """Read one sheet of a workbook (read-only) as :func:`read_text_table` would.

    Row numbers are the sheet's; the header is found and footers are skipped as
    for CSV files. The workbook's unpacked size, the sheet's cells (as declared,
    and as read) and each cell's length are bounded by ``limits``.
    """
    limits = limits or ReadLimits()
    book = _open_book(path, limits)
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise _fail(
                path, f"has no sheet {sheet!r}; sheets: {', '.join(book.sheetnames)}"
            )
        sheet_ = book[sheet] if sheet is not None else book.worksheets[0]
        declared = (sheet_.max_row or 0) * (sheet_.max_column or 0)
        if declared > limits.max_cells:
            raise _too_many_cells(path, declared, limits)
        records, cells = [], 0
        for n, row in enumerate(sheet_.iter_rows(values_only=True), start=1):
            cells += len(row)
            if cells > limits.max_cells:
                raise _too_many_cells(path, cells, limits)
            records.append((n, n, [_cell_text(v) for v in row]))
    finally:
        book.close()
    raw = _table(path, records, find_header, footer, "utf-8")
    check_cells(path, raw.frame, raw.lines, limits)
    return raw


def _text_size(column: pa.ChunkedArray) -> tuple[int, int]:
    """(bytes, longest value in characters) of a text column once decoded.

    Dictionary-encoded columns are measured through their dictionary, so a few
    long values repeated on every row are counted as often as they repeat.
    """
    total, longest = 0, 0
    for chunk in column.chunks:
        values, indices = chunk, None
        if pa.types.is_dictionary(chunk.type):
            values, indices = chunk.dictionary, chunk.indices
        if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
            chars, size = pc.utf8_length(values), pc.binary_length(values)
        elif pa.types.is_binary(values.type) or pa.types.is_large_binary(values.type):
            chars = size = pc.binary_length(values)
        else:
            continue
        if indices is not None:
            chars, size = pc.take(chars, indices), pc.take(size, indices)
        total += int(pc.sum(size).as_py() or 0)
        longest = max(longest, int(pc.max(chars).as_py() or 0))
    return total, longest


def _check_parquet(path: Path, metadata: object, limits: ReadLimits) -> None:
    """Refuse a Parquet file whose metadata promise more than the limits."""
    cells = metadata.num_rows * metadata.num_columns
    if cells > limits.max_cells:
        raise _too_many_cells(path, cells, limits)
    size = sum(
        metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups)
    )
    if size > limits.max_unpacked_bytes:
        raise _fail(
            path,
            f"unpacks to {size:,} bytes; the limit is {limits.max_unpacked_bytes:,} "
            "(limits: max_unpacked_bytes)",
        )


def read_parquet(
    path: Path, footer: Sequence[str], limits: ReadLimits | None = None
) -> RawTable:
    """Read a Parquet file's columns as text; row ``i`` is numbered ``i`` (1-based).

    The metadata (cells, unpacked size) are checked against ``limits`` before the
    data are read, and text columns are read dictionary-encoded and measured
    before they are decoded.
    """
    import pyarrow.parquet as pq

    limits = limits or ReadLimits()
    try:
        source = pq.ParquetFile(path)
        _check_parquet(path, source.metadata, limits)
        text = [
            field.name
            for field in source.schema_arrow
            if pa.types.is_string(field.type)
            or pa.types.is_binary(field.type)
            or pa.types.is_large_string(field.type)
            or pa.types.is_large_binary(field.type)
        ]
        table = pq.read_table(path, read_dictionary=text)
    except (pa.ArrowException, OSError) as exc:
        raise _fail(path, f"is not a readable Parquet file ({exc})") from None
    size = 0
    for name, column in zip(table.column_names, table.columns, strict=True):
        total, longest = _text_size(column)
        size += total
        if longest > limits.max_cell_chars:
            raise DataFileError(
                str(path),
                f"a cell holds {longest:,} characters; the limit is "
                f"{limits.max_cell_chars:,} (limits: max_cell_chars)",
                column=name,
            )
    if size > limits.max_unpacked_bytes:
        raise _fail(
            path,
            f"text columns unpack to {size:,} bytes; the limit is "
            f"{limits.max_unpacked_bytes:,} (limits: max_unpacked_bytes)",
        )
    columns = _text_columns(table)
    frame = pa.table(columns).to_pandas() if columns else pd.DataFrame()
    lines = np.arange(1, len(frame) + 1, dtype=np.int64)
    frame, lines, skipped = _drop_non_data(frame, lines, footer, ",")
    return RawTable(frame, lines, (), 0, "utf-8", None, skipped, path)
