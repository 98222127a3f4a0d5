"""The full cost base: the costs table, its allocation and the KPIs that use it."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadkpi import LeadData, allocate_costs, catalogue, compute
from leadkpi.io.canonical import read_canonical
from leadkpi.kpis import formulas as f
from leadkpi.kpis.measure_catalogue import AD_SPEND_ONLY, COSTS_ONLY

NEW_KPIS = ["cac", "paid_cac", "other_costs", "total_cost", "gross_margin_roi"]


def _leads() -> pd.DataFrame:
    """March: three e-mail leads and one paid-search lead (won, 1,000 €); April:
    one e-mail lead."""
    return pd.DataFrame(
        {
            "lead_id": ["a", "b", "c", "d", "e"],
            "created_at": ["2026-03-02T10:00:00Z"] * 4 + ["2026-04-02T10:00:00Z"],
            "channel": ["email", "email", "email", "paid_search", "email"],
            "won_at": [None, None, None, "2026-03-20T10:00:00Z", None],
            "deal_value": [None, None, None, "1000", None],
        }
    )


def _spend() -> pd.DataFrame:
    """March: paid search 300 €, display 100 €; April: paid search 200 €."""
    return pd.DataFrame(
        {
            "date": ["2026-03-05", "2026-03-06", "2026-04-05"],
            "channel": ["paid_search", "display", "paid_search"],
            "cost": ["300", "100", "200"],
        }
    )


def _costs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": ["2026-03", "2026-03", "2026-03", "2026-03", "2026-03", "2026-04"],
            "amount": ["100", "200", "90", "500", "40", "60"],
            "category": ["tool", "agency", "other", "salary", "event", "tool"],
            "channel": [None, None, None, "email", None, None],
            "allocation": ["by_leads", "by_spend", "evenly", None, None, "by_spend"],
            "description": ["CRM", "Agency", "Design", "SDR", "Fair", "CRM"],
        }
    )


@pytest.fixture
def data() -> LeadData:
    return LeadData(leads=_leads(), spend=_spend(), costs=_costs())


def test_the_source_tool_example_100_a_month_over_30_conversions():
    # a 100 €/month tool and 30 conversions: 3.33 per conversion
    assert f.cac(spend=100, customers=30) == pytest.approx(3.3333, abs=1e-4)
    leads = pd.DataFrame(
        {
            "lead_id": [f"l{i}" for i in range(30)],
            "created_at": ["2026-03-02T10:00:00Z"] * 30,
            "won_at": ["2026-03-20T10:00:00Z"] * 30,
        }
    )
    costs = pd.DataFrame(
        {"month": ["2026-03"], "amount": ["100"], "category": ["tool"]}
    )
    result = compute(LeadData(leads=leads, costs=costs), "cac", by=("month",))
    row = result.iloc[0]
    assert (row["value"], row["numerator"], row["denominator"]) == (
        pytest.approx(100 / 30),
        100.0,
        30.0,
    )
    assert row["reason"] == COSTS_ONLY  # no spend table: it says so


def test_allocation_by_rule_by_hand(data):
    got = allocate_costs(data)[["row", "channel", "amount", "share", "allocated"]]
    expected = pd.DataFrame(
        {
            # tool 100 by leads (email 3, paid search 1 in March)
            # agency 200 by spend (paid search 300, display 100)
            # design 90 evenly (email, paid search and display were active)
            # SDR 500 on e-mail as given; fair 40: no channel, no rule
            # April tool 60 by spend: paid search alone
            "row": [0, 0, 1, 1, 2, 2, 2, 3, 4, 5],
            "channel": [
                "email",
                "paid_search",
                "display",
                "paid_search",
                "display",
                "email",
                "paid_search",
                "email",
                None,
                "paid_search",
            ],
            "amount": [75.0, 25.0, 50.0, 150.0, 30.0, 30.0, 30.0, 500.0, 40.0, 60.0],
            "share": [0.75, 0.25, 0.25, 0.75, 1 / 3, 1 / 3, 1 / 3, 1.0, 1.0, 1.0],
            "allocated": [True] * 7 + [False, False, True],
        }
    )
    pd.testing.assert_frame_equal(
        got.reset_index(drop=True), expected, check_dtype=False
    )


def test_a_rule_with_nothing_to_share_by_keeps_the_row_unallocated():
    leads = _leads()
    costs = pd.DataFrame(
        {"month": ["2026-05"], "amount": ["70"], "allocation": ["by_leads"]}
    )  # no lead in May
    got = allocate_costs(LeadData(leads=leads, costs=costs))
    assert got["channel"].isna().all() and got["amount"].tolist() == [70.0]
    assert not got["allocated"].any()


def test_full_cost_cac_beside_paid_cac_by_month_and_channel(data):
    kpis = ["cac", "paid_cac", "total_cost", "other_costs"]
    result = compute(
        data, kpis, by=("month", "channel"), start="2026-03", end="2026-03"
    )
    cell = result.set_index(["channel", "kpi"])
    # paid search: spend 300 + tool 25 + agency 150 + design 30 = 505, one customer
    assert cell.loc[("paid_search", "total_cost"), "value"] == pytest.approx(505.0)
    assert cell.loc[("paid_search", "cac"), "value"] == pytest.approx(505.0)
    assert cell.loc[("paid_search", "paid_cac"), "value"] == pytest.approx(300.0)
    assert cell.loc[("paid_search", "other_costs"), "value"] == pytest.approx(205.0)
    # display: 100 + 50 + 30 = 180 and no customer: no CAC
    assert cell.loc[("display", "total_cost"), "value"] == pytest.approx(180.0)
    assert np.isnan(cell.loc[("display", "cac"), "value"])
    # e-mail has costs but no ad spend rows: its total is unknown, with the reason
    assert np.isnan(cell.loc[("email", "total_cost"), "value"])
    assert "spend table has no rows" in cell.loc[("email", "total_cost"), "reason"]
    assert cell.loc[("email", "other_costs"), "value"] == pytest.approx(605.0)
    # the fair without channel or rule stays "(not set)", never in another channel
    assert cell.loc[("(not set)", "other_costs"), "value"] == pytest.approx(40.0)


def test_totals_by_month(data):
    result = compute(data, ["total_cost", "cac", "paid_cac"], by=("month",))
    value = result.set_index(["month", "kpi"])["value"]
    march, april = pd.Period("2026-03", "M"), pd.Period("2026-04", "M")
    # March: spend 400 + costs 100 + 200 + 90 + 500 + 40 = 1,330; one customer
    assert value[(march, "total_cost")] == pytest.approx(1330.0)
    assert value[(march, "cac")] == pytest.approx(1330.0)
    assert value[(march, "paid_cac")] == pytest.approx(400.0)
    assert value[(april, "total_cost")] == pytest.approx(260.0)


def test_without_a_costs_table_cac_is_paid_cac_and_says_so():
    data = LeadData(leads=_leads(), spend=_spend())
    result = compute(data, ["cac", "paid_cac", "total_cost"], by=("month",))
    march = result[result["month"] == pd.Period("2026-03", "M")].set_index("kpi")
    assert march.loc["cac", "value"] == march.loc["paid_cac", "value"] == 400.0
    assert march.loc["cac", "reason"] == AD_SPEND_ONLY
    assert march.loc["total_cost", "reason"] == AD_SPEND_ONLY
    assert pd.isna(march.loc["paid_cac", "reason"])


def test_a_month_the_costs_table_does_not_cover_is_unknown():
    spend = pd.concat(
        [
            _spend(),
            pd.DataFrame(
                {"date": ["2026-05-03"], "channel": ["paid_search"], "cost": ["80"]}
            ),
        ],
        ignore_index=True,
    )
    data = LeadData(leads=_leads(), spend=spend, costs=_costs())
    result = compute(data, ["total_cost", "paid_cac"], by=("month",))
    may = result[result["month"] == pd.Period("2026-05", "M")].set_index("kpi")
    assert np.isnan(may.loc["total_cost", "value"])
    assert may.loc["total_cost", "reason"] == (
        "the costs table has no rows for month 2026-05"
    )


def test_monthly_costs_are_not_cut_by_week(data):
    result = compute(data, ["other_costs"], by=("week",))
    assert result["value"].isna().all()
    assert "the costs table is by month" in result["reason"].iloc[0]


def test_costs_cannot_be_cut_by_a_column_they_do_not_have(data):
    # an owner column on leads does not reach the costs: unknown, never "ad spend
    # only"
    leads = _leads().assign(owner="Ana")
    data = LeadData(leads=leads, spend=_spend(), costs=_costs())
    result = compute(data, ["cac"], by=("owner",))
    assert result["value"].isna().all()
    assert AD_SPEND_ONLY not in str(result["reason"].iloc[0])


def test_gross_margin_roi_by_hand(data):
    # March: revenue 1,000 € at a 60 % margin = 600 € gross profit; total cost
    # 1,330 €: (600 − 1,330) / 1,330
    margin = data.with_config(dataclasses.replace(data.config, gross_margin=0.6))
    result = compute(
        margin, ["gross_margin_roi"], by=("month",), start="2026-03", end="2026-03"
    )
    assert result["value"].iloc[0] == pytest.approx((600 - 1330) / 1330)
    plain = compute(data, ["gross_margin_roi"], by=("month",))
    assert plain["value"].isna().all()
    assert (plain["reason"] == "needs gross_margin in the config").all()
    # the prospecting tool: 10 sales × 100 € on a 97 € subscription at 60 % margin
    assert f.gross_margin_roi(revenue=1000, cost=97, gross_margin=0.6) == (
        pytest.approx(503 / 97)
    )


def test_bad_cost_rows_are_rejected_with_their_line(tmp_path):
    path = tmp_path / "costs.csv"
    path.write_text(
        "month,amount,category,channel,allocation,description\n"
        "2026-03,100,tool,,by_leads,CRM\n"
        ",250,agency,,by_spend,Agency without a month\n"
        "03/2026,80,Salary,,by_clicks,Unknown rule\n"
        "2026-03-15,40,party,events,,Unknown category\n"
        "2026/04,60,other,,evenly,Design\n",
        encoding="utf-8",
    )
    result = read_canonical(path, "costs")
    assert result.rows_read == 5 == result.rows_loaded + result.rows_rejected
    reasons = result.rejects.set_index("line")["reason"].to_dict()
    assert reasons == {
        3: "month is empty; a value is required",
        4: "allocation = 'by_clicks' is not one of by_leads, by_spend, evenly",
        5: "category = 'party' is not one of tool, agency, salary, event, other",
    }
    table = result.table
    assert table["month"].tolist() == [
        pd.Timestamp("2026-03-01"),
        pd.Timestamp("2026-04-01"),
    ]
    assert table["allocation"].tolist() == ["by_leads", "evenly"]


def test_a_late_month_is_left_out_as_of_an_earlier_date(data):
    march = data.as_of("2026-03-31 23:59:59")
    assert march.costs["month"].max() == pd.Timestamp("2026-03-01")
    assert len(march.costs) == 5


def test_new_kpis_are_in_the_catalogue_in_both_languages():
    en, es = catalogue("en", NEW_KPIS), catalogue("es", NEW_KPIS)
    assert en["name"].tolist() == [
        "Customer acquisition cost (CAC)",
        "Paid CAC",
        "Other costs",
        "Total cost",
        "ROI on gross margin",
    ]
    assert es["name"].tolist() == [
        "Coste de adquisición (CAC)",
        "CAC publicitario",
        "Otros costes",
        "Coste total",
        "ROI sobre margen bruto",
    ]
    assert (en["definition"] != es["definition"]).all()
    needs = en.set_index("id")["needs"]
    assert needs["cac"] == (
        "spend.date, spend.cost, costs.month, costs.amount, leads.won_at, "
        "leads.created_at"
    )
    assert "config.gross_margin" in needs["gross_margin_roi"]


@settings(max_examples=20, deadline=None)
@given(
    leads=st.lists(st.sampled_from(["email", "paid_search", "events"]), max_size=8),
    amounts=st.lists(st.integers(0, 10_000), min_size=1, max_size=5),
    rule=st.sampled_from(["by_leads", "by_spend", "evenly"]),
)
def test_allocation_keeps_every_amount(leads, amounts, rule):
    frame = pd.DataFrame(
        {
            "lead_id": [f"l{i}" for i in range(len(leads))],
            "created_at": ["2026-03-02T10:00:00Z"] * len(leads),
            "channel": leads,
        }
    )
    costs = pd.DataFrame(
        {
            "month": ["2026-03"] * len(amounts),
            "amount": [str(a) for a in amounts],
            "allocation": [rule] * len(amounts),
        }
    )
    data = LeadData(leads=frame if len(leads) else None, spend=_spend(), costs=costs)
    got = allocate_costs(data)
    by_row = got.groupby("row")["amount"].sum().to_numpy()
    np.testing.assert_allclose(by_row, np.asarray(amounts, dtype=float))
    assert got.loc[got["allocated"], "share"].between(0, 1).all()


def test_costs_are_shared_once_per_data_and_again_for_a_changed_copy(data, monkeypatch):
    import leadkpi.costs

    calls = []

    def counted(data):
        calls.append(data)
        return allocate_costs(data)

    monkeypatch.setattr(leadkpi.costs, "allocate_costs", counted)
    first = compute(data, "cac", by=("month", "channel"))
    compute(data, ["other_costs", "total_cost"], by=("month",))
    assert len(calls) == 1  # two grains, one allocation
    view = data.with_tables(leads=data.leads.iloc[:3])  # other leads, other weights
    compute(view, "cac", by=("month", "channel"))
    assert len(calls) == 2 and calls[1] is view
    again = compute(data, "cac", by=("month", "channel"))
    pd.testing.assert_frame_equal(again, first)
