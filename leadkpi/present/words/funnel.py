"""Words of the funnel, cohort and time-between-stages analyses (en, es)."""

TEXT: dict[str, dict[str, str]] = {
    "not_yet_mature": {"en": "not yet mature", "es": "aún no maduro"},
    "not_available": {"en": "n/a", "es": "n/d"},
    "cohort_axis": {"en": "Cohort", "es": "Cohorte"},
    "cohort_age_axis": {
        "en": "Months since the cohort's start",
        "es": "Meses desde el inicio de la cohorte",
    },
    "days_since_creation": {
        "en": "Days since the lead was created",
        "es": "Días desde la creación del lead",
    },
    "share_reached": {
        "en": "Share that reached {stage}",
        "es": "Proporción que llegó a la etapa {stage}",
    },
    "all_leads": {"en": "All leads", "es": "Todos los leads"},
    "log_scale": {
        "en": "Logarithmic scale: each gridline is ten times the one before",
        "es": "Escala logarítmica: cada línea de la cuadrícula es diez veces la "
        "anterior",
    },
    "interval_95": {"en": "95% interval", "es": "Intervalo del 95 %"},
    "lost": {"en": "Leads lost, and why", "es": "Leads perdidos y por qué"},
    "lost_note": {
        "en": "Each stage's leads lost at it (the last stage they had reached when "
        "lost) over those that reached it; then the reasons the CRM recorded for "
        "the deals lost in the month, overall and by channel.",
        "es": "Los leads perdidos en cada etapa (la última que habían alcanzado al "
        "perderse) sobre los que la alcanzaron; después, los motivos que registró "
        "el CRM para los negocios perdidos en el mes, en total y por canal.",
    },
    "lost_none": {
        "en": "No lost reasons: the deals (or leads) have no lost_reason column "
        "(HubSpot's Closed Lost Reason, Salesforce's Loss Reason, Pipedrive's Lost "
        "reason).",
        "es": "Sin motivos de pérdida: las oportunidades (o los leads) no tienen "
        "columna lost_reason (Closed Lost Reason de HubSpot, Loss Reason de "
        "Salesforce, Lost reason de Pipedrive).",
    },
    "reached": {"en": "Reached", "es": "Alcanzaron"},
    "lost_count": {"en": "Lost", "es": "Perdidos"},
    "lost_share": {"en": "Share lost", "es": "Proporción perdida"},
    "total": {"en": "Total", "es": "Total"},
}

LABELS: dict[str, dict[str, str]] = {
    # stage ids not named after a measure
    "visitors": {"en": "Visitors", "es": "Visitantes"},
    "visitor": {"en": "Visitors", "es": "Visitantes"},
    "session": {"en": "Sessions", "es": "Sesiones"},
    "lead": {"en": "Leads", "es": "Leads"},
    "mql": {"en": "MQLs", "es": "MQL"},
    "sql": {"en": "SQLs", "es": "SQL"},
    "opportunity": {"en": "Opportunities", "es": "Oportunidades"},
    "customer": {"en": "Customers", "es": "Clientes"},
}
