"""Formatted, localised tables for reports and notebooks.

The engine returns raw numbers (fractions, floats); these functions turn them into the
text a reader expects in their language: ``5.0%`` / ``5,0 %``, ``€1,234`` /
``1234 €``, ``10.31×``. They never compute KPIs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

import numpy as np
import pandas as pd
from babel import Locale
from babel.numbers import format_currency, format_decimal, format_percent
from pandas.io.formats.style import Styler

from leadkpi.kpis.measure_catalogue import AD_SPEND_ONLY
from leadkpi.kpis.targets import add_targets
from leadkpi.present.i18n import (
    LOCALES,
    check_lang,
    kpi_name,
    label,
    month_name,
    text,
)
from leadkpi.privacy import mask_emails

__all__ = [
    "format_value",
    "format_values",
    "format_interval",
    "format_change",
    "kpi_names",
    "headline_table",
    "dimension_table",
    "accounting_table",
    "rejects_table",
    "table_name",
    "escaped",
]

#: KPIs whose cost is the full cost base (ad spend + the costs table), or ad spend
#: only when no costs table is loaded: a table showing one says which.
FULL_COST_KPIS = ("cac", "total_cost")

_GOOD, _BAD, _NOISE = "#1a7f37", "#c62828", "#8a8a8a"


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
        ``seconds`` (a duration, shown as ``45 s``, ``12 min``, ``2 h 15 min`` or
        ``3.5 d``; ``duration`` is read the same) or ``points``.
    lang : {"en", "es"}
    currency : str
        ISO 4217 code for ``currency`` values.

    Examples
    --------
    >>> format_value(0.05, "fraction"), format_value(0.05, "fraction", lang="es")
    ('5.0%', '5,0\xa0%')
    >>> format_value(1234.5, "currency", lang="es")
    '1.234,50\xa0€'
    >>> format_value(8100, "seconds"), format_value(302400, "seconds", lang="es")
    ('2 h 15 min', '3,5 d')
    """
    locale = LOCALES[check_lang(lang)]
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if value == 0:  # -0.0 is shown as 0, as format_values shows it
        value = abs(value)
    if unit == "fraction":
        return format_percent(value, _percent_pattern(locale), locale=locale)
    if unit == "currency":
        return format_currency(value, currency, locale=locale)
    if unit == "multiple":
        return format_decimal(value, "#,##0.00", locale=locale) + "×"
    if unit in ("seconds", "duration"):
        return _duration(value, locale)
    if unit == "points":
        return format_decimal(value, "#,##0.0", locale=locale)
    return format_decimal(value, "#,##0", locale=locale)


def _duration(seconds: float, locale: str) -> str:
    """``45 s``, ``12 min``, ``2 h 15 min`` or ``3.5 d``: the unit one thinks in."""
    sign, seconds = ("−" if seconds < 0 else ""), abs(seconds)
    minutes = round(seconds / 60)
    if seconds < 59.5:
        return f"{sign}{round(seconds)} s"
    if minutes < 60:
        return f"{sign}{minutes} min"
    if minutes < 24 * 60:
        hours, rest = divmod(minutes, 60)
        return f"{sign}{hours} h" + (f" {rest} min" if rest else "")
    return sign + format_decimal(seconds / 86400, "#,##0.0", locale=locale) + " d"


