"""KPI definitions, formulas and the engine that computes them at any grain."""

from leadkpi.kpis.catalogue import catalogue
from leadkpi.kpis.compare import compare
from leadkpi.kpis.definitions import HEADLINE, KPI, KPIS, MEASURES, SECTIONS, Measure
from leadkpi.kpis.engine import compute
from leadkpi.kpis.formulas import (
    cac,
    churn_rate,
    cost_per_lead,
    cpc,
    cpm,
    ctr,
    lead_conversion_rate,
    ltv,
    ratio,
    retention_rate,
    revenue_uplift,
    revenue_uplift_rate,
    roas,
    roi,
)

__all__ = [
    "KPI",
    "KPIS",
    "HEADLINE",
    "MEASURES",
    "Measure",
    "compute",
    "compare",
    "ratio",
    "cost_per_lead",
    "lead_conversion_rate",
    "cac",
    "roas",
    "roi",
    "ctr",
    "cpc",
    "cpm",
    "revenue_uplift",
    "revenue_uplift_rate",
    "ltv",
    "churn_rate",
    "retention_rate",
]
