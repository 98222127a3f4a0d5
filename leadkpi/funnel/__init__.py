"""The funnel: stage counts and conversion, cohorts, time between stages, speed to
lead."""

from leadkpi.funnel.table import FUNNEL_COLUMNS, funnel

__all__ = ["funnel", "FUNNEL_COLUMNS"]
