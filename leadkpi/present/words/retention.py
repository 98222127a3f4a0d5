"""Words of the retention and LTV analyses, in English and Spanish."""

TEXT: dict[str, dict[str, str]] = {
    "retention_title": {
        "en": "Customers still active by months since start",
        "es": "Clientes aún activos por meses desde el alta",
    },
    "retention_age_axis": {
        "en": "Months since start (0 = start month)",
        "es": "Meses desde el alta (0 = mes de alta)",
    },
    "retention_value_axis": {
        "en": "Still active at month end",
        "es": "Activos al cierre del mes",
    },
    "retention_cohort_legend": {"en": "Start month", "es": "Mes de alta"},
    "retention_all": {"en": "All customers", "es": "Todos los clientes"},
    "ltv_note_ok": {
        "en": "Realised LTV first: the revenue customers actually brought. The "
        "formula LTV caps the expected lifetime at {cap} months.",
        "es": "Primero el LTV realizado: el ingreso que los clientes aportaron de "
        "verdad. El LTV por fórmula limita la vida esperada a {cap} meses.",
    },
    "ltv_note_few": {
        "en": "Realised LTV first: the revenue customers actually brought. The "
        "formula LTV caps the expected lifetime at {cap} months; for {cells} its "
        "churn estimate rests on fewer than 30 lost customers, so read it with "
        "care.",
        "es": "Primero el LTV realizado: el ingreso que los clientes aportaron de "
        "verdad. El LTV por fórmula limita la vida esperada a {cap} meses; en "
        "{cells} su estimación del abandono se basa en menos de 30 clientes "
        "perdidos, así que debe leerse con cautela.",
    },
    "ltv_cac_window": {
        "en": "CAC here is all history up to {month}: ad spend and costs over the "
        "customers its leads became (cohort mode); the channel table's CAC is "
        "{month} alone.",
        "es": "Aquí el CAC abarca todo el historial hasta {month}: la inversión y "
        "los costes sobre los clientes en que se convirtieron sus leads (modo "
        "cohorte); el CAC de la tabla de canales es solo el de {month}.",
    },
    "ltv_title": {
        "en": "Lifetime value and acquisition cost per customer",
        "es": "Valor de vida y coste de adquisición por cliente",
    },
    "ltv_empirical_bar": {
        "en": "Realised LTV, first {months} months",
        "es": "LTV realizado, primeros {months} meses",
    },
    "ltv_formula_bar": {
        "en": "Formula LTV (revenue / churn)",
        "es": "LTV por fórmula (ingreso / abandono)",
    },
    "ltv_cac_mark": {"en": "CAC", "es": "CAC"},
}

LABELS: dict[str, dict[str, str]] = {
    "customers_at_start": {
        "en": "Customers at start",
        "es": "Clientes al inicio",
    },
    "customers_lost": {"en": "Customers lost", "es": "Clientes perdidos"},
    "retention_rate": {"en": "Retention rate", "es": "Tasa de retención"},
    "churn_rate": {"en": "Churn rate", "es": "Tasa de abandono"},
    "cac": {"en": "CAC", "es": "CAC"},
    "arpa": {
        "en": "Monthly revenue per customer",
        "es": "Ingreso mensual por cliente",
    },
    "monthly_churn": {"en": "Monthly churn", "es": "Abandono mensual"},
    "ltv_formula": {"en": "Formula LTV", "es": "LTV por fórmula"},
    "ltv_empirical": {"en": "Realised LTV", "es": "LTV realizado"},
    "mature_customers": {
        "en": "Customers in mature cohorts",
        "es": "Clientes de cohortes maduras",
    },
    "ltv_to_cac_formula": {
        "en": "LTV:CAC (formula)",
        "es": "LTV:CAC (fórmula)",
    },
    "ltv_to_cac_empirical": {
        "en": "LTV:CAC (realised)",
        "es": "LTV:CAC (realizado)",
    },
    "start_month": {"en": "Start month", "es": "Mes de alta"},
    "months_since_start": {"en": "Months since start", "es": "Meses desde el alta"},
}
