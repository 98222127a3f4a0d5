"""Google Ads reports that fill the ``spend`` table, recognised by their columns.

The UI download (``.csv`` UTF-8 with commas, or "Excel .csv" UTF-16 LE with tabs)
has a report-title line and a date-range line above the header (``Campaign report``
/ ``1 October 2025 - 31 October 2025``; Spanish UI ``Informe de campañas`` /
``1 de octubre de 2025 - 31 de octubre de 2025``), then ``Campaign``, ``Day`` (when
segmented by day), ``Currency code``, ``Cost``, ``Impr.``, ``Clicks`` … ``--``
marks a metric with no value. Numbers follow the UI language (``1,234.56`` /
``1.234,56``), which each language's profile undoes (:func:`ui_numbers`).

Totals rows
    ``Total: Campaigns``, ``Total: Account`` and one ``Total: <type>`` per campaign
    type (Search, Display…) or network; segmented by day or week, one set *per
    day*, the date in the Day column and the label in another (status, type), in
    any order after the data. They are kept aside and reconciled
    (:mod:`leadkpi.io.profiles.totals`): the campaigns' total must match the rows
    to the cent, the account's may be larger (removed campaigns filtered out).
Report types
    A campaign report, or a finer one whose rows still add up to campaign spend:
    ad group (``Ad group``) and keyword (``Keyword`` / ``Search keyword``) reports
    load at their own grain, the ad group or keyword kept as a column. A
    search-terms report (``Search term``) is refused: its cost leaves out every
    click that matched no recorded term, so spend would be understated.
Campaign types
    A ``Campaign type`` column (English or Spanish UI labels) gives the channel
    (:data:`GOOGLE_ADS_CAMPAIGN_TYPES`); the type is kept as ``campaign_type``; an
    unknown type reads ``other`` and is warned about.
"All time" reports
    A report downloaded for "All time" (``Todo o período``, ``Toute la période``…)
    and not segmented by day cannot place its rows in a month: it is refused with
    that reason.
Other UI languages
    Portuguese, French and German reports are recognised by their headers
    (``Custo``/``Cliques``, ``Coût``/``Clics``, ``Kosten``/``Klicks`` with
    ``Impr.`` or ``Impressionen``; conversions are ``Conversions`` in French and
    German, ``Conversões`` in Portuguese); their totals rows read ``Total:
    Campanhas``, ``Total : Campagnes`` (a space before the colon), ``Gesamt:
    Konto``. Their title and period lines (``1 de out. de 2025 - 31 de out. de
    2025``, ``Période : 1 oct. 2025 - 31 oct. 2025``) are read with babel's month names
    (:func:`leadkpi.io.profiles._range.parse_day`), and so are day cells written
    as the UI shows dates, weekday included (``ter., 5 de mai. de 2026``,
    ``mar. 5 mai 2026``, ``Di., 5. Mai 2026``, ``5 may. 2026``,
    ``Tue, May 5, 2026``; :func:`leadkpi.io.dates.parse_dates`).

References: Google Ads Help, "Download a report" and "About campaign types"; the
Google Ads API enum ``AdvertisingChannelType`` (SEARCH, DISPLAY, SHOPPING, VIDEO,
MULTI_CHANNEL, SMART, PERFORMANCE_MAX, DEMAND_GEN, …).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from leadkpi.exceptions import DataFileError, LeadKPIWarning
from leadkpi.io.numbers import MAX_COUNT, PLACEHOLDERS, distinct, repeats
from leadkpi.io.profiles._range import date_rows_by_range, report_range
from leadkpi.io.profiles.apply import map_values
from leadkpi.io.profiles.base import Profile, RawTable
from leadkpi.io.profiles.totals import ACCOUNT, CAMPAIGN, SUBTOTAL
from leadkpi.io.threads import per_column
from leadkpi.schemas import table_spec

__all__ = [
    "GOOGLE_ADS",
    "GOOGLE_ADS_CAMPAIGN_TYPES",
    "PROFILES",
    "ui_numbers",
]

#: Google Ads campaign types (UI labels in English, Spanish, Portuguese, French and
#: German, and the API's enum names) → leadkpi's default channel grouping. Without
#: a "Campaign type" column every row is ``paid_search``.
GOOGLE_ADS_CAMPAIGN_TYPES: dict[str, str] = {
    **dict.fromkeys(
        (
            "Search", "Búsqueda", "Red de Búsqueda", "Pesquisa", "Rede de Pesquisa",
            "Recherche", "Réseau de Recherche", "Suche", "Suchnetzwerk", "SEARCH",
        ),
        "paid_search",
    ),
    **dict.fromkeys(("Shopping", "SHOPPING"), "paid_search"),
    **dict.fromkeys(
        ("Performance Max", "Máximo rendimiento", "PERFORMANCE_MAX"), "paid_search"
    ),
    **dict.fromkeys(
        ("Smart", "Inteligente", "Intelligente", "SMART"), "paid_search"
    ),
    **dict.fromkeys(
        ("Display", "Red de Display", "Rede de Display", "Réseau Display", "DISPLAY"),
        "display",
    ),
    **dict.fromkeys(
        (
            "Video", "Vídeo", "Vidéo", "In-stream video", "Video in-stream",
            "Vídeo in-stream", "VIDEO",
        ),
        "display",
    ),
    **dict.fromkeys(
        (
            "Demand Gen", "Generación de demanda", "Geração de demanda",
            "Génération de la demande", "Discovery", "DEMAND_GEN", "DISCOVERY",
        ),
        "paid_social",
    ),
    **dict.fromkeys(
        (
            "App", "Aplicación", "Aplicaciones", "Aplicativo", "Application",
            "Multi-channel", "MULTI_CHANNEL",
        ),
        "other",
    ),
}  # fmt: skip

_METRICS = ("cost", "impressions", "clicks", "conversions", "conversion_value")

#: Totals rows by role, in the UI languages of the profiles below.
_TOTALS = {
    # the total of the table's own rows: campaigns, ad groups or keywords
    CAMPAIGN: (
        r"(?:Total|Gesamt)\s?: (?i:campaigns|campañas|campanhas|campagnes|kampagnen|"
        r"ad groups|grupos de anuncios|keywords|search keywords|palabras clave)\s*$"
    ),
    ACCOUNT: r"(?:Total|Gesamt)\s?: (?i:account|cuenta|conta|compte|konto)\s*$",
    SUBTOTAL: r"(?:Total|Gesamt)\s?: ",
}

_ALL_TIME = re.compile(
    r"^\s*(?:all time|todo el per[ií]odo|todos los tiempos|todo o per[ií]odo|"
    r"toute la p[ée]riode|gesamter zeitraum|gesamte laufzeit)\s*$",
    re.I,
)


_SEARCH_TERMS_REFUSAL = (
    "its cost covers only the search terms Google lists, not the campaign's spend "
    "(terms below the privacy threshold are left out), so spend would be "
    "understated. Download the Campaigns report instead (Campaigns > Download, "
    "segmented by Day)"
)


def _accepted(numbers: np.ndarray, column: str) -> bool:
    """Whether every number would load as it is (none negative, too large, or a
    fraction in a count): only then is a column typed early, so that a reject
    still quotes the cell's text."""
    spec = table_spec("spend").column(column)
    known = numbers[~np.isnan(numbers)]
    if spec is None or not len(known):
        return spec is not None
    fine = known.min() >= 0 and known.max() < MAX_COUNT
    return bool(fine and (spec.kind != "count" or (known == np.round(known)).all()))


