"""Turn an export file's bytes into a text table whose rows know their line numbers.

:func:`read_text_table` handles what real exports throw at a reader: UTF-8 with or
without a byte-order mark, UTF-16 (with a BOM or not), Windows-1252, comma, semicolon
or tab delimiters, report titles above the header, blank lines, total rows and report
footers below the data, quoted fields spanning several lines, XLSX workbooks and
Parquet files. Every cell comes back as text (missing cells as missing values); typing
is :mod:`leadkpi.io.parse`'s job.

The common case is parsed by pyarrow's CSV reader; the :mod:`csv` module is used only
when the layout needs it (rows with the wrong number of cells, stray quotes, footers).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from leadkpi.exceptions import DataFileError, LeadKPIWarning
from leadkpi.io.encoding import (
    check_text,
    decode,
    decode_mixed,
    detect,
    read_without_nuls,
    utf16_to_utf8,
)
from leadkpi.io.limits import ReadLimits, check_cells
from leadkpi.io.profiles.base import RawTable
from leadkpi.io.result import SKIPPED_COLUMNS, empty_skipped
from leadkpi.io.scan import LineScan, scan_lines
from leadkpi.io.starts import could_start

__all__ = ["read_text_table", "peek_text", "ROW_PROBLEM", "HEADER_SCAN_LINES"]

#: How many lines from the top of a file are searched for the header.
HEADER_SCAN_LINES = 60
#: Extra text column present only when some data rows could not be split into the
#: header's cells; it holds the problem (``"has 7 cells; the header has 5"``) and
#: :func:`leadkpi.io.parse.parse_table` turns those rows into rejects.
ROW_PROBLEM = "_row_problem"
DELIMITERS = (",", ";", "\t")
#: How many records at the end of a file are searched for a report footer.
TAIL_RECORDS = 64
_HEAD_BYTES = 1 << 18
_CHUNK = 1 << 24
#: Bytes pyarrow parses at a time: a column of a million rows comes in tens of
#: chunks, not hundreds (each later step loops over them), still one per thread.
_BLOCK = 1 << 22


def _fail(path: Path, problem: str, line: int | None = None) -> DataFileError:
    return DataFileError(str(path), problem, line=line)


class _NulBytes(Exception):
    """A UTF-8 file read from disk holds NUL bytes past its first block."""


# ------------------------------------------------------------------- the head
def _head_text(data: _Bytes, lines: int) -> str:
    """Decode the first ``lines`` lines (cut at a line end, never mid-character)."""
    head = bytes(data.read(0, _HEAD_BYTES))
    cut = -1
    for _ in range(lines):
        nxt = head.find(b"\n", cut + 1)
        if nxt < 0:
            break
        cut = nxt
    if len(data) > len(head) and cut >= 0:
        head = head[: cut + 1]
    return head.decode("utf-8", errors="ignore")


def _records(
    text: str, delimiter: str, path: Path | None = None, offset: int = 0
) -> list[tuple[int, int, list[str]]]:
    """``(first line, last line, cells)`` of each record of ``text``.

    A csv error ends the list, or raises naming its line when ``path`` is given.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out, previous = [], 0
    try:
        for cells in reader:
            out.append((offset + previous + 1, offset + reader.line_num, cells))
            previous = reader.line_num
    except csv.Error as exc:
        if path is not None:
            raise _fail(
                path,
                f"cannot be split into cells ({exc}); expected CSV text",
                offset + previous + 1,
            ) from None
    return out


def _sniff(text: str) -> tuple[str, int]:
    """Pick the delimiter giving the most rows with the same number (> 1) of cells."""
    best = (",", 1, (0, 0))
    for delimiter in DELIMITERS:
        counts = [len(c) for _, _, c in _records(text, delimiter) if len(c) > 1]
        if not counts:
            continue
        values, freq = np.unique(counts, return_counts=True)
        score = (int(freq.max()), int(values[np.argmax(freq)]))
        if score > best[2]:
            best = (delimiter, score[1], score)
    return best[0], best[1]


def _blank(cells: Sequence[str]) -> bool:
    return not any(c.strip() for c in cells)


def _find_header(
    path: Path,
    records: list[tuple[int, int, list[str]]],
    find_header: Callable[[list[str]], bool] | None,
) -> int:
    """Index in ``records`` of the header record."""
    for i, (first, _, cells) in enumerate(records):
        if first > HEADER_SCAN_LINES:
            break
        cells = [c.strip() for c in cells]
        if find_header(cells) if find_header is not None else not _blank(cells):
            return i
    if not records or all(_blank(c) for _, _, c in records):
        raise _fail(path, "is empty; expected a header line", 1)
    raise _fail(
        path,
        f"has no header line in its first {HEADER_SCAN_LINES} lines; expected one "
        f"with the export's column names (first line: {records[0][2][:6]!r})",
    )


