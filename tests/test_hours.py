"""Working seconds on a working-week calendar, worked out by hand."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadkpi.config import BusinessHours
from leadkpi.funnel.hours import business_seconds

MADRID = "Europe/Madrid"
HOURS = BusinessHours()  # Monday to Friday, 09:00-18:00


def _times(*values, tz=MADRID):
    return pd.Series(pd.to_datetime(list(values)).tz_localize(tz))


def _utc(*values):
    return _times(*values, tz="UTC").dt.tz_convert(MADRID)


def _between(start, end, hours=HOURS, timezone=MADRID):
    return business_seconds(_times(start), _times(end), hours, timezone)[0]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # same day, inside opening hours: 1 h 30 min
        ("2026-03-04 10:00", "2026-03-04 11:30", 5400.0),
        # overnight: Wed 17:00 -> Thu 10:00 = 1 h + 1 h
        ("2026-03-04 17:00", "2026-03-05 10:00", 7200.0),
        # over the weekend: Fri 17:00 -> Mon 10:00 = 1 h + 1 h
        ("2026-03-06 17:00", "2026-03-09 10:00", 7200.0),
        # created on Saturday, called on Monday 09:30: 30 min
        ("2026-03-07 11:00", "2026-03-09 09:30", 1800.0),
        # both outside opening hours on the same evening: 0
        ("2026-03-04 19:00", "2026-03-04 22:00", 0.0),
        # created at 07:00, called 09:15: only the 15 min after opening count
        ("2026-03-04 07:00", "2026-03-04 09:15", 900.0),
        # a whole working week, Monday 09:00 -> next Monday 09:00: 5 x 9 h
        ("2026-03-02 09:00", "2026-03-09 09:00", 5 * 9 * 3600.0),
        # across DST (29 March 2026): Fri 17:00 -> Mon 10:00 is still 2 h
        ("2026-03-27 17:00", "2026-03-30 10:00", 7200.0),
    ],
)
def test_working_seconds_by_hand(start, end, expected):
    assert _between(start, end) == expected


def test_holiday_is_a_day_off():
    hours = BusinessHours(holidays=(dt.date(2026, 3, 5),))
    # Wed 17:00 -> Fri 10:00 with Thursday off: 1 h + 1 h
    assert _between("2026-03-04 17:00", "2026-03-06 10:00", hours) == 7200.0
    # without the holiday Thursday's 9 h count too
    assert _between("2026-03-04 17:00", "2026-03-06 10:00") == 7200.0 + 9 * 3600


def test_calendar_in_another_timezone():
    new_york = BusinessHours(timezone="America/New_York")
    # 10:00 in Madrid is 04:00 in New York; 16:00 in Madrid is 10:00 there: 1 h
    assert _between("2026-03-04 10:00", "2026-03-04 16:00", new_york) == 3600.0
    # the same pair on Madrid hours: 6 h
    assert _between("2026-03-04 10:00", "2026-03-04 16:00") == 6 * 3600.0
    # timestamps given in UTC are converted first
    start = _times("2026-03-04 09:00", tz="UTC")  # 10:00 Madrid
    end = _times("2026-03-04 15:00", tz="UTC")  # 16:00 Madrid
    assert business_seconds(start, end, HOURS, MADRID)[0] == 6 * 3600.0


def test_missing_end_is_nan_and_backwards_is_negative():
    start = _times("2026-03-04 10:00", "2026-03-04 12:00", "2026-03-04 10:00")
    end = pd.Series([pd.NaT, "2026-03-04 10:00", pd.NaT], dtype="datetime64[ns]")
    end = end.dt.tz_localize(MADRID)
    out = business_seconds(start, end, HOURS, MADRID)
    assert np.isnan(out[0]) and np.isnan(out[2])
    assert out[1] == -7200.0


def test_empty_input():
    empty = pd.Series([], dtype=f"datetime64[ns, {MADRID}]")
    assert business_seconds(empty, empty, HOURS, MADRID).shape == (0,)


_instant = st.datetimes(
    min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2026, 12, 31)
)


@settings(max_examples=60, deadline=None)
@given(a=_instant, b=_instant, c=_instant)
def test_additive_antisymmetric_and_bounded(a, b, c):
    # instants in UTC: a naive time may not exist, or exist twice, in Madrid
    a, b, c = sorted([a, b, c])
    s = business_seconds(_utc(a, a, b), _utc(b, c, c), HOURS, MADRID)
    assert s[0] + s[2] == pytest.approx(s[1])
    assert s.min() >= 0
    assert s[1] <= (c - a).total_seconds() + 7200  # never more than the calendar
    back = business_seconds(_utc(c), _utc(a), HOURS, MADRID)[0]
    assert back == pytest.approx(-s[1])