def ui_numbers(
    frame: pd.DataFrame, *, thousands: str, point: str, columns=_METRICS
) -> pd.DataFrame:
    """Rewrite numbers in a UI language's format as plain ``1234.56``.

    A platform writes numbers the way its interface language does (``1,234.56`` in
    English, ``1.234,56`` in Spanish), so the profile of each UI language knows the
    format and a column of values like ``12.254`` is never ambiguous. Only cells
    that are entirely such a number are rewritten; anything else (``--``, text) is
    left for the parser to treat as missing or to reject.

    A column whose every cell is such a number or says "no value" (``--``, empty),
    and would load as it is, comes back as float64 already, so that it is not
    parsed a second time; each distinct value of a column whose values repeat is
    read once.

    Examples
    --------
    >>> frame = pd.DataFrame({"cost": ["1.055,03", "9,80", "--", "n/d"]})
    >>> ui_numbers(frame, thousands=".", point=",")["cost"].tolist()
    ['1055.03', '9.80', '--', 'n/d']
    >>> ui_numbers(frame.head(3), thousands=".", point=",")["cost"].tolist()
    [1055.03, 9.8, nan]
    """
    t, p = re.escape(thousands), re.escape(point)
    pattern = rf"^-?(?:\d{{1,3}}(?:{t}\d{{3}})+|\d+)(?:{p}\d+)?$"
    nothing = pa.array((*PLACEHOLDERS, ""), pa.large_string())

    def one(column: str) -> pd.Series:
        # pyarrow kernels over the whole column (or its distinct values): no
        # Python call per cell
        text = pa.array(frame[column], type=pa.large_string(), from_pandas=True)
        codes = None
        if repeats(text):  # encoded chunk by chunk: the column is never copied
            text, codes = distinct(text)
        elif isinstance(text, pa.ChunkedArray):  # a large column comes in chunks
            text = text.combine_chunks()
        text = pc.utf8_trim_whitespace(text)
        plain = pc.replace_substring(text, thousands, "")
        plain = pc.replace_substring(plain, point, ".")
        whole = pc.fill_null(pc.match_substring_regex(text, pattern), False)
        empty = pc.fill_null(pc.is_in(text, nothing), True)
        if pc.all(pc.or_(whole, empty)).as_py():  # clean: typed here, once
            numbers = pc.cast(pc.if_else(whole, plain, None), pa.float64())
            numbers = numbers.to_numpy(zero_copy_only=False)
            if _accepted(numbers, column):
                if codes is not None:
                    numbers = np.append(numbers, np.nan)[codes]
                return pd.Series(numbers, index=frame.index, dtype="float64")
        values = pc.if_else(whole, plain, text)
        if codes is not None:
            values = pc.take(values, pa.array(codes, mask=codes < 0))
        return pd.Series(values.to_pandas(), index=frame.index, dtype="str")

    present = [c for c in columns if c in frame.columns]
    # the columns two at a time in a large table (kernels release the GIL)
    typed = per_column(one, present, len(frame))
    return frame.assign(**dict(zip(present, typed, strict=True)))


