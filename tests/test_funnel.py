"""Funnel stage counts and conversions, by hand."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from leadkpi import LeadData, compute
from leadkpi.exceptions import ArgumentError
from leadkpi.funnel import FUNNEL_COLUMNS, funnel, reached

THREE = [("lead", "created_at"), ("mql", "mql_at"), ("sql", "sql_at")]


@pytest.fixture
def flagged() -> LeadData:
    """p skips MQL; q's MQL is dated before q was created; r's MQL comes late (45
    days); s's SQL comes 36 days after creation."""
    return LeadData(
        leads=pd.DataFrame(
            {
                "lead_id": list("pqrs"),
                "created_at": [
                    "2025-01-01T00:00:00Z",
                    "2025-01-10T00:00:00Z",
                    "2025-01-15T00:00:00Z",
                    "2025-01-20T00:00:00Z",
                ],
                "mql_at": [
                    None,
                    "2025-01-05T00:00:00Z",
                    "2025-03-01T00:00:00Z",
                    "2025-01-22T00:00:00Z",
                ],
                "sql_at": ["2025-01-03T00:00:00Z", None, None, "2025-02-25T00:00:00Z"],
            }
        )
    )


def _by_stage(table, column):
    return table.set_index("stage")[column].to_dict()


def test_period_funnel_counts_skipped_opportunities(small_leads):
    table = funnel(
        LeadData(leads=small_leads), start="2025-02", end="2025-02", mode="period"
    )
    assert table["stage"].tolist() == ["lead", "mql", "sql", "opportunity", "customer"]
    # February in UTC: created d, e, f, g, h; MQL c, d, e; SQL d, e; won a, d —
    # and a, d were won without an opportunity date: cumulative stages date their
    # opportunity by the win (a on 10 Feb, d on 20 Feb)
    assert table["count"].tolist() == [5, 3, 2, 2, 2]
    assert table["skipped"].tolist() == [0, 0, 0, 2, 0]
    assert np.isnan(table["from_previous"].iloc[0])
    assert table["from_previous"].iloc[1] == 3 / 5
    assert table["from_previous"].iloc[4] == 1.0  # 2 customers of 2 opportunities
    assert table["from_first"].iloc[2] == 2 / 5
    assert table["drop_off"].tolist()[1:] == [2, 1, 0, 0]
    assert table["reason"].isna().all()
    assert table["mature"].isna().all()  # no window: maturity does not apply
    assert set(table["mode"]) == {"period"}


def test_without_cumulative_stages_a_skipped_stage_is_not_reached(small_leads):
    table = funnel(
        LeadData(leads=small_leads),
        start="2025-02",
        end="2025-02",
        mode="period",
        cumulative=False,
    )
    assert table["count"].tolist() == [5, 3, 2, 0, 2]
    assert table["skipped"].tolist() == [0, 0, 0, 2, 0]  # still reported
    assert np.isnan(table["from_previous"].iloc[4])  # from zero opportunities


def test_cohort_funnel_by_channel(small_leads):
    table = funnel(LeadData(leads=small_leads), by=("channel",))
    counts = table.pivot(index="channel", columns="stage", values="count")
    # x: a, b, d, e (MQL a, d, e; SQL a, d, e; won a, d: opportunity via the win)
    order = ["lead", "mql", "sql", "opportunity", "customer"]
    assert counts.loc["x", order].tolist() == [4, 3, 3, 2, 2]
    # y: c, f, h (MQL c); g has no channel
    assert counts.loc["y"].sum() == 3 + 1
    assert counts.loc["(not set)", "lead"] == 1
    x = table[table["channel"] == "x"]
    assert x["from_first"].tolist() == [1.0, 0.75, 0.75, 0.5, 0.5]
    assert set(table["mode"]) == {"cohort"}


