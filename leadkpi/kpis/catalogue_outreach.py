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
        ("Prospects contacted", "Prospects first contacted (request or message)"),
        (
            "Prospectos contactados",
            "Prospectos contactados por primera vez (invitación o mensaje)",
        ),
        "count of prospects by first contact",
        "count",
        "higher",
    ),
    kpi(
        "connection_requests_sent",
        ("Connection requests sent", "Prospects sent a connection request"),
        (
            "Solicitudes de conexión enviadas",
            "Prospectos a los que se envió una solicitud de conexión",
        ),
        "count of prospects with request_sent_at",
        "count",
        "higher",
        measures=("requests_sent",),
    ),
    kpi(
        "connection_requests_accepted",
        ("Connection requests accepted", "Requests sent that were accepted"),
        (
            "Solicitudes aceptadas",
            "Solicitudes de conexión enviadas que fueron aceptadas",
        ),
        "count of prospects with request_sent_at and request_accepted_at",
        "count",
        "higher",
        measures=("requests_accepted",),
    ),
    kpi(
        "acceptance_rate",
        ("Acceptance rate", "Share of connection requests accepted"),
        (
            "Tasa de aceptación",
            "Porcentaje de solicitudes de conexión aceptadas",
        ),
        "requests_accepted / requests_sent",
        "fraction",
        "higher",
        acceptance_rate,
        interval="wilson",
    ),
    kpi(
        "outreach_messages_sent",
        ("Prospects messaged", "Prospects sent at least one message or e-mail"),
        (
            "Prospectos con mensaje",
            "Prospectos que recibieron al menos un mensaje o correo",
        ),
        "count of prospects with message_sent_at",
        "count",
        "higher",
        measures=("outreach_messages",),
    ),
    kpi(
        "outreach_replies",
        ("Replies", "Prospects who replied after the first contact"),
        ("Respuestas", "Prospectos que respondieron tras el primer contacto"),
        "count of prospects with replied_at",
        "count",
        "higher",
    ),
    kpi(
        "reply_rate",
        ("Reply rate", "Share of prospects contacted who replied"),
        (
            "Tasa de respuesta",
            "Porcentaje de prospectos contactados que respondieron",
        ),
        "outreach_replies / prospects_contacted",
        "fraction",
        "higher",
        reply_rate,
        interval="wilson",
    ),
    kpi(
        "meetings_booked",
        ("Meetings booked", "Prospects with a meeting booked"),
        ("Reuniones agendadas", "Prospectos con una reunión agendada"),
        "count of prospects with meeting_at",
        "count",
        "higher",
    ),
    kpi(
        "meeting_rate",
        ("Meeting rate", "Share of prospects contacted who booked a meeting"),
        (
            "Tasa de reuniones",
            "Porcentaje de prospectos contactados que agendaron una reunión",
        ),
        "meetings_booked / prospects_contacted",
        "fraction",
        "higher",
        meeting_rate,
        interval="wilson",
    ),
    kpi(
        "cost_per_meeting",
        ("Cost per meeting", "Cost of outbound prospecting per meeting booked"),
        (
            "Coste por reunión",
            "Coste de la prospección saliente por reunión agendada",
        ),
        "outreach_cost / meetings_booked",
        "currency",
        "lower",
        cost_per_meeting,
        interval="cost_per_count",
    ),
    kpi(
        "conversion_rate_contacted",
        (
            "Conversion rate (prospects contacted)",
            "Share of prospects contacted who became leads",
        ),
        (
            "Tasa de conversión (prospectos contactados)",
            "Porcentaje de prospectos contactados que se convirtieron en leads",
        ),
        "outreach_conversions / prospects_contacted",
        "fraction",
        "higher",
        conversion_rate_contacted,
        interval="wilson",
    ),
)
