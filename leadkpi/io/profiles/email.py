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

**Mailchimp single-campaign report** (``mailchimp_campaign_report``): one
campaign's report, "Export as CSV" from its report page. Not a table but one record
of ``key:, value`` lines: ``Email Campaign Report``, then ``"Title:"``,
``"Subject Line:"``, ``"Delivery Date/Time:"`` (``Tue, May 5, 2026 9:00 am``),
a blank line, ``"Overall Stats"``, ``"Total Recipients:"`` (``3,212``),
``"Successful Deliveries:"``, ``"Bounces:"`` (``25 (0.8%)``: the count, then the
rate), ``"Times Forwarded:"``, ``"Forwarded Opens:"``, ``"Recipients Who Opened:"``
(``812 (25.5%)``), ``"Total Opens:"``, ``"Last Open Date:"``, ``"Recipients Who
Clicked:"``, ``"Total Clicks:"``, ``"Last Click Date:"``, ``"Total Unsubs:"``,
``"Total Abuse Complaints:"``, ``"Times Liked on Facebook:"``; then titled tables:
``"Clicks by URL"`` (``"URL","Total Clicks","Unique Clicks"``) and per-subscriber
blocks. It reads as one row of the ``email`` table (opens and clicks are the
recipients who opened and clicked, as ``Unique Opens``/``Unique Clicks`` in the
list); the tables below are kept aside in ``skipped`` (``per-link table``,
``per-subscriber table``, other sections ``report section``). An A/B test report
repeats its stats per combination and is refused.

References
----------
- Mailchimp Help, "About Email Campaign Reports"
  (https://mailchimp.com/help/about-email-campaign-reports/).
- Mailchimp Help, "Export and Print Reports" (the campaign reports CSV, and one
  campaign's report as CSV).
- Public parsers and anonymised fixtures of the single-campaign CSV on GitHub
  (``"Title:"``, ``"Delivery Date/Time:"``, ``"Overall Stats"``,
  ``"Recipients Who Opened:"``, ``"Clicks by URL"``; A/B reports with
  ``"Combination 1 Stats"``).
"""

from __future__ import annotations

import warnings
from dataclasses import replace

import pandas as pd

from leadkpi.exceptions import LeadKPIWarning
from leadkpi.io.profiles.base import Profile, RawTable

__all__ = [
    "MAILCHIMP",
    "MAILCHIMP_WITHOUT_DELIVERIES",
    "MAILCHIMP_CAMPAIGN_REPORT",
    "PROFILES",
]

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

# "25 (0.8%)": the count; the no-break space is written by Python (older pyarrow
# regular expressions have no \u escape)
_COUNT = "^\\s*([\\d.,\\s\u00a0]*\\d)\\s*\\(.*\\)\\s*$"


def _counts_without_rates(frame: pd.DataFrame, raw: RawTable) -> pd.DataFrame:
    """``812 (25.5%)`` → ``812``: the report writes a rate after some counts."""
    counts = [c for c in ("bounces", "opens", "clicks") if c in frame]
    return frame.assign(
        **{c: frame[c].str.replace(_COUNT, r"\1", regex=True) for c in counts}
    )


MAILCHIMP_CAMPAIGN_REPORT = Profile(
    name="mailchimp_campaign_report",
    export="single-campaign report",
    vendor="Mailchimp",
    kind="email",
    columns={
        "sent_on": ("Delivery Date/Time:", "Send Date:"),
        "campaign": ("Title:",),
        "subject": ("Subject Line:",),
        "sent": ("Total Recipients:",),
        "delivered": ("Successful Deliveries:",),
        "opens": ("Recipients Who Opened:",),
        "clicks": ("Recipients Who Clicked:",),
        "unsubscribes": ("Total Unsubs:", "Unsubscribes:"),
        "bounces": ("Bounces:",),
    },
    signature=(
        "Title:",
        "Delivery Date/Time:",
        "Total Recipients:",
        "Recipients Who Opened:",
    ),
    layout="key-value",
    sections={
        "per-link table": r"Clicks by URL|Top Links Clicked",
        "per-subscriber table": (
            r".*\b(?:subscribers?|email address(?:es)?|members)\b.*"
        ),
    },
    constants={"channel": "email"},
    transform=_counts_without_rates,
    dayfirst=False,
    references=(
        "https://mailchimp.com/help/about-email-campaign-reports/",
        "Mailchimp Help: Export and Print Reports (a campaign's report as CSV)",
        "Public parsers and anonymised fixtures of the single-campaign CSV: "
        "'Title:', 'Delivery Date/Time:', 'Overall Stats', 'Clicks by URL'",
    ),
)
"""One campaign's report: ``key:, value`` lines read as one row of ``email``."""

PROFILES: tuple[Profile, ...] = (
    MAILCHIMP,
    MAILCHIMP_WITHOUT_DELIVERIES,
    MAILCHIMP_CAMPAIGN_REPORT,
)
