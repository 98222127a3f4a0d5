"""E-mail tool exports that fill the ``email`` table.

**Mailchimp** campaign report export (``mailchimp_campaigns``): Reports, then
"Export as CSV" on the campaign reports list (or "Download" on one campaign's
report). One row per sent campaign, UTF-8, comma-separated, every cell quoted:
``Title``, ``Subject``, ``List``, ``Send Date`` (``Oct 07, 2025 09:00 am``, in the
account's timezone), ``Send Weekday``, ``Total Recipients``, ``Successful
Deliveries``, ``Soft Bounces``, ``Hard Bounces``, ``Total Bounces``, ``Times
Forwarded``, ``Forwarded Opens``, ``Unique Opens``, ``Open Rate`` (``23.45%``),
``Total Opens``, ``Unique Clicks``, ``Click Rate``, ``Total Clicks``,
``Unsubscribes``, ``Abuse Complaints``, … .

Mapping: ``sent_on`` ← Send Date (the day), ``campaign`` ← Title, ``sent`` ← Total
Recipients, ``delivered`` ← Successful Deliveries, ``opens`` ← Unique Opens,
``clicks`` ← Unique Clicks, ``unsubscribes`` ← Unsubscribes, ``bounces`` ← Total
Bounces (soft + hard). Rates are not read: leadkpi recomputes them from the counts
(sum over sum at any grain). ``channel`` is ``email``.

References
----------
- Mailchimp Help, "About Email Campaign Reports"
  (https://mailchimp.com/help/about-email-campaign-reports/).
- Mailchimp Help, "Export and Print Reports" (the campaign reports CSV).
"""

from __future__ import annotations

from leadkpi.io.profiles.base import Profile

__all__ = ["MAILCHIMP", "PROFILES"]

MAILCHIMP = Profile(
    name="mailchimp_campaigns",
    export="campaign reports",
    vendor="Mailchimp",
    kind="email",
    columns={
        "sent_on": ("Send Date", "Send Time"),
        "campaign": ("Title", "Campaign Title", "Campaign Name"),
        "sent": ("Total Recipients", "Emails Sent", "Recipients"),
        "delivered": ("Successful Deliveries",),
        "opens": ("Unique Opens",),
        "clicks": ("Unique Clicks",),
        "unsubscribes": ("Unsubscribes", "Unsubscribed"),
        "bounces": ("Total Bounces", "Bounces"),
    },
    signature=("Title", "Send Date", "Total Recipients", "Successful Deliveries"),
    encoding="utf-8",
    delimiter=",",
    constants={"channel": "email"},
    dayfirst=False,
    references=(
        "https://mailchimp.com/help/about-email-campaign-reports/",
        "Mailchimp Help: Export and Print Reports",
    ),
)
"""Mailchimp campaign report export."""

PROFILES: tuple[Profile, ...] = (MAILCHIMP,)
