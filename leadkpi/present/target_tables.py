"""Progress to relative targets formatted for a report (en/es).

Takes the table that :func:`leadkpi.target_progress` returned and only formats it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from leadkpi.exceptions import ArgumentError
from leadkpi.kpis.growth import PROGRESS_COLUMNS
from leadkpi.present.i18n import check_lang, month_name, quarter_name, text
from leadkpi.present.tables import (
    aligned,
    format_change,
    format_value,
    kpi_names,
    status_styles,
    with_footnotes,
)

__all__ = ["progress_table", "period_label"]


def period_label(period: pd.Period, lang: str = "en") -> str:
    """``October 2026`` for a month; ``2026Q4`` (Spanish ``T4 2026``) or ``2026``
    for a quarter or year.

    Examples
    --------
    >>> period_label(pd.Period("2026-10", "M"), "es"), period_label(
    ...     pd.Period("2026Q4", "Q-DEC"))
    ('octubre de 2026', '2026Q4')
    >>> period_label(pd.Period("2026Q4", "Q-DEC"), "es")
    'T4 2026'
    """
    if period.freqstr == "M":
        return month_name(period, lang)
    if period.freqstr.startswith("Q"):
        return quarter_name(period, lang)
    return str(period)


def progress_table(
    progress: pd.DataFrame, *, lang: str = "en", currency: str = "EUR"
) -> Styler:
    """One row per relative target: its period, target, value so far, progress,
    what is needed for the rest of the period, and status.

    Parameters
    ----------
    progress : pandas.DataFrame
        A :func:`leadkpi.target_progress` result.
    lang : {"en", "es"}
    currency : str

    Examples
    --------
    >>> from leadkpi import load, target_progress
    >>> progress = target_progress(load("leadkpi.yaml"), "2026-10", {
    ...     "leads": {"change": 0.10, "against": "same_quarter_last_year"}})
    >>> progress_table(progress).data.iloc[0].tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    ['Leads generated', '2026Q4', '+10.0% on 2025Q4 (957)', '358', '37.4%',
     '300 a month for 2 more months', 'on track']
    """
    check_lang(lang)
    missing = [c for c in PROGRESS_COLUMNS if c not in progress.columns]
    if missing:
        raise ArgumentError(
            "progress_table() needs a leadkpi.target_progress() result; the frame "
            f"has no {', '.join(missing)} column"
        )

    def value(v: float, unit: str) -> str:
        return format_value(v, unit, lang=lang, currency=currency)

    rows = progress.to_dict("records")  # one row per target: a handful
    targets, needed = [], []
    for row in rows:
        targets.append(
            text(
                "growth_target",
                lang,
                change=format_change(row["change"], lang=lang),
                reference=period_label(row["reference_period"], lang),
                value=value(row["target"], row["unit"]),
            )
        )
        left = int(row["months_left"])
        if row["needed_per"] in ("month", "rest") and np.isfinite(row["needed"]):
            key = {"month": "growth_per_month", "rest": "growth_rest"}[
                row["needed_per"]
            ]
            key = "growth_last_month" if left == 1 else key
            needed.append(
                text(key, lang, value=value(row["needed"], row["unit"]), months=left)
            )
        else:
            needed.append("")
    status = progress["status"].astype("object")
    table = pd.DataFrame(
        {
            text("kpi", lang): kpi_names(progress["kpi"], lang=lang),
            text("period", lang): [period_label(p, lang) for p in progress["period"]],
            text("target", lang): targets,
            text("growth_to_date", lang): [value(r["actual"], r["unit"]) for r in rows],
            text("growth_progress", lang): [
                format_value(p, "fraction", lang=lang) if np.isfinite(p) else ""
                for p in progress["progress"].to_numpy("float64")
            ],
            text("growth_needed", lang): needed,
            text("status", lang): [
                text(s, lang) if isinstance(s, str) else "" for s in status
            ],
        }
    )
    words = [text(c, lang) for c in ("kpi", "period", "target", "growth_needed")]
    styler = aligned(table, [*words, text("status", lang)])
    # on track reads as met, behind as missed
    colours = status.replace({"on_track": "met", "behind": "missed"})
    styler = styler.apply(
        lambda _: status_styles(colours), subset=[text("status", lang)]
    )
    styler = styler.set_table_attributes('class="leadkpi-table leadkpi-targets"')
    return with_footnotes(styler, [text("growth_note", lang)])
