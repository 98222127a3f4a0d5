"""leadkpi: B2B lead-generation KPIs, from real exports to a rendered report.

>>> import leadkpi
>>> data = leadkpi.load("leadkpi.yaml")
>>> table = leadkpi.compute(data, ["leads", "cost_per_lead"], by=("month", "channel"))
"""

from leadkpi._version import __version__
from leadkpi.attribution import attribute, attribution_kpis, journeys
from leadkpi.checks import checks
from leadkpi.config import Config, load_config
from leadkpi.conversions import conversion_kpis as _conversion_kpis
from leadkpi.conversions import platform_vs_crm
from leadkpi.costs import allocate_costs
from leadkpi.data import LeadData
from leadkpi.datasets import load_sample
from leadkpi.exceptions import LeadKPIError
from leadkpi.funnel import (
    cohort_matrix,
    funnel,
    lost_by_stage,
    lost_reasons,
    response_buckets,
    speed_to_lead,
    stage_durations,
    time_between,
    time_to_stage,
)
from leadkpi.io import LoadResult, read
from leadkpi.kpis import (
    KPI,
    KPIS,
    Measure,
    add_targets,
    compare,
    compare_groups,
    target_progress,
)
from leadkpi.kpis import compute as _compute
from leadkpi.present.catalogue import catalogue
from leadkpi.present.display import KPIFrame, shown
from leadkpi.present.show import show
from leadkpi.project import load
from leadkpi.retention import (
    churn_table,
    cohort_ltv,
    ltv_table,
    retention_curve,
    retention_matrix,
)
from leadkpi.scoring import (
    band_kpis,
    evaluate,
    lead_features,
    load_scorecard,
    score,
)
from leadkpi.warehouse import RemoteData, connect

# The engine and the analyses return plain frames; at the top level, the KPI results
# are shown formatted in Jupyter (the presentation layer sits above them).
compute = shown(_compute)
conversion_kpis = shown(_conversion_kpis)


def __getattr__(name: str) -> object:
    # leadkpi.plots: the charts, imported (with matplotlib) only when asked for
    if name == "plots":
        from leadkpi.present import plots

        return plots
    raise AttributeError(f"module 'leadkpi' has no attribute {name!r}")


__all__ = [
    "__version__",
    "Config",
    "load_config",
    "LeadData",
    "LeadKPIError",
    "LoadResult",
    "read",
    "load",
    "connect",
    "RemoteData",
    "load_sample",
    "KPI",
    "KPIS",
    "Measure",
    "catalogue",
    "compute",
    "conversion_kpis",
    "platform_vs_crm",
    "compare",
    "compare_groups",
    "add_targets",
    "allocate_costs",
    "target_progress",
    "funnel",
    "lost_reasons",
    "lost_by_stage",
    "cohort_matrix",
    "time_to_stage",
    "time_between",
    "stage_durations",
    "speed_to_lead",
    "response_buckets",
    "retention_matrix",
    "retention_curve",
    "cohort_ltv",
    "churn_table",
    "ltv_table",
    "journeys",
    "attribute",
    "attribution_kpis",
    "checks",
    "load_scorecard",
    "score",
    "lead_features",
    "evaluate",
    "band_kpis",
    "show",
    "KPIFrame",
]
