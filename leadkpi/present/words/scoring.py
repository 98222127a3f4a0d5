"""Words of the lead-scoring analyses and report sections, in English and Spanish.

Column headings are labelled ``scoring:<column>``, so that they never replace
another section's words for the same column.
"""

TEXT: dict[str, dict[str, str]] = {
    "scoring_title": {
        "en": "Lead scoring: scorecard against model",
        "es": "Puntuación de leads: reglas frente a modelo",
    },
    "scoring_intro": {
        "en": "Leads created up to {month}, judged on whether they became a "
        "**{label}** within {days} days. The model learns from the older "
        "{train} leads and is judged, like the scorecard, on the latest {test} "
        "({positives} of them converted). {immature} recent leads are left out: "
        "their {days} days have not passed.",
        "es": "Leads creados hasta {month}, juzgados por si pasaron a **{label}** "
        "en {days} días. El modelo aprende de los {train} leads más antiguos y se "
        "juzga, igual que las reglas, con los {test} más recientes ({positives} "
        "convirtieron). Se dejan fuera {immature} leads recientes: aún no han "
        "pasado sus {days} días.",
    },
    "scoring_summary": {
        "en": "How good is each score",
        "es": "Calidad de cada puntuación",
    },
    "scoring_rules": {"en": "The scorecard", "es": "Las reglas de puntuación"},
    "scoring_rules_note": {
        "en": "Points per rule; a lead with {threshold} points or more is an MQL. "
        "Engagement counts until the lead's qualification point only.",
        "es": "Puntos por regla; un lead con {threshold} puntos o más es MQL. La "
        "interacción cuenta solo hasta el momento de cualificación del lead.",
    },
    "scoring_leakage": {
        "en": "Features too good to be true",
        "es": "Variables demasiado buenas para ser verdad",
    },
    "scoring_leakage_none": {
        "en": "No feature predicts the outcome on its own with an AUC above {limit}.",
        "es": "Ninguna variable predice el resultado por sí sola con un AUC "
        "superior a {limit}.",
    },
    "scoring_leakage_found": {
        "en": "Left out of the model: {features}. Each alone predicts the outcome "
        "with an AUC above {limit}, a sign that it is filled in after the fact.",
        "es": "Fuera del modelo: {features}. Cada una por sí sola predice el "
        "resultado con un AUC superior a {limit}: señal de que se rellena después.",
    },
    "scoring_gains": {"en": "Gains and calibration", "es": "Ganancia y calibración"},
    "scoring_bands": {
        "en": "Conversion by score band",
        "es": "Conversión por tramo de puntuación",
    },
    "scoring_threshold": {
        "en": "MQL threshold for {capacity} leads a month",
        "es": "Umbral de MQL para {capacity} leads al mes",
    },
    "scoring_threshold_note": {
        "en": "Passing leads with a model probability of at least {threshold} "
        "sends sales {per_month} leads a month, {share} of all leads, which hold "
        "{recall} of the conversions (lift {lift}).",
        "es": "Pasar los leads con una probabilidad del modelo de al menos "
        "{threshold} envía a ventas {per_month} leads al mes, el {share} del "
        "total, que concentran el {recall} de las conversiones (lift {lift}).",
    },
    "scoring_threshold_over": {
        "en": "Even the top-scored leads alone exceed {capacity} a month: the "
        "threshold is the top score.",
        "es": "Solo los leads mejor puntuados ya superan {capacity} al mes: el "
        "umbral es la puntuación máxima.",
    },
    "scoring_closing": {
        "en": "On the latest {test} leads the model reaches an AUC of {model_auc} "
        "against {card_auc} for the scorecard; the lift of its top decile is "
        "{model_lift} (scorecard: {card_lift}).",
        "es": "En los {test} leads más recientes el modelo alcanza un AUC de "
        "{model_auc} frente a {card_auc} de las reglas; el lift de su primer "
        "decil es {model_lift} (reglas: {card_lift}).",
    },
    "lead_quality": {"en": "Lead quality", "es": "Calidad de los leads"},
    "lead_quality_note": {
        "en": "Leads created in the twelve months up to {month}, by the score the "
        "CRM gave them: how many became MQLs and how many of those sales accepted.",
        "es": "Leads creados en los doce meses hasta {month}, por la puntuación que "
        "les dio el CRM: cuántos pasaron a MQL y cuántos de ellos aceptó el equipo "
        "comercial.",
    },
    "lead_quality_none": {
        "en": "The leads have no score column.",
        "es": "Los leads no tienen columna de puntuación.",
    },
    # axes
    "gains_x": {
        "en": "Share of leads, best scored first",
        "es": "Porcentaje de leads, mejor puntuados primero",
    },
    "gains_y": {"en": "Share of conversions", "es": "Porcentaje de conversiones"},
    "gains_random": {"en": "Random", "es": "Al azar"},
    "calibration_x": {"en": "Predicted probability", "es": "Probabilidad prevista"},
    "calibration_y": {
        "en": "Observed rate (95 % CI)",
        "es": "Tasa observada (IC 95 %)",
    },
    "calibration_ideal": {"en": "Perfectly calibrated", "es": "Calibración perfecta"},
    "bands_x": {"en": "Score band", "es": "Tramo de puntuación"},
    "bands_y": {
        "en": "Conversion rate (95 % CI)",
        "es": "Tasa de conversión (IC 95 %)",
    },
}

LABELS: dict[str, dict[str, str]] = {
    "scorecard": {"en": "Scorecard", "es": "Reglas"},
    "model": {"en": "Model", "es": "Modelo"},
    "crm_score": {"en": "CRM score", "es": "Puntuación del CRM"},
    "scoring:scorer": {"en": "Score", "es": "Puntuación"},
    "scoring:auc": {"en": "AUC", "es": "AUC"},
    "scoring:brier": {"en": "Brier score", "es": "Puntuación de Brier"},
    "scoring:top_decile_lift": {"en": "Top-decile lift", "es": "Lift del primer decil"},
    "scoring:base_rate": {"en": "Base rate", "es": "Tasa base"},
    "scoring:positives": {"en": "Conversions", "es": "Conversiones"},
    "scoring:n": {"en": "Leads", "es": "Leads"},
    "scoring:band": {"en": "Score band", "es": "Tramo"},
    "scoring:score_band": {"en": "Score band", "es": "Tramo"},
    "scoring:rule": {"en": "Rule", "es": "Regla"},
    "scoring:condition": {"en": "Condition", "es": "Condición"},
    "scoring:points": {"en": "Points", "es": "Puntos"},
    "scoring:leads_in_band": {"en": "Leads", "es": "Leads"},
    "scoring:rate": {"en": "Conversion", "es": "Conversión"},
    "scoring:share_of_leads": {"en": "Share of leads", "es": "% de leads"},
    "scoring:share_of_positives": {
        "en": "Share of conversions",
        "es": "% de conversiones",
    },
}
