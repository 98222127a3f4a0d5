"""Web-analytics exports that fill the ``web`` table.

**Google Analytics 4** report export (``ga4_report``): "Share this report" →
"Download file" → "Download CSV" on a standard report (Traffic acquisition,
User acquisition, …) or "Export data" → CSV on an exploration. UTF-8,
comma-separated, ``\\n`` line endings, and a comment preamble::

    # ----------------------------------------
    # Traffic acquisition: Session source / medium
    # Account: Nubalia Cloud
    # Property: nubalia.com - GA4
    # ----------------------------------------
    #
    # All Users
    # Start date: 20251001
    # End date: 20251031
    Date,Session source / medium,Sessions,Engaged sessions,Engagement rate,…

Dates are ``YYYYMMDD``; rates are fractions (``0.6523``); durations are seconds.
Some exports carry a ``Grand total`` line: it is skipped, never read as data.
A file re-saved by a spreadsheet pads every line (the ``#`` preamble too) with
trailing commas, ends lines with CRLF and may hold the user's notes below the
table: lines after the last blank line with a single filled cell are kept aside
as ``note``. Hourly reports (``Date + hour (YYYYMMDDHH)``) are dated by their day.

Mapping: ``date`` ← Date (without a Date dimension every row covers the report's
period and is dated at its first day, with a warning), ``source``/``medium`` ←
``Session source / medium`` (split at `` / ``) or ``Session source`` and
``Session medium``, ``channel`` ← the session channel group (GA4's default
groups mapped onto leadkpi's channels), ``sessions`` ← Sessions, ``users`` ←
Total users (or Active users), ``pageviews`` ← Views, ``engaged_sessions`` ←
Engaged sessions, ``bounces`` = sessions − engaged sessions (GA4 counts a session
that is not engaged as a bounce), ``engagement_seconds`` ← User engagement, or
Average engagement time per session × sessions, ``form_submissions`` ← Key events
(the report must be filtered to the form-submission key event, or use a column
``Key events (form_submit)``; otherwise it counts every key event),
``landing_page_sessions`` ← a custom metric named ``Landing page sessions`` (GA4
has no built-in count of sessions that start on a campaign landing page; a
property defines one, e.g. from a ``landing_page_view`` event), or ``Entrances``
in an export filtered to the landing pages.

References
----------
- Google Analytics Help, "Share and download reports" (CSV download).
- Public GA4 import tests reading the ``# Start date: 20260501`` /
  ``# End date: …`` comment preamble above the header.
- Google Analytics Help, "[GA4] Default channel group"
  (a custom channel group, such as one adding "Events", can be made the
  property's primary group: the dimension "Session primary channel group").
- Google Analytics Help, "[GA4] Analytics dimensions and metrics"
  (``Sessions``, ``Engaged sessions``, ``Views``, ``User engagement``,
  ``Key events``).
"""

from __future__ import annotations

import pandas as pd

from leadkpi.io.numbers import MAX_COUNT
from leadkpi.io.profiles._range import date_rows_by_range
from leadkpi.io.profiles.base import Profile, RawTable

__all__ = ["GA4", "GA4_CHANNELS", "PROFILES"]

#: GA4 channel groups → leadkpi channels (overridable: pass another mapping).
GA4_CHANNELS: dict[str, str] = {
    "Paid Search": "paid_search",
    "Paid Shopping": "paid_search",
    "Organic Search": "organic_search",
    "Organic Shopping": "organic_search",
    "Paid Social": "paid_social",
    "Organic Social": "organic_social",
    "Organic Video": "organic_social",
    "Email": "email",
    "Referral": "referral",
    "Affiliates": "referral",
    "Direct": "direct",
    "Display": "display",
    "Paid Video": "display",
    "Cross-network": "other",
    "Paid Other": "other",
    "Audio": "other",
    "SMS": "other",
    "Mobile Push Notifications": "other",
    "Unassigned": "other",
    "(other)": "other",
    # Custom channel groups often add these to the default ones.
    "Events": "events",
    "Webinars": "events",
}


def _number(values: pd.Series) -> pd.Series:
    """Numbers for derived columns; ``inf`` and 2^63 are left out (rejected when
    their own column is parsed)."""
    numbers = pd.to_numeric(values, errors="coerce")
    return numbers.where(numbers.abs() < MAX_COUNT)


def _ga4_columns(frame: pd.DataFrame, raw: RawTable) -> pd.DataFrame:
    """Split source / medium, derive bounces and total engagement, date the rows."""
    if "date" not in frame.columns and "_hour" in frame.columns:
        # "Date + hour (YYYYMMDDHH)": the day is its first eight digits
        frame = frame.assign(date=frame["_hour"].str.strip().str.slice(0, 8))
    frame = date_rows_by_range(
        frame, raw, vendor="GA4", start_label="Start date", end_label="End date"
    )
    if "source" in frame.columns and "medium" not in frame.columns:
        parts = frame["source"].str.split(" / ", n=1, expand=True)
        if parts.shape[1] == 2:
            frame = frame.assign(source=parts[0], medium=parts[1])
    counts = {}
    if {"sessions", "engaged_sessions"} <= set(frame.columns):
        if "bounces" not in frame.columns:
            bounces = _number(frame["sessions"]) - _number(frame["engaged_sessions"])
            counts["bounces"] = bounces.astype("Int64").astype("string")
    if "engagement_seconds" not in frame.columns and "_average" in frame.columns:
        seconds = _number(frame["_average"]) * _number(frame["sessions"])
        counts["engagement_seconds"] = seconds.astype("string")
    return frame.assign(**counts)


GA4 = Profile(
    name="ga4_report",
    export="report",
    vendor="Google Analytics 4",
    kind="web",
    columns={
        "date": ("Date", "Fecha"),
        "_hour": ("Date + hour (YYYYMMDDHH)", "Fecha + hora (AAAAMMDDHH)"),
        "source": (
            "Session source / medium",
            "Session source",
            "Source / medium",
            "Source",
        ),
        "medium": ("Session medium", "Medium"),
        "channel": (
            "Session primary channel group",
            "Session default channel group",
            "Session primary channel group (Default Channel Group)",
            "Session primary channel group (Default channel group)",
            "Default channel group",
        ),
        "sessions": ("Sessions", "Sesiones"),
        "users": ("Total users", "Users", "Active users", "Usuarios totales"),
        "pageviews": ("Views", "Vistas", "Screen page views"),
        "engaged_sessions": ("Engaged sessions", "Sesiones con interacción"),
        "engagement_seconds": ("User engagement", "Interacción de los usuarios"),
        "_average": (
            "Average engagement time per session",
            "Tiempo de interacción medio por sesión",
        ),
        "landing_page_sessions": (
            "Landing page sessions",
            "Sesiones de página de destino",
            "Entrances",
            "Entradas",
        ),
        "form_submissions": (
            "Key events (form_submit)",
            "Key events (generate_lead)",
            "Key events",
            "Conversions",
            "Eventos clave",
        ),
    },
    signature=("Sessions", "Engaged sessions"),
    encoding="utf-8",
    delimiter=",",
    footer=(r"^Grand total", r"^Total general"),
    totals={"_notes_below": "note"},
    values={"channel": GA4_CHANNELS},
    transform=_ga4_columns,
    references=(
        "Google Analytics Help: Share and download reports (CSV download)",
        "Google Analytics Help: [GA4] Default channel group",
        "Google Analytics Help: [GA4] Analytics dimensions and metrics",
    ),
)
"""Google Analytics 4 report or exploration CSV download."""

PROFILES: tuple[Profile, ...] = (GA4,)
