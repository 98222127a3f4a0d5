"""Outbound prospecting: fold activity rows into prospects, and find their leads.

The ``outreach`` table has one row per prospect × sequence (``campaign``): who was
approached (``prospect_id``, ``profile_url``, ``email``), by whom (``owner``), on
which ``medium`` (``linkedin``, ``email``), in which marketing ``channel``
(:data:`OUTREACH_CHANNEL` unless the file says), and when each step happened:
``contacted_at`` (the first contact: a connection request or a first message;
derived from those when a file has no such column), ``request_sent_at``,
``request_accepted_at``, ``message_sent_at``, ``replied_at``, ``meeting_at``.

That grain is what the rates need (accepted requests over requests sent, replies
over prospects contacted), and what per-prospect exports give (Waalaxy's prospects,
a tool's sequence table in the canonical columns). Activity logs (the LinkedIn
archive's files, lemlist's activities) give one row per step instead;
they load row for row (so every line is accounted for) and
:func:`fold_outreach` then folds the rows of one prospect in one sequence into one
row. :func:`match_leads` finds the lead each prospect became, by e-mail or
LinkedIn profile URL.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from leadkpi.schemas import OUTREACH_STEPS

__all__ = [
    "EVENT_COLUMNS",
    "OUTREACH_CHANNEL",
    "LeadMatch",
    "fold_outreach",
    "join_leads",
    "match_leads",
    "normalise_email",
    "normalise_profile_url",
]

#: The marketing channel of outbound prospecting: its rows' ``channel`` unless the
#: file names one, and the channel of the ``costs`` rows that pay for it (tools,
#: SDR time), which ``cost_per_meeting`` divides.
OUTREACH_CHANNEL = "outbound"

#: Columns that describe one activity row, not the prospect: dropped by the fold.
EVENT_COLUMNS = ("activity", "direction", "conversation_id")

# LinkedIn profile URL → "linkedin.com/in/<slug>": scheme, www or a country
# subdomain, locale subpaths (/en, /es), query, fragment and slash dropped
_LINKEDIN = (
    r"^(?:[a-z]+://)?(?:[a-z]{2,3}\.)?linkedin\.com/(in|pub|sales/lead)/([^/?#]+).*$"
)
_IS_LINKEDIN = r"^(?:[a-z]+://)?(?:[a-z]{2,3}\.)?linkedin\.com/(?:in|pub|sales/lead)/"
_SCHEME = r"^(?:[a-z]+://)?(?:www\.)?"
_TAIL = r"[?#].*$"

_FIRST_CONTACT = ("contacted_at", "request_sent_at", "message_sent_at")
# steps that count only on or after the first contact; acceptance by day (the
# LinkedIn archive dates connections by day only)
_AFTER_CONTACT = {"request_accepted_at": "D", "replied_at": None, "meeting_at": None}


def normalise_email(values: pd.Series) -> pd.Series:
    """E-mail addresses as matched: trimmed, lower case, ``mailto:`` dropped.

    Examples
    --------
    >>> normalise_email(pd.Series([" Ana@Example.COM ", "mailto:b@x.es", ""])).tolist()
    ['ana@example.com', 'b@x.es', nan]
    """
    text = values.astype("str").str.strip().str.lower()
    text = text.str.replace(r"^mailto:", "", regex=True)
    return text.where(text.str.contains("@").fillna(False))


def normalise_profile_url(values: pd.Series) -> pd.Series:
    """Profile URLs as matched: ``linkedin.com/in/<slug>`` for a LinkedIn profile
    (any scheme, ``www.`` or country subdomain, locale subpath, query or trailing
    slash); other URLs without scheme, ``www.``, query and trailing slash.

    Examples
    --------
    >>> urls = pd.Series(["https://www.linkedin.com/in/Ana-Ruiz/",
    ...                   "http://es.linkedin.com/in/ana-ruiz/en?trk=x",
    ...                   "linkedin.com/in/ana-ruiz"])
    >>> normalise_profile_url(urls).unique().tolist()
    ['linkedin.com/in/ana-ruiz']
    """
    text = values.astype("str").str.strip().str.lower()
    linkedin = text.str.replace(_LINKEDIN, r"linkedin.com/\1/\2", regex=True)
    other = text.str.replace(_SCHEME, "", regex=True).str.replace(_TAIL, "", regex=True)
    is_linkedin = text.str.contains(_IS_LINKEDIN, regex=True).fillna(False)
    out = linkedin.where(is_linkedin, other).str.rstrip("/")
    return out.where(out.str.len() > 0)


def _fill_within(frame: pd.DataFrame, target: str, by: list[str]) -> pd.Series:
    """``target`` filled from other rows that share ``by`` (the same prospect)."""
    if frame[by].isna().all(axis=None):
        return frame[target]
    first = frame.groupby(by, dropna=False, sort=False)[target].transform("first")
    return frame[target].fillna(first)


def _keys(frame: pd.DataFrame) -> pd.Series:
    """Who each row is about: ``prospect_id``, else its profile URL, else e-mail."""
    url = (
        normalise_profile_url(frame["profile_url"]) if "profile_url" in frame else None
    )
    email = normalise_email(frame["email"]) if "email" in frame else None
    parts = pd.DataFrame(
        {
            "campaign": frame.get("campaign", pd.Series(pd.NA, index=frame.index)),
            "url": url if url is not None else pd.NA,
            "email": email if email is not None else pd.NA,
        },
        index=frame.index,
    ).astype("str")
    # one prospect's rows may name the URL on some and the e-mail on others
    parts["url"] = _fill_within(parts, "url", ["campaign", "email"])
    parts["email"] = _fill_within(parts, "email", ["campaign", "url"])
    row = pd.Series("row:" + pd.Series(np.arange(len(frame)), dtype="str").to_numpy())
    row.index = frame.index
    key = ("email:" + parts["email"]).fillna(row)
    key = ("url:" + parts["url"]).fillna(key)
    if "prospect_id" in frame:
        key = ("id:" + frame["prospect_id"].astype("str")).fillna(key)
    return key


def fold_outreach(table: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """Fold an ``outreach`` table's rows into one row per prospect × sequence.

    Rows belong to one prospect when they share ``campaign`` and ``prospect_id``,
    or else the normalised profile URL, or else the normalised e-mail (a row with
    the e-mail only takes the URL of another row with the same e-mail). Per
    prospect:

    - ``contacted_at`` is the earliest of ``contacted_at``, ``request_sent_at`` and
      ``message_sent_at``; ``request_sent_at`` and ``message_sent_at`` the earliest;
    - ``request_accepted_at`` (on or after the day of the first contact),
      ``replied_at`` and ``meeting_at`` (at or after the first contact) the
      earliest such date: a message that came before the first contact is not a
      reply to it, a connection made before is not an acceptance. Without any
      contact the earliest date is kept (the prospect is counted nowhere);
    - ``medium`` the one medium, or ``multichannel``; other columns the first
      value given. Activity columns (:data:`EVENT_COLUMNS`) are dropped.

    A table already at that grain comes back unchanged (same rows and values).

    Parameters
    ----------
    table : pandas.DataFrame
        A typed ``outreach`` table (as loaded).

    Returns
    -------
    (pandas.DataFrame, dict)
        The folded table, in the order of each prospect's first row, and counts:
        ``rows``, ``prospects``, ``ignored`` (dates before the first contact left
        out).

    Examples
    --------
    >>> t = pd.to_datetime(["2026-03-02 09:00", "2026-03-03 10:00"]).tz_localize("UTC")
    >>> rows = pd.DataFrame({"profile_url": ["linkedin.com/in/a/"] * 2,
    ...     "contacted_at": [t[0], pd.NaT], "request_sent_at": [t[0], pd.NaT],
    ...     "request_accepted_at": [pd.NaT, t[1]]})
    >>> folded, counts = fold_outreach(rows)
    >>> len(folded), folded["request_accepted_at"].iloc[0] == t[1], counts["rows"]
    (1, True, 2)
    """
    frame = table.drop(columns=[c for c in EVENT_COLUMNS if c in table])
    key = _keys(frame)
    firsts = [c for c in _FIRST_CONTACT if c in frame]
    first = (
        frame[firsts].min(axis=1) if firsts else pd.Series(pd.NaT, index=frame.index)
    )
    group = [key, frame["campaign"] if "campaign" in frame else key]
    contacted = first.groupby(group, dropna=False, sort=False).transform("min")
    ignored = 0
    masked: dict[str, pd.Series] = {}
    for column, unit in _AFTER_CONTACT.items():
        if column not in frame:
            continue
        limit = contacted.dt.floor(unit) if unit else contacted
        before = (frame[column] < limit).fillna(False)
        ignored += int(before.sum())
        masked[column] = frame[column].mask(before)
    work = frame.assign(**masked, contacted_at=first, __key=key.to_numpy())
    if "campaign" not in work:
        work["campaign"] = pd.Series(pd.NA, index=work.index, dtype="str")
    grouped = work.groupby(["__key", "campaign"], dropna=False, sort=False)
    dates = [c for c in ("contacted_at", *OUTREACH_STEPS) if c in work]
    others = [c for c in work.columns if c not in {*dates, "__key", "campaign"}]
    parts = [grouped[dates].min()] if dates else []
    if others:
        parts.append(grouped[others].first())
    out = pd.concat(parts, axis=1).reset_index()
    if "medium" in frame:
        kinds = grouped["medium"].nunique()
        multi = (kinds > 1).to_numpy()
        out["medium"] = out["medium"].mask(multi, "multichannel")
    columns = [c for c in table.columns if c in out and c != "__key"]
    out = out[columns].reset_index(drop=True)
    counts = {"rows": len(table), "prospects": len(out), "ignored": ignored}
    return out, counts


@dataclass(frozen=True)
class LeadMatch:
    """Outreach prospects matched to leads.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per outreach row, in its order: ``profile_url, email, campaign``
        (as given), ``lead_id``, ``lead_created_at`` and ``matched_by``
        (``"email"``, ``"profile_url"`` or missing when unmatched).
    prospects, matched, by_email, by_profile_url, unmatched : int
        Counts of outreach rows.
    """

    table: pd.DataFrame
    prospects: int
    matched: int
    by_email: int
    by_profile_url: int
    unmatched: int

    @property
    def rate(self) -> float:
        """Matched prospects over prospects (NaN without prospects)."""
        return self.matched / self.prospects if self.prospects else float("nan")


def _lookup(leads: pd.DataFrame, keys: pd.Series) -> pd.DataFrame:
    """The earliest-created lead per key (a key shared by leads names the first)."""
    found = pd.DataFrame(
        {"key": keys, "lead_id": leads["lead_id"], "created_at": leads["created_at"]}
    ).dropna(subset=["key"])
    found = found.sort_values("created_at", kind="stable")
    return found.drop_duplicates("key").set_index("key")


def match_leads(
    outreach: pd.DataFrame,
    leads: pd.DataFrame,
    *,
    email_col: str = "email",
    url_col: str | None = None,
) -> LeadMatch:
    """Match outreach prospects to leads by e-mail, then by profile URL.

    E-mails are compared trimmed and in lower case (:func:`normalise_email`);
    profile URLs without scheme, ``www.``, locale subpath, query or trailing slash
    (:func:`normalise_profile_url`). A prospect matched by e-mail keeps that match;
    others are matched by URL. When several leads share an address, the one
    created first is the match. Unmatched prospects are kept and counted.

    Parameters
    ----------
    outreach : pandas.DataFrame
        The ``outreach`` table (``email`` and/or ``profile_url``).
    leads : pandas.DataFrame
        The ``leads`` table (``lead_id``, ``created_at``, and ``email_col``).
    email_col : str
        The leads' e-mail column.
    url_col : str, optional
        The leads' profile URL column; default the first of ``profile_url``,
        ``linkedin_url`` that the leads have (none: e-mail only).

    Returns
    -------
    LeadMatch

    Examples
    --------
    >>> out = pd.DataFrame({"email": ["Ana@X.es", None, None],
    ...     "profile_url": [None, "https://www.linkedin.com/in/bo/", "x"]})
    >>> leads = pd.DataFrame({"lead_id": ["1", "2"], "email": ["ana@x.es", None],
    ...     "linkedin_url": [None, "linkedin.com/in/bo"],
    ...     "created_at": pd.to_datetime(["2026-03-01", "2026-03-02"])})
    >>> m = match_leads(out, leads)
    >>> m.table["lead_id"].tolist(), m.unmatched, round(m.rate, 3)
    (['1', '2', nan], 1, 0.667)
    """
    if url_col is None:
        url_col = next((c for c in ("profile_url", "linkedin_url") if c in leads), None)
    n = len(outreach)
    lead_id = pd.Series(pd.NA, index=outreach.index, dtype="str")
    created = pd.Series(pd.NaT, index=outreach.index, dtype=leads["created_at"].dtype)
    how = pd.Series(pd.NA, index=outreach.index, dtype="str")
    pairs = (("email", email_col, normalise_email),)
    pairs += (("profile_url", url_col, normalise_profile_url),) if url_col else ()
    for name, column, norm in pairs:
        if name not in outreach or column not in leads:
            continue
        found = _lookup(leads, norm(leads[column]))
        at = found.index.get_indexer(norm(outreach[name]))  # -1: no such lead
        open_ = lead_id.isna().to_numpy() & (at >= 0)
        # only the matched rows are taken: a whole timezone-aware column as NumPy
        # would box every lead's timestamp
        lead_id[open_] = found["lead_id"].iloc[at[open_]].to_numpy()
        created[open_] = found["created_at"].iloc[at[open_]].array
        how[open_] = name
    shown = [c for c in ("profile_url", "email", "campaign") if c in outreach]
    table = outreach[shown].assign(
        lead_id=lead_id, lead_created_at=created, matched_by=how
    )
    by_email = int((how == "email").sum())
    by_url = int((how == "profile_url").sum())
    return LeadMatch(
        table=table.reset_index(drop=True),
        prospects=n,
        matched=by_email + by_url,
        by_email=by_email,
        by_profile_url=by_url,
        unmatched=n - by_email - by_url,
    )


def join_leads(
    outreach: pd.DataFrame, leads: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``outreach`` table as :class:`~leadkpi.data.LeadData` assembles it.

    Folds the rows (:func:`fold_outreach`), fills an empty ``channel`` with
    :data:`OUTREACH_CHANNEL` and, with ``leads``, adds
    ``lead_id`` and ``matched_by`` (:func:`match_leads`) and ``converted_at``: the
    matched lead's ``created_at`` when it is at or after the first contact (a lead
    that existed before was not won by this outreach). Running it again on its
    own output changes nothing.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The table, and what was derived (``table, column, derived, changed,
        detail``), as :attr:`~leadkpi.data.LeadData.derivations` lists it.
    """
    folded, counts = fold_outreach(outreach)
    channel = folded.get("channel", pd.Series(pd.NA, index=folded.index, dtype="str"))
    folded = folded.assign(channel=channel.fillna(OUTREACH_CHANNEL))
    notes = []
    if counts["rows"] != counts["prospects"] or counts["ignored"]:
        detail = (
            f"{counts['rows']:,} rows folded into {counts['prospects']:,} "
            f"prospect x sequence rows; {counts['ignored']:,} dates before the "
            "first contact left out"
        )
        notes.append(("outreach", "contacted_at", counts["prospects"], 0, detail))
    if leads is not None:
        folded = folded.drop(
            columns=["lead_id", "matched_by", "converted_at"], errors="ignore"
        )
        match = match_leads(folded, leads)
        created = match.table["lead_created_at"].set_axis(folded.index)
        after = (created >= folded["contacted_at"]).fillna(False)
        folded = folded.assign(
            lead_id=match.table["lead_id"].to_numpy(),
            matched_by=match.table["matched_by"].to_numpy(),
            converted_at=created.where(after),
        )
        detail = (
            f"{match.matched:,} of {match.prospects:,} prospects matched to a lead "
            f"({match.by_email:,} by e-mail, {match.by_profile_url:,} by profile "
            f"URL); {match.unmatched:,} unmatched; {int(after.sum()):,} became "
            "a lead at or after the first contact"
        )
        notes.append(("outreach", "lead_id", match.matched, 0, detail))
    columns = ["table", "column", "derived", "changed", "detail"]
    return folded, pd.DataFrame(notes, columns=columns)
