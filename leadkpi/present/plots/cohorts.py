"""The cohort heatmap: cohorts as rows, months of age as columns.

It draws any table in the shared cohort shape (``cohort, age, size, count, value,
mature``): the funnel's conversion matrix and the retention and LTV matrices alike.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch, Rectangle

from leadkpi.arguments import require_columns
from leadkpi.exceptions import ArgumentError
from leadkpi.present.i18n import month_name, text
from leadkpi.present.plots._style import no_data, tick
from leadkpi.present.tables import format_value

__all__ = ["plot_cohort_heatmap", "HATCH"]

#: How cells that are not yet mature are drawn.
HATCH = "///"


def _cell_text(value: float, unit: str, lang: str, currency: str) -> str:
    if unit in ("currency", "count"):
        return tick(value, unit, lang, currency)
    return format_value(value, unit, lang=lang, currency=currency)


def plot_cohort_heatmap(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    value: str = "value",
    unit: str = "fraction",
    lang: str = "en",
    currency: str = "EUR",
) -> Axes:
    """Cohorts as rows (oldest first), months of age as columns, each cell coloured
    and annotated with its value; cells not yet mature are hatched and named in the
    legend.

    Parameters
    ----------
    table : pandas.DataFrame
        A cohort matrix (:func:`leadkpi.funnel.cohort_matrix` or a retention/LTV
        matrix) for one group: ``cohort`` (Period), ``age``, ``mature`` and
        ``value``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    value : str
        Column drawn.
    unit : {"fraction", "currency", "count", ...}
        How values are written (``currency`` for cumulative LTV).
    lang : {"en", "es"}
    currency : str
        ISO 4217 code for ``currency`` values.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from leadkpi import load
    >>> from leadkpi.funnel import cohort_matrix
    >>> matrix = cohort_matrix(load("leadkpi.yaml"), "sql", max_age=6)
    >>> fig, ax = plt.subplots()
    >>> plot_cohort_heatmap(matrix, ax=ax, lang="es") is ax
    True
    >>> ax.get_legend().get_texts()[0].get_text()
    'aún no maduro'
    >>> plt.close(fig)
    """
    require_columns(
        table,
        ("cohort", "age", "mature", value),
        "plot_cohort_heatmap",
        "leadkpi.cohort_matrix() or leadkpi.retention_matrix()",
    )
    ax = ax if ax is not None else plt.gca()
    if table.empty:
        return no_data(ax, lang)
    if table.duplicated(["cohort", "age"]).any():
        raise ArgumentError(
            "the cohort table has several rows per cohort and age; filter it to one "
            "group (one value of each by= column) before drawing it"
        )
    cohorts = pd.period_range(table["cohort"].min(), table["cohort"].max(), freq="M")
    ages = np.arange(int(table["age"].max()) + 1)
    grid = table.pivot(index="cohort", columns="age", values=value)
    grid = grid.reindex(index=cohorts, columns=ages).astype("float64")
    ripe = table.pivot(index="cohort", columns="age", values="mature")
    ripe = ripe.reindex(index=cohorts, columns=ages).fillna(False).astype(bool)
    values = np.ma.masked_where(~ripe.to_numpy() | grid.isna().to_numpy(), grid)
    extent = (-0.5, len(ages) - 0.5, len(cohorts) - 0.5, -0.5)
    ax.add_patch(
        Rectangle((-0.5, -0.5), len(ages), len(cohorts), hatch=HATCH, fill=False,
                  edgecolor="0.82", linewidth=0, zorder=0)
    )  # fmt: skip
    image = ax.imshow(values, cmap="Blues", aspect="auto", extent=extent, zorder=1,
                      interpolation="nearest")  # fmt: skip
    high = float(values.max()) if values.count() else 0.0
    rows, cols = np.nonzero(~values.mask) if values.count() else ((), ())
    small = 7 if len(ages) <= 14 else 5
    for r, c in zip(rows, cols, strict=True):
        v = float(values[r, c])
        ax.text(c, r, _cell_text(v, unit, lang, currency), ha="center",
                va="center", fontsize=small,
                color="white" if high and v > 0.6 * high else "0.15")  # fmt: skip
    step = max(1, -(-len(cohorts) // 12))
    ax.set_yticks(
        range(0, len(cohorts), step),
        [f"{month_name(p, lang)[:3].capitalize()} {p.year}" for p in cohorts[::step]],
    )
    ax.set_xticks(ages[:: max(1, -(-len(ages) // 12))])
    ax.set_xlabel(text("cohort_age_axis", lang))
    ax.set_ylabel(text("cohort_axis", lang))
    ax.grid(False)
    hatch = Patch(facecolor="white", edgecolor="0.6", hatch=HATCH,
                  label=text("not_yet_mature", lang))  # fmt: skip
    ax.legend(handles=[hatch], loc="lower right", bbox_to_anchor=(1.0, 1.0),
              frameon=False, fontsize=8)  # fmt: skip
    image.set_label(value)
    return ax
