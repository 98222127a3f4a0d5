"""Totals rows inside an export's table, and the self-check against them.

Ad platforms write their own totals among the data: Google Ads segmented by day has
``Total: Campaigns``, ``Total: Account`` and ``Total: Search``… rows *per day*, the
date in the Day column and the label in another one, shuffled after the data; Meta
Ads Manager may start with a summary row ("Results from 4 campaigns", no campaign
name); Salesforce ends with ``Grand Totals (N records)``. Read as data they double
or quadruple spend. A profile names them by role (:attr:`Profile.totals`):
:func:`split_totals` moves them to ``skipped`` (reason = role) before anything is
typed, and :func:`reconcile` proves the loaded rows against them.

Roles
-----
``campaign total``
    Sums the campaigns of the table: the loaded rows must match it to the cent, or
    the load warns with both figures.
``account total``
    Sums the whole account, removed campaigns included (the table may filter them
    out): a larger total is noted in the reconciliation, never warned about.
``subtotal``
    One campaign type's or network's total; kept aside, not reconciled.
``grand total``
    Salesforce's ``Grand Totals (N records)``: the rows read must number N.
``note``
    A line of the user's own below the table (a re-saved GA4 file), not data.
``carousel card``
    A sub-row of an ad (LinkedIn's carousel cards: each card's own impressions and
    clicks under its ad's row), not a spend row. A profile finds them by a column
    of their own (``"_card_column"``: the card's number in LinkedIn's ``Carousel
    Card`` column, blank on the ad's row) or by a label in a cell; a row found by
    its label takes this role only without cost, so an ad that merely bears the
    label in its name stays data.
"""

from __future__ import annotations

import dataclasses
import re
import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from leadkpi.io.numbers import parse_numbers
from leadkpi.io.profiles.apply import apply_profile
from leadkpi.io.profiles.base import Profile, RawTable
from leadkpi.io.result import empty_skipped
from leadkpi.io.starts import could_start
from leadkpi.io.text import ROW_PROBLEM, without_rows
from leadkpi.io.threads import per_column

__all__ = [
    "ACCOUNT",
    "CAMPAIGN",
    "CARD",
    "GRAND",
    "NOTE",
    "RECONCILIATION_COLUMNS",
    "SUBTOTAL",
    "empty_reconciliation",
    "reconcile",
    "split_totals",
]

CAMPAIGN, ACCOUNT, SUBTOTAL, GRAND, NOTE, CARD = (
    "campaign total",
    "account total",
    "subtotal",
    "grand total",
    "note",
    "carousel card",
)

#: Columns of :attr:`LoadResult.reconciliation`.
RECONCILIATION_COLUMNS = ("role", "metric", "file_total", "loaded", "status")

#: The metrics of each table that a file's totals are checked on, with decimals.
_METRICS = {
    "spend": {
        "cost": 2,
        "impressions": 0,
        "clicks": 0,
        "conversions": 2,
        "conversion_value": 2,
    },
    "email": {"sent": 0, "delivered": 0, "opens": 0, "clicks": 0},
    "web": {"sessions": 0, "users": 0},
}
_RECORDS = re.compile(r"\((\d[\d,.\s]*)\s+(?:records?|registros?)\)", re.IGNORECASE)


def empty_reconciliation() -> pd.DataFrame:
    """An empty reconciliation table (no totals in the file)."""
    return pd.DataFrame(
        {
            "role": pd.Series(dtype="str"),
            "metric": pd.Series(dtype="str"),
            "file_total": pd.Series(dtype="float64"),
            "loaded": pd.Series(dtype="float64"),
            "status": pd.Series(dtype="str"),
        }
    )


def _text(values: pd.Series) -> pa.Array | pa.ChunkedArray:
    return pa.array(values, type=pa.large_string(), from_pandas=True)


