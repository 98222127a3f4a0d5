"""The funnel: stage counts and conversion, cohorts, time between stages, speed to
lead."""

from leadkpi.funnel.cohorts import (
    COHORT_COLUMNS,
    TIME_TO_STAGE_COLUMNS,
    cohort_matrix,
    time_to_stage,
)
from leadkpi.funnel.stages import StageDates, reached
from leadkpi.funnel.table import FUNNEL_COLUMNS, funnel

__all__ = [
    "funnel",
    "FUNNEL_COLUMNS",
    "cohort_matrix",
    "COHORT_COLUMNS",
    "time_to_stage",
    "TIME_TO_STAGE_COLUMNS",
    "reached",
    "StageDates",
]
