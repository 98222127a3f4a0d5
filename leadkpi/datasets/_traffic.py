"""Ad spend per day and campaign, and web analytics per day and source/medium.

Both follow the expected lead volume of each source (so that they scale with the
number of leads while their row counts scale with days x sources): a campaign's cost
is its expected leads times its cost per lead, paced over the days it runs; its
clicks and impressions follow from cost per click and click-through rate; sessions
follow from clicks (paid) or from leads and the channel's conversion rate (unpaid).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadkpi.datasets._calendar import weekday_factor
from leadkpi.datasets._company import CAMPAIGNS, CHANNELS
from leadkpi.datasets._leads import LeadDraw
from leadkpi.datasets._text import pick

__all__ = ["spend_table", "web_table", "expected_leads"]

_PACING = 0.7  # how much of the weekday pattern ad budgets follow (0 = flat)
_SESSIONS_PER_CLICK = 0.88
_USERS_PER_SESSION = 0.83
_OTHER_FORMS = 0.12  # form submissions that create no new lead, per lead


def expected_leads(draw: LeadDraw) -> np.ndarray:
    """Expected leads per day (rows) and campaign (columns)."""
    return len(draw.day) * draw.intensity / draw.intensity.sum()


def _paid() -> np.ndarray:
    return np.array([i for i, c in enumerate(CAMPAIGNS) if c.paid])


def spend_table(
    draw: LeadDraw, days: np.ndarray, rng: np.random.Generator
) -> pd.DataFrame:
    """One row per day and paid campaign while it runs: cost, impressions, clicks."""
    paid = _paid()
    expected = expected_leads(draw)[:, paid]
    cpl = np.array([CAMPAIGNS[i].cpl for i in paid], dtype=float)
    paced = expected / weekday_factor(days)[:, None] ** _PACING
    paced_total = paced.sum(axis=0)
    scale = np.divide(
        expected.sum(axis=0), paced_total, out=np.zeros_like(cpl), where=paced_total > 0
    )
    budget = paced * (scale * cpl)[None, :]
    day, column = np.nonzero(budget > 0)
    noise = rng.lognormal(0.0, 0.12, len(day))
    cost = np.round(budget[day, column] * noise, 2)
    campaign = paid[column]
    cpc = np.array([c.cpc for c in CAMPAIGNS])[campaign] * rng.lognormal(
        0, 0.1, len(day)
    )
    clicks = rng.poisson(cost / cpc)
    ctr = np.array([c.ctr for c in CAMPAIGNS])[campaign] * rng.lognormal(
        0, 0.1, len(day)
    )
    impressions = np.maximum(rng.poisson(clicks / ctr), clicks)
    spend = pd.DataFrame(
        {
            "date": days[day].astype("datetime64[ns]"),
            "channel": pick([c.channel for c in CAMPAIGNS], campaign),
            "campaign": pick([c.id for c in CAMPAIGNS], campaign),
            "cost": cost,
            "impressions": impressions,
            "clicks": clicks,
        }
    )
    spend = spend.sort_values(["date", "channel", "campaign"], kind="stable")
    return spend.reset_index(drop=True).astype(
        {"impressions": "Int64", "clicks": "Int64"}
    )


def _pairs() -> tuple[list[tuple[str, str]], np.ndarray]:
    """Distinct (source, medium) pairs and the pair of each campaign."""
    pairs = list(dict.fromkeys((c.source, c.medium) for c in CAMPAIGNS))
    return pairs, np.array([pairs.index((c.source, c.medium)) for c in CAMPAIGNS])


def _clicks(
    spend: pd.DataFrame, days: np.ndarray, pair_of: np.ndarray, n_pairs: int
) -> np.ndarray:
    """Ad clicks per day and source/medium pair."""
    clicks = np.zeros((len(days), n_pairs), dtype="int64")
    index = {c.id: i for i, c in enumerate(CAMPAIGNS) if c.paid}
    day = (spend["date"].to_numpy() - days[0]) // np.timedelta64(1, "D")
    pair = pair_of[spend["campaign"].map(index).to_numpy("int64")]
    np.add.at(clicks, (day.astype("int64"), pair), spend["clicks"].to_numpy("int64"))
    return clicks


def web_table(
    draw: LeadDraw, days: np.ndarray, spend: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """One row per day and source/medium with traffic: sessions to form submissions.

    Form submissions are the leads created that day from that source/medium plus a
    few that create no new lead (existing contacts, duplicates).
    """
    pairs, pair_of = _pairs()
    n_days, n_pairs = len(days), len(pairs)
    by_campaign = expected_leads(draw)
    expected = np.column_stack(
        [by_campaign[:, pair_of == p].sum(axis=1) for p in range(n_pairs)]
    )
    leads = np.bincount(
        draw.day * n_pairs + pair_of[draw.campaign], minlength=n_days * n_pairs
    ).reshape(n_days, n_pairs)
    paid_campaign = np.array([c.paid for c in CAMPAIGNS])
    paid = np.isin(np.arange(n_pairs), pair_of[paid_campaign])[None, :]
    channel = [CAMPAIGNS[int(np.argmax(pair_of == p))].channel for p in range(n_pairs)]
    spec = [CHANNELS[c] for c in channel]
    conversion = np.array([s.conversion for s in spec])[None, :]
    noise = rng.lognormal(0.0, 0.08, (n_days, n_pairs))
    from_clicks = rng.binomial(
        _clicks(spend, days, pair_of, n_pairs), _SESSIONS_PER_CLICK
    )
    sessions = np.where(paid, from_clicks, rng.poisson(expected / conversion * noise))
    forms = leads + rng.poisson(_OTHER_FORMS * expected)
    sessions = np.maximum(sessions, forms)
    day, pair = np.nonzero(sessions > 0)
    sessions = sessions[day, pair]
    pages = np.array([s.pages for s in spec])[pair]
    engaged = rng.binomial(sessions, np.array([s.engaged for s in spec])[pair])
    seconds = np.array([s.engaged_seconds for s in spec])[pair]
    web = pd.DataFrame(
        {
            "date": days[day].astype("datetime64[ns]"),
            "source": pick([p[0] for p in pairs], pair),
            "medium": pick([p[1] for p in pairs], pair),
            "channel": pick(channel, pair),
            "sessions": sessions,
            "users": np.maximum(rng.binomial(sessions, _USERS_PER_SESSION), 1),
            "pageviews": sessions + rng.poisson(sessions * (pages - 1)),
            "engaged_sessions": engaged,
            "bounces": sessions - engaged,
            "engagement_seconds": np.round(
                engaged * seconds * rng.gamma(20.0, 1 / 20.0, len(day))
            ),
            "form_submissions": forms[day, pair],
        }
    )
    counts = ["sessions", "users", "pageviews", "engaged_sessions", "bounces"]
    return web.astype(dict.fromkeys([*counts, "form_submissions"], "Int64"))