def _hits(values: pd.Series | pa.Array | pa.ChunkedArray, pattern: str) -> np.ndarray:
    """Which cells start with ``pattern`` after blanks (RE2 over the whole column)."""
    array = values if isinstance(values, pa.Array | pa.ChunkedArray) else _text(values)
    hit = pc.match_substring_regex(array, f"^\\s*(?:{pattern})")
    return pc.fill_null(hit, False).to_numpy(zero_copy_only=False)


def _notes(cells: pd.DataFrame, raw: RawTable) -> np.ndarray:
    """Rows below the table's last blank line with one filled cell: a user's notes."""
    blanks = raw.skipped.loc[raw.skipped["reason"] == "blank", "line"]
    if blanks.empty:
        return np.zeros(len(cells), dtype=bool)
    single = (cells.notna().sum(axis=1) == 1).to_numpy()
    return single & (raw.lines > int(blanks.max()))


def _found(cells: pd.DataFrame, patterns: list[str]) -> np.ndarray:
    """Rows with a cell that starts with one of ``patterns`` (after blanks).

    Each column is screened by its cells' first bytes (:func:`could_start`), and the
    regular expression runs over the few cells that may match only.
    """
    either = "|".join(f"(?:{p})" for p in patterns)

    def one(column: str) -> np.ndarray:
        text = _text(cells[column])
        screen = could_start(text, patterns)
        maybe = np.flatnonzero(screen)
        if len(maybe) == len(text):
            return _hits(text, either)
        found = np.zeros(len(cells), dtype=bool)
        if len(maybe):  # a filter keeps the chunks (a take would join them)
            found[maybe[_hits(pc.filter(text, pa.array(screen)), either)]] = True
        return found

    found = np.zeros(len(cells), dtype=bool)
    for hit in per_column(one, list(cells.columns), len(cells)):  # two at a time
        found |= hit
    return found


def _costed(profile: Profile, cells: pd.DataFrame) -> np.ndarray:
    """Which rows have a cost cell filled (in the column the profile reads it from)."""
    names = {n.strip().casefold() for n in profile.columns.get("cost", ())}
    column = next((c for c in cells.columns if c.strip().casefold() in names), None)
    if column is None:
        return np.zeros(len(cells), dtype=bool)
    cost = cells[column].str.strip()
    return (cost.notna() & (cost != "")).to_numpy()


def _column(cells: pd.DataFrame, name: str) -> str | None:
    """The column of ``cells`` whose header is ``name`` (trimmed, any case)."""
    key = name.strip().casefold()
    return next((c for c in cells.columns if c.strip().casefold() == key), None)


