"""Words of the executive summary (tiles, findings, channel and campaign tables), in
English and Spanish."""

TEXT: dict[str, dict[str, str]] = {
    "summary": {"en": "The month at a glance", "es": "El mes de un vistazo"},
    "findings": {"en": "What the numbers say", "es": "Lo que dicen las cifras"},
    "campaigns": {
        "en": "Top campaigns by spend",
        "es": "Campañas con más inversión",
    },
    "tiles_note": {
        "en": "{month}, {mode}. Under each value: its change against {previous} "
        "and against {year_ago}; rates and ratios change in percentage points (pp) "
        "or ×, everything else in %. Green: good news by the KPI's direction; red: "
        "bad news; grey: within noise (not significant at 95 %) or not judged.",
        "es": "{month}, {mode}. Bajo cada valor, su variación frente a {previous} y "
        "frente a {year_ago}; las tasas y los ratios varían en puntos porcentuales "
        "(p. p.) o en ×, el resto en %. Verde: buena noticia según el sentido del "
        "KPI; rojo: mala noticia; gris: dentro del ruido (no significativa al "
        "95 %) o sin juzgar.",
    },
    "findings_note": {
        "en": "Written from the numbers of {month} ({mode}) unless a finding names "
        "another window.",
        "es": "Redactado a partir de las cifras de {month} ({mode}), salvo que un "
        "hallazgo indique otra ventana.",
    },
    "no_summary_findings": {
        "en": "Nothing stands out: no change beyond noise, no target missed.",
        "es": "Nada destaca: ningún cambio fuera del ruido, ningún objetivo "
        "incumplido.",
    },
    "mode_short_period": {"en": "period mode", "es": "modo periodo"},
    "mode_short_cohort": {"en": "cohort mode", "es": "modo cohorte"},
    "window_month": {"en": "{month}", "es": "{month}"},
    "window_year": {
        "en": "last 12 months ({start} to {end})",
        "es": "últimos 12 meses ({start} a {end})",
    },
    "window_all": {"en": "all history", "es": "todo el histórico"},
    "vs": {"en": "vs {month}", "es": "vs. {month}"},
    "unknown": {"en": "unknown", "es": "sin dato"},
    # why a KPI is unknown (the engine's reasons, worded for a reader)
    "reason_needs_table_paid": {
        "en": "needs the {table} table (to tell paid channels)",
        "es": "necesita la tabla de {table} (para distinguir los canales de pago)",
    },
    "reason_needs_table": {
        "en": "needs the {table} table",
        "es": "necesita la tabla de {table}",
    },
    "reason_no_rows_range": {
        "en": "the {table} table has no rows in the selected range",
        "es": "la tabla de {table} no tiene filas en el periodo elegido",
    },
    "reason_no_rows_for": {
        "en": "the {table} table has no rows for {what}",
        "es": "la tabla de {table} no tiene filas para {what}",
    },
    "reason_ad_spend_only": {
        "en": "ad spend only: no costs table is loaded",
        "es": "solo inversión publicitaria: no hay tabla de costes cargada",
    },
    "reason_costs_only": {
        "en": "costs table only: no spend table is loaded",
        "es": "solo la tabla de costes: no hay tabla de inversión cargada",
    },
    "zero_denominator": {
        "en": "cannot be computed this month: its denominator is zero",
        "es": "no se puede calcular este mes: el denominador es cero",
    },
    "target_line": {
        "en": "target {target}: {status}",
        "es": "objetivo {target}: {status}",
    },
    "no_target_line": {"en": "no target", "es": "sin objetivo"},
    "points": {"en": "pp", "es": "p. p."},
    "dimension_note": {
        "en": "{month}, {mode}. Under each value, its change against {previous} "
        "(rates and ratios in points); where the configuration sets a target for "
        "the row, the target, in red when missed and in green when met.",
        "es": "{month}, {mode}. Bajo cada valor, su variación frente a {previous} "
        "(tasas y ratios en puntos); donde la configuración fija un objetivo para "
        "la fila, el objetivo, en rojo si no se cumple y en verde si se cumple.",
    },
    "campaigns_shown": {
        "en": "The {shown} campaigns with the most spend, of {total} with spend.",
        "es": "Las {shown} campañas con más inversión, de {total} con inversión.",
    },
    "no_rows": {
        "en": "No row for {month}.",
        "es": "Ninguna fila para {month}.",
    },
    # findings
    "finding_move": {
        "en": "{kpi} {verb} {change} ({previous} → {value}){driver}.",
        "es": "{kpi}: {verb} {change} ({previous} → {value}){driver}.",
    },
    "rose": {"en": "rose", "es": "subió un"},
    "fell": {"en": "fell", "es": "bajó un"},
    "rose_points": {"en": "rose", "es": "subió"},
    "fell_points": {"en": "fell", "es": "bajó"},
    "finding_driver": {
        "en": ", because {component} {verb} {change}, mostly in {channel} "
        "({before} → {after})",
        "es": ", porque {component} {verb} {change}, sobre todo en {channel} "
        "({before} → {after})",
    },
    "finding_driver_other": {
        "en": ", where {other} {verb}",
        "es": ", donde {other} {verb}",
    },
    "finding_targets": {
        "en": "Targets missed: {items}.",
        "es": "Objetivos no cumplidos: {items}.",
    },
    "finding_target_item": {
        "en": "{kpi} {value} against a target of {target}",
        "es": "{kpi}, {value} frente a un objetivo de {target}",
    },
    "finding_target_item_level": {
        "en": "{kpi} of {level} {value} against a target of {target}",
        "es": "{kpi} de {level}, {value} frente a un objetivo de {target}",
    },
    "finding_cac_despite": {
        "en": "{best} has the highest cost per lead ({cost_per_lead}) but the "
        "lowest CAC ({best_cac}, {customers} customers); {worst} has the highest "
        "CAC ({worst_cac}).",
        "es": "El canal {best_inline} tiene el coste por lead más alto "
        "({cost_per_lead}), pero el CAC más bajo ({best_cac}, {customers} "
        "clientes); {worst}, el CAC más alto ({worst_cac}).",
    },
    "finding_cac": {
        "en": "Lowest CAC: {best} ({best_cac}, {customers} customers); highest: "
        "{worst} ({worst_cac}).",
        "es": "CAC más bajo: {best} ({best_cac}, {customers} clientes); más alto: "
        "{worst} ({worst_cac}).",
    },
    "finding_no_customers_cheapest": {
        "en": "{channel} brings the cheapest leads ({cost_per_lead} per lead, "
        "{leads} leads) but no customer this month, for {spend} of spend.",
        "es": "El canal {channel_inline} trae los leads más baratos "
        "({cost_per_lead} por lead, {leads} leads), pero ningún cliente este mes, "
        "con {spend} de inversión.",
    },
    "finding_no_customers": {
        "en": "{channel} spent {spend} for {leads} leads and no customer this month.",
        "es": "El canal {channel_inline} invirtió {spend} en {leads} leads sin "
        "ningún cliente este mes.",
    },
    "finding_no_customers_others": {
        "en": " Also no customer despite spend: {others}.",
        "es": " Tampoco hubo clientes pese a la inversión en: {others}.",
    },
    "finding_sla": {
        "en": "{owner} answers {rate} of leads within the {sla} h SLA, against a "
        "median of {others} for the other reps (leads of the last 12 months; "
        "median response {median}).",
        "es": "{owner} atiende el {rate} de sus leads dentro del SLA de {sla} h, "
        "frente a una mediana del {others} en el resto del equipo (leads de los "
        "últimos 12 meses; respuesta mediana: {median}).",
    },
    "finding_quality": {
        "en": "Data quality ({severity}): {check}, {count} in the {table} table "
        "({share}); see the data-quality appendix.{more}",
        "es": "Calidad de datos ({severity}): {check}, {count} en la tabla de "
        "{table} ({share}); véase el apéndice de calidad de datos.{more}",
    },
    "finding_quality_more": {
        "en": " Other warnings there: {more}.",
        "es": " Otros avisos allí: {more}.",
    },
}

