"""The one-pass line scan against a byte-by-byte reading and the csv module."""

from __future__ import annotations

import csv
import io

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from leadkpi.io.scan import scan_lines


def _blocks(data: bytes, start: int, sizes: list[int], views: bool = False):
    """``data`` from ``start`` in blocks of the given sizes (the last one repeated),
    each copied into one reused buffer as a file's blocks are, or as views of
    ``data`` as text in memory is."""
    buffer = bytearray(max(sizes))
    offset, i = start, 0
    while offset < len(data):
        size = sizes[min(i, len(sizes) - 1)]
        piece = data[offset : offset + size]
        if views:
            yield offset, memoryview(data)[offset : offset + size], len(piece)
        else:
            buffer[: len(piece)] = piece
            yield offset, buffer, len(piece)
        offset, i = offset + len(piece), i + 1


def _scan(data: bytes, start=0, first_line=1, sizes=(1 << 20,), views=False):
    blocks = _blocks(data, start, list(sizes), views)
    return scan_lines(blocks, start, len(data), first_line)


def _reference(data: bytes, start: int, first_line: int, quotes: bool):
    """Records read one byte at a time: a quote opens or closes a quoted part, a
    newline ends a record (outside quotes only, with ``quotes``)."""
    first, starts, blank = [], [], []
    line, inside, begin, begin_line = first_line, False, start, first_line
    for i in range(start, len(data)):
        if data[i] == ord('"'):
            inside = not inside
        elif data[i] == ord("\n"):
            line += 1
            if not (quotes and inside):
                first.append(begin_line)
                starts.append(begin)
                blank.append(data[begin:i] in (b"", b"\r"))
                begin, begin_line = i + 1, line
    if begin < len(data):
        first.append(begin_line)
        starts.append(begin)
        blank.append(data[begin:] == b"\r")
    return first, starts, blank


def _as_lists(records):
    return tuple(part.tolist() for part in records)


#: Bytes that matter to the scan, and a few that do not.
_PIECES = st.sampled_from([b'"', b"\n", b"\r", b"\r\n", b",", b"a", b'""', b"\xc3\xa9"])


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(_PIECES, max_size=80),
    start=st.integers(0, 6),
    sizes=st.lists(st.integers(1, 9), min_size=1, max_size=5),
    views=st.booleans(),
)
def test_records_match_a_byte_by_byte_reading(pieces, start, sizes, views):
    data = b"".join(pieces)
    start = min(start, len(data))
    scan = _scan(data, start, 3, sizes, views)
    for quotes in (False, True):
        expected = _reference(data, start, 3, quotes)
        assert _as_lists(scan.records(quotes)) == expected
    body = data[start:]
    assert scan.odd == (body.count(b'"') % 2 == 1)
    assert scan.lone_return == (body.count(b"\r") != body.count(b"\r\n"))
    assert scan.quoted.tolist() == [
        body[:i].count(b'"') % 2 == 1 for i in range(len(body)) if body[i] == 10
    ]


#: Cells with quotes, delimiters and line ends (no lone carriage return: the csv
#: module counts one as a line end where a file's lines end at newlines only).
_CELLS = st.lists(st.sampled_from(list('ab,"; é') + ["\n", "\r\n"]), max_size=6).map(
    "".join
)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.lists(_CELLS, min_size=1, max_size=4), min_size=1, max_size=12),
    layout=st.sampled_from(
        [("\r\n", csv.QUOTE_MINIMAL), ("\r\n", csv.QUOTE_ALL), ("\n", csv.QUOTE_ALL)]
    ),  # with "\n" alone, QUOTE_MINIMAL leaves a lone "\r" unquoted
    sizes=st.lists(st.integers(1, 17), min_size=1, max_size=4),
)
def test_record_lines_match_the_csv_module(rows, layout, sizes):
    terminator, quoting = layout
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator=terminator, quoting=quoting).writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    expected, previous = [], 0
    for _ in reader:
        expected.append(previous + 1)
        previous = reader.line_num
    first, starts, _ = _scan(data, sizes=sizes).records(quotes=True)
    assert first.tolist() == expected
    ends = [*starts[1:].tolist(), len(data)]
    for row, begin, end in zip(rows, starts.tolist(), ends, strict=True):
        text = data[begin:end].decode("utf-8")
        assert list(csv.reader(io.StringIO(text, newline=""))) == [row]


def test_a_quoted_newline_a_doubled_quote_and_a_crlf_split_across_blocks():
    data = b'id,note\r\n1,"two\r\nlines"\r\n\r\n2,"say ""hi"""\r\n3,x'
    for size in range(1, len(data) + 1):
        scan = _scan(data, sizes=[size])
        first, starts, blank = scan.records(quotes=True)
        assert first.tolist() == [1, 2, 4, 5, 6]
        assert blank.tolist() == [False, False, True, False, False]
        assert data[starts[3] : starts[4]] == b'2,"say ""hi"""\r\n'
        assert scan.records(quotes=False)[0].tolist() == [1, 2, 3, 4, 5, 6]
        assert not scan.lone_return and not scan.odd


def test_lone_returns_and_an_unclosed_quote_are_told():
    assert _scan(b"a\rb\nc\n").lone_return
    assert not _scan(b"a\r\nb\r\n", sizes=[2]).lone_return  # split between blocks
    assert _scan(b'a\n"b\nc\n').odd
    scan = _scan(b'a\n"b\nc\n')
    assert scan.quoted.tolist() == [False, True, True]
    assert scan.records(quotes=True)[0].tolist() == [1, 2]


def test_nothing_to_scan():
    scan = _scan(b"header\n", start=7, first_line=2)
    assert all(len(part) == 0 for part in scan.records(quotes=True))
    assert scan.newlines.dtype == np.int64 and not scan.odd
