"""The sample company's leads and deals written as HubSpot exports them.

Nubalia Cloud runs its CRM in HubSpot: leads are contacts, deals sit in one sales
pipeline. :func:`hubspot_contacts_export` and :func:`hubspot_deals_export` return the
bytes of CRM → Contacts / Deals → Export (CSV), read back to the generator's tables by
the ``hubspot_contacts`` and ``hubspot_deals`` profiles of
:mod:`leadkpi.io.profiles.crm`:

- UTF-8 without BOM, every cell quoted, ``\\n`` line ends; "Record ID" first, the
  contact's "First Name" and "Last Name" next, then the properties in alphabetical
  order;
- timestamps in the portal's timezone (Europe/Madrid) without an offset, as
  ``2025-03-14 09:21:05``: the generator's times have whole seconds, which the
  export keeps (rounding them would change the sample); the one thing a wall clock
  cannot say is which of the two 02:xx hours of the last Sunday of October a time
  falls in, and a reader takes the first;
- HubSpot's own properties where HubSpot has one (Original Source and its
  drill-downs, First Page Seen, HubSpot Score, the "Became a … Date" lifecycle
  dates, First outreach date (a sales rep's first call, e-mail or meeting), Recent
  Deal Amount, Recent Sales Email Replied Date, Deal Stage labels of the
  pipeline); the portal's custom properties for the
  rest: the UTM fields its forms capture ("UTM Source", "UTM Medium", "UTM
  Campaign") and date-time properties its integrations set ("Closed Lost Date",
  "Opted Out Date", "Not Interested Date", "Workflow Enrolled Date", "Workflow
  Goal Met Date", "Hard Bounce Date"; HubSpot makes date-time properties through
  its API only, a property made in the UI holds a day).

The channel travels the way a real portal carries it: "Original Source" is HubSpot's
guess from the first visit (display ads, webinars and trade fairs all land in "Other
Campaigns"), the UTM fields are the company's own tagging; the profile takes the
channel from Original Source for untagged contacts and leaves tagged ones to
leadkpi's channel grouping (:func:`leadkpi.channels.derive_channels`), which gives
back the generator's channel from the UTM source and medium.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadkpi.datasets._company import TIMEZONE
from leadkpi.datasets._exports import _encode, _lines, _number

__all__ = ["hubspot_contacts_export", "hubspot_deals_export", "ORIGINAL_SOURCES"]

#: leadkpi channel → the "Original Source" HubSpot gives its contacts (UI label).
ORIGINAL_SOURCES = {
    "paid_search": "Paid Search",
    "organic_search": "Organic Search",
    "paid_social": "Paid Social",
    "organic_social": "Social Media",
    "email": "Email Marketing",
    "referral": "Referrals",
    "direct": "Direct Traffic",
    "display": "Other Campaigns",
    "events": "Other Campaigns",
}
#: Deal stage id of the generator → the stage label of Nubalia's sales pipeline.
DEAL_STAGES = {
    "proposal": "Proposal",
    "negotiation": "Negotiation",
    "won": "Closed Won",
    "lost": "Closed Lost",
}
_PIPELINE = "Sales Pipeline"
_EXPECTED_CLOSE_DAYS = 30  #: an open deal's close date: 30 days after creation


def _cells(values: pd.Series) -> pd.Series:
    """Text cells, empty where missing, on a fresh 0..n-1 index."""
    values = values.reset_index(drop=True)
    return values.astype("str").where(values.notna(), "").astype("str")


def _stamps(values: pd.Series) -> pd.Series:
    """Portal wall-clock time, ``YYYY-MM-DD HH:MM:SS``, empty where missing."""
    if values.empty:  # numpy's char functions cannot size an empty array
        return pd.Series([], dtype="str")
    wall = values.dt.tz_convert(TIMEZONE).dt.tz_localize(None).to_numpy("M8[s]")
    text = np.char.replace(np.datetime_as_string(wall, unit="s"), "T", " ")
    return pd.Series(np.where(values.isna().to_numpy(), "", text), dtype="str")


def _amounts(values: pd.Series) -> pd.Series:
    """HubSpot's plain numbers: ``5460`` or ``5460.5``, empty where missing."""
    text = _number(values.fillna(0), 2).str.replace(r"\.?0+$", "", regex=True)
    return text.where(values.notna().to_numpy(), "").reset_index(drop=True)


def _names(email: pd.Series) -> tuple[pd.Series, pd.Series]:
    """First and last name from ``first.last@domain`` addresses, capitalised."""
    parts = email.astype("str").str.extract(r"^([^.@]*)\.?([^@]*)@", expand=True)
    first = parts[0].str.capitalize()
    last = parts[1].str.replace(".", " ", regex=False).str.title()
    return _cells(first), _cells(last)


def _lifecycle(leads: pd.DataFrame) -> pd.Series:
    """The contact's lifecycle stage label: the furthest stage it reached."""
    stages = ["won_at", "opportunity_at", "sql_at", "mql_at"]
    reached = [leads[c].notna().to_numpy() for c in stages]
    labels = ["Customer", "Opportunity", "Sales Qualified Lead"]
    labels += ["Marketing Qualified Lead"]
    return pd.Series(np.select(reached, labels, "Lead"), dtype="str")