def format_values(
    values: pd.Series,
    units: pd.Series | str,
    *,
    lang: str = "en",
    currency: str = "EUR",
) -> pd.Series:
    """Format a column of KPI values, each by its unit (see :func:`format_value`).

    Each distinct (unit, value) pair is formatted once, so a long column of repeated
    values costs what its distinct values cost.

    Parameters
    ----------
    values : pandas.Series
        Raw values.
    units : pandas.Series or str
        The unit of each value (aligned with ``values``), or one unit for all.
    lang : {"en", "es"}
    currency : str

    Returns
    -------
    pandas.Series
        Text, with ``values``' index.

    Examples
    --------
    >>> format_values(pd.Series([0.05, 1200.0]), pd.Series(["fraction", "count"]),
    ...               lang="es").tolist()
    ['5,0\xa0%', '1.200']
    """
    check_lang(lang)
    if isinstance(units, str):
        units = pd.Series(units, index=values.index)
    frame = pd.DataFrame(
        {"unit": np.asarray(units, dtype=object), "value": np.asarray(values, float)}
    )
    codes = (
        frame.groupby(["unit", "value"], dropna=False, sort=False).ngroup().to_numpy()
    )
    _, first = np.unique(codes, return_index=True)  # one row of each distinct pair
    shown = np.empty(len(first), dtype=object)
    pairs = frame.iloc[first]
    shown[codes[first]] = [
        format_value(v, u, lang=lang, currency=currency)
        for u, v in zip(pairs["unit"], pairs["value"], strict=True)
    ]
    return pd.Series(shown[codes], index=values.index, dtype=object)


def format_interval(
    low: pd.Series,
    high: pd.Series,
    units: pd.Series | str,
    *,
    lang: str = "en",
    currency: str = "EUR",
) -> pd.Series:
    """Format confidence intervals as ``4.1%–6.3%``; empty text where unknown.

    Examples
    --------
    >>> format_interval(pd.Series([0.041, None]), pd.Series([0.063, None]),
    ...                 "fraction").tolist()
    ['4.1%–6.3%', '']
    """
    lows = format_values(low, units, lang=lang, currency=currency)
    highs = format_values(high, units, lang=lang, currency=currency)
    known = pd.Series(np.isfinite(np.asarray(low, float)), index=lows.index)
    known &= np.isfinite(np.asarray(high, float))
    return (lows + "–" + highs).where(known, "")


def format_change(change_rate: float, *, lang: str = "en") -> str:
    """A relative change as ``+12.3%`` / ``−4,0 %``; ``–`` when unknown."""
    if change_rate is None or pd.isna(change_rate):
        return "–"
    locale = LOCALES[check_lang(lang)]
    shown = format_percent(abs(change_rate), _percent_pattern(locale), locale=locale)
    return ("+" if change_rate >= 0 else "−") + shown


def kpi_names(
    kpis: pd.Series,
    *,
    lang: str = "en",
    names: Mapping[str, Any] | None = None,
) -> pd.Series:
    """Display names of KPI ids in ``lang``.

    Parameters
    ----------
    kpis : pandas.Series
        KPI ids.
    lang : {"en", "es"}
    names : mapping, optional
        Names of KPIs that are not built in: KPI id → a :class:`leadkpi.KPI`, a
        mapping language → name, or one name. They win over the built-in names; an
        id found in neither is shown as it is.

    Examples
    --------
    >>> kpi_names(pd.Series(["leads", "my_kpi"]), lang="es").tolist()
    ['Leads generados', 'my_kpi']
    """
    check_lang(lang)

    def name(kpi: str) -> str:
        entry = (names or {}).get(kpi)
        if entry is None:
            return kpi_name(kpi, lang)
        entry = getattr(entry, "name", entry)
        if isinstance(entry, Mapping):
            entry = entry.get(lang) or entry.get("en")
        return str(entry) if entry else kpi_name(kpi, lang)

    ids = kpis.astype("object")
    return ids.map({k: name(k) for k in pd.unique(ids.dropna())}).astype("object")


def change_styles(compared: pd.DataFrame) -> np.ndarray:
    """CSS for change cells: green good news, red bad news, grey within noise."""
    improved = compared["improved"].astype("boolean")
    css = np.where(
        improved.fillna(False),
        f"color: {_GOOD}; font-weight: 600",
        np.where(improved.isna(), "", f"color: {_BAD}; font-weight: 600"),
    ).astype(object)
    if "significant" in compared.columns:
        noise = compared["significant"].astype("boolean").eq(False).fillna(False)
        css = np.where(noise.to_numpy(bool), f"color: {_NOISE}", css)
    return css


