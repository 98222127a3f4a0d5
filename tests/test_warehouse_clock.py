"""Periods cut on a backend by trees of comparisons equal the calendar's periods.

A timestamp's month, quarter, fiscal year, week or day on a backend is found by
comparing the stored value with the period starts of the data's span, turned into
instants in Python (:func:`leadkpi.warehouse.clock.steps`); time zones with odd
offsets, changes at midnight and clocks set back across a month start are where
that could go wrong, so hypothesis draws instants in them and pandas judges.
"""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadkpi.config import Config
from leadkpi.kpis.remote import RemoteGrain, _bucket
from leadkpi.warehouse import connect
from leadkpi.warehouse.clock import first_instants, steps

#: Daylight saving at midnight (Havana, Santiago, Beirut), half and quarter hours
#: (Kathmandu, Lord Howe), a skipped day (Apia), none (UTC, Kolkata), and a clock
#: set back across a month start (St John's, 2009-11-01 00:01 to 2009-10-31 23:01).
ZONES = [
    "America/St_Johns",
    "Europe/Madrid",
    "America/Havana",
    "America/Santiago",
    "Asia/Beirut",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Apia",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "UTC",
]
_LO = pd.Timestamp("1995-01-01", tz="UTC").value // 1000
_HI = pd.Timestamp("2035-01-01", tz="UTC").value // 1000


def _grain(zone: str, times: pd.Series, period: str, fiscal: int = 1) -> tuple:
    con = ibis.duckdb.connect()
    leads = pd.DataFrame(
        {"lead_id": [f"l{i}" for i in range(len(times))], "created_at": times}
    )
    con.create_table("leads", leads)
    data = connect(con, config=Config(timezone=zone, fiscal_year_start=fiscal))
    grain = RemoteGrain(data, period, [], "period", "lead", None, None)
    return data, grain


def _expected(local: pd.Series, period: str, fiscal: int) -> np.ndarray:
    local = local.dt.tz_localize(None)  # the wall clock
    months = (local.dt.year * 12 + local.dt.month - 1).to_numpy("int64")
    days = (local.dt.normalize() - pd.Timestamp(0)).dt.days.to_numpy("int64")
    return {
        "month": months,
        "quarter": (months - (fiscal - 1)) // 3,
        "year": (months - (fiscal - 1)) // 12,
        "day": days,
        "week": (days + 3) // 7,
    }[period]


@settings(max_examples=40, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    period=st.sampled_from(["month", "quarter", "year", "week", "day"]),
    fiscal=st.integers(1, 12),
    micros=st.lists(st.integers(_LO, _HI), min_size=1, max_size=40),
    near=st.booleans(),
)
def test_period_numbers_on_duckdb_are_the_calendars(zone, period, fiscal, micros, near):
    if near:  # a minute around each period start: where the cut is made
        start = pd.Timestamp(micros[0], unit="us", tz="UTC").tz_convert(zone)
        walls = pd.date_range(
            start.tz_localize(None).normalize(), periods=40, freq="MS"
        )
        instants = walls.tz_localize(zone, ambiguous=True, nonexistent="shift_forward")
        micros = [
            t.value // 1000 + shift
            for t in instants
            for shift in (-60_000_000, -1, 0, 1, 60_000_000)
        ]
    times = pd.Series(pd.to_datetime(micros, unit="us", utc=True)).dt.as_unit("us")
    data, grain = _grain(zone, times, period, fiscal)
    table = data.leads
    got = data.backend.to_pandas(
        table.select(table.lead_id, k=grain.index(table.created_at))
    )
    got = got.set_index("lead_id")["k"].reindex(table.lead_id.to_pandas())
    local = times.dt.tz_convert(zone)
    np.testing.assert_array_equal(
        got.to_numpy("int64"), _expected(local, period, fiscal)
    )


@settings(max_examples=25, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    period=st.sampled_from(["month", "quarter", "week"]),
    micros=st.lists(st.integers(_LO, _HI), min_size=2, max_size=30),
    first=st.integers(0, 20),
    periods=st.integers(1, 30),
)
def test_stock_buckets_clip_to_the_range(zone, period, micros, first, periods):
    times = pd.Series(pd.to_datetime(micros, unit="us", utc=True)).dt.as_unit("us")
    data, grain = _grain(zone, times, period)
    table = data.leads
    lowest = int(_expected(times.dt.tz_convert(zone), period, 1).min())
    first = lowest + first - 10
    got = data.backend.to_pandas(
        table.select(table.lead_id, b=_bucket(grain, table.created_at, first, periods))
    )
    got = got.set_index("lead_id")["b"].reindex(table.lead_id.to_pandas())
    number = _expected(times.dt.tz_convert(zone), period, 1) - first + 1
    np.testing.assert_array_equal(
        got.to_numpy("int64"), np.clip(number, 0, periods + 1)
    )


def test_a_clock_set_back_across_a_month_start_is_left_to_the_exact_cut():
    # St John's set its clock back from 2009-11-01 00:01 to 2009-10-31 23:01: the
    # count of month starts passed goes down again, so no tree is built
    walls = pd.DatetimeIndex(["2009-11-01"]).as_unit("us").asi8
    assert first_instants("America/St_Johns", walls) is None
    assert first_instants("America/St_Johns", walls + 3_600_000_000) is not None
    times = pd.Series(
        pd.to_datetime(["2009-11-01 02:30", "2009-11-01 02:40"], utc=True)
    )
    data, grain = _grain("America/St_Johns", times.dt.as_unit("us"), "month")
    table = data.leads
    got = data.backend.to_pandas(table.select(k=grain.index(table.created_at)))["k"]
    assert got.tolist() == [2009 * 12 + 10, 2009 * 12 + 9]


@pytest.mark.parametrize("zone", ["Europe/Madrid", "America/Santiago"])
def test_a_null_time_has_no_period(zone):
    times = pd.Series(pd.to_datetime(["2024-03-31 01:30", None], utc=True))
    data, grain = _grain(zone, times.dt.as_unit("us"), "month")
    walls = grain.start_of(np.arange(24290, 24300))
    expr = steps("duckdb", zone, data.leads.created_at, walls, np.arange(11))
    got = data.backend.to_pandas(data.leads.select(v=expr))["v"]
    assert got.isna().tolist() == [False, True]
