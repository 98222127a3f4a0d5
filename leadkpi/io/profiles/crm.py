"""CRM exports: HubSpot, Salesforce and Pipedrive, as their users download them.

Each profile below is one export layout, declared as data (see :class:`Profile`).
The header names are the ones the vendor's UI writes in English, with the Spanish
labels where the vendor translates them; ``references`` on each profile say where the
layout was checked.

- **HubSpot contacts** (CRM → Contacts → Export, CSV): UTF-8, comma-separated, every
  cell quoted, "Record ID", "First Name", "Last Name" first and the other properties
  in alphabetical order, one row per contact, timestamps in the exporting user's
  timezone without an offset (``2025-03-14 09:21``, seconds read too), taken as the
  project's wall-clock time. The lifecycle "Became a … Date" properties date the
  funnel stages. HubSpot's standard properties are read by their labels ("First Page
  Seen", "HubSpot Score", "First outreach date" or "Date of first engagement",
  "Recent Deal Amount", "Recent Sales Email Replied Date"); what HubSpot has no
  property for is read from the custom properties a portal defines, under natural
  labels ("UTM Source", "UTM Medium", "UTM Campaign", "Closed Lost Date", "Opted
  Out Date", "Not Interested Date", "Workflow Enrolled Date", "Workflow Goal Met
  Date", "Hard Bounce Date"). Newer portals date the stages with
  ``Date entered "<stage> (Lifecycle Stage Pipeline)"`` columns, read the same way;
  the id may be headed ``Contact ID``. Contacts exported from the default view have
  no lifecycle stage at all: they load as leads, and a warning says their stage
  dates are unknown.
  Channel: a contact whose UTM fields are filled gets its channel, source and medium
  from them, the channel by leadkpi's channel grouping at load (HubSpot files
  display ads, webinars and fairs alike under "Other Campaigns"); an untagged
  contact's "Original Source" (since 2024 "Original Traffic Source") gives the
  channel and a GA-style medium, its "Drill-Down 1" the source (``(direct)`` for
  direct traffic).
- **HubSpot deals** (CRM → Deals → Export): "Deal Stage" labels of the pipeline,
  mapped onto leadkpi's stage ids (:data:`HUBSPOT_DEAL_STAGES`); a won or lost deal
  is dated by its "Close Date".
- **Salesforce** leads and opportunities: see :mod:`leadkpi.io.profiles.salesforce`.
- **Pipedrive deals / people** (Deals or Contacts list → Export, CSV or XLSX): every
  header prefixed with its entity (``Deal - Value``, ``Person - ID``); deal timestamps
  as ``2025-03-14 09:21:05``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import replace

import pandas as pd

from leadkpi.exceptions import LeadKPIWarning
from leadkpi.io.profiles.base import Profile, RawTable

__all__ = [
    "PROFILES",
    "HUBSPOT_SOURCE_CHANNELS",
    "HUBSPOT_SOURCE_MEDIUMS",
    "HUBSPOT_LIFECYCLE_STAGES",
    "HUBSPOT_DEAL_STAGES",
    "WON_STAGES",
    "LOST_STAGES",
]

#: HubSpot "Original Source" (internal value and UI label) → leadkpi channel id.
HUBSPOT_SOURCE_CHANNELS: Mapping[str, str] = {
    "ORGANIC_SEARCH": "organic_search",
    "Organic Search": "organic_search",
    "PAID_SEARCH": "paid_search",
    "Paid Search": "paid_search",
    "PAID_SOCIAL": "paid_social",
    "Paid Social": "paid_social",
    "SOCIAL_MEDIA": "organic_social",
    "Social Media": "organic_social",
    "Organic Social": "organic_social",
    "EMAIL_MARKETING": "email",
    "Email Marketing": "email",
    "REFERRALS": "referral",
    "Referrals": "referral",
    "AI_REFERRALS": "referral",
    "AI Referrals": "referral",
    "DIRECT_TRAFFIC": "direct",
    "Direct Traffic": "direct",
    "OTHER_CAMPAIGNS": "other",
    "Other Campaigns": "other",
    "OFFLINE": "other",
    "Offline Sources": "other",
}

_MEDIUM_OF_CHANNEL = {
    "organic_search": "organic",
    "paid_search": "cpc",
    "paid_social": "paid_social",
    "organic_social": "social",
    "email": "email",
    "referral": "referral",
    "direct": "(none)",
    "other": "(not set)",
}

#: HubSpot "Original Source" → a GA-style medium the channel grouping understands.
HUBSPOT_SOURCE_MEDIUMS: Mapping[str, str] = {
    **{key: _MEDIUM_OF_CHANNEL[ch] for key, ch in HUBSPOT_SOURCE_CHANNELS.items()},
    "OFFLINE": "offline",
    "Offline Sources": "offline",
}

#: HubSpot lifecycle stage labels (and internal values) → leadkpi stage ids.
HUBSPOT_LIFECYCLE_STAGES: Mapping[str, str] = {
    "subscriber": "subscriber",
    "lead": "lead",
    "marketingqualifiedlead": "mql",
    "Marketing Qualified Lead": "mql",
    "salesqualifiedlead": "sql",
    "Sales Qualified Lead": "sql",
    "opportunity": "opportunity",
    "customer": "customer",
    "evangelist": "evangelist",
    "other": "other",
}

#: Deal stages that mean won / lost (compared trimmed and case-insensitively).
WON_STAGES: tuple[str, ...] = ("Closed Won", "closedwon", "Won", "Cerrado ganado")
LOST_STAGES: tuple[str, ...] = ("Closed Lost", "closedlost", "Lost", "Cerrado perdido")

#: HubSpot deal stage labels (and internal ids) → leadkpi stage ids. The closed stages
#: are HubSpot's own; "Proposal" and "Negotiation" are the open stages of a pipeline
#: set up like the sample company's. Other labels are kept as they are.
HUBSPOT_DEAL_STAGES: Mapping[str, str] = {
    **{stage: "won" for stage in WON_STAGES},
    **{stage: "lost" for stage in LOST_STAGES},
    "Proposal": "proposal",
    "Proposal Sent": "proposal",
    "Negotiation": "negotiation",
    "In Negotiation": "negotiation",
}


def _keys(values: pd.Series) -> pd.Series:
    return values.astype("string").str.strip().str.casefold()


def _close_dates(frame: pd.DataFrame, raw: RawTable) -> pd.DataFrame:
    """Date won and lost deals by their close date, from the stage (or Won flag)."""
    if "_close" not in frame:
        return frame
    # recognised labels already read "won" / "lost" (leadkpi.stage_labels)
    stage = _keys(frame["stage"]) if "stage" in frame else pd.Series(pd.NA, frame.index)
    won = stage.isin(["won", *(s.casefold() for s in WON_STAGES)]).fillna(False)
    lost = stage.isin(["lost", *(s.casefold() for s in LOST_STAGES)]).fillna(False)
    if "_won" in frame:  # Salesforce's Won / Closed checkboxes, exported as 1 / 0
        flag = _keys(frame["_won"]).isin(["1", "true"]).fillna(False)
        closed = _keys(frame.get("_closed", frame["_won"]))
        won |= flag
        lost |= ~flag & closed.isin(["1", "true"]).fillna(False)
    close = frame["_close"]
    return frame.assign(
        won_at=close.where(won) if "won_at" not in frame else frame["won_at"],
        lost_at=close.where(lost) if "lost_at" not in frame else frame["lost_at"],
    )


def _filled(values: pd.Series) -> pd.Series:
    return values.notna() & (values.astype("string").str.strip() != "").fillna(False)


def _hubspot_contacts(frame: pd.DataFrame, raw: RawTable) -> pd.DataFrame:
    """Tagged contacts: source and medium from their UTM fields, channel left empty.

    HubSpot's "Original Source" files display ads, webinars and fairs alike under
    "Other Campaigns"; where the contact carries UTM tags, they say more. Its channel
    is then left for :func:`leadkpi.channels.fill_channels` (the project's channel
    rules, then the default grouping) to derive at load. Untagged direct traffic
    gets GA's ``(direct)`` source to go with its ``(none)`` medium.
    """
    missing = pd.Series(pd.NA, index=frame.index, dtype="string")
    out = {}
    tagged = pd.Series(False, index=frame.index)
    for column, utm in (("source", "utm_source"), ("medium", "utm_medium")):
        if utm in frame:
            has = _filled(frame[utm])
            out[column] = frame[utm].where(has, frame.get(column, missing))
            tagged |= has
    if "channel" in frame:
        source = out.get("source", frame.get("source", missing))
        direct = (frame["channel"] == "direct").fillna(False) & ~_filled(source)
        out["source"] = source.where(~direct, "(direct)")
        out["channel"] = frame["channel"].where(~tagged)
    return frame.assign(**out)


def _first_contact(frame: pd.DataFrame, raw: RawTable) -> pd.DataFrame:
    """HubSpot lists every associated contact ("101;102"): the first is the lead."""
    frame = _close_dates(frame, raw)
    if "lead_id" in frame:
        ids = frame["lead_id"]
        first = ids.astype("string").str.split(";").str[0].str.strip()
        frame = frame.assign(lead_id=first.where(first.str.len() > 0).astype(ids.dtype))
    return frame


_HUBSPOT_REFS = (
    "https://knowledge.hubspot.com/import-and-export/export-records",
    "https://knowledge.hubspot.com/properties/hubspots-default-contact-properties "
    "(First outreach date, Date of first engagement, Last contacted)",
    "https://knowledge.hubspot.com/records/understand-lifecycle-stages",
    "https://knowledge.hubspot.com/reports/understand-hubspots-traffic-sources-in-the-"
    "traffic-analytics-tool",
    "HubSpot contact property labels hs_lifecyclestage_*_date, as listed in public "
    "HubSpot connectors on GitHub",
    "Headers of hubspot-crm-exports-all-contacts-<date>.csv files as checked by "
    "public import scripts on GitHub (quoted cells; Record ID, First Name, Last Name "
    "first)",
)


def _entered(stage: str, article: str = "a") -> tuple[str, ...]:
    """The headers that date a lifecycle stage: the older "Became a … Date" and the
    newer stage-pipeline columns ``Date entered "<stage> (Lifecycle Stage
    Pipeline)"``."""
    return (
        f"Became {article} {stage} Date",
        f'Date entered "{stage} (Lifecycle Stage Pipeline)"',
        f"Date entered {stage} (Lifecycle Stage Pipeline)",
    )


