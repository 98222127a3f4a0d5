"""The campaign (or channel) deep dive formatted for a report (en/es).

Each function takes what :mod:`leadkpi.deep_dive` returned and only formats it: the
chosen one and "the rest of the account" labelled in the report's language, numbers
by their unit. Nothing is computed here.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown
from pandas.io.formats.style import Styler

from leadkpi.deep_dive import FOCUS, REST
from leadkpi.present.analysis_tables import speed_table
from leadkpi.present.i18n import check_lang, kpi_name, label, markdown, text
from leadkpi.present.tables import aligned, format_value, format_values

__all__ = [
    "heading",
    "summary_table",
    "funnel_table",
    "focus_speed_table",
    "pages_table",
]

_WHAT = ("campaign", "channel")


def _check(what: str) -> str:
    if what not in _WHAT:
        raise ValueError(f"what={what!r}: expected 'campaign' or 'channel'")
    return what


def _named(table: pd.DataFrame, what: str, lang: str) -> pd.DataFrame:
    """``focus`` renamed to ``what``, "rest" in words, the chosen one first."""
    out = table.rename(columns={FOCUS: what})
    order = (out[what] == REST).astype(int)
    out = out.assign(_order=order).sort_values("_order", kind="stable")
    out[what] = [text("deep_dive_rest", lang) if v == REST else v for v in out[what]]
    return out.drop(columns="_order").reset_index(drop=True)


def heading(
    what: str, name: str, start: str, end: str, company: str, *, lang: str = "en"
) -> list[Markdown]:
    """The report's heading and subtitle.

    Examples
    --------
    >>> [m.data for m in heading("campaign", "gads_brand", "2026-08-01",
    ...                          "2026-10-31", "Acme", lang="es")]
    ['# Campaña gads\\\\_brand: del 2026\\\\-08\\\\-01 al 2026\\\\-10\\\\-31', \
'Acme · gads\\\\_brand frente al resto de la cuenta, semana a semana']
    """
    check_lang(lang)
    shown = label(name, lang)
    return [
        markdown(
            "deep_dive_title", lang, level=1,
            what=text(f"deep_dive_{_check(what)}", lang), name=shown,
            start=start, end=end,
        ),
        markdown("deep_dive_subtitle", lang, company=company, name=shown),
    ]  # fmt: skip


def summary_table(
    summary: pd.DataFrame,
    what: str,
    kpis: list[str] | tuple[str, ...],
    *,
    lang: str = "en",
    currency: str = "EUR",
) -> Styler:
    """One row per KPI, one column for the chosen one and one for the rest (the
    rows of :func:`leadkpi.deep_dive.summary`); a star marks a figure on fewer than
    30 observations."""
    named = _named(summary, _check(what), lang)
    names = list(dict.fromkeys(named[what]))
    kpi = text("kpi", lang)
    shown = pd.DataFrame({kpi: [kpi_name(k, lang) for k in kpis]})
    for name in names:
        part = named[named[what] == name].set_index("kpi").reindex(list(kpis))
        small = part["small_sample"].astype("boolean").fillna(False).to_numpy(bool)
        values = [
            format_value(v, u, lang=lang, currency=currency) + ("*" if flag else "")
            for v, u, flag in zip(part["value"], part["unit"], small, strict=True)
        ]
        shown[label(str(name), lang)] = values
    styler = aligned(shown, [kpi])
    return styler.set_table_attributes('class="leadkpi-table"')


def funnel_table(table: pd.DataFrame, what: str, *, lang: str = "en") -> Styler:
    """Stage by stage, the cohort's count and conversion from the stage before,
    for the chosen one and the rest (:func:`leadkpi.deep_dive.focus_funnel`)."""
    named = _named(table, _check(what), lang)
    names = list(dict.fromkeys(named[what]))
    stages = list(dict.fromkeys(named["stage"]))
    shown = pd.DataFrame({text("stage", lang): [label(s, lang) for s in stages]})
    for name in names:
        part = named[named[what] == name].set_index("stage").reindex(stages)
        shown[f"{name}: {text('funnel_count', lang)}"] = format_values(
            part["count"], "count", lang=lang
        ).to_numpy()
        shown[f"{name}: {text('funnel_from_previous', lang)}"] = format_values(
            part["from_previous"], "fraction", lang=lang
        ).to_numpy()
    styler = aligned(shown, [text("stage", lang)])
    return styler.set_table_attributes('class="leadkpi-table"')


def focus_speed_table(table: pd.DataFrame, what: str, *, lang: str = "en") -> Styler:
    """Speed to lead of the chosen one and the rest
    (:func:`leadkpi.deep_dive.speed`)."""
    return speed_table(_named(table, _check(what), lang), lang=lang)


_PAGES = (
    ("leads", "count", "page_leads"),
    ("share", "fraction", "page_share"),
    ("opportunities", "count", "page_opportunities"),
    ("opportunity_rate", "fraction", "page_opportunity_rate"),
    ("rest_leads", "count", "page_rest_leads"),
    ("rest_opportunity_rate", "fraction", "page_rest_opportunity_rate"),
)


def pages_table(pages: pd.DataFrame, *, lang: str = "en") -> Styler:
    """The top landing pages (:func:`leadkpi.deep_dive.landing_pages`)."""
    check_lang(lang)
    shown = pd.DataFrame({text("landing_page", lang): pages["landing_page"].to_numpy()})
    for column, unit, key in _PAGES:
        shown[text(key, lang)] = format_values(
            pages[column], unit, lang=lang
        ).to_numpy()
    styler = aligned(shown, [text("landing_page", lang)])
    if pages.empty:
        styler = styler.set_caption(text("deep_dive_no_pages", lang)).hide(
            axis="columns"
        )
    return styler.set_table_attributes('class="leadkpi-table"')