def _channels(frame: pd.DataFrame, raw: RawTable) -> pd.DataFrame:
    """Channel from the campaign type; an unknown type reads ``other``, warned."""
    if "campaign_type" not in frame:
        return frame
    types = frame["campaign_type"]
    # each distinct type is mapped and judged once, then taken to every row
    codes, distinct = pd.factorize(types)
    mapped = map_values(pd.Series(distinct, dtype="str"), GOOGLE_ADS_CAMPAIGN_TYPES)
    taken = pc.take(
        pa.array(mapped, type=pa.large_string(), from_pandas=True),
        pa.array(codes, mask=codes < 0),
    )
    channel = pd.Series(taken, index=frame.index, dtype="str")
    known = list(set(GOOGLE_ADS_CAMPAIGN_TYPES.values()))
    strange = np.flatnonzero(~mapped.isin(known).to_numpy(dtype=bool))
    if len(strange):
        unknown = pd.Series(np.isin(codes, strange), index=frame.index)
        counts = types[unknown].value_counts()
        listed = ", ".join(f"{t!r} ({n:,} row(s))" for t, n in counts.items())
        warnings.warn(
            f"{raw.path.name}: Google Ads campaign type(s) {listed} not known; "
            "their rows are kept with channel 'other'. Add a channel rule to place "
            "them.",
            LeadKPIWarning,
            stacklevel=2,
        )
        channel = channel.where(~unknown, "other")
    return frame.assign(channel=channel)


def _refuse_all_time(frame: pd.DataFrame, raw: RawTable) -> None:
    if "date" in frame or report_range(raw.preamble) is not None:
        return
    if any(_ALL_TIME.match(line.strip().strip('"')) for line in raw.preamble):
        raise DataFileError(
            str(raw.path),
            'Google Ads report covers "All time" without a Day column, so its rows '
            "cannot be placed in a month; download it for a date range and "
            "segmented by day (Segment > Time > Day)",
            line=raw.header_line,
        )


def _refuse_search_terms(raw: RawTable) -> None:
    """Whatever profile reads it, a search-terms report is refused."""
    terms = {"search term", "término de búsqueda"}
    if any(str(c).strip().casefold() in terms for c in raw.frame.columns):
        raise DataFileError(
            str(raw.path),
            f"Google Ads search terms report: {_SEARCH_TERMS_REFUSAL}",
            line=raw.header_line,
        )


