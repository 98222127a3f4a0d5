"""Screening cells by their first byte before a regular expression runs over them."""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadkpi.io.profiles import BUILTIN
from leadkpi.io.starts import could_start, first_characters

#: Every totals and footer pattern of the built-in profiles.
PATTERNS = sorted(
    {p for profile in BUILTIN for p in profile.footer}
    | {p for profile in BUILTIN for r, p in profile.totals.items() if r[0] != "_"}
)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?:Total|Gesamt)\s?: ", {"T", "G"}),
        (r"(?i:results from \d+|resultados de \d+)", {"r", "R"}),
        (r"^©\s*\d{4}\s+Microsoft Corporation", {"©"}),
        (r"^Total\b", {"T"}),
        (r"[0-3]?x", {"0", "1", "2", "3", "x"}),
        (r"(?i)ab|\d", {"a", "A", *"0123456789"}),
        (r".*total", None),  # a wildcard first
        (r"(?=Tot)T", None),  # a look-ahead
        (r"x?", None),  # matches the empty string
        (r"[^a]b", None),  # a negated class
        (r"(unbalanced", None),  # not a pattern at all
    ],
)
def test_first_characters_of_a_pattern(pattern, expected):
    found = first_characters(pattern)
    assert (None if found is None else set(found)) == expected


def test_cells_are_screened_by_their_first_byte():
    cells = pa.array(
        ["Total: cuenta", "12,5", None, "", " Gesamt: x", "Búsqueda", "\u00a0Total",
         "Tarjeta", "total: x"]
    )  # fmt: skip
    # blanks (ASCII or not) and letters beyond ASCII are always kept
    expected = [True, False, False, False, True, False, True, True, False]
    assert could_start(cells, [r"(?:Total|Gesamt)\s?: "]).tolist() == expected
    assert could_start(cells, [r".*"]).tolist() == [True] * len(cells)


def test_chunked_sliced_and_narrow_string_arrays_are_screened_alike():
    values = ["Total", None, "x", "Grand", "", "Tot", "9"] * 5
    expected = could_start(pa.array(values, pa.large_string()), ["Total|Grand"])
    chunked = pa.chunked_array([pa.array(values[:11]), pa.array(values[11:])])
    assert could_start(chunked, ["Total|Grand"]).tolist() == expected.tolist()
    sliced = pa.array(["x", *values], pa.string()).slice(1)
    assert could_start(sliced, ["Total|Grand"]).tolist() == expected.tolist()
    assert expected.tolist()[:7] == [True, False, False, True, False, True, False]


_CELLS = st.one_of(
    st.none(),
    st.sampled_from(
        ["Total: Campaigns", "Total: cuenta", "  Gesamt: Konto", "Results from 4",
         "resultados de 12", "Grand Totals (3 records)", "©2026 Microsoft Corporation",
         "No data available.", "Carousel card", "tarjeta del carrusel", "K", "ſ"]
    ),
    st.text(max_size=12),
    st.text(alphabet=" \t\u00a0\u2003Tt", max_size=4).map(lambda s: s + "Total: x"),
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(_CELLS, max_size=20), st.lists(st.sampled_from(PATTERNS), min_size=1))
def test_the_screen_keeps_every_cell_that_matches(cells, patterns):
    """Every cell that matches at its start, as totals (RE2 after ASCII blanks)
    or footers (Python's re after trimming) are matched, is kept."""
    array = pa.array(cells, pa.large_string())
    kept = could_start(array, patterns)
    either = "|".join(f"(?:{p})" for p in patterns)
    re2 = pc.fill_null(pc.match_substring_regex(array, f"^\\s*(?:{either})"), False)
    python = [c is not None and re.match(either, c.strip()) is not None for c in cells]
    assert not (re2.to_numpy(zero_copy_only=False) & ~kept).any()
    assert not (np.array(python, dtype=bool) & ~kept).any()
