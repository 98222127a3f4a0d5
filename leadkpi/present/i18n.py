"""Words that reports show, in English and Spanish.

Report text lives here, not in notebooks, so that one notebook renders in either
language. Numbers and dates are formatted by :mod:`leadkpi.present.tables` with babel.
"""

from __future__ import annotations

import re

import pandas as pd
from babel.dates import format_date
from IPython.display import Markdown

from leadkpi.exceptions import ArgumentError
from leadkpi.present.words import attribution as _attribution_words
from leadkpi.present.words import conversions as _conversion_words
from leadkpi.present.words import course as _course_words
from leadkpi.present.words import deep_dive as _deep_dive_words
from leadkpi.present.words import experiments as _experiment_words
from leadkpi.present.words import funnel as _funnel_words
from leadkpi.present.words import outreach as _outreach_words
from leadkpi.present.words import reports as _report_words
from leadkpi.present.words import retention as _retention_words
from leadkpi.present.words import scoring as _scoring_words
from leadkpi.present.words import sections as _section_words
from leadkpi.present.words import speed as _speed_words
from leadkpi.present.words import summary as _summary_words
from leadkpi.present.words import targets as _target_words

__all__ = [
    "LANGS",
    "LOCALES",
    "check_lang",
    "text",
    "label",
    "month_name",
    "report_title",
    "markdown",
    "escape_markdown",
]

LANGS = ("en", "es")
#: The babel locale used for each report language.
LOCALES = {"en": "en_GB", "es": "es_ES"}

