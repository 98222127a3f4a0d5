"""The monthly report's analysis sections, each one notebook cell and one call.

Every function computes its analysis for the report month (or the twelve months up
to it), draws it on a figure of its own and returns a
:class:`~leadkpi.present.sections.Section`: heading, chart, tables and notes, plus the
tables behind them for the sidecar. A section whose input the project lacks (no
customers export, no touches, no first-response times) is its heading and one
"not available" line; the rest of the report renders.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from leadkpi.attribution import attribution_kpis
from leadkpi.checks import checks
from leadkpi.data import LeadData
from leadkpi.funnel import (
    cohort_matrix,
    funnel,
    response_buckets,
    speed_to_lead,
    stage_durations,
    time_to_stage,
)
from leadkpi.kpis import HEADLINE, compute, target_progress
from leadkpi.present.analysis_tables import (
    ltv_display_table,
    ltv_note,
    speed_note,
    speed_table,
)
from leadkpi.present.attribution_tables import attribution_note, attribution_table
from leadkpi.present.findings_tables import findings_markdown
from leadkpi.present.i18n import markdown, month_name
from leadkpi.present.plots import (
    plot_attribution,
    plot_cohort_heatmap,
    plot_funnel,
    plot_ltv,
    plot_response_buckets,
    plot_retention_curves,
    plot_stage_durations,
    plot_time_to_stage,
    theme,
)
from leadkpi.present.plots.kpi import dimension_grid, trend_grid
from leadkpi.present.quality_tables import checks_table
from leadkpi.present.sections import Section, section
from leadkpi.present.summary_tables import (
    campaign_html,
    dimension_html,
    tiles_html,
    window_label,
)
from leadkpi.present.tables import accounting_table, rejects_table
from leadkpi.present.target_tables import progress_table
from leadkpi.retention import ltv_table, retention_curve
from leadkpi.summary import TILE_KPIS, dimension_numbers
from leadkpi.summary import tiles as summary_tiles
from leadkpi.summary_findings import findings

__all__ = [
    "title_section",
    "summary_section",
    "targets_section",
    "trend_section",
    "channels_section",
    "quality_section",
    "funnel_section",
    "cohorts_section",
    "durations_section",
    "speed_section",
    "retention_section",
    "attribution_section",
    "MAX_LINES",
]

#: Most lines a chart of the report draws; beyond it the smallest groups are pooled.
MAX_LINES = 5


def _year(month: pd.Period) -> dict[str, pd.Period]:
    """The twelve months up to ``month``."""
    return {"start": month - 11, "end": month}


def _as_of(month: pd.Period, as_of: object | None) -> pd.Timestamp:
    return pd.Timestamp(month.end_time) if as_of is None else pd.Timestamp(as_of)


def funnel_section(
    data: LeadData, month: pd.Period, *, mode: str = "period", lang: str = "en"
) -> Section:
    """The funnel of ``month`` (sessions → … → customers), counted in ``mode``.

    Numbers: ``funnel`` (the :func:`leadkpi.funnel` table).

    Examples
    --------
    >>> from leadkpi import load
    >>> part = funnel_section(load("leadkpi.yaml"), pd.Period("2026-10", "M"))
    >>> [type(p).__name__ for p in part], list(part.numbers)
    (['Markdown', 'Figure', 'Markdown'], ['funnel'])
    """

    def build() -> Section:
        stages = funnel(data, mode=mode, start=month, end=month)
        with theme():
            fig = Figure(figsize=(8, 3))
            plot_funnel(stages, ax=fig.gca(), lang=lang)
        return Section([fig, markdown("funnel_note", lang)], {"funnel": stages})

    return section(data, "funnel", ["leads"], build, lang=lang)


def cohorts_section(
    data: LeadData,
    month: pd.Period,
    *,
    as_of: object | None = None,
    lang: str = "en",
) -> Section:
    """Conversion to customer by creation month, and the time it takes.

    Numbers: ``cohorts`` (:func:`leadkpi.cohort_matrix`) and ``time_to_customer``
    (:func:`leadkpi.time_to_stage`), over the twelve months up to ``month``, as
    known at ``as_of`` (default the end of ``month``).
    """

    def build() -> Section:
        when = _as_of(month, as_of)
        cohorts = cohort_matrix(data, "customer", as_of=when, **_year(month))
        reached = time_to_stage(data, "customer", as_of=when, **_year(month))
        with theme():
            fig = Figure(figsize=(11, 4.2), layout="constrained")
            left, right = fig.subplots(1, 2, width_ratios=(3, 2))
            plot_cohort_heatmap(cohorts, ax=left, lang=lang)
            plot_time_to_stage(reached, ax=right, lang=lang)
        parts = [
            fig,
            markdown("cohorts_note", lang),
            markdown("time_to_stage_note", lang),
        ]
        return Section(parts, {"cohorts": cohorts, "time_to_customer": reached})

    return section(data, "cohorts", ["leads"], build, lang=lang)


def durations_section(data: LeadData, month: pd.Period, *, lang: str = "en") -> Section:
    """Time between consecutive stages over the twelve months up to ``month``.

    Numbers: ``durations`` (:func:`leadkpi.stage_durations`).
    """

    def build() -> Section:
        durations = stage_durations(data, **_year(month))
        with theme():
            fig = Figure(figsize=(8, 3))
            plot_stage_durations(durations, ax=fig.gca(), lang=lang)
        parts = [fig, markdown("durations_note", lang)]
        return Section(parts, {"durations": durations})

    return section(data, "durations", ["leads"], build, lang=lang)


def speed_section(data: LeadData, month: pd.Period, *, lang: str = "en") -> Section:
    """Speed to lead over the twelve months up to ``month``: conversion by
    response time, and each owner's response times against the SLA.

    Needs the leads' ``first_response_at`` and ``owner``. Numbers:
    ``response_buckets`` and ``speed`` (by owner).

    Examples
    --------
    >>> from leadkpi import load
    >>> data = load("leadkpi.yaml")
    >>> bare = data.with_tables(leads=data.leads.drop(columns="first_response_at"))
    >>> [p.data for p in speed_section(bare, pd.Period("2026-10", "M"))][1]
    'Not available: needs first-response times in the leads export (see README).'
    """

    def build() -> Section:
        buckets = response_buckets(data, **_year(month))
        with theme():
            fig = Figure(figsize=(8, 3.4))
            plot_response_buckets(buckets, ax=fig.gca(), lang=lang)
        speed = speed_to_lead(data, by=("owner",), **_year(month))
        parts = [
            fig,
            speed_note(speed, lang=lang),
            speed_table(speed, lang=lang),
            markdown("speed_facts", lang),
        ]
        return Section(parts, {"response_buckets": buckets, "speed": speed})

    needs = ["leads.first_response_at", "leads.owner"]
    return section(data, "speed", needs, build, lang=lang)


def retention_section(
    data: LeadData,
    month: pd.Period,
    *,
    as_of: object | None = None,
    currency: str = "EUR",
    lang: str = "en",
) -> Section:
    """Customers still active by months since they started, by channel (the
    :data:`MAX_LINES` − 1 channels with most customers, the rest as "other"), and
    realised and formula LTV against CAC. Needs the customers table.

    Numbers: ``retention`` (:func:`leadkpi.retention_curve`) and ``ltv``
    (:func:`leadkpi.ltv_table`).

    Examples
    --------
    >>> from leadkpi import load
    >>> data = load("leadkpi.yaml").with_tables(customers=None)
    >>> part = retention_section(data, pd.Period("2026-10", "M"), lang="es")
    >>> part.parts[1].data, dict(part.numbers)
    ('No disponible: requiere una exportación de clientes (véase el README).', {})
    """

    def build() -> Section:
        when = _as_of(month, as_of)
        curves = retention_curve(
            data, by=("channel",), method="chained", max_age=12, as_of=when
        )
        starts = curves[curves["age"] == 0].set_index("channel")["size"]
        if len(starts) > MAX_LINES:  # the largest channels, the rest as one line
            largest = starts.sort_values(ascending=False).index[: MAX_LINES - 1]
            curves = retention_curve(
                data.grouped("channel", largest),
                by=("channel",),
                method="chained",
                max_age=12,
                as_of=when,
            )
        ltv = ltv_table(data, by=("channel",), end=month, as_of=when)
        with theme():
            fig = Figure(figsize=(11, 3.8), layout="constrained")
            left, right = fig.subplots(1, 2)
            plot_retention_curves(curves, ax=left, lang=lang)
            plot_ltv(ltv, ax=right, lang=lang, currency=currency)
        parts = [
            fig,
            markdown("retention_note", lang, horizon=int(ltv["horizon"].iloc[0])),
            ltv_display_table(ltv, lang=lang, currency=currency),
            ltv_note(ltv, cap=data.config.ltv_max_months, lang=lang, month=month),
        ]
        return Section(parts, {"retention": curves, "ltv": ltv})

    return section(data, "retention", ["customers"], build, lang=lang)


def attribution_section(
    data: LeadData, month: pd.Period, *, currency: str = "EUR", lang: str = "en"
) -> Section:
    """Which channels won the month's customers, under every attribution model,
    and the CAC per channel each model gives. Needs the touches table.

    Numbers: ``attribution`` (:func:`leadkpi.attribution_kpis`).
    """

    def build() -> Section:
        attributed = attribution_kpis(data, start=month, end=month)
        with theme():
            fig = Figure(figsize=(8, 6))
            plot_attribution(attributed, value="customers", ax=fig.gca(), lang=lang)
        parts = [
            attribution_note(attributed, month_name(month, lang), lang=lang),
            fig,
            markdown("attribution_cac", lang, level=3),
            attribution_table(attributed, "cac", lang=lang, currency=currency),
        ]
        return Section(parts, {"attribution": attributed})

    return section(data, "attribution", ["touches"], build, lang=lang)


def _closed(fig: Figure) -> Figure:
    """A pyplot figure taken out of pyplot's care: shown once, by its section."""
    plt.close(fig)
    return fig