#: How a finding names a measure: in English; in Spanish with its article, with a
#: possessive, and whether it is plural (the verb agrees).
MEASURES: dict[str, dict[str, str]] = {
    "spend": {"en": "spend", "es": "la inversión", "es_its": "su inversión"},
    "total_cost": {"en": "total cost", "es": "el coste total",
                   "es_its": "su coste total"},
    "leads": {"en": "leads", "es": "los leads", "es_its": "sus leads", "plural": "1"},
    "mqls": {"en": "MQLs", "es": "los MQL", "es_its": "sus MQL", "plural": "1"},
    "sqls": {"en": "SQLs", "es": "los SQL", "es_its": "sus SQL", "plural": "1"},
    "opportunities": {"en": "opportunities", "es": "las oportunidades",
                      "es_its": "sus oportunidades", "plural": "1"},
    "customers": {"en": "customers", "es": "los clientes", "es_its": "sus clientes",
                  "plural": "1"},
    "revenue": {"en": "revenue", "es": "los ingresos", "es_its": "sus ingresos",
                "plural": "1"},
    "paid_revenue": {"en": "revenue", "es": "los ingresos", "es_its": "sus ingresos",
                     "plural": "1"},
    "open_pipeline": {"en": "open pipeline", "es": "el pipeline abierto",
                      "es_its": "su pipeline abierto"},
}  # fmt: skip

#: Verbs of a measure's change: (singular, plural) in Spanish.
VERBS: dict[str, dict[str, tuple[str, str]]] = {
    "rose": {"en": ("rose", "rose"), "es": ("subió un", "subieron un")},
    "fell": {"en": ("fell", "fell"), "es": ("bajó un", "bajaron un")},
    "held": {"en": ("held", "held"), "es": ("se mantuvo", "se mantuvieron")},
}

LABELS: dict[str, dict[str, str]] = {}
