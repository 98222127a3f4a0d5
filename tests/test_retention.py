"""Retention matrix, cohort LTV, churn per period and LTV against CAC, by hand."""

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadkpi import LeadData, load
from leadkpi.exceptions import ArgumentError, LeadKPIError, LeadKPIWarning
from leadkpi.kpis.engine import compute
from leadkpi.retention import (
    CHURN_COLUMNS,
    COHORT_COLUMNS,
    CURVE_COLUMNS,
    LTV_COLUMNS,
    LTV_TABLE_COLUMNS,
    churn_table,
    cohort_ltv,
    ltv_table,
    retention_curve,
    retention_matrix,
)

NaN = np.nan


@pytest.fixture(scope="session")
def sample():
    return load("leadkpi.yaml")


def _leads(ids, channels):
    return pd.DataFrame(
        {
            "lead_id": ids,
            "created_at": ["2024-12-01T10:00:00Z"] * len(ids),
            "channel": channels,
        }
    )


@pytest.fixture
def small():
    """Six customers (UTC project), as of 15 April 2025 (March is the last full month).

    c1 x Jan, still active (100/month)     c4 x Feb, ended 5 Mar (100)
    c2 x Jan, ended 25 Jan (50)            c5 y Feb, still active (300)
    c3 y Jan, ended 10 Mar (200)           c6 lead unknown, 1 Mar, active (10)
    """
    customers = pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(1, 7)],
            "lead_id": ["a", "b", "c", "d", "e", "zz"],
            "started_at": [
                "2025-01-10T12:00:00Z",
                "2025-01-20T12:00:00Z",
                "2025-01-15T12:00:00Z",
                "2025-02-05T12:00:00Z",
                "2025-02-14T12:00:00Z",
                "2025-03-01T00:00:00Z",
            ],
            "ended_at": [
                None,
                "2025-01-25T12:00:00Z",
                "2025-03-10T12:00:00Z",
                "2025-03-05T12:00:00Z",
                None,
                None,
            ],
            "recurring_revenue": [100.0, 50.0, 200.0, 100.0, 300.0, 10.0],
        }
    )
    leads = _leads(list("abcde"), ["x", "x", "y", "x", "y"])
    return LeadData(leads=leads, customers=customers)


def _cohort_frame(rows, dims=(), extra=()):
    columns = [*dims, *COHORT_COLUMNS, *extra]
    frame = pd.DataFrame(rows, columns=columns)
    frame["cohort"] = pd.PeriodIndex(frame["cohort"], freq="M")
    frame["age"] = frame["age"].astype("int64")
    frame["size"] = frame["size"].astype("int64")
    frame["count"] = frame["count"].astype("float64")
    frame["value"] = frame["value"].astype("float64")
    frame["mature"] = frame["mature"].astype(bool)
    return frame


def test_retention_matrix_by_hand(small):
    got = retention_matrix(small, as_of="2025-04-15")
    expected = _cohort_frame(
        [
            ("2025-01", 0, 3, 2, 2 / 3, True),  # c2 ended in its start month
            ("2025-01", 1, 3, 2, 2 / 3, True),
            ("2025-01", 2, 3, 1, 1 / 3, True),  # c3 ended in March
            ("2025-01", 3, 3, NaN, NaN, False),  # April has not ended
            ("2025-02", 0, 2, 2, 1.0, True),
            ("2025-02", 1, 2, 1, 0.5, True),  # c4 churned in its first month
            ("2025-02", 2, 2, NaN, NaN, False),
            ("2025-02", 3, 2, NaN, NaN, False),
            ("2025-03", 0, 1, 1, 1.0, True),
            ("2025-03", 1, 1, NaN, NaN, False),
            ("2025-03", 2, 1, NaN, NaN, False),
            ("2025-03", 3, 1, NaN, NaN, False),
        ]
    )
    pdt.assert_frame_equal(got, expected)


