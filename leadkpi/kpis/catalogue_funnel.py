"""Catalogue section 3: qualification and sales funnel (lead → MQL → SQL → won).

Stage counts read the leads table. In cohort mode a stage counts the leads created
in the period that went on to reach it (ever, up to the data's end); in period mode
it counts the stage events dated in the period. Under ``cumulative_stages`` (the
default) a lead that skipped a stage reached it, dated by the earliest later stage:
the counts the funnel shows. ``*_recorded`` count the stage dates as recorded.
Contact KPIs read ``first_response_at`` (the first recorded response by sales),
``replied_at`` (the prospect replied) and ``not_interested_at`` (marked not
interested). Durations are
in seconds and computed from the rows of each cell: a median is never averaged.
``time_to_conversion`` counts from lead creation;
``time_to_conversion_from_first_touch`` from the lead's earliest touch
(``first_touch_at``, derived from the touches table), as the webinar-platform article
counts it.
"""

from __future__ import annotations

from leadkpi.kpis import formulas as f
from leadkpi.kpis.kpi import KPI, kpi

__all__ = ["FUNNEL"]


def _cost(id_: str, stage: str, en: str, es: str, func: object) -> KPI:
    return kpi(
        id_,
        (f"Cost per {en}", f"Spend per {en}"),
        (f"Coste por {es}", f"Inversión por {es}"),
        f"spend / {stage}",
        "currency",
        "lower",
        func,
        interval="cost_per_count",
    )


def _rate(
    id_: str,
    en: tuple[str, str],
    es: tuple[str, str],
    func: object,
    better: str = "higher",
) -> KPI:
    code = func.__code__
    num, den = code.co_varnames[:2]
    return kpi(
        id_, en, es, f"{num} / {den}", "fraction", better, func, interval="wilson"
    )


def _recorded(id_: str, column: str, en: str, es: str) -> KPI:
    return kpi(
        f"{id_}_recorded",
        (
            f"{en} (recorded dates only)",
            f"Leads with a {column} date of their own; a skipped stage is not counted",
        ),
        (
            f"{es} (solo fechas registradas)",
            f"Leads con fecha {column} propia; una etapa saltada no cuenta",
        ),
        f"count of leads by {column} as recorded",
        "count",
        "higher",
    )


def _cac(*, total_cost: object, customers: object) -> object:
    """CAC on the full cost base: (ad spend + other costs) / new customers."""
    return f.cac(spend=total_cost, customers=customers)


_CUMULATIVE_EN = "; a lead with a later stage reached it too (cumulative_stages)"
_CUMULATIVE_ES = "; un lead con una etapa posterior también la alcanzó"