def test_skipped_before_creation_and_future_stages_are_counted(flagged):
    table = funnel(flagged, stages=THREE, as_of="2025-02-15")
    # MQL: p via its SQL (skipped), q (dated before creation), s; r's is after as_of
    assert _by_stage(table, "count") == {"lead": 4, "mql": 3, "sql": 1}
    assert _by_stage(table, "skipped") == {"lead": 0, "mql": 1, "sql": 0}
    assert _by_stage(table, "before_created") == {"lead": 0, "mql": 1, "sql": 0}
    # r's MQL (1 March) and s's SQL (25 February) are after 15 February
    assert _by_stage(table, "future") == {"lead": 0, "mql": 1, "sql": 1}
    expected = pd.DataFrame(
        {
            "stage": ["lead", "mql", "sql"],
            "count": [4.0, 3.0, 1.0],
            "from_previous": [np.nan, 3 / 4, 1 / 3],
            "from_first": [1.0, 3 / 4, 1 / 4],
            "drop_off": [np.nan, 1.0, 2.0],
            "skipped": [0, 1, 0],
            "before_created": [0, 1, 0],
            "future": [0, 1, 1],
            "mature": pd.array([pd.NA] * 3, dtype="boolean"),
            "mode": ["cohort"] * 3,
            "reason": [None] * 3,
        }
    )
    assert_frame_equal(table, expected, check_dtype=False)


def test_window_cuts_off_late_stages_and_flags_immature_cohorts(flagged):
    table = funnel(flagged, stages=THREE, window=30, as_of="2025-03-31")
    # r's MQL 45 days and s's SQL 36 days after creation fall outside 30 days
    assert _by_stage(table, "count") == {"lead": 4, "mql": 3, "sql": 1}
    assert table["mature"].all()  # the last lead (20 Jan) had 30 days by 31 Mar
    young = funnel(flagged, stages=THREE, window=30, as_of="2025-02-10")
    # r (15 Jan) and s (20 Jan) have not had 30 days by 10 Feb: counts shown, flagged
    assert not young["mature"].any()
    assert _by_stage(young, "count") == {"lead": 4, "mql": 3, "sql": 1}
    by_day = funnel(flagged, stages=THREE, by=("day",), window=30, as_of="2025-02-10")
    mature = by_day.groupby("day")["mature"].first()
    assert mature.tolist() == [True, True, False, False]  # 1, 10, 15, 20 January
    assert funnel(flagged, stages=THREE, window=pd.Timedelta(days=30))[
        "count"
    ].tolist() == [4, 3, 1]


def test_window_needs_cohort_mode(flagged):
    with pytest.raises(ArgumentError, match="window"):
        funnel(flagged, window=30, mode="period")
    with pytest.raises(ValueError, match="window must be"):
        funnel(flagged, window="thirty")


def test_empty_selection_has_the_columns(small_leads):
    table = funnel(LeadData(leads=small_leads), by=("month",), start="2030-01")
    assert table.empty
    assert list(table.columns) == ["month", *FUNNEL_COLUMNS]


def test_a_stage_column_that_is_missing_is_explained(small_leads):
    table = funnel(LeadData(leads=small_leads.drop(columns="opportunity_at")))
    row = table.set_index("stage").loc["opportunity"]
    assert np.isnan(row["count"])
    assert row["reason"] == "the leads table has no opportunity_at column"
    assert np.isnan(table.set_index("stage").loc["customer", "from_previous"])


def test_stages_given_out_of_order_are_an_argument_error(small_leads):
    with pytest.raises(ArgumentError, match="'customer' is listed before 'mql'"):
        funnel(
            LeadData(leads=small_leads),
            stages=[("lead", "created_at"), ("customer", "won_at"), ("mql", "mql_at")],
        )


@pytest.fixture
def web() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": ["2025-02-01", "2025-02-02"],
            "channel": ["x", "y"],
            "sessions": [100, 50],
            "users": [80, 40],
        }
    )


def test_session_stage_when_the_web_table_is_present(small_leads, web):
    data = LeadData(leads=small_leads, web=web)
    table = funnel(data, start="2025-02", end="2025-02", mode="period")
    assert table["stage"].iloc[0] == "session"
    assert table["count"].tolist()[:3] == [150, 5, 3]  # 100 + 50 sessions
    assert table["from_previous"].iloc[1] == 5 / 150
    assert table["from_first"].iloc[2] == 3 / 150
    by_channel = funnel(data, by=("channel",), start="2025-02", mode="period")
    x = by_channel[by_channel["channel"] == "x"].set_index("stage")["count"]
    assert x["session"] == 100 and x["lead"] == 2  # d, e


