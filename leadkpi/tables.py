"""Formatted, localised tables for reports and notebooks.

The engine returns raw numbers (fractions, floats); these functions turn them into the
text a reader expects in their language: ``5.0%`` / ``5,0 %``, ``€1,234`` /
``1234 €``, ``10.31×``. They never compute KPIs.
"""

from __future__ import annotations

import math

import pandas as pd
from babel import Locale
from babel.numbers import format_currency, format_decimal, format_percent
from pandas.io.formats.style import Styler

from leadkpi.i18n import LOCALES, check_lang, label, month_name, text
from leadkpi.kpis.definitions import KPIS

__all__ = [
    "format_value",
    "format_change",
    "headline_table",
    "dimension_table",
    "accounting_table",
    "rejects_table",
]

_GOOD, _BAD = "#1a7f37", "#c62828"


def _percent_pattern(locale: str) -> str:
    """The locale's percent pattern with one decimal (``#,##0.0 %`` in Spanish)."""
    pattern = Locale.parse(locale).percent_formats[None].pattern
    return (
        pattern.replace("0%", "0.0%")
        .replace("0\xa0%", "0.0\xa0%")
        .replace("0 %", "0.0 %")
    )


def format_value(
    value: float, unit: str, *, lang: str = "en", currency: str = "EUR"
) -> str:
    """Format one KPI value for display.

    Parameters
    ----------
    value : float
        The raw value (a fraction for rates).
    unit : str
        The KPI's unit: ``count``, ``fraction``, ``currency``, ``multiple``,
        ``duration`` (seconds) or ``points``.
    lang : {"en", "es"}
    currency : str
        ISO 4217 code for ``currency`` values.

    Examples
    --------
    >>> format_value(0.05, "fraction"), format_value(0.05, "fraction", lang="es")
    ('5.0%', '5,0\xa0%')
    >>> format_value(1234.5, "currency", lang="es")
    '1.234,50\xa0€'
    """
    locale = LOCALES[check_lang(lang)]
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit == "fraction":
        return format_percent(value, _percent_pattern(locale), locale=locale)
    if unit == "currency":
        return format_currency(value, currency, locale=locale)
    if unit == "multiple":
        return format_decimal(value, "#,##0.00", locale=locale) + "×"
    if unit == "duration":
        hours = value / 3600
        return format_decimal(hours, "#,##0.0", locale=locale) + " h"
    if unit == "points":
        return format_decimal(value, "#,##0.0", locale=locale)
    return format_decimal(value, "#,##0", locale=locale)


def format_change(change_rate: float, *, lang: str = "en") -> str:
    """A relative change as ``+12.3%`` / ``−4,0 %``; ``–`` when unknown."""
    if change_rate is None or pd.isna(change_rate):
        return "–"
    locale = LOCALES[check_lang(lang)]
    shown = format_percent(abs(change_rate), _percent_pattern(locale), locale=locale)
    return ("+" if change_rate >= 0 else "−") + shown


def _colour(improved: object) -> str:
    if improved is None or pd.isna(improved):
        return ""
    return f"color: {_GOOD if improved else _BAD}; font-weight: 600"