_ORIGINAL_SOURCE = ("Original Source", "Original Traffic Source", "Fuente original")

HUBSPOT_CONTACTS = Profile(
    name="hubspot_contacts",
    export="contacts",
    vendor="HubSpot",
    kind="leads",
    columns={
        "lead_id": ("Record ID", "Contact ID", "ID de registro"),
        "email": ("Email", "Correo"),
        "created_at": ("Create Date", "Fecha de creación"),
        "account_id": ("Associated Company ID", "Primary Associated Company ID"),
        "owner": ("Contact owner", "Propietario del contacto"),
        "industry": ("Industry", "Sector"),
        "job_title": ("Job Title", "Cargo"),
        "country": ("Country/Region", "Country", "País/región"),
        "company_size": ("Company size", "Number of Employees"),
        "score": ("HubSpot Score",),
        "channel": _ORIGINAL_SOURCE,
        "medium": _ORIGINAL_SOURCE,
        "source": (
            "Original Source Drill-Down 1",
            "Original Traffic Source Drill-Down 1",
        ),
        "source_detail": (
            "Original Source Drill-Down 2",
            "Original Traffic Source Drill-Down 2",
        ),
        "utm_source": ("UTM Source", "utm_source"),
        "utm_medium": ("UTM Medium", "utm_medium"),
        "utm_campaign": ("UTM Campaign", "utm_campaign"),
        "campaign": ("Campaign", "UTM Campaign", "utm_campaign"),
        "landing_page": ("First Page Seen", "Landing Page", "Primera página vista"),
        "mql_at": _entered("Marketing Qualified Lead"),
        "sql_at": _entered("Sales Qualified Lead"),
        "opportunity_at": _entered("Opportunity", article="an"),
        "won_at": _entered("Customer"),
        "lost_at": ("Closed Lost Date", "Lost Date"),
        "first_response_at": (
            "First outreach date",
            "Date of first engagement",
            "First Engagement Date",
        ),
        "deal_value": ("Recent Deal Amount", "Deal Value"),
        "opted_out_at": (
            "Opted Out Date",
            "Unsubscribed from all email date",
            "Opt-out Date",
        ),
        "replied_at": ("Recent Sales Email Replied Date", "Replied Date"),
        "not_interested_at": ("Not Interested Date",),
        "workflow_enrolled_at": ("Workflow Enrolled Date",),
        "workflow_goal_at": ("Workflow Goal Met Date", "Workflow Goal Date"),
        "hard_bounced_at": ("Hard Bounce Date", "Hard Bounced Date"),
        "lifecycle_stage": ("Lifecycle Stage", "Etapa del ciclo de vida"),
    },
    signature=("Record ID", "Create Date", "Lifecycle Stage"),
    values={
        "channel": HUBSPOT_SOURCE_CHANNELS,
        "medium": HUBSPOT_SOURCE_MEDIUMS,
        "lifecycle_stage": HUBSPOT_LIFECYCLE_STAGES,
    },
    transform=_hubspot_contacts,
    references=_HUBSPOT_REFS,
)

