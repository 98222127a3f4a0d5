"""Words of the speed-to-lead and time-between-stages analyses, in English and
Spanish."""

TEXT: dict[str, dict[str, str]] = {
    "speed_duration_axis": {
        "en": "Time between stages ({unit})",
        "es": "Tiempo entre etapas ({unit})",
    },
    "speed_unit_minutes": {"en": "minutes", "es": "minutos"},
    "speed_unit_hours": {"en": "hours", "es": "horas"},
    "speed_unit_days": {"en": "days", "es": "días"},
    "speed_box_caption": {
        "en": "Box: p25–p75; line: median; whisker: up to p90; dot: mean",
        "es": "Caja: p25–p75; línea: mediana; bigote: hasta p90; punto: media",
    },
    "speed_bucket_axis": {
        "en": "Time to first response",
        "es": "Tiempo hasta la primera respuesta",
    },
    "speed_leads_axis": {"en": "Leads", "es": "Leads"},
    "speed_conversion_axis": {
        "en": "Lead conversion rate (95 % CI)",
        "es": "Tasa de conversión de leads (IC 95 %)",
    },
}

LABELS: dict[str, dict[str, str]] = {
    # speed_to_lead columns, as table headings
    "within_sla_rate": {"en": "Within SLA", "es": "Dentro del SLA"},
    "median_seconds": {"en": "Median response", "es": "Respuesta mediana"},
    "p95_seconds": {"en": "95th percentile", "es": "Percentil 95"},
    "never_contacted_rate": {"en": "Never contacted", "es": "Nunca contactados"},
    # funnel stages as single steps ("MQL → SQL")
    "stage:lead": {"en": "Lead", "es": "Lead"},
    "stage:mql": {"en": "MQL", "es": "MQL"},
    "stage:sql": {"en": "SQL", "es": "SQL"},
    "stage:opportunity": {"en": "Opportunity", "es": "Oportunidad"},
    "stage:customer": {"en": "Customer", "es": "Cliente"},
    # response-time buckets
    "under_5m": {"en": "< 5 min", "es": "< 5 min"},
    "under_1h": {"en": "< 1 h", "es": "< 1 h"},
    "under_4h": {"en": "< 4 h", "es": "< 4 h"},
    "under_24h": {"en": "< 24 h", "es": "< 24 h"},
    "over_24h": {"en": "> 24 h", "es": "> 24 h"},
    "never": {"en": "Never", "es": "Nunca"},
    "before_created": {"en": "Before creation", "es": "Antes de crear"},
}
