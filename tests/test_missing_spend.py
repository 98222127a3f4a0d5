"""A period with leads but no spend rows has an unknown spend, never a spend of 0.

Three leads (January, February, March), spend of 100 in January and 50 in March:
February's cost per lead is missing with a reason, not €0.00 with interval [0, 0].
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import leadkpi


@pytest.fixture
def data(tmp_path):
    (tmp_path / "leads.csv").write_text(
        "lead_id,created_at,channel\n"
        "L1,2025-01-10T10:00:00Z,paid_search\n"
        "L2,2025-02-03T10:00:00Z,paid_search\n"
        "L3,2025-03-03T10:00:00Z,paid_search\n"
    )
    (tmp_path / "spend.csv").write_text(
        "date,channel,campaign,cost\n"
        "2025-01-05,paid_search,c,100\n"
        "2025-03-05,paid_search,c,50\n"
    )
    (tmp_path / "leadkpi.yaml").write_text(
        "sources:\n  leads: leads.csv\n  spend: spend.csv\n"
    )
    return leadkpi.load(tmp_path / "leadkpi.yaml")


def _rows(result: pd.DataFrame, kpi: str) -> pd.DataFrame:
    rows = result[result["kpi"] == kpi].reset_index(drop=True)
    rows["month"] = rows["month"].astype(str)
    return rows


def test_month_without_spend_rows_is_missing_with_a_reason(data):
    result = leadkpi.compute(data, ["spend", "cost_per_lead"], by=("month",))
    cpl = _rows(result, "cost_per_lead")
    assert cpl["month"].tolist() == ["2025-01", "2025-02", "2025-03"]
    np.testing.assert_array_equal(cpl["value"], [100.0, np.nan, 50.0])
    assert cpl["ci_low"].isna()[1] and cpl["ci_high"].isna()[1]
    assert cpl["reason"][1] == "the spend table has no rows for month 2025-02"
    assert cpl["reason"][[0, 2]].isna().all()
    spend = _rows(result, "spend")
    np.testing.assert_array_equal(spend["value"], [100.0, np.nan, 50.0])


def test_month_and_channel_without_spend_rows_names_both(data):
    result = leadkpi.compute(data, "cost_per_lead", by=("month", "channel"))
    cpl = _rows(result, "cost_per_lead")
    assert cpl["reason"][1] == (
        "the spend table has no rows for month 2025-02, channel 'paid_search'"
    )
    np.testing.assert_array_equal(cpl["value"], [100.0, np.nan, 50.0])


def test_total_over_the_months_still_sums_what_is_known(data):
    result = leadkpi.compute(data, ["spend", "cost_per_lead"], by=())
    values = dict(zip(result["kpi"], result["value"], strict=True))
    assert values == {"spend": 150.0, "cost_per_lead": 50.0}  # 150 / 3 leads


def test_one_figure_over_a_range_without_spend_rows_is_missing(data):
    result = leadkpi.compute(
        data, ["leads", "spend", "cost_per_lead"], by=(), start="2025-02", end="2025-02"
    )
    values = dict(zip(result["kpi"], result["value"], strict=True))
    assert values["leads"] == 1.0
    assert np.isnan(values["spend"]) and np.isnan(values["cost_per_lead"])
    reasons = dict(zip(result["kpi"], result["reason"], strict=True))
    assert reasons["cost_per_lead"] == (
        "the spend table has no rows in the selected range"
    )
    assert pd.isna(reasons["leads"])
