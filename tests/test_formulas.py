"""The catalogue's worked examples, reproduced exactly."""

import math

import numpy as np
import pandas as pd
import pytest

from leadkpi import kpis


def test_cost_per_lead_worked_example():
    assert kpis.cost_per_lead(spend=10_000, leads=200) == 50


@pytest.mark.parametrize(("customers", "leads"), [(10, 200), (25, 500)])
def test_conversion_rate_worked_examples(customers, leads):
    assert kpis.lead_conversion_rate(customers=customers, leads=leads) == 0.05


def test_roas_and_roi_are_not_the_same_number():
    assert kpis.roas(revenue=1000, spend=97) == pytest.approx(10.309, abs=1e-3)
    assert kpis.roi(revenue=1000, spend=97) == pytest.approx(9.309, abs=1e-3)
    # the prospecting article's "1030.9 %" is ROAS, not ROI
    assert round(kpis.roas(revenue=10 * 100, spend=97) * 100, 1) == 1030.9
    assert round(kpis.roi(revenue=1000, spend=97) * 100, 1) == 930.9


def test_revenue_uplift_worked_example():
    assert kpis.revenue_uplift(baseline=5000, after=8750) == 3750
    assert kpis.revenue_uplift(baseline=5000, after=8750) * 12 == 45_000
    assert kpis.revenue_uplift_rate(baseline=5000, after=8750) == 0.75


def test_ltv_worked_example():
    assert kpis.ltv(average_value=20, purchases_per_period=12, periods=3) == 720


def test_churn_and_retention_worked_example():
    assert kpis.churn_rate(customers_at_start=50, customers_lost=30) == 0.6
    assert kpis.retention_rate(customers_at_start=50, customers_lost=30) == 0.4


def test_cac_worked_examples():
    assert kpis.cac(spend=1500, customers=50) == 30
    assert kpis.cac(spend=100, customers=30) == pytest.approx(3.333, abs=1e-3)


def test_zero_denominator_is_nan_for_scalars_and_series():
    assert math.isnan(kpis.cost_per_lead(spend=100, leads=0))
    assert math.isnan(kpis.roi(revenue=0, spend=0))
    out = kpis.cac(spend=pd.Series([10.0, 0.0, 5.0]), customers=pd.Series([2, 0, 0]))
    assert isinstance(out, pd.Series)
    assert out.iloc[0] == 5 and out.iloc[1:].isna().all()
    assert not np.isinf(
        kpis.cpm(spend=np.array([1.0]), impressions=np.array([0]))
    ).any()


def test_cpm_and_ctr():
    assert kpis.cpm(spend=50, impressions=10_000) == 5
    assert kpis.ctr(clicks=30, impressions=1000) == 0.03


def test_every_ratio_formula_gives_nan_on_zero_denominators():
    import inspect

    for name in kpis.formulas.__all__:
        func = getattr(kpis.formulas, name)
        params = [
            p.name
            for p in inspect.signature(func).parameters.values()
            if p.kind is inspect.Parameter.KEYWORD_ONLY and p.default is p.empty
        ]
        if name in ("ratio", "ltv", "revenue_uplift", "revenue_uplift_annualised"):
            continue
        zeros = {p: pd.Series([0.0, 0.0]) for p in params}
        out = func(**zeros)
        assert isinstance(out, pd.Series), name
        assert not np.isinf(out).any(), name
        if name != "retention_rate":
            assert out.isna().all(), name


def test_new_formulas_by_hand():
    assert kpis.revenue_uplift_annualised(baseline=5000, after=8750) == 45_000
    assert kpis.pages_per_session(pageviews=250, sessions=100) == 2.5
    assert kpis.win_rate(customers=3, opportunities=12) == 0.25
    assert kpis.ltv_to_cac(ltv=720, cac=30) == 24
    assert kpis.cost_per_opportunity(spend=1500, opportunities=10) == 150
    assert kpis.click_to_open_rate(email_clicks=49, opens=245) == 0.2
