"""Words of report sections: what a missing input is called, and the e-mail and
web sections, in English and Spanish."""

TEXT: dict[str, dict[str, str]] = {
    "section_unavailable": {
        "en": "Not available: needs {needs} (see README).",
        "es": "No disponible: requiere {needs} (véase el README).",
    },
    "needs_and": {"en": " and ", "es": " y "},
    # what each input is called in the line above
    "needs_leads": {"en": "a leads export", "es": "una exportación de leads"},
    "needs_deals": {
        "en": "a deals export",
        "es": "una exportación de oportunidades",
    },
    "needs_touches": {
        "en": "a touches export",
        "es": "una exportación de interacciones de marketing",
    },
    "needs_spend": {
        "en": "a spend export",
        "es": "una exportación de inversión publicitaria",
    },
    "needs_email": {
        "en": "an email export",
        "es": "una exportación de campañas de correo electrónico",
    },
    "needs_web": {"en": "a web export", "es": "una exportación de analítica web"},
    "needs_customers": {
        "en": "a customers export",
        "es": "una exportación de clientes",
    },
    "needs_costs": {"en": "a costs export", "es": "una exportación de costes"},
    "needs_outreach": {
        "en": "an outreach export",
        "es": "una exportación de prospección",
    },
    "needs_leads.first_response_at": {
        "en": "first-response times in the leads export",
        "es": "la hora de la primera respuesta en la exportación de leads",
    },
    "needs_leads.owner": {
        "en": "an owner column in the leads export",
        "es": "una columna de comercial en la exportación de leads",
    },
    "needs_leads.score": {
        "en": "a score column in the leads export",
        "es": "una columna de puntuación en la exportación de leads",
    },
    # the e-mail section
    "email_section": {
        "en": "E-mail nurturing",
        "es": "Nutrición por correo electrónico",
    },
    "email_note": {
        "en": "The campaigns sent in {month}: delivery, unique opens and clicks per "
        "delivered e-mail, clicks per open, unsubscribes per delivered e-mail and "
        "bounces per e-mail sent. The last row is all campaigns together.",
        "es": "Las campañas enviadas en {month}: entrega, aperturas y clics únicos "
        "por correo entregado, clics por apertura, bajas por correo entregado y "
        "rebotes por correo enviado. La última fila reúne todas las campañas.",
    },
    "email_none": {
        "en": "No e-mail campaign was sent in {month}.",
        "es": "En {month} no se envió ninguna campaña de correo.",
    },
    "all_campaigns": {"en": "All campaigns", "es": "Todas las campañas"},
    # the web section
    "web_section": {"en": "Web traffic", "es": "Tráfico web"},
    "web_note": {
        "en": "Sessions in {month} by channel, the leads created and the leads per "
        "session. Both are counted by channel: the rate sets a channel's new leads "
        "against its sessions, whether or not each lead came through the site.",
        "es": "Sesiones de {month} por canal, leads creados y leads por sesión. "
        "Ambas cifras se cuentan por canal: la tasa compara los leads nuevos de un "
        "canal con sus sesiones, hayan llegado o no esos leads a través de la web.",
    },
    "web_none": {
        "en": "The web export has no sessions in {month}.",
        "es": "La exportación de analítica web no tiene sesiones en {month}.",
    },
    "all_channels": {"en": "All channels", "es": "Todos los canales"},
}

LABELS: dict[str, dict[str, str]] = {
    # canonical tables, as the data-quality appendix and the footer name them
    "table:leads": {"en": "leads", "es": "leads"},
    "table:deals": {"en": "deals", "es": "oportunidades"},
    "table:touches": {"en": "touches", "es": "interacciones"},
    "table:spend": {"en": "spend", "es": "inversión"},
    "table:email": {"en": "email", "es": "correo electrónico"},
    "table:web": {"en": "web", "es": "web"},
    "table:customers": {"en": "customers", "es": "clientes"},
    "table:costs": {"en": "costs", "es": "costes"},
    # export layouts read by leadkpi's own column names
    "profile:canonical": {"en": "canonical", "es": "formato canónico"},
    "profile:frame": {"en": "data frame", "es": "tabla en memoria"},
}
