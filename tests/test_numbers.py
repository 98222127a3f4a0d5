"""Locale numbers, money and percentages, a column at a time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadkpi.io.numbers import locale_decimal, parse_numbers
from leadkpi.io.profiles.google_ads import ui_numbers


def _values(cells, **kw):
    return parse_numbers(pd.Series(cells, name="cost"), **kw)


def test_english_money_with_symbols_codes_and_accounting_negatives():
    parsed = _values(
        ["1,234.56", "$1,200", "(1,200.00)", "USD 5", "1.234-", "3.45%", "12 €"]
    )
    pd.testing.assert_series_equal(
        parsed.values,
        pd.Series([1234.56, 1200.0, -1200.0, 5.0, -1.234, 0.0345, 12.0], name="cost"),
    )
    assert parsed.currency.tolist() == [
        np.nan,
        "USD",
        np.nan,
        "USD",
        np.nan,
        np.nan,
        "EUR",
    ]
    assert parsed.decimal == "." and not parsed.invalid.any()


def test_european_numbers_with_no_break_spaces():
    parsed = _values(["1.234,56 €", "1\u00a0234,5", "1\u202f000 EUR", "-7,25", "0,5 %"])
    np.testing.assert_allclose(parsed.values, [1234.56, 1234.5, 1000.0, -7.25, 0.005])
    assert parsed.decimal == ","
    assert parsed.currency.tolist()[::2] == ["EUR", "EUR", np.nan]


def test_placeholders_are_missing_and_garbage_is_invalid():
    parsed = _values(["-", "--", "—", "(not set)", "", None, "abc", "1-2", "1e3", "5"])
    assert parsed.values.isna().tolist() == [True] * 9 + [False]
    assert parsed.invalid.tolist() == [False] * 6 + [True, True, True, False]


@pytest.mark.parametrize(
    ("locale", "expected", "decimal"),
    [("en", [1234.0, 2500.0], "."), ("es", [1.234, 2.5], ",")],
)
def test_a_wholly_ambiguous_column_is_decided_by_the_locale_with_a_warning(
    locale, expected, decimal
):
    parsed = _values(["1,234", "2,500"], locale=locale)
    np.testing.assert_allclose(parsed.values, expected)
    assert parsed.decimal == decimal
    assert "could be read either way" in parsed.warnings[0]


def test_one_unambiguous_value_decides_the_column():
    parsed = _values(["1,234", "2,500", "3,5"], locale="en")
    np.testing.assert_allclose(parsed.values, [1.234, 2.5, 3.5])
    assert parsed.warnings == ()
    parsed = _values(["1.234", "1.234.567"], locale="en")
    np.testing.assert_allclose(parsed.values, [1234.0, 1234567.0])


def test_forced_decimal_mark():
    np.testing.assert_allclose(_values(["1.234"], decimal=",").values, [1234.0])


def test_plain_numbers_take_the_fast_path_and_keep_the_index():
    cells = pd.Series(["1", "-2.5", None], index=[10, 20, 30])
    parsed = parse_numbers(cells)
    assert parsed.values.index.tolist() == [10, 20, 30]
    assert parsed.values.tolist()[:2] == [1.0, -2.5]


def test_locale_decimal():
    assert (locale_decimal("es_ES"), locale_decimal("en"), locale_decimal("xx")) == (
        ",",
        ".",
        ".",
    )


def test_counts_read_a_lone_three_digit_group_as_thousands():
    parsed = parse_numbers(pd.Series(["1.000", "12", "2.500"]), whole=True)
    assert parsed.values.tolist() == [1000.0, 12.0, 2500.0]
    assert parsed.warnings == ()


def test_currency_stays_with_its_row_in_a_sparse_column_with_any_index():
    cells = pd.Series(["1 €", None, "x", "2 $"], index=[7, 3, 9, 1])
    parsed = parse_numbers(cells)
    pd.testing.assert_series_equal(
        parsed.currency,
        pd.Series(["EUR", None, None, "USD"], index=cells.index, dtype="str"),
    )
    assert parsed.values.tolist()[::3] == [1.0, 2.0]
    assert parsed.invalid.tolist() == [False, False, True, False]


_CELLS = (
    "1.234,56 €", "12,50", "1,055.03", "1.000", "--", "", "abc", "(12,5)", "3,45 %",
    "$1,200", "7", "-0.5", "1e5", "inf",
)  # fmt: skip


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_CELLS), min_size=1, max_size=8), st.booleans())
def test_repeated_values_parse_once_as_each_row_would(cells, whole):
    """A long column whose values repeat is parsed one distinct value at a time."""
    short = parse_numbers(pd.Series(cells), whole=whole)
    tiled = pd.Series(cells * 70, index=range(5, 5 + 70 * len(cells)))
    long = parse_numbers(tiled, whole=whole)
    for field in ("values", "invalid", "currency"):
        got = getattr(long, field)
        assert got.index.equals(tiled.index)
        expected = pd.concat([getattr(short, field)] * 70, ignore_index=True)
        pd.testing.assert_series_equal(
            got.reset_index(drop=True), expected, check_names=False
        )
    assert long.decimal == short.decimal


@pytest.mark.parametrize("rows", [3, 300])  # whole column, and distinct values
def test_ui_numbers_types_clean_columns_and_leaves_others_to_the_parser(rows):
    clean = pd.DataFrame({"cost": (["1.055,03", "9,80", "--"] * 100)[:rows]})
    typed = ui_numbers(clean, thousands=".", point=",")["cost"]
    assert typed.dtype == "float64"
    assert typed.head(3).tolist()[:2] == [1055.03, 9.8] and np.isnan(typed.iloc[2])
    dirty = clean.assign(cost=clean["cost"].where(clean.index != 1, "9.80"))
    text = ui_numbers(dirty, thousands=".", point=",")["cost"]
    assert text.head(3).tolist() == ["1055.03", "9.80", "--"]  # 9.80 left as found
    assert text.dtype == "str"


def test_ui_numbers_reads_a_column_that_comes_in_chunks():
    """Large columns read by pyarrow are chunked; distinct values span chunks."""
    chunks = [pa.array(["1.055,03", "9,80"] * 50, pa.large_string())]
    chunks.append(pa.array(["9,80", "--"] * 50, pa.large_string()))
    column = pd.Series(pd.array(pa.chunked_array(chunks), dtype="str"))
    typed = ui_numbers(pd.DataFrame({"cost": column}), thousands=".", point=",")
    assert typed["cost"].iloc[[0, 1, 100, 101]].tolist()[:3] == [1055.03, 9.8, 9.8]
    assert typed["cost"].isna().sum() == 50


def test_ui_numbers_types_columns_alike_on_one_thread_and_on_two(monkeypatch):
    from leadkpi.io import threads

    frame = pd.DataFrame(
        {
            "cost": ["1.055,03", "9,80", "--"] * 40,
            "clicks": ["1.000", "12", "x"] * 40,  # not clean: left as text
            "impressions": ["3", "", "1.234.567"] * 40,
            "campaign": ["a", "b", "c"] * 40,
        }
    )
    out = []
    for rows in (10**9, 1):  # one thread, then two from the first row
        monkeypatch.setattr(threads, "THREADED_ROWS", rows)
        out.append(ui_numbers(frame, thousands=".", point=","))
    pd.testing.assert_frame_equal(out[1], out[0])
    assert out[1]["cost"].dtype == "float64" and out[1]["clicks"].dtype == "str"
    assert list(out[1].columns) == list(frame.columns)


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.one_of(st.none(), st.sampled_from(["1", "2,5", " 3 ", "x"]))),
    cuts=st.lists(st.integers(0, 200), max_size=4),
)
def test_chunks_are_encoded_and_sampled_as_one_array(values, cuts):
    from leadkpi.io.numbers import _taken, distinct, repeats

    bounds = sorted({0, len(values), *(c for c in cuts if c <= len(values))})
    parts = [values[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    chunked = pa.chunked_array(parts or [[]], type=pa.large_string())
    one = chunked.combine_chunks()
    found, at = distinct(chunked)
    # every row reads back its own value, missing ones -1
    assert [None if i < 0 else found[i].as_py() for i in at] == values
    assert sorted(found.to_pylist()) == sorted({v for v in values if v is not None})
    assert repeats(chunked) == repeats(one)
    rows = np.arange(0, len(values), 3)
    assert _taken(chunked, rows).to_pylist() == one.take(pa.array(rows)).to_pylist()
