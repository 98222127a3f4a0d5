"""Weekly series of one focus (a campaign or channel) against the rest of the
account: :func:`leadkpi.deep_dive.weekly` results."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd
from babel.dates import format_date
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from leadkpi.present.i18n import LOCALES, text
from leadkpi.present.plots._style import (
    PALETTE,
    data_label,
    kpi_name,
    mode_mark,
    no_data,
    rows_of,
    theme,
    value_axis,
)

__all__ = ["plot_weeks", "weeks_grid"]

_REST = "rest"


def plot_weeks(
    result: pd.DataFrame,
    kpi: str,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    currency: str = "EUR",
) -> Axes:
    """One KPI week by week: the focus as a solid line, the rest dashed.

    Parameters
    ----------
    result : pandas.DataFrame
        A :func:`leadkpi.compute` result by ``week`` and ``focus`` (what
        :func:`leadkpi.deep_dive.weekly` returns) that includes ``kpi``.
    kpi : str
        The KPI drawn.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from leadkpi import load
    >>> from leadkpi.deep_dive import focus, weekly
    >>> view = focus(load("leadkpi.yaml"), channel="paid_search")
    >>> weeks = weekly(view, "2026-09-01", "2026-10-31")
    >>> fig, ax = plt.subplots()
    >>> ax = plot_weeks(weeks, "leads", ax=ax)
    >>> [line.get_label() for line in ax.lines]
    ['Paid search', 'Rest of the account']
    >>> plt.close(fig)
    """
    ax = ax if ax is not None else plt.gca()
    rows = rows_of(result, kpi, "plot_weeks", ("week", "focus")).sort_values("week")
    names = sorted(rows["focus"].unique(), key=lambda v: (v == _REST, str(v)))
    for i, name in enumerate(names):
        part = rows[rows["focus"] == name]
        rest = name == _REST
        ax.plot(
            part["week"].dt.start_time,
            part["value"],
            marker="o",
            markersize=2.5,
            linestyle="--" if rest else "-",
            color=PALETTE[5] if rest else PALETTE[i % 5],
            label=text("deep_dive_rest", lang) if rest else data_label(name, lang),
        )
    ax.set_title(kpi_name(kpi, lang))
    mode_mark(ax, rows, lang)
    values = rows["value"].dropna()
    if values.empty:
        return no_data(ax, lang)
    ax.set_ylim(min(0.0, values.min() * 1.1), max(0.0, values.max() * 1.1) or 1.0)
    value_axis(ax, rows["unit"].iloc[0], lang, currency)
    weeks = pd.Series(rows["week"].unique()).sort_values()
    ticks = weeks.iloc[:: max(1, -(-len(weeks) // 5))]
    ax.set_xticks([w.start_time for w in ticks])
    ax.set_xticklabels(
        [format_date(w.start_time.date(), "d MMM", locale=LOCALES[lang]) for w in ticks]
    )
    return ax


def weeks_grid(
    result: pd.DataFrame,
    kpis: Sequence[str],
    *,
    ncols: int = 3,
    lang: str = "en",
    currency: str = "EUR",
) -> Figure:
    """Small multiples: one :func:`plot_weeks` panel per KPI, one legend.

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
            figsize=(3.6 * ncols, 2.5 * nrows + 0.4),
            layout="constrained",
            squeeze=False,
        )
        for ax, kpi in zip(axes.flat, kpis, strict=False):
            plot_weeks(result, kpi, ax=ax, lang=lang, currency=currency)
        for ax in axes.flat[len(kpis) :]:
            ax.set_visible(False)
        handles, labels = axes.flat[0].get_legend_handles_labels()
        if handles:
            fig.legend(
                handles, labels, loc="outside lower center", ncols=2, frameon=False
            )
    return fig
