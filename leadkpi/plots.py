"""Axes-level charts of engine results, in one consistent theme.

Every function takes a table that the engine returned, draws on ``ax`` (or the current
Axes) and returns it. None computes a KPI, calls ``plt.show()`` or saves a file; the
theme is applied only inside :func:`theme`, never at import.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from babel.numbers import format_compact_currency, format_compact_decimal
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from leadkpi.exceptions import ArgumentError
from leadkpi.i18n import LOCALES, label, month_name, text
from leadkpi.kpis.definitions import KPIS
from leadkpi.tables import format_value

__all__ = [
    "theme",
    "PALETTE",
    "plot_trend",
    "plot_by_dimension",
    "plot_funnel",
    "trend_grid",
    "dimension_grid",
]

#: Colours of the leadkpi theme: main series first.
PALETTE = ("#2f5d8a", "#e07a3f", "#5b9e6e", "#8c6bb1", "#c4554d", "#7f7f7f")
# default stage ids → the labels of their count KPIs
_STAGE_LABELS = {
    "lead": "leads",
    "mql": "mqls",
    "sql": "sqls",
    "opportunity": "opportunities",
    "customer": "customers",
}


@contextmanager
def theme() -> Iterator[None]:
    """Apply the leadkpi look (seaborn whitegrid, palette, sizes) inside a block.

    Examples
    --------
    >>> with theme():
    ...     fig, ax = plt.subplots()
    >>> plt.close(fig)
    """
    rc = {
        "figure.figsize": (8, 3.6),
        "figure.dpi": 100,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titleweight": "bold",
        "axes.titlesize": 11,
        "axes.titlelocation": "left",
        "font.size": 9,
    }
    with sns.axes_style("whitegrid", rc=rc), sns.color_palette(PALETTE):
        with plt.rc_context(rc):
            yield


def _rows(result: pd.DataFrame, kpi: str) -> pd.DataFrame:
    rows = result[result["kpi"] == kpi]
    if rows.empty:
        known = sorted(result["kpi"].unique())
        raise ArgumentError(f"no rows for kpi {kpi!r} in the table; it has {known}")
    return rows


def _name(kpi: str, lang: str) -> str:
    return KPIS[kpi].name[lang] if kpi in KPIS else kpi


def _tick(value: float, unit: str, lang: str, currency: str) -> str:
    """An axis tick label: money and counts compact ("€2.5K", "2,5 mil €")."""
    locale = LOCALES[lang]
    if unit == "currency":
        return format_compact_currency(
            value, currency, locale=locale, fraction_digits=1
        )
    if unit == "count":
        return format_compact_decimal(value, locale=locale, fraction_digits=1)
    return format_value(value, unit, lang=lang, currency=currency)


def _value_axis(ax: Axes, unit: str, lang: str, currency: str, axis: str = "y") -> None:
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(nbins=4 if axis == "x" else 5))
    target.set_major_formatter(
        FuncFormatter(lambda v, _: _tick(v, unit, lang, currency))
    )


def _month_axis(ax: Axes, months: pd.Series, lang: str) -> None:
    """Month ticks over the (non-empty) months drawn: at most seven labels, the year
    shown on the first tick and wherever it changes."""
    first, last = months.min(), months.max()
    span = (last - first).n + 1
    ticks = pd.period_range(first, last, freq="M")[:: max(1, -(-span // 7))]
    ax.set_xticks([t.to_timestamp() for t in ticks])
    ax.set_xticklabels(
        [
            month_name(t, lang)[:3]
            + (f"\n{t.year}" if i == 0 or t.year != ticks[i - 1].year else "")
            for i, t in enumerate(ticks)
        ]
    )
    pad = pd.Timedelta(days=20)
    ax.set_xlim(first.to_timestamp() - pad, last.to_timestamp() + pad)


def plot_trend(
    result: pd.DataFrame,
    kpi: str,
    *,
    ax: Axes | None = None,
    highlight: pd.Period | None = None,
    lang: str = "en",
    currency: str = "EUR",
) -> Axes:
    """A KPI over months, as a line with the highlighted month marked.

    Parameters
    ----------
    result : pandas.DataFrame
        A :func:`leadkpi.compute` result by ``month`` that includes ``kpi``.
    kpi : str
        The KPI drawn.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    highlight : pandas.Period, optional
        A month to mark (the report month).
    """
    ax = ax if ax is not None else plt.gca()
    rows = _rows(result, kpi).sort_values("month")
    x = rows["month"].dt.to_timestamp()
    ax.plot(x, rows["value"], marker="o", markersize=3, color=PALETTE[0])
    if highlight is not None and (rows["month"] == highlight).any():
        point = rows[rows["month"] == highlight]
        ax.plot(
            point["month"].dt.to_timestamp(),
            point["value"],
            "o",
            markersize=7,
            color=PALETTE[1],
            zorder=3,
        )
    ax.set_title(_name(kpi, lang))
    ax.set_xlabel("")
    values = rows["value"].dropna()
    if values.empty:
        ax.text(
            0.5, 0.5, text("no_data", lang), transform=ax.transAxes,
            ha="center", va="center", color="0.4",
        )  # fmt: skip
        ax.set_yticks([])
    else:  # zero in view, and negative values (a loss-making ROI) too
        ax.set_ylim(min(0.0, values.min() * 1.1), max(0.0, values.max() * 1.1) or 1.0)
        _value_axis(ax, rows["unit"].iloc[0], lang, currency)
    _month_axis(ax, rows["month"], lang)
    return ax


def plot_by_dimension(
    result: pd.DataFrame,
    kpi: str,
    *,
    dim: str = "channel",
    ax: Axes | None = None,
    lang: str = "en",
    currency: str = "EUR",
) -> Axes:
    """Horizontal bars of one KPI per value of a dimension, largest first.

    Parameters
    ----------
    result : pandas.DataFrame
        A :func:`leadkpi.compute` result with ``dim`` as a grain column.
    kpi : str
        The KPI drawn.
    dim : str
        The dimension on the bars (``channel``, ``campaign``, …).
    """
    ax = ax if ax is not None else plt.gca()
    rows = _rows(result, kpi).dropna(subset=["value"]).sort_values("value")
    labels = [label(str(v), lang) for v in rows[dim]]
    bars = ax.barh(labels, rows["value"], color=PALETTE[0])
    unit = rows["unit"].iloc[0] if len(rows) else "count"
    ax.bar_label(
        bars,
        labels=[
            format_value(v, unit, lang=lang, currency=currency) for v in rows["value"]
        ],
        padding=3,
        fontsize=8,
    )
    ax.set_title(_name(kpi, lang))
    ax.margins(x=0.18)
    _value_axis(ax, unit, lang, currency, axis="x")
    ax.grid(axis="y", visible=False)
    return ax


def plot_funnel(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """A funnel: one bar per stage, labelled with its count and the conversion from
    the stage before.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`leadkpi.funnel.funnel` result for one funnel (no grain columns):
        ``stage, count, from_previous``, top of the funnel first.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    lang : {"en", "es"}
    """
    ax = ax if ax is not None else plt.gca()
    y = list(range(len(table)))[::-1]
    counts = table["count"].fillna(0)
    ax.barh(y, counts, color=PALETTE[0], height=0.7)
    for pos, count, share in zip(y, counts, table["from_previous"], strict=True):
        text = format_value(count, "count", lang=lang)
        if pd.notna(share):
            text += f"  ({format_value(share, 'fraction', lang=lang)})"
        ax.text(count, pos, "  " + text, va="center", fontsize=9)
    ax.set_yticks(y, [label(_STAGE_LABELS.get(s, s), lang) for s in table["stage"]])
    ax.set_xlim(0, max(float(counts.max() if len(counts) else 0), 1.0) * 1.35)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("")
    return ax


def trend_grid(
    result: pd.DataFrame,
    kpis: Sequence[str],
    *,
    highlight: pd.Period | None = None,
    ncols: int = 3,
    lang: str = "en",
    currency: str = "EUR",
) -> Figure:
    """Small multiples: one :func:`plot_trend` panel per KPI, in the leadkpi theme.

    Returns
    -------
    matplotlib.figure.Figure
        A new figure owned by the caller.
    """
    nrows = -(-len(kpis) // ncols)
    with theme():
        fig, axes = plt.subplots(
            nrows,
            ncols,
            figsize=(3.6 * ncols, 2.6 * nrows),
            layout="constrained",
            squeeze=False,
        )
        for ax, kpi in zip(axes.flat, kpis, strict=False):
            plot_trend(
                result, kpi, ax=ax, highlight=highlight, lang=lang, currency=currency
            )
        for ax in axes.flat[len(kpis) :]:
            ax.set_visible(False)
    return fig


def dimension_grid(
    result: pd.DataFrame,
    kpis: Sequence[str],
    *,
    dim: str = "channel",
    lang: str = "en",
    currency: str = "EUR",
) -> Figure:
    """Side-by-side :func:`plot_by_dimension` panels, one per KPI.

    Returns
    -------
    matplotlib.figure.Figure
        A new figure owned by the caller.
    """
    with theme():
        fig, axes = plt.subplots(
            1,
            len(kpis),
            figsize=(3.8 * len(kpis), 3.4),
            layout="constrained",
            squeeze=False,
        )
        for ax, kpi in zip(axes.flat, kpis, strict=True):
            plot_by_dimension(result, kpi, dim=dim, ax=ax, lang=lang, currency=currency)
    return fig