def title_section(data: LeadData, month: pd.Period, *, lang: str = "en") -> Section:
    """The report's title and the line under it: the company, the month and the
    month it is compared with."""
    return Section(
        [
            markdown("title", lang, level=1, month=month_name(month, lang)),
            markdown(
                "subtitle",
                lang,
                company=data.config.name,
                month=month_name(month, lang),
                previous=month_name(month - 1, lang),
            ),
        ]
    )


def summary_section(
    data: LeadData,
    month: pd.Period,
    *,
    mode: str = "period",
    lang: str = "en",
    currency: str | None = None,
) -> Section:
    """The first screen: the KPI tiles of ``month`` against the month before and
    the same month a year earlier, the counting mode, and the findings written
    from the numbers (:func:`leadkpi.summary_findings.findings`).

    Numbers: ``headline`` (the tile KPIs by month, thirteen months up to
    ``month``), ``summary`` (the tiles) and ``channels`` (the channel numbers of
    ``month``), which :func:`trend_section` and :func:`channels_section` draw.

    Examples
    --------
    >>> from leadkpi import load
    >>> part = summary_section(load("leadkpi.yaml"), pd.Period("2026-10", "M"))
    >>> part[0].data, sorted(part.numbers)
    ('## The month at a glance', ['channels', 'headline', 'summary'])
    """
    currency = currency or data.config.currency

    def build() -> Section:
        targets = data.config.targets
        trend = compute(
            data, TILE_KPIS, by=("month",), mode=mode, start=month - 12, end=month
        )
        tiles = summary_tiles(trend, month, targets=targets)
        by_channel = dimension_numbers(data, month, mode=mode, targets=targets)
        found = findings(
            tiles,
            by_channel,
            trend=trend,
            checks=checks(data),
            owners=speed_to_lead(data, by=("owner",), **_year(month)),
        )
        parts = [
            tiles_html(tiles, month, lang=lang, currency=currency),
            markdown(f"mode_{mode}", lang),
            markdown("findings", lang, level=3),
            findings_markdown(found, month, mode=mode, lang=lang, currency=currency),
        ]
        numbers = {"headline": trend, "summary": tiles, "channels": by_channel}
        return Section(parts, numbers)

    return section(data, "summary", ["leads"], build, lang=lang)


