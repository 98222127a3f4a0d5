"""The funnel: stage counts and conversion, cohorts, time between stages, speed to
lead, leads lost and why."""

from leadkpi.funnel.cohorts import (
    COHORT_COLUMNS,
    TIME_TO_STAGE_COLUMNS,
    cohort_matrix,
    time_to_stage,
)
from leadkpi.funnel.durations import DURATION_COLUMNS, stage_durations, time_between
from leadkpi.funnel.hours import business_seconds
from leadkpi.funnel.lost import (
    LOST_COLUMNS,
    LOST_STAGE_COLUMNS,
    has_lost_reasons,
    lost_by_stage,
    lost_reasons,
)
from leadkpi.funnel.speed import (
    BUCKET_COLUMNS,
    RESPONSE_BUCKETS,
    SPEED_COLUMNS,
    response_buckets,
    response_time,
    speed_to_lead,
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
    "time_between",
    "stage_durations",
    "DURATION_COLUMNS",
    "speed_to_lead",
    "response_buckets",
    "response_time",
    "RESPONSE_BUCKETS",
    "SPEED_COLUMNS",
    "BUCKET_COLUMNS",
    "business_seconds",
    "lost_reasons",
    "lost_by_stage",
    "has_lost_reasons",
    "LOST_COLUMNS",
    "LOST_STAGE_COLUMNS",
    "reached",
    "StageDates",
]