def _names(cells: list[str]) -> list[str]:
    names, seen = [], {}
    for i, cell in enumerate(cells):
        name = cell.strip() or f"unnamed_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        names.append(name)
    return names


def peek_text(
    path: str | Path, n: int = HEADER_SCAN_LINES, limits: ReadLimits | None = None
) -> tuple[str, str | None, list[list[str]]]:
    """Return a file's encoding, delimiter and first ``n`` rows, cheaply.

    Meant for recognising an export's layout before reading it; XLSX and Parquet
    files give their first rows too (delimiter None).

    Parameters
    ----------
    path : str or Path
        The file.
    n : int
        How many rows to return.
    limits : ReadLimits, optional
        Bounds an XLSX or Parquet file is held to before any part is unpacked
        (default: :class:`~leadkpi.io.limits.ReadLimits`).

    Returns
    -------
    encoding : str
    delimiter : str or None
    rows : list of list of str

    Examples
    --------
    >>> encoding, delimiter, rows = peek_text("data/sample/spend.csv", n=2)
    >>> encoding, delimiter, rows[0][:3]
    ('utf-8', ',', ['date', 'channel', 'campaign'])
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".parquet"):
        from leadkpi.io.sheets import peek_rows

        return "utf-8", None, peek_rows(path, n, limits)
    with path.open("rb") as handle:
        data = handle.read(_HEAD_BYTES)
    encoding = detect(path, data, len(data) < _HEAD_BYTES)
    codec = codecs.lookup(encoding).name
    if codec.startswith("utf-16") and len(data) % 2:
        data = data[:-1]
    elif not codec.startswith("utf-16"):
        data = data.replace(b"\x00", b"")  # stray NULs (detect refuses binary data)
    text = data.decode(codec, errors="replace").removeprefix("\ufeff")
    text = "\n".join(text.replace("\r\n", "\n").split("\n")[:n])
    delimiter, _ = _sniff(text)
    return encoding, delimiter, [c for _, _, c in _records(text, delimiter)][:n]


# ------------------------------------------------------------------ the body
def _frame_from_records(
    records: list[tuple[int, int, list[str]]], names: list[str]
) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """Build the text frame (and the skipped lines) from csv-module records."""
    width = len(names)
    blank = [_blank(c) for _, _, c in records]
    # a report footer: a blank line, then rows that do not fit the header's cells
    tail = len(records)
    while tail > 0 and (blank[tail - 1] or len(records[tail - 1][2]) != width):
        tail -= 1
    footer_from = next((i for i in range(tail, len(records)) if blank[i]), None)
    footer_from = len(records) if footer_from is None else footer_from
    rows, lines, problems, skipped = [], [], [], []
    for i, (first, _, cells) in enumerate(records):
        if blank[i] or i >= footer_from:
            reason = "report footer" if i >= footer_from and not blank[i] else "blank"
            skipped.append((first, reason, csv_line(cells, ",")))
            continue
        problem = None
        if len(cells) != width:
            problem = f"has {len(cells)} cell(s); the header has {width}"
            cells = (cells + [""] * width)[:width]
        rows.append([c if c != "" else None for c in cells])
        lines.append(first)
        problems.append(problem)
    frame = pd.DataFrame(rows, columns=range(width), dtype="str")
    frame.columns = names
    if any(p is not None for p in problems):
        frame[ROW_PROBLEM] = pd.Series(problems, dtype="str")
    table = pd.DataFrame(skipped, columns=list(SKIPPED_COLUMNS))
    table = table.astype({"line": "int64", "reason": "str", "text": "str"})
    return frame, np.asarray(lines, dtype=np.int64), table


def csv_line(cells: Sequence[str], delimiter: str) -> str:
    """One row of cells written back as a CSV line (for messages)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="").writerow(cells)
    return buffer.getvalue()


def _check_terminated(path: Path, body: str, delimiter: str, first: int) -> None:
    """Raise when ``body`` (one record's text) ends inside a quoted field."""
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, strict=True)
    try:
        for _ in reader:
            pass
    except csv.Error as exc:
        if "end of data" in str(exc):
            raise _fail(
                path,
                "the file ends inside a quoted field opened on this line (truncated "
                'file?); expected a closing "',
                first,
            ) from None


