"""Data-quality checks across the canonical tables, as one tidy table of findings.

Loading already rejects rows that cannot be used. The checks here look for rows that
loaded but tell an odd story: stage dates out of order, deals without a lead, the same
person under two ids, leads whose channel could not be derived, days without spend,
spend without leads, amounts whose currency is unclear, dates in the future. They
never change the data; each finding says how many rows, what share, and one example.

Severity: ``error`` means rows were lost (rejected at load), ``warning`` means numbers
built on these rows may mislead, ``info`` is worth knowing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from leadkpi.data import LeadData
from leadkpi.privacy import relative_path
from leadkpi.project import is_superseded
from leadkpi.rollup import ROLLED_UP
from leadkpi.schemas import TABLES

__all__ = ["CHECK_COLUMNS", "PAID_CHANNELS", "SEVERITIES", "checks"]

#: Columns of the findings table.
CHECK_COLUMNS = ["check", "table", "severity", "count", "share", "detail", "example"]

#: Severities, most serious first.
SEVERITIES = ("error", "warning", "info")

#: Channels whose leads are expected to have spend behind them.
PAID_CHANNELS: tuple[str, ...] = ("paid_search", "paid_social", "display")

#: Lead timestamps that should not come before the lead was created.
_AFTER_CREATION = (
    "mql_at",
    "sql_at",
    "opportunity_at",
    "won_at",
    "lost_at",
    "first_response_at",
)


def _isin(values: pd.Series, universe: pd.Series) -> pd.Series:
    """``values.isin(universe)`` for ids, hashed by pyarrow (fast on millions)."""
    known = pa.array(universe.dropna().unique(), from_pandas=True)
    found = pc.is_in(
        pa.array(values, from_pandas=True).cast(pa.large_string()),
        value_set=known.cast(pa.large_string()),
    )
    return pd.Series(np.asarray(found.fill_null(False)), index=values.index)


@dataclass(frozen=True)
class _Context:
    data: LeadData
    now: pd.Timestamp
    paid_channels: tuple[str, ...]
    personal: bool = False

    def file(self, path: object) -> str:
        """A file as an example shows it: relative to the config's folder (no
        absolute path of the analyst's machine), as given when there is no config."""
        config = getattr(self.data.config, "path", None)
        if config is None or not os.path.isabs(str(path)):
            return str(path)
        return relative_path(str(path), Path(config).parent)


def _finding(
    check: str,
    table: str,
    severity: str,
    count: int,
    rows: int | None,
    detail: str,
    example: object = "",
) -> dict[str, object]:
    share = count / rows if rows else np.nan
    example = "" if example is None or pd.isna(example) else str(example)
    return {
        "check": check,
        "table": table,
        "severity": severity,
        "count": int(count),
        "share": float(share),
        "detail": detail,
        "example": example,
    }


def _rejected(ctx: _Context) -> list[dict]:
    rejects = ctx.data.rejects()
    accounting = ctx.data.accounting().groupby("table")["rows_read"].sum()
    out = []
    if rejects.empty:
        return out
    superseded = is_superseded(rejects)
    for flag, check, severity, what in (
        (False, "rejected_rows", "error", "rows could not be used (see the rejects)"),
        (True, "superseded_rows", "info", "rows were replaced by a later file"),
    ):
        part = rejects[superseded == flag]
        for table, rows in part.groupby("table", sort=False):
            first = rows.iloc[0]
            example = f"{ctx.file(first['file'])} line {first['line']}"
            if ctx.personal:  # the reason may quote a value of the row
                example += f": {first['reason']}"
            out.append(
                _finding(
                    check,
                    table,
                    severity,
                    len(rows),
                    accounting.get(table),
                    f"{len(rows):,} {what}",
                    example,
                )
            )
    return out


def _stage_order(ctx: _Context) -> list[dict]:
    leads = ctx.data.leads
    if leads is None:
        return []
    stages = [column for _, column in ctx.data.config.stages if column in leads]
    pairs = list(zip(stages, stages[1:], strict=False))
    pairs += [("created_at", c) for c in _AFTER_CREATION if c in leads]
    out = []
    for earlier, later in dict.fromkeys(pairs):
        bad = leads[later] < leads[earlier]
        if bad.any():
            example = leads.loc[bad, "lead_id"].iloc[0]
            detail = f"{later} is before {earlier}"
            out.append(
                _finding(
                    "stage_order",
                    "leads",
                    "warning",
                    int(bad.sum()),
                    len(leads),
                    detail,
                    example,
                )
            )
    return out


