"""Every catalogue KPI on small hand-computed tables, in both modes where they apply."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leadkpi import KPI, LeadData, LeadKPIError, compute, load
from leadkpi.kpis import KPIS, SECTIONS
from leadkpi.kpis import formulas as f
from leadkpi.present.catalogue import catalogue

H = 3600.0
NAT = None


@pytest.fixture
def data() -> LeadData:
    leads = pd.DataFrame(
        {
            "lead_id": list("abcde"),
            "account_id": ["A1", "A1", "A2", "A3", "A3"],
            "created_at": [
                "2025-01-05T10:00Z",
                "2025-01-20T10:00Z",
                "2025-01-31T10:00Z",
                "2025-02-01T09:00Z",
                "2025-02-10T09:00Z",
            ],
            "channel": ["x", "x", "y", "x", "y"],
            "utm_campaign": ["nurture_a", None, None, "brand", None],
            "score": [80.0, 40.0, 60.0, 90.0, 50.0],
            "first_response_at": [
                "2025-01-05T11:00Z",
                "2025-01-21T10:00Z",
                NAT,
                "2025-02-01T10:00Z",
                "2025-02-10T15:00Z",
            ],
            "replied_at": ["2025-01-06T10:00Z", NAT, NAT, "2025-02-01T12:00Z", NAT],
            "not_interested_at": [NAT, "2025-01-25T10:00Z", NAT, NAT, NAT],
            "mql_at": [
                "2025-01-06T00:00Z",
                NAT,
                "2025-02-02T10:00Z",
                "2025-02-02T10:00Z",
                NAT,
            ],
            "sql_at": ["2025-01-10T00:00Z", NAT, NAT, "2025-02-03T10:00Z", NAT],
            "opportunity_at": ["2025-01-20T00:00Z", NAT, NAT, "2025-02-05T10:00Z", NAT],
            "won_at": ["2025-02-10T10:00Z", NAT, NAT, "2025-02-20T10:00Z", NAT],
            "deal_value": [1000.0, None, None, 500.0, None],
            "opted_out_at": [NAT, NAT, "2025-02-15T10:00Z", NAT, NAT],
            "workflow_enrolled_at": [
                "2025-01-06T12:00Z",
                NAT,
                NAT,
                "2025-02-01T10:00Z",
                NAT,
            ],
            "workflow_goal_at": [NAT, NAT, NAT, "2025-02-02T10:00Z", NAT],
        }
    )
    spend = pd.DataFrame(
        {
            "date": ["2025-01-02", "2025-01-03", "2025-02-02", "2025-02-03"],
            "channel": ["x", "y", "x", "y"],
            "cost": [100.0, 60.0, 50.0, 30.0],
            "impressions": [10_000, 5_000, 4_000, 1_000],
            "clicks": [100, 20, 40, 10],
            # the platforms' own count: Google Ads credits fractions of one
            "conversions": [1.0, 0.5, 1.0, 0.0],
        }
    )
    web = pd.DataFrame(
        {
            "date": ["2025-01-03", "2025-02-03"],
            "channel": ["x", "x"],
            "sessions": [100, 50],
            "users": [80, 45],
            "pageviews": [250, 100],
            "engaged_sessions": [60, 20],
            "bounces": [40, 30],
            "engagement_seconds": [6000.0, 1000.0],
            "form_submissions": [5, 2],
            "landing_page_sessions": [50, 20],
        }
    )
    email = pd.DataFrame(
        {
            "sent_on": ["2025-01-07"],
            "campaign": ["n1"],
            "sent": [1000],
            "delivered": [980],
            "opens": [245],
            "clicks": [49],
            "unsubscribes": [2],
            "bounces": [12],
        }
    )
    customers = pd.DataFrame(
        {
            "customer_id": ["C0", "C1", "C2"],
            "lead_id": [None, "a", "d"],
            "started_at": [
                "2024-12-01T00:00Z",
                "2025-02-10T10:00Z",
                "2025-02-20T10:00Z",
            ],
            "ended_at": ["2025-01-10T00:00Z", NAT, "2025-03-15T00:00Z"],
            "recurring_revenue": [200.0, 100.0, 50.0],
        }
    )
    deals = pd.DataFrame(
        {
            # the leads' opportunity_at, won_at and deal_value are these deals rolled
            # up: lead a's first deal D1 (its second, D3, stays open and is lost)
            "deal_id": ["D1", "D2", "D3"],
            "lead_id": ["a", "d", "a"],
            "created_at": [
                "2025-01-20T00:00Z",
                "2025-02-05T10:00Z",
                "2025-01-25T00:00Z",
            ],
            "won_at": ["2025-02-10T10:00Z", "2025-02-20T10:00Z", NAT],
            "lost_at": [NAT, NAT, "2025-03-01T00:00Z"],
            "amount": [1000.0, 500.0, 300.0],
        }
    )
    return LeadData(
        leads=leads, spend=spend, web=web, email=email, customers=customers, deals=deals
    )


def _by_month(data, kpis, mode, **kw):
    result = compute(data, kpis, by=("month",), mode=mode, **kw)
    result["month"] = result["month"].astype(str)
    return result.set_index(["kpi", "month"])


def _v(table, kpi, month):
    return table.loc[(kpi, month), "value"]


COHORT = {  # (kpi, month): value, worked by hand in the fixture's docstring terms
    ("leads", "2025-01"): 3,
    ("mqls", "2025-01"): 2,
    ("sqls", "2025-01"): 1,
    ("customers", "2025-01"): 1,
    ("customers", "2025-02"): 1,
    ("lead_to_mql_rate", "2025-01"): 2 / 3,
    ("mql_to_sql_rate", "2025-01"): 1 / 2,
    ("sql_to_opportunity_rate", "2025-01"): 1.0,
    ("win_rate", "2025-01"): 1.0,
    ("lead_conversion_rate", "2025-01"): 1 / 3,
    ("response_rate", "2025-01"): 1 / 2,
    ("not_interested_rate", "2025-01"): 1 / 2,
    ("contacted_within_sla_rate", "2025-01"): 1 / 3,
    ("contacted_within_sla_rate", "2025-02"): 1 / 2,
    ("never_contacted_rate", "2025-01"): 1 / 3,
    ("never_contacted_rate", "2025-02"): 0.0,
    ("lead_response_time", "2025-01"): 12.5 * H,
    ("lead_response_time", "2025-02"): 3.5 * H,
    ("time_to_conversion", "2025-01"): 36 * 24 * H,
    ("stage_duration", "2025-02"): (25 * H + 48 * H) / 2,
    ("avg_lead_score", "2025-01"): 60.0,
    ("avg_lead_score", "2025-02"): 70.0,
    ("cost_per_lead", "2025-02"): 40.0,
    ("cost_per_mql", "2025-01"): 80.0,
    ("cost_per_sql", "2025-01"): 160.0,
    ("cost_per_opportunity", "2025-02"): 80.0,
    ("cac", "2025-01"): 160.0,
    ("revenue", "2025-01"): 1000.0,
    ("average_deal_size", "2025-02"): 500.0,
    ("roas", "2025-01"): 1000 / 160,
    ("roi", "2025-01"): (1000 - 160) / 160,
    ("nurture_leads", "2025-01"): 1,
    ("workflow_goal_rate", "2025-01"): 0.0,
    ("workflow_goal_rate", "2025-02"): 1.0,
    ("site_conversion_rate", "2025-01"): 3 / 80,
    ("opportunities", "2025-02"): 1,
    ("cost_per_mql", "2025-02"): 80.0,
    ("cost_per_sql", "2025-02"): 80.0,
    ("stage_duration", "2025-01"): 96 * H,  # a: 14, 96, 240, 514 h; c: 48 h
    ("mqls_recorded", "2025-01"): 2,  # nobody skipped a stage here
    ("sqls_recorded", "2025-01"): 1,
    ("opportunities_recorded", "2025-02"): 1,
    ("blended_roas", "2025-01"): 1000 / 160,  # both won leads are of paid channel x
}

PERIOD = {
    ("leads", "2025-02"): 2,
    ("sqls", "2025-01"): 1,
    ("opportunities", "2025-01"): 1,
    ("mql_to_sql_rate", "2025-02"): 1 / 2,
    ("sql_to_opportunity_rate", "2025-02"): 1.0,
    ("lead_conversion_rate", "2025-01"): 0.0,
    ("lead_conversion_rate", "2025-02"): 1.0,
    ("response_rate", "2025-01"): 1 / 2,
    ("lead_response_time", "2025-02"): 3.5 * H,
    ("stage_duration", "2025-01"): 96 * H,  # a: 14, 96, 240 h (its won gap is Feb)
    ("stage_duration", "2025-02"): 48 * H,  # 24, 25, 48, 48, 360, 514 h
    ("cost_per_sql", "2025-01"): 160.0,
    ("cost_per_mql", "2025-02"): 40.0,
    ("cost_per_opportunity", "2025-01"): 160.0,
    ("contacted_within_sla_rate", "2025-01"): 1 / 3,
    ("never_contacted_rate", "2025-01"): 1 / 3,
    ("nurture_leads", "2025-01"): 1,
    ("workflow_goal_rate", "2025-01"): 0.0,
    ("workflow_goal_rate", "2025-02"): 1.0,
    ("avg_lead_score", "2025-01"): 60.0,
    ("revenue", "2025-01"): 0.0,
    ("roas", "2025-02"): 1500 / 80,
    ("roi", "2025-02"): (1500 - 80) / 80,
    ("blended_roi", "2025-02"): (1500 - 80) / 80,
    ("site_conversion_rate", "2025-02"): 2 / 45,
    ("mqls", "2025-01"): 1,
    ("mqls", "2025-02"): 2,
    ("customers", "2025-01"): 0,
    ("customers", "2025-02"): 2,
    ("lead_to_mql_rate", "2025-02"): 1.0,
    ("win_rate", "2025-02"): 2.0,
    ("response_rate", "2025-02"): 1 / 2,
    ("not_interested_rate", "2025-01"): 1 / 2,
    ("time_to_conversion", "2025-02"): (36 * 24 * H + (19 * 24 + 1) * H) / 2,
    ("time_to_conversion_p90", "2025-02"): (457 + 0.9 * (864 - 457)) * H,
    ("revenue", "2025-02"): 1500.0,
    ("average_deal_size", "2025-02"): 750.0,
    ("cac", "2025-02"): 40.0,
    ("cost_per_lead", "2025-01"): 160 / 3,
    # the ad platforms' conversions (1 + 0.5 in January, 1 + 0 in February)
    ("conversions", "2025-01"): 1.5,
    ("cost_per_conversion", "2025-01"): 160 / 1.5,
    ("conversion_rate", "2025-02"): 1.0 / 2,
    ("pages_per_session", "2025-01"): 2.5,
    ("avg_session_duration", "2025-01"): 60.0,
    ("bounce_rate", "2025-01"): 0.4,
    ("engagement_rate", "2025-02"): 0.4,
    ("form_submissions", "2025-01"): 5,
    ("landing_page_conversion_rate", "2025-01"): 0.1,
    ("visitors", "2025-02"): 45,
    ("sessions", "2025-02"): 50,
    ("pageviews", "2025-02"): 100,
    ("impressions", "2025-01"): 15_000,
    ("clicks", "2025-01"): 120,
    ("ctr", "2025-01"): 120 / 15_000,
    ("cpc", "2025-01"): 160 / 120,
    ("cpm", "2025-02"): 80 / 5_000 * 1000,
    ("spend", "2025-02"): 80.0,
    ("emails_sent", "2025-01"): 1000,
    ("delivery_rate", "2025-01"): 0.98,
    ("open_rate", "2025-01"): 0.25,
    ("email_ctr", "2025-01"): 0.05,
    ("click_to_open_rate", "2025-01"): 0.2,
    ("unsubscribe_rate", "2025-01"): 2 / 980,
    ("email_bounce_rate", "2025-01"): 12 / 1000,
    ("session_to_lead_rate", "2025-01"): 3 / 100,  # leads a, b, c; x's sessions
    ("session_to_lead_rate", "2025-02"): 2 / 50,
    ("database_size", "2025-01"): 3,
    ("database_size", "2025-02"): 4,
    ("opt_out_rate", "2025-02"): 1 / 3,
    ("pipeline_value", "2025-01"): 1300.0,
    ("pipeline_value", "2025-02"): 300.0,
    ("churn_rate", "2025-01"): 1.0,
    ("churn_rate", "2025-03"): 0.5,
    ("retention_rate", "2025-03"): 0.5,
    ("ltv", "2025-03"): 150.0,
}


@pytest.mark.parametrize(("mode", "expected"), [("cohort", COHORT), ("period", PERIOD)])
def test_hand_computed_values(data, mode, expected):
    table = _by_month(data, sorted({k for k, _ in expected}), mode)
    got = {key: _v(table, *key) for key in expected}
    assert got == pytest.approx(expected)


def test_every_catalogue_kpi_has_a_hand_computed_case():
    covered = {k for k, _ in COHORT} | {k for k, _ in PERIOD}
    covered |= {
        "revenue_uplift",
        "revenue_uplift_rate",
        "ltv_to_cac",
        "opportunities",
        "sqls",
    }
    # worked by hand in test_costs.py and test_first_touch.py
    covered |= {"cac", "paid_cac", "other_costs", "total_cost", "gross_margin_roi"}
    covered |= {
        "time_to_conversion_from_first_touch",
        "time_to_conversion_from_first_touch_p90",
    }
    # worked by hand in test_outreach.py
    covered |= set(SECTIONS["outreach"])
    assert set(KPIS) <= covered


def test_kpis_without_a_cohort_reading_are_the_same_in_both_modes(data):
    kpis = [
        "spend",
        "cpc",
        "sessions",
        "open_rate",
        "database_size",
        "churn_rate",
        "pipeline_value",
        "ltv",
    ]
    cohort = compute(data, kpis, by=("month",), mode="cohort")
    period = compute(data, kpis, by=("month",), mode="period")
    pd.testing.assert_frame_equal(cohort, period)
    assert set(cohort["mode"]) == {"period"}


def test_modes_are_labelled(data):
    table = _by_month(data, ["mqls", "spend", "database_size", "sessions"], "cohort")
    modes = table["mode"].groupby(level="kpi").first().to_dict()
    assert modes == {
        "mqls": "cohort",
        "spend": "period",
        "database_size": "period",
        "sessions": "period",
    }


def test_period_rate_above_one_has_no_wilson_interval(data):
    row = _by_month(data, "win_rate", "period").loc[("win_rate", "2025-02")]
    assert row["value"] == 2.0 and np.isnan(row["ci_low"]) and np.isnan(row["ci_high"])
    assert row["n"] == 1 and bool(row["small_sample"])


def test_cost_for_a_channel_the_spend_table_never_covers_is_unknown(data):
    result = compute(
        data, ["cost_per_lead", "site_conversion_rate"], by=("channel",), mode="period"
    )
    rows = result.set_index(["kpi", "channel"])
    assert rows.loc[("cost_per_lead", "x"), "value"] == pytest.approx(150 / 3)
    assert rows.loc[("cost_per_lead", "y"), "value"] == pytest.approx(90 / 2)
    # visitors are daily users: known by day only (one date per cell)
    daily = compute(data, "site_conversion_rate", by=("day", "channel"))
    site = daily[daily["channel"] == "y"].iloc[0]
    assert np.isnan(site["value"])
    assert site["reason"] == "the web table has no rows for day 2025-01-31, channel 'y'"
    assert "per day" in rows.loc[("site_conversion_rate", "y"), "reason"]


def test_spend_cannot_be_cut_by_owner(data):
    leads = data.leads.assign(owner=["o1", "o1", "o2", "o2", "o1"])
    d = LeadData(leads=leads, spend=data.spend)
    result = compute(d, ["leads", "cost_per_lead"], by=("owner",))
    cpl = result[result["kpi"] == "cost_per_lead"]
    assert cpl["value"].isna().all()
    assert set(cpl["reason"]) == {"the spend table has no owner column"}


def test_count_by_account(data):
    table = _by_month(
        data, ["leads", "mqls", "cost_per_lead"], "cohort", count_by="account"
    )
    assert _v(table, "leads", "2025-01") == 2 and _v(table, "leads", "2025-02") == 1
    assert _v(table, "mqls", "2025-01") == 2
    assert _v(table, "cost_per_lead", "2025-02") == 80.0
    assert set(table["count_by"]) == {"account"}
    with pytest.raises(LeadKPIError, match="account_id"):
        compute(
            LeadData(leads=data.leads.drop(columns="account_id")),
            "leads",
            count_by="account",
        )


def test_revenue_uplift_against_the_three_periods_before():
    won = [
        "2025-01-15T10:00Z",
        "2025-02-15T10:00Z",
        "2025-03-15T10:00Z",
        "2025-04-15T10:00Z",
    ]
    leads = pd.DataFrame(
        {
            "lead_id": list("abcd"),
            "created_at": won,
            "won_at": won,
            "deal_value": [100.0, 200.0, 300.0, 1000.0],
        }
    )
    result = compute(
        LeadData(leads=leads),
        ["revenue_uplift", "revenue_uplift_rate"],
        by=("month",),
        mode="period",
        start="2025-04",
        end="2025-04",
    )
    assert result["value"].tolist() == [800.0, 4.0]
    total = compute(LeadData(leads=leads), "revenue_uplift", by=())
    assert np.isnan(total["value"].iloc[0]) and "period" in total["reason"].iloc[0]


def test_ltv_to_cac(data):
    table = _by_month(data, ["ltv", "cac", "ltv_to_cac"], "period")
    assert np.isnan(_v(table, "ltv_to_cac", "2025-03"))  # no customers won in March
    whole = compute(
        data,
        ["ltv", "cac", "ltv_to_cac"],
        by=(),
        mode="period",
        start="2025-01",
        end="2025-03",
    )
    ltv, cac, ratio = whole["value"]
    months = 90 / (365.25 / 12)  # 1 January to 31 March
    assert ltv == pytest.approx(200 * months, rel=1e-6)  # C0 active at start, lost
    assert cac == 240 / 2
    assert ratio == pytest.approx(ltv / cac)


def test_missing_tables_give_reasons(data):
    result = compute(
        LeadData(leads=data.leads), ["pipeline_value", "churn_rate", "open_rate"], by=()
    )
    assert result["value"].isna().all()
    assert result["reason"].tolist() == [
        "needs the deals table",
        "needs the customers table",
        "needs the email table",
    ]


def test_catalogue_in_both_languages_and_custom_kpis():
    en, es = catalogue("en"), catalogue("es")
    assert len(en) == len(KPIS) and list(en["id"]) == list(es["id"])
    assert en.set_index("id").loc["churn_rate", "name"] == "Churn rate"
    assert es.set_index("id").loc["churn_rate", "name"] == "Tasa de abandono"
    assert en["definition"].str.len().gt(0).all() and es["name"].ne(en["name"]).any()
    mine = KPI(
        "paid_share",
        {"en": "Paid share"},
        {"en": "Paid leads per lead"},
        "mqls / leads",
        "fraction",
        "higher",
        ("mqls", "leads"),
        f.lead_to_mql_rate,
        "mqls",
        "leads",
        interval="wilson",
    )
    assert catalogue("es", [mine, "leads"])["name"].tolist() == [
        "Paid share",
        "Leads generados",
    ]


def test_a_custom_kpi_over_a_custom_measure(data):
    from leadkpi.kpis import Measure

    big = Measure(
        "big_deals",
        "leads",
        "won_at",
        cohort_column="created_at",
        where=lambda t, config: (t["deal_value"] >= 800).to_numpy(
            dtype=bool, na_value=False
        ),
        columns=("deal_value",),
    )
    share = KPI(
        "big_deal_share",
        {"en": "Big deals"},
        {"en": "Won deals ≥ 800"},
        "big_deals / customers",
        "fraction",
        "higher",
        ("big_deals", "customers"),
        lambda *, big_deals, customers: f.ratio(big_deals, customers),
        "big_deals",
        "customers",
        interval="wilson",
    )
    table = _by_month(data, [share], "period", measures={"big_deals": big})
    assert _v(table, "big_deal_share", "2025-02") == 0.5
    assert "big_deal_share" not in KPIS  # nothing global changed


@pytest.fixture(scope="module")
def sample():
    return load("leadkpi.yaml")


def test_medians_and_percentiles_match_numpy_on_the_sample(sample):
    leads = sample.leads
    won = leads[leads["won_at"].notna()]
    seconds = (won["won_at"] - won["created_at"]).dt.total_seconds()
    result = compute(
        sample, ["time_to_conversion", "time_to_conversion_p90"], by=(), mode="period"
    )
    assert result["value"].tolist() == pytest.approx(
        [np.median(seconds), np.quantile(seconds, 0.9)]
    )
    assert result["n"].tolist() == [len(won), len(won)]
    low, high = result["ci_low"], result["ci_high"]
    assert (low < result["value"]).all() and (result["value"] < high).all()


@pytest.mark.parametrize("mode", ["cohort", "period"])
def test_every_kpi_computes_on_the_sample_by_month_and_channel(sample, mode):
    result = compute(sample, by=("month", "channel"), mode=mode)
    computed = result.groupby("kpi")["value"].apply(lambda v: v.notna().any())
    daily = ["visitors", "site_conversion_rate"]  # daily users: known day by day
    unrecorded = ["cost_per_meeting"]  # the sample's costs have no outbound rows
    assert computed.drop([*daily, *unrecorded]).all(), list(computed[~computed].index)
    assert result[result["kpi"].isin(daily)]["reason"].str.contains("per day").all()
    why = result[result["kpi"].isin(unrecorded)]["reason"]
    assert why.str.contains("no rows in the outbound channel").all()
    by_day = compute(sample, daily, by=("day",), mode=mode, start="2026-10")
    assert by_day["value"].notna().any()
    assert not np.isinf(result["value"]).any()
    assert set(result["kpi"]) == set(KPIS)


@pytest.mark.parametrize(
    "by",
    [("day",), ("week", "channel"), ("quarter", "owner"), ("year", "industry"), ()],
)
def test_every_grain_computes_on_the_sample(sample, by):
    result = compute(sample, by=by, start="2026-01", end="2026-06")
    assert list(result.columns[: len(by)]) == list(by)
    assert not np.isinf(result["value"]).any()
    leads = result[result["kpi"] == "leads"]
    created = sample.leads["created_at"].dt.tz_localize(None)
    in_range = created.between("2026-01-01", "2026-06-30 23:59:59.999")
    assert leads["value"].sum() == in_range.sum()
    if "owner" in by:  # spend cannot be cut by owner
        cpl = result[result["kpi"] == "cost_per_lead"]
        assert set(cpl["reason"]) == {"the spend table has no owner column"}