def status_styles(status: pd.Series) -> np.ndarray:
    """CSS for target-status cells: green when met, red when missed."""
    status = status.astype("object")
    return np.select(
        [status.eq("met").to_numpy(bool), status.eq("missed").to_numpy(bool)],
        [f"color: {_GOOD}; font-weight: 600", f"color: {_BAD}; font-weight: 600"],
        "",
    ).astype(object)


def mode_of(result: pd.DataFrame) -> str | None:
    """The counting mode a result was computed in (``cohort`` when any row is a
    cohort count: spend and other period-only KPIs say ``period`` either way), or
    None when the table has no ``mode`` column."""
    if "mode" not in result.columns or not len(result):
        return None
    return "cohort" if result["mode"].eq("cohort").any() else "period"


def footnotes(compared: pd.DataFrame, *, lang: str = "en") -> list[str]:
    """The legends a table of ``compared`` needs: its mode, the cost basis of CAC,
    small samples, changes in noise."""
    mode = mode_of(compared)
    notes = [text(f"mode_label_{mode}", lang)] if mode else []
    if {"kpi", "reason"} <= set(compared.columns):
        costed = compared[compared["kpi"].isin(FULL_COST_KPIS)]
        if len(costed):
            spend_only = costed["reason"].eq(AD_SPEND_ONLY).any()
            basis = "ad_spend" if spend_only else "full"
            notes.append(text(f"cost_basis_{basis}", lang))
    flags = [c for c in ("small_sample", "previous_small_sample") if c in compared]
    if any(compared[c].eq(True).any() for c in flags):
        notes.append(text("small_sample", lang))
    if "significant" in compared.columns and compared["significant"].eq(False).any():
        level = 100 * compared.attrs.get("level", 0.95)
        shown = format_decimal(level, "#,##0.#", locale=LOCALES[check_lang(lang)])
        notes.append(text("within_noise", lang, level=shown))
    return notes


def with_footnotes(styler: Styler, notes: list[str]) -> Styler:
    """Show ``notes`` as a caption under the table."""
    if not notes:
        return styler
    return styler.set_caption("<br>".join(notes)).set_table_styles(
        [
            {
                "selector": "caption",
                "props": "caption-side: bottom; text-align: left; "
                "font-size: 0.85em; color: #555; padding-top: 0.4em",
            }
        ],
        overwrite=False,
    )


def marked_values(
    rows: pd.DataFrame, column: str = "value", *, lang: str = "en", currency: str
) -> pd.Series:
    """``rows[column]`` formatted by unit, with ``*`` on small samples (the
    ``small_sample`` of the value, ``previous_small_sample`` of the previous one)."""
    shown = format_values(rows[column], rows["unit"], lang=lang, currency=currency)
    flag = "small_sample" if column == "value" else f"{column}_small_sample"
    if flag in rows.columns:
        small = rows[flag].astype("boolean").fillna(False).to_numpy(bool)
        shown = shown.where(~small, shown + "*")
    return shown


def escaped(styler: Styler) -> Styler:
    """``styler`` with every cell and column heading escaped as HTML text.

    Names in a table come from exports (a campaign, an owner, a file name); escaped,
    ``<script>`` or ``<img onerror=…>`` in one is shown as those characters and
    never becomes markup in a report.

    Examples
    --------
    >>> table = pd.DataFrame({"<b>owner</b>": ["<script>alert(1)</script>"]})
    >>> html = escaped(table.style).to_html()
    >>> "&lt;script&gt;alert(1)&lt;/script&gt;" in html, "<script>" in html
    (True, False)
    >>> "&lt;b&gt;owner&lt;/b&gt;" in html
    True
    """
    return styler.format(escape="html").format_index(escape="html", axis="columns")