class _Bytes:
    """The UTF-8 bytes of an export: in memory, or read from the file in blocks.

    UTF-8 files are never loaded whole: the line scan reads them in blocks and
    pyarrow reads them from the file, so peak memory stays near the table's size.
    """

    def __init__(self, data: memoryview | None = None, path: Path | None = None):
        self.data, self.path = data, path
        self.base = 0
        if data is None and path is not None:
            with path.open("rb") as handle:
                self.base = len(codecs.BOM_UTF8) * (handle.read(3) == codecs.BOM_UTF8)
            self.size = path.stat().st_size - self.base
        else:
            self.size = len(data) if data is not None else 0

    def __len__(self) -> int:
        return self.size

    def read(self, start: int, stop: int | None = None) -> bytes | memoryview:
        stop = self.size if stop is None else min(stop, self.size)
        if self.data is not None:
            return self.data[start:stop]
        with self.path.open("rb") as handle:
            handle.seek(self.base + start)
            return handle.read(max(stop - start, 0))

    def blocks(self, start: int) -> Iterator[tuple[int, bytearray | memoryview, int]]:
        """``(offset, buffer, length)`` of each :data:`_CHUNK`-byte block from
        ``start``; a file's blocks are read into one buffer, reused (valid until
        the next block)."""
        if self.data is not None:
            for offset in range(start, self.size, _CHUNK):
                block = self.data[offset : offset + _CHUNK]
                yield offset, block, len(block)
            return
        buffer = bytearray(min(_CHUNK, max(self.size - start, 0)))
        with self.path.open("rb") as handle:
            handle.seek(self.base + start)
            offset = start
            while offset < self.size:
                length = handle.readinto(buffer) or 0
                length = min(length, self.size - offset)
                if not length:
                    break
                yield offset, buffer, length
                offset += length

    def reader(self, start: int, stop: int | None = None) -> pa.NativeFile:
        """A stream over bytes ``start:stop`` (default: to the end)."""
        stop = self.size if stop is None else min(stop, self.size)
        if self.data is not None:
            return pa.BufferReader(pa.py_buffer(self.data[start:stop]))
        if stop >= self.size:
            handle = pa.OSFile(str(self.path))
            handle.seek(self.base + start)
            return handle
        return pa.PythonFile(_Window(self.path, self.base + start, stop - start), "r")


class _Window(io.RawIOBase):
    """``length`` bytes of a file from ``offset``, as a readable stream."""

    def __init__(self, path: Path, offset: int, length: int):
        self.handle = path.open("rb")
        self.handle.seek(offset)
        self.left = length

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:
        view = memoryview(buffer)[: self.left]
        count = self.handle.readinto(view) or 0
        self.left -= count
        return count

    def close(self) -> None:
        self.handle.close()
        super().close()


def _scan(data: _Bytes, start: int, first_line: int) -> LineScan:
    """:func:`~leadkpi.io.scan.scan_lines` over the bytes from ``start``.

    Raises :class:`_NulBytes` when a block read from the file holds a NUL byte
    (:func:`read_text_table` reads the file again without them).
    """

    def blocks() -> Iterator[tuple[int, bytearray | memoryview, int]]:
        for offset, block, length in data.blocks(start):
            if isinstance(block, bytearray) and block.find(b"\x00", 0, length) >= 0:
                raise _NulBytes
            yield offset, block, length

    return scan_lines(blocks(), start, len(data), first_line)


