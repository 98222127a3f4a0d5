"""Outbound prospecting exports that fill the ``outreach`` table.

The ``outreach`` table has one row per prospect × sequence. Activity logs (one row
per step: an invitation, a message, a reply) load as rows with the one step they
record dated; :func:`leadkpi.outreach.fold_outreach` then folds the rows of one
prospect into one (see there), so every line of every file is still one row read.

**LinkedIn data export** ("Settings & Privacy → Data privacy → Get a copy of your
data"): a ZIP of CSV files, UTF-8. Three of them describe prospecting, each read on
its own by auto-detection (name the unzipped folder as the ``outreach`` source: its
other files are left out, see :data:`leadkpi.project.LINKEDIN_ARCHIVE_FILES`):

- ``Invitations.csv`` (``linkedin_invitations``): ``From, To, Sent At, Message,
  Direction, inviterProfileUrl, inviteeProfileUrl``; ``Sent At`` as
  ``3/5/26, 1:45 AM`` (month first); ``Direction`` ``OUTGOING`` or ``INCOMING``.
  An outgoing invitation is a connection request sent (``request_sent_at``, and the
  first contact); an incoming one loads with ``direction`` ``incoming`` and no
  step dated (the prospect wrote first: not outreach).
- ``Connections.csv`` (``linkedin_connections``): three lines of notes
  (``Notes:``, a quoted sentence about missing e-mail addresses, a blank line),
  then ``First Name, Last Name, URL, Email Address, Company, Position, Connected
  On`` with ``Connected On`` as ``05 Mar 2026``: the day a request was accepted
  (``request_accepted_at``). ``Email Address`` is empty unless the connection
  allows it.
- ``messages.csv`` (``linkedin_messages``): ``CONVERSATION ID, CONVERSATION TITLE,
  FROM, SENDER PROFILE URL, TO, RECIPIENT PROFILE URLS, DATE, SUBJECT, CONTENT,
  FOLDER`` (newer exports add ``ATTACHMENTS``, ``IS MESSAGE DRAFT``, ...), ``DATE``
  as ``2026-03-10 09:12:00 UTC``. The account's owner is the profile URL that
  appears in the most messages (as sender or recipient); a message from the owner
  is a message sent (``message_sent_at``, a first contact), a message to the
  owner a reply (``replied_at``; :func:`~leadkpi.outreach.fold_outreach` keeps
  only replies at or after the first contact). A message to several people is
  read for the first recipient.

The export names no campaign: ``campaign`` stays empty and ``medium`` is
``linkedin``; the sender (``owner``) is the account's name.

**lemlist activities** (``lemlist_activities``): lemlist's activity log (every
step of every campaign, one row each), as its API returns it and as the export
tools built on it write it to CSV: columns named after the API's activity fields,
``type, createdAt, campaignName, leadId, leadEmail, leadFirstName, leadLastName,
leadCompanyName, linkedinUrl, sendUserName``. The activity ``type`` gives the step:
``linkedinInviteDone`` → ``request_sent_at``, ``linkedinInviteAccepted`` →
``request_accepted_at``, ``linkedinSent`` and ``emailsSent`` →
``message_sent_at``, ``linkedinReplied`` and ``emailsReplied`` → ``replied_at``,
``meetingBooked`` → ``meeting_at``; other types (opens, clicks, visits) load with
no step dated and the type kept in ``activity``. ``medium`` is ``linkedin`` or
``email`` from the type (a prospect reached on both reads ``multichannel`` once
folded). The CSV layout follows the API's field names; lemlist publishes no sample
of a CSV export, so check a real file's header (or describe it with a mapping).

**Waalaxy prospects** (``waalaxy_prospects``): the prospects export (one row per
prospect, as public parsers of the file read it): ``firstName, lastName,
occupation, company_name, linkedinUrl, email`` (or ``proEmail``), ``prospectList``,
``state`` (``interested``, ``not_interested``, ...), ``messageSent``,
``messageReplied`` (yes/no), and one date per step, ``YYYY-MM-DD`` first:
``connectionRequestDate`` → ``request_sent_at``, ``connectedAt`` →
``request_accepted_at``, ``firstMessageAt`` or else ``lastEmailSentDate`` →
``message_sent_at`` (the file keeps only the last e-mail), the earlier of
``lastLinkedinReplyDate`` and ``lastEmailReplyDate`` (else
``lastReplyDetectedDate``) → ``replied_at`` (the last reply on each medium: a
prospect who replied twice is dated by the later reply). The export names no
campaign: ``campaign`` is the prospect list. ``medium`` is ``linkedin``,
``email`` or ``multichannel`` from the steps dated.

A tool that sends through a LinkedIn account (lemlist, and the others) leaves its
invitations and messages in that account's data export too: load one or the other
for an account, not both, or each step counts twice (once per sequence).

**Any other tool**: a file whose columns are the canonical ones (``profile_url``,
``email``, ``campaign``, ``owner``, ``contacted_at``, ``request_sent_at``,
``request_accepted_at``, ``message_sent_at``, ``replied_at``, ``meeting_at``) is
read as leadkpi's own layout; otherwise describe it with a mapping (``generic``).

References
----------
- LinkedIn Help, "Download your account data" (the archive and its files).
- Public parsers and fixtures of the archive's ``Invitations.csv``,
  ``Connections.csv`` (its ``Notes:`` preamble) and ``messages.csv`` on GitHub.
- Public parsers of Waalaxy's prospects export (``connectionRequestDate``,
  ``connectedAt``, ``firstMessageAt``, ``lastReplyDetectedDate``,
  ``prospectList``, ``messageSent``) on GitHub.
- lemlist API reference: activities and their types
  (https://developer.lemlist.com/api-reference), campaign exports.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadkpi.io.profiles.base import Profile, RawTable

__all__ = [
    "LINKEDIN_INVITATIONS",
    "LINKEDIN_CONNECTIONS",
    "LINKEDIN_MESSAGES",
    "LEMLIST_ACTIVITIES",
    "LEMLIST_STEPS",
    "WAALAXY_PROSPECTS",
    "PROFILES",
]

_REFERENCES_LINKEDIN = (
    "https://www.linkedin.com/help/linkedin/answer/a1339364",
    "Public parsers and fixtures of the LinkedIn archive's Invitations.csv, "
    "Connections.csv and messages.csv",
)


def _blank(frame: pd.DataFrame) -> pd.Series:
    return pd.Series(pd.NA, index=frame.index, dtype="str")


def _invitations(frame: pd.DataFrame, raw: RawTable) -> pd.DataFrame:
    """Outgoing invitations are requests sent; incoming ones date no step."""
    direction = frame["_direction"].str.strip().str.upper()
    outgoing = (direction == "OUTGOING").fillna(False).to_numpy()
    sent = frame["request_sent_at"].where(outgoing)
    return frame.assign(
        request_sent_at=sent,
        contacted_at=sent,
        name=frame["name"].where(outgoing, frame["_from"]),
        profile_url=frame["profile_url"].where(outgoing, frame["_inviter"]),
        owner=frame["_from"].where(outgoing, frame["name"]),
        direction=np.where(outgoing, "outgoing", "incoming"),
    )


LINKEDIN_INVITATIONS = Profile(
    name="linkedin_invitations",
    export="data export invitations (Invitations.csv)",
    vendor="LinkedIn",
    kind="outreach",
    columns={
        "name": ("To",),
        "profile_url": ("inviteeProfileUrl",),
        "request_sent_at": ("Sent At",),
        "_direction": ("Direction",),
        "_from": ("From",),
        "_inviter": ("inviterProfileUrl",),
    },
    signature=("From", "To", "Sent At", "Direction"),
    constants={"medium": "linkedin"},
    transform=_invitations,
    dayfirst=False,
    references=_REFERENCES_LINKEDIN,
)
"""``Invitations.csv`` of LinkedIn's data export: connection requests."""