def aligned(table: pd.DataFrame, words: list[str]) -> Styler:
    """``table``'s Styler without the index: ``words`` columns (names, labels)
    aligned left, heading included, every other column (numbers) right; every cell
    and heading escaped as HTML text (see :func:`escaped`)."""
    numbers = [c for c in table.columns if c not in words]
    left = [f"th.col{i}" for i, c in enumerate(table.columns) if c in words]
    right = [f"th.col{i}" for i, c in enumerate(table.columns) if c not in words]
    headings = [
        {"selector": ", ".join(cells), "props": f"text-align: {side}"}
        for cells, side in ((left, "left"), (right, "right"))
        if cells
    ]
    return (
        escaped(table.style)
        .hide(axis="index")
        .set_properties(subset=numbers, **{"text-align": "right"})
        .set_properties(subset=words, **{"text-align": "left"})
        .set_table_styles(headings, overwrite=False)
    )


def headline_table(
    compared: pd.DataFrame,
    month: pd.Period,
    *,
    lang: str = "en",
    currency: str = "EUR",
    targets: Mapping[str, Any] | None = None,
) -> Styler:
    """The headline KPIs of one month beside the previous month, and their targets.

    Parameters
    ----------
    compared : pandas.DataFrame
        A :func:`leadkpi.compare` result by ``month`` (no other dimension),
        optionally with the ``target`` and ``status`` of
        :func:`leadkpi.kpis.targets.add_targets`.
    month : pandas.Period
        The month shown.
    lang : {"en", "es"}
    currency : str
    targets : mapping, optional
        ``Config.targets`` or a mapping of the same shape; when given, the target and
        status columns are computed from it (see
        :func:`leadkpi.kpis.targets.add_targets`).

    Returns
    -------
    pandas.io.formats.style.Styler
        One row per KPI: name, value, previous value, change (green when it is good
        news by the KPI's direction, red when bad, grey when within noise), target
        and status (green when met, red when missed) when there are targets; legends
        under the table for the grey changes and small samples (``*``).

    Examples
    --------
    >>> from leadkpi import compare, compute, load
    >>> data = load("leadkpi.yaml")
    >>> trend = compute(data, ["leads", "cost_per_lead"], by=("month",),
    ...                 start="2026-09", end="2026-10")
    >>> table = headline_table(compare(trend), pd.Period("2026-10", "M"),
    ...                        targets=data.config.targets)
    >>> table.data.iloc[:, [0, 4, 5]]
                   KPI  Target Status
    0  Leads generated     300    met
    1    Cost per lead  €60.00    met
    """
    rows = compared[compared["month"] == month].reset_index(drop=True)
    if targets is not None:
        rows = add_targets(rows, targets)
    change = text("change", lang)
    table = pd.DataFrame(
        {
            text("kpi", lang): kpi_names(rows["kpi"], lang=lang),
            month_name(month, lang): marked_values(rows, lang=lang, currency=currency),
            month_name(month - 1, lang): marked_values(
                rows, "previous", lang=lang, currency=currency
            ),
            change: [format_change(c, lang=lang) for c in rows["change_rate"]],
        }
    )
    styles = {change: change_styles(rows)}
    if "target" in rows.columns and rows["target"].notna().any():
        status = text("status", lang)
        table[text("target", lang)] = format_values(
            rows["target"], rows["unit"], lang=lang, currency=currency
        ).where(rows["target"].notna(), "")
        if "status" in rows.columns:
            words = {s: text(s, lang) for s in ("met", "missed")}
            table[status] = rows["status"].astype("object").map(words).fillna("")
            styles[status] = status_styles(rows["status"])
    words = [c for c in table.columns if c in (text("kpi", lang), text("status", lang))]
    styler = aligned(table, words)
    for column, css in styles.items():
        styler = styler.apply(lambda _, css=css: css, subset=[column])
    styler = styler.set_table_attributes('class="leadkpi-table leadkpi-headline"')
    return with_footnotes(styler, footnotes(rows, lang=lang))


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
    small = pd.DataFrame(False, index=wide.index, columns=kpis)
    if "small_sample" in result.columns:  # every cell on fewer than 30 gets its *
        flags = result.assign(small_sample=result["small_sample"].astype(float))
        small = flags.pivot(index=dim, columns="kpi", values="small_sample")
        small = small.reindex(index=wide.index, columns=kpis).fillna(0).astype(bool)
    shown = pd.DataFrame(
        {
            kpi_name(k, lang): [
                format_value(v, units[k], lang=lang, currency=currency)
                + ("*" if flag else "")
                for v, flag in zip(wide[k], small[k], strict=True)
            ]
            for k in kpis
        }
    )
    shown.insert(
        0,
        text(dim, lang) if dim in ("channel", "campaign") else dim,
        [label(str(v), lang) for v in wide.index],
    )
    styler = escaped(shown.style).hide(axis="index")
    styler = styler.set_table_attributes('class="leadkpi-table"')
    shown_rows = result[result["kpi"].isin(kpis)]
    return with_footnotes(styler, footnotes(shown_rows, lang=lang))


