"""Find an export's line ends, and which of them end a CSV record, in one pass.

A reader that hands each row its file line needs the byte offset of every newline
(line numbers, line lengths) and, when a quoted field may span lines, which
newlines lie outside quotes (the ends of records). :func:`scan_lines` reads the
bytes once, block by block, with numpy: the positions of the newlines, whether a
carriage return stands before each, and the parity of the quotes before each
newline. The parity comes from an exclusive-or of the quote flags over each line
(:func:`numpy.bitwise_xor.reduceat`) accumulated across lines, so the quotes are
never listed one by one. A newline with an even number of quotes before it ends a
record (``""`` inside a quoted field counts twice, so it changes nothing).

:meth:`LineScan.records` turns the scan into records, every newline ending one or
only those outside quotes, without reading the bytes again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

__all__ = ["LineScan", "scan_lines"]

_NEWLINE, _RETURN, _QUOTE = 10, 13, 34


@dataclass(frozen=True)
class LineScan:
    """The newlines of bytes ``start:size`` and what stands around them.

    Attributes
    ----------
    start, size : int
        The byte offsets scanned (from ``start`` to the end, ``size``).
    first_line : int
        The line number of the line starting at ``start``.
    newlines : numpy.ndarray
        int64 offset of every newline byte.
    returns : numpy.ndarray
        bool, a carriage return stands right before the newline.
    quoted : numpy.ndarray
        bool, the newline lies inside a quoted field (an odd number of quotes
        from ``start`` to it).
    last_return : bool
        The last byte is a carriage return.
    lone_return : bool
        Some carriage return is not followed by a newline (a reader may take it
        for a line end).
    odd : bool
        The bytes hold an odd number of quotes (they end inside a quoted field).
    """

    start: int
    size: int
    first_line: int
    newlines: np.ndarray
    returns: np.ndarray
    quoted: np.ndarray
    last_return: bool
    lone_return: bool
    odd: bool

    def records(self, quotes: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Line number, byte offset and blankness of each record.

        Parameters
        ----------
        quotes : bool
            False: every newline ends a record. True: only a newline outside
            quotes does.

        Returns
        -------
        first : numpy.ndarray
            int64 line number of each record's first line.
        starts : numpy.ndarray
            int64 byte offset of each record.
        blank : numpy.ndarray
            bool, the record is empty (nothing, or a lone carriage return, before
            its newline).
        """
        if quotes:
            end_index = np.flatnonzero(~self.quoted)
            stops, returns = self.newlines[end_index], self.returns[end_index]
        else:
            end_index = np.arange(len(self.newlines), dtype=np.int64)
            stops, returns = self.newlines, self.returns
        starts = np.concatenate([[self.start], stops + 1]).astype(np.int64)
        first = np.concatenate([[0], end_index + 1]).astype(np.int64) + self.first_line
        if starts[-1] < self.size:  # a last record without a final newline
            stops = np.append(stops, self.size)
            returns = np.append(returns, self.last_return)
        else:
            starts, first = starts[:-1], first[:-1]
        length = stops - starts
        blank = (length == 0) | ((length == 1) & returns)
        return first, starts, blank


def scan_lines(
    blocks: Iterable[tuple[int, bytes | bytearray | memoryview, int]],
    start: int,
    size: int,
    first_line: int,
) -> LineScan:
    """Scan bytes ``start:size`` for newlines, carriage returns and quotes.

    Parameters
    ----------
    blocks : iterable of (offset, buffer, length)
        The bytes from ``start`` in order: each block's offset, a buffer holding
        it (which may be reused once the next block is asked for) and its length.
    start, size : int
        Offset of the first byte and of the end.
    first_line : int
        Line number of the line starting at ``start``.

    Returns
    -------
    LineScan
    """
    newlines, returns, quoted = [], [], []
    carry, last, crs, crlfs = 0, 0, 0, 0
    for offset, block, length in blocks:
        if not length:
            continue
        chunk = np.frombuffer(block, dtype=np.uint8, count=length)
        where = np.flatnonzero(chunk == _NEWLINE)
        # memchr tells a block without any return or quote before numpy looks
        here = _count(chunk, _RETURN) if _holds(block, b"\r", length) else 0
        crs += here
        if here:
            before = chunk[np.maximum(where - 1, 0)] == _RETURN
        else:
            before = np.zeros(len(where), dtype=bool)
        if len(where) and where[0] == 0:  # the return may end the block before
            before[0] = last == _RETURN
        crlfs += int(np.count_nonzero(before))
        flags = chunk == _QUOTE if _holds(block, b'"', length) else None
        count = 0 if flags is None else int(np.count_nonzero(flags))
        if flags is not None and len(where):
            # quotes on each line up to its newline, then their running parity
            lines = np.concatenate([[0], where[:-1] + 1])
            per_line = np.bitwise_xor.reduceat(
                flags[: where[-1] + 1].view(np.uint8), lines
            )
            parity = np.bitwise_xor.accumulate(per_line) ^ carry
            quoted.append(parity.astype(bool))
        else:
            quoted.append(np.full(len(where), bool(carry)))
        carry ^= count & 1
        newlines.append(where + offset)
        returns.append(before)
        last = int(chunk[-1])
    return LineScan(
        start=start,
        size=size,
        first_line=first_line,
        newlines=_joined(newlines, np.int64),
        returns=_joined(returns, bool),
        quoted=_joined(quoted, bool),
        last_return=last == _RETURN,
        lone_return=crs != crlfs,
        odd=bool(carry),
    )


def _holds(block: bytes | bytearray | memoryview, byte: bytes, length: int) -> bool:
    """Whether the first ``length`` bytes of ``block`` may hold ``byte`` (a
    memoryview cannot be searched without a copy: it may)."""
    if isinstance(block, memoryview):
        return True
    return block.find(byte, 0, length) >= 0


def _count(chunk: np.ndarray, byte: int) -> int:
    return int(np.count_nonzero(chunk == byte))


def _joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return (
        np.concatenate(parts).astype(dtype, copy=False) if parts else np.empty(0, dtype)
    )
