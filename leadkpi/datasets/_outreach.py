"""The sample company's outbound prospecting, as lemlist's activity log.

Two SDR sequences run over the last ten months of the data: a LinkedIn one (a
connection request, then a message once accepted) and an e-mail one. Some prospects
reply and book a meeting; a few of those who replied are the sample's own leads,
created days after the first contact (their e-mail is the lead's), so the report
can match prospects to leads. Drawn from its own seeded generator and from the
leads table only: the other tables and their numbers do not change.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["outreach_activities", "outreach_export"]

_SEED = 20260101
_CAMPAIGNS = (("CFO · LinkedIn", "linkedin"), ("IT · correo", "email"))
_SENDERS = ("Nerea Vidal", "Raúl Delgado")
_FIRST = ("Irene", "Hugo", "Rocío", "Óscar", "Inés", "Víctor", "Alba", "Marc")
_LAST = ("Campos", "Navas", "Blanco", "Lara", "Pardo", "Soto", "Roig", "Vega")
_COMPANIES = ("Cementos", "Envases", "Logística", "Frío", "Textil", "Talleres")
_DAY = pd.Timedelta(days=1)
_COLUMNS = [
    "type",
    "createdAt",
    "campaignName",
    "leadId",
    "leadEmail",
    "leadFirstName",
    "leadLastName",
    "leadCompanyName",
    "linkedinUrl",
    "sendUserName",
]


def _later(rng: np.random.Generator, when: pd.Series, low: int, high: int) -> pd.Series:
    hours = rng.integers(low * 24, high * 24 + 1, size=len(when))
    return when + pd.to_timedelta(hours, unit="h")


def outreach_activities(leads: pd.DataFrame) -> pd.DataFrame:
    """One row per activity, in lemlist's field names, times in UTC.

    ``leads`` is the sample's leads table; prospects are contacted in the last ten
    months before its last lead, and no activity falls after that lead.
    """
    rng = np.random.default_rng(_SEED)
    end = leads["created_at"].max()
    # the last ten months of the data (or all of it, when shorter)
    start = max(leads["created_at"].min(), end - 300 * _DAY).floor("D")
    n = 16 * max(int((end - start) / pd.Timedelta(days=30)), 1)
    contacted = start + pd.to_timedelta(
        np.sort(rng.integers(0, int((end - start).total_seconds()), size=n)), unit="s"
    )
    first = rng.choice(_FIRST, n)
    last = rng.choice(_LAST, n)
    company = np.char.add(rng.choice(_COMPANIES, n).astype(str), " ")
    company = np.char.add(company, rng.choice(_LAST, n).astype(str))
    slug = np.char.lower(np.char.add(np.char.add(first.astype(str), "-"), last))
    number = np.arange(1, n + 1).astype(str)
    prospects = pd.DataFrame(
        {
            "leadId": np.char.add("lea_", np.char.zfill(number, 5)),
            "leadFirstName": first,
            "leadLastName": last,
            "leadCompanyName": company,
            "leadEmail": np.char.add(np.char.add(slug, number), "@prospect.example"),
            "linkedinUrl": np.char.add("https://www.linkedin.com/in/", slug),
            "sendUserName": rng.choice(_SENDERS, n),
            "sequence": rng.integers(0, len(_CAMPAIGNS), n),
            "contacted": contacted,
        }
    )
    prospects["linkedinUrl"] = prospects["linkedinUrl"] + "-" + number
    # a few prospects became the sample's own leads a few days after contact
    later = leads[leads["created_at"] > start + 20 * _DAY]
    later = later.sample(n=max(n // 25, 1), random_state=_SEED)
    chosen = rng.choice(n, size=len(later), replace=False)
    prospects.loc[chosen, "leadEmail"] = later["email"].to_numpy()
    prospects.loc[chosen, "contacted"] = (
        later["created_at"] - pd.to_timedelta(rng.integers(3, 15, len(later)), "D")
    ).to_numpy()
    converted = np.zeros(n, dtype=bool)
    converted[chosen] = True
    rows = []

    def add(kind: str, mask: np.ndarray, when: pd.Series) -> None:
        rows.append(prospects[mask].assign(type=kind, createdAt=when[mask]))

    linkedin = (prospects["sequence"] == 0).to_numpy()
    at = prospects["contacted"]
    add("linkedinInviteDone", linkedin, at)
    accepted = linkedin & ((rng.random(n) < 0.38) | converted)
    accepted_at = _later(rng, at, 0, 6)
    add("linkedinInviteAccepted", accepted, accepted_at)
    messaged_at = _later(rng, accepted_at, 0, 2)
    add("linkedinSent", accepted, messaged_at)
    mailed = ~linkedin
    add("emailsSent", mailed, at)
    replied = (accepted & (rng.random(n) < 0.3)) | (mailed & (rng.random(n) < 0.1))
    replied |= converted & (accepted | mailed)
    replied_at = _later(rng, messaged_at.where(linkedin, at), 1, 5)
    add("linkedinReplied", replied & linkedin, replied_at)
    add("emailsReplied", replied & mailed, replied_at)
    meeting = replied & ((rng.random(n) < 0.35) | converted)
    add("meetingBooked", meeting, _later(rng, replied_at, 1, 7))
    out = pd.concat(rows, ignore_index=True)
    out = out[out["createdAt"] <= end]
    out["campaignName"] = [_CAMPAIGNS[s][0] for s in out["sequence"]]
    out.loc[out["sequence"] == 1, "linkedinUrl"] = ""
    out = out.sort_values(["createdAt", "leadId"], kind="stable")
    return out[_COLUMNS].reset_index(drop=True)


def outreach_export(leads: pd.DataFrame) -> bytes:
    """The activity log as UTF-8 CSV; ``createdAt`` as ``2026-03-02T08:00:00.000Z``."""
    table = outreach_activities(leads)
    stamps = table["createdAt"].dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%S")
    table = table.assign(createdAt=stamps + ".000Z")
    return table.to_csv(index=False, lineterminator="\n").encode("utf-8")
