"""Plots draw on the Axes they are given and create no figure of their own."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from babel.numbers import format_compact_currency

from leadkpi import LeadData, compute
from leadkpi.funnel import cohort_matrix, funnel, time_to_stage
from leadkpi.present.plots import (
    dimension_grid,
    plot_by_dimension,
    plot_cohort_heatmap,
    plot_funnel,
    plot_time_to_stage,
    plot_trend,
    theme,
    trend_grid,
)
from leadkpi.present.plots.cohorts import HATCH


@pytest.fixture
def data(small_leads, small_spend):
    return LeadData(leads=small_leads, spend=small_spend)


def test_plot_trend(data, draw):
    result = compute(data, "cost_per_lead", by=("month",))
    ax = draw(plot_trend, result, "cost_per_lead", highlight=pd.Period("2025-02"))
    assert ax.get_title() == "Cost per lead"
    assert len(ax.lines[0].get_xdata()) == 2  # January and February


def test_plot_by_dimension_labels_bars(data, draw):
    result = compute(data, "leads", by=("channel",))
    ax = draw(plot_by_dimension, result, "leads", lang="es")
    assert ax.get_title() == "Leads generados"
    assert len(ax.patches) == result["value"].notna().sum()


def test_plot_funnel_shows_conversion_labels(data, draw):
    table = funnel(data, start="2025-02", end="2025-02", mode="period")
    ax = draw(plot_funnel, table)
    assert len(ax.patches) == 5
    labels = [t.get_text().strip() for t in ax.texts]
    assert labels[0] == "5" and labels[1] == "3  (60.0%)"
    ticks = {t.get_position()[1]: t.get_text() for t in ax.get_yticklabels()}
    assert ticks[max(ticks)] == "Leads" and ticks[min(ticks)] == "Customers"


def test_plot_funnel_visitor_stage_and_not_countable_stage(small_leads, draw):
    stages = [("visitor", "visitors"), ("lead", "created_at"), ("mql", "mql_at")]
    table = funnel(LeadData(leads=small_leads), stages=stages)
    ax = draw(plot_funnel, table, lang="es")
    labels = [t.get_text().strip() for t in ax.texts]
    assert labels == ["n/d", "8", "4  (50,0\xa0%)", "Modo cohorte"]  # and its mode
    ticks = {t.get_position()[1]: t.get_text() for t in ax.get_yticklabels()}
    assert ticks[max(ticks)] == "Visitantes"


def test_plot_funnel_uses_a_log_scale_below_many_visitors(small_leads, draw):
    web = pd.DataFrame({"date": ["2025-02-01"], "channel": ["x"], "sessions": [4000]})
    table = funnel(LeadData(leads=small_leads, web=web), mode="period", start="2025-02")
    ax = draw(plot_funnel, table, lang="es")
    assert ax.get_xscale() == "log"  # 4,000 sessions, 5 leads
    assert ax.get_xlabel().startswith("Escala logarítmica")  # the reader is told
    linear = draw(plot_funnel, table, log=False)
    assert linear.get_xscale() == "linear" and linear.get_xlabel() == ""


def test_cohort_heatmap_hatches_immature_cells(small_leads, draw):
    table = cohort_matrix(LeadData(leads=small_leads), as_of="2025-04-15")
    ax = draw(plot_cohort_heatmap, table, lang="es")
    assert ax.images[0].get_array().shape == (2, 4)  # January, February × ages 0-3
    assert len(ax.texts) == 5  # the mature cells only
    assert [t.get_text() for t in ax.texts][:2] == ["0,0\xa0%", "33,3\xa0%"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["aún no maduro"]
    assert any(p.get_hatch() == HATCH for p in ax.patches)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Ene 2025", "Feb 2025"]


def test_cohort_heatmap_draws_money(small_leads, draw):
    table = cohort_matrix(LeadData(leads=small_leads), as_of="2025-04-15")
    ltv = table.assign(value=table["count"] * 1500.0)
    ax = draw(plot_cohort_heatmap, ltv, unit="currency", currency="EUR")
    compact = format_compact_currency(1500, "EUR", locale="en_GB", fraction_digits=1)
    assert compact.startswith("€1.5")  # CLDR's spelling of the suffix may change
    assert compact in [t.get_text() for t in ax.texts]


def test_time_to_stage_draws_one_curve_per_group(small_leads, draw):
    table = time_to_stage(
        LeadData(leads=small_leads), "mql", by=("channel",), as_of="2025-03-31"
    )
    ax = draw(plot_time_to_stage, table, stage="mql")
    assert len(ax.lines) == table["channel"].nunique() == 3
    assert len(ax.collections) == 3  # the interval bands
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["x", "y", "(not set)"]
    assert ax.get_ylabel() == "Share that reached MQLs"


def test_cohort_plots_say_when_there_is_no_data(small_leads, draw):
    data = LeadData(leads=small_leads)
    ax = draw(plot_cohort_heatmap, cohort_matrix(data, start="2030-01"))
    assert [t.get_text() for t in ax.texts] == ["no data"]


def test_unknown_kpi_is_named(data):
    with pytest.raises(ValueError, match="kpi='cac' is not a KPI of the table"):
        plot_trend(compute(data, "leads", by=("month",)), "cac", ax=plt.gca())


def test_figure_level_grids_own_their_figures(data):
    result = compute(data, ["leads", "cost_per_lead"], by=("month",))
    fig = trend_grid(result, ["leads", "cost_per_lead"], ncols=3)
    assert sum(ax.get_visible() for ax in fig.axes) == 2
    fig = dimension_grid(
        compute(data, ["leads", "spend"], by=("channel",)), ["leads", "spend"]
    )
    assert len(fig.axes) == 2


def test_theme_is_scoped():
    before = plt.rcParams["axes.spines.top"]
    with theme():
        assert plt.rcParams["axes.spines.top"] is False
    assert plt.rcParams["axes.spines.top"] == before


@pytest.mark.parametrize(
    ("lang", "locale", "number"), [("en", "en_GB", "2.5"), ("es", "es_ES", "2,5")]
)
def test_money_ticks_are_compact_and_localised(data, lang, locale, number, draw):
    result = compute(data, "spend", by=("channel",))
    ax = draw(plot_by_dimension, result, "spend", lang=lang, currency="EUR")
    label = ax.xaxis.get_major_formatter()(2500, 0)
    assert label == format_compact_currency(
        2500, "EUR", locale=locale, fraction_digits=1
    )
    assert number in label and "€" in label and "2500" not in label
    assert len(ax.xaxis.get_major_locator()()) <= 6  # few ticks: labels never collide


def test_trend_axis_shows_the_months_drawn_and_negative_values(small_leads, draw):
    spend = pd.DataFrame(
        {"date": ["2025-01-15"], "channel": ["paid_social"], "cost": [100.0]}
    )
    leads = small_leads.iloc[1:3]  # b and c: created in January, never won
    data = LeadData(leads=leads, spend=spend)
    result = compute(data, "roi", by=("month",), mode="cohort")
    ax = draw(plot_trend, result, "roi")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Jan\n2025"]
    low, high = ax.get_xlim()
    assert high - low < 60  # about one month wide, not years of empty axis
    assert ax.get_ylim()[0] < -0.99  # ROI of -100 % is in view


def test_trend_without_values_says_so(small_leads, small_spend, draw):
    never_won = small_leads[small_leads["won_at"].isna()]
    data = LeadData(leads=never_won, spend=small_spend)
    result = compute(data, "cac", by=("month",))  # no customers: CAC missing
    assert result["value"].isna().all()
    ax = draw(plot_trend, result, "cac", lang="es")
    assert [t.get_text() for t in ax.texts] == ["Modo cohorte", "sin datos"]


def test_the_theme_is_seaborns_whitegrid():
    # the report kernel does not import seaborn (a second of start-up); the theme
    # keeps its whitegrid settings as data, which must follow the installed seaborn
    import seaborn

    from leadkpi.present.plots._style import _WHITEGRID

    style = dict(seaborn.axes_style("whitegrid"))
    del style["image.cmap"]  # "rocket" exists only once seaborn is imported
    assert _WHITEGRID == style


def test_a_grid_says_its_window_and_mode_once_above_its_panels():
    from leadkpi import load
    from leadkpi.present.plots import trend_grid

    monthly = compute(
        load("leadkpi.yaml"), ["leads", "lead_conversion_rate"], by=("month",),
        mode="period", start="2026-01", end="2026-10",
    )  # fmt: skip
    kpis = ["leads", "lead_conversion_rate"]
    fig = trend_grid(monthly, kpis, window="last 10 months")
    assert fig._suptitle.get_text() == "Last 10 months · Period mode"
    # no mark in a panel's corner, where a long title would run into it
    assert all(not ax.texts for ax in fig.axes)
    plt.close(fig)
