"""Plots draw on the Axes they are given and create no figure of their own."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from leadkpi import LeadData, compute, funnel
from leadkpi.plots import (
    dimension_grid,
    plot_by_dimension,
    plot_funnel,
    plot_trend,
    theme,
    trend_grid,
)


@pytest.fixture
def data(small_leads, small_spend):
    return LeadData(leads=small_leads, spend=small_spend)


def _draw(function, *args, **kwargs):
    fig, ax = plt.subplots()
    before = plt.get_fignums()
    returned = function(*args, ax=ax, **kwargs)
    assert returned is ax
    assert plt.get_fignums() == before
    return ax


def test_plot_trend(data):
    result = compute(data, "cost_per_lead", by=("month",))
    ax = _draw(plot_trend, result, "cost_per_lead", highlight=pd.Period("2025-02"))
    assert ax.get_title() == "Cost per lead"
    assert len(ax.lines[0].get_xdata()) == 2  # January and February


def test_plot_by_dimension_labels_bars(data):
    result = compute(data, "leads", by=("channel",))
    ax = _draw(plot_by_dimension, result, "leads", lang="es")
    assert ax.get_title() == "Leads generados"
    assert len(ax.patches) == result["value"].notna().sum()


def test_plot_funnel_shows_conversion_labels(data):
    ax = _draw(plot_funnel, funnel(data, start="2025-02", end="2025-02"))
    labels = [t.get_text().strip() for t in ax.texts]
    assert labels[0] == "5" and labels[1] == "3  (60.0%)"
    ticks = {t.get_position()[1]: t.get_text() for t in ax.get_yticklabels()}
    assert ticks[max(ticks)] == "Leads" and ticks[min(ticks)] == "Customers"


def test_unknown_kpi_is_named(data):
    with pytest.raises(ValueError, match="no rows for kpi 'cac'"):
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
    ("lang", "expected"), [("en", "€2.5K"), ("es", "2,5\xa0mil\xa0€")]
)
def test_money_ticks_are_compact_and_localised(data, lang, expected):
    result = compute(data, "spend", by=("channel",))
    ax = _draw(plot_by_dimension, result, "spend", lang=lang, currency="EUR")
    assert ax.xaxis.get_major_formatter()(2500, 0) == expected
    assert len(ax.xaxis.get_major_locator()()) <= 6  # few ticks: labels never collide


def test_trend_axis_shows_the_months_drawn_and_negative_values(small_leads):
    spend = pd.DataFrame(
        {"date": ["2025-01-15"], "channel": ["paid_social"], "cost": [100.0]}
    )
    leads = small_leads.iloc[1:3]  # b and c: created in January, never won
    data = LeadData(leads=leads, spend=spend)
    result = compute(data, "roi", by=("month",), mode="cohort")
    ax = _draw(plot_trend, result, "roi")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Jan\n2025"]
    low, high = ax.get_xlim()
    assert high - low < 60  # about one month wide, not years of empty axis
    assert ax.get_ylim()[0] < -0.99  # ROI of -100 % is in view


def test_trend_without_values_says_so(small_leads, small_spend):
    never_won = small_leads[small_leads["won_at"].isna()]
    data = LeadData(leads=never_won, spend=small_spend)
    result = compute(data, "cac", by=("month",))  # no customers: CAC missing
    assert result["value"].isna().all()
    ax = _draw(plot_trend, result, "cac", lang="es")
    assert [t.get_text() for t in ax.texts] == ["sin datos"]