def _connections(frame: pd.DataFrame, raw: RawTable) -> pd.DataFrame:
    """One name from the two name columns; no first contact in this file."""
    first = frame.get("_first", _blank(frame)).fillna("")
    last = frame.get("_last", _blank(frame)).fillna("")
    name = (first.str.strip() + " " + last.str.strip()).str.strip()
    return frame.assign(name=name.where(name != "", pd.NA), contacted_at=_blank(frame))


LINKEDIN_CONNECTIONS = Profile(
    name="linkedin_connections",
    export="data export connections (Connections.csv)",
    vendor="LinkedIn",
    kind="outreach",
    columns={
        "_first": ("First Name",),
        "_last": ("Last Name",),
        "profile_url": ("URL",),
        "email": ("Email Address",),
        "company": ("Company",),
        "position": ("Position",),
        "request_accepted_at": ("Connected On",),
    },
    signature=("First Name", "Last Name", "URL", "Connected On"),
    constants={"medium": "linkedin"},
    transform=_connections,
    dayfirst=True,
    references=_REFERENCES_LINKEDIN,
)
"""``Connections.csv`` of LinkedIn's data export: requests accepted (by day)."""


def _first_url(urls: pd.Series) -> pd.Series:
    """The first of a comma-separated list of profile URLs."""
    return urls.str.split(",").str[0].str.strip()


