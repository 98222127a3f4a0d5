"""Words of the campaign (or channel) deep dive, in English and Spanish."""

TEXT: dict[str, dict[str, str]] = {
    "report_campaign": {"en": "Campaign deep dive", "es": "Análisis de campaña"},
    "deep_dive_title": {
        "en": "{what} {name}: {start} to {end}",
        "es": "{what} {name}: del {start} al {end}",
    },
    "deep_dive_subtitle": {
        "en": "{company} · {name} against the rest of the account, week by week",
        "es": "{company} · {name} frente al resto de la cuenta, semana a semana",
    },
    "deep_dive_campaign": {"en": "Campaign", "es": "Campaña"},
    "deep_dive_channel": {"en": "Channel", "es": "Canal"},
    "deep_dive_rest": {"en": "Rest of the account", "es": "Resto de la cuenta"},
    "deep_dive_summary": {"en": "The whole range", "es": "Todo el periodo"},
    "deep_dive_summary_note": {
        "en": "Leads created in the range and what they have reached so far (cohort "
        "mode); spend is the range's. A star marks a figure on fewer than 30 leads.",
        "es": "Leads creados en el periodo y lo que han alcanzado hasta ahora (modo "
        "cohorte); la inversión es la del periodo. Un asterisco señala una cifra "
        "basada en menos de 30 leads.",
    },
    "deep_dive_weeks": {"en": "Week by week", "es": "Semana a semana"},
    "deep_dive_weeks_note": {
        "en": "Each panel: {name} (solid) and the rest of the account (dashed). "
        "Weeks run Monday to Sunday; the first and last may be partly outside "
        "the range.",
        "es": "Cada panel: {name} (línea continua) y el resto de la cuenta "
        "(discontinua). Las semanas van de lunes a domingo; la primera y la última "
        "pueden quedar en parte fuera del periodo.",
    },
    "deep_dive_funnel": {
        "en": "Funnel and cohort conversion",
        "es": "Embudo y conversión de la cohorte",
    },
    "deep_dive_speed": {"en": "Speed to lead", "es": "Velocidad de respuesta"},
    "deep_dive_pages": {
        "en": "Top landing pages",
        "es": "Páginas de destino principales",
    },
    "deep_dive_pages_note": {
        "en": "Pages without their query string (UTM tags differ by campaign, the "
        "page does not); the last two columns are the same page's leads from the "
        "rest of the account.",
        "es": "Páginas sin sus parámetros (las etiquetas UTM cambian con la campaña, "
        "la página no); las dos últimas columnas son los leads de esa misma página "
        "que llegaron por el resto de la cuenta.",
    },
    "deep_dive_no_pages": {
        "en": "The leads have no landing page.",
        "es": "Los leads no tienen página de destino.",
    },
    "landing_page": {"en": "Landing page", "es": "Página de destino"},
    "page_leads": {"en": "Leads", "es": "Leads"},
    "page_share": {"en": "Share of its leads", "es": "Cuota de sus leads"},
    "page_opportunities": {"en": "Opportunities", "es": "Oportunidades"},
    "page_opportunity_rate": {
        "en": "Lead to opportunity",
        "es": "De lead a oportunidad",
    },
    "page_rest_leads": {"en": "Rest: leads", "es": "Resto: leads"},
    "page_rest_opportunity_rate": {
        "en": "Rest: lead to opportunity",
        "es": "Resto: de lead a oportunidad",
    },
    "funnel_count": {"en": "Leads", "es": "Leads"},
    "funnel_from_previous": {
        "en": "From the stage before",
        "es": "Desde la etapa anterior",
    },
}

LABELS: dict[str, dict[str, str]] = {}