HUBSPOT_CONTACTS_BY_ID = replace(
    HUBSPOT_CONTACTS,
    name="hubspot_contacts_contact_id",
    signature=("Contact ID", "Create Date", "Lifecycle Stage"),
)
"""Contacts exported with ``Contact ID`` instead of ``Record ID``."""


def _default_view(frame: pd.DataFrame, raw: RawTable) -> pd.DataFrame:
    warnings.warn(
        f"{raw.path.name}: HubSpot contacts exported from the default view have no "
        "Lifecycle Stage column: read as leads, their stage dates are unknown. "
        "Export with the lifecycle stage properties for the funnel.",
        LeadKPIWarning,
        stacklevel=2,
    )
    return _hubspot_contacts(frame, raw)


HUBSPOT_CONTACTS_DEFAULT_VIEW = replace(
    HUBSPOT_CONTACTS,
    name="hubspot_contacts_default_view",
    export="contacts (default view)",
    # no lifecycle columns: a full contacts export is known better by the above
    columns={
        k: v
        for k, v in HUBSPOT_CONTACTS.columns.items()
        if k != "lifecycle_stage" and not k.endswith("_at") or k == "created_at"
    },
    signature=("Record ID", "Contact owner", "Create Date"),
    transform=_default_view,
)
"""Contacts from the default view: no lifecycle stage, read as leads (said once)."""

