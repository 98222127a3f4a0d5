"""Charts of :func:`leadkpi.compute` results: trends, cuts by a dimension, grids."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from leadkpi.present.i18n import text
from leadkpi.present.plots._style import (
    PALETTE,
    channel_colours,
    channel_order,
    data_label,
    kpi_name,
    mode_mark,
    month_axis,
    plain,
    rows_of,
    theme,
    value_axis,
)
from leadkpi.present.tables import format_value, mode_of

__all__ = ["plot_trend", "plot_by_dimension", "trend_grid", "dimension_grid"]


def plot_trend(
    result: pd.DataFrame,
    kpi: str,
    *,
    ax: Axes | None = None,
    highlight: pd.Period | None = None,
    lang: str = "en",
    currency: str = "EUR",
    window: str | None = None,
    mark: bool = True,
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
    window : str, optional
        What the chart covers (``"last 12 months"``), written beside its mode.
    mark : bool
        Write the window and counting mode in the panel's top right corner (a
        grid of panels writes them once, above, where no title can run into them).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from leadkpi import compute, load
    >>> monthly = compute(load("leadkpi.yaml"), "cost_per_lead", by=("month",),
    ...                   start="2026-01", end="2026-10")
    >>> fig, ax = plt.subplots()
    >>> ax = plot_trend(monthly, "cost_per_lead", ax=ax, highlight=pd.Period("2026-10"))
    >>> ax.get_title(), len(ax.lines[0].get_xdata())
    ('Cost per lead', 10)
    >>> plt.close(fig)
    """
    ax = ax if ax is not None else plt.gca()
    rows = rows_of(result, kpi, "plot_trend", ("month",)).sort_values("month")
    x = rows["month"].dt.to_timestamp()
    ax.plot(x, rows["value"], marker="o", markersize=3, color=PALETTE[0])
    if "small_sample" in rows.columns:  # every month on fewer than 30: an open ring
        small = rows["small_sample"].astype("boolean").fillna(False).to_numpy(bool)
        if small.any():
            ax.plot(
                x[small], rows["value"][small], "o", markersize=7, color=PALETTE[0],
                markerfacecolor="white", zorder=4, label=text("small_sample", lang),
            )  # fmt: skip
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
    ax.set_title(kpi_name(kpi, lang))
    if mark:
        mode_mark(ax, rows, lang, window)
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
        value_axis(ax, rows["unit"].iloc[0], lang, currency)
    month_axis(ax, rows["month"], lang)
    return ax


def plot_by_dimension(
    result: pd.DataFrame,
    kpi: str,
    *,
    dim: str = "channel",
    ax: Axes | None = None,
    lang: str = "en",
    currency: str = "EUR",
    window: str | None = None,
    mark: bool = True,
) -> Axes:
    """Horizontal bars of one KPI per value of a dimension, largest first.

    Channels keep the one order and the one colour per channel of every channel
    chart (:func:`leadkpi.present.plots.channel_order`,
    :func:`leadkpi.present.plots.channel_colours`).

    Parameters
    ----------
    result : pandas.DataFrame
        A :func:`leadkpi.compute` result with ``dim`` as a grain column.
    kpi : str
        The KPI drawn.
    dim : str
        The dimension on the bars (``channel``, ``campaign``, …).
    window : str, optional
        What the chart covers (``"October 2026"``), written beside its mode.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from leadkpi import compute, load
    >>> by_channel = compute(load("leadkpi.yaml"), "leads", by=("channel",),
    ...                      start="2026-10", end="2026-10")
    >>> fig, ax = plt.subplots()
    >>> ax = plot_by_dimension(by_channel, "leads", ax=ax, lang="es")
    >>> bool(len(ax.patches) == by_channel["value"].notna().sum())
    True
    >>> plt.close(fig)
    """
    ax = ax if ax is not None else plt.gca()
    rows = rows_of(result, kpi, "plot_by_dimension", (dim,))
    rows = rows.dropna(subset=["value"]).sort_values("value")
    colours = PALETTE[0]
    if dim == "channel":  # the report's one channel order, first on top
        order = {c: i for i, c in enumerate(channel_order(rows[dim]))}
        # float: with no row (no spend at all) the mapped column is empty text
        rows = rows.sort_values(dim, key=lambda s: -s.map(order).astype("float64"))
        colours = channel_colours(rows[dim])
    labels = [data_label(v, lang) for v in rows[dim]]
    bars = ax.barh(labels, rows["value"], color=colours)
    unit = rows["unit"].iloc[0] if len(rows) else "count"
    ax.bar_label(
        bars,
        labels=[
            format_value(v, unit, lang=lang, currency=currency) for v in rows["value"]
        ],
        padding=3,
        fontsize=8,
    )
    ax.set_title(kpi_name(kpi, lang))
    if mark:
        mode_mark(ax, rows, lang, window)
    ax.margins(x=0.18)
    value_axis(ax, unit, lang, currency, axis="x")
    ax.grid(axis="y", visible=False)
    return ax


