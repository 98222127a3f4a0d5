"""The built-in KPI catalogue: every KPI of catalogue sections 1–4, of the
conversion events and of outbound prospecting, by id.

:data:`KPIS` and :data:`MEASURES` are read-only mappings. To add a KPI, build a
:class:`KPI` (and any :class:`Measure` it needs) and pass it to
:func:`leadkpi.compute` or :func:`leadkpi.catalogue`; nothing global changes.
"""

from __future__ import annotations

from types import MappingProxyType

from leadkpi.kpis.catalogue_conversions import CONVERSIONS
from leadkpi.kpis.catalogue_email import EMAIL
from leadkpi.kpis.catalogue_funnel import FUNNEL
from leadkpi.kpis.catalogue_outreach import OUTREACH
from leadkpi.kpis.catalogue_revenue import REVENUE
from leadkpi.kpis.catalogue_traffic import TRAFFIC
from leadkpi.kpis.kpi import KPI
from leadkpi.kpis.measure_catalogue import MEASURES
from leadkpi.kpis.measures import Measure

__all__ = ["Measure", "KPI", "MEASURES", "KPIS", "HEADLINE", "SECTIONS"]

#: Catalogue sections, in order, with the ids of their KPIs.
SECTIONS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "traffic": tuple(k.id for k in TRAFFIC),
        "email": tuple(k.id for k in EMAIL),
        "funnel": tuple(k.id for k in FUNNEL),
        "revenue": tuple(k.id for k in REVENUE),
        "conversions": tuple(k.id for k in CONVERSIONS),
        "outreach": tuple(k.id for k in OUTREACH),
    }
)

#: Every built-in KPI by id, in catalogue order (read-only).
KPIS: MappingProxyType[str, KPI] = MappingProxyType(
    {
        k.id: k
        for k in (*TRAFFIC, *EMAIL, *FUNNEL, *REVENUE, *CONVERSIONS, *OUTREACH)
    }
)

#: The KPIs at the top of the monthly report, in order.
HEADLINE: tuple[str, ...] = (
    "leads",
    "cost_per_lead",
    "lead_conversion_rate",
    "cac",
    "paid_cac",
    "roi",
    "roas",
)
