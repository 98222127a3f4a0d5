"""The sample company's outbound prospecting, as lemlist's activity log.

Two SDRs run two short sequences in the last weeks of the data: a LinkedIn one (a
connection request, then a message once accepted) and an e-mail one. Some
prospects reply and book a meeting; two of those who replied are the sample's own
leads, created days after the first contact (their e-mail is the lead's), so the
report can match prospects to leads. The file keeps only the columns the
``lemlist_activities`` profile reads, and few prospects: the sample's files stay
under 5 MB together. Drawn from its own seeded generator and from the leads table
only: the other tables and their numbers do not change.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["outreach_activities", "outreach_export"]

_SEED = 20260101
_PROSPECTS = 8
_CAMPAIGNS = ("CFO", "IT")
_SENDERS = ("Nerea", "Raúl")
_COLUMNS = ["type", "createdAt", "campaignName", "leadEmail", "sendUserName"]


def _later(rng: np.random.Generator, when: pd.Series, low: int, high: int) -> pd.Series:
    hours = rng.integers(low * 24, high * 24 + 1, size=len(when))
    return when + pd.to_timedelta(hours, unit="h")


def outreach_activities(leads: pd.DataFrame) -> pd.DataFrame:
    """One row per activity, in lemlist's field names, times in UTC.

    ``leads`` is the sample's leads table; prospects are first contacted in the
    45 days before its last lead, and no activity falls after that lead.
    """
    rng = np.random.default_rng(_SEED)
    end = leads["created_at"].max()
    start = max(leads["created_at"].min(), end - pd.Timedelta(days=45)).floor("D")
    n = _PROSPECTS
    span = max(int((end - start).total_seconds() * 0.8), 1)
    contacted = start + pd.to_timedelta(np.sort(rng.integers(0, span, n)), unit="s")
    number = np.char.zfill(np.arange(1, n + 1).astype(str), 2)
    prospects = pd.DataFrame(
        {
            "leadEmail": np.char.add(np.char.add("p", number), "@x.example"),
            "sendUserName": np.resize(_SENDERS, n),
            "sequence": np.resize([0, 0, 1], n),
            "contacted": contacted,
        }
    )
    # two prospects who replied became the sample's own leads days after contact
    later = leads[(leads["created_at"] > start + pd.Timedelta(days=10))]
    later = later.sample(n=min(2, len(later)), random_state=_SEED)
    converted = np.zeros(n, dtype=bool)
    chosen = np.array([0, 2][: len(later)])  # a LinkedIn and an e-mail prospect
    converted[chosen] = True
    prospects.loc[chosen, "leadEmail"] = later["email"].to_numpy()
    prospects.loc[chosen, "contacted"] = (
        later["created_at"] - pd.to_timedelta([4, 6][: len(later)], "D")
    ).to_numpy()
    rows = []

    def add(kind: str, mask: np.ndarray, when: pd.Series) -> None:
        rows.append(prospects[mask].assign(type=kind, createdAt=when[mask]))

    linkedin = (prospects["sequence"] == 0).to_numpy()
    at = prospects["contacted"]
    add("linkedinInviteDone", linkedin, at)
    accepted = linkedin & ((rng.random(n) < 0.5) | converted)
    accepted_at = _later(rng, at, 0, 4)
    add("linkedinInviteAccepted", accepted, accepted_at)
    messaged_at = _later(rng, accepted_at, 0, 1)
    add("linkedinSent", accepted, messaged_at)
    mailed = ~linkedin
    add("emailsSent", mailed, at)
    replied = (accepted | mailed) & ((rng.random(n) < 0.4) | converted)
    replied_at = _later(rng, messaged_at.where(linkedin, at), 1, 3)
    add("linkedinReplied", replied & linkedin, replied_at)
    add("emailsReplied", replied & mailed, replied_at)
    meeting = replied & ((rng.random(n) < 0.5) | converted)
    add("meetingBooked", meeting, _later(rng, replied_at, 1, 3))
    out = pd.concat(rows, ignore_index=True)
    out = out[out["createdAt"] <= end]
    out["campaignName"] = [_CAMPAIGNS[s] for s in out["sequence"]]
    out = out.sort_values(["createdAt", "leadEmail"], kind="stable")
    return out[_COLUMNS].reset_index(drop=True)


def outreach_export(leads: pd.DataFrame) -> bytes:
    """The activity log as UTF-8 CSV; ``createdAt`` as ``2026-03-02T08:00:00Z``."""
    table = outreach_activities(leads)
    stamps = table["createdAt"].dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    table = table.assign(createdAt=stamps)
    return table.to_csv(index=False, lineterminator="\n").encode("utf-8")
