"""Words of experiments (groups compared with a control), in English and Spanish."""

TEXT: dict[str, dict[str, str]] = {
    "experiment_title": {
        "en": "Experiment · {kpi} by {group}",
        "es": "Experimento · {kpi} por {group}",
    },
    "experiment_subtitle": {
        "en": "{company} · {start} – {end} · control: {control}",
        "es": "{company} · {start} – {end} · control: {control}",
    },
    "experiment_results": {
        "en": "Groups against the control",
        "es": "Grupos frente al control",
    },
    "experiment_verdicts": {"en": "Verdict", "es": "Veredicto"},
    "experiment_method": {"en": "How to read it", "es": "Cómo leerlo"},
    "experiment_method_note": {
        "en": "Each group is compared with the control over the same window. A "
        "difference is shown as real when it is beyond noise at the {confidence} % "
        "level: a two-proportion z-test for rates (shares of leads), the two "
        "groups' 95 % intervals for costs and other KPIs. With more than one group, "
        "the p-values are corrected by Holm's method for the number of "
        "comparisons. The detectable difference is the smallest one the test "
        "would find {power} % of the time with these sample sizes; a group with "
        "fewer than 30 observations gets no verdict. Groups that ran over "
        "different weeks also differ by everything else that changed.",
        "es": "Cada grupo se compara con el control en la misma ventana. Una "
        "diferencia se da por real cuando supera el ruido al {confidence} %: una "
        "prueba z de dos proporciones para las tasas (proporciones de leads) y los "
        "intervalos del 95 % de los dos grupos para los costes y demás KPI. Con más "
        "de un grupo, los valores p se corrigen por el método de Holm según el "
        "número de comparaciones. La diferencia detectable es la menor que la "
        "prueba hallaría el {power} % de las veces con estos tamaños de muestra; un "
        "grupo con menos de 30 observaciones no recibe veredicto. Los grupos que "
        "corrieron en semanas distintas difieren además en todo lo demás que "
        "cambió.",
    },
    "verdict_better": {
        "en": "{group} does better than {control} on {kpi}: {value} vs "
        "{control_value}, difference {difference} ({level} % CI {low} to {high}), "
        "{p}.",
        "es": "{group} funciona mejor que {control} en {kpi}: {value} frente a "
        "{control_value}, diferencia {difference} (IC {level} % de {low} a {high}), "
        "{p}.",
    },
    "verdict_worse": {
        "en": "{group} does worse than {control} on {kpi}: {value} vs "
        "{control_value}, difference {difference} ({level} % CI {low} to {high}), "
        "{p}.",
        "es": "{group} funciona peor que {control} en {kpi}: {value} frente a "
        "{control_value}, diferencia {difference} (IC {level} % de {low} a {high}), "
        "{p}.",
    },
    "verdict_higher": {
        "en": "{group} has a higher {kpi} than {control}: {value} vs "
        "{control_value}, difference {difference} ({level} % CI {low} to {high}), "
        "{p}.",
        "es": "{group} tiene un valor de {kpi} mayor que {control}: {value} frente a "
        "{control_value}, diferencia {difference} (IC {level} % de {low} a {high}), "
        "{p}.",
    },
    "verdict_lower": {
        "en": "{group} has a lower {kpi} than {control}: {value} vs "
        "{control_value}, difference {difference} ({level} % CI {low} to {high}), "
        "{p}.",
        "es": "{group} tiene un valor de {kpi} menor que {control}: {value} frente a "
        "{control_value}, diferencia {difference} (IC {level} % de {low} a {high}), "
        "{p}.",
    },
    "verdict_no_difference": {
        "en": "No detectable difference in {kpi} between {group} and {control} "
        "({value} vs {control_value}, {p}); with these sample sizes only "
        "differences above {mde} could be seen.",
        "es": "Sin diferencia detectable en {kpi} entre {group} y {control} "
        "({value} frente a {control_value}, {p}); con estos tamaños de muestra solo "
        "se verían diferencias mayores de {mde}.",
    },
    "verdict_too_small": {
        "en": "No verdict for {group}: {n} observations against {control_n} in "
        "{control}; a comparison needs at least {minimum} in each group.",
        "es": "Sin veredicto para {group}: {n} observaciones frente a {control_n} "
        "en {control}; una comparación necesita al menos {minimum} en cada grupo.",
    },
    "verdict_one_group": {
        "en": "No verdict: an experiment needs at least two groups with data, and "
        "only {control} has any.",
        "es": "Sin veredicto: un experimento necesita al menos dos grupos con "
        "datos, y solo {control} los tiene.",
    },
    "verdict_unavailable": {
        "en": "No verdict for {group}: {reason}.",
        "es": "Sin veredicto para {group}: {reason}.",
    },
    "verdict_p": {"en": "p = {p}", "es": "p = {p}"},
    "verdict_p_below": {"en": "p < {p}", "es": "p < {p}"},
    "verdict_holm": {
        "en": "{p} after Holm's correction for {m} comparisons",
        "es": "{p} tras la corrección de Holm por {m} comparaciones",
    },
    "percentage_points": {"en": "pp", "es": "pp"},
    # column headings
    "difference": {"en": "Difference", "es": "Diferencia"},
    "p_value": {"en": "p", "es": "p"},
    "p_adjusted": {"en": "p (Holm)", "es": "p (Holm)"},
    "mde": {"en": "Detectable difference", "es": "Diferencia detectable"},
    "outcome": {"en": "Result", "es": "Resultado"},
    "group": {"en": "Group", "es": "Grupo"},
}

LABELS: dict[str, dict[str, str]] = {
    # compare_groups outcomes, as table cells
    "outcome:control": {"en": "control", "es": "control"},
    "outcome:better": {"en": "better", "es": "mejor"},
    "outcome:worse": {"en": "worse", "es": "peor"},
    "outcome:higher": {"en": "higher", "es": "mayor"},
    "outcome:lower": {"en": "lower", "es": "menor"},
    "outcome:no_difference": {
        "en": "no detectable difference",
        "es": "sin diferencia detectable",
    },
    "outcome:too_small": {
        "en": "too few observations",
        "es": "muy pocas observaciones",
    },
    "outcome:one_group": {"en": "only one group", "es": "un solo grupo"},
    "outcome:unavailable": {"en": "unavailable", "es": "no disponible"},
}
