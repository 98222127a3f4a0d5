"""A campaign (or channel) deep dive: one of them against the rest of the account.

:func:`focus` marks every row of every table that has the column (``campaign`` or
``channel``) with a ``focus`` column: the chosen name, or :data:`REST`. Everything
else is the engine's and the analyses' own work at that grain, so the chosen one and
the rest are computed by the same formulas (ratios stay sums over sums, medians are
medians of their own leads):

- :func:`weekly`: spend, leads, cost per lead, opportunities, cost per opportunity
  and lead response time, week by week;
- :func:`summary`: the same, the lead-to-MQL rate, customers and CAC (too few
  customers a week for a weekly CAC) over the whole range;
- :func:`focus_funnel`: the cohort funnel of the leads created in the range;
- :func:`speed`: speed to lead;
- :func:`landing_pages`: the pages the chosen one's leads arrived on.

Examples
--------
>>> from leadkpi import load
>>> view = focus(load("leadkpi.yaml"), campaign="gads_generic_crm")
>>> sorted(view.leads["focus"].unique())
['gads_generic_crm', 'rest']
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from leadkpi.arguments import unknown
from leadkpi.data import LeadData
from leadkpi.exceptions import ArgumentError
from leadkpi.funnel import funnel, speed_to_lead
from leadkpi.kpis import compute

__all__ = [
    "date_range",
    "FOCUS",
    "REST",
    "WEEKLY_KPIS",
    "SUMMARY_KPIS",
    "focus",
    "weekly",
    "summary",
    "focus_funnel",
    "speed",
    "landing_pages",
]

#: The column :func:`focus` adds, and the value of every row not chosen.
FOCUS = "focus"
REST = "rest"

#: KPIs of the weekly series.
WEEKLY_KPIS = (
    "spend",
    "leads",
    "cost_per_lead",
    "opportunities",
    "cost_per_opportunity",
    "lead_response_time",
)
#: KPIs of the summary over the whole range.
SUMMARY_KPIS = (
    "spend",
    "leads",
    "cost_per_lead",
    "lead_to_mql_rate",
    "opportunities",
    "cost_per_opportunity",
    "customers",
    "cac",
    "lead_response_time",
)

#: Weeks looked at when no start is given.
DEFAULT_WEEKS = 13


def date_range(start: str, end: str, created: pd.Series) -> tuple[str, str]:
    """The first and last day of a deep dive, as ``YYYY-MM-DD``.

    An empty ``end`` is the last day of the latest complete month of ``created``
    (the leads' creation times); an empty ``start``, :data:`DEFAULT_WEEKS` weeks
    before ``end``.

    Raises
    ------
    ArgumentError
        A day that is neither a date nor a month, or a start after the end.

    Examples
    --------
    >>> created = pd.Series(pd.to_datetime(["2026-01-05", "2026-10-31"]))
    >>> date_range("", "", created)
    ('2026-08-02', '2026-10-31')
    >>> date_range("2026-09-01", "2026-09-30", created)
    ('2026-09-01', '2026-09-30')
    >>> date_range("2026-08", "2026-09", created)  # months: their first and last day
    ('2026-08-01', '2026-09-30')
    """
    from leadkpi.periods import latest_complete_month

    def day(argument: str, value: str) -> pd.Timestamp:
        try:
            text = str(value).strip()
            if re.fullmatch(r"\d{4}-\d{2}", text):  # a month: its first or last day
                month = pd.Period(text, freq="M")
                edge = month.start_time if argument == "start" else month.end_time
                return edge.normalize()
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError(text)
            return pd.Timestamp(text)
        except ValueError:
            raise ArgumentError(
                f"{argument}={value!r} is not a day or a month; expected YYYY-MM-DD "
                "or YYYY-MM"
            ) from None

    if str(end or "").strip():
        last = day("end", end)
    else:
        last = latest_complete_month(created).end_time.normalize()
    first = (
        day("start", start)
        if str(start or "").strip()
        else last - pd.Timedelta(weeks=DEFAULT_WEEKS) + pd.Timedelta(days=1)
    )
    if first > last:
        raise ArgumentError(
            f"start={first:%Y-%m-%d} is after end={last:%Y-%m-%d}; swap them"
        )
    return f"{first:%Y-%m-%d}", f"{last:%Y-%m-%d}"


_TABLES = ("leads", "deals", "touches", "spend", "email", "web", "customers", "costs")


def focus(
    data: LeadData, *, campaign: str | None = None, channel: str | None = None
) -> LeadData:
    """``data`` with a ``focus`` column: ``campaign`` (or ``channel``), else "rest".

    Parameters
    ----------
    data : LeadData
    campaign, channel : str
        Exactly one: the campaign or the channel looked at, as the data names it.

    Returns
    -------
    LeadData
        A view whose tables that have the ``campaign`` (``channel``) column also
        have ``focus``; the others are unchanged (KPIs that need them are reported
        as unavailable by focus, with the reason).

    Raises
    ------
    ArgumentError
        Neither or both given, or a name that no lead, spend row or touch has (the
        message lists the closest names).

    Examples
    --------
    >>> from leadkpi import load
    >>> focus(load("leadkpi.yaml"), campaign="gads_generic_cmr")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    leadkpi.exceptions.ArgumentError: campaign='gads_generic_cmr' is not a campaign \
of the data; did you mean 'gads_generic_crm' or 'bing_generic_crm' or ...
    """
    if (campaign is None) == (channel is None):
        raise ArgumentError("pass one of campaign= or channel=, not both or neither")
    column, name = (
        ("campaign", campaign) if campaign is not None else ("channel", channel)
    )
    tables = {
        t: getattr(data, t)
        for t in _TABLES
        if getattr(data, t, None) is not None and column in getattr(data, t).columns
    }
    known = sorted(
        {str(v) for frame in tables.values() for v in frame[column].dropna().unique()}
    )
    if str(name) not in known:
        raise unknown(column, name, known, what=f"a {column} of the data")
    marked = {
        t: frame.assign(
            **{
                FOCUS: pd.Series(
                    np.where(frame[column].astype("str") == str(name), name, REST),
                    index=frame.index,
                    dtype="str",
                )
            }
        )
        for t, frame in tables.items()
    }
    return data.with_tables(**marked)


def weekly(
    view: LeadData, start: object, end: object, *, mode: str = "cohort"
) -> pd.DataFrame:
    """:data:`WEEKLY_KPIS` by ``week`` × ``focus``: the tidy frame of
    :func:`leadkpi.compute` (weeks that hold ``start``/``end`` included whole)."""
    return compute(
        view, list(WEEKLY_KPIS), by=("week", FOCUS), mode=mode, start=start, end=end
    )


def summary(
    view: LeadData, start: object, end: object, *, mode: str = "cohort"
) -> pd.DataFrame:
    """:data:`SUMMARY_KPIS` by ``focus`` over the whole range (tidy)."""
    return compute(
        view, list(SUMMARY_KPIS), by=(FOCUS,), mode=mode, start=start, end=end
    )


def focus_funnel(view: LeadData, start: object, end: object) -> pd.DataFrame:
    """The cohort funnel (leads created in the range and the stages they reached)
    by ``focus``, without the stages no table counts (sessions by campaign)."""
    table = funnel(view, by=(FOCUS,), mode="cohort", start=start, end=end)
    counted = table.groupby("stage", sort=False)["count"].transform("count") > 0
    return table[counted].reset_index(drop=True)


def speed(view: LeadData, start: object, end: object) -> pd.DataFrame:
    """Speed to lead by ``focus`` (:func:`leadkpi.speed_to_lead`)."""
    return speed_to_lead(view, by=(FOCUS,), start=start, end=end)


def landing_pages(
    view: LeadData, start: object, end: object, *, top: int = 10
) -> pd.DataFrame:
    """The ``top`` pages the chosen one's leads arrived on, against the rest.

    A page is the lead's ``landing_page`` without its query and fragment (the UTM
    tags differ by campaign, the page does not).

    Returns
    -------
    pandas.DataFrame
        ``landing_page, leads, share, opportunities, opportunity_rate,
        rest_leads, rest_opportunity_rate``: the chosen one's leads created in the
        range on each page, their share of its leads, how many reached an
        opportunity (and the rate), and the same page's leads from the rest of the
        account; most leads first. Empty when the leads have no landing pages.
    """
    leads = view.leads
    columns = [
        "landing_page", "leads", "share", "opportunities", "opportunity_rate",
        "rest_leads", "rest_opportunity_rate",
    ]  # fmt: skip
    if leads is None or "landing_page" not in leads.columns or FOCUS not in leads:
        return pd.DataFrame(columns=columns)
    created = leads["created_at"]
    tz = created.dt.tz
    lo, hi = _bounds(start, end, tz)
    rows = leads[(created >= lo) & (created < hi)]
    page = (
        rows["landing_page"].astype("str").str.replace(r"[?#].*$", "", regex=True)
        .str.replace(r"^https?://", "", regex=True).str.rstrip("/")
    )  # fmt: skip
    reached = (
        rows["opportunity_at"].notna()
        if "opportunity_at" in rows
        else pd.Series(False, index=rows.index)
    )
    frame = pd.DataFrame(
        {
            "landing_page": page.to_numpy(),
            "chosen": (rows[FOCUS] != REST).to_numpy(),
            "opportunity": reached.to_numpy(dtype=bool),
        }
    ).dropna(subset=["landing_page"])
    frame = frame[frame["landing_page"] != ""]
    chosen, rest = frame[frame["chosen"]], frame[~frame["chosen"]]
    table = (
        chosen.groupby("landing_page")["opportunity"]
        .agg(leads="size", opportunities="sum")
        .join(
            rest.groupby("landing_page")["opportunity"].agg(
                rest_leads="size", rest_opportunities="sum"
            ),
            how="left",
        )
        .fillna(0)
        .astype("int64")
        .reset_index()
    )
    table = table[table["leads"] > 0]
    total = table["leads"].sum()
    table["share"] = table["leads"] / total if total else np.nan
    table["opportunity_rate"] = table["opportunities"] / table["leads"]
    rest = table["rest_leads"].where(table["rest_leads"] > 0)
    table["rest_opportunity_rate"] = table["rest_opportunities"] / rest
    table = table.sort_values(["leads", "landing_page"], ascending=[False, True])
    return table[columns].head(top).reset_index(drop=True)


def _bounds(
    start: object, end: object, tz: object
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The instants from the start of ``start``'s period to the end of ``end``'s."""
    from leadkpi.arguments import parse_bound

    lo, hi = parse_bound("start", start), parse_bound("end", end)
    first = (
        pd.Timestamp.min.tz_localize("UTC")
        if lo is None
        else pd.Timestamp(lo.start_time).tz_localize(tz)
    )
    last = (
        pd.Timestamp.max.tz_localize("UTC")
        if hi is None
        else pd.Timestamp((hi + 1).start_time).tz_localize(tz)
    )
    return first, last
