"""add_targets(): the target of each row, most specific first, met or missed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leadkpi.config import Target
from leadkpi.exceptions import ConfigError
from leadkpi.kpis.targets import add_targets

NAN = np.nan


@pytest.fixture
def result() -> pd.DataFrame:
    """Leads and cost per lead by channel, one month; a row without a value."""
    return pd.DataFrame(
        {
            "month": pd.PeriodIndex(["2025-02"] * 8, freq="M"),
            "channel": ["paid_search", "paid_search", "events", "events"]
            + ["email", "email", "(not set)", "(not set)"],
            "kpi": ["leads", "cost_per_lead"] * 4,
            "value": [120.0, 85.0, 40.0, 140.0, 90.0, 0.0, 5.0, NAN],
            "unit": ["count", "currency"] * 4,
            "better": ["higher", "lower"] * 4,
            "reason": [None] * 7 + ["needs the spend table"],
        }
    )


TARGETS = {
    "leads": 100,
    "cost_per_lead": {"value": 60, "channel": {"paid_search": 80, "events": 150}},
}


def test_most_specific_target_wins_and_direction_decides(result):
    judged = add_targets(result, TARGETS)
    expected = pd.DataFrame(
        {
            "target": [100.0, 80.0, 100.0, 150.0, 100.0, 60.0, 100.0, 60.0],
            "status": pd.array(
                # 120 ≥ 100, 85 > 80, 40 < 100, 140 ≤ 150, 90 < 100, 0 ≤ 60,
                # 5 < 100, no value
                ["met", "missed", "missed", "met", "missed", "met", "missed", pd.NA],
                dtype="string",
            ),
        }
    )
    pd.testing.assert_frame_equal(judged[["target", "status"]], expected)
    assert list(judged.columns) == [*result.columns, "target", "status"]


def test_without_the_dimension_the_overall_target_applies(result):
    total = pd.DataFrame(
        {
            "kpi": ["leads", "cost_per_lead", "spend"],
            "value": [255.0, 70.0, 9000.0],
            "better": ["higher", "lower", None],
        }
    )
    judged = add_targets(total, {**TARGETS, "spend": 10_000})
    assert judged["target"].tolist() == [100.0, 60.0, 10_000.0]
    # spend has no direction: a target is shown, but neither met nor missed
    assert judged["status"].tolist()[:2] == ["met", "missed"]
    assert pd.isna(judged["status"].iloc[2])


def test_a_kpi_without_an_overall_target_only_has_its_specific_ones(result):
    judged = add_targets(result, {"cost_per_lead": {"channel": {"events": 150}}})
    cpl = judged[judged["kpi"] == "cost_per_lead"]
    np.testing.assert_array_equal(cpl["target"], [NAN, 150.0, NAN, NAN])
    assert cpl["status"].isna().tolist() == [True, False, True, True]
    assert judged[judged["kpi"] == "leads"]["status"].isna().all()


def test_the_first_listed_dimension_wins_when_several_match():
    result = pd.DataFrame(
        {
            "country": ["ES", "ES", "DE"],
            "channel": ["email", "events", "events"],
            "kpi": "leads",
            "value": [10.0, 10.0, 10.0],
            "better": "higher",
        }
    )
    targets = {
        "leads": Target(5.0, {"country": {"ES": 20.0}, "channel": {"events": 8}})
    }
    judged = add_targets(result, targets)
    assert judged["target"].tolist() == [20.0, 20.0, 8.0]
    assert judged["status"].tolist() == ["missed", "missed", "met"]


def test_config_targets_and_no_targets(result, sample_config):
    from leadkpi import load_config

    judged = add_targets(result, load_config(sample_config).targets)
    assert judged["target"].tolist()[:4] == [300.0, 80.0, 300.0, 300.0]
    empty = add_targets(result, None)
    assert empty["target"].isna().all() and empty["status"].isna().all()


def test_caller_frame_is_untouched_and_bad_input_is_named(result):
    before = result.copy()
    add_targets(result, TARGETS)
    pd.testing.assert_frame_equal(result, before)
    with pytest.raises(ConfigError, match="'targets.leads' must be a number"):
        add_targets(result, {"leads": "lots"})
    with pytest.raises(ValueError, match=r"no \['better'\] column"):
        add_targets(result.drop(columns="better"), TARGETS)
