"""LeadData assembly: validated frames, money converted, channels, deals rolled up."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from leadkpi.config import Config
from leadkpi.data import LeadData
from leadkpi.exceptions import ConfigError
from leadkpi.rollup import rollup_deals

UTC = "UTC"


def _ts(values):
    return pd.to_datetime(pd.Series(values), utc=True)


@pytest.fixture
def leads() -> pd.DataFrame:
    """a: two deals, one won; b: one deal, lost, but the leads file says won;
    c: no deal, keeps its own won date; d: no deal, nothing."""
    return pd.DataFrame(
        {
            "lead_id": list("abcd"),
            "created_at": ["2025-01-01T00:00:00Z"] * 4,
            "won_at": [None, "2025-03-01T00:00:00Z", "2025-04-01T00:00:00Z", None],
            "deal_value": [None, 300.0, 50.0, None],
            "source": ["google", None, None, None],
            "medium": ["cpc", None, None, None],
        }
    )


@pytest.fixture
def deals() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "deal_id": ["D1", "D2", "D3", "D4"],
            "lead_id": ["a", "a", "b", "zz"],
            "created_at": [
                "2025-02-01T00:00:00Z",
                "2025-01-15T00:00:00Z",
                "2025-02-10T00:00:00Z",
                "2025-02-10T00:00:00Z",
            ],
            "won_at": ["2025-02-20T00:00:00Z", None, None, "2025-02-11T00:00:00Z"],
            "amount": [1000.0, 400.0, 300.0, 99.0],
            "currency": ["USD", "EUR", None, None],
        }
    )


def test_deals_roll_up_onto_their_leads(leads, deals):
    config = Config(currency="EUR", rates={"USD": 0.5})
    data = LeadData(leads=leads, deals=deals, config=config)
    got = data.leads.set_index("lead_id")
    expected_opp = _ts(["2025-01-15", "2025-02-10", None, None])
    expected_won = _ts(["2025-02-20", None, "2025-04-01", None])
    expected_columns = {"opportunity_at": expected_opp, "won_at": expected_won}
    for column, expected in expected_columns.items():
        pd.testing.assert_series_equal(
            got[column].reset_index(drop=True).astype("datetime64[ns, UTC]"),
            expected.astype("datetime64[ns, UTC]"),
            check_names=False,
        )
    # D1 is 1000 USD = 500 EUR; D2 was not won; b's 300 in the leads file goes
    np.testing.assert_array_equal(
        got["deal_value"].to_numpy(), [500.0, np.nan, 50.0, np.nan]
    )
    summary = data.derivations.set_index("column").loc[
        ["opportunity_at", "won_at", "deal_value"], ["derived", "changed"]
    ]
    # opportunity: the leads file has no such column, nothing replaced;
    # won: a (none→date), b (date→none); value: a (none→500), b (300→none)
    assert summary.to_dict("list") == {"derived": [2, 2, 2], "changed": [0, 2, 2]}


def test_rollup_keeps_leads_without_deals_and_the_callers_frame(leads, deals):
    typed = LeadData(leads=leads, deals=deals.drop(columns="currency"))
    before = typed.leads.copy()
    rolled, _ = rollup_deals(typed.leads, typed.deals)
    pd.testing.assert_frame_equal(typed.leads, before)
    assert rolled.loc[rolled["lead_id"] == "c", "deal_value"].item() == 50.0


def test_channels_are_filled_and_noted(leads):
    data = LeadData(leads=leads)
    assert data.leads["channel"].iloc[0] == "paid_search"
    assert data.leads["channel"].iloc[1:].isna().all()
    note = data.derivations.set_index("column").loc["channel"]
    assert note["derived"] == 1 and "3 without any source data" in note["detail"]


def test_assembly_is_idempotent(leads, deals):
    config = Config(rates={"USD": 0.5})
    data = LeadData(leads=leads, deals=deals, config=config)
    again = dataclasses.replace(data)
    pd.testing.assert_frame_equal(again.deals, data.deals)
    pd.testing.assert_frame_equal(again.leads, data.leads)


def test_missing_rate_names_the_table_and_both_currencies(deals):
    with pytest.raises(ConfigError, match="deals table .* USD .* EUR"):
        LeadData(deals=deals, config=Config(currency="EUR"))


def test_frames_are_validated_like_files(leads):
    broken = leads.assign(created_at=["2025-01-01T00:00:00Z", "nope", None, "x"])
    data = LeadData(leads=broken)
    assert len(data.leads) == 1
    assert data.accounting()[["rows_read", "rows_loaded", "rows_rejected"]].iloc[
        0
    ].tolist() == [4, 1, 3]


def test_sample_data_assembles_without_changes(sample_config):
    from leadkpi import load

    data = load(sample_config)
    assert data.derivations["changed"].sum() == 0
    assert data.leads["channel"].notna().all()


def test_deals_without_any_lead_change_nothing(leads, deals):
    orphans = deals.assign(lead_id=None).drop(columns="currency")
    data = LeadData(leads=leads, deals=orphans)
    assert data.leads["deal_value"].tolist()[2] == 50.0
    rolled = data.derivations.set_index("column").loc[["won_at", "deal_value"]]
    assert rolled["derived"].tolist() == [0, 0]


def test_dates_held_as_python_objects_are_read_as_dates(tmp_path):
    """A Parquet DATE column comes back from pandas as datetime.date objects."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "date": pa.array([dt.date(2026, 1, 1), dt.date(2026, 1, 2), None]),
            "cost": [1.0, 2.0, 3.0],
            "channel": ["email", "events", "email"],
        }
    )
    pq.write_table(table, tmp_path / "spend.parquet")
    frame = pd.read_parquet(tmp_path / "spend.parquet")
    assert isinstance(frame["date"].iloc[0], dt.date)
    data = LeadData(spend=frame)
    assert data.spend["date"].tolist() == [
        pd.Timestamp("2026-01-01"),
        pd.Timestamp("2026-01-02"),
    ]
    assert data.spend["cost"].tolist() == [1.0, 2.0]
    assert len(data.rejects()) == 1  # the row without its date, kept and shown