def _arrow_body(
    data: _Bytes,
    start: int,
    stop: int,
    names: list[str],
    delimiter: str,
    multiline: bool,
) -> pd.DataFrame | None:
    """Parse bytes ``start:stop`` with pyarrow; None when the layout needs csv.

    Raises UnicodeDecodeError when the bytes are not UTF-8.
    """
    keys = [f"c{i}" for i in range(len(names))]
    source = data.reader(start, stop)
    try:
        table = pacsv.read_csv(
            source,
            read_options=pacsv.ReadOptions(column_names=keys, block_size=_BLOCK),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=multiline,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(keys, pa.large_string()),
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                null_values=[""],
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        if "conversion error" in str(exc) and str(exc).endswith("invalid UTF8 data"):
            raise UnicodeDecodeError("utf-8", b"", 0, 1, str(exc)) from None
        return None
    finally:
        source.close()
    frame = table.to_pandas()
    frame.columns = names
    return frame


def _drop_non_data(
    frame: pd.DataFrame, lines: np.ndarray, footer: Sequence[str], delimiter: str
) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """Move all-empty rows and rows matching a footer pattern out of the data."""
    cells = frame.drop(columns=[ROW_PROBLEM], errors="ignore")
    empty = np.ones(len(cells), dtype=bool)
    for column in cells.columns:  # a column without missing cells settles it
        empty &= cells[column].isna().to_numpy()
        if not empty.any():
            break
    drop = empty.copy()
    if footer and cells.shape[1]:
        first = cells.iloc[:, 0]
        unset = first.isna().to_numpy() & ~empty
        if unset.any():
            first = first.copy()
            first[unset] = cells[unset].bfill(axis=1).iloc[:, 0]
        drop |= _matches(first, footer)
    if not drop.any():
        return frame, lines, empty_skipped()
    at = np.flatnonzero(drop)
    text = cells.iloc[at].fillna("").astype("str").agg(delimiter.join, axis=1)
    skipped = pd.DataFrame(
        {
            "line": lines[at],
            "reason": np.where(empty[at], "blank", "footer"),
            "text": text.to_numpy(),
        }
    ).astype({"line": "int64", "reason": "str", "text": "str"})
    return without_rows(frame, drop), lines[~drop], skipped


def without_rows(frame: pd.DataFrame, hit: np.ndarray) -> pd.DataFrame:
    """``frame`` without the rows of ``hit`` (some), renumbered: a slice (no copy)
    when they are the first or the last rows, as footers and totals mostly are."""
    at = np.flatnonzero(hit)
    if at[-1] - at[0] + 1 == len(at) and (at[0] == 0 or at[-1] == len(hit) - 1):
        kept = frame.iloc[at[-1] + 1 :] if at[0] == 0 else frame.iloc[: at[0]]
        return kept.reset_index(drop=True)
    return frame[~hit].reset_index(drop=True)


def _matches(values: pd.Series, patterns: Sequence[str]) -> np.ndarray:
    """Which trimmed ``values`` match one of ``patterns`` at their start.

    pyarrow's regular expressions (RE2) do it without a Python call per row, over
    the cells whose first byte allows a match only (:func:`could_start`); a
    pattern RE2 does not accept (look-arounds, back-references) is matched by
    :mod:`re` instead.
    """
    array = pa.array(values, type=pa.large_string(), from_pandas=True)
    screen = could_start(array, list(patterns))
    maybe = np.flatnonzero(screen)
    if len(maybe) == len(values):
        return _match_all(array, patterns)
    hit = np.zeros(len(values), dtype=bool)
    if len(maybe):  # a filter keeps the chunks (a take would join them)
        hit[maybe] = _match_all(pc.filter(array, pa.array(screen)), patterns)
    return hit


def _match_all(
    array: pa.Array | pa.ChunkedArray, patterns: Sequence[str]
) -> np.ndarray:
    """:func:`_matches` on every cell of ``array``."""
    try:
        hit = pc.match_substring_regex(
            pc.utf8_trim_whitespace(array), "|".join(f"^(?:{p})" for p in patterns)
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pattern = "|".join(f"(?:{p})" for p in patterns)
        values = pd.Series(array.to_pandas(), dtype="str")
        return values.str.strip().str.match(pattern, na=False).to_numpy(dtype=bool)
    return pc.fill_null(hit, False).to_numpy(zero_copy_only=False)


def _trim(cells: list[str]) -> list[str]:
    """Cells without the empty ones at the end (spreadsheet rows are padded)."""
    while cells and cells[-1] == "":
        cells = cells[:-1]
    return cells


def _concat_skipped(*parts: pd.DataFrame) -> pd.DataFrame:
    parts = tuple(p for p in parts if len(p))
    if not parts:
        return empty_skipped()
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values("line", kind="stable", ignore_index=True)


def read_text_table(
    path: str | Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    find_header: Callable[[list[str]], bool] | None = None,
    footer: Sequence[str] = (),
    sheet: str | None = None,
    limits: ReadLimits | None = None,
) -> RawTable:
    """Read an export file into text columns, each row knowing its line number.

    Parameters
    ----------
    path : str or Path
        A CSV, TSV or TXT file (any of the encodings and delimiters below), an XLSX
        workbook or a Parquet file.
    encoding : str, optional
        Default: detected — UTF-8 with or without BOM, UTF-16 LE/BE (BOM or NUL
        bytes), else Windows-1252 when the bytes are not UTF-8.
    delimiter : str, optional
        Default: whichever of comma, semicolon and tab splits the first lines into
        the most rows of equal width.
    find_header : callable, optional
        ``find_header(cells) -> bool`` picks the header among the first
        :data:`HEADER_SCAN_LINES` lines (cells trimmed). Default: the first
        non-empty line. Lines above it become ``preamble``.
    footer : sequence of str
        Regular expressions; a row whose first non-empty cell (trimmed) matches one
        at its start is a total or footer row, moved to ``skipped``.
    sheet : str, optional
        The XLSX sheet to read (default: the first).
    limits : ReadLimits, optional
        Longest line and cell, and what an XLSX or Parquet file may unpack to
        (default :class:`~leadkpi.io.limits.ReadLimits`).

    Returns
    -------
    RawTable
        ``frame`` holds one text column per header cell (empty cells missing,
        repeated names suffixed ``.1``, ``.2``, blank names ``unnamed_<n>``);
        ``lines`` the 1-based line of each row. Blank rows, rows matching ``footer``
        and a report footer after a final blank line are in ``skipped``. Rows whose
        number of cells differs from the header's stay in ``frame`` (padded or cut)
        with the problem in column :data:`ROW_PROBLEM`, so they end up rejected.
        A UTF-8 file with some lines in Windows-1252 is read line by line in the
        encoding each is in, with a :class:`~leadkpi.exceptions.LeadKPIWarning`
        naming those lines. Stray NUL bytes in a file that is not UTF-16 (CRM
        rich-text cells) are dropped, with one warning naming their lines.

    Raises
    ------
    DataFileError
        For a missing, empty, binary or undecodable file, one without a header, one
        ending inside a quoted field, a header that the given delimiter does not
        split, one where most rows do not match the header, or one beyond
        ``limits``.

    Examples
    --------
    >>> raw = read_text_table("data/sample/spend.csv")
    >>> raw.encoding, raw.delimiter, raw.header_line, int(raw.lines[0])
    ('utf-8', ',', 1, 2)
    >>> list(raw.frame.columns)[:7]
    ['date', 'channel', 'campaign', 'cost', 'impressions', 'clicks', 'currency']
    """
    path = Path(path)
    limits = limits or ReadLimits()
    if not path.is_file():
        raise _fail(path, "not found; expected an export file here")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".parquet"):
        from leadkpi.io.sheets import read_parquet, read_xlsx

        if suffix == ".parquet":
            return read_parquet(path, footer, limits)
        return read_xlsx(path, sheet, find_header, footer, limits)
    detected = encoding is None
    try:
        with path.open("rb") as handle:
            first_bytes = handle.read(_HEAD_BYTES)
    except OSError as exc:
        raise _fail(
            path, f"cannot be opened ({exc.strerror}); expected a readable file"
        ) from None
    complete = len(first_bytes) < _HEAD_BYTES
    if not first_bytes.strip() and (complete or not path.read_bytes().strip()):
        raise _fail(path, "is empty; expected a header line", 1)
    encoding = encoding or detect(path, first_bytes, complete)
    view = _Bytes(path=path)
    codec = codecs.lookup(encoding).name
    wide = 2 if codec.startswith("utf-16") else 1
    limit = limits.max_line_bytes * wide
    text = _utf16_as_utf8(path, codec, limit) if codec in _UTF16 else None
    if text is not None:
        view = _Bytes(text)
    elif codec not in ("utf-8", "utf-8-sig"):  # decoded whole, once read
        data = path.read_bytes()
        _check_lines(path, _Bytes(memoryview(data)).blocks(0), limit)
        if not codec.startswith("utf-16") and b"\x00" in data:
            data = read_without_nuls(path, data)
        encoding, text = decode(path, data, encoding)
        view = _Bytes(text)
    elif b"\x00" in view.read(0, _HEAD_BYTES):
        encoding, text = decode(path, read_without_nuls(path), encoding)
        view = _Bytes(text)
    try:
        return _read_decoded(
            path, view, encoding, detected, delimiter, find_header, footer, limits
        )
    except _NulBytes:  # found by the line scan, past the first block
        encoding, text = decode(path, read_without_nuls(path), encoding)
        return _read_decoded(
            path, _Bytes(text), encoding, detected, delimiter, find_header, footer,
            limits,
        )  # fmt: skip


_UTF16 = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}
_UNITS = {"utf-16-le": "<u2", "utf-16-be": ">u2"}


