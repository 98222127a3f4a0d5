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
    "course_hint_first_not_last": {
        "en": "that is the first-touch credit; last touch gives each conversion to the "
        "touch just before it.",
        "es": "ese es el crédito al primer contacto; el último contacto da cada "
        "conversión al contacto inmediatamente anterior.",
    },
    "course_hint_repeated_touch_merged": {
        "en": "a channel that appears twice in a journey is two touches: under linear "
        "credit it takes two shares, not one.",
        "es": "un canal que aparece dos veces en un recorrido son dos contactos: con "
        "crédito lineal se lleva dos partes, no una.",
    },
    "course_hint_credit_not_split": {
        "en": "that counts the journeys the channel appears in; each journey hands out "
        "one conversion in total, split among its touches.",
        "es": "eso cuenta los recorridos en los que aparece el canal; cada recorrido "
        "reparte una sola conversión entre sus contactos.",
    },
    "course_hint_two_touch_position": {
        "en": "with only two touches there is no middle: position-based credit splits "
        "the conversion between first and last (40:40, so half each).",
        "es": "con solo dos contactos no hay tramo intermedio: el modelo por posición "
        "reparte la conversión entre el primero y el último (40:40, la mitad cada "
        "uno).",
    },
    "course_hint_linear_not_position": {
        "en": "that is the linear credit; position-based gives 40 % to the first "
        "touch, 40 % to the last and spreads 20 % over the touches between.",
        "es": "ese es el crédito lineal; el modelo por posición da un 40 % al primer "
        "contacto, un 40 % al último y reparte el 20 % entre los intermedios.",
    },
    "course_hint_direct_closes": {
        "en": "compare the four credits for direct: it is the last touch of the first "
        "journey, and one model gives that touch the whole conversion.",
        "es": "compara los cuatro créditos de direct: es el último contacto del primer "
        "recorrido, y un modelo le da a ese contacto toda la conversión.",
    },
    "course_hint_other_model": {
        "en": "that is the CAC under another model; take the row of the model the "
        "question names.",
        "es": "ese es el CAC con otro modelo; toma la fila del modelo que pide la "
        "pregunta.",
    },
    "course_hint_first_last_swapped": {
        "en": "that channel gains the most when moving the other way, from first to "
        "last touch; subtract last-touch credit from first-touch credit.",
        "es": "ese canal es el que más gana en sentido contrario, del primer al último "
        "contacto; resta el crédito del último contacto al del primero.",
    },
    "course_hint_share_not_rate": {
        "en": "that is the bucket's share of all leads; its conversion rate is its "
        "customers over its own leads.",
        "es": "esa es la parte del tramo sobre el total de leads; su tasa de "
        "conversión es sus clientes entre sus propios leads.",
    },
    "course_hint_never_contacted_left_out": {
        "en": "that divides by the leads contacted; the SLA share is over all leads "
        "created, the never-contacted ones included.",
        "es": "eso divide entre los leads contactados; la parte dentro del SLA se "
        "calcula sobre todos los leads creados, incluidos los que nunca se "
        "contactaron.",
    },
    "course_hint_threshold_inclusive": {
        "en": "that counts the scores above the threshold; a lead that reaches it "
        "exactly is an MQL too (score >= threshold).",
        "es": "eso cuenta las puntuaciones por encima del umbral; un lead que llega "
        "justo al umbral también es MQL (puntuación >= umbral).",
    },
    "course_hint_gain_not_lift": {
        "en": "that is the gain, the share of all buyers in the top decile; lift is "
        "the decile's conversion rate over the rate of all leads.",
        "es": "esa es la ganancia, la parte de todos los compradores que está en el "
        "primer decil; el lift es la tasa del decil entre la tasa de todos los leads.",
    },
    "course_hint_rate_not_lift": {
        "en": "that is the top decile's conversion rate; divide it by the conversion "
        "rate of all leads to get the lift.",
        "es": "esa es la tasa de conversión del primer decil; divídela entre la de "
        "todos los leads para obtener el lift.",
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
    "course_site_title": {
        "en": "Lead-generation KPIs: a self-checking course",
        "es": "KPI de captación de leads: un curso que se corrige solo",
    },
    "course_site_intro": {
        "en": "Five lessons on the sample company, with exercises that check your "
        "answers. Read them here, or run the notebooks with leadkpi installed.",
        "es": "Cinco lecciones con la empresa de ejemplo y ejercicios que corrigen tus "
        "respuestas. Léelas aquí o ejecuta los cuadernos con leadkpi instalado.",
    },
    "course_site_contents": {"en": "Contents", "es": "Índice"},
    "course_site_language": {"en": "English", "es": "Español"},
    "course_site_minutes": {"en": "{minutes} min", "es": "{minutes} min"},
}

LABELS: dict[str, dict[str, str]] = {}