def targets_section(
    data: LeadData,
    month: pd.Period,
    *,
    mode: str = "period",
    lang: str = "en",
    currency: str | None = None,
) -> Section:
    """Progress towards the relative targets of the configuration (growth on the
    same period a year earlier), for the periods that hold ``month``; nothing when
    the configuration sets none.

    Numbers: ``targets`` (:func:`leadkpi.target_progress`).
    """
    progress = target_progress(data, month, mode=mode)
    if not len(progress):
        return Section([])
    currency = currency or data.config.currency
    table = progress_table(progress, lang=lang, currency=currency)
    return Section(
        [markdown("growth_targets", lang, level=3), table], {"targets": progress}
    )


def trend_section(
    headline: pd.DataFrame,
    month: pd.Period,
    *,
    kpis: Sequence[str] = HEADLINE,
    lang: str = "en",
    currency: str = "EUR",
) -> Section:
    """The headline KPIs over the twelve months up to ``month``, one small chart
    each, ``month`` highlighted. ``headline`` is a result by month (the
    ``headline`` numbers of :func:`summary_section`)."""
    with theme():
        fig = trend_grid(
            headline, kpis, highlight=month, last=12, lang=lang, currency=currency,
            window=window_label("year", month, lang=lang),
        )  # fmt: skip
    return Section([markdown("trend", lang, level=2), _closed(fig)])


