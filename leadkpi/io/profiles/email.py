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
Bounces (soft + hard); a list exported without ``Successful Deliveries``
(``mailchimp_campaigns_no_deliveries``) has delivered = recipients − bounces, said
once. Rates are not read: leadkpi recomputes them from the counts
(sum over sum at any grain). ``channel`` is ``email``.

References
----------
- Mailchimp Help, "About Email Campaign Reports"
  (https://mailchimp.com/help/about-email-campaign-reports/).
- Mailchimp Help, "Export and Print Reports" (the campaign reports CSV).
"""

from __future__ import annotations

import warnings
from dataclasses import replace

import pandas as pd

from leadkpi.exceptions import LeadKPIWarning
from leadkpi.io.profiles.base import Profile, RawTable

__all__ = ["MAILCHIMP", "MAILCHIMP_WITHOUT_DELIVERIES", "PROFILES"]

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


def _deliveries(frame: pd.DataFrame, raw: RawTable) -> pd.DataFrame:
    """Without "Successful Deliveries": recipients less bounces, as Mailchimp counts."""
    if "delivered" in frame or not {"sent", "bounces"} <= set(frame.columns):
        return frame
    sent = pd.to_numeric(frame["sent"].str.replace(",", ""), errors="coerce")
    bounces = pd.to_numeric(frame["bounces"].str.replace(",", ""), errors="coerce")
    warnings.warn(
        f"{raw.path.name}: Mailchimp export has no 'Successful Deliveries' column; "
        "delivered is read as Total Recipients - Total Bounces",
        LeadKPIWarning,
        stacklevel=2,
    )
    return frame.assign(delivered=(sent - bounces).astype("Int64").astype("str"))


MAILCHIMP_WITHOUT_DELIVERIES = replace(
    MAILCHIMP,
    name="mailchimp_campaigns_no_deliveries",
    signature=("Title", "Send Date", "Total Recipients", "Unique Opens"),
    transform=_deliveries,
)
"""Campaign lists exported without ``Successful Deliveries``: delivered derived."""

PROFILES: tuple[Profile, ...] = (MAILCHIMP, MAILCHIMP_WITHOUT_DELIVERIES)
