"""Measures and KPIs as data.

A :class:`Measure` is an aggregation over one canonical table, dated by one of its time
columns. A :class:`KPI` is a named, documented formula over measures. Both are frozen:
users add their own by passing new objects to the engine, never by mutating a registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from leadkpi.kpis import formulas as f

__all__ = ["Measure", "KPI", "MEASURES", "KPIS", "HEADLINE"]

Unit = Literal["count", "fraction", "currency", "duration", "multiple", "points"]


@dataclass(frozen=True)
class Measure:
    """An aggregation over one canonical table.

    Parameters
    ----------
    id : str
        Identifier, also the keyword that formulas receive.
    table : str
        Canonical table aggregated.
    time_column : str
        Column that dates an event of this measure (period mode).
    agg : {"count", "sum"}
        Count rows, or sum ``value_column``.
    value_column : str, optional
        Column summed when ``agg == "sum"``.
    cohort_column : str, optional
        In cohort mode, rows are dated by this column instead (e.g. a lead's
        ``created_at``) and kept only where ``time_column`` is set. None means the
        measure has no cohort reading and is dated by ``time_column`` in both modes.
    """

    id: str
    table: str
    time_column: str
    agg: Literal["count", "sum"] = "count"
    value_column: str | None = None
    cohort_column: str | None = None

    def needs(self) -> tuple[str, ...]:
        """Columns of ``table`` this measure reads."""
        cols = [self.time_column, self.value_column, self.cohort_column]
        return tuple(dict.fromkeys(c for c in cols if c))


@dataclass(frozen=True)
class KPI:
    """A key performance indicator: a documented formula over measures.

    Parameters
    ----------
    id : str
        Stable snake_case identifier.
    name : dict
        Display name by language (``{"en": ..., "es": ...}``).
    definition : dict
        One-line definition by language.
    formula : str
        The formula as text.
    unit : str
        ``count``, ``fraction``, ``currency``, ``duration``, ``multiple`` or ``points``.
    better : {"higher", "lower", None}
        Which direction is good news.
    measures : tuple of str
        Measure ids the formula takes, as keyword arguments.
    func : callable
        The formula: ``func(**{measure: values})``.
    numerator, denominator : str, optional
        Measure ids reported beside the value; ``denominator`` is None for plain
        measures.
    """

    id: str
    name: dict[str, str]
    definition: dict[str, str]
    formula: str
    unit: Unit
    better: Literal["higher", "lower"] | None
    measures: tuple[str, ...]
    func: Callable[..., object]
    numerator: str | None = None
    denominator: str | None = None


def _lead_stage(id_: str, column: str) -> Measure:
    return Measure(id_, "leads", column, cohort_column="created_at")


MEASURES: dict[str, Measure] = {
    m.id: m
    for m in (
        Measure("leads", "leads", "created_at"),
        _lead_stage("mqls", "mql_at"),
        _lead_stage("sqls", "sql_at"),
        _lead_stage("opportunities", "opportunity_at"),
        _lead_stage("customers", "won_at"),
        Measure("revenue", "leads", "won_at", "sum", "deal_value", "created_at"),
        Measure("spend", "spend", "date", "sum", "cost"),
        Measure("impressions", "spend", "date", "sum", "impressions"),
        Measure("clicks", "spend", "date", "sum", "clicks"),
    )
}


def _count(id_: str, en: str, es: str, def_en: str, def_es: str) -> KPI:
    return KPI(
        id_,
        {"en": en, "es": es},
        {"en": def_en, "es": def_es},
        id_,
        "count",
        "higher",
        (id_,),
        lambda **m: m[id_],
        numerator=id_,
    )


def _identity_currency(id_: str, en: str, es: str, def_en: str, def_es: str) -> KPI:
    return KPI(
        id_,
        {"en": en, "es": es},
        {"en": def_en, "es": def_es},
        f"sum of {id_}",
        "currency",
        None,
        (id_,),
        lambda **m: m[id_],
        numerator=id_,
    )


KPIS: dict[str, KPI] = {
    k.id: k
    for k in (
        _count(
            "leads",
            "Leads generated",
            "Leads generados",
            "Leads created",
            "Leads creados",
        ),
        _count(
            "mqls",
            "MQLs",
            "MQL",
            "Leads that became marketing-qualified",
            "Leads que pasaron a cualificados por marketing",
        ),
        _count(
            "sqls",
            "SQLs",
            "SQL",
            "Leads accepted by sales",
            "Leads aceptados por ventas",
        ),
        _count(
            "opportunities",
            "Opportunities",
            "Oportunidades",
            "Leads that became opportunities",
            "Leads convertidos en oportunidad",
        ),
        _count(
            "customers",
            "New customers",
            "Clientes nuevos",
            "Leads won as customers",
            "Leads ganados como clientes",
        ),
        _identity_currency(
            "spend",
            "Marketing spend",
            "Inversión",
            "Sum of ad cost",
            "Suma del coste publicitario",
        ),
        _identity_currency(
            "revenue",
            "Revenue",
            "Ingresos",
            "Value of won deals",
            "Valor de los acuerdos ganados",
        ),
        KPI(
            "cost_per_lead",
            {"en": "Cost per lead", "es": "Coste por lead"},
            {"en": "Spend per lead generated", "es": "Inversión por lead generado"},
            "spend / leads",
            "currency",
            "lower",
            ("spend", "leads"),
            f.cost_per_lead,
            "spend",
            "leads",
        ),
        KPI(
            "lead_conversion_rate",
            {"en": "Lead conversion rate", "es": "Tasa de conversión de leads"},
            {
                "en": "Share of leads that became customers",
                "es": "Porcentaje de leads que se convirtieron en clientes",
            },
            "customers / leads",
            "fraction",
            "higher",
            ("customers", "leads"),
            f.lead_conversion_rate,
            "customers",
            "leads",
        ),
        KPI(
            "cac",
            {
                "en": "Customer acquisition cost (CAC)",
                "es": "Coste de adquisición (CAC)",
            },
            {"en": "Spend per new customer", "es": "Inversión por cliente nuevo"},
            "spend / customers",
            "currency",
            "lower",
            ("spend", "customers"),
            f.cac,
            "spend",
            "customers",
        ),
        KPI(
            "roas",
            {
                "en": "Return on ad spend (ROAS)",
                "es": "Retorno de la inversión publicitaria (ROAS)",
            },
            {"en": "Revenue per unit of spend", "es": "Ingresos por unidad invertida"},
            "revenue / spend",
            "multiple",
            "higher",
            ("revenue", "spend"),
            f.roas,
            "revenue",
            "spend",
        ),
        KPI(
            "roi",
            {"en": "Return on investment (ROI)", "es": "Retorno de la inversión (ROI)"},
            {"en": "Net return on spend", "es": "Beneficio neto sobre la inversión"},
            "(revenue − spend) / spend",
            "fraction",
            "higher",
            ("revenue", "spend"),
            f.roi,
            "revenue",
            "spend",
        ),
        KPI(
            "ctr",
            {"en": "Click-through rate", "es": "CTR"},
            {"en": "Clicks per impression", "es": "Clics por impresión"},
            "clicks / impressions",
            "fraction",
            "higher",
            ("clicks", "impressions"),
            f.ctr,
            "clicks",
            "impressions",
        ),
        KPI(
            "cpc",
            {"en": "Cost per click", "es": "Coste por clic"},
            {"en": "Spend per click", "es": "Inversión por clic"},
            "spend / clicks",
            "currency",
            "lower",
            ("spend", "clicks"),
            f.cpc,
            "spend",
            "clicks",
        ),
    )
}

#: The KPIs at the top of the monthly report, in order.
HEADLINE: tuple[str, ...] = (
    "leads",
    "cost_per_lead",
    "lead_conversion_rate",
    "cac",
    "roi",
    "roas",
)
