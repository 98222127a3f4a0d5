"""The leads table: when and where leads arrive, who they are, how far they get."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from leadkpi.datasets._calendar import DAY, clock_times, lead_intensity, local_to_utc
from leadkpi.datasets._company import CAMPAIGNS, CHANNELS, SITE
from leadkpi.datasets._funnel import Funnel, run_funnel
from leadkpi.datasets._people import People
from leadkpi.datasets._text import labels, pick

__all__ = ["LeadDraw", "draw_leads", "to_timestamps", "CHANNEL_OF"]

#: channel code (index into CHANNELS) of each campaign
CHANNEL_OF = np.array([list(CHANNELS).index(c.channel) for c in CAMPAIGNS])


@dataclass
class LeadDraw:
    """The leads table plus what the other tables are derived from."""

    leads: pd.DataFrame
    intensity: np.ndarray  #: expected relative leads per day x campaign
    day: np.ndarray  #: local creation day (index into the day grid) per lead
    campaign: np.ndarray  #: index into CAMPAIGNS per lead
    created: np.ndarray  #: UTC seconds per lead
    funnel: Funnel  #: UTC seconds, censored at the end of the data


def to_timestamps(seconds: np.ndarray) -> pd.Series:
    """UTC seconds (NaN = missing) → timezone-aware timestamps, whole seconds."""
    return pd.Series(pd.to_datetime(np.floor(seconds), unit="s", utc=True))


def _pages(campaign: np.ndarray, rng: np.random.Generator) -> pd.Series:
    """A landing page per lead; tagged campaigns carry their UTM query string."""
    urls: list[str] = []
    first: list[int] = []
    for c in CAMPAIGNS:
        first.append(len(urls))
        query = (
            f"?utm_source={c.source}&utm_medium={c.medium}&utm_campaign={c.id}"
            if c.tagged
            else ""
        )
        urls.extend(SITE + path + query for path in c.paths)
    count = np.array([len(c.paths) for c in CAMPAIGNS])
    chosen = rng.integers(0, 840, len(campaign)) % count[campaign]
    return pick(urls, np.array(first)[campaign] + chosen)


def _attribute(campaign: np.ndarray, name: str, tagged_only: bool = False) -> pd.Series:
    values = [
        getattr(c, name) if (c.tagged or not tagged_only) else "" for c in CAMPAIGNS
    ]
    return pick(values, campaign)


def _censor(funnel: Funnel, created: np.ndarray, end: float) -> Funnel:
    """Convert to UTC; drop events after ``end`` and keep none before creation."""
    out = {}
    for name, value in vars(funnel).items():
        if name in ("score", "monthly_revenue"):
            out[name] = value
            continue
        utc = local_to_utc(value)
        utc = np.where(np.isnan(utc), np.nan, np.maximum(utc, created))
        out[name] = np.where(utc > end, np.nan, utc)
    return Funnel(**out)


def draw_leads(
    n: int, days: np.ndarray, end: float, rngs: list[np.random.Generator]
) -> LeadDraw:
    """Draw ``n`` leads over ``days``; nothing is dated after ``end`` (UTC seconds)."""
    rng_when, rng_who, rng_what = rngs
    intensity = lead_intensity(days, CAMPAIGNS, rng_when)
    cells = rng_when.choice(intensity.size, n, p=(intensity / intensity.sum()).ravel())
    day, campaign = np.divmod(cells, len(CAMPAIGNS))
    local = clock_times(days[day], rng_when).astype(float)
    start = days[0].astype("int64") * DAY
    created = np.maximum(local_to_utc(local), start)
    order = np.argsort(created, kind="stable")
    day, campaign, local, created = (a[order] for a in (day, campaign, local, created))

    people = People(n, rng_who)
    channel = CHANNEL_OF[campaign]
    spec = list(CHANNELS.values())
    funnel = run_funnel(
        local,
        people.quality() + np.array([c.quality for c in spec])[channel],
        people.owner,
        people.size,
        np.array([c.won for c in spec])[channel],
        np.array([c.churn for c in spec])[channel],
        rng_what,
    )
    funnel = _censor(funnel, created, end)

    who = people.frame(n)
    leads = pd.DataFrame(
        {
            "lead_id": labels("L", np.arange(1, n + 1), n),
            "account_id": who["account_id"],
            "email": who["email"],
            "created_at": to_timestamps(created),
            "channel": pick(list(CHANNELS), channel),
            "source": _attribute(campaign, "source"),
            "medium": _attribute(campaign, "medium"),
            "campaign": _attribute(campaign, "id"),
            "utm_source": _attribute(campaign, "source", tagged_only=True),
            "utm_medium": _attribute(campaign, "medium", tagged_only=True),
            "utm_campaign": _attribute(campaign, "id", tagged_only=True),
            "landing_page": _pages(campaign, rng_who),
            **{k: who[k] for k in ("country", "industry", "company_size")},
            **{k: who[k] for k in ("job_title", "owner")},
            "score": funnel.score,
            "mql_at": to_timestamps(funnel.mql),
            "sql_at": to_timestamps(funnel.sql),
            "opportunity_at": to_timestamps(funnel.opportunity),
            "won_at": to_timestamps(funnel.won),
            "lost_at": to_timestamps(funnel.lost),
            "first_response_at": to_timestamps(funnel.first_response),
            "deal_value": np.where(
                np.isnan(funnel.won), np.nan, 12 * funnel.monthly_revenue
            ),
            "opted_out_at": to_timestamps(funnel.opted_out),
        }
    )
    return LeadDraw(leads, intensity, day, campaign, created, funnel)
