"""Catalogue section 2: e-mail and nurturing.

Send KPIs read the ``email`` table (one row per send × campaign; ``opens`` and
``clicks`` are unique opens and clicks). ``nurture_leads`` counts leads whose
converting touch (the UTM campaign on the lead) is a nurture campaign: a UTM
campaign code starting with one of
:data:`~leadkpi.kpis.measure_catalogue.NURTURE_PREFIXES` (pass a KPI over your own
measure to use another rule). ``workflow_goal_rate`` reads
the leads columns ``workflow_enrolled_at`` and ``workflow_goal_at``.
"""

from __future__ import annotations

from leadkpi.kpis import formulas as f
from leadkpi.kpis.kpi import KPI, kpi

__all__ = ["EMAIL"]

EMAIL: tuple[KPI, ...] = (
    kpi(
        "emails_sent",
        ("Emails sent", "E-mails sent"),
        ("Correos enviados", "Correos enviados"),
        "sum of sent",
        "count",
        None,
        measures=("sent",),
    ),
    kpi(
        "delivery_rate",
        ("Delivery rate", "Share of sent e-mails delivered"),
        ("Tasa de entrega", "Porcentaje de correos enviados que se entregaron"),
        "delivered / sent",
        "fraction",
        "higher",
        f.delivery_rate,
        interval="wilson",
    ),
    kpi(
        "open_rate",
        ("Open rate", "Unique opens per delivered e-mail"),
        ("Tasa de apertura", "Aperturas únicas por correo entregado"),
        "opens / delivered",
        "fraction",
        "higher",
        f.open_rate,
        interval="wilson",
    ),
    kpi(
        "email_ctr",
        ("Email click-through rate", "Unique clicks per delivered e-mail"),
        ("CTR de correo", "Clics únicos por correo entregado"),
        "email_clicks / delivered",
        "fraction",
        "higher",
        f.email_ctr,
        interval="wilson",
    ),
    kpi(
        "click_to_open_rate",
        ("Click-to-open rate", "Unique clicks per unique open"),
        ("Clics sobre aperturas", "Clics únicos por apertura única"),
        "email_clicks / opens",
        "fraction",
        "higher",
        f.click_to_open_rate,
        interval="wilson",
    ),
    kpi(
        "unsubscribe_rate",
        ("Unsubscribe rate", "Unsubscribes per delivered e-mail"),
        ("Tasa de desuscripción", "Bajas por correo entregado"),
        "unsubscribes / delivered",
        "fraction",
        "lower",
        f.unsubscribe_rate,
        interval="wilson",
    ),
    kpi(
        "email_bounce_rate",
        ("Email bounce rate", "Share of sent e-mails that bounced"),
        ("Tasa de rebote de correo", "Porcentaje de correos enviados que rebotaron"),
        "email_bounces / sent",
        "fraction",
        "lower",
        f.email_bounce_rate,
        interval="wilson",
    ),
    kpi(
        "nurture_leads",
        (
            "Leads from nurturing",
            "Leads whose converting touch is a nurture campaign (UTM campaign code)",
        ),
        (
            "Leads de nutrición",
            "Leads cuyo contacto de conversión es una campaña de nutrición (UTM)",
        ),
        "count of leads whose utm_campaign starts with a nurture prefix",
        "count",
        "higher",
    ),
    kpi(
        "workflow_goal_rate",
        (
            "Workflow goal rate",
            "Contacts enrolled in a workflow that reached its goal",
        ),
        (
            "Objetivo de flujo alcanzado",
            "Contactos inscritos en un flujo que alcanzaron su objetivo",
        ),
        "workflow_goals / workflow_enrolled",
        "fraction",
        "higher",
        f.workflow_goal_rate,
        interval="wilson",
    ),
)
