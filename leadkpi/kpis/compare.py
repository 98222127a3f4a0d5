"""Period-over-period comparison of an engine result, and whether a change is noise."""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

from leadkpi.exceptions import ArgumentError
from leadkpi.kpis.formulas import ratio
from leadkpi.periods import GRAINS

__all__ = ["compare", "null_standard_error", "LEVEL", "CI_LEVEL"]

#: Confidence level at which a change counts as larger than its noise.
LEVEL = 0.95
#: Confidence level of the engine's ``ci_low``/``ci_high`` intervals.
CI_LEVEL = 0.95
#: Columns of the earlier period carried beside each row, when the result has them.
_CARRIED = ("n", "small_sample", "ci_low", "ci_high")
#: Columns of the earlier period that the noise test reads, then drops.
_TESTED = ("numerator", "denominator")


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy("float64")


def _whole(x: np.ndarray) -> np.ndarray:
    return np.isfinite(x) & (x >= 0) & (np.abs(x - np.round(x)) < 1e-9)


def _proportion(value: np.ndarray, hits: np.ndarray, trials: np.ndarray) -> np.ndarray:
    """Rows whose value is ``hits / trials`` with whole counts, 0 ≤ hits ≤ trials."""
    with np.errstate(divide="ignore", invalid="ignore"):
        share = hits / trials
    return (
        _whole(hits)
        & _whole(trials)
        & (trials > 0)
        & (hits <= trials)
        & np.isclose(value, share, rtol=1e-9, atol=1e-12)
    )