def _rows(frame: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """The rows of ``frame`` where ``keep`` (a few), renumbered from 0.

    Text columns are filtered by pyarrow chunk by chunk: ``frame[keep]`` would
    take them, which joins a large column's chunks first (milliseconds a column
    for two rows of a million).
    """
    mask = pa.array(keep)
    columns = {}
    for name in frame.columns:
        column = frame[name]
        if column.dtype == "str":
            kept = pc.filter(pa.array(column, from_pandas=True), mask)
            columns[name] = pd.Series(kept, dtype=column.dtype)
        else:
            columns[name] = column[keep].reset_index(drop=True)
    return pd.DataFrame(columns, columns=frame.columns)


def _roles(profile: Profile, raw: RawTable) -> pd.Series:
    """The totals role of each row of ``raw.frame`` ("" for data rows)."""
    cells = raw.frame.drop(columns=[ROW_PROBLEM], errors="ignore")
    roles = np.full(len(cells), "", dtype=object)
    if not len(cells):
        return pd.Series([], dtype="str")
    patterns = {r: p for r, p in profile.totals.items() if not r.startswith("_")}
    if patterns:
        # each column's cells that may start like a total (by their first byte),
        # then the regular expressions over those few; roles are told apart after
        found = _found(cells, list(patterns.values()))
        if found.any():
            few = _rows(cells, found)
            sub = np.full(len(few), "", dtype=object)
            for role, pattern in patterns.items():
                hit = np.zeros(len(few), dtype=bool)
                for column in few.columns:
                    hit |= _hits(few[column], pattern)
                sub = np.where(hit & (sub == ""), role, sub)
            roles[found] = sub
    if CARD in patterns and (roles == CARD).any():
        roles = np.where((roles == CARD) & _costed(profile, cells), "", roles)
    card = profile.totals.get("_card_column")
    if card:
        # a card's line has its number in the card column, blank on the ad's row
        column = _column(cells, card)
        if column is not None:
            number = cells[column].str.strip()
            filled = (number.notna() & (number != "")).to_numpy()
            roles = np.where(filled & (roles == ""), CARD, roles)
    if "_notes_below" in profile.totals:
        roles = np.where(_notes(cells, raw) & (roles == ""), NOTE, roles)
    blank = profile.totals.get("_first_blank")
    if blank and roles[0] == "":
        # a summary first row: the named column empty, other cells filled
        column = _column(cells, blank)
        first = cells.iloc[0]
        if column is not None and pd.isna(first[column]) and first.notna().sum() > 1:
            roles[0] = CAMPAIGN
    return _role_series(roles)


def _role_series(roles: np.ndarray) -> pd.Series:
    """A text Series of ``roles`` (mostly ""), built from its few distinct values."""
    filled = np.flatnonzero(roles != "")
    names = ["", *dict.fromkeys(roles[filled].tolist())]
    number = {name: i for i, name in enumerate(names)}
    codes = np.zeros(len(roles), dtype=np.int32)
    codes[filled] = [number[role] for role in roles[filled].tolist()]
    taken = pc.take(pa.array(names, pa.large_string()), pa.array(codes))
    return pd.Series(taken, dtype="str")


def split_totals(profile: Profile, raw: RawTable) -> tuple[RawTable, RawTable | None]:
    """Move the totals rows of ``raw`` to its ``skipped`` lines, reason = role.

    Returns
    -------
    (RawTable, RawTable or None)
        The data rows (with the totals added to ``skipped``), and the totals rows
        with a ``_role`` column (None when the file has none). Salesforce's
        ``Grand Totals (N records)`` footer line, already skipped by the reader,
        is re-labelled ``grand total``.

    Examples
    --------
    >>> from leadkpi.io.profiles import get_profile
    >>> from leadkpi.io.text import read_text_table
    >>> raw = read_text_table(
    ...     "tests/fixtures/exports/google_ads/campaign_report_by_day_totals.csv",
    ...     find_header=lambda cells: "Cost" in cells,
    ... )
    >>> data, totals = split_totals(get_profile("google_ads_campaigns"), raw)
    >>> len(raw.frame), len(data.frame), len(totals.frame)
    (13, 5, 8)
    >>> data.skipped["reason"].value_counts().sort_index().to_dict()
    {'account total': 3, 'campaign total': 3, 'subtotal': 2}
    """
    skipped = raw.skipped
    if GRAND in profile.totals and len(skipped):
        grand = skipped["text"].str.strip('" ').str.match(profile.totals[GRAND])
        if grand.any():
            skipped = skipped.assign(reason=skipped["reason"].where(~grand, GRAND))
            raw = dataclasses.replace(raw, skipped=skipped)
    if not profile.totals or not len(raw.frame):
        return raw, None
    roles = _roles(profile, raw)
    hit = (roles != "").to_numpy()
    if not hit.any():
        return raw, None
    rows = _rows(raw.frame, hit)  # the few rows, filtered once
    role = roles[hit].to_numpy()
    cells = rows.drop(columns=[ROW_PROBLEM], errors="ignore")
    text = cells.fillna("").astype("str").agg((raw.delimiter or ",").join, axis=1)
    found = pd.DataFrame({"line": raw.lines[hit], "reason": role, "text": text}).astype(
        {"line": "int64", "reason": "str", "text": "str"}
    )
    parts = [p for p in (raw.skipped, found) if len(p)]
    skipped = pd.concat(parts, ignore_index=True) if parts else empty_skipped()
    skipped = skipped.sort_values("line", kind="stable", ignore_index=True)
    data = dataclasses.replace(
        raw, frame=without_rows(raw.frame, hit), lines=raw.lines[~hit], skipped=skipped
    )
    totals = dataclasses.replace(
        raw,
        frame=rows.assign(_role=role),
        lines=raw.lines[hit],
    )
    return data, totals


def _figure(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def _records_check(raw: RawTable, rows_read: int) -> list[dict[str, object]]:
    grand = raw.skipped[raw.skipped["reason"] == GRAND]
    out = []
    for text in grand["text"]:
        found = _RECORDS.search(text)
        if found:
            count = float(re.sub(r"\D", "", found.group(1)))
            status = "match" if count == rows_read else "mismatch"
            out.append(
                {
                    "role": GRAND,
                    "metric": "records",
                    "file_total": count,
                    "loaded": float(rows_read),
                    "status": status,
                }
            )
    return out


def reconcile(
    profile: Profile,
    raw: RawTable,
    totals: RawTable | None,
    table: pd.DataFrame,
    *,
    rows_read: int,
    locale: str = "en",
) -> tuple[pd.DataFrame, list[str]]:
    """Compare the loaded rows with the file's own totals, metric by metric.

    Parameters
    ----------
    profile : Profile
        The export's profile (its columns find the metrics in the totals rows).
    raw : RawTable
        The data rows as read (their ``skipped`` lines hold any grand total).
    totals : RawTable or None
        The totals rows from :func:`split_totals`.
    table : pandas.DataFrame
        The loaded, typed table.
    rows_read : int
        Rows read (a ``Grand Totals (N records)`` line must say the same).
    locale : str
        Decides ambiguous numbers in the totals rows, as in the data.

    Returns
    -------
    reconciliation : pandas.DataFrame
        One row per role and metric: ``role, metric, file_total, loaded, status``
        with status ``match``; ``mismatch`` (a campaign total or record count the
        loaded rows do not reach to the cent); ``account larger`` (an account
        total above the campaigns', as when removed campaigns are filtered out).
    warnings : list of str
        One per mismatch, with both figures.
    """
    rows = _records_check(raw, rows_read)
    metrics = _METRICS.get(profile.kind, {})
    if totals is not None and metrics:
        with warnings.catch_warnings():  # said once, for the data rows
            warnings.simplefilter("ignore")
            with_role = apply_profile(profile, totals)
        roles = totals.frame["_role"].to_numpy()
        for role in (CAMPAIGN, ACCOUNT):
            mine = roles == role
            if not mine.any():
                continue
            for metric, decimals in metrics.items():
                if metric not in with_role or metric not in table:
                    continue
                parsed = parse_numbers(with_role[metric][mine], locale=locale)
                values = parsed.values.where(~parsed.invalid)
                if values.isna().all():
                    continue
                file_total = round(float(values.sum()), decimals)
                loaded = round(float(table[metric].sum()), decimals)
                if file_total == loaded:
                    status = "match"
                elif role == ACCOUNT and file_total > loaded:
                    status = "account larger"
                else:
                    status = "mismatch"
                rows.append(
                    {
                        "role": role,
                        "metric": metric,
                        "file_total": file_total,
                        "loaded": loaded,
                        "status": status,
                    }
                )
    frame = pd.DataFrame(rows) if rows else empty_reconciliation()
    frame = frame.astype(empty_reconciliation().dtypes.to_dict())
    name = raw.path.name
    notes = [
        f"{name}: the loaded rows' {r.metric} "
        f"{_figure(r.loaded, metrics.get(r.metric, 0))} does not match the file's "
        f"{r.role} {_figure(r.file_total, metrics.get(r.metric, 0))}; check the "
        "rejects and the skipped lines"
        for r in frame.itertuples()
        if r.status == "mismatch"
    ]
    return frame, notes
