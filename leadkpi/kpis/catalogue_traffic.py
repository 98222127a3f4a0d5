"""Catalogue section 1: traffic and acquisition (session → lead).

Web KPIs read the ``web`` table (one row per day × source/medium). ``visitors`` sums
its ``users`` column, the distinct users the analytics export reports per row, only
where a cell holds one date: a GA4 export by day counts a visitor who comes back
on two days twice, so over a month ``visitors`` (and ``site_conversion_rate``) is
unknown, with a reason, and ``sessions`` is the count to read.
Ad KPIs read the ``spend`` table. Neither has a cohort reading: their ``mode`` is
``period``.
"""

from __future__ import annotations

from leadkpi.kpis import formulas as f
from leadkpi.kpis.kpi import KPI, kpi

__all__ = ["TRAFFIC"]

TRAFFIC: tuple[KPI, ...] = (
    kpi(
        "visitors",
        (
            "Visitors",
            "Distinct users in the web export; unknown where a cell sums several "
            "days of daily users",
        ),
        (
            "Visitantes",
            "Usuarios distintos en la exportación web; desconocido donde una celda "
            "suma usuarios diarios de varios días",
        ),
        "sum of users",
        "count",
        "higher",
    ),
    kpi(
        "sessions",
        ("Sessions", "Sessions in the web export"),
        ("Sesiones", "Sesiones en la exportación web"),
        "sum of sessions",
        "count",
        "higher",
    ),
    kpi(
        "pageviews",
        ("Page views", "Pages viewed"),
        ("Páginas vistas", "Páginas vistas"),
        "sum of pageviews",
        "count",
        "higher",
    ),
    kpi(
        "pages_per_session",
        ("Pages per session", "Page views per session"),
        ("Páginas por sesión", "Páginas vistas por sesión"),
        "pageviews / sessions",
        "multiple",
        "higher",
        f.pages_per_session,
        n="sessions",
    ),
    kpi(
        "avg_session_duration",
        ("Time on site", "Engagement time per session, in seconds"),
        ("Tiempo de permanencia", "Tiempo de interacción por sesión, en segundos"),
        "engagement_seconds / sessions",
        "seconds",
        "higher",
        f.avg_session_duration,
        n="sessions",
    ),
    kpi(
        "bounce_rate",
        ("Bounce rate", "Share of sessions that bounced"),
        ("Tasa de rebote", "Porcentaje de sesiones que rebotaron"),
        "bounced_sessions / sessions",
        "fraction",
        "lower",
        f.bounce_rate,
        interval="wilson",
    ),
    kpi(
        "engagement_rate",
        ("Engagement rate", "Share of sessions that were engaged"),
        ("Tasa de interacción", "Porcentaje de sesiones con interacción"),
        "engaged_sessions / sessions",
        "fraction",
        "higher",
        f.engagement_rate,
        interval="wilson",
    ),
    kpi(
        "form_submissions",
        ("Form submissions", "Forms submitted on the site"),
        ("Envíos de formularios", "Formularios enviados en el sitio"),
        "sum of form_submissions",
        "count",
        "higher",
    ),
    kpi(
        "impressions",
        ("Impressions", "Ad impressions"),
        ("Impresiones", "Impresiones de anuncios"),
        "sum of impressions",
        "count",
        "higher",
    ),
    kpi(
        "clicks",
        ("Clicks", "Ad clicks"),
        ("Clics", "Clics en anuncios"),
        "sum of clicks",
        "count",
        "higher",
    ),
    kpi(
        "ctr",
        ("Click-through rate", "Clicks per impression"),
        ("CTR", "Clics por impresión"),
        "clicks / impressions",
        "fraction",
        "higher",
        f.ctr,
        interval="wilson",
    ),
    kpi(
        "cpc",
        ("Cost per click", "Spend per click"),
        ("Coste por clic", "Inversión por clic"),
        "spend / clicks",
        "currency",
        "lower",
        f.cpc,
        interval="cost_per_count",
    ),
    kpi(
        "cpm",
        ("Cost per mille", "Spend per thousand impressions"),
        ("Coste por mil", "Inversión por cada mil impresiones"),
        "spend / impressions × 1000",
        "currency",
        "lower",
        f.cpm,
        n="impressions",
    ),
    kpi(
        "spend",
        ("Marketing spend", "Sum of ad cost"),
        ("Inversión", "Suma del coste publicitario"),
        "sum of cost",
        "currency",
        None,
    ),
    kpi(
        "leads",
        ("Leads generated", "Leads created"),
        ("Leads generados", "Leads creados"),
        "count of leads by created_at",
        "count",
        "higher",
    ),
    kpi(
        "site_conversion_rate",
        ("Site conversion rate", "Leads per visitor"),
        ("Tasa de conversión del sitio", "Leads por visitante"),
        "leads / visitors",
        "fraction",
        "higher",
        f.site_conversion_rate,
        interval="wilson",
    ),
    kpi(
        "session_to_lead_rate",
        ("Session-to-lead rate", "Leads per web session"),
        ("Conversión de sesión a lead", "Leads por sesión web"),
        "leads / sessions",
        "fraction",
        "higher",
        f.session_to_lead_rate,
    ),
    kpi(
        "landing_page_conversion_rate",
        ("Landing page conversion rate", "Form submissions per landing-page session"),
        ("Conversión de la landing", "Envíos de formulario por sesión en la landing"),
        "form_submissions / landing_page_sessions",
        "fraction",
        "higher",
        f.landing_page_conversion_rate,
        interval="wilson",
    ),
    kpi(
        "cost_per_lead",
        ("Cost per lead", "Spend per lead generated"),
        ("Coste por lead", "Inversión por lead generado"),
        "spend / leads",
        "currency",
        "lower",
        f.cost_per_lead,
        interval="cost_per_count",
    ),
    kpi(
        "database_size",
        (
            "Database size",
            "Contactable leads (not opted out, not hard-bounced) at period end",
        ),
        (
            "Tamaño de la base de datos",
            "Leads contactables (sin baja ni rebote duro) al final del periodo",
        ),
        "leads created by period end − those opted out or hard-bounced by then",
        "count",
        "higher",
        measures=("contactable_at_end",),
    ),
    kpi(
        "opt_out_rate",
        (
            "Opt-out rate",
            "Contactable leads at period start that opted out during the period",
        ),
        (
            "Tasa de baja",
            "Leads contactables al inicio del periodo que se dieron de baja en él",
        ),
        "opt_outs / contactable_at_start",
        "fraction",
        "lower",
        f.opt_out_rate,
        interval="wilson",
    ),
)