def test_retention_matrix_by_channel_through_the_lead(small):
    got = retention_matrix(small, by=("channel",), max_age=1, as_of="2025-04-15")
    expected = _cohort_frame(
        [
            ("(not set)", "2025-03", 0, 1, 1, 1.0, True),  # lead unknown
            ("(not set)", "2025-03", 1, 1, NaN, NaN, False),
            ("x", "2025-01", 0, 2, 1, 0.5, True),
            ("x", "2025-01", 1, 2, 1, 0.5, True),
            ("x", "2025-02", 0, 1, 1, 1.0, True),
            ("x", "2025-02", 1, 1, 0, 0.0, True),
            ("y", "2025-01", 0, 1, 1, 1.0, True),
            ("y", "2025-01", 1, 1, 1, 1.0, True),
            ("y", "2025-02", 0, 1, 1, 1.0, True),
            ("y", "2025-02", 1, 1, 1, 1.0, True),
        ],
        dims=("channel",),
    )
    pdt.assert_frame_equal(got, expected)


def test_as_of_defaults_to_the_latest_timestamp(small):
    # the latest timestamp is c3's end on 10 March: March has not ended
    got = retention_matrix(small)
    assert not got["mature"][got["cohort"] == pd.Period("2025-03")].any()
    assert got["age"].max() == 2  # January to March


def test_as_of_in_another_timezone_is_read_in_project_time(small):
    # 31 March 23:30 in New York is 1 April in UTC: March has ended
    got = retention_matrix(
        small, as_of=pd.Timestamp("2025-03-31 23:30", tz="America/New_York")
    )
    assert got.loc[got["cohort"] == pd.Period("2025-03"), "mature"].iloc[0]


def test_cohort_ltv_by_hand(small):
    got = cohort_ltv(small, as_of="2025-04-15", max_age=2)
    expected = _cohort_frame(
        [
            ("2025-01", 0, 3, 2, 300 / 3, True, 300.0),  # c1 + c3 paid January
            ("2025-01", 1, 3, 2, 600 / 3, True, 600.0),
            ("2025-01", 2, 3, 1, 700 / 3, True, 700.0),  # c3 gone in March
            ("2025-02", 0, 2, 2, 400 / 2, True, 400.0),
            ("2025-02", 1, 2, 1, 700 / 2, True, 700.0),
            ("2025-02", 2, 2, NaN, NaN, False, NaN),
            ("2025-03", 0, 1, 1, 10.0, True, 10.0),
            ("2025-03", 1, 1, NaN, NaN, False, NaN),
            ("2025-03", 2, 1, NaN, NaN, False, NaN),
        ],
        extra=("revenue",),
    )
    pdt.assert_frame_equal(got, expected)
    assert tuple(got.columns) == LTV_COLUMNS


def test_retention_curve_pools_mature_cells(small):
    got = retention_curve(small, as_of="2025-04-15")
    expected = pd.DataFrame(
        {
            "age": np.array([0, 1, 2], dtype="int64"),
            "cohorts": np.array([3, 2, 1], dtype="int64"),
            "size": np.array([6, 5, 3], dtype="int64"),
            "count": [5.0, 3.0, 1.0],
            "value": [5 / 6, 3 / 5, 1 / 3],
        }
    )
    pdt.assert_frame_equal(got, expected)


def test_chained_curve_multiplies_month_to_month_retention(small):
    got = retention_curve(small, as_of="2025-04-15", method="chained")
    # age 0: 5 of 6; age 1: Jan + Feb kept 3 of the 4 active at age 0; age 2: 1 of 2
    np.testing.assert_allclose(got["value"], [5 / 6, 5 / 6 * 3 / 4, 5 / 6 * 3 / 4 / 2])
    assert got["size"].tolist() == [6, 5, 3]
    with pytest.raises(ArgumentError, match="method"):
        retention_curve(small, method="mean")


def test_empty_customers_give_empty_tables_with_columns(small):
    empty = small.with_tables(customers=small.customers.iloc[0:0])
    matrix = retention_matrix(empty, by="channel")
    assert list(matrix.columns) == ["channel", *COHORT_COLUMNS] and matrix.empty
    assert matrix["cohort"].dtype == pd.PeriodDtype("M")
    assert list(cohort_ltv(empty).columns) == list(LTV_COLUMNS)
    assert list(retention_curve(empty).columns) == list(CURVE_COLUMNS)
    table = ltv_table(empty)
    assert list(table.columns) == ["channel", *LTV_TABLE_COLUMNS] and table.empty


