"""Charts of a lead score's evaluation: gains curve, calibration, score bands.

Each draws a table from :func:`leadkpi.scoring.evaluate` (or several stacked with
:func:`leadkpi.scoring.stack`, one line or bar group per ``scorer``).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from babel.numbers import format_percent
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from leadkpi.exceptions import ArgumentError
from leadkpi.present.i18n import LOCALES, check_lang, text
from leadkpi.present.plots._style import data_label, no_data, series_colours

__all__ = ["plot_gains", "plot_calibration", "plot_score_bands"]

_GAINS = ("decile", "leads", "cumulative_gain")
_CALIBRATION = ("bin", "mean_predicted", "observed_rate", "ci_low", "ci_high")
_BANDS = ("band", "rate", "ci_low", "ci_high")


def _percent(lang: str) -> FuncFormatter:
    """Whole-percent ticks as the language writes them: ``40%`` / ``40 %``."""
    return FuncFormatter(lambda v, _: format_percent(v, locale=LOCALES[lang]))


def _groups(table: pd.DataFrame, columns: tuple[str, ...], what: str) -> list:
    """The table's groups (by the columns before ``columns[0]``) as (name, rows)."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ArgumentError(
            f"{what} needs the columns {', '.join(missing)}; the table has "
            f"{', '.join(map(str, table.columns))}"
        )
    keys = list(table.columns[: table.columns.get_loc(columns[0])])
    if not keys:
        return [("", table)]
    return [
        (" · ".join(str(k) for k in (key if isinstance(key, tuple) else (key,))), rows)
        for key, rows in table.groupby(keys, sort=False)
    ]


def plot_gains(
    table: pd.DataFrame, *, ax: Axes | None = None, lang: str = "en"
) -> Axes:
    """Cumulative gains: share of conversions against share of leads, best scored
    first, with the diagonal of a random order.

    Parameters
    ----------
    table : pandas.DataFrame
        ``Evaluation.gains``, or gains of several scores stacked with
        :func:`leadkpi.scoring.stack` (one line per ``scorer``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    lang : {"en", "es"}

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from leadkpi.scoring import evaluate
    >>> fig, ax = plt.subplots()
    >>> ax = plot_gains(evaluate([0, 1, 0, 1, 1], [1, 5, 2, 4, 3]).gains, ax=ax)
    >>> ax.get_xlabel()
    'Share of leads, best scored first'
    >>> plt.close(fig)
    """
    check_lang(lang)
    ax = ax if ax is not None else plt.gca()
    groups = _groups(table, _GAINS, "plot_gains")
    if table.empty:
        return no_data(ax, lang)
    colours = series_colours(len(groups))
    for i, (name, rows) in enumerate(groups):
        share = np.concatenate([[0.0], rows["leads"].cumsum() / rows["leads"].sum()])
        gain = np.concatenate([[0.0], rows["cumulative_gain"].to_numpy()])
        ax.plot(share, gain, marker="o", ms=3, color=colours[i],
                label=data_label(name, lang) or None)  # fmt: skip
    ax.plot([0, 1], [0, 1], ls="--", color="0.6", label=text("gains_random", lang))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(_percent(lang))
    ax.set_xlabel(text("gains_x", lang))
    ax.set_ylabel(text("gains_y", lang))
    ax.legend(frameon=False, loc="lower right")
    return ax


def plot_calibration(
    table: pd.DataFrame, *, ax: Axes | None = None, lang: str = "en"
) -> Axes:
    """Reliability diagram: observed conversion rate (with its 95 % interval)
    against the mean predicted probability of each bin, and the diagonal of a
    perfectly calibrated score.

    Parameters
    ----------
    table : pandas.DataFrame
        ``Evaluation.calibration``, or several stacked with
        :func:`leadkpi.scoring.stack`.
    ax : matplotlib.axes.Axes, optional
    lang : {"en", "es"}

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from leadkpi.scoring import evaluate
    >>> fig, ax = plt.subplots()
    >>> result = evaluate([0, 1, 0, 1], [0.1, 0.8, 0.3, 0.6])
    >>> plot_calibration(result.calibration, ax=ax, lang="es").get_ylabel()
    'Tasa observada (IC 95 %)'
    >>> plt.close(fig)
    """
    check_lang(lang)
    ax = ax if ax is not None else plt.gca()
    groups = _groups(table, _CALIBRATION, "plot_calibration")
    if table.empty:
        return no_data(ax, lang)
    top = 0.0
    colours = series_colours(len(groups))
    for i, (name, rows) in enumerate(groups):
        x = rows["mean_predicted"].to_numpy(dtype=float)
        y = rows["observed_rate"].to_numpy(dtype=float)
        err = np.vstack([y - rows["ci_low"], rows["ci_high"] - y])
        ax.errorbar(x, y, yerr=err, marker="o", ms=4, capsize=2, color=colours[i],
                    label=data_label(name, lang) or None)  # fmt: skip
        top = max(top, float(np.nanmax(x)), float(np.nanmax(y)))
    top = min(1.0, top * 1.2 or 1.0)  # long intervals of small bins may run off
    ax.plot([0, top], [0, top], ls="--", color="0.6",
            label=text("calibration_ideal", lang))  # fmt: skip
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(_percent(lang))
    ax.set_xlabel(text("calibration_x", lang))
    ax.set_ylabel(text("calibration_y", lang))
    ax.legend(frameon=False, loc="upper left")
    return ax


def plot_score_bands(
    table: pd.DataFrame, *, ax: Axes | None = None, lang: str = "en"
) -> Axes:
    """Conversion rate by score band, highest band first, with 95 % intervals.

    Parameters
    ----------
    table : pandas.DataFrame
        ``Evaluation.bands`` (or several stacked with :func:`leadkpi.scoring.stack`:
        bars side by side per scorer, each with its own bands).
    ax : matplotlib.axes.Axes, optional
    lang : {"en", "es"}

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from leadkpi.scoring import evaluate
    >>> fig, ax = plt.subplots()
    >>> result = evaluate([0, 1, 0, 1, 1], [1, 5, 2, 4, 3], bands=[3])
    >>> [t.get_text() for t in plot_score_bands(result.bands, ax=ax).get_xticklabels()]
    ['≥ 3', '< 3']
    >>> plt.close(fig)
    """
    check_lang(lang)
    ax = ax if ax is not None else plt.gca()
    groups = _groups(table, _BANDS, "plot_score_bands")
    if table.empty:
        return no_data(ax, lang)
    ticks, names = [], []
    start = 0
    colours = series_colours(len(groups))
    for i, (name, rows) in enumerate(groups):
        x = start + np.arange(len(rows)) if len(groups) > 1 else np.arange(len(rows))
        rate = rows["rate"].to_numpy(dtype=float)
        err = np.vstack([rate - rows["ci_low"], rows["ci_high"] - rate])
        ax.bar(x, rate, width=0.8 if len(groups) > 1 else 0.7, color=colours[i],
               label=data_label(name, lang) or None)  # fmt: skip
        ax.errorbar(x, rate, yerr=err, fmt="none", ecolor="0.3", capsize=3)
        ticks += list(x)
        names += [str(b) for b in rows["band"]]
        start += len(rows) + 1
    ax.set_xticks(ticks)
    ax.set_xticklabels(names)
    ax.yaxis.set_major_formatter(_percent(lang))
    ax.set_xlabel(text("bands_x", lang))
    ax.set_ylabel(text("bands_y", lang))
    if len(groups) > 1:
        ax.legend(frameon=False)
    return ax
