"""Funnel stage counts and conversions, by hand."""

import numpy as np

from leadkpi import LeadData, funnel


def test_period_funnel(small_leads):
    table = funnel(LeadData(leads=small_leads), start="2025-02", end="2025-02")
    assert table["stage"].tolist() == ["lead", "mql", "sql", "opportunity", "customer"]
    # February in UTC: created d, e, f, g, h; MQL c, d, e; SQL d, e; won a, d
    assert table["count"].tolist() == [5, 3, 2, 0, 2]
    assert np.isnan(table["from_previous"].iloc[0])
    assert table["from_previous"].iloc[1] == 3 / 5
    assert table["from_first"].iloc[2] == 2 / 5
    assert table["drop_off"].tolist()[1:4] == [2, 1, 2]
    assert table["reason"].isna().all()
    assert np.isnan(table["from_previous"].iloc[4])  # from zero opportunities
    assert set(table["mode"]) == {"period"}


def test_cohort_funnel_by_channel(small_leads):
    table = funnel(LeadData(leads=small_leads), by=("channel",), mode="cohort")
    x = table[table["channel"] == "x"].set_index("stage")["count"]
    assert x.to_dict() == {
        "lead": 4,
        "mql": 3,
        "sql": 3,
        "opportunity": 0,
        "customer": 2,
    }


def test_empty_selection_has_the_columns(small_leads):
    table = funnel(LeadData(leads=small_leads), by=("month",), start="2030-01")
    assert table.empty
    assert list(table.columns) == [
        "month",
        "stage",
        "count",
        "from_previous",
        "from_first",
        "drop_off",
        "mode",
        "reason",
    ]


def test_a_stage_column_that_is_missing_is_explained(small_leads):
    table = funnel(LeadData(leads=small_leads.drop(columns="opportunity_at")))
    row = table.set_index("stage").loc["opportunity"]
    assert np.isnan(row["count"])
    assert row["reason"] == "the leads table has no opportunity_at column"
