"""Run one function over a large table's columns two at a time.

Typing a column of a million cells is mostly pyarrow, numpy and pandas kernels,
which release the GIL, so two columns typed on two threads take little more than
one. :func:`per_column` keeps small tables on one thread (the threads would cost
more than they save) and gives the results back in the columns' order, so a
caller's notes and warnings come out as on one thread.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

__all__ = ["THREADED_ROWS", "per_column"]

#: Rows from which a table's columns are worked on two at a time.
THREADED_ROWS = 50_000

_T = TypeVar("_T")
_R = TypeVar("_R")


def per_column(work: Callable[[_T], _R], columns: Sequence[_T], rows: int) -> list[_R]:
    """``[work(c) for c in columns]``, on two threads when the table is large.

    Parameters
    ----------
    work : callable
        Called once per column; it must not depend on the others' results.
    columns : sequence
        What ``work`` is given, one per column.
    rows : int
        The table's rows: from :data:`THREADED_ROWS` on, and with two processors
        or more, two columns are worked on at a time.

    Returns
    -------
    list
        The results in the order of ``columns``; the first exception raised by
        ``work`` is raised.

    Examples
    --------
    >>> per_column(len, ["ab", "c"], rows=2)
    [2, 1]
    """
    workers = min(2, len(columns), os.cpu_count() or 1)
    if workers < 2 or rows < THREADED_ROWS:
        return [work(c) for c in columns]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(work, columns))