_TEXT: dict[str, dict[str, str]] = {
    "title": {
        "en": "Lead generation report · {month}",
        "es": "Informe de generación de leads · {month}",
    },
    "subtitle": {
        "en": "{company} · figures for {month}, compared with {previous}",
        "es": "{company} · cifras de {month}, comparadas con {previous}",
    },
    "mode_period": {
        "en": "Stage counts are events dated in the month (period mode): a customer "
        "won this month counts this month, whenever the lead was created.",
        "es": "Las etapas cuentan los eventos fechados en el mes (modo periodo): un "
        "cliente ganado este mes cuenta este mes, con independencia de cuándo se "
        "creó el lead.",
    },
    "mode_cohort": {
        "en": "Stage counts follow the leads created in the month (cohort mode): what "
        "they have reached so far. Recent cohorts are still maturing.",
        "es": "Las etapas siguen a los leads creados en el mes (modo cohorte): lo que "
        "han alcanzado hasta ahora. Las cohortes recientes aún están madurando.",
    },
    "mode_label_period": {
        "en": "Period mode: events dated in each period",
        "es": "Modo periodo: eventos fechados en cada periodo",
    },
    "mode_label_cohort": {
        "en": "Cohort mode: leads created in each period, and what they reached",
        "es": "Modo cohorte: leads creados en cada periodo y lo que alcanzaron",
    },
    "headline": {"en": "Headline KPIs", "es": "KPI principales"},
    "trend": {"en": "The last twelve months", "es": "Los últimos doce meses"},
    "channels": {
        "en": "Leads and spend by channel",
        "es": "Leads e inversión por canal",
    },
    "cohorts": {"en": "Conversion by cohort", "es": "Conversión por cohorte"},
    "cohorts_note": {
        "en": "Each row is the leads created in one month; each column, the months "
        "since. A cell is the share of that month's leads that had become customers "
        "by then. Hatched cells are not low rates: the cohort has not lived that "
        "long yet (not yet mature).",
        "es": "Cada fila son los leads creados en un mes; cada columna, los meses "
        "transcurridos. Una celda es la parte de esos leads que ya eran clientes. "
        "Las celdas rayadas no son tasas bajas: la cohorte aún no ha vivido ese "
        "tiempo (no madura).",
    },
    "time_to_stage_note": {
        "en": "Share of leads that became customers by days since creation "
        "(Kaplan–Meier; leads still open are censored, not counted as lost), with "
        "its 95 % interval.",
        "es": "Parte de los leads que se hicieron clientes según los días desde su "
        "creación (Kaplan–Meier; los leads aún abiertos se censuran, no cuentan "
        "como perdidos), con su intervalo del 95 %.",
    },
    "durations": {"en": "Time between stages", "es": "Tiempo entre etapas"},
    "durations_note": {
        "en": "Boxes span the 25th to 75th percentile with the median marked; "
        "whiskers reach the 90th percentile. Leads whose later stage is dated "
        "before the earlier one are left out of the figures and counted apart.",
        "es": "Las cajas van del percentil 25 al 75 con la mediana marcada; los "
        "bigotes llegan al percentil 90. Los leads con la etapa posterior fechada "
        "antes que la anterior quedan fuera de las cifras y se cuentan aparte.",
    },
    "speed": {"en": "Speed to lead", "es": "Velocidad de respuesta"},
    "speed_note": {
        "en": "Time from a lead's creation to the first sales response, in "
        "{clock}; the SLA is {sla} h. Bars: leads per response time; dots: their "
        "conversion to customer with its 95 % interval (leads created over the "
        "last twelve months).",
        "es": "Tiempo desde la creación de un lead hasta la primera respuesta "
        "comercial, en {clock}; el SLA es de {sla} h. Barras: leads por tiempo de "
        "respuesta; puntos: su conversión a cliente con su intervalo del 95 % "
        "(leads creados en los últimos doce meses).",
    },
    "speed_facts": {
        "en": "For context, as claims of the reports that made them: one "
        "franchise-industry report found 85 % of leads that became deals had been "
        "contacted within four hours; another found 62 % of leads at "
        "enterprise-tier brands never received a follow-up call; another put leads "
        "lost to no response at 47.5 %.",
        "es": "Como contexto, y como afirmaciones de los informes que las hacen: un "
        "informe del sector de franquicias halló que el 85 % de los leads que "
        "acabaron en venta se contactaron en las primeras cuatro horas; otro, que "
        "el 62 % de los leads de marcas de gran empresa nunca recibió una llamada "
        "de seguimiento; otro cifró en el 47,5 % los leads perdidos por falta de "
        "respuesta.",
    },
    "clock_calendar": {"en": "calendar hours", "es": "horas naturales"},
    "clock_business": {"en": "business hours", "es": "horas laborables"},
    "retention": {
        "en": "Customer retention and lifetime value",
        "es": "Retención de clientes y valor de vida",
    },
    "retention_note": {
        "en": "Share of customers still active by months since they started, by "
        "acquisition channel, over their first year. LTV by formula (revenue per "
        "customer ÷ monthly churn) beside the revenue customers actually brought "
        "in their first {horizon} months, and both against CAC.",
        "es": "Parte de los clientes que siguen activos según los meses desde su "
        "alta, por canal de captación, en su primer año. El LTV por fórmula "
        "(ingreso por cliente ÷ abandono mensual) junto al ingreso real de sus "
        "primeros {horizon} meses, y ambos frente al CAC.",
    },
    "owner": {"en": "Owner", "es": "Comercial"},
    "funnel": {"en": "Funnel", "es": "Embudo"},
    "funnel_note": {
        "en": "Each bar is a stage; the label gives the count and the conversion "
        "from the stage before.",
        "es": "Cada barra es una etapa; la etiqueta da el recuento y la conversión "
        "desde la etapa anterior.",
    },
    "quality": {
        "en": "Data quality appendix",
        "es": "Apéndice de calidad de datos",
    },
    "quality_note": {
        "en": "Every input row is accounted for: rows read = loaded + rejected.",
        "es": "Cada fila de entrada está contabilizada: "
        "leídas = cargadas + rechazadas.",
    },
    "no_rejects": {
        "en": "No row was rejected.",
        "es": "No se rechazó ninguna fila.",
    },
    "rejects_shown": {
        "en": "First {shown} of {total} rejected rows:",
        "es": "Primeras {shown} de {total} filas rechazadas:",
    },
    # column and axis labels
    "kpi": {"en": "KPI", "es": "KPI"},
    "value": {"en": "{month}", "es": "{month}"},
    "previous": {"en": "{month}", "es": "{month}"},
    "change": {"en": "Change", "es": "Variación"},
    "target": {"en": "Target", "es": "Objetivo"},
    "channel": {"en": "Channel", "es": "Canal"},
    "campaign": {"en": "Campaign", "es": "Campaña"},
    "month": {"en": "Month", "es": "Mes"},
    "stage": {"en": "Stage", "es": "Etapa"},
    "table": {"en": "Table", "es": "Tabla"},
    "file": {"en": "File", "es": "Fichero"},
    "profile": {"en": "Read as", "es": "Leído como"},
    "rows_read": {"en": "Rows read", "es": "Filas leídas"},
    "rows_loaded": {"en": "Loaded", "es": "Cargadas"},
    "rows_rejected": {"en": "Rejected", "es": "Rechazadas"},
    "line": {"en": "Line", "es": "Línea"},
    "reason": {"en": "Reason", "es": "Motivo"},
    "previous_value": {"en": "Previous", "es": "Anterior"},
    "status": {"en": "Status", "es": "Estado"},
    "interval": {"en": "95% interval", "es": "Intervalo del 95 %"},
    "n": {"en": "n", "es": "n"},
    "value_col": {"en": "Value", "es": "Valor"},
    "period": {"en": "Period", "es": "Periodo"},
    "day": {"en": "Day", "es": "Día"},
    "week": {"en": "Week", "es": "Semana"},
    "quarter": {"en": "Quarter", "es": "Trimestre"},
    "year": {"en": "Year", "es": "Año"},
    "met": {"en": "met", "es": "cumplido"},
    "missed": {"en": "missed", "es": "no cumplido"},
    "within_noise": {
        "en": "Change in green: good news by the KPI's direction; in red: bad news; "
        "in grey: within noise (not significant at the {level}% level).",
        "es": "Variación en verde: buena noticia según el sentido del KPI; en rojo: "
        "mala noticia; en gris: dentro del ruido (no significativa al {level} %).",
    },
    "small_sample": {
        "en": "* fewer than 30 observations: read with care.",
        "es": "* menos de 30 observaciones: interpretar con cautela.",
    },
    "cost_basis_full": {
        "en": "CAC counts the full cost base: ad spend plus the costs table (tools, "
        "agencies, salaries, events); paid CAC counts ad spend only.",
        "es": "El CAC cuenta todos los costes: la inversión publicitaria más la tabla "
        "de costes (herramientas, agencias, salarios, eventos); el CAC publicitario, "
        "solo la inversión publicitaria.",
    },
    "cost_basis_ad_spend": {
        "en": "CAC counts ad spend only: no costs table is loaded (add one under "
        "sources: costs to count tools, agencies and salaries).",
        "es": "El CAC cuenta solo la inversión publicitaria: no hay tabla de costes "
        "(añádala en sources: costs para contar herramientas, agencias y salarios).",
    },
    "rows_shown": {
        "en": "First {shown} of {total} rows.",
        "es": "Primeras {shown} de {total} filas.",
    },
    "no_data": {"en": "no data", "es": "sin datos"},
    "unavailable": {"en": "unavailable: {reason}", "es": "no disponible: {reason}"},
    # the data-quality checks section
    "checks": {"en": "Data-quality checks", "es": "Controles de calidad de datos"},
    "checks_note": {
        "en": "Rows that loaded but tell an odd story. Errors are rows lost at "
        "loading; warnings are numbers that may mislead; notes are worth knowing.",
        "es": "Filas que se cargaron pero cuentan algo extraño. Los errores son filas "
        "perdidas al cargar; los avisos, cifras que pueden confundir; las notas, "
        "datos que conviene conocer.",
    },
    "no_findings": {
        "en": "No check found anything.",
        "es": "Ningún control encontró nada.",
    },
    # column headers
    "severity": {"en": "Severity", "es": "Gravedad"},
    "check": {"en": "Check", "es": "Control"},
    "count": {"en": "Rows", "es": "Filas"},
    "share": {"en": "Share", "es": "Proporción"},
    "detail": {"en": "Detail", "es": "Detalle"},
    "example": {"en": "Example", "es": "Ejemplo"},
    # severities
    "error": {"en": "error", "es": "error"},
    "warning": {"en": "warning", "es": "aviso"},
    "info": {"en": "note", "es": "nota"},
}

