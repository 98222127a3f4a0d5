"""Leads lost at each stage and the reasons deals are lost, formatted for a report.

The functions take the tidy tables of :func:`leadkpi.lost_by_stage` and
:func:`leadkpi.lost_reasons` and only format them: stage names localised, numbers
by their unit, the reasons as the CRM wrote them (escaped: they come from exports).
"""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from leadkpi.data import LeadData
from leadkpi.exceptions import ArgumentError
from leadkpi.funnel.lost import (
    LOST_COLUMNS,
    has_lost_reasons,
    lost_by_stage,
    lost_reasons,
)
from leadkpi.present.i18n import check_lang, label, markdown, text
from leadkpi.present.sections import Section
from leadkpi.present.tables import aligned, format_values

__all__ = ["lost_stage_table", "lost_reasons_table", "lost_section"]


def lost_section(
    data: LeadData, month: pd.Period, *, mode: str = "period", lang: str = "en"
) -> Section:
    """The monthly report's "why leads are lost" part, in the order it is shown.

    A heading, then either a note, the share of leads lost at each stage and the
    lost reasons overall and by channel in ``month``, or one sentence saying the
    exports carry no lost reasons.

    Returns
    -------
    Section
        Markdown and Styler parts; numbers ``lost_by_stage`` and ``lost_reasons``.

    Examples
    --------
    >>> from leadkpi import load
    >>> data = load("leadkpi.yaml")
    >>> parts = lost_section(data, pd.Period("2026-10", "M"))
    >>> [type(p).__name__ for p in parts]
    ['Markdown', 'Markdown', 'Styler', 'Styler', 'Styler']
    >>> bare = data.with_tables(deals=None)
    >>> [type(p).__name__ for p in lost_section(bare, pd.Period("2026-10", "M"))]
    ['Markdown', 'Markdown']
    """
    check_lang(lang)
    heading = markdown("lost", lang, level=3)
    if not has_lost_reasons(data):
        return Section([heading, markdown("lost_none", lang)])
    stages = lost_by_stage(data, mode=mode, start=month, end=month)
    reasons = [
        lost_reasons(data, by=by, start=month, end=month) for by in ((), ("channel",))
    ]
    parts = [
        heading,
        markdown("lost_note", lang),
        lost_stage_table(stages, lang=lang),
        *(lost_reasons_table(r, lang=lang) for r in reasons),
    ]
    return Section(parts, {"lost_by_stage": stages, "lost_reasons": reasons[1]})


def lost_stage_table(table: pd.DataFrame, *, lang: str = "en") -> Styler:
    """One row per stage: leads that reached it, lost at it, and the share lost.

    Examples
    --------
    >>> from leadkpi import load, lost_by_stage
    >>> shown = lost_stage_table(lost_by_stage(load("leadkpi.yaml"), start="2026-03",
    ...                                        end="2026-03"), lang="es")
    >>> list(shown.data.columns)
    ['Etapa', 'Alcanzaron', 'Perdidos', 'Proporción perdida']
    """
    check_lang(lang)
    shown = pd.DataFrame(
        {
            text("stage", lang): [label(str(s), lang) for s in table["stage"]],
            text("reached", lang): format_values(table["reached"], "count", lang=lang),
            text("lost_count", lang): format_values(table["lost"], "count", lang=lang),
            text("lost_share", lang): format_values(
                table["lost_share"], "fraction", lang=lang
            ),
        }
    )
    styler = aligned(shown, [text("stage", lang)])
    return styler.set_table_attributes('class="leadkpi-table"')


def lost_reasons_table(table: pd.DataFrame, *, lang: str = "en") -> Styler:
    """Lost deals by reason: with no grain, ``reason, lost, share``; with one
    dimension (``channel``, ``owner``, ``stage``), one row per reason and one
    column of counts per value of it, plus the total.

    Raises
    ------
    ArgumentError
        When ``table`` has more than one grain column.

    Examples
    --------
    >>> from leadkpi import load, lost_reasons
    >>> data = load("leadkpi.yaml")
    >>> shown = lost_reasons_table(lost_reasons(data, by=()), lang="en")
    >>> list(shown.data.columns)
    ['Reason', 'Lost', 'Share']
    >>> wide = lost_reasons_table(lost_reasons(data, by=("channel",)), lang="en")
    >>> wide.data.columns[-1]
    'Total'
    """
    check_lang(lang)
    keys = list(table.columns[: table.columns.get_loc(LOST_COLUMNS[0])])
    reason = text("reason", lang)
    if not keys:
        shown = pd.DataFrame(
            {
                reason: table["reason"].astype(str).to_numpy(),
                text("lost_count", lang): format_values(
                    table["lost"], "count", lang=lang
                ).to_numpy(),
                text("share", lang): format_values(
                    table["share"], "fraction", lang=lang
                ).to_numpy(),
            }
        )
        return aligned(shown, [reason]).set_table_attributes('class="leadkpi-table"')
    if len(keys) > 1:
        raise ArgumentError(f"expected at most one grouping column, got {keys}")
    dim = keys[0]
    wide = table.pivot_table(
        index="reason", columns=dim, values="lost", aggfunc="sum", fill_value=0
    )
    wide[text("total", lang)] = wide.sum(axis=1)
    wide = wide.sort_values(text("total", lang), ascending=False, kind="stable")
    shown = pd.DataFrame({reason: wide.index.astype(str)})
    for column in wide.columns:
        name = column if column == text("total", lang) else label(str(column), lang)
        shown[name] = format_values(
            wide[column].reset_index(drop=True), "count", lang=lang
        )
    return aligned(shown, [reason]).set_table_attributes('class="leadkpi-table"')