def test_no_customers_table_is_a_clear_error(small):
    absent = small.with_tables(customers=None)
    for function in (retention_matrix, cohort_ltv, retention_curve, ltv_table):
        with pytest.raises(LeadKPIError, match="needs the customers table"):
            function(absent)
    churn = churn_table(absent, by=())
    assert churn["reason"].tolist() == ["needs the customers table"]
    assert np.isnan(churn["churn_rate"].iloc[0])


def test_bad_arguments_are_named(small):
    with pytest.raises(ArgumentError, match="period grain"):
        retention_matrix(small, by=("month",))
    with pytest.raises(ArgumentError, match="max_age"):
        retention_matrix(small, max_age=-1)
    with pytest.raises(ArgumentError, match="horizon"):
        ltv_table(small, horizon=0)
    with pytest.raises(
        LeadKPIError, match="by='region' is not a column of the customers"
    ):
        retention_matrix(small, by="region")


def test_missing_start_is_reported_not_dropped_silently(small):
    customers = small.customers.copy()
    customers.loc[0, "started_at"] = pd.NaT
    with pytest.warns(LeadKPIWarning, match="1 customer"):
        got = retention_matrix(
            small.with_tables(customers=customers), as_of="2025-04-15"
        )
    assert got.loc[got["cohort"] == pd.Period("2025-01"), "size"].iloc[0] == 2


def _quarter_customers():
    """The catalogue's churn example: 50 active at the start of 2025Q1, 20 still
    active at its end; 5 more won during the quarter, one of them lost in it."""
    started = ["2024-12-10T12:00:00Z"] * 50 + ["2025-02-10T12:00:00Z"] * 5
    ended = ["2025-02-20T12:00:00Z"] * 30 + [None] * 20
    ended += ["2025-03-20T12:00:00Z"] + [None] * 4
    return pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(55)],
            "lead_id": [f"l{i}" for i in range(55)],
            "started_at": started,
            "ended_at": ended,
            "recurring_revenue": 20.0,
        }
    )


def test_churn_table_reproduces_the_catalogue_example():
    data = LeadData(customers=_quarter_customers())
    got = churn_table(data, by="quarter", start="2025Q1", end="2025Q1")
    assert list(got.columns) == ["quarter", *CHURN_COLUMNS]
    row = got.iloc[0]
    assert str(row["quarter"]) == "2025Q1"
    assert (row["customers_at_start"], row["lost"]) == (50.0, 30.0)
    assert row["churn_rate"] == pytest.approx(0.6)
    assert row["retention_rate"] == pytest.approx(0.4)
    assert row["ci_low"] < 0.6 < row["ci_high"]


def test_churn_table_reuses_the_engine_counts(sample):
    got = churn_table(sample, by=("month", "channel"), start="2026-01")
    engine = compute(sample, "churn_rate", by=("month", "channel"), start="2026-01")
    np.testing.assert_array_equal(got["lost"], engine["numerator"])
    np.testing.assert_array_equal(got["customers_at_start"], engine["denominator"])
    np.testing.assert_allclose(got["churn_rate"] + got["retention_rate"], 1.0)


def _subscription(n=36, churned=1):
    """n customers at 20 €/month from 10 January, ``churned`` of them lost in
    February: monthly churn 1/36 -> 36 months -> 20 x 12 x 3 = 720 €."""
    customers = pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(n)],
            "lead_id": [f"l{i}" for i in range(n)],
            "started_at": "2025-01-10T12:00:00Z",
            "ended_at": ["2025-02-15T12:00:00Z"] * churned + [None] * (n - churned),
            "recurring_revenue": 20.0,
        }
    )
    leads = _leads([f"l{i}" for i in range(n)], ["x"] * n).assign(
        won_at="2025-01-05T12:00:00Z"
    )
    spend = pd.DataFrame({"date": ["2024-12-05"], "channel": ["x"], "cost": [7200.0]})
    return LeadData(leads=leads, customers=customers, spend=spend)