_LABELS: dict[str, dict[str, str]] = {
    # channels
    "paid_search": {"en": "Paid search", "es": "Búsqueda de pago"},
    "organic_search": {"en": "Organic search", "es": "Búsqueda orgánica"},
    "paid_social": {"en": "Paid social", "es": "Redes sociales de pago"},
    "organic_social": {"en": "Organic social", "es": "Redes sociales orgánicas"},
    "email": {"en": "Email", "es": "Correo electrónico"},
    "referral": {"en": "Referral", "es": "Referidos"},
    "direct": {"en": "Direct", "es": "Directo"},
    "display": {"en": "Display", "es": "Display"},
    "events": {"en": "Events & webinars", "es": "Eventos y seminarios web"},
    "other": {"en": "Other", "es": "Otros"},
    "(not set)": {"en": "(not set)", "es": "(sin valor)"},
    # funnel stages, named after their measures
    "leads": {"en": "Leads", "es": "Leads"},
    "mqls": {"en": "MQLs", "es": "MQL"},
    "sqls": {"en": "SQLs", "es": "SQL"},
    "opportunities": {"en": "Opportunities", "es": "Oportunidades"},
    "customers": {"en": "Customers", "es": "Clientes"},
}


for _words in (
    _funnel_words,
    _speed_words,
    _retention_words,
    _attribution_words,
    _scoring_words,
    _course_words,
    _experiment_words,
    _target_words,
    _section_words,
    _summary_words,
    _conversion_words,
    _outreach_words,
    _report_words,
    _deep_dive_words,
):
    _TEXT.update(_words.TEXT)
    _LABELS.update(_words.LABELS)


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported, else raise ArgumentError naming the choices."""
    if lang not in LANGS:
        raise ArgumentError(f"unsupported language {lang!r}; expected one of {LANGS}")
    return lang


def text(key: str, lang: str = "en", **values: object) -> str:
    """A report sentence or heading in ``lang``, with ``{placeholders}`` filled."""
    return _TEXT[key][check_lang(lang)].format(**values)


def label(value: str, lang: str = "en") -> str:
    """Display label of a channel or stage id; unknown values are shown as they are."""
    entry = _LABELS.get(value)
    return entry[check_lang(lang)] if entry else value


def month_name(period: pd.Period, lang: str = "en") -> str:
    """``October 2026`` / ``octubre de 2026``."""
    day = period.start_time.date()
    pattern = "LLLL yyyy" if lang == "en" else "LLLL 'de' yyyy"
    return format_date(day, pattern, locale=LOCALES[check_lang(lang)])


def report_title(report: str, period: pd.Period, lang: str = "en") -> str:
    """A report's document title: its name, the month and the language.

    ``report`` is a report of ``leadkpi report`` (``monthly``, ``attribution``...);
    another name is shown as it is, its underscores as spaces.

    Examples
    --------
    >>> report_title("monthly", pd.Period("2026-10"), "es")
    'Informe mensual — octubre de 2026 (español)'
    >>> report_title("channel_review", pd.Period("2026-10"))
    'Channel review — October 2026 (English)'
    """
    key = f"report_{report}"
    name = text(key, lang) if key in _TEXT else report.replace("_", " ").capitalize()
    language = text(f"language_{check_lang(lang)}", lang)
    return text(
        "report_title",
        lang,
        report=name,
        month=month_name(period, lang),
        language=language,
    )


#: ASCII punctuation that Markdown may read as syntax; each is backslash-escaped.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:=^])")
#: Characters that HTML would read as markup; each becomes an entity.
_HTML_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_WHITESPACE = re.compile(r"\s+")


def escape_markdown(value: object) -> str:
    r"""``value`` as Markdown that renders as exactly its text, on one line.

    A value from data (a company name, a channel) cannot start a heading, a list,
    a table, a link (``javascript:`` or any other), emphasis, maths or HTML: Markdown
    punctuation is backslash-escaped, ``& < >`` become entities and line breaks and
    runs of white space become one space.

    Examples
    --------
    >>> escape_markdown("# Acme <b>| [x](javascript:alert(1))")
    '\\# Acme &lt;b&gt;\\| \\[x\\]\\(javascript\\:alert\\(1\\)\\)'
    >>> escape_markdown("1.\n\t*net* $5")
    '1\\. \\*net\\* \\$5'
    """
    one_line = _WHITESPACE.sub(" ", str(value)).strip()
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", one_line).translate(_HTML_ENTITIES)


def markdown(
    key: str, lang: str = "en", *, level: int = 0, **values: object
) -> Markdown:
    r"""A report sentence as displayable Markdown; ``level`` > 0 makes it a heading.

    The ``values`` filled into the sentence are escaped with
    :func:`escape_markdown`, so a value from data reads as its text.

    Examples
    --------
    >>> markdown("subtitle", company="**Acme**", month="May", previous="April").data
    '\\*\\*Acme\\*\\* · figures for May, compared with April'
    """
    prefix = "#" * level + " " if level else ""
    escaped = {name: escape_markdown(value) for name, value in values.items()}
    return Markdown(prefix + text(key, lang, **escaped))
