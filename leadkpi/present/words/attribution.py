"""Words of the attribution analysis, in English and Spanish."""

TEXT: dict[str, dict[str, str]] = {
    "attribution_title": {
        "en": "Multi-touch attribution · {start} – {end}",
        "es": "Atribución multicontacto · {start} – {end}",
    },
    "attribution_subtitle": {
        "en": "{company} · customers won from {start} to {end}; journeys cover "
        "the {lookback} days before each win",
        "es": "{company} · clientes ganados de {start} a {end}; los recorridos "
        "abarcan los {lookback} días previos a cada venta",
    },
    "attribution_credit": {
        "en": "Customers credited to each channel, by model",
        "es": "Clientes atribuidos a cada canal, según el modelo",
    },
    "attribution_cost": {
        "en": "Cost per lead, cost per customer and return on ad spend, by model",
        "es": "Coste por lead, coste por cliente y retorno de la inversión "
        "publicitaria, según el modelo",
    },
    "attribution_cost_note": {
        "en": "Spend of the same months over the leads and customers each model "
        "credits to the channel. Channels without spend rows (organic, e-mail, "
        "direct) have no cost KPIs.",
        "es": "La inversión de esos meses entre los leads y clientes que cada "
        "modelo atribuye al canal. Los canales sin filas de inversión (orgánicos, "
        "e-mail, directo) no tienen KPI de coste.",
    },
    "attribution_lookback_note": {
        "en": "Share of customers credited to each channel by the linear model "
        "when journeys reach back {values} days before the win: a short window "
        "favours the channels that close, a long one those that open.",
        "es": "Proporción de clientes atribuida a cada canal por el modelo lineal "
        "cuando los recorridos se remontan {values} días antes de la venta: una "
        "ventana corta favorece a los canales que cierran; una larga, a los que "
        "abren.",
    },
    "attribution_half_life_note": {
        "en": "Share of customers credited by the time-decay model with a "
        "half-life of {values} days: the shorter the half-life, the more the "
        "last touches take.",
        "es": "Proporción de clientes atribuida por el modelo de decaimiento "
        "temporal con una vida media de {values} días: cuanto más corta, más se "
        "llevan los últimos contactos.",
    },
    "attribution": {
        "en": "Which channels won the month's customers",
        "es": "Qué canales captaron a los clientes del mes",
    },
    "attribution_note": {
        "en": "The {customers} customers won in {span}, their credit split among "
        "the channels of their journeys ({lookback}-day lookback) by each model. "
        "Rule-based models fix the split in advance; the Markov model credits a "
        "channel with the conversions lost without it, and Shapley with its "
        "average contribution to every group of channels. CAC per channel is "
        "the same months' spend over the customers credited to it: where the "
        "models disagree, so does the channel's CAC.",
        "es": "Los {customers} clientes ganados en {span}, con su mérito repartido "
        "entre los canales de su recorrido (ventana de {lookback} días) según "
        "cada modelo. Los modelos de reglas fijan el reparto de antemano; el de "
        "Markov atribuye a un canal las conversiones que se perderían sin él, y "
        "Shapley su aportación media a cada grupo de canales. El CAC por canal "
        "es la inversión de esos meses entre los clientes atribuidos a él: donde "
        "los modelos discrepan, también lo hace el CAC del canal.",
    },
    "attribution_dropped": {
        "en": "Left out: {after} touches after a conversion and {early} touches "
        "more than {lookback} days before it; {no_touch} customers had no touch "
        "in the window and are credited to “no touch”.",
        "es": "Fuera del análisis: {after} contactos posteriores a una conversión "
        "y {early} anteriores en más de {lookback} días; {no_touch} clientes sin "
        "contactos en la ventana se atribuyen a «sin contacto».",
    },
    "attribution_none": {
        "en": "No customer was won in {span}: nothing to attribute.",
        "es": "En {span} no se ganó ningún cliente: no hay nada que atribuir.",
    },
    "attribution_cac": {
        "en": "CAC per channel under each model",
        "es": "CAC por canal según cada modelo",
    },
    "attribution_cpl": {
        "en": "CPL per channel under each model",
        "es": "CPL por canal según cada modelo",
    },
    "attribution_roas": {
        "en": "ROAS per channel under each model",
        "es": "ROAS por canal según cada modelo",
    },
    "attribution_models": {
        "en": "Attribution models side by side",
        "es": "Modelos de atribución comparados",
    },
    "attribution_lookback": {
        "en": "Sensitivity to the lookback window",
        "es": "Sensibilidad a la ventana de atribución",
    },
    "attribution_half_life": {
        "en": "Sensitivity to the time-decay half-life",
        "es": "Sensibilidad a la vida media del decaimiento temporal",
    },
    "attribution_axis_conversions": {
        "en": "Conversions credited",
        "es": "Conversiones atribuidas",
    },
    "attribution_axis_share": {
        "en": "Share of conversions",
        "es": "Proporción de conversiones",
    },
    "attribution_axis_revenue": {
        "en": "Revenue credited",
        "es": "Ingresos atribuidos",
    },
    "attribution_axis_customers": {
        "en": "Customers credited",
        "es": "Clientes atribuidos",
    },
    "attribution_axis_leads": {"en": "Leads credited", "es": "Leads atribuidos"},
    "attribution_axis_spend": {"en": "Spend", "es": "Inversión"},
    "attribution_axis_cac": {"en": "CAC", "es": "CAC"},
    "attribution_axis_cpl": {"en": "CPL", "es": "CPL"},
    "attribution_axis_roas": {"en": "ROAS", "es": "ROAS"},
    "attribution_axis_roi": {"en": "ROI", "es": "ROI"},
    "attribution_legend_model": {"en": "Model", "es": "Modelo"},
    "attribution_legend_lookback_days": {
        "en": "Lookback (days)",
        "es": "Ventana (días)",
    },
    "attribution_legend_half_life_days": {
        "en": "Half-life (days)",
        "es": "Vida media (días)",
    },
}

LABELS: dict[str, dict[str, str]] = {
    # attribution models
    "first_touch": {"en": "First touch", "es": "Primer contacto"},
    "last_touch": {"en": "Last touch", "es": "Último contacto"},
    "last_non_direct": {
        "en": "Last non-direct",
        "es": "Último no directo",
    },
    "linear": {"en": "Linear", "es": "Lineal"},
    "time_decay": {"en": "Time decay", "es": "Decaimiento temporal"},
    "position": {"en": "U-shaped", "es": "En U"},
    "w_shaped": {"en": "W-shaped", "es": "En W"},
    "markov_1": {"en": "Markov", "es": "Markov"},
    "markov_2": {"en": "Markov (2nd order)", "es": "Markov (orden 2)"},
    "markov_3": {"en": "Markov (3rd order)", "es": "Markov (orden 3)"},
    "shapley": {"en": "Shapley", "es": "Shapley"},
    "(no touch)": {"en": "No touch", "es": "Sin contacto"},
    # attribution_kpis columns
    "cpl": {"en": "CPL", "es": "CPL"},
    "cac": {"en": "CAC", "es": "CAC"},
    "roas": {"en": "ROAS", "es": "ROAS"},
    "roi": {"en": "ROI", "es": "ROI"},
}
