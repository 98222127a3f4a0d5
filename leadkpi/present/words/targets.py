"""Words of relative targets (a change against a reference period), in English and
Spanish."""

TEXT: dict[str, dict[str, str]] = {
    "growth_targets": {"en": "Growth targets", "es": "Objetivos de crecimiento"},
    "growth_target": {
        "en": "{change} on {reference} ({value})",
        "es": "{change} sobre {reference} ({value})",
    },
    "growth_to_date": {"en": "So far", "es": "Hasta ahora"},
    "growth_progress": {"en": "Progress", "es": "Avance"},
    "growth_needed": {"en": "Needed", "es": "Necesario"},
    "growth_per_month": {
        "en": "{value} a month for {months} more months",
        "es": "{value} al mes durante {months} meses más",
    },
    "growth_last_month": {
        "en": "{value} in the last month",
        "es": "{value} en el último mes",
    },
    "growth_rest": {
        "en": "{value} over the remaining {months} months",
        "es": "{value} en los {months} meses restantes",
    },
    "growth_note": {
        "en": "A relative target is its reference period's value changed by the "
        "percentage asked. A quarter's or a year's is followed month by month: so "
        "far is the period's value up to this month; needed is what the months "
        "left must bring (for a rate or a cost, if its denominator keeps its pace).",
        "es": "Un objetivo relativo es el valor de su periodo de referencia "
        "cambiado en el porcentaje pedido. El de un trimestre o un año se sigue mes "
        "a mes: hasta ahora es el valor del periodo hasta este mes; necesario, lo "
        "que deben aportar los meses que quedan (para una tasa o un coste, si su "
        "denominador mantiene su ritmo).",
    },
    # target_progress statuses (met and missed are the absolute targets' words)
    "on_track": {"en": "on track", "es": "en camino"},
    "behind": {"en": "behind", "es": "por detrás"},
}

LABELS: dict[str, dict[str, str]] = {}
