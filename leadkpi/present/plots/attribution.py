"""Attribution models side by side: one bar per model (or setting) for each channel."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from leadkpi.exceptions import ArgumentError
from leadkpi.present.i18n import text
from leadkpi.present.plots._style import (
    channel_order,
    data_label,
    no_data,
    series_colours,
    value_axis,
)

__all__ = ["plot_attribution"]

#: Unit of each value column an attribution table can hold.
_UNITS = {
    "conversions": "count",
    "customers": "count",
    "leads": "count",
    "share": "fraction",
    "revenue": "currency",
    "spend": "currency",
    "cpl": "currency",
    "cac": "currency",
    "roas": "multiple",
    "roi": "fraction",
}


def _check(table: pd.DataFrame, value: str, hue: str) -> None:
    for role, column in (("value", value), ("hue", hue), ("channel", "channel")):
        if column not in table.columns:
            raise ArgumentError(
                f"could not interpret {role}={column!r}: not a column of the table; "
                f"it has {list(table.columns)}"
            )
    if value not in _UNITS:
        raise ArgumentError(f"value={value!r}: expected one of {list(_UNITS)}")


def plot_attribution(
    table: pd.DataFrame,
    *,
    value: str = "conversions",
    hue: str = "model",
    ax: Axes | None = None,
    lang: str = "en",
    currency: str = "EUR",
) -> Axes:
    """Credit (or a cost KPI) per channel, one bar per model, side by side.

    Channels come in the report's one channel order
    (:func:`leadkpi.present.plots.channel_order`), first on top; ``channel · campaign``
    bars by their mean, largest on top.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`leadkpi.attribution.attribute`,
        :func:`~leadkpi.attribution.attribution_kpis` or
        :func:`~leadkpi.attribution.sensitivity` result (by channel, or by
        campaign: bars are then named ``channel · campaign``).
    value : str
        The column drawn: ``conversions``, ``share``, ``revenue``, or from
        ``attribution_kpis`` ``leads``, ``customers``, ``spend``, ``cpl``,
        ``cac``, ``roas``, ``roi``. Missing values (no spend, no credit) are
        left blank.
    hue : str
        The column whose values make the bars of a group: ``model``, or the
        setting a sensitivity table varied.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    lang : {"en", "es"}
    currency : str
        ISO 4217 code of money values.

    Channels without any value (a CAC where the spend table has no rows for
    the channel) get no row.

    Examples
    --------
    >>> from leadkpi import load
    >>> from leadkpi.attribution import attribute, journeys
    >>> credit = attribute(journeys(load("leadkpi.yaml")), models=["first_touch",
    ...                    "last_touch", "markov_1"])
    >>> fig, ax = plt.subplots()
    >>> len(plot_attribution(credit, ax=ax, lang="es").patches)
    30
    >>> plt.close(fig)
    """
    _check(table, value, hue)
    ax = ax if ax is not None else plt.gca()
    if table.empty or not table[value].notna().any():
        return no_data(ax, lang)
    keys = ["channel", "campaign"] if "campaign" in table.columns else ["channel"]
    name = table[keys].astype(str).agg(" · ".join, axis=1)
    wide = table.assign(_name=name).pivot_table(
        index="_name", columns=hue, values=value, sort=False, dropna=False
    )
    wide = wide[wide.notna().any(axis=1)]  # no bar at all: no row
    if keys == ["channel"]:  # the report's one channel order, first on top
        wide = wide.loc[channel_order(wide.index)[::-1]]
    else:
        wide = wide.loc[wide.mean(axis=1).sort_values(ascending=True).index]
    levels = list(dict.fromkeys(table[hue]))
    wide = wide[levels]
    colours = series_colours(len(levels))
    height = 0.8 / len(levels)
    y = np.arange(len(wide), dtype=float)
    for i, level in enumerate(levels):
        shown = data_label(level, lang) if isinstance(level, str) else f"{level:g}"
        ax.barh(
            y + 0.4 - height * (i + 0.5),  # first level on top
            wide[level].to_numpy(dtype=float),
            height=height,
            color=colours[i],
            label=shown,
        )
    ax.set_yticks(y, [data_label(v, lang) for v in wide.index])
    value_axis(ax, _UNITS[value], lang, currency, axis="x")
    ax.grid(axis="y", visible=False)
    legend = f"attribution_legend_{hue}"
    ax.legend(
        title=text(legend, lang) if hue in ("model", *_LEGENDS) else hue,
        fontsize=7, title_fontsize=8, frameon=False,
        loc="best",
    )  # fmt: skip
    ax.set_xlabel(text(f"attribution_axis_{value}", lang) if value in _AXES else value)
    return ax


_LEGENDS = ("lookback_days", "half_life_days")
_AXES = (
    "conversions",
    "share",
    "revenue",
    "customers",
    "leads",
    "spend",
    "cac",
    "cpl",
    "roas",
    "roi",
)
