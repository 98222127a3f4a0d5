"""The monthly report's outbound prospecting part: tables and sentences.

Numbers come from the engine (:func:`leadkpi.compute` on the ``outreach`` KPIs);
this module only lays them out, in English or Spanish.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown
from pandas.io.formats.style import Styler

from leadkpi.data import LeadData
from leadkpi.kpis.engine import compute
from leadkpi.outreach import OUTREACH_CHANNEL
from leadkpi.present.i18n import check_lang, markdown, month_name, text
from leadkpi.present.sections import Section, section
from leadkpi.present.tables import dimension_table, format_values

__all__ = ["OUTREACH_TABLE_KPIS", "outreach_section"]

#: The KPIs of the report's outreach tables, in column order.
OUTREACH_TABLE_KPIS = [
    "prospects_contacted",
    "acceptance_rate",
    "reply_rate",
    "meetings_booked",
    "meeting_rate",
    "conversion_rate_contacted",
]


def _has_outbound_costs(data: LeadData) -> bool:
    """Whether the costs table has rows in the outbound channel (else cost per
    meeting would divide nothing and read 0)."""
    costs = data.costs
    if costs is None or "channel" not in costs:
        return False
    return bool((costs["channel"] == OUTREACH_CHANNEL).fillna(False).any())


def _match_line(data: LeadData, month: pd.Period, lang: str) -> Markdown | None:
    table = data.outreach
    if "matched_by" not in table or data.leads is None:
        return None
    first = table["contacted_at"]
    wall = first.dt.tz_convert(data.config.timezone).dt.tz_localize(None)
    inside = (wall.dt.to_period("M") == month).fillna(False)
    prospects = int(inside.sum())
    if not prospects:
        return None
    # a lead created after the report's cut (data.as_of) is not known yet
    known = table["lead_id"].isin(data.leads["lead_id"]).fillna(False)
    matched = int((inside & known).sum())
    rate = format_values(pd.Series([matched / prospects]), "fraction", lang=lang)
    return markdown(
        "outreach_match",
        lang,
        matched=f"{matched:,}",
        prospects=f"{prospects:,}",
        rate=rate.iloc[0],
        unmatched=f"{prospects - matched:,}",
    )


def outreach_section(
    data: LeadData,
    period: pd.Period,
    *,
    lang: str = "en",
    currency: str = "EUR",
) -> Section:
    """The monthly report's "Outbound prospecting" part, in the order it is shown.

    A heading, then either one sentence saying the project has no outreach export,
    or: a note, the month's outreach KPIs with cost per meeting (by channel: the
    outbound one; without ``costs`` rows in that channel, a sentence saying so
    instead of a cost of 0), how many prospects match a lead, and the KPIs by sequence
    (``campaign``) and by sender (``owner``).

    Parameters
    ----------
    data : LeadData
    period : pandas.Period
        The report's month.
    lang : {"en", "es"}
    currency : str

    Returns
    -------
    Section
        Its parts (Markdown and Stylers; ``display(*parts)`` or display the
        section itself), built only when the project has an outreach export.

    Examples
    --------
    >>> from leadkpi import load
    >>> data = load("leadkpi.yaml")
    >>> parts = outreach_section(data, pd.Period("2026-10", "M"))
    >>> [type(p).__name__ for p in parts][:3]
    ['Markdown', 'Markdown', 'Styler']
    >>> bare = data.with_tables(outreach=None)
    >>> [p.data for p in outreach_section(bare, pd.Period("2026-10", "M"))][1]
    'Not available: needs an outreach export (see README).'
    """
    check_lang(lang)
    return section(
        data,
        "outreach",
        ["outreach"],
        lambda: _outreach_parts(data, period, lang, currency),
        lang=lang,
    )


def _outreach_parts(
    data: LeadData, period: pd.Period, lang: str, currency: str
) -> list[Markdown | Styler]:
    span = {"start": period, "end": period}
    costed = _has_outbound_costs(data)
    overall = [*OUTREACH_TABLE_KPIS, *(["cost_per_meeting"] if costed else [])]
    parts: list[Markdown | Styler] = [
        markdown("outreach_note", lang, month=month_name(period, lang)),
        dimension_table(
            compute(data, overall, by=("channel",), **span),
            "channel",
            overall,
            lang=lang,
            currency=currency,
        ),
    ]
    if not costed:
        parts.append(markdown("outreach_no_cost", lang, channel=OUTREACH_CHANNEL))
    matched = _match_line(data, period, lang)
    if matched is not None:
        parts.append(matched)
    for dim, title in (
        ("campaign", "outreach_by_campaign"),
        ("owner", "outreach_by_owner"),
    ):
        if dim not in data.outreach or data.outreach[dim].isna().all():
            continue
        result = compute(data, OUTREACH_TABLE_KPIS, by=(dim,), **span)
        shown = dim if dim == "campaign" else text("outreach_sender", lang)
        parts += [
            markdown(title, lang, level=3),
            dimension_table(
                result.rename(columns={dim: shown}),
                shown,
                OUTREACH_TABLE_KPIS,
                lang=lang,
                currency=currency,
            ),
        ]
    return parts
