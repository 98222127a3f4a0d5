"""Axes-level charts of leadkpi tables, in one consistent theme.

Every ``plot_*`` function takes a table that a leadkpi function returned, draws on
``ax`` (or the current Axes) and returns it. None computes a KPI, calls ``plt.show()``
or saves a file; the theme is applied only inside :func:`theme`, never at import.
Figure-level ``*_grid`` functions build and return their own figure.
"""

from leadkpi.present.plots._style import PALETTE, channel_colours, channel_order, theme
from leadkpi.present.plots.attribution import plot_attribution
from leadkpi.present.plots.cohorts import plot_cohort_heatmap
from leadkpi.present.plots.funnel import plot_funnel, plot_time_to_stage
from leadkpi.present.plots.kpi import (
    dimension_grid,
    plot_by_dimension,
    plot_trend,
    trend_grid,
)
from leadkpi.present.plots.retention import plot_ltv, plot_retention_curves
from leadkpi.present.plots.scoring import plot_calibration, plot_gains, plot_score_bands
from leadkpi.present.plots.speed import plot_response_buckets, plot_stage_durations
from leadkpi.present.plots.weeks import plot_weeks, weeks_grid

__all__ = [
    "theme",
    "PALETTE",
    "channel_order",
    "channel_colours",
    "plot_trend",
    "plot_by_dimension",
    "plot_funnel",
    "plot_cohort_heatmap",
    "plot_time_to_stage",
    "plot_stage_durations",
    "plot_response_buckets",
    "plot_retention_curves",
    "plot_ltv",
    "plot_attribution",
    "plot_gains",
    "plot_calibration",
    "plot_score_bands",
    "trend_grid",
    "dimension_grid",
    "plot_weeks",
    "weeks_grid",
]
