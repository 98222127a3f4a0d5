"""The data-quality findings of :func:`leadkpi.checks`, formatted for a report (en/es).

The check names and their Spanish sentences live here, next to the one table that uses
them; the section's heading, note, column headers and severities are report texts in
:mod:`leadkpi.present.i18n`.
"""

from __future__ import annotations

import re

import pandas as pd
from pandas.io.formats.style import Styler

from leadkpi.present.i18n import check_lang, label, text
from leadkpi.present.tables import aligned, format_value, table_name
from leadkpi.privacy import mask_emails

__all__ = ["checks_table"]

#: Each check: its name and the sentence shown as its detail in Spanish (the package
#: writes the detail with figures in English).
_CHECKS: dict[str, dict[str, str]] = {
    "rejected_rows": {"en": "Rejected rows", "es": "Filas rechazadas"},
    "superseded_rows": {"en": "Rows replaced by a later file",
                        "es": "Filas sustituidas por un fichero posterior"},
    "stage_order": {"en": "Stage dates out of order",
                    "es": "Fechas de etapa desordenadas"},
    "deals_without_lead": {"en": "Deals without a lead",
                           "es": "Oportunidades sin lead"},
    "deal_before_lead": {"en": "Deal dated before its lead",
                         "es": "Oportunidad anterior a su lead"},
    "customers_without_lead": {"en": "Customers without a lead",
                               "es": "Clientes sin lead"},
    "duplicate_people": {"en": "One person, several leads",
                         "es": "Una persona, varios leads"},
    "channel_not_derived": {"en": "Channel not derived",
                            "es": "Canal sin determinar"},
    "spend_gaps": {"en": "Days without spend", "es": "Días sin inversión"},
    "currency_missing": {"en": "Amounts without a currency",
                         "es": "Importes sin moneda"},
    "spend_without_leads": {"en": "Spend without leads",
                            "es": "Inversión sin leads"},
    "paid_leads_without_spend": {"en": "Paid-channel leads without spend",
                                 "es": "Leads de pago sin inversión"},
    "future_dates": {"en": "Dates in the future", "es": "Fechas futuras"},
    "replaced_by_deals": {"en": "Lead values taken from deals",
                          "es": "Valores del lead tomados de oportunidades"},
}  # fmt: skip

_DETAIL_ES = {
    "rejected_rows": "filas que no se pudieron usar (ver las filas rechazadas)",
    "superseded_rows": "filas repetidas en un fichero posterior, que prevalece",
    "stage_order": "una etapa posterior fechada antes que la anterior",
    "deals_without_lead": "oportunidades sin lead_id o con un lead desconocido",
    "deal_before_lead": "oportunidades creadas o ganadas antes que su lead",
    "customers_without_lead": "clientes cuyo lead no está en la tabla de leads",
    "duplicate_people": "un mismo correo electrónico en varios lead_id",
    "channel_not_derived": "leads sin datos de origen o sin regla de canal ('other')",
    "spend_gaps": "días sin filas de inversión dentro del periodo del canal",
    "currency_missing": "filas sin moneda en una tabla que mezcla monedas",
    "spend_without_leads": "inversión en canales sin ningún lead",
    "paid_leads_without_spend": "leads de canales de pago en meses sin inversión",
    "future_dates": "fechas posteriores al momento de la comprobación",
    "replaced_by_deals": "valores del lead sustituidos por los de sus oportunidades",
}

#: Checks whose example starts with a channel id (then a day span or a month).
_CHANNEL_EXAMPLES = ("spend_gaps", "spend_without_leads", "paid_leads_without_spend")


def _example(check: str, example: object, lang: str) -> str:
    """A finding's example in ``lang``: its channel named, "to" and "line" said
    in Spanish; the rest (ids, dates, file names) as found."""
    shown = str(example)
    if check in _CHANNEL_EXAMPLES and shown:
        channel, _, rest = shown.partition(" ")
        shown = f"{label(channel, lang)} {rest}".strip()
        if lang == "es":
            shown = re.sub(r" (\d{4}-\d\d-\d\d) to (\d{4}-\d\d-\d\d)$",
                           r" del \1 al \2", shown)  # fmt: skip
    elif check == "rejected_rows" and lang == "es":
        shown = re.sub(r" line (\d+):", r", línea \1:", shown, count=1)
    return shown


_SEVERITY_STYLE = {
    "error": "color: #c62828; font-weight: 600",
    "warning": "color: #b26a00; font-weight: 600",
    "info": "color: #555",
}


def checks_table(found: pd.DataFrame, *, lang: str = "en", limit: int = 30) -> Styler:
    """The findings of :func:`leadkpi.checks`, localised, most serious first.

    Parameters
    ----------
    found : pandas.DataFrame
        The output of :func:`leadkpi.checks`.
    lang : {"en", "es"}
    limit : int
        Findings shown at most.

    Returns
    -------
    pandas.io.formats.style.Styler
        Severity, check, table, rows, share, detail, example; a one-line caption
        when there is nothing to show.

    Examples
    --------
    >>> from leadkpi import checks, load
    >>> html = checks_table(checks(load("leadkpi.yaml")), lang="es").to_html()
    >>> "Días sin inversión" in html and "9,3" in html
    True
    """
    lang = check_lang(lang)
    shown = found.head(limit)
    detail = (
        shown["detail"]
        if lang == "en"
        else shown["check"].map(_DETAIL_ES).fillna(shown["detail"])
    )
    table = pd.DataFrame(
        {
            "severity": shown["severity"],
            "check": shown["check"].map(lambda c: _CHECKS.get(c, {}).get(lang, c)),
            "table": shown["table"].map(lambda t: table_name(t, lang)),
            "count": [format_value(v, "count", lang=lang) for v in shown["count"]],
            "share": [format_value(v, "fraction", lang=lang) for v in shown["share"]],
            "detail": mask_emails(detail),
            "example": mask_emails(
                pd.Series(
                    [
                        _example(c, e, lang)
                        for c, e in zip(shown["check"], shown["example"], strict=True)
                    ],
                    index=shown.index,
                    dtype=object,
                )
            ),
        }
    )
    styles = table["severity"].map(_SEVERITY_STYLE).fillna("")
    table["severity"] = table["severity"].map(lambda s: text(s, lang))
    table.columns = [text(c, lang) for c in table.columns]
    styler = aligned(table, [c for i, c in enumerate(table.columns) if i not in (3, 4)])
    first = table.columns[0]
    styler = styler.apply(lambda _: styles.to_numpy(), subset=[first])
    if found.empty:
        styler = styler.set_caption(text("no_findings", lang)).hide(axis="columns")
    return styler.set_table_attributes('class="leadkpi-table"')