def _deals_and_leads(ctx: _Context) -> list[dict]:
    deals, leads = ctx.data.deals, ctx.data.leads
    if deals is None:
        return []
    out = []
    no_id = deals["lead_id"].isna() if "lead_id" in deals else ~deals.index.isna()
    unknown = pd.Series(False, index=deals.index)
    if leads is not None and "lead_id" in deals:
        unknown = ~no_id & ~_isin(deals["lead_id"], leads["lead_id"])
    orphans = no_id | unknown
    if orphans.any():
        detail = (
            f"{int(no_id.sum()):,} deals have no lead_id, {int(unknown.sum()):,} name "
            "a lead that is not in the leads table"
        )
        example = deals.loc[orphans, "deal_id"].iloc[0]
        out.append(
            _finding(
                "deals_without_lead",
                "deals",
                "warning",
                int(orphans.sum()),
                len(deals),
                detail,
                example,
            )
        )
    if leads is None or "lead_id" not in deals:
        return out
    # lead_id is unique in leads, so a left merge keeps one row per deal, in order
    lead_created = leads[["lead_id", "created_at"]].rename(
        columns={"created_at": "lead_created_at"}
    )
    created = (
        deals[["lead_id"]]
        .merge(lead_created, on="lead_id", how="left")["lead_created_at"]
        .set_axis(deals.index)
    )
    for column, what in (("created_at", "created"), ("won_at", "won")):
        if column not in deals:
            continue
        early = deals[column] < created
        if early.any():
            detail = f"a deal {what} before its lead was created"
            out.append(
                _finding(
                    "deal_before_lead",
                    "deals",
                    "warning",
                    int(early.sum()),
                    len(deals),
                    detail,
                    deals.loc[early, "deal_id"].iloc[0],
                )
            )
    return out


def _customers_without_lead(ctx: _Context) -> list[dict]:
    customers, leads = ctx.data.customers, ctx.data.leads
    if customers is None or leads is None or "lead_id" not in customers:
        return []
    orphans = customers["lead_id"].notna() & ~_isin(
        customers["lead_id"], leads["lead_id"]
    )
    if not orphans.any():
        return []
    return [
        _finding(
            "customers_without_lead",
            "customers",
            "warning",
            int(orphans.sum()),
            len(customers),
            "customers name a lead that is not in the leads table",
            customers.loc[orphans, "customer_id"].iloc[0],
        )
    ]


def _duplicate_people(ctx: _Context) -> list[dict]:
    leads = ctx.data.leads
    if leads is None or "email" not in leads:
        return []
    email = leads["email"].fillna("").astype(str).str.strip().str.lower()
    known = email != ""
    # lead_id is unique in the leads table: an e-mail on two rows is on two ids
    shared = email[known & email.duplicated(keep=False)]
    if shared.empty:
        return []
    people = shared.nunique()
    detail = f"{people:,} e-mail address(es) used by more than one lead_id"
    first = shared.iloc[0]
    if ctx.personal:
        example = first
    else:  # the ids of the leads, not the address
        ids = leads.loc[shared.index[shared == first], "lead_id"].astype(str)
        example = "lead_id " + ", ".join(ids.head(3))
    return [
        _finding(
            "duplicate_people",
            "leads",
            "warning",
            len(shared),
            len(leads),
            detail,
            example,
        )
    ]


def _channel_coverage(ctx: _Context) -> list[dict]:
    leads = ctx.data.leads
    if leads is None or leads.empty:
        return []
    channel = (
        leads["channel"] if "channel" in leads else pd.Series(None, index=leads.index)
    )
    missing, other = channel.isna(), channel == "other"
    count = int((missing | other).sum())
    if not count:
        return []
    example = ""
    if other.any() and {"source", "medium"} <= set(leads.columns):
        pairs = leads.loc[other, ["source", "medium"]].fillna("").astype(str)
        example = (pairs["source"] + " / " + pairs["medium"]).value_counts().index[0]
    detail = (
        f"{int(missing.sum()):,} leads have no channel and no source/medium/UTM data; "
        f"{int(other.sum()):,} are 'other' (no channel rule matched)"
    )
    share = count / len(leads)
    severity = "warning" if share > 0.05 else "info"
    return [
        _finding(
            "channel_not_derived", "leads", severity, count, len(leads), detail, example
        )
    ]