def test_daily_users_summed_over_days_are_not_visitors(small_leads, web):
    data = LeadData(leads=small_leads, web=web)
    month = compute(data, "visitors", by=("month",), start="2025-02", end="2025-02")
    assert np.isnan(month["value"].iloc[0])
    assert "counts a returning user again each day" in month["reason"].iloc[0]
    asked = funnel(data, stages=[("visitor", "visitors"), *THREE], mode="period")
    assert np.isnan(asked.set_index("stage").loc["visitor", "count"])
    days = compute(data, "visitors", by=("day",))
    assert days["value"].tolist() == [80, 40]  # one date per cell: distinct users


def test_visitor_stage_absent_or_not_countable(small_leads):
    table = funnel(LeadData(leads=small_leads))
    assert "visitor" not in set(table["stage"])
    asked = funnel(
        LeadData(leads=small_leads), stages=[("visitor", "visitors"), *THREE]
    )
    row = asked.set_index("stage").loc["visitor"]
    assert np.isnan(row["count"]) and row["reason"] == "needs the web table"
    assert np.isnan(asked.set_index("stage").loc["lead", "from_previous"])


def test_reached_names_a_missing_column(small_leads):
    leads = LeadData(leads=small_leads).leads
    got = reached(
        leads.drop(columns="mql_at"),
        THREE,
        cumulative=True,
        as_of=pd.Timestamp("2030-01-01", tz="UTC"),
    )
    assert got.reasons == {"mql": "the leads table has no mql_at column"}
    assert not got.reached[:, 1].any()


_DAY = 86_400


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(*[st.one_of(st.none(), st.integers(-5, 60)) for _ in range(4)]),
        min_size=1,
        max_size=25,
    ),
    st.sampled_from([None, 10, 30]),
)
def test_cumulative_counts_never_increase_down_the_funnel(rows, window):
    created = pd.Timestamp("2025-01-01", tz="UTC")
    stages = np.array([[np.nan if v is None else v for v in r] for r in rows])

    def column(j):
        days = pd.to_timedelta(stages[:, j], unit="D")
        return (created + days).astype("string").where(~np.isnan(stages[:, j]))

    leads = pd.DataFrame(
        {
            "lead_id": [str(i) for i in range(len(rows))],
            "created_at": [str(created)] * len(rows),
            "mql_at": column(0),
            "sql_at": column(1),
            "opportunity_at": column(2),
            "won_at": column(3),
        }
    )
    table = funnel(LeadData(leads=leads), window=window, as_of="2025-02-15")
    counts = table["count"].to_numpy()
    assert (np.diff(counts) <= 0).all()
    assert (
        (table["from_previous"].dropna() >= 0) & (table["from_previous"].dropna() <= 1)
    ).all()


@pytest.fixture(scope="module")
def sample():
    from pathlib import Path

    from leadkpi import load

    return load(Path(__file__).resolve().parents[1] / "leadkpi.yaml")


def test_sample_funnel_reports_skipped_mqls_and_immature_cohorts(sample):
    table = funnel(sample, by=("month",), window=60)
    total = table.groupby("stage", sort=False)[["count", "skipped"]].sum()
    assert total.index[0] == "session"  # the sample has a web table
    assert total.loc["mql", "skipped"] > 0  # a few SQLs skip MQL
    assert (total["count"].iloc[1:].diff().dropna() <= 0).all()
    months = table.groupby("month")["mature"].first()
    assert months.iloc[0] and not months.iloc[-1]  # the last months lack 60 days
    channels = funnel(sample, by=("channel",)).set_index(["channel", "stage"])
    rate = channels["count"].xs("customer", level="stage") / channels["count"].xs(
        "lead", level="stage"
    )
    assert rate["events"] > rate["paid_social"]  # events convert best


def test_naive_as_of_is_project_wall_clock_time():
    from leadkpi.funnel.stages import resolve_as_of

    when = resolve_as_of("2026-10-31 23:30", [], "Europe/Madrid")
    assert when == pd.Timestamp("2026-10-31 22:30", tz="UTC")  # CET is UTC+1
    with pytest.raises(ArgumentError, match="as_of must be a timestamp"):
        resolve_as_of("soon", [], "UTC")
