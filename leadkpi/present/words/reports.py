"""Words of a report's document title (what a browser tab, a PDF and an e-mail
attachment show), in English and Spanish."""

TEXT: dict[str, dict[str, str]] = {
    "report_title": {
        "en": "{report} — {month} ({language})",
        "es": "{report} — {month} ({language})",
    },
    "report_monthly": {"en": "Monthly report", "es": "Informe mensual"},
    "report_attribution": {"en": "Attribution report", "es": "Informe de atribución"},
    "report_experiment": {"en": "Experiment report", "es": "Informe del experimento"},
    "report_lead_scoring": {
        "en": "Lead scoring report",
        "es": "Informe de puntuación de leads",
    },
    "language_en": {"en": "English", "es": "inglés"},
    "language_es": {"en": "Spanish", "es": "español"},
}

LABELS: dict[str, dict[str, str]] = {}
