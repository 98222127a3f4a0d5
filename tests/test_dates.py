"""Dates and timestamps in any common export format, a column at a time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadkpi.io.dates import parse_dates
from leadkpi.io.numbers import repeats


def _stamps(values, tz="Europe/Madrid"):
    return pd.Series(pd.to_datetime(values, format="ISO8601").tz_localize(tz)).astype(
        f"datetime64[ns, {tz}]"
    )


def test_iso_timestamps_naive_in_project_zone_offsets_converted():
    parsed = parse_dates(
        pd.Series(["2025-10-01 14:03", "2025-10-01T12:03:00Z", "2025-10-01", "--"]),
        timezone="Europe/Madrid",
    )
    expected = _stamps(["2025-10-01 14:03", "2025-10-01 14:03", "2025-10-01", None])
    pd.testing.assert_series_equal(parsed.values, expected)
    assert not parsed.invalid.any()


def test_day_first_decided_by_a_day_above_twelve():
    parsed = parse_dates(pd.Series(["01/02/2025", "13/02/2025"]), kind="date")
    assert parsed.values.dt.strftime("%Y-%m-%d").tolist() == [
        "2025-02-01",
        "2025-02-13",
    ]
    assert parsed.dayfirst is True and parsed.warnings == ()


def test_month_first_decided_by_a_day_above_twelve():
    parsed = parse_dates(
        pd.Series(["01/02/2025", "02/13/2025"]), kind="date", locale="es"
    )
    assert parsed.values.dt.strftime("%Y-%m-%d").tolist() == [
        "2025-01-02",
        "2025-02-13",
    ]
    assert parsed.dayfirst is False


@pytest.mark.parametrize(
    ("locale", "day"), [("en", "2025-01-02"), ("es", "2025-02-01")]
)
def test_wholly_ambiguous_order_follows_the_locale_and_warns(locale, day):
    parsed = parse_dates(pd.Series(["01/02/2025"]), kind="date", locale=locale)
    assert parsed.values.dt.strftime("%Y-%m-%d").tolist() == [day]
    assert "day/month or month/day" in parsed.warnings[0]


def test_impossible_dates_are_invalid_with_the_expected_layout():
    parsed = parse_dates(
        pd.Series(["31/02/2025", "29/02/2024", "2025-13-01"]), kind="date"
    )
    assert parsed.invalid.tolist() == [True, False, True]
    assert parsed.expected == "a date like DD/MM/YYYY"


def test_month_names_compact_and_excel_serials():
    cells = pd.Series(
        [
            "Oct 1, 2025",
            "1 oct. 2025",
            "1 de octubre de 2025",
            "01-Oct-2025",
            "October 1, 2025 2:03 PM",
            "20251001",
            "45931",
        ]
    )
    parsed = parse_dates(cells, timezone="UTC")
    assert parsed.values.dt.strftime("%Y-%m-%d %H:%M").tolist() == [
        "2025-10-01 00:00"
    ] * 4 + [
        "2025-10-01 14:03",
        "2025-10-01 00:00",
        "2025-10-01 00:00",
    ]


def test_dates_with_offsets_keep_the_project_day():
    parsed = parse_dates(
        pd.Series(["2025-10-01T23:30:00Z"]), kind="date", timezone="Europe/Madrid"
    )
    assert parsed.values.tolist() == [pd.Timestamp("2025-10-02")]


def test_typed_datetimes_pass_through():
    values = pd.Series(pd.to_datetime(["2025-01-01 10:00"]).tz_localize("UTC"))
    parsed = parse_dates(values, timezone="Europe/Madrid")
    assert str(parsed.values.dt.tz) == "Europe/Madrid"


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("ter., 5 de mai. de 2026", "2026-05-05"),  # Portuguese
        ("5 de mai. de 2026", "2026-05-05"),
        ("mar. 5 mai 2026", "2026-05-05"),  # French
        ("5 mai 2026", "2026-05-05"),
        ("1 juin 2026", "2026-06-01"),  # juin and juil. start alike
        ("1 juil. 2026", "2026-07-01"),
        ("Di., 5. Mai 2026", "2026-05-05"),  # German
        ("5. Mai 2026", "2026-05-05"),
        ("3. März 2026", "2026-03-03"),
        ("5 may. 2026", "2026-05-05"),  # Spanish
        ("martes, 5 de mayo de 2026", "2026-05-05"),
        ("Tue, May 5, 2026", "2026-05-05"),  # English
        ("Sept 3, 2025", "2025-09-03"),
        ("1 de out. de 2025", "2025-10-01"),
    ],
)
def test_month_and_weekday_names_of_five_ui_languages(cell, day):
    parsed = parse_dates(pd.Series([cell, "--"]), kind="date")
    assert parsed.values.iloc[0] == pd.Timestamp(day)
    assert parsed.values.isna().tolist() == [False, True]
    assert not parsed.invalid.any()


def test_a_weekday_that_is_not_the_dates_is_invalid():
    cells = ["Tue, May 5, 2026", "Wed, May 5, 2026", "qua., 5 de mai. de 2026"]
    cells += ["le 5 mai 2026", "5 Brumaire 2026"]  # a word that is no weekday/month
    parsed = parse_dates(pd.Series(cells), kind="date")
    assert parsed.invalid.tolist() == [False, True, True, True, True]
    assert "a date like" in parsed.expected


def test_timestamps_with_weekday_names():
    parsed = parse_dates(
        pd.Series(["qua., 6 de mai. de 2026 14:05", "Wed, May 6, 2026, 9:30 PM"]),
        timezone="UTC",
    )
    assert parsed.values.dt.strftime("%Y-%m-%d %H:%M").tolist() == [
        "2026-05-06 14:05",
        "2026-05-06 21:30",
    ]


_CELLS = (
    "2025-10-01", "01/10/2025", "13/10/2025", "Oct 1, 2025", "ter., 5 de mai. de 2026",
    "Wed, May 5, 2026", "31/02/2025", "20251001", "45931", "--", "", "not a date",
    "3000-01-01", "9999-12-31", "5. Mai 2026",
)  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(_CELLS), min_size=1, max_size=8))
def test_repeated_values_parse_once_as_each_row_would(cells):
    """A long column is parsed one distinct value at a time: same result as rows."""
    short = parse_dates(pd.Series(cells), kind="date")  # below the distinct size
    tiled = pd.Series(cells * 70, index=range(100, 100 + 70 * len(cells)))
    long = parse_dates(tiled, kind="date")  # 70 rows or more: one parse per value
    for field in ("values", "invalid", "outside", "placeholder"):
        got = getattr(long, field)
        assert got.index.equals(tiled.index)
        expected = pd.concat([getattr(short, field)] * 70, ignore_index=True)
        pd.testing.assert_series_equal(
            got.reset_index(drop=True), expected, check_names=False
        )
    assert (long.expected, long.dayfirst) == (short.expected, short.dayfirst)


def test_a_column_sorted_by_day_is_parsed_once_per_day():
    """An export sorted by day repeats each day on consecutive rows: evenly spaced
    values are all distinct, a run of rows is not; the result is the rows' own."""
    days = pd.date_range("2022-01-01", periods=1500, freq="D")
    distinct = pd.Series(days.strftime("%-m/%-d/%Y"))
    distinct[::7] = " " + distinct[::7] + " "  # blanks around some
    sorted_cells = pd.Series(np.repeat(distinct.to_numpy(), 8))
    assert repeats(pa.array(sorted_cells)) and not repeats(pa.array(distinct))
    each = parse_dates(distinct, kind="date", dayfirst=False)
    whole = parse_dates(sorted_cells, kind="date", dayfirst=False)
    expected = np.repeat(each.values.to_numpy(), 8)
    np.testing.assert_array_equal(whole.values.to_numpy(), expected)
    assert whole.values.iloc[8 * 7] == pd.Timestamp("2022-01-08")
    assert not whole.invalid.any() and whole.expected == each.expected
