"""Interval maths against values worked out by hand."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2

from leadkpi.kpis import uncertainty as u


def test_wilson_by_hand():
    # p = 0.05, n = 200, z = 1.96: centre (0.05 + z²/400) / (1 + z²/200),
    # half z·sqrt(p(1-p)/200 + z²/160000) / (1 + z²/200)
    z = 1.96
    centre = (0.05 + z * z / 400) / (1 + z * z / 200)
    half = z * math.sqrt(0.05 * 0.95 / 200 + z * z / 160_000) / (1 + z * z / 200)
    low, high = u.wilson_interval(10, 200, z=z)
    assert low == pytest.approx(centre - half) and high == pytest.approx(centre + half)
    assert (round(low, 4), round(high, 4)) == (0.0274, 0.0896)


def test_wilson_edges_are_nan_not_errors():
    low, high = u.wilson_interval(np.array([0, 5, 3, -1]), np.array([10, 0, 2, 4]))
    assert low[0] == 0.0 and high[0] == pytest.approx(0.2775, abs=1e-4)
    assert np.isnan(low[1:]).all() and np.isnan(high[1:]).all()
    low, high = u.wilson_interval(pd.Series([1.0]), pd.Series([np.nan]))
    assert np.isnan(low).all()


def test_poisson_and_cost_per_count():
    low, high = u.poisson_interval(10)
    assert low == pytest.approx(4.795, abs=0.01)  # exact Garwood 4.795
    assert high == pytest.approx(18.390, abs=0.01)  # exact Garwood 18.390
    assert u.poisson_interval(0)[0] == 0.0
    low, high = u.cost_per_count_interval(10_000, 200)
    lo_k, hi_k = u.poisson_interval(200)
    assert low == pytest.approx(10_000 / hi_k) and high == pytest.approx(10_000 / lo_k)
    low, high = u.cost_per_count_interval(100, 0)
    assert math.isnan(low) and math.isnan(high)


def test_poisson_interval_is_the_exact_garwood_interval():
    # Garwood: low = chi2(0.025; 2k) / 2, high = chi2(0.975; 2k + 2) / 2, low(0) = 0
    k = np.arange(0, 1001)
    low, high = u.poisson_interval(k)
    expected_low = np.where(k > 0, chi2.ppf(0.025, 2 * np.maximum(k, 1)) / 2, 0.0)
    expected_high = chi2.ppf(0.975, 2 * k + 2) / 2
    np.testing.assert_allclose(low, expected_low, rtol=1e-9, atol=0)
    np.testing.assert_allclose(high, expected_high, rtol=1e-9)
    assert low[0] == 0.0 and high[0] == pytest.approx(3.6889, abs=1e-4)
    # k = 1 by hand: P(X >= 1 | mu) = 1 - e^-mu = 0.025 at mu = -ln(0.975)
    assert low[1] == pytest.approx(-math.log(0.975), rel=1e-12)
    # another z: the 90 % interval uses the 5 % and 95 % quantiles
    low90, high90 = u.poisson_interval(k[1:], z=1.6448536269514722)
    np.testing.assert_allclose(low90, chi2.ppf(0.05, 2 * k[1:]) / 2, rtol=1e-9)
    np.testing.assert_allclose(high90, chi2.ppf(0.95, 2 * k[1:] + 2) / 2, rtol=1e-9)


def test_poisson_interval_of_a_missing_or_negative_count_is_nan():
    low, high = u.poisson_interval(pd.Series([np.nan, -1.0, 3.0]))
    assert np.isnan(low[:2]).all() and np.isnan(high[:2]).all()
    assert 0 < low[2] < 3 < high[2]


def test_return_on_spend_uses_squared_deal_values():
    # ten deals of 100 against 97 of spend: sd of revenue = sqrt(10 · 100²) = 316.2
    low, high = u.return_on_spend_interval(1000, 10 * 100**2, 97)
    half = 1.959963984540054 * math.sqrt(100_000)
    assert low == pytest.approx((1000 - half) / 97)
    assert high == pytest.approx((1000 + half) / 97)
    assert all(math.isnan(b) for b in u.return_on_spend_interval(10, 100, 0))


def test_mean_interval_by_hand():
    # values 1, 2, 3: mean 2, s = 1, half = z / sqrt(3)
    low, high = u.mean_interval(6.0, 14.0, 3)
    assert low == pytest.approx(2 - 1.959963984540054 / math.sqrt(3))
    assert math.isnan(u.mean_interval(5.0, 25.0, 1)[0])


def test_median_ranks_by_hand():
    j, k = u.median_ranks(np.array([100, 9, 0]))
    # n = 100: 50 - 9.8 = 40.2 -> 40; 1 + 50 + 9.8 = 60.8 -> 61
    # n = 9: 4.5 - 2.94 = 1.56 -> 1; 1 + 4.5 + 2.94 = 8.44 -> 9
    assert j.tolist() == [40, 1, 0] and k.tolist() == [61, 9, 0]


def test_wilson_bounds_are_exactly_0_and_1_at_the_extremes():
    low, high = u.wilson_interval(np.array([0, 24, 3]), np.array([24, 24, 7]))
    assert low[0] == 0.0 and high[1] == 1.0
    assert 0 < low[2] < high[2] < 1
