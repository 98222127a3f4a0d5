"""The executive summary as a reader sees it: KPI tiles and the channel and
campaign tables, in English or Spanish (the findings' sentences:
:mod:`leadkpi.present.findings_tables`).

The numbers come from :mod:`leadkpi.summary`; this module only words and lays
them out. Numbers are formatted by :mod:`leadkpi.present.tables` (babel), names from
data
(channels, campaigns, owners) are escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal
from IPython.display import HTML

from leadkpi.kpis.measure_catalogue import AD_SPEND_ONLY
from leadkpi.present.i18n import LOCALES, check_lang, label, month_name, text, words
from leadkpi.present.plots._style import channel_order
from leadkpi.present.tables import (
    FULL_COST_KPIS,
    format_change,
    format_value,
    kpi_names,
)
from leadkpi.summary import DIMENSION_KPIS, POINT_UNITS, top_by

__all__ = [
    "format_tile_change",
    "tiles_html",
    "dimension_html",
    "campaign_html",
    "window_label",
    "reason_text",
]

_GOOD, _BAD, _NOISE, _PLAIN = "#1a7f37", "#c62828", "#8a8a8a", "#444"


#: The tiles' layout: a stylesheet, as the report keeps ``<style>`` blocks (as it
#: does the tables') but only plain properties (colour, font) in ``style=``.
_TILES_CSS = """<style>
.leadkpi-tiles {display: grid; gap: 8px; margin: 0.5em 0;
  grid-template-columns: repeat(auto-fill, minmax(165px, 1fr));}
