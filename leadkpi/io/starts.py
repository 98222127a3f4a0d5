"""Find the cells that start with a regular expression without a regex call per cell.

Totals rows (``Total: cuenta``, ``Results from 4 campaigns``) and report footers
(``©2025 Microsoft Corporation``) are told by how one of their cells starts. Running
the regular expression over every cell of a million-row export costs a regex call
per cell; almost every cell, though, starts with a character the expression cannot
start with (a digit, when it starts with ``Total``). :func:`could_start` reads each
cell's first byte straight from the Arrow buffers and keeps only the cells that may
match, so the expression runs over those few.

The first characters an expression can start with are taken from its parse by
Python's :mod:`re` (the profiles' patterns are written in the syntax both Python and
RE2 read); an expression it cannot parse, or whose start is not a fixed set of
characters (``.``, ``\\w``, a negated class), screens nothing out. Cells starting
with blanks or with any byte beyond ASCII (letters whose case folds to ASCII, other
whitespace) are always kept, so the screen only ever keeps too many.
"""

from __future__ import annotations

import functools
import re
from re import _constants as sre  # the parse tree's opcodes
from re import _parser

import numpy as np
import pyarrow as pa

__all__ = ["first_characters", "could_start"]

#: Bytes a cell may start with before its first character is compared: blanks
#: and other control characters (what any trimming may remove), and every byte
#: beyond ASCII.
_ALWAYS = np.zeros(256, dtype=bool)
_ALWAYS[:0x21] = True
_ALWAYS[0x80:] = True
_DIGITS = frozenset("0123456789")
_SPACES = frozenset("\t\n\v\f\r ")


class _Unknown(Exception):
    """The expression's start is not a fixed set of characters."""


def _class(items: list, fold: bool) -> set[str]:
    """The characters of a ``[...]`` class."""
    out: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            out.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] <= 256:
            out.update(chr(c) for c in range(av[0], av[1] + 1))
        elif op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
            out |= _DIGITS
        elif op is sre.CATEGORY and av is sre.CATEGORY_SPACE:
            out |= _SPACES
        else:  # a negated class, \w, a wide range
            raise _Unknown
    return out


def _first(items: list, fold: bool) -> tuple[set[str], bool]:
    """The characters a sequence of the parse tree can start with, and whether it
    can match the empty string."""
    out: set[str] = set()
    for op, av in items:
        if op is sre.AT:  # ^, $, \b: zero width
            continue
        if op is sre.LITERAL:
            chars, empty = {chr(av)}, False
        elif op is sre.IN:
            chars, empty = _class(av, fold), False
        elif op is sre.BRANCH:
            parts = [_first(list(branch), fold) for branch in av[1]]
            chars = set().union(*(p[0] for p in parts))
            empty = any(p[1] for p in parts)
        elif op is sre.SUBPATTERN:
            _, add, remove, sub = av
            here = (fold or bool(add & sre.SRE_FLAG_IGNORECASE)) and not (
                remove & sre.SRE_FLAG_IGNORECASE
            )
            chars, empty = _first(list(sub), here)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, _, sub = av
            chars, empty = _first(list(sub), fold)
            empty = empty or low == 0
        else:  # ., \w, back-references, look-arounds
            raise _Unknown
        if fold:
            chars = chars | {c.swapcase() for c in chars}
        out |= chars
        if not empty:
            return out, False
    return out, True


@functools.lru_cache(maxsize=256)
def first_characters(pattern: str) -> frozenset[str] | None:
    """The characters a cell matching ``pattern`` at its start can begin with.

    Blanks before them are allowed by :func:`could_start` on its own. None when the
    set is not known (the pattern does not parse, can match the empty string, or
    starts with a wildcard or a negated class).

    Examples
    --------
    >>> sorted(first_characters(r"(?:Total|Gesamt)\\s?: "))
    ['G', 'T']
    >>> sorted(first_characters(r"(?i:results from \\d+)"))
    ['R', 'r']
    >>> first_characters(r".*total") is None
    True
    """
    try:
        tree = _parser.parse(pattern)
        fold = bool(tree.state.flags & sre.SRE_FLAG_IGNORECASE)
        chars, empty = _first(list(tree), fold)
    except (_Unknown, re.error, ValueError, TypeError, AttributeError):
        return None
    return None if empty or not chars else frozenset(chars)


def could_start(values: pa.Array | pa.ChunkedArray, patterns: list[str]) -> np.ndarray:
    """Which cells may start (after blanks) with one of ``patterns``.

    Parameters
    ----------
    values : pyarrow.Array or ChunkedArray
        String cells.
    patterns : list of str
        Regular expressions, matched at a cell's start by the caller.

    Returns
    -------
    numpy.ndarray of bool
        True for every cell that matches one of ``patterns`` at its start, after
        optional blanks (and for some that do not); False for empty cells and for
        missing ones (unless their slot holds bytes). All True when the start of
        some pattern is not known.

    Examples
    --------
    >>> cells = pa.array(["Total: cuenta", "12,5", None, " Gesamt: x", "Búsqueda"])
    >>> could_start(cells, [r"(?:Total|Gesamt)\\s?: "]).tolist()
    [True, False, False, True, False]
    """
    firsts = [first_characters(p) for p in patterns]
    if any(f is None for f in firsts):
        return np.ones(len(values), dtype=bool)
    table = _ALWAYS.copy()
    for chars in firsts:
        for char in chars:
            table[char.encode("utf-8")[0]] = True
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    parts = [_screen(chunk, table) for chunk in chunks]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def _screen(chunk: pa.Array, table: np.ndarray) -> np.ndarray:
    """``table[first byte]`` of each cell of one string array (False when empty)."""
    if pa.types.is_large_string(chunk.type):
        width = np.int64
    elif pa.types.is_string(chunk.type):
        width = np.int32
    else:
        chunk = chunk.cast(pa.large_string())
        width = np.int64
    n = len(chunk)
    _, offsets, data = chunk.buffers()
    bounds = np.frombuffer(
        offsets,
        dtype=width,
        count=n + 1,
        offset=chunk.offset * np.dtype(width).itemsize,
    )
    starts = bounds[:-1]
    filled = bounds[1:] > starts
    if data is None or not filled.any():
        return np.zeros(n, dtype=bool)
    codes = np.frombuffer(data, dtype=np.uint8)
    first = codes.take(starts, mode="clip")  # an empty last cell points past the end
    # a missing cell's bytes (if any) kept: a few more; take: no index conversion
    return table.take(first) & filled
