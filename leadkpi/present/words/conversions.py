"""Words of the conversions part of the monthly report (en, es)."""

TEXT: dict[str, dict[str, str]] = {
    "conversions": {
        "en": "Conversions before the sale",
        "es": "Conversiones antes de la venta",
    },
    "conversions_note": {
        "en": "Each conversion event the project declares, in the month: how many, "
        "what each cost (all ad spend over the event's conversions) and how many "
        "there were per lead generated. A touch event counts the leads that had "
        "such a touch; the ad platforms' event is their own count.",
        "es": "Cada evento de conversión que declara el proyecto, en el mes: "
        "cuántas hubo, cuánto costó cada una (toda la inversión publicitaria entre "
        "las conversiones del evento) y cuántas hubo por lead generado. Un evento "
        "de interacción cuenta los leads que tuvieron una; el de las plataformas "
        "de anuncios es su propio recuento.",
    },
    "conversions_none": {
        "en": "No conversion events are set up. To see form fills, demo requests, "
        "trial starts or the ad platforms' own conversions here, declare them "
        "under `conversions:` in `leadkpi.yaml`, each from a touch type "
        "(`{{touch_type: demo_request}}`), a date column of the leads "
        "(`{{lead_column: trial_started_at}}`) or the platforms "
        "(`{{platform: true}}`).",
        "es": "No hay eventos de conversión configurados. Para ver aquí los "
        "formularios enviados, las solicitudes de demo, las pruebas iniciadas o "
        "las conversiones que cuentan las plataformas de anuncios, decláralos en "
        "`conversions:` de `leadkpi.yaml`, cada uno a partir de un tipo de "
        "interacción (`{{touch_type: demo_request}}`), una columna de fecha de los "
        "leads (`{{lead_column: trial_started_at}}`) o de las plataformas "
        "(`{{platform: true}}`).",
    },
    "platform_vs_crm": {
        "en": "What the ad platforms report, against the CRM",
        "es": "Lo que dicen las plataformas de anuncios, frente al CRM",
    },
    "platform_vs_crm_note": {
        "en": "Conversions the ad platforms claim in the month beside those the CRM "
        "recorded ({crm}), by channel. Platforms count view-through and "
        "cross-device conversions and leads the CRM later merges, so their count "
        "is usually higher; a ratio far above 1 is worth a look before trusting "
        "their cost per conversion.",
        "es": "Las conversiones que se atribuyen las plataformas de anuncios en el "
        "mes junto a las que registró el CRM ({crm}), por canal. Las plataformas "
        "cuentan conversiones por visualización, entre dispositivos y leads que el "
        "CRM fusiona después, así que su cifra suele ser mayor; una proporción muy "
        "por encima de 1 merece un vistazo antes de fiarse de su coste por "
        "conversión.",
    },
    "event": {"en": "Event", "es": "Evento"},
    "platform_count": {"en": "Platforms", "es": "Plataformas"},
    "crm_count": {"en": "CRM", "es": "CRM"},
    "platform_ratio": {"en": "Platforms / CRM", "es": "Plataformas / CRM"},
}

#: Names of common conversion events; any other event shows its own name.
LABELS: dict[str, dict[str, str]] = {
    "form_fill": {"en": "Form fills", "es": "Formularios enviados"},
    "content_download": {"en": "Content downloads", "es": "Descargas de contenido"},
    "webinar_registration": {
        "en": "Webinar registrations",
        "es": "Inscripciones a webinars",
    },
    "demo_request": {"en": "Demo requests", "es": "Solicitudes de demo"},
    "trial_start": {"en": "Trials started", "es": "Pruebas iniciadas"},
    "meeting_booked": {"en": "Meetings booked", "es": "Reuniones agendadas"},
    "ad_platforms": {
        "en": "Ad platforms' conversions",
        "es": "Conversiones según las plataformas",
    },
}
