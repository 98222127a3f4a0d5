"""Cohort conversion matrix and time-to-stage curves, by hand."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from leadkpi import LeadData, load
from leadkpi.exceptions import ArgumentError
from leadkpi.funnel import (
    COHORT_COLUMNS,
    TIME_TO_STAGE_COLUMNS,
    cohort_matrix,
    time_to_stage,
)

Z = 1.959963984540054


@pytest.fixture(scope="session")
def sample():
    from pathlib import Path

    return load(Path(__file__).resolve().parents[1] / "leadkpi.yaml")


def test_matrix_by_hand(small_leads):
    # customers: a (created January, won 10 February: age 1), d (created and won in
    # February: age 0). January cohort a, b, c (3); February d..h (5).
    # As of 15 April a cohort has lived through month m + age when that is before
    # April: January ages 0-2, February ages 0-1.
    got = cohort_matrix(LeadData(leads=small_leads), as_of="2025-04-15")
    expected = pd.DataFrame(
        {
            "cohort": pd.PeriodIndex(["2025-01"] * 4 + ["2025-02"] * 4, freq="M"),
            "age": [0, 1, 2, 3] * 2,
            "size": [3] * 4 + [5] * 4,
            "count": [0.0, 1, 1, 1, 1, 1, 1, 1],
            "value": [0, 1 / 3, 1 / 3, np.nan, 0.2, 0.2, np.nan, np.nan],
            "mature": [True, True, True, False, True, True, False, False],
        }
    )
    assert_frame_equal(got[list(expected.columns)], expected)
    assert list(got.columns) == list(COHORT_COLUMNS)
    assert (got["skipped"] == 0).all() and got["reason"].isna().all()


def test_default_as_of_is_the_latest_date(small_leads):
    # latest timestamp: h created 28 February 23:30 → February is not lived through
    got = cohort_matrix(LeadData(leads=small_leads))
    assert got["age"].tolist() == [0, 1, 0, 1]
    assert got["mature"].tolist() == [True, False, False, False]
    assert got["value"].iloc[0] == 0 and got["value"].iloc[1:].isna().all()


def test_matrix_by_channel_with_skipped_stage(small_leads):
    # opportunity: a and d were won without an opportunity date: counted via the win
    got = cohort_matrix(
        LeadData(leads=small_leads), "opportunity", by=("channel",),
        as_of="2025-04-15", max_age=1,
    )  # fmt: skip
    x = got[got["channel"] == "x"]
    assert x["size"].tolist() == [2, 2, 2, 2]  # a, b | d, e
    assert x["count"].tolist() == [0, 1, 1, 1]
    assert x["skipped"].tolist() == [0, 1, 1, 1]
    assert x["value"].tolist() == [0, 0.5, 0.5, 0.5]
    off = cohort_matrix(
        LeadData(leads=small_leads), "opportunity", cumulative=False,
        as_of="2025-04-15",
    )  # fmt: skip
    assert (off["count"] == 0).all()


def test_matrix_flags_before_creation_and_future():
    leads = pd.DataFrame(
        {
            "lead_id": ["p", "q"],
            "created_at": ["2025-01-10T00:00:00Z", "2025-01-12T00:00:00Z"],
            "mql_at": ["2025-01-05T00:00:00Z", "2025-05-01T00:00:00Z"],
        }
    )
    got = cohort_matrix(LeadData(leads=leads), "mql", as_of="2025-03-01")
    # p's MQL is before its creation: counted at age 0; q's is after as_of
    assert got["count"].tolist() == [1, 1, 1]
    assert got["before_created"].tolist() == [1, 1, 1]
    assert got["future"].tolist() == [1, 1, 1]
    assert got["value"].tolist()[:2] == [0.5, 0.5] and got["mature"].tolist() == [
        True, True, False,
    ]  # fmt: skip


def test_empty_matrix_and_bad_arguments(small_leads):
    data = LeadData(leads=small_leads)
    empty = cohort_matrix(data, by=("channel",), start="2030-01")
    assert empty.empty and list(empty.columns) == ["channel", *COHORT_COLUMNS]
    with pytest.raises(ArgumentError, match="stage='won' is not a configured stage"):
        cohort_matrix(data, "won")
    with pytest.raises(ArgumentError, match="owner"):
        cohort_matrix(data, by=("owner",))


def test_missing_stage_column_is_a_reason(small_leads):
    data = LeadData(leads=small_leads.drop(columns="opportunity_at"))
    got = cohort_matrix(data, "opportunity", as_of="2025-03-15")
    assert got["count"].isna().all()
    assert set(got["reason"]) == {"the leads table has no opportunity_at column"}


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 200), st.one_of(st.none(), st.integers(-10, 300))),
        min_size=1,
        max_size=30,
    )
)
def test_matrix_counts_never_decrease_and_values_are_shares(rows):
    start = pd.Timestamp("2025-01-01", tz="UTC")
    created = [start + pd.Timedelta(days=c) for c, _ in rows]
    won = [
        None if w is None else str(c + pd.Timedelta(days=w))
        for c, (_, w) in zip(created, rows, strict=True)
    ]
    leads = pd.DataFrame(
        {
            "lead_id": [str(i) for i in range(len(rows))],
            "created_at": [str(c) for c in created],
            "won_at": won,
        }
    )
    got = cohort_matrix(LeadData(leads=leads), as_of="2025-09-01")
    for _, cohort in got.groupby("cohort"):
        assert (np.diff(cohort["count"].to_numpy()) >= 0).all()
        assert (np.diff(cohort["mature"].to_numpy().astype(int)) <= 0).all()
    values = got["value"].dropna()
    assert ((values >= 0) & (values <= 1)).all()
    assert got.loc[~got["mature"], "value"].isna().all()


def test_sample_older_cohorts_convert_and_recent_ones_are_not_yet_mature(sample):
    matrix = cohort_matrix(sample, "customer", max_age=6)
    old = matrix[matrix["cohort"] == pd.Period("2025-03", "M")]
    assert old["mature"].all() and old["value"].iloc[-1] > 0.01
    recent = matrix[matrix["cohort"] == pd.Period("2026-09", "M")]
    assert recent["mature"].tolist() == [True] + [False] * 6
    assert recent["value"].iloc[1:].isna().all()  # never shown as a low rate


# --- time to stage ------------------------------------------------------------

DAY = pd.Timedelta(days=1)
T0 = pd.Timestamp("2025-01-01", tz="UTC")


@pytest.fixture
def followed() -> LeadData:
    """Seven leads followed until 31 January (30 days after 1 January)."""
    created = [T0, T0, T0, T0 + 24 * DAY, T0 + 27 * DAY, T0, T0]
    won = [T0 + 2 * DAY, T0 + 2 * DAY, T0 + 5.5 * DAY, None, None, None, None]
    lost = [None] * 6 + [T0 + 4 * DAY]
    text = [None if t is None else str(t) for t in won]
    return LeadData(
        leads=pd.DataFrame(
            {
                "lead_id": [f"L{i}" for i in range(1, 8)],
                "created_at": [str(t) for t in created],
                "won_at": text,
                "lost_at": [None if t is None else str(t) for t in lost],
            }
        )
    )


def _loglog(s, var):
    # interval for S on the log(-log) scale, as Greenwood: exp(-exp(θ ± z·se))
    theta = math.log(-math.log(s))
    se = math.sqrt(var) / abs(math.log(s))
    return math.exp(-math.exp(theta + Z * se)), math.exp(-math.exp(theta - Z * se))


def test_kaplan_meier_by_hand(followed):
    curve = time_to_stage(followed, as_of="2025-01-31")
    # L1, L2 won on day 2 (a tie); L3 after 5.5 days → day 6; L4 (created 25 Jan)
    # open for 6 days → censored on day 6; L5 (28 Jan) censored on day 3; L6 and
    # L7 (lost, but lost_at is not followed here) censored on day 30.
    # day 2: n 7, d 2 → S = 5/7; day 3: n 5, one censored; day 6: n 4 (L3, L4,
    # L6, L7), d 1 → S = 5/7 · 3/4 = 15/28; day 30: n 2, both censored.
    assert list(curve.columns) == list(TIME_TO_STAGE_COLUMNS)
    assert curve["days"].tolist() == [2, 3, 6, 30]
    assert curve["at_risk"].tolist() == [7, 5, 4, 2]
    assert curve["events"].tolist() == [2, 0, 1, 0]
    assert curve["censored"].tolist() == [0, 1, 1, 2]
    np.testing.assert_allclose(curve["reached"], [2 / 7, 2 / 7, 13 / 28, 13 / 28])
    # Greenwood: Σ d / (n (n − d)) = 2/35 on day 2, 2/35 + 1/12 from day 6
    low, high = _loglog(15 / 28, 2 / 35 + 1 / 12)
    assert curve["ci_low"].iloc[2] == pytest.approx(1 - high)
    assert curve["ci_high"].iloc[2] == pytest.approx(1 - low)
    low, high = _loglog(5 / 7, 2 / 35)
    assert curve["ci_low"].iloc[0] == pytest.approx(1 - high)


def test_aalen_johansen_by_hand(followed):
    curve = time_to_stage(followed, as_of="2025-01-31", competing="lost_at")
    # L7 lost on day 4 can no longer convert. Both outcomes: day 2 n 7, d 2 →
    # S = 5/7; day 3 one censored; day 4 n 4, L7 lost → S = 15/28; day 6 n 3, L3
    # won, L4 censored → F = 2/7 + S(6⁻) · 1/3 = 2/7 + 15/28 · 1/3 = 13/28.
    assert curve["days"].tolist() == [2, 3, 4, 6, 30]
    assert curve["at_risk"].tolist() == [7, 5, 4, 3, 1]
    assert curve["competing"].tolist() == [0, 0, 1, 0, 0]
    np.testing.assert_allclose(
        curve["reached"], [2 / 7, 2 / 7, 2 / 7, 13 / 28, 13 / 28]
    )
    # delta method on day 2: only the second term, S(0)² d1 (n − d1) / n³ = 10/343
    var = 2 * 5 / 7**3
    theta = math.log(-math.log(2 / 7))
    se = math.sqrt(var) / abs(2 / 7 * math.log(2 / 7))
    assert curve["ci_low"].iloc[0] == pytest.approx(math.exp(-math.exp(theta + Z * se)))
    assert (curve["ci_low"] <= curve["reached"]).all()
    assert (curve["reached"] <= curve["ci_high"]).all()
    # treating the loss as censoring on day 4 would give 1 − 5/7 · 2/3 = 11/21
    assert curve["reached"].iloc[-1] < 11 / 21


def test_time_to_stage_by_group_and_empty(followed):
    leads = followed.leads.assign(channel=["x", "x", "y", "y", "y", "x", "x"])
    curve = time_to_stage(followed.with_tables(leads=leads), by=("channel",),
                          as_of="2025-01-31")  # fmt: skip
    assert curve.groupby("channel")["events"].sum().to_dict() == {"x": 2, "y": 1}
    empty = time_to_stage(followed, as_of="2024-01-01")
    assert empty.empty and list(empty.columns) == list(TIME_TO_STAGE_COLUMNS)
    # only leads created in the selected months are followed
    january = time_to_stage(
        followed, as_of="2025-01-31", start="2025-01", end="2025-01"
    )
    assert january["at_risk"].iloc[0] == 7
    later = time_to_stage(followed, as_of="2025-01-31", start="2025-02")
    assert later.empty and list(later.columns) == list(TIME_TO_STAGE_COLUMNS)
    with pytest.raises(ArgumentError, match="competing='closed_at'"):
        time_to_stage(followed, competing="closed_at")


def test_sample_curve_shows_competing_losses(sample):
    km = time_to_stage(sample, "customer")
    aj = time_to_stage(sample, "customer", competing="lost_at")
    assert aj["reached"].iloc[-1] <= km["reached"].iloc[-1] + 1e-12
    assert aj["reached"].is_monotonic_increasing


def test_sample_curves_show_channels_apart(sample):
    curve = time_to_stage(sample, "customer", by=("channel",))
    end = curve.groupby("channel")["reached"].last()
    assert end["events"] > end["paid_search"] > end["paid_social"]
