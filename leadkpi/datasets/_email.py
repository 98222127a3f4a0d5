"""E-mail sends: the weekly newsletter, nurture flows and seasonal promotions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadkpi.datasets._calendar import DAY
from leadkpi.datasets._leads import LeadDraw

__all__ = ["email_table", "SENDS"]

# campaign: (when, audience, bounce rate, open rate, clicks per open, unsubscribe rate)
# when: ("weekly", weekday), ("monthly", weekday, first month offset) or
# ("yearly", month, day, reminder days later). Audience: "list" (everyone who can
# be e-mailed), "new" (leads of the last four weeks), "dormant" (leads older than
# ninety days, a share of them).
SENDS: dict[str, tuple[tuple[int | str, ...], str, float, float, float, float]] = {
    "newsletter_weekly": (("weekly", 1), "list", 0.008, 0.26, 0.11, 0.0025),
    "nurture_onboarding": (("weekly", 3), "new", 0.012, 0.42, 0.14, 0.003),
    "nurture_reactivation": (("monthly", 2, 5), "dormant", 0.03, 0.15, 0.08, 0.008),
    "promo_black_friday": (("yearly", 11, 24, 4), "list", 0.009, 0.29, 0.13, 0.004),
    "promo_spring_launch": (("yearly", 3, 10, 7), "list", 0.009, 0.31, 0.12, 0.003),
}
_BASE_LIST = 0.5  # subscribers before the first lead, per lead drawn
_DORMANT_SHARE = 0.6


def _send_days(days: np.ndarray, when: tuple[int | str, ...]) -> np.ndarray:
    """Whether each day has a send of a campaign scheduled ``when``."""
    months = days.astype("datetime64[M]")
    month = months.astype("int64") % 12 + 1
    dom = (days - months).astype("int64") + 1
    weekday = (days.astype("int64") + 3) % 7
    kind = when[0]
    if kind == "weekly":
        summer_break = (month == 8) & (dom >= 8) & (dom <= 24)
        christmas = (month == 12) & (dom >= 22)
        return (weekday == when[1]) & ~summer_break & ~christmas
    if kind == "monthly":
        offset = (months - months[0]).astype("int64")
        return (weekday == when[1]) & (dom <= 7) & (offset >= when[2])
    _, at, day, reminder = when
    return (month == at) & ((dom == day) | (dom == day + reminder))


def email_table(
    draw: LeadDraw, days: np.ndarray, rng: np.random.Generator
) -> pd.DataFrame:
    """One row per send and campaign, from the contactable leads of that day.

    ``delivered = sent - bounces``; opens and clicks are unique; clicks never exceed
    opens.
    """
    n = len(draw.day)
    start = days[0].astype("int64") * DAY
    created = np.bincount(draw.day, minlength=len(days))
    opted = draw.funnel.opted_out
    opted_day = ((opted[~np.isnan(opted)] - start) // DAY).astype("int64")
    gone = np.bincount(np.minimum(opted_day, len(days) - 1), minlength=len(days))
    before = np.concatenate([[0], np.cumsum(created - gone)[:-1]])
    cumulative = np.concatenate([[0], np.cumsum(created)])
    index = np.arange(len(days))
    base = int(_BASE_LIST * n)
    audiences = {
        "list": base + before,
        "new": cumulative[index] - cumulative[np.maximum(index - 28, 0)],
        "dormant": _DORMANT_SHARE * (base + cumulative[np.maximum(index - 90, 0)]),
    }
    frames = []
    for campaign, (when, audience, bounce, opens, clicks, unsub) in SENDS.items():
        day = np.flatnonzero(_send_days(days, when))
        sent = np.round(audiences[audience][day]).astype("int64")
        wobble = rng.lognormal(0.0, 0.1, (4, len(day)))
        bounces = rng.binomial(sent, np.minimum(bounce * wobble[0], 1))
        delivered = sent - bounces
        opened = rng.binomial(delivered, np.minimum(opens * wobble[1], 1))
        frames.append(
            pd.DataFrame(
                {
                    "sent_on": days[day].astype("datetime64[ns]"),
                    "campaign": campaign,
                    "sent": sent,
                    "delivered": delivered,
                    "opens": opened,
                    "clicks": rng.binomial(opened, np.minimum(clicks * wobble[2], 1)),
                    "unsubscribes": rng.binomial(
                        delivered, np.minimum(unsub * wobble[3], 1)
                    ),
                    "bounces": bounces,
                }
            )
        )
    email = pd.concat(frames, ignore_index=True)
    email = email.sort_values(["sent_on", "campaign"], kind="stable")
    counts = ["sent", "delivered", "opens", "clicks", "unsubscribes", "bounces"]
    return email.reset_index(drop=True).astype(
        {"campaign": "str", **dict.fromkeys(counts, "Int64")}
    )