def _transform(thousands: str, point: str):
    """The steps of one UI language's report, its number format given."""

    def transform(frame: pd.DataFrame, raw: RawTable) -> pd.DataFrame:
        _refuse_search_terms(raw)
        if thousands == " ":  # French groups with a (narrow) no-break space
            spaces = {
                c: frame[c].str.replace("[\u00a0\u202f]", " ", regex=True)
                for c in _METRICS
                if c in frame.columns
            }
            frame = frame.assign(**spaces)
        frame = ui_numbers(frame, thousands=thousands, point=point)
        _refuse_all_time(frame, raw)
        return _channels(date_rows_by_range(frame, raw, vendor="Google Ads"), raw)

    return transform


_google_ads = _transform(",", ".")
_google_ads_es = _transform(".", ",")


_REFERENCES = (
    "Google Ads Help: Download a report (.csv, Excel .csv UTF-16 tab, .xlsx)",
    "A public importer of Brazilian Google Ads downloads: 'Custo', 'Cliques', "
    "'Impr.', 'Conversões', 'Custo / conv.', 'CPC méd.', totals rows 'Total: "
    "Campanhas' and 'Total: Conta'",
    "A public dashboard reading a French Google Ads download (UTF-16, tabs, two "
    "lines above the header): 'État de la campagne', 'Campagne', 'Type de "
    "campagne', 'Coût', 'Impr.', 'Clics', 'CPC moy.', 'Conversions', "
    "'Coût/conv.', numbers '1 178' / '23,55', the totals row 'Total : "
    "Campagnes' in the status column",
    "Public importers of German Google Ads downloads: title and date-range lines "
    "above the header, totals rows 'Gesamt: Konto' and 'Gesamt: Alle außer "
    "entfernte …'; German column names 'Kampagne', 'Kampagnentyp', 'Kosten', "
    "'Klicks', 'Impressionen' (older downloads) or 'Impr.', 'Conversions', "
    "'Kosten/Conv.', 'Durchschn. CPC'",
    "Public fixture of a Google Ads Excel download: UTF-16 BOM, tab, CRLF, "
    "'Campaign report' + date range above the header, 'Total: Account' rows",
    "https://developers.google.com/google-ads/api/reference/rpc/latest/"
    "AdvertisingChannelTypeEnum.AdvertisingChannelType (campaign types)",
    "Google Ads Help: About the search terms report (terms below a privacy "
    "threshold are not listed, so its cost is not the campaign's)",
    "Unicode CLDR date formats, through babel (day cells and period lines in the "
    "pt, fr, de, es and en UIs: weekday and abbreviated month names)",
)

GOOGLE_ADS = Profile(
    name="google_ads_campaigns",
    export="campaign report",
    vendor="Google Ads",
    kind="spend",
    columns={
        "date": (
            "Day",
            "Día",
            "Date",
            "Fecha",
            "Week",
            "Semana",
            "Dia",
            "Jour",
            "Tag",
        ),
        "campaign": ("Campaign", "Campaña", "Campanha", "Campagne", "Kampagne"),
        "campaign_type": (
            "Campaign type",
            "Tipo de campaña",
            "Tipo de campanha",
            "Type de campagne",
            "Kampagnentyp",
        ),
        "cost": ("Cost", "Coste", "Costo", "Custo", "Coût", "Kosten"),
        "impressions": (
            "Impr.",
            "Impressions",
            "Impresiones",
            "Impressões",
            "Impressionen",
        ),
        "clicks": ("Clicks", "Clics", "Cliques", "Klicks"),
        "conversions": (
            "Conversions",
            "Conv.",
            "Conversiones",
            "Conversões",
            "Konversionen",
        ),
        "conversion_value": (
            "Conv. value",
            "Conversion value",
            "Valor de conv.",
            "Valor de conversión",
            "Valor da conv.",
            "Valeur de conv.",
            "Conv.-Wert",
        ),
        "currency": (
            "Currency code",
            "Código de moneda",
            "Currency",
            "Código da moeda",
            "Code de la devise",
            "Währungscode",
        ),
    },
    signature=("Campaign", "Impr.", "Cost"),
    totals=_TOTALS,
    constants={"channel": "paid_search"},
    transform=_google_ads,
    references=_REFERENCES,
)
"""Google Ads campaign report, English or Spanish UI, ``.csv`` or "Excel .csv"."""

