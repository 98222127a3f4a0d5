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
        "es": "Proporción que llegó a {stage}",
    },
    "all_leads": {"en": "All leads", "es": "Todos los leads"},
    "interval_95": {"en": "95% interval", "es": "Intervalo del 95 %"},
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
