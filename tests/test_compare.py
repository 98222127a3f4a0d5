"""compare(): previous value, change, direction and whether a change is noise."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadkpi import compare

NAN = np.nan
JAN, FEB = pd.Period("2025-01", "M"), pd.Period("2025-02", "M")


def _result(rows: list[tuple], *, full: bool = True) -> pd.DataFrame:
    """A hand-made engine result by month: (month, kpi, value, numerator,
    denominator, unit, better, n, ci_low, ci_high)."""
    frame = pd.DataFrame(
        rows,
        columns=[
            "month",
            "kpi",
            "value",
            "numerator",
            "denominator",
            "unit",
            "better",
            "n",
            "ci_low",
            "ci_high",
        ],
    )
    frame["month"] = frame["month"].astype("period[M]")
    frame["mode"] = "period"
    frame["reason"] = None
    if not full:
        return frame[
            ["month", "kpi", "value", "numerator", "denominator", "unit", "better"]
            + ["mode", "reason"]
        ]
    frame["small_sample"] = frame["n"] < 30
    return frame


# Worked by hand (z at 95 % = 1.96):
# leads       100 → 130: z = 30 / sqrt(230)   = 1.98 → beyond noise
# mqls        100 → 120: z = 20 / sqrt(220)   = 1.35 → noise
# conversion  10/200 → 30/300: pooled 40/500 = 0.08,
#             se = sqrt(0.08 · 0.92 · (1/200 + 1/300)) = 0.02476, z = 0.05 / se = 2.02
# open_rate   10/200 → 15/200: pooled 0.0625, se = 0.02421, z = 0.025 / se = 1.03
# cpl         50 [40, 60] → 70 [60, 80]: se each 20 / 3.92 = 5.10, both 7.22,
#             z = 20 / 7.22 = 2.77
# cpc         2.0 [1.5, 2.5] → 2.5 [1.9, 3.1]: se 0.255 and 0.306, both 0.398, z = 1.26
# roi         a fraction that is not a share (value ≠ numerator / denominator) and
#             has no interval: cannot be judged
# spend       no interval: cannot be judged
ROWS = [
    (JAN, "leads", 100, 100, NAN, "count", "higher", 100, NAN, NAN),
    (JAN, "mqls", 100, 100, NAN, "count", "higher", 100, NAN, NAN),
    (JAN, "conversion", 0.05, 10, 200, "fraction", "higher", 200, 0.027, 0.09),
    (JAN, "open_rate", 0.05, 10, 200, "fraction", "higher", 200, 0.027, 0.09),
    (JAN, "cpl", 50.0, 5000, 100, "currency", "lower", 100, 40.0, 60.0),
    (JAN, "cpc", 2.0, 200, 100, "currency", "lower", 100, 1.5, 2.5),
    (JAN, "roi", 9.0, 1000, 100, "fraction", "higher", 10, NAN, NAN),
    (JAN, "spend", 5000.0, 5000, NAN, "currency", None, 40, NAN, NAN),
    (FEB, "leads", 130, 130, NAN, "count", "higher", 130, NAN, NAN),
    (FEB, "mqls", 120, 120, NAN, "count", "higher", 120, NAN, NAN),
    (FEB, "conversion", 0.1, 30, 300, "fraction", "higher", 300, 0.07, 0.14),
    (FEB, "open_rate", 0.075, 15, 200, "fraction", "higher", 200, 0.04, 0.12),
    (FEB, "cpl", 70.0, 7000, 100, "currency", "lower", 100, 60.0, 80.0),
    (FEB, "cpc", 2.5, 250, 100, "currency", "lower", 100, 1.9, 3.1),
    (FEB, "roi", 1.0, 200, 100, "fraction", "higher", 10, NAN, NAN),
    (FEB, "spend", 7000.0, 7000, NAN, "currency", None, 40, NAN, NAN),
]


@pytest.fixture
def result() -> pd.DataFrame:
    return _result(ROWS)


def _feb(compared: pd.DataFrame) -> pd.DataFrame:
    return compared[compared["month"] == FEB].set_index("kpi")


def test_significance_by_unit(result):
    feb = _feb(compare(result))
    expected = pd.Series(
        [True, False, True, False, True, False, pd.NA, pd.NA],
        index=pd.Index(
            ["leads", "mqls", "conversion", "open_rate", "cpl", "cpc", "roi", "spend"],
            name="kpi",
        ),
        dtype="boolean",
        name="significant",
    )
    pd.testing.assert_series_equal(feb["significant"], expected)
    jan = compare(result).query("month == @JAN")
    assert jan["significant"].isna().all()  # nothing earlier to compare with


def test_change_direction_and_previous_columns(result):
    before = result.copy()
    compared = compare(result)
    pd.testing.assert_frame_equal(result, before)  # the caller's frame is untouched
    feb = _feb(compared)
    assert feb.loc["cpl", "previous"] == 50 and feb.loc["cpl", "change"] == 20
    assert feb.loc["cpl", "change_rate"] == pytest.approx(0.4)
    assert not feb.loc["cpl", "improved"]  # dearer leads: bad news
    assert feb.loc["leads", "improved"]
    assert pd.isna(feb.loc["spend", "improved"])  # spend has no direction
    assert feb.loc["conversion", ["previous_n", "previous_ci_low"]].tolist() == [
        200,
        0.027,
    ]
    assert list(compared.columns[: len(result.columns)]) == list(result.columns)
    assert not {"previous_numerator", "previous_denominator"} & set(compared.columns)


def test_todays_engine_layout_without_intervals(result):
    compared = compare(_result(ROWS, full=False))
    feb = _feb(compared)
    assert not {"previous_n", "previous_ci_low"} & set(compared.columns)
    # shares and counts are still judged; the rest cannot be
    assert feb["significant"].tolist()[:4] == [True, False, True, False]
    assert feb.loc[["cpl", "cpc"], "significant"].isna().all()


def test_missing_value_cannot_be_judged(result):
    gone = result.copy()
    gone.loc[(gone["month"] == FEB) & (gone["kpi"] == "leads"), "value"] = NAN
    feb = _feb(compare(gone))
    assert pd.isna(feb.loc["leads", "significant"])
    assert pd.isna(feb.loc["leads", "improved"])


def test_a_stricter_level_calls_fewer_changes_real(result):
    feb = _feb(compare(result, level=0.99))  # z = 2.58
    assert feb.loc[["leads", "conversion", "cpl"], "significant"].tolist() == [
        False,
        False,
        True,
    ]
    with pytest.raises(ValueError, match="level must be between 0 and 1"):
        compare(result, level=95)


def test_previous_year_and_dimensions():
    months = pd.PeriodIndex(["2024-03", "2025-02", "2025-03"] * 2, freq="M")
    result = pd.DataFrame(
        {
            "month": months,
            "channel": ["a"] * 3 + ["b"] * 3,
            "kpi": "leads",
            "value": [10.0, 50.0, 40.0, 1.0, 2.0, 3.0],
            "numerator": [10.0, 50.0, 40.0, 1.0, 2.0, 3.0],
            "denominator": NAN,
            "unit": "count",
            "better": "higher",
            "mode": "period",
            "reason": None,
        }
    )
    compared = compare(result, to="previous_year")
    march = compared[compared["month"] == pd.Period("2025-03", "M")]
    assert march["previous"].tolist() == [10.0, 1.0]  # March 2024, per channel
    # a: 10 → 40, z = 30 / sqrt(50) = 4.2; b: 1 → 3, z = 2 / 2 = 1
    assert march["significant"].tolist() == [True, False]


def test_needs_a_period(result):
    with pytest.raises(ValueError, match="needs a result computed with a period"):
        compare(result.drop(columns="month"))
    with pytest.raises(ValueError, match="to must be"):
        compare(result, to="last_month")


# --- invariants -------------------------------------------------------------------

_count = st.integers(min_value=0, max_value=5_000)


@st.composite
def _shares(draw):
    n1, n2 = draw(st.integers(1, 2_000)), draw(st.integers(1, 2_000))
    return draw(st.integers(0, n1)), n1, draw(st.integers(0, n2)), n2


def _share_rows(x1, n1, x2, n2):
    return _result(
        [
            (JAN, "rate", x1 / n1, x1, n1, "fraction", "higher", n1, NAN, NAN),
            (FEB, "rate", x2 / n2, x2, n2, "fraction", "higher", n2, NAN, NAN),
        ]
    )


@settings(max_examples=60, deadline=None)
@given(_shares())
def test_the_noise_test_is_symmetric_in_time(shares):
    x1, n1, x2, n2 = shares
    forward = compare(_share_rows(x1, n1, x2, n2))["significant"].iloc[1]
    backward = compare(_share_rows(x2, n2, x1, n1))["significant"].iloc[1]
    assert forward is backward or forward == backward


@settings(max_examples=60, deadline=None)
@given(_shares(), st.integers(min_value=1, max_value=20))
def test_more_data_with_the_same_shares_never_makes_a_change_noise(shares, k):
    x1, n1, x2, n2 = shares
    small = compare(_share_rows(x1, n1, x2, n2))["significant"].iloc[1]
    large = compare(_share_rows(k * x1, k * n1, k * x2, k * n2))["significant"]
    assert not small or large.iloc[1]


@settings(max_examples=60, deadline=None)
@given(_count, _count)
def test_counts_are_always_judged(before, after):
    rows = [
        (JAN, "leads", before, before, NAN, "count", "higher", before, NAN, NAN),
        (FEB, "leads", after, after, NAN, "count", "higher", after, NAN, NAN),
    ]
    significant = compare(_result(rows))["significant"].iloc[1]
    assert significant is not pd.NA
    assert not (before == after and significant)
