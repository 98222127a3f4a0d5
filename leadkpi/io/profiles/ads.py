"""Ad-platform exports that fill the ``spend`` table.

Four layouts, each as downloaded from the vendor's web interface:

- **Google Ads** campaign report (``google_ads_campaigns``): a report-title line
  and a date-range line above the header (``Campaign report`` /
  ``1 October 2025 - 31 October 2025``; Spanish UI ``Informe de campañas`` /
  ``1 de octubre de 2025 - 31 de octubre de 2025``), then ``Campaign``, ``Day``
  (when segmented by day), ``Currency code``, ``Cost``, ``Impr.``, ``Clicks``,
  ``Conversions`` … and ``Total: …`` rows at the bottom. ``--`` marks a metric
  with no value. The ``.csv`` download is UTF-8 and comma-separated; the
  "Excel .csv" download is UTF-16 LE with a BOM and tab-separated. Numbers follow
  the UI language (``1,234.56`` in English, ``1.234,56`` in Spanish): each
  language's profile rewrites them (:func:`ui_numbers`), so ``12.254``
  impressions never depend on the reader's locale.
- **Microsoft Advertising** campaign performance report
  (``microsoft_ads_campaigns``): quoted preamble lines (``Report Name:``,
  ``Report Time:``, ``Time Zone:``, ``Last Completed Available Day:``, …,
  ``Rows:``), a blank line, the header (``Gregorian date`` or ``TimePeriod``,
  ``Campaign name``, ``Currency code``, ``Impressions``, ``Clicks``, ``Spend``),
  and the footer ``©2025 Microsoft Corporation. All rights reserved.``.
- **Meta Ads Manager** export (``meta_ads``): ``Reporting starts``,
  ``Reporting ends`` (the same day on every row with the day breakdown),
  ``Campaign name``, ``Amount spent (EUR)`` (the account currency in the
  header), ``Impressions``, ``Link clicks``/``Clicks (all)``, ``Results``;
  Spanish UI headers ``Inicio del informe``, ``Fin del informe``,
  ``Nombre de la campaña``, ``Importe gastado (EUR)``, ``Impresiones``,
  ``Clics en el enlace``. Export it without the optional summary row (a row
  with no campaign name would be read as data and rejected).
- **LinkedIn Campaign Manager** campaign performance export
  (``linkedin_campaigns``): preamble ``Campaign Performance Report (in UTC)``,
  ``Report Start: …``, ``Report End: …``, ``Date Generated: …``, then
  ``Start Date (in UTC)``, ``Campaign Name``, ``Currency``, ``Total Spent``,
  ``Impressions``, ``Clicks`` with dates written month first (``10/1/2025``).
  Its encoding is detected: the export has been seen both as UTF-16 LE with tabs
  (the Excel-friendly download) and as UTF-8 with commas.

Each fills ``channel`` from the platform (``paid_search`` for Google and Microsoft,
``paid_social`` for Meta and LinkedIn; a Google Ads "Campaign type" column, when
exported, maps Display and Video campaigns to ``display``) and keeps the source
``currency`` (a column, or the code in Meta's money header).

When a report has no day column (Google Ads not segmented by day, Meta without the
day breakdown over a longer period), every row covers the report's period: the row
is dated at the period's first day and a warning says so (see
:func:`leadkpi.io.profiles._range.date_rows_by_range`). Monthly figures stay right
when the period is one calendar month; daily ones do not.

References
----------
Vendor help pages (by title; layouts change, so each profile names headers in
every form seen):

- Google Ads Help, "Download a report" (formats: .csv, Excel .csv, .tsv, .xlsx).
- Microsoft Advertising, "Reports" guide, section "Report file schema"
  (https://learn.microsoft.com/en-us/advertising/guides/reports): the quoted
  preamble lines; the BingAds Python SDK parses the same labels
  (BingAds/BingAds-Python-SDK, bingads/v13/internal/reporting/row_report_header.py).
- Meta Business Help Center, "Export data from Ads Manager".
- LinkedIn Help, "Export Campaign Manager reports".

Public sample files read to check the byte layouts (found with the code search):
test fixtures of a Google Ads "Excel" download (UTF-16 with BOM, tabs, CRLF,
``Total: Campaigns`` / ``Total: Account``, ``--``) and of LinkedIn's campaign
performance export; a Spark job that strips a Microsoft Advertising UI download
(``"Report Name: …"`` … ``"Gregorian date","Account name","Campaign name"``);
Meta Ads Manager importers listing ``Reporting starts``, ``Amount spent (EUR)``,
``Link clicks``, ``Clicks (all)`` and the Spanish/Portuguese UI headers.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import replace

import pandas as pd

from leadkpi.exceptions import LeadKPIWarning
from leadkpi.io.profiles._range import date_rows_by_range
from leadkpi.io.profiles.base import Profile, RawTable

__all__ = [
    "GOOGLE_ADS",
    "GOOGLE_ADS_CAMPAIGN_TYPES",
    "MICROSOFT_ADS",
    "META_ADS",
    "LINKEDIN",
    "PROFILES",
    "CURRENCIES",
    "ui_numbers",
]

#: Currency codes that ad platforms print in money headers ("Amount spent (EUR)").
CURRENCIES: tuple[str, ...] = (
    "EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON",
    "BGN", "TRY", "MXN", "BRL", "ARS", "CLP", "COP", "PEN", "UYU", "CAD", "AUD",
    "NZD", "JPY", "INR", "SGD", "HKD", "ZAR", "AED", "SAR", "ILS",
)  # fmt: skip


#: Google Ads campaign types (English and Spanish UI) → leadkpi channels; without a
#: "Campaign type" column every row is ``paid_search``.
GOOGLE_ADS_CAMPAIGN_TYPES: dict[str, str] = {
    "Search": "paid_search",
    "Búsqueda": "paid_search",
    "Shopping": "paid_search",
    "Performance Max": "paid_search",
    "Máximo rendimiento": "paid_search",
    "Display": "display",
    "Video": "display",
    "Vídeo": "display",
    "Demand Gen": "paid_social",
    "Generación de demanda": "paid_social",
    "App": "other",
    "Aplicaciones": "other",
}


_METRICS = ("cost", "impressions", "clicks")


def ui_numbers(
    frame: pd.DataFrame, *, thousands: str, point: str, columns=_METRICS
) -> pd.DataFrame:
    """Rewrite numbers in a UI language's format as plain ``1234.56``.

    A platform writes numbers the way its interface language does (``1,234.56`` in
    English, ``1.234,56`` in Spanish), so the profile of each UI language knows the
    format and a column of values like ``12.254`` is never ambiguous. Only cells
    that are entirely such a number are rewritten; anything else (``--``, text) is
    left for the parser to treat as missing or to reject.

    Examples
    --------
    >>> frame = pd.DataFrame({"cost": ["1.055,03", "9,80", "--"]})
    >>> ui_numbers(frame, thousands=".", point=",")["cost"].tolist()
    ['1055.03', '9.80', '--']
    """
    t, p = re.escape(thousands), re.escape(point)
    pattern = rf"-?(?:\d{{1,3}}(?:{t}\d{{3}})+|\d+)(?:{p}\d+)?"
    out = {}
    for column in columns:
        if column not in frame.columns:
            continue
        text = frame[column].astype("string").str.strip()
        plain = text.str.replace(thousands, "", regex=False).str.replace(
            point, ".", regex=False
        )
        out[column] = plain.where(text.str.fullmatch(pattern).fillna(False), text)
    return frame.assign(**out)


def _google_ads(frame: pd.DataFrame, raw: RawTable) -> pd.DataFrame:
    frame = ui_numbers(frame, thousands=",", point=".")
    return date_rows_by_range(frame, raw, vendor="Google Ads")


def _google_ads_es(frame: pd.DataFrame, raw: RawTable) -> pd.DataFrame:
    frame = ui_numbers(frame, thousands=".", point=",")
    return date_rows_by_range(frame, raw, vendor="Google Ads")


def _english_numbers(frame: pd.DataFrame, raw: RawTable) -> pd.DataFrame:
    return ui_numbers(frame, thousands=",", point=".")


GOOGLE_ADS = Profile(
    name="google_ads_campaigns",
    export="campaign report",
    vendor="Google Ads",
    kind="spend",
    columns={
        "date": ("Day", "Día", "Date", "Fecha"),
        "campaign": ("Campaign", "Campaña"),
        "channel": ("Campaign type", "Tipo de campaña"),
        "cost": ("Cost", "Coste", "Costo"),
        "impressions": ("Impr.", "Impressions", "Impresiones"),
        "clicks": ("Clicks", "Clics"),
        "currency": ("Currency code", "Código de moneda", "Currency"),
    },
    signature=("Campaign", "Impr.", "Cost"),
    footer=(r"^Total:",),
    values={"channel": GOOGLE_ADS_CAMPAIGN_TYPES},
    constants={"channel": "paid_search"},
    transform=_google_ads,
    references=(
        "Google Ads Help: Download a report (.csv, Excel .csv UTF-16 tab, .xlsx)",
        "Public fixture of a Google Ads Excel download: UTF-16 BOM, tab, CRLF, "
        "'Campaign report' + date range above the header, 'Total: Account' rows",
    ),
)
"""Google Ads campaign report, English or Spanish UI, ``.csv`` or "Excel .csv"."""

GOOGLE_ADS_ES = replace(
    GOOGLE_ADS,
    name="google_ads_campaigns_es",
    signature=("Campaña", "Impr.", "Coste"),
    transform=_google_ads_es,
)
"""The same report from the Spanish UI (recognised by its Spanish headers)."""

MICROSOFT_ADS = Profile(
    name="microsoft_ads_campaigns",
    export="campaign performance report",
    vendor="Microsoft Advertising",
    kind="spend",
    columns={
        "date": ("Gregorian date", "TimePeriod", "Time period", "Date", "Day"),
        "campaign": ("Campaign name", "CampaignName", "Campaign"),
        "cost": ("Spend",),
        "impressions": ("Impressions", "Impr."),
        "clicks": ("Clicks",),
        "currency": ("Currency code", "CurrencyCode", "Currency"),
    },
    signature=("Campaign name", "Spend", "Impressions"),
    footer=(r"^©\s*\d{4}\s+Microsoft Corporation", r"^Total\b"),
    constants={"channel": "paid_search"},
    transform=_english_numbers,
    dayfirst=False,
    references=(
        "https://learn.microsoft.com/en-us/advertising/guides/reports "
        "(Report file schema)",
        "BingAds/BingAds-Python-SDK bingads/v13/internal/reporting/"
        "row_report_header.py (preamble labels)",
    ),
)
"""Microsoft Advertising campaign performance report (web UI download)."""

MICROSOFT_ADS_API = replace(
    MICROSOFT_ADS,
    name="microsoft_ads_campaigns_api",
    signature=("CampaignName", "Spend", "Impressions"),
)
"""The same report requested through the Reporting API (``CampaignName``…)."""

_META_SPENT = re.compile(r"^\s*(?:Amount spent|Importe gastado)\s*\(([A-Z]{3})\)\s*$")


def _meta_currency_and_dates(frame: pd.DataFrame, raw: RawTable) -> pd.DataFrame:
    """Currency from the money header; without a day breakdown, the period start."""
    if "currency" not in frame.columns:
        codes = [m.group(1) for m in map(_META_SPENT.match, raw.frame.columns) if m]
        if codes:
            frame = frame.assign(currency=codes[0])
    if "_ends" in frame.columns and "date" in frame.columns:
        longer = (frame["_ends"] != frame["date"]).fillna(False).to_numpy()
        if longer.any():
            warnings.warn(
                f"{raw.path.name}: Meta Ads export has no day breakdown; "
                f"{int(longer.sum())} row(s) cover more than one day and are dated "
                "at 'Reporting starts'. Export with Breakdown > By time > Day for "
                "daily figures.",
                LeadKPIWarning,
                stacklevel=2,
            )
    return frame


META_ADS = Profile(
    name="meta_ads",
    export="campaigns",
    vendor="Meta Ads Manager",
    kind="spend",
    columns={
        "date": ("Reporting starts", "Inicio del informe"),
        "_ends": ("Reporting ends", "Fin del informe"),
        "campaign": ("Campaign name", "Nombre de la campaña"),
        "cost": tuple(
            f"{label} ({code})"
            for code in CURRENCIES
            for label in ("Amount spent", "Importe gastado")
        )
        + ("Amount spent", "Importe gastado"),
        "impressions": ("Impressions", "Impresiones"),
        "clicks": (
            "Link clicks",
            "Clics en el enlace",
            "Clicks (all)",
            "Clics (todos)",
        ),
    },
    signature=("Reporting starts", "Reporting ends", "Campaign name"),
    constants={"channel": "paid_social"},
    transform=_meta_currency_and_dates,
    references=(
        "Meta Business Help Center: Export data from Ads Manager",
        "Public Ads Manager importers: 'Reporting starts', 'Reporting ends', "
        "'Campaign name', 'Amount spent (EUR)', 'Link clicks', 'Clicks (all)'",
    ),
)
"""Meta Ads Manager export (campaign level), English or Spanish UI."""

META_ADS_ES = replace(
    META_ADS,
    name="meta_ads_es",
    signature=("Inicio del informe", "Fin del informe", "Nombre de la campaña"),
)
"""The same export from the Spanish UI (recognised by its Spanish headers)."""

LINKEDIN = Profile(
    name="linkedin_campaigns",
    export="campaign performance report",
    vendor="LinkedIn Campaign Manager",
    kind="spend",
    columns={
        "date": ("Start Date (in UTC)", "Start Date"),
        "campaign": ("Campaign Name", "Campaign"),
        "cost": ("Total Spent", "Amount Spent"),
        "impressions": ("Impressions",),
        "clicks": ("Clicks",),
        "currency": ("Currency",),
    },
    signature=("Campaign Name", "Total Spent", "Impressions"),
    constants={"channel": "paid_social"},
    transform=_english_numbers,
    dayfirst=False,
    references=(
        "LinkedIn Help: Export Campaign Manager reports",
        "Public fixtures of the export: 'Campaign Performance Report (in UTC)', "
        "'Report Start:', 'Start Date (in UTC)', 'Total Spent', 'Currency'",
    ),
)
"""LinkedIn Campaign Manager campaign performance export (daily time breakdown)."""

PROFILES: tuple[Profile, ...] = (
    GOOGLE_ADS,
    GOOGLE_ADS_ES,
    MICROSOFT_ADS,
    MICROSOFT_ADS_API,
    META_ADS,
    META_ADS_ES,
    LINKEDIN,
)
