"""Charts of retention tables: retention curves and LTV against CAC."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from leadkpi.arguments import require_columns
from leadkpi.exceptions import ArgumentError
from leadkpi.present.i18n import month_name, text
from leadkpi.present.plots._style import (
    PALETTE,
    channel_colours,
    channel_order,
    data_label,
    no_data,
    value_axis,
)
from leadkpi.present.tables import format_value
from leadkpi.retention import CURVE_COLUMNS, LTV_COLUMNS, LTV_TABLE_COLUMNS

__all__ = ["plot_retention_curves", "plot_ltv"]

#: Most cohorts named in the legend; more are shaded without a name each.
MAX_LEGEND_COHORTS = 12


def _groups(table: pd.DataFrame, known: tuple[str, ...]) -> list[str]:
    return [c for c in table.columns if c not in known]


def _cohort_lines(table: pd.DataFrame, ax: Axes, lang: str) -> None:
    dims = _groups(table, LTV_COLUMNS)
    if dims and len(table[dims].drop_duplicates()) > 1:
        raise ArgumentError(
            f"a retention matrix by {dims} holds several groups; keep one group "
            "(one line per cohort) or plot retention_curve(data, by=...) instead"
        )
    cells = table[table["mature"] & table["value"].notna()]
    cohorts = sorted(cells["cohort"].unique())
    shades = colormaps["Blues"](np.linspace(0.35, 1.0, max(len(cohorts), 1)))
    step = max(1, -(-len(cohorts) // MAX_LEGEND_COHORTS))
    for i, cohort in enumerate(cohorts):
        rows = cells[cells["cohort"] == cohort].sort_values("age")
        named = i % step == 0 or i == len(cohorts) - 1
        ax.plot(
            rows["age"],
            rows["value"],
            marker="o",
            markersize=2.5,
            linewidth=1.2,
            color=shades[i],
            label=month_name(cohort, lang) if named else "_nolegend_",
        )
    ax.legend(
        title=text("retention_cohort_legend", lang),
        fontsize=7,
        title_fontsize=8,
        ncol=2 if len(cohorts) > 6 else 1,
        frameon=False,
    )


def _group_lines(table: pd.DataFrame, ax: Axes, lang: str, group: str | None) -> None:
    dims = _groups(table, CURVE_COLUMNS)
    if group is not None and group not in table.columns:
        raise ArgumentError(
            f"group={group!r} is not a column of the table; it has {list(table)}"
        )
    group = group if group is not None else (dims[0] if dims else None)
    cells = table[table["value"].notna()]
    parts = (
        [(text("retention_all", lang), cells)]
        if group is None
        else [(data_label(k, lang), g) for k, g in cells.groupby(group, sort=False)]
    )
    colours = PALETTE if len(parts) <= len(PALETTE) else colormaps["tab10"].colors
    colours = [colours[i % len(colours)] for i in range(len(parts))]
    if group == "channel":  # the report's one order and colour per channel
        keys = channel_order(cells["channel"])
        parts = [(data_label(k, lang), cells[cells["channel"] == k]) for k in keys]
        colours = channel_colours(keys)
    for i, (name, rows) in enumerate(parts):
        rows = rows.sort_values("age")
        ax.plot(
            rows["age"],
            rows["value"],
            marker="o",
            markersize=3,
            color=colours[i],
            linewidth=1.5,
            label=name,
        )
    if group is not None:
        ax.legend(fontsize=8, frameon=False)


def plot_retention_curves(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    group: str | None = None,
) -> Axes:
    """Share of customers still active by months since their start.

    Parameters
    ----------
    table : pandas.DataFrame
        Either a :func:`leadkpi.retention.retention_matrix` result (one line per
        start-month cohort, mature cells only; for one group when it has ``by``
        columns) or a :func:`leadkpi.retention.retention_curve` result (one line
        per group: cohorts pooled by size in the package, not here).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    lang : {"en", "es"}
    group : str, optional
        With a curve table: the column whose values make the lines; default its
        first ``by`` column (one line when it has none).

    Examples
    --------
    >>> from leadkpi import load
    >>> from leadkpi.retention import retention_curve
    >>> curve = retention_curve(load("leadkpi.yaml"), by="channel", max_age=12)
    >>> fig, ax = plt.subplots()
    >>> len(plot_retention_curves(curve, ax=ax).lines)
    9
    >>> plt.close(fig)
    """
    require_columns(
        table,
        ("age", "value"),
        "plot_retention_curves",
        "leadkpi.retention_curve() or leadkpi.retention_matrix()",
    )
    ax = ax if ax is not None else plt.gca()
    if table.empty or not table["value"].notna().any():
        return no_data(ax, lang)
    if "cohort" in table.columns:
        _cohort_lines(table, ax, lang)
    else:
        _group_lines(table, ax, lang, group)
    ax.set_ylim(0, 1.05)
    value_axis(ax, "fraction", lang, "EUR")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(text("retention_age_axis", lang))
    ax.set_ylabel(text("retention_value_axis", lang))
    ax.set_title(text("retention_title", lang))
    return ax


def plot_ltv(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    currency: str = "EUR",
) -> Axes:
    """Realised and formula LTV per group as bars, CAC as a mark across each pair.

    Each bar is labelled with its LTV:CAC multiple where CAC is known, upright
    above it (labels of neighbouring bars never overlap); the legend sits beside
    the bars.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`leadkpi.retention.ltv_table` result.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    lang : {"en", "es"}
    currency : str
        ISO 4217 code of the amounts.

    Examples
    --------
    >>> from leadkpi import load
    >>> from leadkpi.retention import ltv_table
    >>> table = ltv_table(load("leadkpi.yaml"))
    >>> fig, ax = plt.subplots()
    >>> len(plot_ltv(table, ax=ax, lang="es").patches) == 2 * len(table)
    True
    >>> plt.close(fig)
    """
    require_columns(table, LTV_TABLE_COLUMNS, "plot_ltv", "leadkpi.ltv_table()")
    ax = ax if ax is not None else plt.gca()
    if table.empty:
        return no_data(ax, lang)
    dims = _groups(table, LTV_TABLE_COLUMNS)
    if dims == ["channel"]:  # the report's one channel order
        order = {c: i for i, c in enumerate(channel_order(table["channel"]))}
        table = table.sort_values("channel", key=lambda s: s.map(order))
    names = (
        table[dims]
        .astype(str)
        .agg(" · ".join, axis=1)
        .map(lambda v: data_label(v, lang))
        if dims
        else pd.Series([text("retention_all", lang)] * len(table))
    ).tolist()
    x = np.arange(len(table), dtype=float)
    horizon = int(table["horizon"].iloc[0])
    bars = (
        ("ltv_empirical", "ltv_to_cac_empirical", -0.2, PALETTE[0],
         text("ltv_empirical_bar", lang, months=horizon)),
        ("ltv_formula", "ltv_to_cac_formula", 0.2, PALETTE[2],
         text("ltv_formula_bar", lang)),
    )  # fmt: skip
    for column, multiple, shift, colour, name in bars:
        heights = table[column].to_numpy(dtype="float64")
        ax.bar(x + shift, heights, width=0.4, color=colour, label=name)
        for pos, height, times in zip(x + shift, heights, table[multiple], strict=True):
            if np.isfinite(height) and pd.notna(times):
                ax.annotate(  # upright: neighbouring bars' labels never overlap
                    format_value(times, "multiple", lang=lang), (pos, height),
                    xytext=(0, 2), textcoords="offset points", ha="center",
                    va="bottom", fontsize=7, rotation=90,
                )  # fmt: skip
    cac = table["cac"].to_numpy(dtype="float64")
    ax.plot(
        x, cac, linestyle="none", marker="_", markersize=26, markeredgewidth=2.5,
        color="0.15", label=text("ltv_cac_mark", lang),
    )  # fmt: skip
    ax.set_xticks(x, names, rotation=30, ha="right")
    value_axis(ax, "currency", lang, currency)
    ax.grid(axis="x", visible=False)
    ax.margins(y=0.15)  # room above the tallest bar for its label
    ax.legend(  # beside the bars, never over a bar or its label
        fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0)
    )
    ax.set_title(text("ltv_title", lang))
    return ax