def _spend_gaps(ctx: _Context) -> list[dict]:
    spend = ctx.data.spend
    if spend is None or spend.empty:
        return []
    days = spend[["channel", "date"]].drop_duplicates()
    days = days.assign(channel=days["channel"].fillna("(not set)"))
    days = days.sort_values(["channel", "date"])
    step = days.groupby("channel")["date"].diff().dt.days
    gaps = days[step > 1].assign(missing=step[step > 1] - 1)
    out = []
    for channel, rows in gaps.groupby("channel", sort=True):
        first = rows.iloc[0]
        start = first["date"] - pd.Timedelta(days=int(first["missing"]))
        span = days.loc[days["channel"] == channel, "date"]
        total = (span.max() - span.min()).days + 1
        missing = int(rows["missing"].sum())
        detail = (
            f"{channel}: {missing:,} days without spend rows in {len(rows):,} gaps "
            f"between {span.min():%Y-%m-%d} and {span.max():%Y-%m-%d}"
        )
        end = first["date"] - pd.Timedelta(days=1)
        example = f"{channel} {start:%Y-%m-%d} to {end:%Y-%m-%d}"
        out.append(
            _finding("spend_gaps", "spend", "warning", missing, total, detail, example)
        )
    return out


def _currency_unclear(ctx: _Context) -> list[dict]:
    project = ctx.data.config.currency
    out = []
    for kind, frame in ctx.data.tables.items():
        if "currency" not in frame:
            continue
        code = frame["currency"].fillna("").astype(str).str.strip().str.upper()
        foreign = (code != "") & (code != project)
        empty = code == ""
        if foreign.any() and empty.any():
            codes = ", ".join(sorted(code[foreign].unique()))
            detail = (
                f"rows without a currency are taken as {project}, but this table "
                f"also holds {codes}"
            )
            out.append(
                _finding(
                    "currency_missing",
                    kind,
                    "warning",
                    int(empty.sum()),
                    len(frame),
                    detail,
                )
            )
    return out


def _spend_and_leads(ctx: _Context) -> list[dict]:
    spend, leads = ctx.data.spend, ctx.data.leads
    if spend is None or leads is None or "channel" not in spend:
        return []
    out = []
    lead_channels = leads["channel"].dropna().unique() if "channel" in leads else []
    cost = spend[spend["cost"] > 0].groupby("channel")["cost"].sum()
    lonely = cost[~cost.index.isin(lead_channels)]
    if len(lonely):
        detail = "spend on channels that have no leads: " + ", ".join(
            f"{c} ({v:,.2f})" for c, v in lonely.items()
        )
        out.append(
            _finding(
                "spend_without_leads",
                "spend",
                "warning",
                len(lonely),
                len(cost),
                detail,
                lonely.index[0],
            )
        )
    if "channel" not in leads:
        return out
    created = leads["created_at"]
    lead_keys = pd.DataFrame(
        {
            "channel": leads["channel"],
            "month": created.dt.year * 12 + created.dt.month - 1,
        }
    )
    spent = spend[spend["cost"] > 0]
    spent_keys = pd.DataFrame(
        {
            "channel": spent["channel"],
            "month": spent["date"].dt.year * 12 + spent["date"].dt.month - 1,
        }
    ).drop_duplicates()
    paid = leads["channel"].isin(ctx.paid_channels)
    matched = lead_keys[paid].merge(spent_keys, how="left", indicator=True)
    unpaid = pd.Series(False, index=leads.index)
    unpaid[paid] = (matched["_merge"] == "left_only").to_numpy()
    if unpaid.any():
        months = lead_keys[unpaid].drop_duplicates()
        detail = (
            f"leads in paid channels in {len(months):,} channel-months without spend "
            "(cost per lead there is not measurable)"
        )
        channel, month = months.iloc[0]
        example = f"{channel} {month // 12}-{month % 12 + 1:02d}"
        out.append(
            _finding(
                "paid_leads_without_spend",
                "leads",
                "warning",
                int(unpaid.sum()),
                int(paid.sum()),
                detail,
                example,
            )
        )
    return out


