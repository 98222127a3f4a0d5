"""Conversions other than becoming a customer, formatted for a report.

The functions take the tidy tables of :func:`leadkpi.conversion_kpis` and
:func:`leadkpi.platform_vs_crm` and only format them: event names localised where
leadkpi knows them (the config's own names otherwise, escaped), numbers by unit.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown
from pandas.io.formats.style import Styler

from leadkpi.conversions import (
    CONVERSION_KPIS,
    NOTHING_REPORTED,
    conversion_kpis,
    platform_vs_crm,
)
from leadkpi.data import LeadData
from leadkpi.kpis.definitions import KPIS
from leadkpi.present.i18n import check_lang, kpi_name, label, markdown, text
from leadkpi.present.sections import Section
from leadkpi.present.tables import aligned, format_values

__all__ = ["conversion_section", "conversion_table", "platform_crm_table"]


def conversion_section(
    data: LeadData,
    month: pd.Period,
    *,
    lang: str = "en",
    currency: str | None = None,
    mode: str = "period",
) -> Section:
    """The monthly report's conversions part, in the order it is shown.

    A heading, then a note and one row per conversion event of the config (its
    conversions, cost per conversion and conversion rate in ``month``), then, when
    the config has a platform event and a CRM event, the platforms' count beside
    the CRM's by channel (the channels some platform reports on). Without
    conversion events: the heading and one sentence
    saying what to declare.

    Parameters
    ----------
    data : LeadData
        The project (its config declares the events).
    month : pandas.Period
        The report month.
    lang : {"en", "es"}
    currency : str, optional
        ISO 4217 code of the money shown; default the project currency.
    mode : {"period", "cohort"}
        How lead column events count (see :func:`leadkpi.conversion_kpis`).

    Returns
    -------
    Section
        Markdown and Styler parts; numbers ``conversions`` (and
        ``platform_vs_crm``).

    Examples
    --------
    >>> from leadkpi import load
    >>> data = load("leadkpi.yaml")
    >>> parts = conversion_section(data, pd.Period("2026-10", "M"))
    >>> [type(p).__name__ for p in parts]
    ['Markdown', 'Markdown', 'Styler', 'Markdown', 'Markdown', 'Styler']
    >>> bare = data.with_config(data.config.__class__(name="x"))
    >>> conversion_section(bare, pd.Period("2026-10", "M"))[1].data[:30]
    'No conversion events are set u'
    """
    check_lang(lang)
    currency = currency or data.config.currency
    heading = markdown("conversions", lang, level=3)
    events = data.config.conversions
    if not events:
        return Section([heading, markdown("conversions_none", lang)])
    table = conversion_kpis(data, by=(), mode=mode, start=month, end=month)
    parts: list[Markdown | Styler] = [
        heading,
        markdown("conversions_note", lang),
        conversion_table(table, lang=lang, currency=currency),
    ]
    numbers = {"conversions": table}
    platforms = [e for e in events if e.platform]
    crms = [e for e in events if not e.platform]
    if platforms and crms:
        crm = platforms[0].crm or crms[0].name
        side = platform_vs_crm(data, by=("channel",), start=month, end=month)
        # channels no ad platform reports on (organic, direct) say nothing here
        side = side[side["reason"].astype(object) != NOTHING_REPORTED]
        parts += [
            markdown("platform_vs_crm", lang, level=4),
            markdown("platform_vs_crm_note", lang, crm=label(crm, lang)),
            platform_crm_table(side, lang=lang),
        ]
        numbers["platform_vs_crm"] = side
    return Section(parts, numbers)


def conversion_table(
    table: pd.DataFrame, *, lang: str = "en", currency: str = "EUR"
) -> Styler:
    """One row per event: conversions, cost per conversion and conversion rate
    (``table`` from :func:`leadkpi.conversion_kpis` with no other grain).

    Examples
    --------
    >>> from leadkpi import load
    >>> from leadkpi.conversions import conversion_kpis
    >>> data = load("leadkpi.yaml")
    >>> shown = conversion_table(conversion_kpis(data, by=(), start="2026-10",
    ...                                          end="2026-10"), lang="es")
    >>> list(shown.data.columns)
    ['Evento', 'Conversiones', 'Coste por conversión', 'Tasa de conversión']
    >>> shown.data["Evento"].iloc[1]
    'Solicitudes de demo'
    """
    check_lang(lang)
    frame = pd.DataFrame(table)
    wide = frame.pivot_table(
        index="event", columns="kpi", values="value", aggfunc="first", sort=False
    ).reindex(columns=list(CONVERSION_KPIS))
    events = list(dict.fromkeys(frame["event"]))
    wide = wide.reindex(events)
    event = text("event", lang)
    shown = pd.DataFrame({event: [label(str(e), lang) for e in events]})
    units = {k: KPIS[k].unit for k in CONVERSION_KPIS}
    for kpi in CONVERSION_KPIS:
        shown[kpi_name(kpi, lang)] = format_values(
            wide[kpi].reset_index(drop=True),
            units[kpi],
            lang=lang,
            currency=currency,
        ).to_numpy()
    return aligned(shown, [event]).set_table_attributes('class="leadkpi-table"')


def platform_crm_table(side: pd.DataFrame, *, lang: str = "en") -> Styler:
    """The platforms' count beside the CRM's, one row per cell of one dimension
    (``side`` from :func:`leadkpi.platform_vs_crm`, e.g. ``by=("channel",)``).

    Examples
    --------
    >>> from leadkpi import load
    >>> from leadkpi.conversions import platform_vs_crm
    >>> side = platform_vs_crm(load("leadkpi.yaml"), by=("channel",),
    ...                        start="2026-10", end="2026-10")
    >>> list(platform_crm_table(side, lang="en").data.columns)
    ['Channel', 'Platforms', 'CRM', 'Difference', 'Platforms / CRM']
    """
    check_lang(lang)
    keys = list(side.columns[: side.columns.get_loc("platform")])
    shown = pd.DataFrame(
        {
            text(k, lang) if k == "channel" else k: [
                label(str(v), lang) for v in side[k]
            ]
            for k in keys
        }
    )
    counts = {
        "platform_count": ("platform", "count"),
        "crm_count": ("crm", "count"),
        "difference": ("difference", "count"),  # the experiments' word
        "platform_ratio": ("ratio", "multiple"),
    }
    for word, (column, unit) in counts.items():
        shown[text(word, lang)] = format_values(
            side[column].reset_index(drop=True), unit, lang=lang
        ).to_numpy()
    names = [text(k, lang) if k == "channel" else k for k in keys]
    return aligned(shown, names).set_table_attributes('class="leadkpi-table"')
