"""The canonical tables: their columns, types and validation schemas.

Every loader turns an export into one of these tables, and every KPI reads them. A
table is declared once, as a :class:`TableSpec`; its pandera schema is built from that
spec, so the column list, the parser and the validation can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # pandera is imported when a schema is first built (it is slow)
    import pandera.pandas as pa

__all__ = [
    "Column",
    "TableSpec",
    "TABLES",
    "COST_CATEGORIES",
    "ALLOCATION_RULES",
    "OUTREACH_STEPS",
    "table_spec",
    "schema",
]

Kind = Literal[
    "id", "string", "timestamp", "date", "month", "money", "number", "count"
]


@dataclass(frozen=True)
class Column:
    """One canonical column.

    Parameters
    ----------
    name : str
        Canonical snake_case name.
    kind : {"id", "string", "timestamp", "date", "month", "money", "number", "count"}
        ``id`` and ``string`` are text; ``timestamp`` is a timezone-aware instant
        converted to the project timezone; ``date`` is a calendar day; ``month`` is a
        calendar month (``2026-03``, or any day of it), stored as its first day;
        ``money`` and ``number`` are floats; ``count`` is a non-negative integer.
    required : bool
        Whether a file must carry the column.
    nullable : bool
        Whether a cell may be empty.
    unique : bool
        Whether values must be unique (later duplicates are rejected).
    non_negative : bool
        Whether negative values are rejected.
    choices : tuple of str
        For a ``string`` column: the values allowed (read case-insensitively and
        stored in lower case); any other value rejects its row. Empty: any text.
    """

    name: str
    kind: Kind
    required: bool = False
    nullable: bool = True
    unique: bool = False
    non_negative: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSpec:
    """A canonical table: its name, grain, columns and time column."""

    name: str
    grain: str
    time_column: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


def _id(name: str, **kw: bool) -> Column:
    return Column(name, "id", **kw)


def _ts(name: str, **kw: bool) -> Column:
    return Column(name, "timestamp", **kw)


def _str(name: str) -> Column:
    return Column(name, "string")


def _count(name: str) -> Column:
    return Column(name, "count", non_negative=True)


#: What a row of the ``costs`` table pays for.
COST_CATEGORIES = ("tool", "agency", "salary", "event", "other")
#: How a cost without a channel is shared among the channels of its month:
#: in proportion to their leads, to their ad spend, or in equal parts.
ALLOCATION_RULES = ("by_leads", "by_spend", "evenly")

#: The dated steps of an outbound sequence, in order (``outreach`` table).
OUTREACH_STEPS = (
    "request_sent_at",
    "request_accepted_at",
    "message_sent_at",
    "replied_at",
    "meeting_at",
)

_LEAD_STAGES = ("mql_at", "sql_at", "opportunity_at", "won_at", "lost_at")

TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "leads",
            "one row per lead",
            "created_at",
            (
                _id("lead_id", required=True, nullable=False, unique=True),
                _id("account_id"),
                _str("email"),
                _ts("created_at", required=True, nullable=False),
                _str("channel"),
                _str("source"),
                _str("medium"),
                _str("campaign"),
                _str("utm_source"),
                _str("utm_medium"),
                _str("utm_campaign"),
                _str("landing_page"),
                _str("country"),
                _str("industry"),
                _str("company_size"),
                _str("job_title"),
                _str("owner"),
                Column("score", "number"),
                *(_ts(name) for name in _LEAD_STAGES),
                _ts("first_response_at"),
                Column("deal_value", "money", non_negative=True),
                _ts("opted_out_at"),
                _str("currency"),
                _ts("replied_at"),
                _ts("not_interested_at"),
                _ts("workflow_enrolled_at"),
                _ts("workflow_goal_at"),
                _ts("hard_bounced_at"),
            ),
        ),
        TableSpec(
            "deals",
            "one row per deal or opportunity",
            "created_at",
            (
                _id("deal_id", required=True, nullable=False, unique=True),
                _id("lead_id"),
                # closed-deal exports may carry only close dates: the column may
                # be absent (KPIs that need it then give a reason), never blank
                _ts("created_at", nullable=False),
                _ts("won_at"),
                _ts("lost_at"),
                Column("amount", "money", non_negative=True),
                _str("stage"),
                _str("owner"),
                _str("currency"),
                _str("lost_reason"),  # why a lost deal was lost, as the CRM says
            ),
        ),
        TableSpec(
            "touches",
            "one row per marketing touch of a known lead",
            "touched_at",
            (
                _id("lead_id", required=True, nullable=False),
                _ts("touched_at", required=True, nullable=False),
                _str("channel"),
                _str("campaign"),
                _str("touch_type"),
            ),
        ),
        TableSpec(
            "spend",
            "one row per day x channel x campaign",
            "date",
            (
                Column("date", "date", required=True, nullable=False),
                _str("channel"),
                _str("campaign"),
                Column("cost", "money", required=True, non_negative=True),
                _count("impressions"),
                _count("clicks"),
                _str("currency"),
                # the platform's own conversion count: a number, as Google Ads
                # credits fractions of a conversion (data-driven attribution)
                Column("conversions", "number", non_negative=True),
                Column("conversion_value", "money", non_negative=True),
                # what a conversion is on that platform (Meta's result indicator):
                # counts of different types are never added up together
                _str("conversion_type"),
            ),
        ),
        TableSpec(
            "email",
            "one row per send x campaign",
            "sent_on",
            (
                Column("sent_on", "date", required=True, nullable=False),
                _str("campaign"),
                _str("channel"),
                _count("sent"),
                _count("delivered"),
                _count("opens"),
                _count("clicks"),
                _count("unsubscribes"),
                _count("bounces"),
            ),
        ),
        TableSpec(
            "web",
            "one row per day x source/medium",
            "date",
            (
                Column("date", "date", required=True, nullable=False),
                _str("source"),
                _str("medium"),
                _str("channel"),
                _count("sessions"),
                _count("users"),
                _count("pageviews"),
                _count("engaged_sessions"),
                _count("bounces"),
                Column("engagement_seconds", "number", non_negative=True),
                _count("form_submissions"),
                _count("landing_page_sessions"),
            ),
        ),
        TableSpec(
            "customers",
            "one row per customer",
            "started_at",
            (
                _id("customer_id", required=True, nullable=False, unique=True),
                _id("lead_id"),
                _id("account_id"),
                _ts("started_at", required=True, nullable=False),
                _ts("ended_at"),
                Column("recurring_revenue", "money", non_negative=True),
                _str("currency"),
            ),
        ),
        TableSpec(
            "outreach",
            # one row per prospect x sequence; an activity log (one row per step)
            # loads as rows with one step dated, folded by leadkpi.outreach
            "one row per prospect x sequence (outbound prospecting)",
            "contacted_at",
            (
                _id("prospect_id"),
                _str("profile_url"),
                _str("email"),
                _str("name"),
                _str("company"),
                _str("campaign"),
                _str("channel"),  # the marketing channel: "outbound" unless given
                _str("medium"),  # linkedin, email, phone, multichannel
                _str("owner"),
                _ts("contacted_at"),  # derived from the steps when absent
                *(_ts(name) for name in OUTREACH_STEPS),
            ),
        ),
        TableSpec(
            "costs",
            "one row per month x cost (tool, agency, salary, event, other)",
            "month",
            (
                Column("month", "month", required=True, nullable=False),
                Column("amount", "money", required=True, non_negative=True),
                Column("category", "string", choices=COST_CATEGORIES),
                _str("channel"),
                _str("campaign"),
                Column("allocation", "string", choices=ALLOCATION_RULES),
                _str("description"),
                _str("currency"),
            ),
        ),
    )
}


def table_spec(kind: str) -> TableSpec:
    """Return the spec of canonical table ``kind``.

    Raises
    ------
    KeyError
        With the list of known tables, when ``kind`` is not one of them.
    """
    try:
        return TABLES[kind]
    except KeyError:
        known = ", ".join(TABLES)
        raise KeyError(f"unknown table {kind!r}; known tables: {known}") from None


_DTYPES = {
    "timestamp": None,  # timezone varies with the project; checked by the parser
    "date": "datetime64[ns]",
    "month": "datetime64[ns]",
    "money": "float64",
    "number": "float64",
    "count": "Int64",
}


def schema(kind: str, columns: tuple[str, ...] | None = None) -> pa.DataFrameSchema:
    """Build the pandera schema of canonical table ``kind``.

    Parameters
    ----------
    kind : str
        A key of :data:`TABLES`.
    columns : tuple of str, optional
        The canonical columns the frame actually has; optional columns that are absent
        are left out of the schema. Default: every column of the spec.

    Returns
    -------
    pandera.DataFrameSchema
        A schema that checks types, nullability, uniqueness and signs, and keeps any
        extra columns (``strict=False``).
    """
    import pandera.pandas as pa

    spec = table_spec(kind)
    present = set(spec.column_names if columns is None else columns)
    cols: dict[str, pa.Column] = {}
    for col in spec.columns:
        if col.name not in present and not col.required:
            continue
        checks = [pa.Check.ge(0)] if col.non_negative else []
        cols[col.name] = pa.Column(
            _DTYPES.get(col.kind),
            checks=checks,
            nullable=col.nullable,
            unique=col.unique,
            report_duplicates="exclude_first",
            required=col.required,
        )
    return pa.DataFrameSchema(cols, strict=False, name=kind)
