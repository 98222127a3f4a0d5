"""Charts of funnel tables: the funnel and the time-to-stage curve."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from leadkpi.arguments import require_columns
from leadkpi.funnel.cohorts import TIME_TO_STAGE_COLUMNS
from leadkpi.funnel.table import FUNNEL_COLUMNS
from leadkpi.present.i18n import text
from leadkpi.present.plots._style import (
    PALETTE,
    data_label,
    mode_mark,
    no_data,
    tick,
    value_axis,
)
from leadkpi.present.tables import format_value

__all__ = ["plot_funnel", "plot_time_to_stage", "LOG_RATIO"]

#: Above this ratio of the first stage to the second the funnel is drawn on a log
#: scale by default.
LOG_RATIO = 20.0


def plot_funnel(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    log: bool | None = None,
) -> Axes:
    """A funnel: one bar per stage, labelled with its count and the conversion from
    the stage before.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`leadkpi.funnel.funnel` result for one funnel (no grain columns, or
        filtered to one cell): ``stage, count, from_previous``, top of the funnel
        first. A stage that could not be counted (NaN count) is labelled "n/a".
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    lang : {"en", "es"}
    log : bool, optional
        Draw the counts on a log scale. Default: when the largest count is more
        than :data:`LOG_RATIO` times the second stage's (sessions above leads), so
        that the lower stages stay visible.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from leadkpi import load
    >>> from leadkpi.funnel import funnel
    >>> fig, ax = plt.subplots()
    >>> table = funnel(load("leadkpi.yaml"), start="2026-01", end="2026-06")
    >>> plot_funnel(table, ax=ax) is ax, len(ax.patches)
    (True, 6)
    >>> plt.close(fig)
    """
    require_columns(table, FUNNEL_COLUMNS, "plot_funnel", "leadkpi.funnel()")
    ax = ax if ax is not None else plt.gca()
    if table.empty:
        return no_data(ax, lang)
    y = list(range(len(table)))[::-1]
    counts = table["count"].astype("float64")
    drawn = counts.fillna(0)
    ax.barh(y, drawn, color=PALETTE[0], height=0.7)
    for pos, count, share in zip(y, counts, table["from_previous"], strict=True):
        if pd.isna(count):
            words = text("not_available", lang)
        else:
            words = format_value(count, "count", lang=lang)
            if pd.notna(share):
                words += f"  ({format_value(share, 'fraction', lang=lang)})"
        ax.text(0 if pd.isna(count) else count, pos, "  " + words, va="center",
                fontsize=9)  # fmt: skip
    ax.set_yticks(y, [data_label(s, lang) for s in table["stage"]])
    top = max(float(drawn.max()), 1.0)
    if log is None:
        second = float(drawn.iloc[1]) if len(drawn) > 1 else top
        log = second > 0 and top > LOG_RATIO * second
    if log:
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(
            FuncFormatter(lambda v, _: tick(v, "count", lang, "EUR"))
        )
        ax.set_xlim(max(float(drawn[drawn > 0].min()), 1.0) / 3, top * 8)
        ax.set_xlabel(text("log_scale", lang), fontsize=8)
    else:
        ax.set_xlim(0, top * 1.35)
        ax.set_xlabel("")
    ax.grid(axis="y", visible=False)
    mode_mark(ax, table, lang)
    return ax


def plot_time_to_stage(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    stage: str = "customer",
) -> Axes:
    """Share of leads that reached a stage by days since creation: one step curve
    per group, with its 95 % interval as a band.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`leadkpi.funnel.time_to_stage` result; the columns before ``days``
        are the groups (one curve each).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    lang : {"en", "es"}
    stage : str
        The stage the table follows, for the axis label.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from leadkpi import load
    >>> from leadkpi.funnel import time_to_stage
    >>> curve = time_to_stage(load("leadkpi.yaml"), "sql", by=("channel",))
    >>> fig, ax = plt.subplots()
    >>> plot_time_to_stage(curve, ax=ax, stage="sql") is ax, len(ax.lines)
    (True, 9)
    >>> plt.close(fig)
    """
    require_columns(
        table, TIME_TO_STAGE_COLUMNS, "plot_time_to_stage", "leadkpi.time_to_stage()"
    )
    ax = ax if ax is not None else plt.gca()
    if table.empty:
        return no_data(ax, lang)
    keys = list(table.columns[: table.columns.get_loc(TIME_TO_STAGE_COLUMNS[0])])
    groups = table.groupby(keys, sort=False) if keys else [((), table)]
    for i, (name, rows) in enumerate(groups):
        colour = PALETTE[i % len(PALETTE)]
        days = np.r_[0, rows["days"].to_numpy(dtype="float64")]
        values = [np.r_[0.0, rows[c].to_numpy(dtype="float64")]
                  for c in ("reached", "ci_low", "ci_high")]  # fmt: skip
        parts = name if isinstance(name, tuple) else (name,)
        title = ", ".join(data_label(p, lang) for p in parts)
        ax.step(days, values[0], where="post", color=colour,
                label=title or text("all_leads", lang))  # fmt: skip
        ax.fill_between(days, values[1], values[2], step="post", color=colour,
                        alpha=0.18, linewidth=0)  # fmt: skip
    value_axis(ax, "fraction", lang, "EUR")
    ax.set_ylim(bottom=0)
    ax.set_xlim(left=0)
    ax.set_xlabel(text("days_since_creation", lang))
    ax.set_ylabel(text("share_reached", lang, stage=data_label(stage, lang)))
    if keys:
        ax.legend(frameon=False, fontsize=8)
    return ax
