"""Catalogue section: conversions other than becoming a customer.

A conversion is an event the project declares under ``conversions:`` in
``leadkpi.yaml`` (see :class:`leadkpi.config.ConversionEvent`): a form fill, a
content download, a webinar registration, a demo request, a trial start, a meeting
booked; counted from touches of a type, from a date column of the leads, or from the
ad platforms' own conversion counts. The KPIs below are evaluated for one event at a
time (:func:`leadkpi.conversion_kpis` adds an ``event`` column): the measure
``conversions`` is that event's count. Evaluated on their own, with the built-in
measure, they read the ad platforms' count (the spend table's ``conversions``).
"""

from __future__ import annotations

from leadkpi.kpis import formulas as f
from leadkpi.kpis.kpi import KPI, kpi

__all__ = ["CONVERSIONS"]

CONVERSIONS: tuple[KPI, ...] = (
    kpi(
        "conversions",
        "conversions",
        "count",
        "higher",
    ),
    kpi(
        "cost_per_conversion",
        "spend / conversions",
        "currency",
        "lower",
        f.cost_per_conversion,
        interval="cost_per_count",
    ),
    kpi(
        "conversion_rate",
        "conversions / leads",
        "fraction",
        "higher",
        f.conversion_rate,
        interval="wilson",
    ),
)
