"""Customer retention, churn and lifetime value: cohort matrices by start month,
churn per period through the KPI engine, and LTV against CAC by channel."""

from leadkpi.retention.churn import CHURN_COLUMNS, churn_table
from leadkpi.retention.cohorts import (
    COHORT_COLUMNS,
    CURVE_COLUMNS,
    LTV_COLUMNS,
    cohort_ltv,
    retention_curve,
    retention_matrix,
)
from leadkpi.retention.ltv import LTV_TABLE_COLUMNS, ltv_table

__all__ = [
    "retention_matrix",
    "cohort_ltv",
    "retention_curve",
    "churn_table",
    "ltv_table",
    "COHORT_COLUMNS",
    "LTV_COLUMNS",
    "CURVE_COLUMNS",
    "CHURN_COLUMNS",
    "LTV_TABLE_COLUMNS",
]
