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
    "course_hint_retention_not_churn": {
        "en": "that is the share that stayed (retention); churn is the share of the "
        "customers at the start who were lost.",
        "es": "esa es la parte que se quedó (retención); el abandono es la parte de "
        "los clientes del principio que se perdió.",
    },
    "course_hint_churn_not_retention": {
        "en": "that is the share that was lost (churn); retention is the share of the "
        "customers at the start still active at the end.",
        "es": "esa es la parte que se perdió (abandono); la retención es la parte de "
        "los clientes del principio que sigue activa al final.",
    },
    "course_hint_end_minus_start": {
        "en": "a negative churn: the numerator is end − start; churn counts the "
        "customers lost, start − those still active, over the start.",
        "es": "un abandono negativo: el numerador es final − principio; el abandono "
        "cuenta los clientes perdidos, principio − los que siguen, entre el principio.",
    },
    "course_hint_retention_67": {
        "en": "that is the source article's slip; 30 of 50 customers lost is 60 % "
        "churn, so 20 of 50 stayed.",
        "es": "esa es la errata del artículo original; perder 30 de 50 clientes es un "
        "60 % de abandono, así que se quedaron 20 de 50.",
    },
    "course_hint_start_minus_end": {
        "en": "start − end nets the customers won during the quarter against those "
        "lost; count the lost among the customers active at the start.",
        "es": "principio − final compensa los clientes perdidos con los ganados en el "
        "trimestre; cuenta los perdidos entre los activos al principio.",
    },
    "course_hint_ltv_one_period": {
        "en": "that is one year of revenue; multiply by the expected lifetime too.",
        "es": "eso son los ingresos de un año; multiplica también por la vida "
        "esperada del cliente.",
    },
    "course_hint_formula_ltv_explodes": {
        "en": "that uses the formula LTV, which rests on 1 / churn and explodes when "
        "few customers are lost; the question asks for the realised LTV "
        "(ltv_empirical).",
        "es": "eso usa el LTV de fórmula, que depende de 1 / abandono y se dispara "
        "cuando se pierden pocos clientes; la pregunta pide el LTV realizado "
        "(ltv_empirical).",
    },
}

LABELS: dict[str, dict[str, str]] = {}
