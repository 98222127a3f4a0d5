"""Time between stages, worked out by hand on eight leads."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadkpi import LeadData
from leadkpi.config import Config
from leadkpi.exceptions import ArgumentError
from leadkpi.funnel.durations import (
    DURATION_COLUMNS,
    stage_durations,
    time_between,
)
from leadkpi.kpis.engine import compute

HOUR = 3600.0


@pytest.fixture
def data():
    """MQL → SQL gaps (cohort month by created_at in Madrid):

    January: a x 2 h, b x 4 h, c y 24 h (SQL on 1 Feb), d x SQL 1 h *before* MQL
    February: e x 1 h, h y 6 h (created 31 Jan 23:30 UTC = 1 Feb in Madrid),
    f y skipped MQL, g x no SQL yet.
    """
    leads = pd.DataFrame(
        {
            "lead_id": list("abcdefgh"),
            "created_at": [
                "2025-01-05T10:00:00Z",
                "2025-01-10T10:00:00Z",
                "2025-01-15T10:00:00Z",
                "2025-01-20T10:00:00Z",
                "2025-02-01T09:00:00Z",
                "2025-02-03T09:00:00Z",
                "2025-02-04T09:00:00Z",
                "2025-01-31T23:30:00Z",
            ],
            "channel": ["x", "x", "y", "x", "x", "y", "x", "y"],
            "mql_at": [
                "2025-01-06T10:00:00Z",
                "2025-01-11T10:00:00Z",
                "2025-01-31T10:00:00Z",
                "2025-01-21T10:00:00Z",
                "2025-02-02T10:00:00Z",
                None,
                "2025-02-05T10:00:00Z",
                "2025-02-01T10:00:00Z",
            ],
            "sql_at": [
                "2025-01-06T12:00:00Z",
                "2025-01-11T14:00:00Z",
                "2025-02-01T10:00:00Z",
                "2025-01-21T09:00:00Z",
                "2025-02-02T11:00:00Z",
                "2025-02-04T09:00:00Z",
                None,
                "2025-02-01T16:00:00Z",
            ],
        }
    )
    return LeadData(leads=leads, config=Config(timezone="Europe/Madrid"))


def _expected(keys, rows):
    columns = [*keys, "count", "median", "p25", "p75", "p90", "mean", "negative"]
    out = pd.DataFrame(rows, columns=columns)
    out.insert(len(keys), "from_stage", "mql")
    out.insert(len(keys) + 1, "to_stage", "sql")
    out["reason"] = pd.Series([None] * len(out), dtype=object)
    return out.astype({"count": "int64", "negative": "int64"})[
        [*keys, *DURATION_COLUMNS]
    ]


def test_cohort_by_month(data):
    got = time_between(data, "mql", "sql", by="month")
    expected = _expected(
        ["month"],
        [
            # January: 2 h, 4 h, 24 h; d's SQL precedes its MQL
            [pd.Period("2025-01", "M"), 3, 4 * HOUR, 3 * HOUR, 14 * HOUR,
             20 * HOUR, 10 * HOUR, 1],
            # February: 1 h and 6 h (h is a February lead in Madrid)
            [pd.Period("2025-02", "M"), 2, 3.5 * HOUR, 2.25 * HOUR, 4.75 * HOUR,
             5.5 * HOUR, 3.5 * HOUR, 0],
        ],
    )  # fmt: skip
    pd.testing.assert_frame_equal(got, expected)


def test_period_mode_dates_by_the_later_stage(data):
    got = time_between(data, "mql", "sql", by="month", mode="period")
    # c reached SQL on 1 February: a February duration in period mode
    assert got["count"].tolist() == [2, 3]
    assert got["negative"].tolist() == [1, 0]
    assert got["median"].tolist() == [3 * HOUR, 6 * HOUR]
    assert got["p90"].iloc[1] == pytest.approx(6 * HOUR + 0.8 * 18 * HOUR)
    assert got["mean"].iloc[1] == pytest.approx(31 * HOUR / 3)


def test_by_month_and_channel_and_a_window(data):
    got = time_between(data, "mql", "sql", by=("channel", "month"), end="2025-01")
    expected = _expected(
        ["month", "channel"],
        [
            [pd.Period("2025-01", "M"), "x", 2, 3 * HOUR, 2.5 * HOUR, 3.5 * HOUR,
             3.8 * HOUR, 3 * HOUR, 1],
            [pd.Period("2025-01", "M"), "y", 1, 24 * HOUR, 24 * HOUR, 24 * HOUR,
             24 * HOUR, 24 * HOUR, 0],
        ],
    )  # fmt: skip
    pd.testing.assert_frame_equal(got, expected)


def test_a_cell_with_only_backwards_dates_is_kept_and_explained(data):
    leads = data.leads.iloc[[3]]  # d only
    got = time_between(data.with_tables(leads=leads), "mql", "sql", by="channel")
    assert got[["channel", "count", "negative"]].values.tolist() == [["x", 0, 1]]
    assert np.isnan(got["median"].iloc[0])
    assert got["reason"].iloc[0] == "every sql is dated before its mql"


def test_empty_selection_has_the_columns_and_dtypes(data):
    got = time_between(data, "mql", "sql", by=("month", "channel"), start="2030-01")
    assert list(got.columns) == ["month", "channel", *DURATION_COLUMNS]
    assert len(got) == 0
    assert got["count"].dtype == "int64" and got["median"].dtype == "float64"
    assert isinstance(got["month"].dtype, pd.PeriodDtype)


def test_missing_column_gives_a_reason(data):
    got = time_between(data.with_tables(leads=data.leads.drop(columns="sql_at")),
                       "mql", "sql")  # fmt: skip
    assert got["reason"].tolist() == ["the leads table has no sql_at column"]
    assert got["count"].tolist() == [0]


def test_elapsed_time_across_a_clock_change(data):
    leads = pd.DataFrame(
        {
            "lead_id": ["a"],
            "created_at": ["2025-03-29T11:00:00Z"],
            # 12:00 in Madrid on the Saturday and on the Sunday clocks went forward
            "mql_at": ["2025-03-29T11:00:00Z"],
            "sql_at": ["2025-03-30T10:00:00Z"],
        }
    )
    got = time_between(LeadData(leads=leads, config=data.config), "mql", "sql")
    assert got["median"].tolist() == [23 * HOUR]


def test_fiscal_quarters_and_a_raw_column(data):
    fiscal = LeadData(
        leads=data.leads, config=Config(timezone="Europe/Madrid", fiscal_year_start=2)
    )
    got = time_between(fiscal, "mql_at", "sql_at", by="quarter")
    # fiscal year from February: January closes the previous year's last quarter
    assert got["quarter"].astype(str).tolist() == ["2025Q4", "2026Q1"]
    assert got["count"].tolist() == [3, 2]
    assert got[["from_stage", "to_stage"]].iloc[0].tolist() == ["mql_at", "sql_at"]


def test_unknown_stage_is_named(data):
    with pytest.raises(ArgumentError, match="unknown stage 'demo'"):
        time_between(data, "mql", "demo")
    with pytest.raises(ArgumentError, match="mode=.* is not a counting mode"):
        time_between(data, "mql", "sql", mode="cohorts")


def test_stage_durations_stacks_consecutive_pairs(data):
    stages = (("lead", "created_at"), ("mql", "mql_at"), ("sql", "sql_at"))
    got = stage_durations(data, by="month", stages=stages)
    assert list(zip(got["month"].astype(str), got["from_stage"], strict=True)) == [
        ("2025-01", "lead"),
        ("2025-01", "mql"),
        ("2025-02", "lead"),
        ("2025-02", "mql"),
    ]
    # lead → MQL in January: a 24 h, b 24 h, c 16 days, d 24 h
    january = got.iloc[0]
    assert january["count"] == 4 and january["median"] == 24 * HOUR
    mql_sql = time_between(data, "mql", "sql", by="month")
    pd.testing.assert_frame_equal(
        got[got["from_stage"] == "mql"].reset_index(drop=True), mql_sql
    )


def test_stage_durations_empty(data):
    stages = (("lead", "created_at"), ("mql", "mql_at"), ("sql", "sql_at"))
    got = stage_durations(data, by="channel", start="2030-01", stages=stages)
    assert list(got.columns) == ["channel", *DURATION_COLUMNS] and got.empty


@pytest.fixture(scope="module")
def sample():
    from leadkpi import load

    return load("leadkpi.yaml")


def test_median_matches_the_engine(sample):
    got = time_between(sample, "lead", "customer", by=("quarter", "channel"))
    engine = compute(sample, "time_to_conversion", by=("quarter", "channel"))
    merged = got.merge(engine, on=["quarter", "channel"])
    assert len(merged) == len(got)
    np.testing.assert_allclose(merged["median"], merged["value"])
    assert (merged["count"] == merged["n"]).all()


@settings(max_examples=40, deadline=None)
@given(
    gaps=st.lists(st.integers(-5 * 86400, 30 * 86400), min_size=1, max_size=30),
    seed=st.integers(0, 1000),
)
def test_invariants(gaps, seed):
    rng = np.random.default_rng(seed)
    created = pd.Timestamp("2025-01-01", tz="UTC") + pd.to_timedelta(
        rng.integers(0, 90 * 86400, len(gaps)), unit="s"
    )
    leads = pd.DataFrame(
        {
            "lead_id": [str(i) for i in range(len(gaps))],
            "created_at": created,
            "won_at": created + pd.to_timedelta(gaps, unit="s"),
            "channel": rng.choice(["x", "y"], len(gaps)),
        }
    )
    got = time_between(LeadData(leads=leads), by=("month", "channel"))
    assert got["count"].sum() + got["negative"].sum() == len(gaps)
    assert got["negative"].sum() == sum(g < 0 for g in gaps)
    stats = got[got["count"] > 0]
    assert (stats["p25"] <= stats["median"]).all()
    assert (stats["median"] <= stats["p75"]).all()
    assert (stats["p75"] <= stats["p90"]).all()
    assert (stats["p25"] >= 0).all()