def null_standard_error(
    unit: np.ndarray,
    first: tuple[np.ndarray, ...],
    second: tuple[np.ndarray, ...],
) -> tuple[np.ndarray, np.ndarray]:
    """The standard error of ``second - first`` under "no real difference".

    ``first`` and ``second`` are ``(value, numerator, denominator, ci_low,
    ci_high)`` arrays, one entry per pair compared; ``unit`` the KPI unit of each
    pair. Returns the standard error (NaN where unknown) and where the pair was
    judged as two shares of whole counts.

    Fractions that are a share of whole counts: two-proportion z-test with the
    pooled share. Counts: Poisson test of two counts (under equal rates, the
    difference has variance ``x1 + x2``). Anything else: from the two
    intervals, ``se = (ci_high - ci_low) / (2 z)``.

    Examples
    --------
    >>> se, shares = null_standard_error(
    ...     np.array(["fraction"]),
    ...     tuple(np.array([v]) for v in (0.05, 10, 200, np.nan, np.nan)),
    ...     tuple(np.array([v]) for v in (0.1, 30, 300, np.nan, np.nan)))
    >>> round(float(se[0]), 5), bool(shares[0])
    (0.02477, True)
    """
    v1, x1, n1, lo1, hi1 = (np.asarray(a, dtype="float64") for a in first)
    v2, x2, n2, lo2, hi2 = (np.asarray(a, dtype="float64") for a in second)
    unit = np.asarray(unit, dtype=object)
    se = np.full(len(unit), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = (
            (unit == "fraction") & _proportion(v2, x2, n2) & _proportion(v1, x1, n1)
        )
        pooled = (x1 + x2) / (n1 + n2)
        se_shares = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        counts = (unit == "count") & _whole(v2) & _whole(v1)
        z = NormalDist().inv_cdf(0.5 + CI_LEVEL / 2)
        half = (hi2 - lo2) / (2 * z)
        half_before = (hi1 - lo1) / (2 * z)
        se_intervals = np.sqrt(half**2 + half_before**2)
    se = np.where(shares, se_shares, se)
    se = np.where(counts, np.sqrt(v2 + v1), se)
    return np.where(~shares & ~counts, se_intervals, se), shares


def _standard_error(out: pd.DataFrame) -> np.ndarray:
    """The standard error of ``change`` under "no real change", NaN where unknown
    (:func:`null_standard_error` of the previous and the current period)."""
    before = ("previous", "previous_numerator", "previous_denominator")
    before += ("previous_ci_low", "previous_ci_high")
    after = ("value", "numerator", "denominator", "ci_low", "ci_high")
    se, _ = null_standard_error(
        out["unit"].astype("object").to_numpy(),
        tuple(_column(out, c) for c in before),
        tuple(_column(out, c) for c in after),
    )
    return se


def compare(
    result: pd.DataFrame, to: str = "previous_period", *, level: float = LEVEL
) -> pd.DataFrame:
    """Add the previous value of each KPI, how it changed, and whether that is noise.

    Parameters
    ----------
    result : pandas.DataFrame
        A :func:`leadkpi.compute` result with a period column; the earlier periods
        compared with must be in it (compute a range that includes them).
    to : {"previous_period", "previous_year"}
        Compare with the period before, or the same period a year earlier.
    level : float
        Confidence level of the noise test (default :data:`LEVEL`, 95 %).

    Returns
    -------
    pandas.DataFrame
        ``result`` (same type, not mutated) plus ``previous``, ``change`` (value −
        previous), ``change_rate`` (change / |previous|, NaN when previous is 0 or
        missing), ``improved`` (True/False by the KPI's direction, missing when it
        has none or no change), ``significant`` (True when the change is larger
        than its noise at ``level``, False when it is within it, missing when it
        cannot be judged) and, when the result has them, ``previous_n``,
        ``previous_small_sample``, ``previous_ci_low`` and ``previous_ci_high``.
        ``attrs["level"]`` records ``level``.

    Notes
    -----
    The noise test is a two-sided z-test of "no real change", row by row:

    - a fraction whose value is numerator / denominator of whole counts (a share
      of leads, of sessions, …): two-proportion test with the pooled share;
    - a count: Poisson test of the two counts, ``(x2 - x1) / sqrt(x1 + x2)``, as
      they are (not per day, like ``change``: months differ by up to 10 % in
      length);
    - any other KPI (currency, multiples, durations, fractions such as ROI): the
      standard errors read off both periods' 95 % intervals (``ci_low`` /
      ``ci_high``) when the result has them.

    These are normal approximations: with few observations (``small_sample``) read
    them as a rough guide.

    Examples
    --------
    >>> from leadkpi import compute, load
    >>> data = load("leadkpi.yaml")
    >>> result = compute(data, ["leads", "lead_conversion_rate"], by=("month",),
    ...                  start="2026-09", end="2026-10", mode="period")
    >>> october = compare(result).iloc[2:]
    >>> october[["kpi", "value", "previous", "improved", "significant"]].round(3)
                        kpi    value  previous  improved  significant
    2                 leads  358.000   423.000     False         True
    3  lead_conversion_rate    0.025     0.017      True        False
    """
    grains = [g for g in GRAINS if g in result.columns]
    if not grains:
        raise ArgumentError("compare() needs a result computed with a period in by=")
    if to not in ("previous_period", "previous_year"):
        raise ArgumentError(
            f"to must be 'previous_period' or 'previous_year', not {to!r}"
        )
    if not 0 < level < 1:
        raise ArgumentError(f"level must be between 0 and 1, not {level!r}")
    period = grains[0]
    dims = [c for c in result.columns[: result.columns.get_loc("kpi")] if c != period]
    carried = [c for c in (*_TESTED, *_CARRIED) if c in result.columns]
    earlier = pd.DataFrame(result[[period, *dims, "kpi", "value", *carried]])
    earlier = earlier.rename(
        columns={"value": "previous", **{c: f"previous_{c}" for c in carried}}
    )
    if to == "previous_period":
        earlier[period] = earlier[period] + 1
    else:
        freq = earlier[period].dt.freq
        shifted = earlier[period].dt.start_time + pd.DateOffset(years=1)
        earlier[period] = shifted.dt.to_period(freq)
    out = result.merge(earlier, on=[period, *dims, "kpi"], how="left")
    out["change"] = out["value"] - out["previous"]
    out["change_rate"] = ratio(out["change"], out["previous"].abs())
    sign = np.sign(out["change"])
    direction = out["better"].map({"higher": 1.0, "lower": -1.0})
    known = sign.notna() & direction.notna() & (sign != 0)
    out["improved"] = pd.Series(pd.NA, index=out.index, dtype="boolean")
    out.loc[known, "improved"] = (sign * direction)[known] > 0
    se = _standard_error(out)
    change = out["change"].to_numpy("float64")
    judged = np.isfinite(se) & np.isfinite(change)
    critical = NormalDist().inv_cdf(0.5 + level / 2)
    significant = pd.array(np.abs(change) > critical * se, dtype="boolean")
    significant[~judged] = pd.NA
    out["significant"] = significant
    out = out.drop(columns=[f"previous_{c}" for c in _TESTED if c in carried])
    out = out.__finalize__(result)
    out.attrs["level"] = level  # for the legends of tables that show the result
    return out
