"""95 % intervals around KPI values, as plain vectorised functions.

Each function takes scalars or arrays (or Series) and returns a ``(low, high)`` pair
of float arrays (floats for scalar input). Where an interval does not exist (no
trials, more successes than trials, a zero count) both bounds are NaN: never inf.

Examples
--------
>>> low, high = wilson_interval(10, 200)
>>> round(low, 4), round(high, 4)
(0.0274, 0.0896)
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "Z95",
    "wilson_interval",
    "poisson_interval",
    "cost_per_count_interval",
    "return_on_spend_interval",
    "mean_interval",
    "median_ranks",
    "quantile_ranks",
]

#: The standard normal quantile of a two-sided 95 % interval.
Z95 = 1.959963984540054

Bounds = tuple[object, object]


def _arrays(*values: object) -> list[np.ndarray]:
    return [np.asarray(v, dtype="float64") for v in values]


def _out(low: np.ndarray, high: np.ndarray) -> Bounds:
    low = np.where(np.isfinite(low), low, np.nan)
    high = np.where(np.isfinite(high), high, np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def wilson_interval(successes: object, trials: object, z: float = Z95) -> Bounds:
    """Wilson score interval of a proportion ``successes / trials``.

    NaN where ``trials`` is 0 or missing, or ``successes`` is negative or exceeds
    ``trials`` (a ratio of events that is not a proportion, e.g. a period-mode rate).

    Examples
    --------
    >>> [round(b, 4) for b in wilson_interval(0, 10)]
    [0.0, 0.2775]
    """
    s, n = _arrays(successes, trials)
    valid = (n > 0) & (s >= 0) & (s <= n)
    n_safe = np.where(valid, n, 1.0)
    p = np.where(valid, s / n_safe, np.nan)
    z2 = z * z
    centre = (p + z2 / (2 * n_safe)) / (1 + z2 / n_safe)
    half = (
        z
        * np.sqrt(np.clip(p * (1 - p) / n_safe + z2 / (4 * n_safe**2), 0, None))
        / (1 + z2 / n_safe)
    )
    # the bounds are exactly 0 and 1 at the extremes, not a rounding error away
    low = np.where(s == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    high = np.where(s == n, 1.0, np.clip(centre + half, 0.0, 1.0))
    return _out(np.where(valid, low, np.nan), np.where(valid, high, np.nan))


def poisson_interval(count: object, z: float = Z95) -> Bounds:
    """Exact (Garwood) interval for the mean of a Poisson count ``k``.

    The bounds are gamma quantiles, i.e. half the chi-square quantiles:
    ``low = ½·χ²(α/2; 2k)`` and ``high = ½·χ²(1 − α/2; 2k + 2)``, with
    ``α = 2·(1 − Φ(z))`` (0.05 for the default ``z``). The lower bound of a zero
    count is 0; NaN for a negative or missing count.

    Examples
    --------
    >>> [round(b, 3) for b in poisson_interval(10)]
    [4.795, 18.39]
    >>> [round(b, 4) for b in poisson_interval(0)]
    [0.0, 3.6889]
    """
    # scipy.special is imported when first needed: importing leadkpi stays quick
    from scipy.special import gammainccinv, gammaincinv, ndtr

    (k,) = _arrays(count)
    valid = k >= 0  # False for NaN too
    k_safe = np.where(valid, k, 0.0)
    tail = ndtr(-z)  # α/2
    # gammaincinv(a, q) is the q quantile of a gamma(a) variable; a = 0 has none
    positive = k_safe > 0
    low = np.where(positive, gammaincinv(np.where(positive, k_safe, 1.0), tail), 0.0)
    high = gammainccinv(k_safe + 1, tail)
    return _out(np.where(valid, low, np.nan), np.where(valid, high, np.nan))


def cost_per_count_interval(cost: object, count: object, z: float = Z95) -> Bounds:
    """Interval of ``cost / count`` with the cost fixed and the count Poisson.

    NaN where the count is 0 (the value itself is undefined).

    Examples
    --------
    >>> [round(b, 2) for b in cost_per_count_interval(10_000, 200)]
    [43.53, 57.72]
    """
    c, k = _arrays(cost, count)
    lo_k, hi_k = _arrays(*poisson_interval(k, z))
    valid = k > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(valid, c / hi_k, np.nan)
        high = np.where(valid & (lo_k > 0), c / lo_k, np.nan)
    return _out(low, high)


def return_on_spend_interval(
    revenue: object, revenue_sq: object, spend: object, z: float = Z95
) -> Bounds:
    """Interval of ROAS = ``revenue / spend``, spend fixed.

    Revenue is a compound Poisson sum of deal values, whose variance is estimated by
    the sum of squared deal values (``revenue_sq``). The ROI interval is this one
    minus 1. NaN where spend is 0.

    Examples
    --------
    >>> [round(b, 3) for b in return_on_spend_interval(1000, 10 * 100**2, 97)]
    [3.92, 16.699]
    """
    r, r2, s = _arrays(revenue, revenue_sq, spend)
    valid = s > 0
    s_safe = np.where(valid, s, 1.0)
    half = z * np.sqrt(np.clip(r2, 0, None))
    low = np.where(valid, np.clip(r - half, 0, None) / s_safe, np.nan)
    high = np.where(valid, (r + half) / s_safe, np.nan)
    return _out(low, high)


def mean_interval(total: object, total_sq: object, n: object, z: float = Z95) -> Bounds:
    """Normal interval of a mean from the sum, the sum of squares and the count.

    NaN below two observations.

    Examples
    --------
    >>> [round(b, 3) for b in mean_interval(6.0, 14.0, 3)]  # values 1, 2, 3
    [0.868, 3.132]
    """
    t, t2, k = _arrays(total, total_sq, n)
    valid = k >= 2
    k_safe = np.where(valid, k, 2.0)
    mean = t / k_safe
    var = np.clip((t2 - k_safe * mean**2) / (k_safe - 1), 0, None)
    half = z * np.sqrt(var / k_safe)
    return _out(
        np.where(valid, mean - half, np.nan), np.where(valid, mean + half, np.nan)
    )


def median_ranks(n: object, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """1-based ranks (j, k) of the order statistics that bound a median's interval.

    The distribution-free interval ``[x_(j), x_(k)]`` with
    ``j = floor(n/2 − z·√n/2)`` and ``k = ceil(1 + n/2 + z·√n/2)``, clipped to
    ``1..n``; ranks are 0 where ``n`` is 0.

    Examples
    --------
    >>> j, k = median_ranks(100)
    >>> int(j), int(k)
    (40, 61)
    """
    return quantile_ranks(n, 0.5, z)


def quantile_ranks(
    n: object, q: float, z: float = Z95
) -> tuple[np.ndarray, np.ndarray]:
    """1-based ranks (j, k) bounding the ``q`` quantile's distribution-free interval.

    ``j = floor(n·q − z·√(n·q·(1−q)))``, ``k = ceil(1 + n·q + z·√(n·q·(1−q)))``,
    clipped to ``1..n``; 0 where ``n`` is 0.

    Examples
    --------
    >>> j, k = quantile_ranks(100, 0.9)
    >>> int(j), int(k)
    (84, 97)
    """
    (m,) = _arrays(n)
    m = np.clip(m, 0, None)
    half = z * np.sqrt(m * q * (1 - q))
    j = np.clip(np.floor(m * q - half), 1, None)
    k = np.minimum(np.ceil(1 + m * q + half), m)
    j = np.where(m > 0, j, 0).astype("int64")
    k = np.where(m > 0, k, 0).astype("int64")
    return j, k
