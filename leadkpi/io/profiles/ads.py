"""Ad-platform exports that fill the ``spend`` table.

Four layouts, each as downloaded from the vendor's web interface:

- **Google Ads** reports (campaign, ad group, keyword; search terms refused): see
  :mod:`leadkpi.io.profiles.google_ads`.
- **Microsoft Advertising** campaign performance report
  (``microsoft_ads_campaigns``): quoted preamble lines (``Report Name:``,
  ``Report Time:``, ``Time Zone:``, ``Last Completed Available Day:``, …,
  ``Rows:``), a blank line, the header (``Gregorian date`` or ``TimePeriod``,
  ``Campaign name``, ``Currency code``, ``Impressions``, ``Clicks``, ``Spend``),
  and the footer ``©2025 Microsoft Corporation. All rights reserved.``. Through
  the Reporting API (``microsoft_ads_campaigns_api``) the headers are the API's
  column names (``GregorianDate`` or ``TimePeriod``, ``CampaignName``,
  ``CurrencyCode``, ``Spend``…); an hourly report's ``TimePeriod`` reads
  ``2025-10-01|13`` and its rows are dated by their day.
- **Meta Ads Manager** export (``meta_ads``): ``Reporting starts``,
  ``Reporting ends`` (the same day on every row with the day breakdown),
  ``Campaign name``, ``Amount spent (EUR)`` (the account currency in the
  header), ``Impressions``, ``Link clicks``/``Clicks (all)``, ``Results``;
  Spanish UI headers ``Inicio del informe``, ``Fin del informe``,
  ``Nombre de la campaña``, ``Importe gastado (EUR)``, ``Impresiones``,
  ``Clics en el enlace``; Portuguese (Brazil) UI (``meta_ads_pt``)
  ``Início dos relatórios``, ``Encerramento dos relatórios``, ``Nome da
  campanha``, ``Valor usado (BRL)``, ``Impressões``, ``Cliques no link``. The
  optional summary row (first, no campaign name,
  "Results from 4 campaigns") is kept aside as the campaigns' total and the rows
  are reconciled against it; an export with no rows reads ``No data available.``
  and loads empty.
- **LinkedIn Campaign Manager** campaign performance export
  (``linkedin_campaigns``): preamble ``Campaign Performance Report (in UTC)``,
  ``Report Start: …``, ``Report End: …``, ``Date Generated: …``, then
  ``Start Date (in UTC)``, ``Campaign Name``, ``Currency``, ``Total Spent``,
  ``Impressions``, ``Clicks`` with dates written month first (``10/1/2025``).
  Its encoding is detected: the export has been seen both as UTF-16 LE with tabs
  (the Excel-friendly download) and as UTF-8 with commas. The ad (creative) level
  export (``linkedin_ads``; ``linkedin_creatives`` and ``linkedin_creative_names``
  for the creative performance report's ``Creative ID`` / ``Creative Name``) adds
  ``Ad ID``, ``Ad Name``, ``Ad Introduction Text`` (quoted, may span lines),
  ``Ad Headline``, ``Click URL``: one row per ad and day, the ad kept as
  ``ad``/``ad_id``. A carousel ad's cards follow its row as lines of their own:
  the card's number in the ``Carousel Card`` column (blank on the ad's row), its
  own ``Card Impressions`` and ``Card Clicks``, no spend. They are not spend rows
  (a card click is also counted in the ad's clicks) and are kept aside as
  ``carousel card``; so is a line labelled ``Carousel Card`` without cost. From
  the Spanish UI (``linkedin_campaigns_es``): ``Informe de rendimiento de la
  campaña (en UTC)``, ``Fecha de inicio (en UTC)``, ``Nombre de la campaña``,
  ``Importe total gastado``, ``Impresiones``, ``Clics``, ``Divisa``; dates day
  first and ``1.234,56`` numbers (these Spanish names are not yet checked against
  a real file; the spend header is matched in every form it may take).

Each fills ``channel`` from the platform (``paid_search`` for Microsoft,
``paid_social`` for Meta and LinkedIn) and keeps the source ``currency`` (a column,
or the code in Meta's money header).

Each also keeps the platform's own conversion count where the export has it, as
``conversions`` (a number: Google Ads credits fractions) and ``conversion_value``:
Google Ads ``Conversions``/``Conv.``/``Conversiones`` and ``Conv. value``;
Microsoft ``Conversions``/``Conv.`` and ``Revenue``; LinkedIn ``Conversions`` and
``Total Conversion Value`` (Spanish ``Conversiones``); Meta ``Results`` with its
``Result indicator`` or ``Result type`` kept as ``conversion_type``, since a
campaign's results are of the type its objective chose (leads, link clicks…) and
counts of different types must not be added up. Meta's purchase value columns are
not read as ``conversion_value``: they value purchases, not the results counted.
A file without such a column loads without it (missing, never 0), and the files'
totals rows are reconciled on it too.

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
``Link clicks``, ``Clicks (all)`` and the Spanish/Portuguese UI headers; a SAS
job that imports LinkedIn's creative performance report (``Carousel Card``,
``Card Impressions``, ``Card Clicks``).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import replace

import pandas as pd

from leadkpi.exceptions import LeadKPIWarning
from leadkpi.io.profiles import google_ads
from leadkpi.io.profiles.base import Profile, RawTable
from leadkpi.io.profiles.google_ads import (
    GOOGLE_ADS,
    GOOGLE_ADS_CAMPAIGN_TYPES,
    ui_numbers,
)
from leadkpi.io.profiles.totals import CAMPAIGN, CARD

__all__ = [
    "GOOGLE_ADS",
    "GOOGLE_ADS_CAMPAIGN_TYPES",
    "MICROSOFT_ADS",
    "META_ADS",
    "LINKEDIN",
    "LINKEDIN_ADS",
    "LINKEDIN_CREATIVES",
    "LINKEDIN_CREATIVE_NAMES",
    "LINKEDIN_ES",
    "PROFILES",
    "CURRENCIES",
    "ui_numbers",
]

#: Currency codes that ad platforms print in money headers ("Amount spent (EUR)").
CURRENCIES: tuple[str, ...] = (
    "EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON",
    "BGN", "TRY", "MXN", "BRL", "ARS", "CLP", "COP", "PEN", "UYU", "CAD", "AUD",
    "NZD", "JPY", "INR", "SGD", "HKD", "ZAR", "AED", "SAR", "ILS", "BOB",
)  # fmt: skip


def _english_numbers(frame: pd.DataFrame, raw: RawTable) -> pd.DataFrame:
    return ui_numbers(frame, thousands=",", point=".")


def _microsoft_ads(frame: pd.DataFrame, raw: RawTable) -> pd.DataFrame:
    """English numbers; an hourly ``TimePeriod`` (``2025-10-01|13``) gives its day."""
    frame = _english_numbers(frame, raw)
    dated = "date" in frame.columns
    if dated and frame["date"].str.contains("|", regex=False).any():  # hourly
        frame = frame.assign(date=frame["date"].str.replace(r"\|.*$", "", regex=True))
    return frame


MICROSOFT_ADS = Profile(
    name="microsoft_ads_campaigns",
    export="campaign performance report",
    vendor="Microsoft Advertising",
    kind="spend",
    columns={
        "date": (
            "Gregorian date",
            "GregorianDate",
            "TimePeriod",
            "Time period",
            "Date",
            "Day",
        ),
        "campaign": ("Campaign name", "CampaignName", "Campaign"),
        "cost": ("Spend",),
        "impressions": ("Impressions", "Impr."),
        "clicks": ("Clicks",),
        "conversions": ("Conversions", "Conv.", "AllConversions", "All conv."),
        "conversion_value": ("Revenue", "AllRevenue", "All conv. revenue"),
        "currency": ("Currency code", "CurrencyCode", "Currency"),
    },
    signature=("Campaign name", "Spend", "Impressions"),
    footer=(r"^©\s*\d{4}\s+Microsoft Corporation", r"^Total\b"),
    constants={"channel": "paid_search"},
    transform=_microsoft_ads,
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


#: Meta's money header in each UI language: English, Spanish, Portuguese (Brazil;
#: "Valor usado", in older exports "Valor gasto").
_META_SPENT_LABELS = ("Amount spent", "Importe gastado", "Valor usado", "Valor gasto")
_META_SPENT = re.compile(
    rf"^\s*(?:{'|'.join(_META_SPENT_LABELS)})\s*\(([A-Z]{{3}})\)\s*$"
)


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
        "date": ("Reporting starts", "Inicio del informe", "Início dos relatórios"),
        "_ends": (
            "Reporting ends",
            "Fin del informe",
            "Encerramento dos relatórios",
            "Término dos relatórios",
        ),
        "campaign": ("Campaign name", "Nombre de la campaña", "Nome da campanha"),
        "cost": tuple(
            f"{label} ({code})" for code in CURRENCIES for label in _META_SPENT_LABELS
        )
        + _META_SPENT_LABELS,
        "impressions": ("Impressions", "Impresiones", "Impressões"),
        "clicks": (
            "Link clicks",
            "Clics en el enlace",
            "Cliques no link",
            "Clicks (all)",
            "Clics (todos)",
            "Cliques (todos)",
        ),
        # the count of the campaign's result, of the type its indicator names
        "conversions": ("Results", "Resultados"),
        "conversion_type": (
            "Result indicator",
            "Indicador de resultado",
            "Indicador de resultados",
            "Result type",
            "Tipo de resultado",
        ),
    },
    signature=("Reporting starts", "Reporting ends", "Campaign name"),
    footer=(r"(?i:no data available|no hay datos disponibles)",),
    totals={
        CAMPAIGN: r"(?i:results from \d+|resultados de \d+)",
        "_first_blank": "Campaign name",
    },
    constants={"channel": "paid_social"},
    transform=_meta_currency_and_dates,
    references=(
        "Meta Business Help Center: Export data from Ads Manager",
        "Public Ads Manager importers: 'Reporting starts', 'Reporting ends', "
        "'Campaign name', 'Amount spent (EUR)', 'Link clicks', 'Clicks (all)'",
        "Public importers of Spanish-UI Ads Manager downloads (reporting scripts "
        "and dashboards): 'Inicio del informe', 'Fin del informe', 'Nombre de la "
        "campaña', 'Importe gastado (EUR)' / '(MXN)' / '(USD)' / '(PEN)' / "
        "'(BOB)', 'Resultados', 'Indicador de resultado', 'Tipo de resultado', "
        "'Impresiones', 'Clics en el enlace', 'Clics (todos)'",
        "Public importers of Brazilian Ads Manager downloads: 'Início dos "
        "relatórios', 'Encerramento dos relatórios' (one reads 'Término dos "
        "relatórios'), 'Nome da campanha', 'Veiculação da campanha', 'Valor usado "
        "(BRL)' (an older sample: 'Valor gasto (BRL)', numbers with a decimal "
        "point), 'Resultados', 'Indicador de resultados', 'Impressões', 'Cliques "
        "no link', 'Cliques (todos)', 'Alcance'",
    ),
)
"""Meta Ads Manager export (campaign level), English, Spanish or Portuguese UI."""

META_ADS_ES = replace(
    META_ADS,
    name="meta_ads_es",
    signature=("Inicio del informe", "Fin del informe", "Nombre de la campaña"),
    totals={**META_ADS.totals, "_first_blank": "Nombre de la campaña"},
)
"""The same export from the Spanish UI (recognised by its Spanish headers)."""

META_ADS_PT = replace(
    META_ADS,
    name="meta_ads_pt",
    signature=(
        "Início dos relatórios",
        "Encerramento dos relatórios",
        "Nome da campanha",
    ),
    totals={**META_ADS.totals, "_first_blank": "Nome da campanha"},
)
"""The same export from the Portuguese (Brazil) UI."""

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
        "conversions": ("Conversions", "Total Conversions"),
        "conversion_value": ("Total Conversion Value", "Conversion Value"),
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

_LINKEDIN_AD = {"ad_id": ("Ad ID", "Creative ID"), "ad": ("Ad Name", "Creative Name")}

LINKEDIN_ADS = replace(
    LINKEDIN,
    name="linkedin_ads",
    export="ad performance report",
    columns={**LINKEDIN.columns, **_LINKEDIN_AD},
    signature=("Campaign Name", "Ad ID", "Total Spent", "Impressions"),
    totals={
        # the real export: the card's number in a 'Carousel Card' column
        "_card_column": "Carousel Card",
        # kept so that a file marking its cards by a label still reads
        CARD: r"(?i:carousel card|tarjeta de carrusel|tarjeta del carrusel)",
    },
    references=(
        *LINKEDIN.references,
        "A public importer of Campaign Manager 'creative_performance_report' "
        "downloads (a SAS job): 'Start Date (in UTC)', 'Campaign Name', 'Campaign "
        "Type', 'Creative Name', 'Ad Introduction Text', 'Ad Headline', 'Click "
        "URL', 'Total Spent', 'Reach', 'Impressions', 'Clicks', 'Clicks to Landing "
        "Page', 'Leads', then 'Carousel Card' (the card's number, blank on the "
        "ad's own row), 'Card Impressions', 'Card Clicks'; it splits the card "
        "lines off the ad rows, which carry the spend and impressions",
        "LinkedIn Marketing API, Ads reporting schema (cardClicks, "
        "cardImpressions: a carousel's first card click counts as a click and a "
        "card click, later cards as card clicks only)",
    ),
)
"""LinkedIn ad (creative) level export: one row per ad and day, the ad kept as a
column; a carousel card's line (its number in ``Carousel Card``) kept aside as
``carousel card``."""

LINKEDIN_CREATIVES = replace(
    LINKEDIN_ADS,
    name="linkedin_creatives",
    export="creative performance report",
    signature=("Campaign Name", "Creative ID", "Total Spent", "Impressions"),
)
"""The same export under its older headers (``Creative ID``, ``Creative Name``)."""

LINKEDIN_CREATIVE_NAMES = replace(
    LINKEDIN_ADS,
    name="linkedin_creative_names",
    export="creative performance report",
    signature=("Campaign Name", "Creative Name", "Total Spent", "Impressions"),
)
"""The creative performance report as seen without an ID column (``Creative Name``,
``Carousel Card``, ``Card Impressions``, ``Card Clicks``)."""


def _spanish_numbers(frame: pd.DataFrame, raw: RawTable) -> pd.DataFrame:
    return ui_numbers(frame, thousands=".", point=",")


LINKEDIN_ES = replace(
    LINKEDIN,
    name="linkedin_campaigns_es",
    columns={
        "date": ("Fecha de inicio (en UTC)", "Fecha de inicio"),
        "campaign": ("Nombre de la campaña", "Campaña"),
        "cost": (
            "Importe total gastado",
            "Total gastado",
            "Importe gastado",
            "Gasto total",
        ),
        "impressions": ("Impresiones",),
        "clicks": ("Clics",),
        "conversions": ("Conversiones", "Conversiones totales"),
        "conversion_value": (
            "Valor total de conversión",
            "Valor de conversión",
            "Valor de la conversión",
        ),
        "currency": ("Divisa", "Moneda"),
    },
    signature=("Fecha de inicio (en UTC)", "Nombre de la campaña", "Impresiones"),
    transform=_spanish_numbers,
    dayfirst=True,
    references=(
        *LINKEDIN.references,
        "LinkedIn Campaign Manager in Spanish, as modelled on the English export "
        "(no public file, importer or help page showing the Spanish headers was "
        "found): 'Informe de rendimiento de la campaña (en UTC)', 'Inicio del "
        "informe:', 'Fecha de inicio (en UTC)', 'Nombre de la campaña', 'Importe "
        "total gastado', 'Impresiones', 'Clics', 'Divisa'; dates day first, "
        "1.234,56 numbers (the spend header is matched in several forms)",
    ),
)
"""The campaign performance export from the Spanish UI."""

PROFILES: tuple[Profile, ...] = (
    *google_ads.PROFILES,
    MICROSOFT_ADS,
    MICROSOFT_ADS_API,
    META_ADS,
    META_ADS_ES,
    META_ADS_PT,
    LINKEDIN,
    LINKEDIN_ADS,
    LINKEDIN_CREATIVES,
    LINKEDIN_CREATIVE_NAMES,
    LINKEDIN_ES,
)
