"""leadkpi: B2B lead-generation KPIs, from real exports to a rendered report.

>>> import leadkpi
>>> data = leadkpi.load("leadkpi.yaml")
>>> table = leadkpi.compute(data, ["leads", "cost_per_lead"], by=("month", "channel"))
"""

from leadkpi._version import __version__
from leadkpi.checks import checks
from leadkpi.config import Config, load_config
from leadkpi.data import LeadData
from leadkpi.exceptions import LeadKPIError
from leadkpi.funnel import funnel
from leadkpi.io import LoadResult, read
from leadkpi.kpis import (
    KPI,
    KPIS,
    Measure,
    add_targets,
    catalogue,
    compare,
    compute,
)
from leadkpi.project import load

__all__ = [
    "__version__",
    "Config",
    "load_config",
    "LeadData",
    "LeadKPIError",
    "LoadResult",
    "read",
    "load",
    "KPI",
    "KPIS",
    "Measure",
    "catalogue",
    "compute",
    "compare",
    "add_targets",
    "funnel",
    "checks",
]
