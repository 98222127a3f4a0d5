"""What sales contact and nurture workflows add to each lead, and landing sessions.

Drawn from their own random stream after every other table, so adding these columns
leaves the rest of the sample unchanged:

- ``replied_at``: a contacted lead replies with a probability that rises with its
  score (about 45 % overall), a day or so after the first call;
- ``not_interested_at``: about a quarter of contacted leads that sales never accepts
  say they are not interested, a few days after the first call;
- ``workflow_enrolled_at`` / ``workflow_goal_at``: 40 % of leads are enrolled in a
  nurture workflow a couple of days after creation; its goal is reaching MQL after
  enrolment;
- ``hard_bounced_at``: 2 % of e-mail addresses hard-bounce, months after creation;
- ``landing_page_sessions`` (web): sessions that start on a landing page, most of
  the paid traffic and a third of the rest, never fewer than the form submissions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadkpi.datasets._calendar import DAY
from leadkpi.datasets._leads import LeadDraw, to_timestamps

__all__ = ["contact_columns", "landing_sessions"]

_REPLY_BASE, _REPLY_SLOPE = -0.3, 0.06
_NOT_INTERESTED = 0.25
_ENROLLED = 0.40
_HARD_BOUNCE = 0.02
_LANDING_PAID, _LANDING_OTHER = 0.8, 0.33
_PAID_CHANNELS = ("paid_search", "paid_social", "display", "events")


def contact_columns(
    draw: LeadDraw, end: float, rng: np.random.Generator
) -> pd.DataFrame:
    """The leads table with the contact and workflow columns added (UTC seconds)."""
    n = len(draw.created)
    funnel = draw.funnel
    called = ~np.isnan(funnel.first_response)
    score = funnel.score
    p_reply = 1 / (1 + np.exp(-(_REPLY_BASE + _REPLY_SLOPE * (score - 55))))
    replied = called & (rng.random(n) < p_reply)
    replied_at = funnel.first_response + rng.lognormal(np.log(DAY), 1.0, n)
    not_sql = np.isnan(funnel.sql)
    refused = called & not_sql & ~replied & (rng.random(n) < _NOT_INTERESTED)
    refused_at = funnel.first_response + rng.lognormal(np.log(3 * DAY), 0.8, n)
    enrolled = rng.random(n) < _ENROLLED
    enrolled_at = draw.created + rng.lognormal(np.log(2 * DAY), 0.7, n)
    goal = enrolled & ~np.isnan(funnel.mql) & (funnel.mql > enrolled_at)
    bounced = rng.random(n) < _HARD_BOUNCE
    bounced_at = draw.created + rng.exponential(120 * DAY, n)

    def column(keep: np.ndarray, seconds: np.ndarray) -> pd.Series:
        seconds = np.where(keep & (seconds <= end), seconds, np.nan)
        return to_timestamps(seconds)

    return draw.leads.assign(
        replied_at=column(replied, replied_at),
        not_interested_at=column(refused, refused_at),
        workflow_enrolled_at=column(enrolled, enrolled_at),
        workflow_goal_at=column(goal & (enrolled_at <= end), funnel.mql),
        hard_bounced_at=column(bounced, bounced_at),
    )


def landing_sessions(web: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The web table with ``landing_page_sessions`` added."""
    sessions = web["sessions"].to_numpy(dtype="int64")
    paid = web["channel"].isin(_PAID_CHANNELS).to_numpy()
    share = np.where(paid, _LANDING_PAID, _LANDING_OTHER)
    landing = rng.binomial(sessions, share)
    forms = web["form_submissions"].to_numpy(dtype="int64")
    landing = np.minimum(np.maximum(landing, forms), sessions)
    return web.assign(landing_page_sessions=pd.array(landing, dtype="Int64"))