HUBSPOT_DEALS = Profile(
    name="hubspot_deals",
    export="deals",
    vendor="HubSpot",
    kind="deals",
    columns={
        "deal_id": ("Record ID", "Deal ID", "ID de registro"),
        "lead_id": ("Associated Contact IDs", "Associated Contact ID"),
        "created_at": ("Create Date", "Fecha de creación"),
        "amount": ("Amount", "Importe"),
        "currency": ("Currency", "Moneda"),
        "stage": ("Deal Stage", "Etapa del negocio"),
        "owner": ("Deal owner", "Propietario del negocio"),
        "deal_name": ("Deal Name", "Nombre del negocio"),
        "lost_reason": ("Closed Lost Reason", "Motivo de pérdida"),
        "pipeline": ("Pipeline",),
        "_close": ("Close Date", "Fecha de cierre"),
    },
    signature=("Record ID", "Deal Name", "Deal Stage"),
    values={"stage": HUBSPOT_DEAL_STAGES},
    transform=_first_contact,
    references=_HUBSPOT_REFS[:1],
)

_PIPEDRIVE_REFS = (
    "https://support.pipedrive.com/en/article/exporting-data",
    "Pipedrive export headers (Deal - ID, Deal - Deal created, Deal - Won time, "
    "Person - Person created) as read by public import scripts on GitHub",
)

PIPEDRIVE_DEALS = Profile(
    name="pipedrive_deals",
    export="deals",
    vendor="Pipedrive",
    kind="deals",
    columns={
        "deal_id": ("Deal - ID",),
        "lead_id": ("Person - ID", "Deal - Contact person ID"),
        "created_at": ("Deal - Deal created",),
        "won_at": ("Deal - Won time",),
        "lost_at": ("Deal - Lost time",),
        "amount": ("Deal - Value",),
        "currency": ("Deal - Currency", "Deal - Currency of Value"),
        "stage": ("Deal - Stage",),
        "owner": ("Deal - Owner",),
        "deal_name": ("Deal - Title",),
        "status": ("Deal - Status",),
        "organization": ("Deal - Organization",),
        "lost_reason": ("Deal - Lost reason",),
    },
    signature=("Deal - ID", "Deal - Title", "Deal - Deal created"),
    references=_PIPEDRIVE_REFS,
)

PIPEDRIVE_PEOPLE = Profile(
    name="pipedrive_people",
    export="people",
    vendor="Pipedrive",
    kind="leads",
    columns={
        "lead_id": ("Person - ID",),
        "created_at": ("Person - Person created",),
        "email": ("Person - Email - Work", "Person - Email"),
        "owner": ("Person - Owner",),
        "organization": ("Person - Organization",),
    },
    signature=("Person - ID", "Person - Person created"),
    references=_PIPEDRIVE_REFS,
)

PROFILES: tuple[Profile, ...] = (
    HUBSPOT_CONTACTS,
    HUBSPOT_CONTACTS_BY_ID,
    HUBSPOT_CONTACTS_DEFAULT_VIEW,
    HUBSPOT_DEALS,
    PIPEDRIVE_DEALS,
    PIPEDRIVE_PEOPLE,
)
