"""Catalogue: outbound prospecting (LinkedIn and sales-engagement tools).

The KPIs read the ``outreach`` table (one row per prospect × sequence). Every
measure dates a prospect by its **first contact** (``contacted_at``): the rates
follow the prospects contacted in a period to whatever they went on to do, so a
reply in April to a March request counts for March, and every rate stays between
0 and 1. A step counts only when the step before it is there: an accepted request
needs a request sent.

- ``acceptance_rate`` = requests accepted / requests sent;
- ``reply_rate`` = prospects who replied / prospects contacted;
- ``meeting_rate`` = prospects with a meeting booked / prospects contacted;
- ``conversion_rate_contacted`` = prospects who became a lead (matched by e-mail or
  profile URL, created at or after the first contact) / prospects contacted: the
  LinkedIn-prospecting article's definition (25 conversions from 500 prospects
  contacted: 5 %), beside the lead-based ``lead_conversion_rate``;
- ``cost_per_meeting`` = the cost of outbound prospecting / meetings booked, where
  the cost is the ``costs`` table's rows in the ``outbound`` channel
  (:data:`leadkpi.outreach.OUTREACH_CHANNEL`: the automation tool's subscription,
  the SDRs' time), by month.
"""

from __future__ import annotations

from leadkpi.kpis.formulas import Num, ratio
from leadkpi.kpis.kpi import KPI, kpi

__all__ = [
    "OUTREACH",
    "acceptance_rate",
    "reply_rate",
    "meeting_rate",
    "conversion_rate_contacted",
    "cost_per_meeting",
]


def acceptance_rate(*, requests_accepted: Num, requests_sent: Num) -> Num:
    """Connection requests accepted per request sent."""
    return ratio(requests_accepted, requests_sent)


def reply_rate(*, outreach_replies: Num, prospects_contacted: Num) -> Num:
    """Prospects who replied per prospect contacted."""
    return ratio(outreach_replies, prospects_contacted)


def meeting_rate(*, meetings_booked: Num, prospects_contacted: Num) -> Num:
    """Prospects with a meeting booked per prospect contacted."""
    return ratio(meetings_booked, prospects_contacted)


def conversion_rate_contacted(
    *, outreach_conversions: Num, prospects_contacted: Num
) -> Num:
    """Prospects who became leads per prospect contacted.

    Examples
    --------
    >>> conversion_rate_contacted(outreach_conversions=25, prospects_contacted=500)
    0.05
    """
    return ratio(outreach_conversions, prospects_contacted)


def cost_per_meeting(*, outreach_cost: Num, meetings_booked: Num) -> Num:
    """Cost of outbound prospecting per meeting booked."""
    return ratio(outreach_cost, meetings_booked)


OUTREACH: tuple[KPI, ...] = (
    kpi(
        "prospects_contacted",
        "count of prospects by first contact",
        "count",
        "higher",
    ),
    kpi(
        "connection_requests_sent",
        "count of prospects with request_sent_at",
        "count",
        "higher",
        measures=("requests_sent",),
    ),
    kpi(
        "connection_requests_accepted",
        "count of prospects with request_sent_at and request_accepted_at",
        "count",
        "higher",
        measures=("requests_accepted",),
    ),
    kpi(
        "acceptance_rate",
        "requests_accepted / requests_sent",
        "fraction",
        "higher",
        acceptance_rate,
        interval="wilson",
    ),
    kpi(
        "outreach_messages_sent",
        "count of prospects with message_sent_at",
        "count",
        "higher",
        measures=("outreach_messages",),
    ),
    kpi(
        "outreach_replies",
        "count of prospects with replied_at",
        "count",
        "higher",
    ),
    kpi(
        "reply_rate",
        "outreach_replies / prospects_contacted",
        "fraction",
        "higher",
        reply_rate,
        interval="wilson",
    ),
    kpi(
        "meetings_booked",
        "count of prospects with meeting_at",
        "count",
        "higher",
    ),
    kpi(
        "meeting_rate",
        "meetings_booked / prospects_contacted",
        "fraction",
        "higher",
        meeting_rate,
        interval="wilson",
    ),
    kpi(
        "cost_per_meeting",
        "outreach_cost / meetings_booked",
        "currency",
        "lower",
        cost_per_meeting,
        interval="cost_per_count",
    ),
    kpi(
        "conversion_rate_contacted",
        "outreach_conversions / prospects_contacted",
        "fraction",
        "higher",
        conversion_rate_contacted,
        interval="wilson",
    ),
)