def _utf16_as_utf8(path: Path, codec: str, limit: int) -> memoryview | None:
    """A UTF-16 file's text as UTF-8 bytes (byte-order mark left out), its line
    lengths checked block by block before each block is decoded.

    The file is read into one buffer, reused, and decoded block by block, so no
    copy of its whole bytes or text is made but the UTF-8 result. None when the
    bytes are not text in ``codec`` (:func:`~leadkpi.io.encoding.decode`, given the
    whole file, says where).
    """
    decoder = codecs.getincrementaldecoder(codec)()
    pieces: list[np.ndarray] = []
    size = path.stat().st_size
    unit = _UNITS[codec]

    def blocks() -> Iterator[tuple[int, bytearray, int]]:
        buffer = bytearray(max(min(_CHUNK, size), 2))
        with path.open("rb") as handle:
            offset = 0
            while length := handle.readinto(buffer) or 0:
                yield offset, buffer, length  # checked by _check_lines, then decoded
                block = memoryview(buffer)[:length]
                if offset == 0 and block[:2] == _UTF16[codec]:
                    block = block[2:]
                piece = None
                if len(block) % 2 == 0 and not decoder.getstate()[0]:
                    piece = utf16_to_utf8(np.frombuffer(block, dtype=unit))
                if piece is None:  # surrogate pairs, or a unit split between blocks
                    piece = _uint8(decoder.decode(block).encode("utf-8"))
                pieces.append(piece)
                offset += length

    try:
        _check_lines(path, blocks(), limit, unit)
        pieces.append(_uint8(decoder.decode(b"", final=True).encode("utf-8")))
    except UnicodeError:  # not UTF-16, or a lone surrogate
        return None
    start = pieces[0][:12288].tobytes().decode("utf-8", errors="ignore")[:4096]
    if start and not re.search(r"[\x09-\x7e]", start):
        return None  # no readable text: decode() says so
    return memoryview(np.concatenate(pieces))