def _future(ctx: _Context) -> list[dict]:
    now = ctx.now
    out = []
    for kind, frame in ctx.data.tables.items():
        for column in TABLES[kind].columns:
            if column.name not in frame or column.kind not in ("timestamp", "date"):
                continue
            values = frame[column.name]
            limit = now if column.kind == "timestamp" else now.tz_localize(None)
            later = values > limit
            if later.any():
                detail = f"{column.name} after {now:%Y-%m-%d %H:%M} (when checked)"
                out.append(
                    _finding(
                        "future_dates",
                        kind,
                        "warning",
                        int(later.sum()),
                        len(frame),
                        detail,
                        values[later].max(),
                    )
                )
    return out


def _replaced_by_deals(ctx: _Context) -> list[dict]:
    derived = ctx.data.derivations
    if derived is None or derived.empty:
        return []
    from_deals = derived["column"].isin(ROLLED_UP).to_numpy()
    changed = derived[
        (derived["table"] == "leads") & (derived["changed"] > 0) & from_deals
    ]
    rows = len(ctx.data.leads) if ctx.data.leads is not None else None
    return [
        _finding(
            "replaced_by_deals",
            "leads",
            "info",
            row.changed,
            rows,
            f"{row.column} of {row.changed:,} leads taken from their deals "
            "instead of the leads file",
        )
        for row in changed.itertuples()
    ]


_CHECKS: tuple[Callable[[_Context], list[dict]], ...] = (
    _rejected,
    _stage_order,
    _deals_and_leads,
    _customers_without_lead,
    _duplicate_people,
    _channel_coverage,
    _spend_gaps,
    _currency_unclear,
    _spend_and_leads,
    _future,
    _replaced_by_deals,
)


def checks(
    data: LeadData,
    *,
    now: pd.Timestamp | str | None = None,
    paid_channels: tuple[str, ...] = PAID_CHANNELS,
    personal: bool = False,
) -> pd.DataFrame:
    """Run every data-quality check; return one row per finding.

    Checks: ``rejected_rows`` (error), ``superseded_rows`` (info), ``stage_order``
    (a later stage dated before an earlier one, or before the lead was created),
    ``deals_without_lead``, ``deal_before_lead`` (a deal created or won before its
    lead was created), ``customers_without_lead``, ``duplicate_people`` (one e-mail,
    several lead ids), ``channel_not_derived`` (leads whose channel is missing or
    ``other``: the UTM coverage; a warning above 5 %), ``spend_gaps`` (days without
    spend rows inside a channel's range), ``currency_missing`` (rows without a
    currency in a table that holds other currencies), ``spend_without_leads``,
    ``paid_leads_without_spend`` (leads in paid channels in months with no spend on
    that channel), ``future_dates`` and ``replaced_by_deals`` (info).

    Parameters
    ----------
    data : LeadData
        The project's tables.
    now : Timestamp or str, optional
        What counts as the future (default: the current time).
    paid_channels : tuple of str
        Channels whose leads should have spend behind them.
    personal : bool
        Let examples show what may be personal data: the e-mail address that
        several leads share, a rejected row's reason (which quotes its values).
        Off by default, so that a report can be e-mailed: examples then name ids,
        files (relative to the config's folder) and line numbers only. ``leadkpi
        validate``, run by the analyst, turns it on.

    Returns
    -------
    pandas.DataFrame
        Columns ``check, table, severity, count, share, detail, example``; ``share``
        is ``count`` over the rows checked (NaN when not meaningful). Sorted by
        severity, then in the order above. Empty (with these columns) when clean.

    Examples
    --------
    >>> from leadkpi import load
    >>> data = load("leadkpi.yaml")
    >>> checks(data)[["check", "table", "count", "example"]]
                  check  table  count                          example
    0  duplicate_people  leads      2         lead_id L004983, L005319
    1        spend_gaps  spend     62  events 2025-08-01 to 2025-08-31
    >>> checks(data, personal=True)["example"].iloc[0]
    'pierre.fernandez@rocastudio.es'
    """
    tz = data.config.timezone
    stamp = pd.Timestamp.now(tz=tz) if now is None else pd.Timestamp(now)
    stamp = stamp.tz_localize(tz) if stamp.tzinfo is None else stamp.tz_convert(tz)
    ctx = _Context(data, stamp, tuple(paid_channels), personal)
    rows = [finding for check in _CHECKS for finding in check(ctx)]
    found = pd.DataFrame(rows, columns=CHECK_COLUMNS)
    rank = found["severity"].map({s: i for i, s in enumerate(SEVERITIES)})
    order = np.lexsort((np.arange(len(found)), rank.to_numpy()))
    found = found.iloc[order].reset_index(drop=True)
    return found.astype({"count": "int64", "share": "float64"})