def table_name(table: object, lang: str = "en") -> str:
    """A canonical table's name as a reader of ``lang`` calls it (``inversión``).

    Examples
    --------
    >>> table_name("spend", "es"), table_name("deals", "en"), table_name("x", "es")
    ('inversión', 'deals', 'x')
    """
    return label(f"table:{table}", lang).removeprefix("table:")


def accounting_table(accounting: pd.DataFrame, *, lang: str = "en") -> Styler:
    """Rows read / loaded / rejected per input file, with the layout it was read
    as (its profile), localised."""
    cols = ["table", "file", "profile", "rows_read", "rows_loaded", "rows_rejected"]
    shown = accounting[cols].copy()
    shown["file"] = shown["file"].map(lambda p: str(p).rsplit("/", 1)[-1])
    shown["table"] = [table_name(t, lang) for t in shown["table"]]
    shown["profile"] = [
        label(f"profile:{p}", lang).removeprefix("profile:") for p in shown["profile"]
    ]
    for col in cols[3:]:
        shown[col] = [format_value(v, "count", lang=lang) for v in shown[col]]
    shown.columns = [text(c, lang) for c in cols]
    words = list(shown.columns[:3])
    return aligned(shown, words).set_table_attributes('class="leadkpi-table"')


def rejects_table(
    rejects: pd.DataFrame, *, lang: str = "en", limit: int = 10
) -> Styler:
    """The first ``limit`` rejected rows (table, file, line, reason), with a caption
    saying how many there are in all ("No row was rejected." when none)."""
    cols = ["table", "file", "line", "reason"]
    shown = rejects[cols].head(limit).copy()
    shown["table"] = [table_name(t, lang) for t in shown["table"]]
    # a report is e-mailed: the file's name, not where it sits on the analyst's
    # machine, and no e-mail address a reason may quote (`leadkpi validate` has them)
    shown["file"] = shown["file"].map(lambda f: PurePath(str(f)).name)
    shown["reason"] = mask_emails(shown["reason"])
    shown.columns = [text(c, lang) for c in cols]
    if len(rejects):
        caption = text("rejects_shown", lang, shown=len(shown), total=len(rejects))
    else:
        caption = text("no_rejects", lang)
    words = [shown.columns[i] for i in (0, 1, 3)]
    styler = aligned(shown, words).set_caption(caption)
    if rejects.empty:  # the caption alone, on one line
        styler = styler.hide(axis="columns").set_table_styles(
            [{"selector": "caption", "props": "white-space: nowrap; text-align: left"}]
        )
    return styler.set_table_attributes('class="leadkpi-table"')
