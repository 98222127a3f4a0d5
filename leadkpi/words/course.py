"""Words of the course's feedback, in English and Spanish.

``course_hint_<id>`` is the hint of a mistake id used by the exercises in
:mod:`leadkpi.course`.
"""

TEXT: dict[str, dict[str, str]] = {
    "course_right": {"en": "Right! {answer}", "es": "¡Correcto! {answer}"},
    "course_wrong": {"en": "Not yet: {hint}", "es": "Todavía no: {hint}"},
    "course_hint_try_again": {
        "en": "check the formula and which rows you counted, then try again.",
        "es": "revisa la fórmula y qué filas has contado, y vuelve a intentarlo.",
    },
    "course_hint_upside_down": {
        "en": "the ratio is upside down; swap numerator and denominator (cost per "
        "lead, for one, is spend divided by leads).",
        "es": "el cociente está al revés; intercambia numerador y denominador (el "
        "coste por lead, por ejemplo, es la inversión dividida entre los leads).",
    },
    "course_hint_percent_not_fraction": {
        "en": "that is the percentage; give the rate as a fraction (0.05), as a string "
        "with % ('5 %'), or pass percent=True.",
        "es": "eso es el porcentaje; da la tasa como fracción (0,05), como texto con % "
        "('5 %') o pasa percent=True.",
    },
    "course_hint_fraction_as_percent": {
        "en": "that is the fraction read as a percentage; drop percent=True or the % "
        "sign.",
        "es": "eso es la fracción leída como porcentaje; quita percent=True o el "
        "signo %.",
    },
    "course_hint_averaged_ratios": {
        "en": "that is an average of ratios; a rate over several groups is the sum of "
        "the numerators over the sum of the denominators.",
        "es": "eso es una media de cocientes; la tasa de varios grupos es la suma de "
        "los numeradores entre la suma de los denominadores.",
    },
    "course_hint_period_not_cohort": {
        "en": "that counts what happened in the period; the question follows the "
        "leads created in it (cohort).",
        "es": "eso cuenta lo ocurrido en el periodo; la pregunta sigue a los leads "
        "creados en él (cohorte).",
    },
    "course_hint_cohort_not_period": {
        "en": "that follows the leads created in the period (cohort); the question "
        "counts what happened in it.",
        "es": "eso sigue a los leads creados en el periodo (cohorte); la pregunta "
        "cuenta lo que ocurrió en él.",
    },
    "course_hint_roi_not_roas": {
        "en": "that is ROI, profit over cost; ROAS is revenue over cost.",
        "es": "eso es el ROI, beneficio entre coste; el ROAS es ingresos entre coste.",
    },
    "course_hint_roas_not_roi": {
        "en": "that is ROAS, revenue over cost; ROI subtracts the cost first: "
        "(revenue − cost) / cost.",
        "es": "eso es el ROAS, ingresos entre coste; el ROI resta antes el coste: "
        "(ingresos − coste) / coste.",
    },
    "course_hint_unanswered": {
        "en": "write your answer in `answer` and run the cell again.",
        "es": "escribe tu respuesta en `answer` y vuelve a ejecutar la celda.",
    },
    "course_hint_rate_from_first": {
        "en": "that divides by the top of the funnel; a stage-to-stage rate divides "
        "by the stage just before it (SQLs over MQLs).",
        "es": "eso divide entre la parte alta del embudo; la tasa entre dos etapas "
        "divide entre la etapa inmediatamente anterior (SQL entre MQL).",
    },
}

LABELS: dict[str, dict[str, str]] = {}