.leadkpi-tile {border: 1px solid #ddd; border-top: 4px solid #444;
  border-radius: 4px; padding: 6px 8px; background: #fff;}
.leadkpi-tile-name {font-size: 0.8em; color: #555; min-height: 2.4em;}
.leadkpi-tile-value {font-size: 1.45em; font-weight: 600; color: #222;}
.leadkpi-tile-change {font-weight: 700;}
.leadkpi-dimension td, .leadkpi-dimension th {padding: 3px 8px;}
.leadkpi-dimension caption {caption-side: bottom; text-align: left;
  font-size: 0.85em; color: #555; padding-top: 0.4em;}
</style>"""


def _short_month(period: pd.Period, lang: str) -> str:
    """``Sept 2026`` / ``sept 2026``."""
    day = period.start_time.date()
    return format_date(day, "LLL yyyy", locale=LOCALES[check_lang(lang)])


def window_label(
    window: str, month: pd.Period, *, lang: str = "en", months: int = 12
) -> str:
    """What a figure covers: ``"October 2026"`` (``month``), ``"last 12 months
    (Nov 2025 to Oct 2026)"`` (``year``) or ``"all history"`` (``all``).

    Examples
    --------
    >>> window_label("year", pd.Period("2026-10", "M"))
    'last 12 months (Nov 2025 to Oct 2026)'
    >>> window_label("month", pd.Period("2026-10", "M"), lang="es")
    'octubre de 2026'
    """
    if window == "month":
        return text("window_month", lang, month=month_name(month, lang))
    if window == "year":
        start = _short_month(month - (months - 1), lang)
        return text("window_year", lang, start=start, end=_short_month(month, lang))
    return text("window_all", lang)


def format_tile_change(change: float, kind: str, unit: str, *, lang: str = "en") -> str:
    """A change as a tile shows it: ``+12.3%`` (relative), ``+0.9 pp`` (a rate),
    ``+3.03×`` (a multiple); ``–`` when unknown.

    Examples
    --------
    >>> format_tile_change(0.0086, "points", "fraction")
    '+0.9\\xa0pp'
    >>> format_tile_change(-0.154, "relative", "count", lang="es")
    '−15,4\\xa0%'
    >>> format_tile_change(3.027, "points", "multiple")
    '+3.03×'
    """
    if change is None or pd.isna(change):
        return "–"
    if kind != "points":
        return format_change(change, lang=lang)
    sign = "+" if change >= 0 else "−"
    locale = LOCALES[check_lang(lang)]
    if unit == "fraction":
        shown = format_decimal(abs(change) * 100, "#,##0.0", locale=locale)
        return f"{sign}{shown}\xa0{text('points', lang)}"
    return sign + format_value(abs(change), unit, lang=lang)


def _colour(improved: object, noise: object) -> str:
    if pd.notna(noise) and bool(noise):
        return _NOISE
    if pd.isna(improved):
        return _PLAIN
    return _GOOD if bool(improved) else _BAD


#: The engine's reasons (see :mod:`leadkpi.kpis.grain`), each to its words.
_REASONS = (
    (re.compile(r"^needs the (\w+) table \(to tell paid channels\)$"),
     "reason_needs_table_paid"),
    (re.compile(r"^needs the (\w+) table$"), "reason_needs_table"),
    (re.compile(r"^the (\w+) table has no rows in the selected range$"),
     "reason_no_rows_range"),
    (re.compile(r"^the (\w+) table has no rows for (.+)$"), "reason_no_rows_for"),
    (re.compile(r"^ad spend only: no costs table is loaded$"), "reason_ad_spend_only"),
    (re.compile(r"^costs table only: no spend table is loaded$"), "reason_costs_only"),
)  # fmt: skip


#: Dimension words inside a reason ("month 2026-10, channel 'email'").
_WHAT = re.compile(r"\b(month|channel|campaign)\b")


def reason_text(reason: object, *, lang: str = "en") -> str:
    """The engine's reason a KPI is unknown, in ``lang`` (parts it does not know
    are shown as they are).

    Examples
    --------
    >>> reason_text("needs the spend table; needs the costs table", lang="es")
    'necesita la tabla de inversión; necesita la tabla de costes'
    """
    from leadkpi.present.tables import table_name

    if not isinstance(reason, str) or not reason:
        return ""
    dimensions = words(check_lang(lang))["dimensions"]
    parts = []
    for part in reason.split("; "):
        for pattern, key in _REASONS:
            found = pattern.match(part)
            if found:
                groups = found.groups()
                table = groups[0] if groups else ""
                values = {"table": table_name(table, lang)}
                if len(groups) > 1:
                    values["what"] = _WHAT.sub(
                        lambda m: dimensions[m.group(1)], groups[1]
                    )
                part = text(key, lang, **values)
                break
        parts.append(part)
    return "; ".join(dict.fromkeys(parts))


def _tile(row: pd.Series, name: str, lang: str, currency: str, months: dict) -> str:
    unit = row["unit"]
    small = "*" if row["small_sample"] else ""
    if pd.isna(row["value"]):
        reason = reason_text(row["reason"], lang=lang)
        if not reason and row.get("zero_denominator", False):
            reason = text("zero_denominator", lang)
        value = html.escape(text("unknown", lang))
        lines = [
            f'<div style="font-size:0.8em;color:{_NOISE}">{html.escape(reason)}</div>'
        ]
        edge = _NOISE
    else:
        value = format_value(row["value"], unit, lang=lang, currency=currency) + small
        lines = []
        for key, change, improved, noise, shown in (
            ("previous", "change", "improved", "within_noise", months["previous"]),
            ("year_ago", "change_year", "improved_year", "within_noise_year",
             months["year_ago"]),
        ):  # fmt: skip
            colour = _colour(row[improved], row[noise])
            changed = format_tile_change(
                row[change], row["change_kind"], unit, lang=lang
            )
            mark = "*" if row[f"{key}_small_sample"] else ""
            before = format_value(row[key], unit, lang=lang, currency=currency) + mark
            lines.append(
                f'<div style="font-size:0.8em;color:{colour}">'
                f'<span class="leadkpi-tile-change">{html.escape(changed)}</span> '
                f'<span style="color:{_NOISE}">'
                f"{html.escape(text('vs', lang, month=shown))} "
                f"({html.escape(before)})</span></div>"
            )
        edge = _colour(row["improved"], row["within_noise"])
        if pd.notna(row["target"]):
            words, colour, _ = _target_line(
                row["target"], row["target_status"], unit, lang, currency
            )
            lines.append(
                f'<div style="font-size:0.8em;color:{colour}">{html.escape(words)}'
                "</div>"
            )
    return (
        f'<div class="leadkpi-tile" style="border-top-color:{edge}">'
        f'<div class="leadkpi-tile-name">{html.escape(name)}</div>'
        f'<div class="leadkpi-tile-value">{html.escape(value)}</div>'
        f"{''.join(lines)}</div>"
    )


def _tiles_note(tiles: pd.DataFrame, month: pd.Period, lang: str) -> list[str]:
    modes = tiles["mode"].dropna() if "mode" in tiles else pd.Series([], dtype=object)
    mode = "cohort" if modes.eq("cohort").any() else "period"
    notes = [
        text(
            "tiles_note",
            lang,
            month=month_name(month, lang),
            mode=text(f"mode_short_{mode}", lang),
            previous=month_name(month - 1, lang),
            year_ago=month_name(month - 12, lang),
        )
    ]
    costed = tiles[tiles["kpi"].isin(FULL_COST_KPIS)]
    if len(costed):
        basis = "ad_spend" if costed["reason"].eq(AD_SPEND_ONLY).any() else "full"
        notes.append(text(f"cost_basis_{basis}", lang))
    flags = ["small_sample", "previous_small_sample", "year_ago_small_sample"]
    if tiles[flags].astype("boolean").fillna(False).to_numpy(bool).any():
        notes.append(text("small_sample", lang))
    return notes


def tiles_html(
    tiles: pd.DataFrame,
    month: pd.Period,
    *,
    lang: str = "en",
    currency: str = "EUR",
) -> HTML:
    """The KPI tiles of :func:`leadkpi.summary.tiles` as a grid, with its legend.

    Each tile: the KPI, its value (``*`` on fewer than 30 observations, in every
    month shown), the change against the previous month and the same month a
    year earlier (green good news by the KPI's direction, red bad news, grey
    within noise), and the target with its status where one is set. A KPI without
    a value says "unknown" and why.

    Examples
    --------
    >>> from leadkpi.summary import tiles
    >>> trend = pd.DataFrame({"month": pd.period_range("2025-10", "2026-10",
    ...                                                freq="M"),
    ...                       "kpi": "leads", "value": [100.0] * 12 + [130.0],
    ...                       "unit": "count", "better": "higher"})
    >>> shown = tiles_html(tiles(trend, pd.Period("2026-10", "M")),
    ...                    pd.Period("2026-10", "M"))
    >>> "+30.0%" in shown.data and "Leads generated" in shown.data
    True
    """
    check_lang(lang)
    month = pd.Period(month, "M")
    months = {
        "previous": _short_month(month - 1, lang),
        "year_ago": _short_month(month - 12, lang),
    }
    names = kpi_names(tiles["kpi"], lang=lang)
    cells = [
        _tile(row, name, lang, currency, months)
        for (_, row), name in zip(tiles.iterrows(), names, strict=True)
    ]
    notes = "<br>".join(
        html.escape(n[:1].upper() + n[1:]) for n in _tiles_note(tiles, month, lang)
    )
    return HTML(
        _TILES_CSS + f'<div class="leadkpi-tiles">{"".join(cells)}</div>'
        f'<p class="leadkpi-note" style="font-size:0.85em;color:#555">{notes}</p>'
    )


# --- channels and campaigns ------------------------------------------------------


def _target_line(
    target: float, status: object, unit: str, lang: str, currency: str
) -> tuple[str, str, str | None]:
    """``target 80: missed``, its colour, and the status (None when not judged)."""
    status = status if isinstance(status, str) and status in ("met", "missed") else None
    words = text(
        "target_line",
        lang,
        target=format_value(target, unit, lang=lang, currency=currency),
        status=text(status, lang) if status else "–",
    )
    return words, {"met": _GOOD, "missed": _BAD}.get(status, _PLAIN), status


def _cell(rows: pd.DataFrame, kpi: str, lang: str, currency: str) -> str:
    row = rows[rows["kpi"] == kpi]
    if row.empty:
        return ""
    row = row.iloc[0]
    unit = row["unit"]
    small = "*" if bool(row.get("small_sample", False) is True) else ""
    value = format_value(row["value"], unit, lang=lang, currency=currency)
    lines = [html.escape(value + (small if pd.notna(row["value"]) else ""))]
    points = unit in POINT_UNITS
    change = row["change"] if points else row["change_rate"]
    if pd.notna(change):
        kind = "points" if points else "relative"
        noise = pd.notna(row.get("significant")) and not bool(row.get("significant"))
        colour = _colour(row["improved"], noise)
        shown = format_tile_change(change, kind, unit, lang=lang)
        lines.append(
            f'<br><span style="font-size:0.8em;color:{colour}">'
            f"{html.escape(shown)}</span>"
        )
    if pd.notna(row.get("target", np.nan)):
        words, colour, status = _target_line(
            row["target"], row.get("status"), unit, lang, currency
        )
        weight = "font-weight:600;" if status == "missed" else ""
        lines.append(
            f'<br><span style="font-size:0.8em;{weight}color:{colour}">'
            f"{html.escape(words)}</span>"
        )
    return "".join(lines)


def dimension_html(
    numbers: pd.DataFrame,
    dim: str,
    month: pd.Period,
    *,
    kpis: Sequence[str] = DIMENSION_KPIS,
    lang: str = "en",
    currency: str = "EUR",
    order: Sequence[object] | None = None,
    total: int | None = None,
) -> HTML:
    """A channel (or campaign) table: one row per value of ``dim``, one column per
    KPI, each cell its value, its change against the month before and, where the
    configuration sets one for the row, the target (red when missed).

    Parameters
    ----------
    numbers : pandas.DataFrame
        :func:`leadkpi.summary.dimension_numbers` (or :func:`leadkpi.summary.top_by`
        of it).
    dim : str
        The row dimension.
    month : pandas.Period
    kpis : sequence of str
        Columns, in order.
    order : sequence, optional
        Row order; default :func:`leadkpi.present.plots.channel_order` for channels
        (the one order of every channel chart) and the order of ``numbers`` otherwise.
    total : int, optional
        How many values there were before a top-N cut (said under the table).

    Examples
    --------
    >>> rows = pd.DataFrame({"channel": ["events", "paid_search"], "kpi": "leads",
    ...     "value": [20.0, 76.0], "unit": "count", "change": [-5.0, 1.0],
    ...     "change_rate": [-0.2, 0.01], "improved": [False, True],
    ...     "significant": [False, False], "target": [np.nan, 80.0],
    ...     "status": [None, "missed"], "mode": "period"})
    >>> shown = dimension_html(rows, "channel", pd.Period("2026-10"), kpis=["leads"])
    >>> shown.data.index("Paid search") < shown.data.index("Events")
    True
    >>> "target 80: missed" in shown.data
    True
    """
    check_lang(lang)
    month = pd.Period(month, "M")
    if order is None:
        values = numbers[dim]
        order = channel_order(values) if dim == "channel" else list(pd.unique(values))
    heads = [text(dim, lang) if dim in ("channel", "campaign") else dim]
    heads += list(kpi_names(pd.Series(list(kpis)), lang=lang))
    head = "".join(
        f'<th style="text-align:{"left" if i == 0 else "right"}">{html.escape(h)}</th>'
        for i, h in enumerate(heads)
    )
    body = []
    for level in order:
        rows = numbers[numbers[dim] == level]
        name = label(str(level), lang) if dim == "channel" else str(level)
        cells = "".join(
            f'<td style="text-align:right;vertical-align:top">'
            f"{_cell(rows, k, lang, currency)}</td>"
            for k in kpis
        )
        body.append(
            f'<tr><td style="text-align:left;vertical-align:top">'
            f"{html.escape(name)}</td>{cells}</tr>"
        )
    if not body:
        body.append(
            f'<tr><td colspan="{len(heads)}">'
            f"{html.escape(text('no_rows', lang, month=month_name(month, lang)))}"
            "</td></tr>"
        )
    mode = "cohort" if numbers.get("mode", pd.Series()).eq("cohort").any() else "period"
    notes = [
        text(
            "dimension_note",
            lang,
            month=month_name(month, lang),
            mode=text(f"mode_short_{mode}", lang),
            previous=month_name(month - 1, lang),
        )
    ]
    if total is not None:
        notes.append(text("campaigns_shown", lang, shown=len(order), total=total))
    costed = numbers[numbers["kpi"].isin(FULL_COST_KPIS)] if "kpi" in numbers else []
    if len(costed) and "reason" in numbers:
        basis = "ad_spend" if costed["reason"].eq(AD_SPEND_ONLY).any() else "full"
        notes.append(text(f"cost_basis_{basis}", lang))
    if "small_sample" in numbers and numbers["small_sample"].eq(True).any():
        notes.append(text("small_sample", lang))
    caption = "<br>".join(html.escape(n[:1].upper() + n[1:]) for n in notes)
    return HTML(
        _TILES_CSS + '<table class="leadkpi-table leadkpi-dimension">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>"
        f"<caption>{caption}</caption></table>"
    )


def campaign_html(
    numbers: pd.DataFrame,
    month: pd.Period,
    *,
    n: int = 10,
    kpis: Sequence[str] = DIMENSION_KPIS,
    lang: str = "en",
    currency: str = "EUR",
) -> HTML:
    """The ``n`` campaigns with the most spend in ``month``, with the channel
    table's columns (see :func:`dimension_html`), and how many had spend.

    Parameters
    ----------
    numbers : pandas.DataFrame
        :func:`leadkpi.summary.dimension_numbers` by ``campaign``.
    """
    spend = numbers[numbers["kpi"] == "spend"]["value"]
    top = top_by(numbers, "campaign", "spend", n=n)
    return dimension_html(
        top, "campaign", month, kpis=kpis, lang=lang, currency=currency,
        total=int((spend > 0).sum()),
    )  # fmt: skip
