"""Words of the outbound prospecting part of the monthly report (en, es)."""

TEXT: dict[str, dict[str, str]] = {
    "outreach": {"en": "Outbound prospecting", "es": "Prospección saliente"},
    "outreach_note": {
        "en": "Prospects first contacted in {month} (a connection request or a "
        "first message), followed to what they did afterwards: requests accepted, "
        "replies, meetings booked and leads created; those contacted late in the "
        "month have had less time to answer. Cost per meeting divides the month's "
        "costs in the outbound channel.",
        "es": "Prospectos contactados por primera vez en {month} (una solicitud de "
        "conexión o un primer mensaje), seguidos hasta lo que hicieron después: "
        "solicitudes aceptadas, respuestas, reuniones agendadas y leads creados. "
        "Los contactados a final de mes han tenido menos tiempo para responder. "
        "El coste por reunión divide los costes del mes del canal saliente entre "
        "las reuniones agendadas.",
    },
    "outreach_match": {
        "en": "{matched} of {prospects} prospects ({rate}) match a lead by e-mail "
        "or LinkedIn profile; {unmatched} match none and still count as "
        "contacted.",
        "es": "{matched} de {prospects} prospectos ({rate}) coinciden con un lead "
        "por correo o perfil de LinkedIn; {unmatched} no coinciden con ninguno y "
        "siguen contando como contactados.",
    },
    "outreach_no_cost": {
        "en": "Cost per meeting is not shown: the costs table has no rows in the "
        "'{channel}' channel (the prospecting tool, the SDRs' time).",
        "es": "No se muestra el coste por reunión: la tabla de costes no tiene "
        "filas en el canal '{channel}' (la herramienta de prospección, el tiempo "
        "de los SDR).",
    },
    "outreach_by_campaign": {"en": "By sequence", "es": "Por secuencia"},
    "outreach_by_owner": {"en": "By sender", "es": "Por remitente"},
    "outreach_sender": {"en": "Sender", "es": "Remitente"},
}

LABELS: dict[str, dict[str, str]] = {
    "outbound": {"en": "Outbound", "es": "Saliente"},
    "multichannel": {"en": "Multichannel", "es": "Multicanal"},
}
