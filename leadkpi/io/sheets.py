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

from leadkpi.exceptions import DataFileError
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


def _open_book(path: Path) -> Workbook:
    import openpyxl

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


def peek_rows(path: Path, n: int) -> list[list[str]]:
    """The first ``n`` rows of a workbook's first sheet or of a Parquet file (its
    column names first), as text, without reading the whole file."""
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        try:
            source = pq.ParquetFile(path)
            batch = next(source.iter_batches(batch_size=max(n - 1, 1)), None)
        except (pa.ArrowException, OSError) as exc:
            raise _fail(path, f"is not a readable Parquet file ({exc})") from None
        if batch is None:
            return [list(source.schema_arrow.names)]
        columns = _text_columns(pa.Table.from_batches([batch]))
        rows = pa.table(columns).to_pylist()[: n - 1]
        return [list(columns)] + [[v or "" for v in row.values()] for row in rows]
    book = _open_book(path)
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
) -> RawTable:
    """Read one sheet of a workbook (read-only) as :func:`read_text_table` would.

    Row numbers are the sheet's; the header is found and footers are skipped as
    for CSV files.
    """
    book = _open_book(path)
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise _fail(
                path, f"has no sheet {sheet!r}; sheets: {', '.join(book.sheetnames)}"
            )
        sheet_ = book[sheet] if sheet is not None else book.worksheets[0]
        records = [
            (n, n, [_cell_text(v) for v in row])
            for n, row in enumerate(sheet_.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()
    return _table(path, records, find_header, footer, "utf-8")


def read_parquet(path: Path, footer: Sequence[str]) -> RawTable:
    """Read a Parquet file's columns as text; row ``i`` is numbered ``i`` (1-based)."""
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise _fail(path, f"is not a readable Parquet file ({exc})") from None
    columns = _text_columns(table)
    frame = pa.table(columns).to_pandas() if columns else pd.DataFrame()
    lines = np.arange(1, len(frame) + 1, dtype=np.int64)
    frame, lines, skipped = _drop_non_data(frame, lines, footer, ",")
    return RawTable(frame, lines, (), 0, "utf-8", None, skipped, path)
