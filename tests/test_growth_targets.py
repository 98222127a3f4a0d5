"""Relative targets: a change against a reference period, progress and pace."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leadkpi import LeadData, add_targets, compute, load_config, target_progress
from leadkpi.config import Config, parse_targets
from leadkpi.present.target_tables import progress_table

# Leads per month (created on the 10th), and spend per month:
#   2025: Oct 10, Nov 8, Dec 12 (Q4 30); 2026: Jul 8, Aug 8, Sep 8 (Q3 24),
#   Oct 12, Nov 9.  Spend: 800 in each month of 2026 Q3 (CPL 100), 1,200 in Oct.
LEADS = {
    "2025-10": 10,
    "2025-11": 8,
    "2025-12": 12,
    "2026-07": 8,
    "2026-08": 8,
    "2026-09": 8,
    "2026-10": 12,
    "2026-11": 9,
}
SPEND = {"2026-07": 800.0, "2026-08": 800.0, "2026-09": 800.0, "2026-10": 1200.0}


@pytest.fixture
def data() -> LeadData:
    created = [
        pd.Timestamp(f"{month}-10T10:00Z") + pd.Timedelta(hours=i)
        for month, count in LEADS.items()
        for i in range(count)
    ]
    leads = pd.DataFrame(
        {"lead_id": [f"L{i}" for i in range(len(created))], "created_at": created}
    )
    spend = pd.DataFrame(
        {
            "date": pd.to_datetime([f"{m}-15" for m in SPEND]),
            "channel": "paid_search",
            "campaign": "search",
            "cost": list(SPEND.values()),
        }
    )
    return LeadData(leads=leads, spend=spend, config=Config())


def _row(progress: pd.DataFrame, kpi: str) -> pd.Series:
    return progress.set_index("kpi").loc[kpi]


def test_the_fixture_counts_as_the_comment_says(data):
    counts = compute(data, "leads", by=("quarter",), mode="period")
    assert counts.set_index(counts["quarter"].astype(str))["value"].to_dict() == {
        "2025Q4": 30.0,
        "2026Q3": 24.0,
        "2026Q4": 21.0,
    }


def test_a_quarter_count_target_by_hand(data):
    targets = {"leads": {"change": 0.10, "against": "same_quarter_last_year"}}
    october = _row(target_progress(data, "2026-10", targets), "leads")
    # 30 × 1.1 = 33; 12 so far; (33 − 12) / 2 = 10.5 a month; 12 × 3 = 36 ≥ 33
    assert october["period"] == pd.Period("2026Q4", "Q-DEC")
    assert october["reference_period"] == pd.Period("2025Q4", "Q-DEC")
    assert (october["reference"], october["target"]) == (30.0, pytest.approx(33.0))
    assert (october["actual"], october["months_elapsed"], october["months_left"]) == (
        12.0,
        1,
        2,
    )
    assert october["needed"] == pytest.approx(10.5)
    assert october["needed_per"] == "month"
    assert october["progress"] == pytest.approx(12 / 33)
    assert october["status"] == "on_track"
    # November: 21 so far; 12 needed in December; 21 × 3 / 2 = 31.5 < 33: behind
    november = _row(target_progress(data, "2026-11", targets), "leads")
    assert november["actual"] == 21.0 and november["months_left"] == 1
    assert november["needed"] == pytest.approx(12.0)
    assert november["status"] == "behind"
    # December (no leads): 21 of 33, the quarter is over
    december = _row(target_progress(data, "2026-12", targets), "leads")
    assert december["months_left"] == 0 and np.isnan(december["needed"])
    assert december["status"] == "missed"


def test_a_month_target_is_met_or_missed(data):
    targets = {"leads": {"change": 0.20, "against": "same_month_last_year"}}
    # October 2026: 12 against 10 × 1.2 = 12: met (at least the target)
    row = _row(target_progress(data, "2026-10", targets), "leads")
    assert (row["target"], row["actual"], row["status"]) == (
        pytest.approx(12.0),
        12.0,
        "met",
    )
    assert row["period"] == pd.Period("2026-10", "M")
    assert row["reference_period"] == pd.Period("2025-10", "M")
    # November 2026: 9 against 8 × 1.2 = 9.6: missed
    row = _row(target_progress(data, "2026-11", targets), "leads")
    assert row["target"] == pytest.approx(9.6) and row["status"] == "missed"
    previous = {"leads": {"change": 0.5, "against": "previous_month"}}
    row = _row(target_progress(data, "2026-10", previous), "leads")
    assert row["reference"] == 8.0 and row["target"] == 12.0 and row["status"] == "met"


def test_a_cost_target_needs_the_rest_of_the_quarter_at_a_price(data):
    targets = {"cost_per_lead": {"change": -0.10, "against": "previous_quarter"}}
    row = _row(target_progress(data, "2026-10", targets), "cost_per_lead")
    # Q3: 2,400 / 24 = 100 → target 90. October: 1,200 / 12 = 100. If leads keep
    # their pace (12 a month), the quarter has 36 leads and may cost 90 × 36 =
    # 3,240: the 24 leads left may cost (3,240 − 1,200) / 24 = 85 each.
    assert row["reference"] == pytest.approx(100.0)
    assert row["target"] == pytest.approx(90.0)
    assert row["actual"] == pytest.approx(100.0)
    assert row["needed"] == pytest.approx(85.0)
    assert row["needed_per"] == "rest"
    assert np.isnan(row["progress"])  # a cost is not reached bit by bit
    assert row["status"] == "behind"  # lower is better: 100 > 90


def test_a_year_target_and_a_missing_reference(data):
    targets = {"leads": {"change": 0.0, "against": "previous_year"}}
    row = _row(target_progress(data, "2026-11", targets), "leads")
    # 2025: 30; 2026 so far: 24 + 21 = 45; one month left
    assert (row["reference"], row["actual"], row["months_left"]) == (30.0, 45.0, 1)
    assert row["needed"] == 0.0  # reached already: nothing more needed
    assert row["status"] == "on_track"
    early = {"cost_per_lead": {"change": -0.1, "against": "same_quarter_last_year"}}
    row = _row(target_progress(data, "2026-10", early), "cost_per_lead")
    assert np.isnan(row["target"]) and pd.isna(row["status"])
    assert row["reason"].startswith("no value for 2025Q4: ")


def test_fiscal_quarters_follow_the_config(data):
    fiscal = data.with_config(Config(fiscal_year_start=2))
    targets = {"leads": {"change": 0.0, "against": "previous_quarter"}}
    row = _row(target_progress(fiscal, "2026-10", targets), "leads")
    # quarters start in Feb, May, Aug, Nov: October is the last month of Aug–Oct
    assert (row["actual"], row["months_elapsed"], row["months_left"]) == (28.0, 3, 0)
    assert row["reference"] == 8.0  # May–Jul 2026: July's 8 leads


def test_absolute_targets_are_left_to_add_targets(data):
    targets = {
        "leads": 10,
        "cost_per_lead": {"change": -0.1, "against": "previous_month"},
    }
    assert target_progress(data, "2026-10", targets)["kpi"].tolist() == [
        "cost_per_lead"
    ]
    month = compute(
        data,
        ["leads", "cost_per_lead"],
        by=("month",),
        start="2026-10",
        end="2026-10",
        mode="period",
    )
    judged = add_targets(month, parse_targets(targets))
    assert judged["target"].tolist()[0] == 10.0 and np.isnan(judged["target"][1])
    empty = target_progress(data, "2026-10", {"leads": 10})
    assert empty.empty and "needed" in empty.columns


def test_progress_table_in_both_languages(data):
    progress = target_progress(
        data,
        "2026-10",
        {
            "leads": {"change": 0.10, "against": "same_quarter_last_year"},
            "cost_per_lead": {"change": -0.10, "against": "previous_quarter"},
        },
    )
    en = progress_table(progress).data
    assert en.iloc[0].tolist() == [
        "Leads generated",
        "2026Q4",
        "+10.0% on 2025Q4 (33)",
        "12",
        "36.4%",
        "10 a month for 2 more months",
        "on track",
    ]
    assert en.iloc[1, 2:].tolist() == [
        "−10.0% on 2026Q3 (€90.00)",
        "€100.00",
        "",
        "€85.00 over the remaining 2 months",
        "behind",
    ]
    es = progress_table(progress, lang="es").data
    assert es.iloc[0, -2:].tolist() == ["10 al mes durante 2 meses más", "en camino"]
    assert es.iloc[1, -1] == "por detrás"


def test_the_sample_config_reads_its_relative_targets(sample_config):
    targets = load_config(sample_config).targets
    assert targets["revenue"].change == pytest.approx(0.20)
    assert targets["revenue"].against == "same_month_last_year"
    assert targets["cac"].relative and not targets["leads"].relative


def test_every_reference_the_config_accepts_is_evaluated():
    from leadkpi.config_schema import Against
    from leadkpi.kpis.growth import REFERENCES

    assert set(REFERENCES) == set(Against.__args__)