def _uint8(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.uint8)


def _check_lines(
    path: Path,
    blocks: Iterable[tuple[int, bytearray | memoryview, int]],
    limit: int,
    unit: str | None = None,
) -> None:
    """Raise when a line of the bytes in ``blocks`` (:meth:`_Bytes.blocks`) is
    longer than ``limit`` bytes.

    One pass over the bytes in blocks (numpy), before any of them is parsed. With
    ``unit`` (``"<u2"`` or ``">u2"``: UTF-16 LE or BE) a line ends at a newline
    code unit, not at any byte 10 (half of another character's unit), and the
    blocks are compared a unit, not a byte, at a time.
    """
    previous, line, tail = -1, 1, -1
    big = unit is not None and unit[0] == ">"
    for offset, block, length in blocks:
        chunk = np.frombuffer(block, dtype=np.uint8, count=length)
        if unit is None:
            ends = np.flatnonzero(chunk == 10) + offset
        else:  # units from an even offset; the newline's byte 10 as before
            skip = offset % 2
            units = chunk[skip : skip + (length - skip) // 2 * 2].view(unit)
            ends = np.flatnonzero(units == 10) * 2 + (offset + skip + big)
            if (
                skip
                and length
                and (tail, int(chunk[0])) == ((0, 10) if big else (10, 0))
            ):
                ends = np.concatenate([[offset - 1 + big], ends])  # a split unit
            tail = int(chunk[-1]) if length else tail
        lengths = np.diff(ends, prepend=previous)
        if len(ends) and lengths.max() > limit:
            at = int(np.argmax(lengths > limit))
            raise _too_long(path, line + at, int(lengths[at]), limit)
        if len(ends):
            previous, line = int(ends[-1]), line + len(ends)
        end = offset + len(chunk)
        end -= 0 if unit is None else end % 2  # a unit split here ends later
        if end - previous > limit:  # a line still open
            raise _too_long(path, line, end - previous, limit)


def _too_long(path: Path, line: int, length: int, limit: int) -> DataFileError:
    return _fail(
        path,
        f"line is longer than {limit:,} bytes ({length:,} or more); expected export "
        "rows (limits: max_line_bytes)",
        line,
    )


def _read_decoded(
    path: Path,
    view: _Bytes,
    encoding: str,
    detected: bool,
    delimiter: str | None,
    find_header: Callable[[list[str]], bool] | None,
    footer: Sequence[str],
    limits: ReadLimits,
) -> RawTable:
    """:func:`read_text_table` on the file's UTF-8 bytes."""
    head = _head_text(view, HEADER_SCAN_LINES + 20)
    if "\n" not in head and len(view) > _HEAD_BYTES:
        raise _fail(
            path,
            f"has no line end in its first {_HEAD_BYTES:,} bytes; expected a header "
            "line, then one export row per line",
            1,
        )
    check_text(path, head)
    if "\r" in head and "\n" not in head:  # classic Mac line ends
        view = _Bytes(memoryview(bytes(view.read(0)).replace(b"\r", b"\n")))
        head = head.replace("\r", "\n")
    guessed, width = _sniff(head)
    records = _records(head, delimiter or guessed)
    h = _find_header(path, records, find_header)
    header_line, header_last, cells = records[h]
    if delimiter is not None and len(cells) == 1 and width > 1 and guessed != delimiter:
        raise _fail(
            path,
            f"the header {cells[0][:60]!r} is one column when split by {delimiter!r};"
            f" the lines look {guessed!r}-separated ({width} columns)",
            header_line,
        )
    delimiter = delimiter or guessed
    names = _names(cells)
    head_lines = head.split("\n")
    preamble = tuple(line.rstrip("\r") for line in head_lines[: header_line - 1])
    start = _offset_after_lines(view, header_last)
    try:
        frame, lines, skipped = _body(
            path, view, start, names, delimiter, header_last, limits
        )
    except UnicodeDecodeError:
        data = bytes(view.read(0))
        if not detected:
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise _fail(
                    path,
                    f"byte {exc.start} is not {encoding} text; expected {encoding} "
                    "(or leave encoding= unset to detect it)",
                    data.count(b"\n", 0, exc.start) + 1,
                ) from None
            raise
        mixed = decode_mixed(data)
        if mixed is None:  # Windows-1252 throughout
            encoding, text = decode(path, data, "cp1252")
            return _read_decoded(
                path, _Bytes(text), encoding, False, delimiter, find_header, footer,
                limits,
            )  # fmt: skip
        text, foreign = mixed
        shown = ", ".join(map(str, foreign[:10])) + (", …" if len(foreign) > 10 else "")
        warnings.warn(
            f"{path.name}: {len(foreign)} line(s) are not UTF-8 like the rest of the "
            f"file and were read as Windows-1252: line(s) {shown}; check the text "
            "on them",
            LeadKPIWarning,
            stacklevel=2,
        )
        return _read_decoded(
            path, _Bytes(memoryview(text)), encoding, False, delimiter, find_header,
            footer, limits,
        )  # fmt: skip
    frame, lines, dropped = _drop_non_data(frame, lines, footer, delimiter)
    return RawTable(
        frame=frame,
        lines=lines,
        preamble=preamble,
        header_line=header_line,
        encoding=encoding,
        delimiter=delimiter,
        skipped=_concat_skipped(skipped, dropped),
        path=path,
    )


def _body(
    path: Path,
    view: _Bytes,
    start: int,
    names: list[str],
    delimiter: str,
    header_last: int,
    limits: ReadLimits,
) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """The rows below the header, their lines and the lines skipped, within limits.

    Lines longer than ``limits.max_line_bytes`` are refused before any is parsed
    (from the line ends :func:`_scan` finds anyway); cells are measured only when
    some line is longer than ``limits.max_cell_chars``.
    """
    scan = _scan(view, start, header_last + 1)
    first, starts, _ = plain = scan.records(quotes=False)
    lengths = np.diff(starts, append=len(view)) if len(starts) else starts
    longest = int(lengths.max()) if len(lengths) else 0
    if longest > limits.max_line_bytes:
        at = int(np.argmax(lengths > limits.max_line_bytes))
        raise _too_long(path, int(first[at]), longest, limits.max_line_bytes)
    frame, lines, skipped = _split(path, view, names, delimiter, scan, plain)
    if longest > limits.max_cell_chars:
        check_cells(path, frame, lines, limits)
    return frame, lines, skipped


def _split(
    path: Path,
    view: _Bytes,
    names: list[str],
    delimiter: str,
    scan: LineScan,
    plain: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """The rows below the header: pyarrow when its rows map onto lines, else csv.

    Every newline ends a record unless some lies inside quotes or a lone carriage
    return may end a line for pyarrow; then only the newlines outside quotes do,
    and pyarrow is told that values may hold line ends. A report footer (the
    trailing records that do not fit the header, from the first blank line among
    them) is found from the end of the file; pyarrow reads the records above it
    and the csv module only the footer. Each pass is checked: pyarrow must give one
    row per non-blank record, or the next pass is tried, and the csv module reads
    the whole body as the last resort (and at once when the body ends inside a
    quoted field: it says where).

    ``scan`` covers the body (:func:`_scan`); ``plain`` is its records with every
    newline ending one, already computed. Raises UnicodeDecodeError when the body
    is not UTF-8.
    """
    passes = [] if scan.odd else [True]
    if not scan.odd and not scan.lone_return and not scan.quoted.any():
        passes.insert(0, False)
    start = scan.start
    for quotes in passes:
        first, starts, blank = scan.records(quotes=True) if quotes else plain
        cut, tail = _footer_cut(view, first, starts, len(names), delimiter, scan.odd)
        stop = len(view) if cut is None else int(starts[cut])
        frame = _arrow_body(view, start, stop, names, delimiter, multiline=quotes)
        first, blank = first[:cut], blank[:cut]
        if frame is None or len(frame) != int((~blank).sum()):
            continue
        skipped = pd.DataFrame({"line": first[blank], "reason": "blank", "text": ""})
        skipped = skipped.astype({"line": "int64", "reason": "str", "text": "str"})
        if not tail:
            return frame, first[~blank], skipped
        rows, lines, dropped = _frame_from_records(tail, names)
        if ROW_PROBLEM in rows:
            frame[ROW_PROBLEM] = pd.Series(pd.NA, index=frame.index, dtype="str")
        frame = pd.concat([frame, rows], ignore_index=True)
        lines = np.concatenate([first[~blank], lines])
        _check_widths(path, frame, lines, delimiter)
        return frame, lines, _concat_skipped(skipped, dropped)
    return _slow_body(path, view, start, names, delimiter, scan.first_line - 1)


def _footer_cut(
    view: _Bytes,
    first: np.ndarray,
    starts: np.ndarray,
    width: int,
    delimiter: str,
    odd: bool,
) -> tuple[int | None, list[tuple[int, int, list[str]]]]:
    """Where a report footer starts, and its records, read from the file's end.

    Looks at the last :data:`TAIL_RECORDS` records: those at the end that are
    blank or do not have ``width`` cells form the footer region (as
    :func:`_frame_from_records` decides). Returns the index in ``first``/``starts``
    of its first record and the csv records from there on, or ``(None, [])`` when
    the file ends with a data row or the region cannot be placed safely.
    """
    if len(starts) < 2:
        return None, []
    low = max(len(starts) - TAIL_RECORDS, 0)
    data = bytes(view.read(int(starts[low])))
    if (data.count(b'"') % 2 == 1) != odd:  # the window starts inside quotes
        return None, []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, []
    records = _records(text, delimiter, offset=int(first[low]) - 1)
    if not records or records[-1][0] != first[-1]:
        return None, []  # a csv error, or records that do not line up
    k = len(records)
    while k > 0 and (_blank(records[k - 1][2]) or len(records[k - 1][2]) != width):
        k -= 1
    if k in (0, len(records)):
        return None, []
    cut = int(np.searchsorted(first, records[k][0]))
    if cut >= len(first) or first[cut] != records[k][0]:
        return None, []
    return cut, records[k:]


def _offset_after_lines(view: _Bytes, count: int) -> int:
    """Byte offset just after the ``count``-th newline (or the end)."""
    head = bytes(view.read(0, _HEAD_BYTES))
    offset = 0
    for _ in range(count):
        nxt = head.find(b"\n", offset)
        if nxt < 0:
            return len(view)
        offset = nxt + 1
    return offset


def _slow_body(
    path: Path,
    view: _Bytes,
    start: int,
    names: list[str],
    delimiter: str,
    header_last: int,
) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """Split the rows below the header with the csv module (the careful path)."""
    body = bytes(view.read(start)).decode("utf-8")
    records = _records(body, delimiter, path, offset=header_last)
    if records:
        first, last, _ = records[-1]
        tail = "\n".join(body.split("\n")[first - header_last - 1 : last - header_last])
        _check_terminated(path, tail, delimiter, first)
    frame, lines, skipped = _frame_from_records(records, names)
    _check_widths(path, frame, lines, delimiter)
    return frame, lines, skipped


def _check_widths(
    path: Path, frame: pd.DataFrame, lines: np.ndarray, delimiter: str
) -> None:
    """Raise when most rows do not have the header's cells (a wrong delimiter)."""
    if ROW_PROBLEM not in frame.columns:
        return
    bad = frame[ROW_PROBLEM].notna().to_numpy()
    if bad.sum() >= 2 and bad.sum() > 0.5 * len(frame):
        width = frame.shape[1] - 1
        raise _fail(
            path,
            f"{int(bad.sum())} of {len(frame)} rows do not have the header's "
            f"{width} cells (this row {frame[ROW_PROBLEM][bad].iloc[0]});"
            f" expected {delimiter!r}-separated rows like the header",
            int(lines[bad][0]),
        )