def trend_grid(
    result: pd.DataFrame,
    kpis: Sequence[str],
    *,
    highlight: pd.Period | None = None,
    ncols: int = 3,
    lang: str = "en",
    currency: str = "EUR",
    window: str | None = None,
    last: int | None = None,
) -> Figure:
    """Small multiples: one :func:`plot_trend` panel per KPI, in the leadkpi theme.

    ``window`` says what each panel covers (see :func:`plot_trend`); ``last``
    keeps only the last ``last`` months up to ``highlight`` (or to the latest).

    Returns
    -------
    matplotlib.figure.Figure
        A new figure owned by the caller.

    Examples
    --------
    >>> from leadkpi import compute, load
    >>> monthly = compute(load("leadkpi.yaml"), ["leads", "cac"], by=("month",))
    >>> fig = trend_grid(monthly, ["leads", "cac"], ncols=2)
    >>> [ax.get_title(loc="left") for ax in fig.axes]  # the theme's left titles
    ['Leads generated', 'Customer acquisition cost (CAC)']
    >>> plt.close(fig)
    """
    if last is not None and len(result):
        end = highlight if highlight is not None else result["month"].max()
        result = result[(result["month"] > end - last) & (result["month"] <= end)]
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
                result, kpi, ax=ax, highlight=highlight, lang=lang,
                currency=currency, mark=False,
            )  # fmt: skip
        for ax in axes.flat[len(kpis) :]:
            ax.set_visible(False)
        _window(fig, window, result, lang)
    return fig


def _window(
    fig: Figure, window: str | None, result: pd.DataFrame, lang: str
) -> None:
    """Say what a grid's panels cover and how they count, once, above them on the
    right (a mark in each panel's corner would run into long titles)."""
    mode = mode_of(result)
    words = [window[:1].upper() + window[1:]] if window else []
    if mode:
        words.append(text(f"mode_label_{mode}", lang).split(":")[0])
    if words:
        fig.suptitle(plain(" · ".join(words)), x=0.99, ha="right", fontsize=8,
                     color="0.35")  # fmt: skip


def dimension_grid(
    result: pd.DataFrame,
    kpis: Sequence[str],
    *,
    dim: str = "channel",
    lang: str = "en",
    currency: str = "EUR",
    window: str | None = None,
) -> Figure:
    """Side-by-side :func:`plot_by_dimension` panels, one per KPI (``window``: what
    they cover, written beside their mode).

    Returns
    -------
    matplotlib.figure.Figure
        A new figure owned by the caller.

    Examples
    --------
    >>> from leadkpi import compute, load
    >>> by_channel = compute(load("leadkpi.yaml"), ["leads", "spend"], by=("channel",))
    >>> fig = dimension_grid(by_channel, ["leads", "spend"])
    >>> len(fig.axes)
    2
    >>> plt.close(fig)
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
            plot_by_dimension(
                result, kpi, dim=dim, ax=ax, lang=lang, currency=currency, mark=False
            )
        _window(fig, window, result, lang)
    return fig
