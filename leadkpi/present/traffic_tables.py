"""E-mail and web-traffic results as a report shows them (en/es).

The e-mail section reads the engine's e-mail KPIs by campaign (sent, delivery,
open, click, click-to-open, unsubscribe and bounce rates); the web section, the
sessions and the session-to-lead rate by channel. Each table ends with the row of
all campaigns (channels) together, computed by the engine at that grain: ratios
are sums over sums, never averages of the rows above.
"""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from leadkpi.data import LeadData
from leadkpi.kpis import compute
from leadkpi.present.i18n import (
    check_lang,
    kpi_name,
    label,
    markdown,
    month_name,
    text,
)
from leadkpi.present.sections import Section, section
from leadkpi.present.tables import aligned, format_values

__all__ = [
    "EMAIL_KPIS",
    "WEB_KPIS",
    "breakdown_table",
    "email_section",
    "web_section",
]

#: The e-mail section's columns, in order; rows are sorted by the first.
EMAIL_KPIS = (
    "emails_sent",
    "delivery_rate",
    "open_rate",
    "email_ctr",
    "click_to_open_rate",
    "unsubscribe_rate",
    "email_bounce_rate",
)
#: The web section's columns, in order; rows are sorted by the first.
WEB_KPIS = ("sessions", "leads", "session_to_lead_rate")


def breakdown_table(
    result: pd.DataFrame,
    dim: str,
    kpis: tuple[str, ...] | list[str],
    *,
    total: str,
    lang: str = "en",
) -> Styler:
    """One row per value of ``dim`` (largest first KPI first), one column per KPI,
    and the rows with no ``dim`` value (the total) last, named ``total``.

    Parameters
    ----------
    result : pandas.DataFrame
        A :func:`leadkpi.compute` result by ``dim``, optionally concatenated with
        the same KPIs computed with ``by=()`` (the total row).
    dim : str
        ``campaign`` or ``channel``; channel ids are shown by their names.
    kpis : sequence of str
    total : str
        What the total row is called.
    lang : {"en", "es"}

    Examples
    --------
    >>> rows = pd.DataFrame({"channel": ["referral", "direct", None],
    ...                      "kpi": "sessions", "value": [10.0, 30.0, 40.0],
    ...                      "unit": "count"})
    >>> breakdown_table(rows, "channel", ["sessions"], total="All",
    ...                 lang="es").data.values.tolist()
    [['Directo', '30'], ['Referidos', '10'], ['All', '40']]
    """
    check_lang(lang)
    result = result[result["kpi"].isin(kpis)]
    key = result[dim].astype("object").where(result[dim].notna(), None)
    wide = result.assign(_key=key.fillna("\0total")).pivot(
        index="_key", columns="kpi", values="value"
    )
    wide = wide.reindex(columns=list(kpis))
    rows = wide.drop(index="\0total", errors="ignore")
    rows = rows.sort_values(kpis[0], ascending=False, kind="stable")
    wide = pd.concat([rows, wide.loc[wide.index == "\0total"]])
    units = result.drop_duplicates("kpi").set_index("kpi")["unit"]
    names = [total if k == "\0total" else label(str(k), lang) for k in wide.index]
    first = text(dim, lang)
    shown = pd.DataFrame({first: names})
    for kpi in kpis:
        name = kpi_name(kpi, lang)
        unit = units.get(kpi, "count")
        values = wide[kpi].reset_index(drop=True)
        shown[name] = format_values(values, unit, lang=lang).to_numpy()
    styler = aligned(shown, [first])
    if "\0total" in wide.index:  # the total row in bold
        bold = ["font-weight: 600" if i == len(shown) - 1 else "" for i in shown.index]
        styler = styler.apply(lambda _: bold, axis=0)
    return styler.set_table_attributes('class="leadkpi-table"')


def _by_and_total(
    data: LeadData, kpis: tuple[str, ...], dim: str, month: pd.Period
) -> pd.DataFrame:
    def one(by: tuple[str, ...]) -> pd.DataFrame:
        return compute(data, list(kpis), by=by, mode="period", start=month, end=month)

    rows = one((dim,))
    total = one(()).assign(**{dim: None})
    return pd.concat([rows, total[rows.columns]], ignore_index=True)


def email_section(data: LeadData, month: pd.Period, *, lang: str = "en") -> Section:
    """The campaigns e-mailed in ``month``: sent, delivery, open, click,
    click-to-open, unsubscribe and bounce rates, and all campaigns together.
    Needs the email table.

    Numbers: ``email`` (the :func:`leadkpi.compute` result by campaign, the total
    with an empty campaign).

    Examples
    --------
    >>> from leadkpi import load
    >>> part = email_section(load("leadkpi.yaml"), pd.Period("2026-10", "M"))
    >>> table = part.parts[2].data
    >>> table.iloc[-1, :3].tolist()
    ['All campaigns', '40,975', '98.9%']
    >>> part = email_section(load("leadkpi.yaml").with_tables(email=None),
    ...                      pd.Period("2026-10", "M"))
    >>> part.parts[1].data
    'Not available: needs an email export (see README).'
    """

    def build() -> Section:
        result = _by_and_total(data, EMAIL_KPIS, "campaign", month)
        sent = result.loc[result["kpi"].eq("emails_sent"), "value"]
        if not sent.fillna(0).gt(0).any():
            return Section(
                [markdown("email_none", lang, month=month_name(month, lang))]
            )
        table = breakdown_table(
            result, "campaign", EMAIL_KPIS, total=text("all_campaigns", lang), lang=lang
        )
        note = markdown("email_note", lang, month=month_name(month, lang))
        return Section([note, table], {"email": result})

    return section(data, "email_section", ["email"], build, lang=lang)


def web_section(data: LeadData, month: pd.Period, *, lang: str = "en") -> Section:
    """Sessions in ``month`` by channel, the leads created and the leads per
    session, and all channels together. Needs the web table.

    Numbers: ``web`` (the :func:`leadkpi.compute` result by channel, the total
    with an empty channel).

    Examples
    --------
    >>> from leadkpi import load
    >>> part = web_section(load("leadkpi.yaml"), pd.Period("2026-10", "M"), lang="es")
    >>> part.parts[2].data.iloc[-1].tolist()
    ['Todos los canales', '22.715', '358', '1,6\\xa0%']
    """

    def build() -> Section:
        result = _by_and_total(data, WEB_KPIS, "channel", month)
        sessions = result.loc[result["kpi"].eq("sessions"), "value"]
        if not sessions.fillna(0).gt(0).any():
            return Section([markdown("web_none", lang, month=month_name(month, lang))])
        table = breakdown_table(
            result, "channel", WEB_KPIS, total=text("all_channels", lang), lang=lang
        )
        note = markdown("web_note", lang, month=month_name(month, lang))
        return Section([note, table], {"web": result})

    return section(data, "web_section", ["web"], build, lang=lang)
