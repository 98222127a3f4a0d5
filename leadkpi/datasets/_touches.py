"""Marketing touches of each lead: before it converts, the conversion, and after."""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadkpi.datasets._calendar import DAY, clock_times, local_to_utc
from leadkpi.datasets._company import CAMPAIGNS, CHANNELS
from leadkpi.datasets._leads import CHANNEL_OF, LeadDraw, to_timestamps
from leadkpi.datasets._text import pick

__all__ = ["touches_table", "TOUCH_TYPES"]

TOUCH_TYPES = (
    "ad_click",
    "organic_visit",
    "email_click",
    "webinar",
    "direct_visit",
    "referral_visit",
    "form_submit",
)
_FORM = TOUCH_TYPES.index("form_submit")
_TYPE_OF = np.array([TOUCH_TYPES.index(CHANNELS[c.channel].touch) for c in CAMPAIGNS])
_EARLIER_PER_LEAD = 1.0  # mean visits before the lead converts
_EARLIER_GAP_DAYS = 18.0  # mean days between such a visit and the conversion
_LATER_PER_LEAD = (0.35, 1.1)  # mean touches after converting: not MQL, MQL
_LATER_GAP_DAYS = 20.0
# Touches after conversion: (channel, campaign) and relative frequency.
_LATER = (
    (("email", "nurture_onboarding"), 0.45),
    (("email", "newsletter_weekly"), 0.25),
    (("direct", ""), 0.2),
    (("events", "webinar_monthly"), 0.1),
)


def _campaign_index(channel: str, campaign: str) -> int:
    return next(
        i for i, c in enumerate(CAMPAIGNS) if (c.channel, c.id) == (channel, campaign)
    )


def _earlier(
    draw: LeadDraw, days: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, ...]:
    """Anonymous visits before conversion, drawn from what was running that day."""
    count = rng.poisson(_EARLIER_PER_LEAD, len(draw.day))
    lead = np.repeat(np.arange(len(draw.day)), count)
    gap = 1 + np.floor(rng.exponential(_EARLIER_GAP_DAYS, len(lead))).astype("int64")
    day = draw.day[lead] - gap
    keep = day >= 0
    lead, day = lead[keep], day[keep]
    awareness = np.array([c.awareness for c in CHANNELS.values()])[CHANNEL_OF]
    weights = draw.intensity * awareness[None, :]
    cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    cumulative[:, -1] = 1.0
    width = cumulative.shape[1]
    flat = (cumulative + np.arange(len(cumulative))[:, None]).ravel()
    picked = np.searchsorted(flat, day + rng.random(len(day)), side="right")
    campaign = np.minimum(picked - day * width, width - 1)
    local = clock_times(days[day], rng).astype(float)
    return lead, local_to_utc(local), campaign, _TYPE_OF[campaign]


def _later(
    draw: LeadDraw, end: float, rng: np.random.Generator
) -> tuple[np.ndarray, ...]:
    """Nurture e-mail clicks, return visits and webinars after conversion."""
    reached_mql = ~np.isnan(draw.funnel.mql)
    not_mql, mql = _LATER_PER_LEAD
    count = rng.poisson(np.where(reached_mql, mql, not_mql))
    lead = np.repeat(np.arange(len(draw.day)), count)
    options = np.array([_campaign_index(*key) for key, _ in _LATER])
    shares = np.array([share for _, share in _LATER])
    campaign = options[rng.choice(len(options), len(lead), p=shares / shares.sum())]
    when = draw.created[lead] + np.round(
        DAY * (0.05 + rng.exponential(_LATER_GAP_DAYS, len(lead)))
    )
    is_email = CHANNEL_OF[campaign] == list(CHANNELS).index("email")
    opted_out = draw.funnel.opted_out[lead]
    keep = (when <= end) & ~(is_email & (when >= opted_out))
    campaign = campaign[keep]
    return lead[keep], when[keep], campaign, _TYPE_OF[campaign]


def touches_table(
    draw: LeadDraw, days: np.ndarray, end: float, rng: np.random.Generator
) -> pd.DataFrame:
    """Every touch of every lead, ordered by lead and time.

    Each lead has one ``form_submit`` at its creation with its own channel and
    campaign; before it, anonymous visits (ad clicks, organic and referral visits)
    from the campaigns running on those days; after it, nurture e-mail clicks, return
    visits and webinars, more of them for leads that became MQLs.
    """
    n = len(draw.day)
    start = days[0].astype("int64") * DAY
    own = (np.arange(n), draw.created, draw.campaign, np.full(n, _FORM))
    parts = [_earlier(draw, days, rng), own, _later(draw, end, rng)]
    lead, when, campaign, kind = (np.concatenate(p) for p in zip(*parts, strict=True))
    when = np.maximum(when, start)
    order = np.lexsort((kind == _FORM, when, lead))
    lead, when, campaign, kind = lead[order], when[order], campaign[order], kind[order]
    touches = pd.DataFrame(
        {
            "lead_id": pick(draw.leads["lead_id"], lead),
            "touched_at": to_timestamps(when),
            "channel": pick(list(CHANNELS), CHANNEL_OF[campaign]),
            "campaign": pick([c.id for c in CAMPAIGNS], campaign),
            "touch_type": pick(TOUCH_TYPES, kind),
        }
    )
    return touches
