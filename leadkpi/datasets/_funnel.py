"""What happens to each lead: score, first call, stages, deal value and churn.

All times are local wall-clock seconds (see :mod:`leadkpi.datasets._calendar`);
stages are drawn as if the data never ended, and censored later by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from leadkpi.datasets._calendar import DAY, HOUR, to_working_hours
from leadkpi.datasets._company import OWNERS, SIZES

__all__ = ["Funnel", "run_funnel", "RESPONSE_EFFECT"]

# Log-odds shift of the sales stages by hours to the first call (upper bounds).
RESPONSE_EFFECT = ((1.0, 0.6), (4.0, 0.15), (24.0, -0.3), (np.inf, -1.1))
_NEVER_CALLED_SQL = 0.004  # share of never-called leads who reach sales on their own
_SKIP_MQL = 0.012  # share of other called leads that sales accepts without an MQL
_MQL_THRESHOLD, _MQL_SPREAD = 58.0, 4.0
_SQL, _OPP, _WON = -1.1, -0.05, -1.85  # base log-odds of each sales stage
_MONTH_DAYS = 30.44
_CHURN_PER_MONTH = 0.03


@dataclass
class Funnel:
    """Per-lead outcomes; times are local seconds, NaN when never reached."""

    score: np.ndarray
    first_response: np.ndarray
    mql: np.ndarray
    sql: np.ndarray
    opportunity: np.ndarray
    won: np.ndarray
    lost: np.ndarray
    opted_out: np.ndarray
    monthly_revenue: np.ndarray
    churned: np.ndarray


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _delay(
    rng: np.random.Generator, median_days: float, sigma: float, n: int
) -> np.ndarray:
    return rng.lognormal(np.log(median_days * DAY), sigma, n)


def _first_response(
    created: np.ndarray, owner: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """When sales first calls: owner's pace from the next working hour; NaN = never."""
    n = len(created)
    median_hours = np.array([o[2] for o in OWNERS])[owner]
    never = rng.random(n) < np.array([o[3] for o in OWNERS])[owner]
    start = to_working_hours(created, rng)
    delay = rng.lognormal(np.log(median_hours * HOUR), 1.1, n)
    called = to_working_hours(start + delay, rng)
    return np.where(never, np.nan, called)


def run_funnel(
    created: np.ndarray,
    quality: np.ndarray,
    owner: np.ndarray,
    size: np.ndarray,
    won_shift: np.ndarray,
    churn_factor: np.ndarray,
    rng: np.random.Generator,
) -> Funnel:
    """Draw every lead's path through the funnel.

    Parameters
    ----------
    created : ndarray
        Local creation time of each lead.
    quality : ndarray
        Latent lead quality (firmographics + channel + noise is added here).
    owner, size : ndarray
        Codes into :data:`OWNERS` and :data:`SIZES`.
    won_shift : ndarray
        Channel's extra log-odds on the win rate.
    churn_factor : ndarray
        Channel's multiplier of the churn hazard.
    rng : numpy.random.Generator
        Source of randomness.
    """
    n = len(created)
    q = quality + rng.normal(0.0, 1.0, n)
    score = np.clip(np.round(50 + 13 * (q + rng.normal(0.0, 0.45, n))), 0, 100)

    first_response = _first_response(created, owner, rng)
    called = ~np.isnan(first_response)
    hours = (first_response - created) / HOUR
    bounds = np.array([b for b, _ in RESPONSE_EFFECT])
    effects = np.array([e for _, e in RESPONSE_EFFECT])
    speed = np.where(called, effects[np.searchsorted(bounds, np.nan_to_num(hours))], 0)

    mql = rng.random(n) < _sigmoid((score - _MQL_THRESHOLD) / _MQL_SPREAD)
    p_sql = np.where(
        called,
        np.where(mql, _sigmoid(_SQL + 0.7 * q + speed), _SKIP_MQL),
        _NEVER_CALLED_SQL,
    )
    sql = rng.random(n) < p_sql
    opportunity = sql & (rng.random(n) < _sigmoid(_OPP + 0.5 * q))
    p_won = _sigmoid(_WON + 0.5 * q + won_shift + 0.6 * speed)
    won = opportunity & (rng.random(n) < p_won)
    lost = opportunity & ~won

    mql_at = created + rng.lognormal(np.log(5 * HOUR), 1.4, n)
    ready = np.fmax(np.where(mql, mql_at, created), first_response)
    sql_at = to_working_hours(ready + _delay(rng, 3, 0.9, n), rng)
    opp_at = to_working_hours(sql_at + _delay(rng, 9, 0.7, n), rng)
    won_at = to_working_hours(opp_at + _delay(rng, 35, 0.55, n), rng)
    lost_at = to_working_hours(opp_at + _delay(rng, 28, 0.8, n), rng)
    opted_out = created + rng.exponential(150 * DAY, n)

    median_mrr = np.array([s[4] for s in SIZES])[size]
    mrr = np.clip(median_mrr * rng.lognormal(0.0, 0.35, n), 150, 5000)
    hazard = _CHURN_PER_MONTH * churn_factor * np.array([s[5] for s in SIZES])[size]
    lifetime = rng.exponential(1.0 / hazard) * _MONTH_DAYS * DAY
    churned = to_working_hours(won_at + lifetime, rng)

    nan = np.nan
    return Funnel(
        score=score,
        first_response=first_response,
        mql=np.where(mql, mql_at, nan),
        sql=np.where(sql, sql_at, nan),
        opportunity=np.where(opportunity, opp_at, nan),
        won=np.where(won, won_at, nan),
        lost=np.where(lost, lost_at, nan),
        opted_out=np.where(rng.random(n) < 0.05, opted_out, nan),
        monthly_revenue=np.round(mrr / 5) * 5,
        churned=np.where(won, churned, nan),
    )
