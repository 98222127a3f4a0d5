"""Period grains, fiscal years and month parsing."""

import pandas as pd
import pytest

from leadkpi import Config, LeadData, compute
from leadkpi.exceptions import PeriodError
from leadkpi.periods import parse_month, period_freq, to_period


def test_period_freq_follows_the_fiscal_year():
    assert period_freq("quarter") == "Q-DEC" and period_freq("year") == "Y-DEC"
    assert period_freq("quarter", 4) == "Q-MAR"
    assert period_freq("year", 7) == "Y-JUN"
    assert period_freq("month", 4) == "M" and period_freq("week") == "W-SUN"
    with pytest.raises(ValueError, match="unknown period grain 'fortnight'"):
        period_freq("fortnight")
    with pytest.raises(PeriodError, match="fiscal_year_start=13"):
        period_freq("quarter", 13)


def test_fiscal_quarters_cut_timestamps_in_local_time():
    times = pd.Series(
        pd.to_datetime(["2025-03-31T22:30:00Z", "2025-04-01T12:00:00Z"])
    ).dt.tz_convert("Europe/Madrid")
    # 00:30 on 1 April in Madrid: first quarter of the fiscal year ending March 2026
    assert to_period(times, "quarter", 4).astype(str).tolist() == ["2026Q1", "2026Q1"]
    assert to_period(times, "quarter").astype(str).tolist() == ["2025Q2", "2025Q2"]


def test_engine_uses_the_configured_fiscal_year():
    leads = pd.DataFrame(
        {
            "lead_id": ["a", "b", "c"],
            "created_at": [
                "2025-03-15T10:00Z",
                "2025-04-15T10:00Z",
                "2025-06-30T10:00Z",
            ],
        }
    )
    data = LeadData(leads=leads, config=Config(fiscal_year_start=4))
    result = compute(data, "leads", by=("quarter",))
    assert result["quarter"].astype(str).tolist() == ["2025Q4", "2026Q1"]
    assert result["value"].tolist() == [1, 2]
    yearly = compute(data, "leads", by=("year",))
    assert yearly["value"].tolist() == [1, 2]


def test_parse_month():
    assert parse_month("2026-10") == pd.Period("2026-10", "M")
    with pytest.raises(PeriodError, match="expected YYYY-MM"):
        parse_month("2026-13")