def test_ltv_formula_reproduces_the_catalogue_example():
    data = _subscription()
    got = ltv_table(data, horizon=1)
    assert list(got.columns) == ["channel", *LTV_TABLE_COLUMNS]
    row = got.iloc[0]
    assert row["channel"] == "x" and row["customers"] == 36
    assert row["arpa"] == pytest.approx(20.0)
    assert row["monthly_churn"] == pytest.approx(1 / 36)
    assert row["ltv_formula"] == pytest.approx(720.0)
    engine = compute(data, "ltv", by="month", start="2025-02", end="2025-02")
    assert engine["value"].iloc[0] == pytest.approx(row["ltv_formula"])
    assert row["cac"] == pytest.approx(200.0)  # 7,200 / 36 won leads
    assert row["ltv_to_cac_formula"] == pytest.approx(3.6)
    # as of 15 February only January has ended: 36 x 20 over 36 customers
    assert (row["mature_customers"], row["ltv_empirical"]) == (36, 20.0)
    assert row["ltv_to_cac_empirical"] == pytest.approx(0.1)


def test_ltv_without_churn_has_no_formula_value():
    data = _subscription(churned=0)
    row = ltv_table(data, by=(), horizon=1).iloc[0]
    # the latest timestamp is a January start: January has not ended yet
    assert np.isnan(row["ltv_formula"]) and np.isnan(row["ltv_empirical"])
    row = ltv_table(data, by=(), horizon=1, as_of="2025-02-01").iloc[0]
    assert np.isnan(row["ltv_formula"]) and row["ltv_empirical"] == 20.0


def test_ltv_table_range_by_hand(small):
    got = ltv_table(small, start="2025-02", horizon=1, as_of="2025-04-15")
    assert got["channel"].tolist() == ["(not set)", "x", "y"]  # as the engine sorts
    # cohorts from February on: (not set) c6, x c4, y c5
    assert got["customers"].tolist() == [1, 1, 1]
    np.testing.assert_allclose(got["ltv_empirical"], [10.0, 100.0, 300.0])
    # months February and March pooled: x has c1 at both starts and c4 at March's,
    # c4 lost in March -> 300 / 3 customer-months = 100, churn 1/3, LTV 300
    # (not set): c6 starts in March, so it is at no month's start
    np.testing.assert_allclose(got["arpa"], [NaN, 100.0, 700 / 3])
    np.testing.assert_allclose(got["monthly_churn"], [NaN, 1 / 3, 1 / 3])
    np.testing.assert_allclose(got["ltv_formula"], [NaN, 300.0, 700.0])
    assert got["cac"].isna().all()  # no spend table


def test_paid_social_churns_several_times_faster(sample):
    table = ltv_table(sample).set_index("channel")
    churn = table["monthly_churn"]
    assert churn["paid_social"] > 2.5 * churn.drop("paid_social").max()
    curve = retention_curve(sample, by="channel", max_age=6)
    at6 = curve[curve["age"] == 6].set_index("channel")["value"]
    assert at6["paid_social"] < 0.5 * at6.drop("paid_social").median()


_day = st.integers(min_value=0, max_value=500)


@st.composite
def _customer_rows(draw):
    n = draw(st.integers(min_value=1, max_value=12))
    base = pd.Timestamp("2025-01-01", tz="UTC")
    starts = [base + pd.Timedelta(days=draw(_day), hours=7) for _ in range(n)]
    ends = [
        s + pd.Timedelta(days=d, hours=1)
        if (d := draw(st.none() | _day)) is not None
        else pd.NaT
        for s in starts
    ]
    revenue = [draw(st.floats(min_value=0, max_value=1e4)) for _ in range(n)]
    return pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(n)],
            "lead_id": [f"l{i}" for i in range(n)],
            "started_at": starts,
            "ended_at": pd.Series(ends, dtype="datetime64[ns, UTC]"),
            "recurring_revenue": revenue,
        }
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_customer_rows())
def test_cohort_invariants(customers):
    data = LeadData(customers=customers)
    matrix = retention_matrix(data)
    ltv = cohort_ltv(data)
    mature = matrix[matrix["mature"]]
    assert mature["value"].between(0, 1).all()
    assert matrix.loc[~matrix["mature"], "value"].isna().all()
    steps = mature.groupby("cohort")["count"].diff().dropna()
    assert (steps <= 0).all()
    grown = ltv[ltv["mature"]].groupby("cohort")["value"].diff().dropna()
    assert (grown >= -1e-9).all()
    assert matrix["size"].groupby(matrix["cohort"]).first().sum() == len(customers)