def _messages(frame: pd.DataFrame, raw: RawTable) -> pd.DataFrame:
    """Messages from the account's owner are sent; messages to them are replies."""
    sender = frame["_sender_url"].str.strip()
    recipient = _first_url(frame["_recipient_urls"])
    everyone = pd.concat([sender, recipient], ignore_index=True).dropna()
    owner_url = everyone.mode().iloc[0] if len(everyone) else None
    mine = (sender == owner_url).fillna(False).to_numpy()
    date = frame["_date"]
    return frame.assign(
        profile_url=recipient.where(mine, sender),
        name=frame["_to"].where(mine, frame["_from"]),
        owner=frame["_from"].where(mine, frame["_to"]),
        message_sent_at=date.where(mine),
        contacted_at=date.where(mine),
        replied_at=date.where(~mine),
        direction=np.where(mine, "outgoing", "incoming"),
    )


LINKEDIN_MESSAGES = Profile(
    name="linkedin_messages",
    export="data export messages (messages.csv)",
    vendor="LinkedIn",
    kind="outreach",
    columns={
        "_from": ("FROM",),
        "_sender_url": ("SENDER PROFILE URL",),
        "_to": ("TO",),
        "_recipient_urls": ("RECIPIENT PROFILE URLS",),
        "_date": ("DATE",),
        "conversation_id": ("CONVERSATION ID",),
    },
    signature=("CONVERSATION ID", "FROM", "SENDER PROFILE URL", "DATE"),
    constants={"medium": "linkedin"},
    transform=_messages,
    references=_REFERENCES_LINKEDIN,
)
"""``messages.csv`` of LinkedIn's data export: messages sent and replies."""

#: lemlist activity type → the ``outreach`` step it dates.
LEMLIST_STEPS: dict[str, str] = {
    "linkedinInviteDone": "request_sent_at",
    "linkedinInviteAccepted": "request_accepted_at",
    "linkedinSent": "message_sent_at",
    "emailsSent": "message_sent_at",
    "linkedinReplied": "replied_at",
    "emailsReplied": "replied_at",
    "meetingBooked": "meeting_at",
}
_FIRST_CONTACT = ("linkedinInviteDone", "linkedinSent", "emailsSent")


def _lemlist(frame: pd.DataFrame, raw: RawTable) -> pd.DataFrame:
    """Each activity dates the step its type names (if any)."""
    kind = frame["activity"].str.strip()
    at = frame["_at"]
    steps = {
        column: at.where(
            kind.isin([t for t, c in LEMLIST_STEPS.items() if c == column])
        )
        for column in dict.fromkeys(LEMLIST_STEPS.values())
    }
    first = frame.get("_first", _blank(frame)).fillna("").str.strip()
    last = frame.get("_last", _blank(frame)).fillna("").str.strip()
    name = (first + " " + last).str.strip()
    lowered = kind.str.lower()
    channel = np.select(
        [
            lowered.str.startswith("linkedin").fillna(False).to_numpy(),
            lowered.str.startswith("email").fillna(False).to_numpy(),
        ],
        ["linkedin", "email"],
        default=None,
    )
    return frame.assign(
        **steps,
        contacted_at=at.where(kind.isin(_FIRST_CONTACT)),
        name=name.where(name != "", pd.NA),
        medium=pd.Series(channel, index=frame.index, dtype="str"),
    )


