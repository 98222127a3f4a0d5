"""The KPI engine on hand-computed tables, and its invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadkpi import KPIS, Config, LeadData, compare, compute

MADRID = Config(timezone="Europe/Madrid")


@pytest.fixture
def data(small_leads, small_spend) -> LeadData:
    return LeadData(leads=small_leads, spend=small_spend, config=MADRID)


def _value(result, kpi, **keys):
    rows = result[result["kpi"] == kpi]
    for key, wanted in keys.items():
        rows = rows[rows[key].astype(str) == wanted]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_leads_are_counted_in_the_project_timezone(data):
    result = compute(data, "leads", by=("month",))
    assert list(result["month"].astype(str)) == ["2025-01", "2025-02", "2025-03"]
    assert list(result["value"]) == [3, 4, 1]


def test_period_mode_counts_events_in_their_month(data):
    result = compute(
        data,
        ["customers", "revenue", "cac", "roas", "roi"],
        by=("month",),
        mode="period",
    )
    feb = {k: _value(result, k, month="2025-02") for k in ("customers", "cac", "roi")}
    assert feb["customers"]["value"] == 2  # a (created Jan) and d, both won in Feb
    assert feb["cac"]["value"] == pytest.approx(100 / 2)  # Feb spend 50+30+20
    assert feb["cac"][["numerator", "denominator"]].tolist() == [100, 2]
    assert _value(result, "roas", month="2025-02")["value"] == pytest.approx(15.0)
    assert feb["roi"]["value"] == pytest.approx((1500 - 100) / 100)
    jan = _value(result, "cac", month="2025-01")
    assert np.isnan(jan["value"]) and jan["denominator"] == 0  # no customers in Jan


def test_cohort_mode_follows_the_leads_of_the_month(data):
    result = compute(
        data, ["customers", "lead_conversion_rate"], by=("month",), mode="cohort"
    )
    jan = _value(result, "lead_conversion_rate", month="2025-01")
    assert jan[["numerator", "denominator", "value"]].tolist() == [1, 3, 1 / 3]
    assert set(result["mode"]) == {"cohort"}


def test_cost_per_lead_by_channel_is_sum_over_sum(data):
    result = compute(data, "cost_per_lead", by=("month", "channel"))
    assert _value(result, "cost_per_lead", month="2025-01", channel="x")["value"] == 50
    assert _value(result, "cost_per_lead", month="2025-01", channel="y")["value"] == 60
    # spend without leads: NaN, not inf or 0
    z = _value(result, "cost_per_lead", month="2025-02", channel="z")
    assert np.isnan(z["value"]) and z["numerator"] == 20 and z["denominator"] == 0
    # a lead without a channel is kept, labelled, not dropped
    assert "(not set)" in set(result["channel"])
    total = compute(data, "cost_per_lead", by=())
    assert total["value"].iloc[0] == pytest.approx(260 / 8)


def test_missing_table_gives_a_reason_not_zero(small_leads):
    data = LeadData(leads=small_leads)
    result = compute(data, ["leads", "cost_per_lead"], by=("month",))
    cpl = result[result["kpi"] == "cost_per_lead"]
    assert cpl["value"].isna().all()
    assert set(cpl["reason"]) == {"needs the spend table"}
    assert result[result["kpi"] == "leads"]["reason"].isna().all()


def test_dimension_that_a_table_lacks_is_reported(data):
    result = compute(data, ["leads", "cost_per_lead"], by=("campaign",))
    assert (
        result[result["kpi"] == "leads"]["reason"]
        .str.contains("leads table has no campaign")
        .all()
    )


def test_window_limits_the_periods(data):
    result = compute(data, "leads", by=("month",), start="2025-02", end="2025-02")
    assert result["month"].astype(str).tolist() == ["2025-02"]


def test_unknown_kpi_and_mode_are_named():
    with pytest.raises(
        ValueError, match="kpis='cpl' is not a KPI id; did you mean 'cpm'"
    ):
        compute(LeadData(), "cpl")
    with pytest.raises(ValueError, match="mode='weekly' is not a counting mode"):
        compute(LeadData(), "leads", mode="weekly")
    with pytest.raises(ValueError, match="count_by='person'"):
        compute(LeadData(), "leads", count_by="person")
    with pytest.raises(ValueError, match="more than one period grain"):
        compute(LeadData(), "leads", by=("month", "week"))


def test_compare_uses_the_kpi_direction(data):
    result = compare(compute(data, ["leads", "cost_per_lead"], by=("month",)))
    feb = result[result["month"].astype(str) == "2025-02"].set_index("kpi")
    assert feb.loc["leads", "previous"] == 3 and feb.loc["leads", "change"] == 1
    assert bool(feb.loc["leads", "improved"]) is True
    # CPL: Jan 160/3, Feb 100/4 -> lower is better -> improved
    assert feb.loc["cost_per_lead", "change_rate"] == pytest.approx(
        (25 - 160 / 3) / (160 / 3)
    )
    assert bool(feb.loc["cost_per_lead", "improved"]) is True
    jan = result[result["month"].astype(str) == "2025-01"]
    assert jan["previous"].isna().all() and jan["improved"].isna().all()


# --- invariants -------------------------------------------------------------------

_channels = st.sampled_from(["a", "b", "c"])
_days = st.integers(min_value=0, max_value=120)


def _maybe_later(draw, start):
    return start + pd.Timedelta(days=draw(_days)) if draw(st.booleans()) else pd.NaT


@st.composite
def _tables(draw):
    n = draw(st.integers(min_value=0, max_value=30))
    base = pd.Timestamp("2025-01-01", tz="UTC")
    created = [base + pd.Timedelta(days=draw(_days)) for _ in range(n)]
    mql = [_maybe_later(draw, c) for c in created]
    won = [_maybe_later(draw, c) for c in created]
    leads = pd.DataFrame(
        {
            "lead_id": [f"L{i}" for i in range(n)],
            "account_id": [f"A{draw(st.integers(0, 5))}" for _ in range(n)],
            "created_at": pd.Series(created, dtype="datetime64[ns, UTC]"),
            "mql_at": pd.Series(mql, dtype="datetime64[ns, UTC]"),
            "won_at": pd.Series(won, dtype="datetime64[ns, UTC]"),
            "channel": [draw(_channels) for _ in range(n)],
            "deal_value": [float(draw(st.integers(0, 1000))) for _ in range(n)],
        }
    )
    m = draw(st.integers(min_value=0, max_value=20))
    day = base.tz_localize(None)
    spend = pd.DataFrame(
        {  # a zero-cost row per channel: the spend table covers every channel
            "date": [day] * 3
            + [day + pd.Timedelta(days=draw(_days)) for _ in range(m)],
            "channel": ["a", "b", "c"] + [draw(_channels) for _ in range(m)],
            "cost": [0.0] * 3 + [float(draw(st.integers(0, 500))) for _ in range(m)],
        }
    )
    return LeadData(leads=leads, spend=spend)


_RATIOS = [
    "cost_per_lead",
    "cac",
    "roas",
    "roi",
    "lead_to_mql_rate",
    "cost_per_mql",
    "lead_conversion_rate",
    "average_deal_size",
]


@settings(max_examples=60, deadline=None)
@given(_tables(), st.sampled_from(_RATIOS), st.sampled_from(["cohort", "period"]))
def test_coarse_ratio_is_sum_over_sum_of_any_finer_partition(data, kpi, mode):
    fine = compute(data, kpi, by=("month", "channel"), mode=mode)
    coarse = compute(data, kpi, by=("month",), mode=mode)
    # a month without spend rows has its spend unknown in every cell: the sum of
    # unknowns is unknown (min_count=1), not 0
    parts = fine.groupby("month", as_index=False)[["numerator", "denominator"]]
    sums = parts.sum(min_count=1)
    merged = coarse.merge(sums, on="month", suffixes=("", "_fine"), how="outer")
    assert len(merged) == len(coarse)
    for column in ("numerator", "denominator"):
        assert np.allclose(merged[column], merged[f"{column}_fine"], equal_nan=True), (
            column
        )
    assert not np.isinf(fine["value"]).any() and not np.isinf(coarse["value"]).any()


@settings(max_examples=60, deadline=None)
@given(_tables())
def test_cohort_and_period_totals_agree_over_the_full_history(data):
    stages = ["leads", "mqls", "customers", "revenue"]
    period = compute(data, stages, by=(), mode="period")
    cohort = compute(data, stages, by=(), mode="cohort")
    assert period["value"].tolist() == cohort["value"].tolist()
    by_account = compute(data, stages, by=(), mode="cohort", count_by="account")
    assert (by_account["value"] <= cohort["value"]).all()


@settings(max_examples=30, deadline=None)
@given(
    _tables(),
    st.sampled_from(["cohort", "period"]),
    st.sampled_from([(), ("month",), ("week", "channel"), ("channel",)]),
)
def test_no_input_produces_inf(data, mode, by):
    result = compute(data, by=by, mode=mode)
    for column in ("value", "numerator", "denominator", "n", "ci_low", "ci_high"):
        assert not np.isinf(result[column].astype("float64")).any(), column
    assert set(result["kpi"]) == set(KPIS)


@settings(max_examples=40, deadline=None)
@given(_tables())
def test_stock_at_a_period_end_is_the_stock_at_the_next_start(data):
    leads = data.leads.assign(opted_out_at=data.leads["won_at"])  # any later time
    data = LeadData(leads=leads)
    from leadkpi.kpis import KPI, MEASURES

    def kpi(measure):
        return KPI(
            measure,
            {"en": measure},
            {"en": measure},
            measure,
            "count",
            None,
            (measure,),
            lambda **m: m[measure],
            measure,
        )

    result = compute(
        data,
        [kpi("contactable_at_end"), kpi("contactable_at_start"), kpi("opt_outs")],
        by=("month",),
        measures=MEASURES,
    )
    wide = (
        result.pivot(index="month", columns="kpi", values="value")
        .reindex(columns=["contactable_at_end", "contactable_at_start", "opt_outs"])
        .sort_index()
    )
    if len(wide) > 1:
        months = wide.index.to_series()
        contiguous = (months.diff().iloc[1:].map(lambda d: d.n) == 1).all()
        if contiguous:
            ends = wide["contactable_at_end"].to_numpy()[:-1]
            starts = wide["contactable_at_start"].to_numpy()[1:]
            assert (ends == starts).all()
    assert (wide["opt_outs"] <= wide["contactable_at_start"]).all()


def test_reason_stays_on_its_own_row_after_sorting(small_leads, small_spend):
    # leads of channels spend never covers come first in the join, not in the sort
    leads = small_leads.copy()
    leads.loc[leads.index[0], "channel"] = "zz_referral"
    leads.loc[leads.index[1], "channel"] = "aa_direct"
    result = compute(
        LeadData(leads=leads, spend=small_spend), "cost_per_lead", by=("channel",)
    )
    for channel, reason in zip(result["channel"], result["reason"], strict=True):
        if isinstance(reason, str):
            assert reason.endswith(f"no rows for channel {channel!r}")
    assert result["reason"].notna().sum() == 3  # and "(not set)"