FUNNEL: tuple[KPI, ...] = (
    kpi(
        "mqls",
        ("MQLs", "Leads that became marketing-qualified" + _CUMULATIVE_EN),
        ("MQL", "Leads que pasaron a cualificados por marketing" + _CUMULATIVE_ES),
        "count of leads reaching mql_at",
        "count",
        "higher",
    ),
    kpi(
        "sqls",
        ("SQLs", "Leads accepted by sales" + _CUMULATIVE_EN),
        ("SQL", "Leads aceptados por ventas" + _CUMULATIVE_ES),
        "count of leads reaching sql_at",
        "count",
        "higher",
    ),
    kpi(
        "opportunities",
        ("Opportunities", "Leads that became opportunities" + _CUMULATIVE_EN),
        ("Oportunidades", "Leads convertidos en oportunidad" + _CUMULATIVE_ES),
        "count of leads reaching opportunity_at",
        "count",
        "higher",
    ),
    _recorded("mqls", "mql_at", "MQLs", "MQL"),
    _recorded("sqls", "sql_at", "SQLs", "SQL"),
    _recorded("opportunities", "opportunity_at", "Opportunities", "Oportunidades"),
    kpi(
        "customers",
        ("New customers", "Leads won as customers"),
        ("Clientes nuevos", "Leads ganados como clientes"),
        "count of leads by won_at",
        "count",
        "higher",
    ),
    _rate(
        "lead_to_mql_rate",
        ("Lead→MQL rate", "Share of leads that became MQLs"),
        ("Tasa lead→MQL", "Porcentaje de leads que pasaron a MQL"),
        f.lead_to_mql_rate,
    ),
    _rate(
        "mql_to_sql_rate",
        ("MQL→SQL rate", "Share of marketing-qualified leads that sales accepts"),
        ("Tasa MQL→SQL", "Porcentaje de MQL que ventas acepta"),
        f.mql_to_sql_rate,
    ),
    _rate(
        "sql_to_opportunity_rate",
        ("SQL→opportunity rate", "Share of SQLs that became opportunities"),
        ("Tasa SQL→oportunidad", "Porcentaje de SQL que pasaron a oportunidad"),
        f.sql_to_opportunity_rate,
    ),
    _rate(
        "win_rate",
        ("Opportunity win rate", "Share of opportunities won"),
        ("Tasa de cierre", "Porcentaje de oportunidades ganadas"),
        f.win_rate,
    ),
    _rate(
        "lead_conversion_rate",
        ("Lead conversion rate", "Share of leads that became customers"),
        (
            "Tasa de conversión de leads",
            "Porcentaje de leads que se convirtieron en clientes",
        ),
        f.lead_conversion_rate,
    ),
    _rate(
        "response_rate",
        ("Response rate", "Share of contacted leads that replied"),
        ("Tasa de respuesta", "Porcentaje de leads contactados que respondieron"),
        f.response_rate,
    ),
    _rate(
        "not_interested_rate",
        ("Not-interested rate", "Share of contacted leads marked not interested"),
        (
            "Tasa de no interesados",
            "Porcentaje de leads contactados marcados como no interesados",
        ),
        f.not_interested_rate,
        better="lower",
    ),
    _cost("cost_per_mql", "mqls", "MQL", "MQL", f.cost_per_mql),
    _cost("cost_per_sql", "sqls", "SQL", "SQL", f.cost_per_sql),
    _cost(
        "cost_per_opportunity",
        "opportunities",
        "opportunity",
        "oportunidad",
        f.cost_per_opportunity,
    ),
    kpi(
        "cac",
        (
            "Customer acquisition cost (CAC)",
            "Marketing and sales cost (ad spend + the costs table: tools, agencies, "
            "salaries, events) per new customer; ad spend only, and says so, when "
            "no costs table is loaded",
        ),
        (
            "Coste de adquisición (CAC)",
            "Coste de marketing y ventas (inversión publicitaria + la tabla de "
            "costes: herramientas, agencias, salarios, eventos) por cliente nuevo; "
            "solo la inversión publicitaria, y lo indica, sin tabla de costes",
        ),
        "(spend + other_costs) / customers",
        "currency",
        "lower",
        _cac,
        measures=("total_cost", "customers"),
        interval="cost_per_count",
    ),
    kpi(
        "paid_cac",
        ("Paid CAC", "Ad spend per new customer (the costs table left out)"),
        (
            "CAC publicitario",
            "Inversión publicitaria por cliente nuevo (sin la tabla de costes)",
        ),
        "spend / customers",
        "currency",
        "lower",
        f.cac,
        interval="cost_per_count",
    ),
    kpi(
        "other_costs",
        (
            "Other costs",
            "Costs besides ad spend: tools, agencies, salaries, events (costs table)",
        ),
        (
            "Otros costes",
            "Costes aparte de la inversión publicitaria: herramientas, agencias, "
            "salarios, eventos (tabla de costes)",
        ),
        "sum of costs.amount (rows without a channel shared by their rule)",
        "currency",
        None,
    ),
    kpi(
        "total_cost",
        (
            "Total cost",
            "Marketing and sales cost: ad spend + other costs; ad spend only, and "
            "says so, when no costs table is loaded",
        ),
        (
            "Coste total",
            "Coste de marketing y ventas: inversión publicitaria + otros costes; "
            "solo la inversión, y lo indica, sin tabla de costes",
        ),
        "spend + other_costs",
        "currency",
        None,
    ),
    kpi(
        "lead_response_time",
        (
            "Lead response time",
            "Median time from lead creation to the first response, in seconds "
            "(working time when business_hours is set)",
        ),
        (
            "Tiempo de respuesta",
            "Mediana del tiempo desde la creación hasta la primera respuesta, "
            "en segundos (tiempo laborable si hay business_hours)",
        ),
        "median(first_response_at − created_at)",
        "seconds",
        "lower",
        measures=("response_seconds",),
        interval="statistic",
    ),
    _rate(
        "contacted_within_sla_rate",
        (
            "Contacted within SLA",
            "Share of leads first contacted within the SLA (config sla_hours), "
            "in working time when business_hours is set",
        ),
        (
            "Contactados dentro del SLA",
            "Porcentaje de leads contactados dentro del SLA (sla_hours), en "
            "tiempo laborable si hay business_hours",
        ),
        f.contacted_within_sla_rate,
    ),
    _rate(
        "never_contacted_rate",
        ("Never contacted", "Share of leads with no recorded response"),
        ("Nunca contactados", "Porcentaje de leads sin respuesta registrada"),
        f.never_contacted_rate,
        better="lower",
    ),
    kpi(
        "time_to_conversion",
        (
            "Time to conversion",
            "Median time from lead creation to won, won leads only, in seconds",
        ),
        (
            "Tiempo hasta la conversión",
            "Mediana del tiempo desde la creación hasta la venta, en segundos",
        ),
        "median(won_at − created_at)",
        "seconds",
        "lower",
        measures=("conversion_seconds",),
        interval="statistic",
    ),
    kpi(
        "time_to_conversion_p90",
        (
            "Time to conversion (90th percentile)",
            "Time from lead creation to won that 90 % of won leads beat, in seconds",
        ),
        (
            "Tiempo hasta la conversión (percentil 90)",
            "Tiempo desde la creación hasta la venta que supera el 90 % de los "
            "leads ganados, en segundos",
        ),
        "quantile(won_at − created_at, 0.9)",
        "seconds",
        "lower",
        measures=("conversion_seconds_p90",),
        interval="statistic",
    ),
    kpi(
        "time_to_conversion_from_first_touch",
        (
            "Time to conversion from first touch",
            "Median time from a lead's first recorded touch (touches table) to "
            "won, won leads with touches only, in seconds",
        ),
        (
            "Tiempo hasta la conversión desde el primer contacto",
            "Mediana del tiempo desde la primera interacción registrada (tabla de "
            "touches) hasta la venta, en segundos",
        ),
        "median(won_at − first touched_at)",
        "seconds",
        "lower",
        measures=("first_touch_conversion_seconds",),
        interval="statistic",
    ),
    kpi(
        "time_to_conversion_from_first_touch_p90",
        (
            "Time to conversion from first touch (90th percentile)",
            "Time from the first recorded touch to won that 90 % of won leads "
            "beat, in seconds",
        ),
        (
            "Tiempo hasta la conversión desde el primer contacto (percentil 90)",
            "Tiempo desde la primera interacción registrada hasta la venta que "
            "supera el 90 % de los leads ganados, en segundos",
        ),
        "quantile(won_at − first touched_at, 0.9)",
        "seconds",
        "lower",
        measures=("first_touch_conversion_seconds_p90",),
        interval="statistic",
    ),
    kpi(
        "stage_duration",
        (
            "Time in stage",
            "Median time between consecutive stages reached, in seconds",
        ),
        (
            "Tiempo por etapa",
            "Mediana del tiempo entre etapas consecutivas alcanzadas, en segundos",
        ),
        "median(stage reached − previous stage reached), all configured stages",
        "seconds",
        "lower",
        measures=("stage_seconds",),
        interval="statistic",
    ),
    kpi(
        "avg_lead_score",
        ("Average lead score", "Mean score of the leads created"),
        ("Puntuación media", "Puntuación media de los leads creados"),
        "mean(score)",
        "points",
        "higher",
        measures=("mean_score",),
        interval="statistic",
    ),
)