def hubspot_contacts_export(leads: pd.DataFrame) -> bytes:
    """HubSpot contacts export (CRM → Contacts → Export, CSV, all properties used).

    Parameters
    ----------
    leads : pandas.DataFrame
        The generator's canonical leads table.

    Returns
    -------
    bytes
        The file, one row per lead, in the order of ``leads``.

    Examples
    --------
    >>> from leadkpi.datasets import generate_sample
    >>> text = hubspot_contacts_export(generate_sample(300)["leads"]).decode("utf-8")
    >>> text.splitlines()[0][:44]
    '"Record ID","First Name","Last Name","Associ'
    """
    first, last = _names(leads["email"])
    tagged = leads["utm_source"].notna() & (leads["utm_source"] != "")
    properties = {
        "Associated Company ID": _cells(leads["account_id"]),
        "Became a Customer Date": _stamps(leads["won_at"]),
        "Became a Marketing Qualified Lead Date": _stamps(leads["mql_at"]),
        "Became a Sales Qualified Lead Date": _stamps(leads["sql_at"]),
        "Became an Opportunity Date": _stamps(leads["opportunity_at"]),
        "Closed Lost Date": _stamps(leads["lost_at"]),
        "Contact owner": _cells(leads["owner"]),
        "Country/Region": _cells(leads["country"]),
        "Create Date": _stamps(leads["created_at"]),
        "First outreach date": _stamps(leads["first_response_at"]),
        "Email": _cells(leads["email"]),
        "First Page Seen": _cells(leads["landing_page"]),
        "Hard Bounce Date": _stamps(leads["hard_bounced_at"]),
        "HubSpot Score": _amounts(leads["score"]),
        "Industry": _cells(leads["industry"]),
        "Job Title": _cells(leads["job_title"]),
        "Lifecycle Stage": _lifecycle(leads),
        "Not Interested Date": _stamps(leads["not_interested_at"]),
        "Number of Employees": _cells(leads["company_size"]),
        "Opted Out Date": _stamps(leads["opted_out_at"]),
        "Original Source": _cells(leads["channel"].map(ORIGINAL_SOURCES)),
        "Original Source Drill-Down 1": _cells(
            leads["source"].where(leads["channel"] != "direct")
        ),
        "Recent Deal Amount": _amounts(leads["deal_value"]),
        "Recent Sales Email Replied Date": _stamps(leads["replied_at"]),
        "UTM Campaign": _cells(leads["utm_campaign"].where(tagged)),
        "UTM Medium": _cells(leads["utm_medium"].where(tagged)),
        "UTM Source": _cells(leads["utm_source"].where(tagged)),
        "Workflow Enrolled Date": _stamps(leads["workflow_enrolled_at"]),
        "Workflow Goal Met Date": _stamps(leads["workflow_goal_at"]),
    }
    names = sorted(properties, key=str.casefold)
    header = ["Record ID", "First Name", "Last Name", *names]
    columns = [_cells(leads["lead_id"]), first, last]
    columns += [properties[name] for name in names]
    lines = _lines(header, columns, ",", quote_all=True)
    return _encode(lines, newline="\n", encoding="utf-8", bom=False)


def hubspot_deals_export(deals: pd.DataFrame, leads: pd.DataFrame) -> bytes:
    """HubSpot deals export (CRM → Deals → Export, CSV), one pipeline.

    A won or lost deal's "Close Date" is when it closed; an open deal's is the
    expected one its owner set (midnight, 30 days after creation), which dates
    nothing. "Deal Name" is the lead's company domain and the product; "Closed Lost
    Reason" is set on lost deals.

    Parameters
    ----------
    deals, leads : pandas.DataFrame
        The generator's canonical deals table and the leads it refers to.

    Returns
    -------
    bytes
        The file, one row per deal, in the order of ``deals``.

    Examples
    --------
    >>> from leadkpi.datasets import generate_sample
    >>> tables = generate_sample(300)
    >>> text = hubspot_deals_export(tables["deals"], tables["leads"]).decode("utf-8")
    >>> text.splitlines()[0]
    '"Record ID","Deal Name","Amount","Associated Contact IDs","Close Date",\
"Closed Lost Reason","Create Date","Deal owner","Deal Stage","Pipeline"'
    """
    domain = leads.set_index("lead_id")["email"].astype("str").str.split("@").str[1]
    name = deals["lead_id"].map(domain).astype("str") + " - Nubalia Cloud"
    created = deals["created_at"].dt.tz_convert(TIMEZONE)
    expected = created.dt.normalize() + pd.DateOffset(days=_EXPECTED_CLOSE_DAYS)
    closed = deals["won_at"].fillna(deals["lost_at"]).fillna(expected)
    columns = [
        _cells(deals["deal_id"]),
        _cells(name),
        _amounts(deals["amount"]),
        _cells(deals["lead_id"]),
        _stamps(closed),
        _cells(deals["lost_reason"]),
        _stamps(deals["created_at"]),
        _cells(deals["owner"]),
        _cells(deals["stage"].map(DEAL_STAGES)),
        _cells(pd.Series(_PIPELINE, index=deals.index)),
    ]
    header = ["Record ID", "Deal Name", "Amount", "Associated Contact IDs"]
    header += ["Close Date", "Closed Lost Reason", "Create Date", "Deal owner"]
    header += ["Deal Stage", "Pipeline"]
    lines = _lines(header, columns, ",", quote_all=True)
    return _encode(lines, newline="\n", encoding="utf-8", bom=False)
