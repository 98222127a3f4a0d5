"""Money in the project currency: converted with the rates, never summed across two."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadkpi.config import Config
from leadkpi.currency import money_columns, to_project_currency
from leadkpi.exceptions import ConfigError, LeadKPIError

CONFIG = Config(currency="EUR", rates={"USD": 0.9, "GBP": 1.2})


def test_money_columns_come_from_the_schema():
    assert money_columns("spend") == ("cost", "conversion_value")
    assert money_columns("leads") == ("deal_value",)
    assert money_columns("email") == ()


def test_amounts_are_converted_and_originals_kept():
    spend = pd.DataFrame(
        {
            "cost": [100.0, 10.0, 50.0, None],
            "currency": ["USD", None, "gbp ", "USD"],
        }
    )
    got = to_project_currency(spend, "spend", CONFIG)
    expected = spend.assign(
        cost=[90.0, 10.0, 60.0, None], cost_original=[100.0, 10.0, 50.0, None]
    )
    pd.testing.assert_frame_equal(got, expected)
    assert spend["cost"].tolist()[0] == 100.0  # the caller's frame is untouched
    # converting again starts from the originals
    pd.testing.assert_frame_equal(to_project_currency(got, "spend", CONFIG), expected)


def test_project_currency_only_is_left_alone():
    deals = pd.DataFrame({"amount": [1.0, 2.0], "currency": ["EUR", None]})
    assert to_project_currency(deals, "deals", CONFIG) is deals
    plain = pd.DataFrame({"amount": [1.0]})
    assert to_project_currency(plain, "deals", CONFIG) is plain


def test_a_currency_without_rate_is_one_error_naming_both():
    deals = pd.DataFrame({"amount": [1.0, 2.0, 3.0], "currency": ["EUR", "MXN", "MXN"]})
    with pytest.raises(ConfigError) as info:
        to_project_currency(deals, "deals", CONFIG, file="deals.csv")
    message = str(info.value)
    assert "deals.csv" in message and "MXN (2 rows)" in message and "EUR" in message
    assert isinstance(info.value, LeadKPIError)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0, 1e6, allow_nan=False), st.sampled_from(["EUR", "USD", "GBP"])
        ),
        min_size=1,
        max_size=30,
    )
)
def test_total_is_the_sum_of_converted_amounts(rows):
    frame = pd.DataFrame(rows, columns=["cost", "currency"])
    got = to_project_currency(frame, "spend", CONFIG)
    rates = frame["currency"].map({"EUR": 1.0, **CONFIG.rates})
    assert got["cost"].sum() == pytest.approx((frame["cost"] * rates).sum())
    by_code = got.groupby("currency")[
        "cost_original" if "cost_original" in got else "cost"
    ].sum()
    assert by_code.sum() == pytest.approx(frame["cost"].sum())