LEMLIST_ACTIVITIES = Profile(
    name="lemlist_activities",
    export="activities",
    vendor="lemlist",
    kind="outreach",
    columns={
        "activity": ("type",),
        "_at": ("createdAt",),
        "campaign": ("campaignName",),
        "prospect_id": ("leadId",),
        "email": ("leadEmail",),
        "_first": ("leadFirstName",),
        "_last": ("leadLastName",),
        "company": ("leadCompanyName", "companyName"),
        "profile_url": ("linkedinUrl", "leadLinkedinUrl"),
        "owner": ("sendUserName", "sendUserEmail"),
    },
    signature=("type", "createdAt", "campaignName", "leadEmail"),
    transform=_lemlist,
    references=(
        "https://developer.lemlist.com/api-reference (activities: type, "
        "createdAt, campaignName, leadEmail, sendUserName)",
        "lemlist webhook and activity types: linkedinInviteDone, "
        "linkedinInviteAccepted, linkedinSent, linkedinReplied, emailsSent, "
        "emailsReplied, meetingBooked",
    ),
)
"""lemlist's activity log: one row per step of a campaign."""


def _earliest(*values: pd.Series) -> pd.Series:
    """The earliest of ISO 8601 texts, cell by cell (empty where all are)."""
    out = values[0]
    for other in values[1:]:
        take = out.isna() | (other < out).fillna(False)
        out = other.where(take, out)
    return out


def _waalaxy(frame: pd.DataFrame, raw: RawTable) -> pd.DataFrame:
    """Step dates from Waalaxy's per-step columns; the medium from those dated."""
    empty = _blank(frame)
    text = {
        c: frame[c].str.strip().replace("", pd.NA) if c in frame else empty
        for c in ("request_sent_at", "_first_message", "_email_sent")
    }
    message = text["_first_message"].fillna(text["_email_sent"])
    replied = _earliest(
        frame.get("_linkedin_reply", empty), frame.get("_email_reply", empty)
    ).fillna(frame.get("_any_reply", empty))
    on_linkedin = text["request_sent_at"].notna() | text["_first_message"].notna()
    by_email = text["_email_sent"].notna()
    medium = np.select(
        [
            (on_linkedin & by_email).to_numpy(),
            on_linkedin.to_numpy(),
            by_email.to_numpy(),
        ],
        ["multichannel", "linkedin", "email"],
        default=None,
    )
    first = frame.get("_first", empty).fillna("").str.strip()
    last = frame.get("_last", empty).fillna("").str.strip()
    name = (first + " " + last).str.strip()
    return frame.assign(
        message_sent_at=message,
        replied_at=replied,
        contacted_at=_earliest(text["request_sent_at"], message),
        medium=pd.Series(medium, index=frame.index, dtype="str"),
        name=name.where(name != "", pd.NA),
    )


WAALAXY_PROSPECTS = Profile(
    name="waalaxy_prospects",
    export="prospects",
    vendor="Waalaxy",
    kind="outreach",
    columns={
        "_first": ("firstName",),
        "_last": ("lastName",),
        "company": ("company_name", "company"),
        "job_title": ("occupation",),
        "profile_url": ("linkedinUrl",),
        "email": ("email", "proEmail", "linkedinEmail"),
        "campaign": ("prospectList",),
        "state": ("state",),
        "request_sent_at": ("connectionRequestDate",),
        "request_accepted_at": ("connectedAt",),
        "_first_message": ("firstMessageAt",),
        "_email_sent": ("lastEmailSentDate",),
        "_linkedin_reply": ("lastLinkedinReplyDate",),
        "_email_reply": ("lastEmailReplyDate",),
        "_any_reply": ("lastReplyDetectedDate",),
    },
    signature=("linkedinUrl", "connectionRequestDate", "connectedAt", "prospectList"),
    transform=_waalaxy,
    dayfirst=False,
    references=(
        "Public parsers of Waalaxy's prospects CSV export (connectionRequestDate, "
        "connectedAt, firstMessageAt, lastLinkedinReplyDate, lastEmailSentDate, "
        "lastEmailReplyDate, lastReplyDetectedDate, prospectList, state)",
    ),
)
"""Waalaxy's prospects export: one row per prospect, a date per step."""

PROFILES: tuple[Profile, ...] = (
    LINKEDIN_INVITATIONS,
    LINKEDIN_CONNECTIONS,
    LINKEDIN_MESSAGES,
    LEMLIST_ACTIVITIES,
    WAALAXY_PROSPECTS,
)
