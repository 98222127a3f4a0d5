"""Charts of the time-between-stages and speed-to-lead tables."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from leadkpi.arguments import require_columns
from leadkpi.exceptions import ArgumentError
from leadkpi.funnel.speed import BEFORE_CREATED
from leadkpi.present.i18n import text
from leadkpi.present.plots._style import PALETTE, data_label, no_data, value_axis

__all__ = ["plot_stage_durations", "plot_response_buckets", "DURATION_UNITS"]

#: Units of the duration axis: (name, seconds), picked as the largest unit in
#: which the longest whisker is at least 2.
DURATION_UNITS = (("minutes", 60.0), ("hours", 3600.0), ("days", 86_400.0))
_STATS = ("from_stage", "to_stage", "count", "median", "p25", "p75", "p90", "mean")
_BUCKET_COLUMNS = ("bucket", "leads", "conversion_rate", "ci_low", "ci_high")


def _require(
    table: pd.DataFrame, columns: tuple[str, ...], what: str, source: str
) -> list[str]:
    require_columns(table, columns, what, source)
    stop = "from_stage" if "from_stage" in columns else "bucket"
    return list(table.columns[: table.columns.get_loc(stop)])


def _cell(row: dict, keys: list[str], lang: str) -> str:
    return " · ".join(data_label(row[k], lang) for k in keys)


def _unit(longest: float) -> tuple[str, float]:
    name, size = DURATION_UNITS[0]
    for candidate, seconds in DURATION_UNITS:
        if longest >= 2 * seconds:
            name, size = candidate, seconds
    return name, size


def plot_stage_durations(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """One horizontal box per row of a time-between-stages table.

    Each box is drawn from the row's quantiles (no raw durations are needed): the
    box spans p25 to p75, the line is the median, the whisker reaches p90 on the
    right (there is no lower whisker: the table has no low percentile) and a dot
    marks the mean. Rows without durations (``count`` 0) are left out. The axis
    is in minutes, hours or days, whichever reads best.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`leadkpi.funnel.durations.time_between` or
        :func:`~leadkpi.funnel.durations.stage_durations` result; grain columns
        (``channel``, ``month``) are added to the box labels.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    lang : {"en", "es"}

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from leadkpi import load
    >>> from leadkpi.funnel.durations import stage_durations
    >>> fig, ax = plt.subplots()
    >>> ax = plot_stage_durations(stage_durations(load("leadkpi.yaml")), ax=ax)
    >>> [t.get_text() for t in ax.get_yticklabels()][0]
    'Lead → MQL'
    >>> plt.close(fig)
    """
    ax = ax if ax is not None else plt.gca()
    keys = _require(table, _STATS, "plot_stage_durations", "leadkpi.stage_durations()")
    rows = table[table["count"] > 0]
    if rows.empty:
        return no_data(ax, lang)
    unit, size = _unit(float(rows["p90"].max()))
    pairs = [
        " → ".join(
            data_label(f"stage:{row[s]}", lang) for s in ("from_stage", "to_stage")
        )
        for row in rows[["from_stage", "to_stage"]].to_dict("records")
    ]
    if keys:
        cells = [_cell(row, keys, lang) for row in rows[keys].to_dict("records")]
    else:  # a frame without columns has no records on pandas 2
        cells = [""] * len(rows)
    single = bool(keys) and len(set(pairs)) == 1  # one pair by cell: label the cells
    boxes = [
        {
            "label": cell if single else (f"{pair} · {cell}" if cell else pair),
            "med": med / size,
            "q1": q1 / size,
            "q3": q3 / size,
            "whislo": q1 / size,
            "whishi": p90 / size,
            "mean": mean / size,
            "fliers": [],
        }
        for pair, cell, med, q1, q3, p90, mean in zip(
            pairs, cells, rows["median"], rows["p25"], rows["p75"], rows["p90"],
            rows["mean"], strict=True,
        )
    ]  # fmt: skip
    positions = np.arange(len(boxes))[::-1]  # first row at the top
    ax.bxp(
        boxes,
        positions=positions,
        orientation="horizontal",
        patch_artist=True,
        showmeans=True,
        widths=0.6,
        boxprops={"facecolor": PALETTE[0], "alpha": 0.8},
        medianprops={"color": "white", "linewidth": 2},
        meanprops={"marker": "o", "markerfacecolor": PALETTE[1],
                   "markeredgecolor": "white"},
    )  # fmt: skip
    axis = text("speed_duration_axis", lang, unit=text(f"speed_unit_{unit}", lang))
    ax.set_xlabel(f"{pairs[0]}: {axis}" if single else axis)
    ax.set_xlim(left=0)
    ax.grid(axis="y", visible=False)
    ax.set_title(text("speed_box_caption", lang), fontsize=8, loc="left")
    return ax


def plot_response_buckets(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """Leads per response-time bucket (bars) and their conversion rate (points
    with the 95 % interval, on a twin axis created from ``ax``).

    The flagged bucket (responses dated before the lead's creation) is drawn only
    when it has leads. Buckets without leads have a bar of 0 and no point.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`leadkpi.funnel.speed.response_buckets` result for one cell: no
        grain columns, or grain columns with a single value each (filter the table
        to one owner or channel first).
    ax : matplotlib.axes.Axes, optional
        Where the bars are drawn; default the current Axes. The rate goes on
        ``ax.twinx()`` (same figure).
    lang : {"en", "es"}

    Returns
    -------
    matplotlib.axes.Axes
        ``ax`` (the bars' Axes).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from leadkpi import load
    >>> from leadkpi.funnel.speed import response_buckets
    >>> fig, ax = plt.subplots()
    >>> ax = plot_response_buckets(response_buckets(load("leadkpi.yaml")), ax=ax)
    >>> len(ax.patches)  # no lead is dated before its creation: six buckets
    6
    >>> plt.close(fig)
    """
    ax = ax if ax is not None else plt.gca()
    keys = _require(
        table, _BUCKET_COLUMNS, "plot_response_buckets", "leadkpi.response_buckets()"
    )
    several = [k for k in keys if table[k].nunique(dropna=False) > 1]
    if several:
        raise ArgumentError(
            f"plot_response_buckets draws one cell; the table has several values of "
            f"{', '.join(several)} (select one first)"
        )
    flagged = (table["bucket"] == BEFORE_CREATED) & (table["leads"] == 0)
    table = table[~flagged.to_numpy()]  # the data-error bucket shows when it has leads
    if table.empty:
        return no_data(ax, lang)
    x = np.arange(len(table))
    ax.bar(x, table["leads"], color=PALETTE[0], alpha=0.8, width=0.7)
    ax.set_xticks(x, [data_label(b, lang) for b in table["bucket"]])
    ax.set_xlabel(text("speed_bucket_axis", lang))
    ax.set_ylabel(text("speed_leads_axis", lang))
    value_axis(ax, "count", lang, "EUR")
    ax.grid(axis="x", visible=False)
    rate = ax.twinx()
    shown = table["conversion_rate"].notna().to_numpy()
    rates = table["conversion_rate"].to_numpy(dtype=float)[shown]
    low = table["ci_low"].to_numpy(dtype=float)[shown]
    high = table["ci_high"].to_numpy(dtype=float)[shown]
    rate.errorbar(
        x[shown], rates, yerr=[rates - low, high - rates], fmt="o",
        color=PALETTE[1], ecolor=PALETTE[1], capsize=3, linewidth=1.2,
    )  # fmt: skip
    rate.set_ylim(bottom=0)
    rate.set_ylabel(text("speed_conversion_axis", lang), color=PALETTE[1])
    value_axis(rate, "fraction", lang, "EUR")
    rate.grid(visible=False)
    return ax
