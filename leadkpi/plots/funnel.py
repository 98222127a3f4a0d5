"""Charts of funnel tables."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

from leadkpi.i18n import label
from leadkpi.plots._style import PALETTE
from leadkpi.tables import format_value

__all__ = ["plot_funnel"]

# default stage ids → the labels of their count KPIs
_STAGE_LABELS = {
    "lead": "leads",
    "mql": "mqls",
    "sql": "sqls",
    "opportunity": "opportunities",
    "customer": "customers",
}


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