GOOGLE_ADS_ES = replace(
    GOOGLE_ADS,
    name="google_ads_campaigns_es",
    signature=("Campaña", "Impr.", "Coste"),
    transform=_google_ads_es,
)
"""The same report from the Spanish UI (recognised by its Spanish headers)."""

GOOGLE_ADS_PT = replace(
    GOOGLE_ADS,
    name="google_ads_campaigns_pt",
    signature=("Campanha", "Impr.", "Custo"),
    transform=_transform(".", ","),
)
"""The campaign report from the Portuguese UI (``1.234,56``)."""

GOOGLE_ADS_FR = replace(
    GOOGLE_ADS,
    name="google_ads_campaigns_fr",
    signature=("Campagne", "Impr.", "Coût"),
    transform=_transform(" ", ","),
)
"""The campaign report from the French UI (``1 234,56``)."""

GOOGLE_ADS_DE = replace(
    GOOGLE_ADS,
    name="google_ads_campaigns_de",
    # "Impr." or "Impressionen": the German reports seen write either
    signature=("Kampagne", "Kosten", "Klicks"),
    transform=_transform(".", ","),
)
"""The campaign report from the German UI (``1.234,56``)."""

_AD_GROUP = {"ad_group": ("Ad group", "Grupo de anuncios")}
_KEYWORD = {"keyword": ("Keyword", "Search keyword", "Palabra clave")}

GOOGLE_ADS_AD_GROUPS = replace(
    GOOGLE_ADS,
    name="google_ads_ad_groups",
    export="ad group report",
    columns={**GOOGLE_ADS.columns, **_AD_GROUP},
    signature=("Campaign", "Ad group", "Impr.", "Cost"),
)
"""Ad group report: one row per ad group, adding up to campaign spend."""

GOOGLE_ADS_AD_GROUPS_ES = replace(
    GOOGLE_ADS_ES,
    name="google_ads_ad_groups_es",
    export="ad group report",
    columns={**GOOGLE_ADS.columns, **_AD_GROUP},
    signature=("Campaña", "Grupo de anuncios", "Impr.", "Coste"),
)

GOOGLE_ADS_KEYWORDS = replace(
    GOOGLE_ADS,
    name="google_ads_keywords",
    export="keyword report",
    columns={**GOOGLE_ADS.columns, **_AD_GROUP, **_KEYWORD},
    signature=("Campaign", "Ad group", "Keyword", "Impr.", "Cost"),
)
"""Search keyword report: one row per keyword, loaded at its own grain."""

GOOGLE_ADS_KEYWORDS_ES = replace(
    GOOGLE_ADS_ES,
    name="google_ads_keywords_es",
    export="keyword report",
    columns={**GOOGLE_ADS.columns, **_AD_GROUP, **_KEYWORD},
    signature=("Campaña", "Grupo de anuncios", "Palabra clave", "Impr.", "Coste"),
)

GOOGLE_ADS_SEARCH_TERMS = replace(
    GOOGLE_ADS,
    name="google_ads_search_terms",
    export="search terms report",
    columns={
        **GOOGLE_ADS.columns,
        **_AD_GROUP,
        **_KEYWORD,
        "search_term": ("Search term",),
    },
    signature=("Search term", "Campaign", "Impr.", "Cost"),
    refusal=_SEARCH_TERMS_REFUSAL,
)
"""Search terms report: recognised to be refused (see :attr:`Profile.refusal`)."""

GOOGLE_ADS_SEARCH_TERMS_ES = replace(
    GOOGLE_ADS_SEARCH_TERMS,
    name="google_ads_search_terms_es",
    columns={
        **GOOGLE_ADS.columns,
        **_AD_GROUP,
        **_KEYWORD,
        "search_term": ("Término de búsqueda",),
    },
    signature=("Término de búsqueda", "Campaña", "Impr.", "Coste"),
)

PROFILES: tuple[Profile, ...] = (
    GOOGLE_ADS,
    GOOGLE_ADS_ES,
    GOOGLE_ADS_PT,
    GOOGLE_ADS_FR,
    GOOGLE_ADS_DE,
    GOOGLE_ADS_AD_GROUPS,
    GOOGLE_ADS_AD_GROUPS_ES,
    GOOGLE_ADS_KEYWORDS,
    GOOGLE_ADS_KEYWORDS_ES,
    GOOGLE_ADS_SEARCH_TERMS,
    GOOGLE_ADS_SEARCH_TERMS_ES,
)
