"""Dates and timestamps in any common export format, a column at a time."""

from __future__ import annotations

import pandas as pd
import pytest

from leadkpi.io.dates import parse_dates


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