def channels_section(
    data: LeadData,
    month: pd.Period,
    by_channel: pd.DataFrame,
    *,
    mode: str = "period",
    lang: str = "en",
    currency: str | None = None,
) -> Section:
    """Leads and spend by channel in ``month`` (the ``channels`` numbers of
    :func:`summary_section`), as a table with targets and a chart, then the top
    campaigns by spend with the same columns.

    Numbers: ``campaigns`` (:func:`leadkpi.summary.dimension_numbers` by campaign).
    """
    currency = currency or data.config.currency
    targets = data.config.targets
    with theme():
        fig = dimension_grid(
            by_channel, ["leads", "spend", "cost_per_lead"], dim="channel",
            lang=lang, currency=currency,
            window=window_label("month", month, lang=lang),
        )  # fmt: skip
    by_campaign = dimension_numbers(
        data, month, dim="campaign", mode=mode, targets=targets
    )
    parts = [
        markdown("channels", lang, level=2),
        dimension_html(by_channel, "channel", month, lang=lang, currency=currency),
        _closed(fig),
        markdown("campaigns", lang, level=2),
        campaign_html(by_campaign, month, lang=lang, currency=currency),
    ]
    return Section(parts, {"campaigns": by_campaign})


def quality_section(data: LeadData, *, lang: str = "en") -> Section:
    """Where the numbers come from: rows read, loaded and rejected per file, the
    first rejected rows, and the data-quality checks (:func:`leadkpi.checks`).
    (The files and their rows are in the report's provenance, not in its
    numbers.)
    """
    parts = [
        markdown("quality", lang, level=2),
        markdown("quality_note", lang),
        accounting_table(data.accounting(), lang=lang),
        rejects_table(data.rejects(), lang=lang),
        markdown("checks", lang, level=3),
        markdown("checks_note", lang),
        checks_table(checks(data), lang=lang),
    ]
    return Section(parts)
