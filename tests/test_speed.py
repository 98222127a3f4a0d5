"""Speed to lead, worked out by hand on nine leads, and the sample's planted effect."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadkpi import LeadData
from leadkpi.config import BusinessHours, Config
from leadkpi.exceptions import ArgumentError
from leadkpi.funnel.speed import (
    BUCKET_COLUMNS,
    SPEED_COLUMNS,
    bucket_order,
    response_buckets,
    response_time,
    speed_to_lead,
)
from leadkpi.kpis.uncertainty import wilson_interval

MADRID = "Europe/Madrid"
WEDNESDAY = pd.Timestamp("2026-03-04 10:00", tz=MADRID)
SATURDAY = pd.Timestamp("2026-03-07 11:00", tz=MADRID)
MIN, HOUR = 60, 3600


def _leads():
    """a–h created Wednesday 10:00 in Madrid, i on Saturday 11:00.

    a 2 min (won), b 30 min (won), c 3 h, d 5 h, e 30 h (won), f never,
    g answered 1 h *before* creation, h exactly 4 h, i Monday 09:30 (46.5 h).
    Owners: a–d ana, e–i luis.
    """
    created = [WEDNESDAY] * 8 + [SATURDAY]
    delays = [2 * MIN, 30 * MIN, 3 * HOUR, 5 * HOUR, 30 * HOUR, None, -HOUR,
              4 * HOUR, 46.5 * HOUR]  # fmt: skip
    answered = [
        c + pd.Timedelta(seconds=d) if d is not None else pd.NaT
        for c, d in zip(created, delays, strict=True)
    ]
    won = [created[0] + pd.Timedelta(days=20) if x in "abe" else pd.NaT
           for x in "abcdefghi"]  # fmt: skip
    return pd.DataFrame(
        {
            "lead_id": list("abcdefghi"),
            "created_at": pd.Series(created),
            "first_response_at": pd.Series(answered, dtype=f"datetime64[ns, {MADRID}]"),
            "won_at": pd.Series(won, dtype=f"datetime64[ns, {MADRID}]"),
            "owner": ["ana"] * 4 + ["luis"] * 5,
        }
    )


@pytest.fixture
def data():
    return LeadData(leads=_leads(), config=Config(timezone=MADRID, sla_hours=4))


@pytest.fixture
def business(data):
    config = Config(timezone=MADRID, sla_hours=4, business_hours=BusinessHours())
    return LeadData(leads=_leads(), config=config)


def test_response_time_and_buckets(data):
    got = response_time(data.leads, data.config)
    expected_seconds = [120.0, 1800.0, 10800.0, 18000.0, 108000.0, np.nan, -3600.0,
                        14400.0, 167400.0]  # fmt: skip
    np.testing.assert_array_equal(got["response_seconds"], expected_seconds)
    assert got["response_bucket"].tolist() == [
        "under_5m", "under_1h", "under_4h", "under_24h", "over_24h", "never",
        "before_created", "under_24h", "over_24h",
    ]  # fmt: skip
    assert got["response_bucket"].cat.ordered
    assert list(got["response_bucket"].cat.categories) == bucket_order()


def test_business_clock_is_the_default_when_configured(business):
    got = response_time(business.leads, business.config)
    # e: Wed 10:00 -> Thu 16:00 = 8 h + 7 h; i: Saturday -> Monday 09:30 = 30 min
    assert got["response_seconds"].iloc[4] == 15 * HOUR
    assert got["response_seconds"].iloc[8] == 30 * MIN
    assert got["response_bucket"].iloc[8] == "under_1h"
    calendar = response_time(business.leads, business.config, clock="calendar")
    assert calendar["response_bucket"].iloc[8] == "over_24h"


def test_buckets_are_overridable(data):
    two = (("fast", 3600.0), ("slow", np.inf))
    got = response_time(data.leads, data.config, buckets=two)
    assert got["response_bucket"].value_counts().to_dict() == {
        "slow": 5, "fast": 2, "never": 1, "before_created": 1,
    }  # fmt: skip


def test_speed_to_lead_total(data):
    got = speed_to_lead(data)
    assert list(got.columns) == list(SPEED_COLUMNS)
    row = got.iloc[0]
    assert (row["leads"], row["contacted"], row["within_sla"]) == (9, 8, 4)
    assert (row["never_contacted"], row["before_created"]) == (1, 1)
    assert row["within_sla_rate"] == pytest.approx(4 / 9)
    low, high = wilson_interval(4, 9)
    assert (row["within_sla_ci_low"], row["within_sla_ci_high"]) == pytest.approx(
        (float(low), float(high))
    )
    assert row["never_contacted_rate"] == pytest.approx(1 / 9)
    # g (dated before creation) is left out: 120, 1800, 10800, 14400, 18000, ...
    assert row["median_seconds"] == 14400.0
    assert row["p95_seconds"] == pytest.approx(108000 + 0.7 * 59400)
    assert (row["sla_hours"], row["clock"]) == (4.0, "calendar")


def test_speed_to_lead_by_owner(data):
    got = speed_to_lead(data, by="owner")
    expected = pd.DataFrame(
        {
            "owner": ["ana", "luis"],
            "leads": [4, 5],
            "contacted": [4, 4],
            "within_sla": [3, 1],
            "never_contacted": [0, 1],
            "median_seconds": [6300.0, 108000.0],
            "before_created": [0, 1],
        }
    )
    pd.testing.assert_frame_equal(got[expected.columns], expected)


def test_speed_to_lead_sla_and_business_clock(data, business):
    assert speed_to_lead(data, sla_hours=1)["within_sla"].iloc[0] == 2
    got = speed_to_lead(business).iloc[0]
    # working seconds: 120, 1800, 10800, 18000, 54000, 14400, 1800 (g flagged)
    assert got["within_sla"] == 5 and got["clock"] == "business"
    assert got["median_seconds"] == 10800.0


def test_speed_to_lead_bad_arguments(data):
    with pytest.raises(ArgumentError, match="clock='wall'"):
        speed_to_lead(data, clock="wall")
    with pytest.raises(ArgumentError, match="sla_hours must be a positive"):
        speed_to_lead(data, sla_hours=0)
    with pytest.raises(ArgumentError, match="by='team' is not a period grain"):
        response_buckets(data, by=("month", "team"))
    with pytest.raises(ArgumentError, match="first_response_at"):
        response_time(data.leads.drop(columns="first_response_at"), data.config)


def test_empty_selections(data):
    got = speed_to_lead(data, by=("month", "owner"), start="2030-01")
    assert list(got.columns) == ["month", "owner", *SPEED_COLUMNS] and got.empty
    got = response_buckets(data, by="owner", start="2030-01")
    assert list(got.columns) == ["owner", *BUCKET_COLUMNS] and got.empty


def test_response_buckets_total(data):
    got = response_buckets(data)
    assert list(got.columns) == list(BUCKET_COLUMNS)
    assert got["bucket"].tolist() == bucket_order()
    assert got["leads"].tolist() == [1, 1, 1, 2, 2, 1, 1]
    assert got["customers"].tolist() == [1, 1, 0, 0, 1, 0, 0]
    np.testing.assert_allclose(got["share"], np.array([1, 1, 1, 2, 2, 1, 1]) / 9)
    np.testing.assert_allclose(got["conversion_rate"], [1, 1, 0, 0, 0.5, 0, 0])
    low, high = wilson_interval(1, 2)
    assert (got["ci_low"].iloc[4], got["ci_high"].iloc[4]) == pytest.approx(
        (float(low), float(high))
    )


def test_response_buckets_every_bucket_per_cell(data):
    got = response_buckets(data, by="owner")
    ana = got[got["owner"] == "ana"]
    assert ana["bucket"].tolist() == bucket_order()
    assert ana["leads"].tolist() == [1, 1, 1, 1, 0, 0, 0]
    assert ana["conversion_rate"].isna().tolist() == [False] * 4 + [True] * 3
    assert isinstance(got["bucket"].dtype, pd.CategoricalDtype)
    assert got.groupby("owner")["share"].sum().tolist() == pytest.approx([1, 1])


@pytest.fixture(scope="module")
def sample():
    from leadkpi import load

    return load("leadkpi.yaml")


def test_planted_effects_on_the_sample(sample):
    buckets = response_buckets(sample).set_index("bucket")
    fast = buckets.loc[["under_5m", "under_1h"]]
    within_hour = fast["customers"].sum() / fast["leads"].sum()
    assert within_hour > 3 * buckets.loc["over_24h", "conversion_rate"]
    assert buckets.loc["never", "conversion_rate"] < 0.005
    by_owner = speed_to_lead(sample, by="owner")
    slowest = by_owner.sort_values("median_seconds")["owner"].iloc[-1]
    assert slowest == "Raúl Delgado"


def test_engine_agrees_on_the_calendar_clock(sample):
    from leadkpi.kpis.engine import compute

    ours = speed_to_lead(sample, by="channel", start="2026-01", end="2026-06")
    engine = compute(
        sample,
        ["never_contacted_rate", "lead_response_time", "contacted_within_sla_rate"],
        by="channel",
        start="2026-01",
        end="2026-06",
    ).pivot(index="channel", columns="kpi", values="value")
    ours = ours.set_index("channel")
    np.testing.assert_allclose(ours["never_contacted_rate"],
                               engine["never_contacted_rate"])  # fmt: skip
    np.testing.assert_allclose(ours["median_seconds"], engine["lead_response_time"])
    np.testing.assert_allclose(ours["within_sla_rate"],
                               engine["contacted_within_sla_rate"])  # fmt: skip


def test_holidays_reach_the_business_clock():
    hours = BusinessHours(holidays=(dt.date(2026, 3, 9),))  # the Monday
    config = Config(timezone=MADRID, business_hours=hours)
    leads = _leads().iloc[[8]]
    got = response_time(leads, config)
    assert got["response_seconds"].iloc[0] == 0.0  # Monday 09:30 is a day off


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 40))
def test_counts_add_up(seed, n):
    rng = np.random.default_rng(seed)
    created = WEDNESDAY + pd.to_timedelta(rng.integers(0, 60 * 86400, n), unit="s")
    delay = pd.to_timedelta(rng.integers(-3600, 3 * 86400, n), unit="s")
    answered = pd.Series(created + delay).where(rng.random(n) < 0.8)
    leads = pd.DataFrame(
        {
            "lead_id": [str(i) for i in range(n)],
            "created_at": created,
            "first_response_at": answered,
            "won_at": pd.Series(created + pd.Timedelta(days=9)).where(
                rng.random(n) < 0.3
            ),
            "owner": rng.choice(["ana", "luis", "eva"], n),
        }
    )
    data = LeadData(leads=leads, config=Config(timezone=MADRID))
    speed = speed_to_lead(data, by=("month", "owner"))
    assert speed["leads"].sum() == n
    assert (speed["contacted"] + speed["never_contacted"] == speed["leads"]).all()
    assert (speed["within_sla"] <= speed["contacted"] - speed["before_created"]).all()
    buckets = response_buckets(data, by=("month", "owner"))
    assert len(buckets) == len(speed) * len(bucket_order())
    per_cell = buckets.groupby(["month", "owner"])["leads"].sum()
    assert per_cell.tolist() == speed["leads"].tolist()
    assert buckets["customers"].sum() == leads["won_at"].notna().sum()