def headline_table(
    compared: pd.DataFrame,
    month: pd.Period,
    *,
    lang: str = "en",
    currency: str = "EUR",
    targets: dict[str, float] | None = None,
) -> Styler:
    """The headline KPIs of one month beside the previous month.

    Parameters
    ----------
    compared : pandas.DataFrame
        A :func:`leadkpi.compare` result by ``month`` (no other dimension).
    month : pandas.Period
        The month shown.
    lang : {"en", "es"}
    currency : str
    targets : dict, optional
        KPI id → target value, shown in a column when given.

    Returns
    -------
    pandas.io.formats.style.Styler
        One row per KPI: name, value, previous value, change (green when it is good
        news by the KPI's direction, red when bad), and target.
    """
    rows = compared[compared["month"] == month]
    previous = month_name(month - 1, lang)
    table = pd.DataFrame(
        {
            text("kpi", lang): [
                KPIS[k].name[lang] if k in KPIS else k for k in rows["kpi"]
            ],
            month_name(month, lang): [
                format_value(v, u, lang=lang, currency=currency)
                for v, u in zip(rows["value"], rows["unit"], strict=True)
            ],
            previous: [
                format_value(v, u, lang=lang, currency=currency)
                for v, u in zip(rows["previous"], rows["unit"], strict=True)
            ],
            text("change", lang): [
                format_change(c, lang=lang) for c in rows["change_rate"]
            ],
        }
    )
    if targets:
        table[text("target", lang)] = [
            format_value(targets[k], u, lang=lang, currency=currency)
            if k in targets
            else ""
            for k, u in zip(rows["kpi"], rows["unit"], strict=True)
        ]
    colours = [_colour(i) for i in rows["improved"]]
    change = text("change", lang)
    return (
        table.style.hide(axis="index")
        .apply(lambda _: colours, subset=[change])
        .set_table_attributes('class="leadkpi-table leadkpi-headline"')
    )


def dimension_table(
    result: pd.DataFrame,
    dim: str,
    kpis: list[str],
    *,
    lang: str = "en",
    currency: str = "EUR",
) -> Styler:
    """One row per value of ``dim`` and one formatted column per KPI.

    Parameters
    ----------
    result : pandas.DataFrame
        A :func:`leadkpi.compute` result whose only grain column besides an optional
        period is ``dim``.
    dim : str
        The dimension shown as rows (``channel``, ``campaign``, …).
    kpis : list of str
        KPI ids, in column order; rows are sorted by the first.
    """
    # pivot, not pivot_table: a missing KPI value must stay missing, never become 0
    wide = result.pivot(index=dim, columns="kpi", values="value")
    wide = wide.reindex(columns=kpis).sort_values(kpis[0], ascending=False)
    units = result.drop_duplicates("kpi").set_index("kpi")["unit"]
    shown = pd.DataFrame(
        {
            KPIS[k].name[lang] if k in KPIS else k: [
                format_value(v, units[k], lang=lang, currency=currency) for v in wide[k]
            ]
            for k in kpis
        }
    )
    shown.insert(
        0,
        text(dim, lang) if dim in ("channel", "campaign") else dim,
        [label(str(v), lang) for v in wide.index],
    )
    return shown.style.hide(axis="index").set_table_attributes('class="leadkpi-table"')


def accounting_table(accounting: pd.DataFrame, *, lang: str = "en") -> Styler:
    """Rows read / loaded / rejected per input file, localised."""
    cols = ["table", "file", "rows_read", "rows_loaded", "rows_rejected"]
    shown = accounting[cols].copy()
    shown["file"] = shown["file"].map(lambda p: str(p).rsplit("/", 1)[-1])
    for col in cols[2:]:
        shown[col] = [format_value(v, "count", lang=lang) for v in shown[col]]
    shown.columns = [text(c, lang) for c in cols]
    return shown.style.hide(axis="index").set_table_attributes('class="leadkpi-table"')


def rejects_table(
    rejects: pd.DataFrame, *, lang: str = "en", limit: int = 10
) -> Styler:
    """The first ``limit`` rejected rows (table, file, line, reason), with a caption
    saying how many there are in all ("No row was rejected." when none)."""
    cols = ["table", "file", "line", "reason"]
    shown = rejects[cols].head(limit).copy()
    shown.columns = [text(c, lang) for c in cols]
    if len(rejects):
        caption = text("rejects_shown", lang, shown=len(shown), total=len(rejects))
    else:
        caption = text("no_rejects", lang)
    styler = shown.style.hide(axis="index").set_caption(caption)
    if rejects.empty:  # the caption alone, on one line
        styler = styler.hide(axis="columns").set_table_styles(
            [{"selector": "caption", "props": "white-space: nowrap; text-align: left"}]
        )
    return styler.set_table_attributes('class="leadkpi-table"')
