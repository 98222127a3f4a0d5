"""Deals rolled up onto their leads: opportunity, won date and deal value.

A CRM keeps opportunities in a deals table; the funnel reads stage dates from the leads
table. When both are present, each lead that has deals takes its stage dates and value
from them, so the two tables cannot tell different stories.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["ROLLED_UP", "rollup_deals"]

#: Leads column → how it is derived from the lead's deals.
ROLLED_UP: dict[str, str] = {
    "opportunity_at": "first deal created",
    "won_at": "first deal won",
    "deal_value": "sum of the amounts of won deals",
}


def _differs(old: pd.Series, new: pd.Series) -> pd.Series:
    both = old.notna() & new.notna()
    return (old.isna() != new.isna()) | (both & (old != new))


def rollup_deals(
    leads: pd.DataFrame, deals: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Derive each lead's ``opportunity_at``, ``won_at`` and ``deal_value`` from deals.

    For a lead with at least one deal: ``opportunity_at`` is the first deal's
    ``created_at``, ``won_at`` the first ``won_at`` among its deals, ``deal_value``
    the sum of ``amount`` over its won deals (missing when none was won). These
    replace whatever the leads file said for that lead; a lead without deals keeps its
    own values. Deals without a ``lead_id``, or whose lead is unknown, change nothing
    (see the ``deals_without_lead`` check).

    Parameters
    ----------
    leads, deals : pandas.DataFrame
        Canonical leads and deals tables (money already in the project currency).

    Returns
    -------
    leads : pandas.DataFrame
        A copy with the three columns derived.
    summary : pandas.DataFrame
        One row per derived column: ``table, column, derived`` (leads whose value now
        comes from deals), ``changed`` (of those, leads whose own value differed or
        was missing) and ``detail``.

    Examples
    --------
    >>> from leadkpi import load
    >>> data = load("leadkpi.yaml")
    >>> leads, summary = rollup_deals(data.leads, data.deals)
    >>> summary[["column", "derived", "changed"]].to_dict("list")
    {'column': ['opportunity_at', 'won_at', 'deal_value'], 'derived': [664, 664, 664], \
'changed': [0, 0, 0]}
    """
    out = leads.copy()
    linked = deals[deals["lead_id"].notna()]
    by_lead = linked.groupby("lead_id", sort=False)
    won = linked[linked["won_at"].notna()] if "won_at" in linked else linked.iloc[:0]
    derived = {
        "opportunity_at": by_lead["created_at"].min(),
        "won_at": by_lead["won_at"].min() if "won_at" in linked else None,
        "deal_value": (
            won.groupby("lead_id", sort=False)["amount"].sum(min_count=1)
            if "amount" in linked
            else None
        ),
    }
    has_deals = out["lead_id"].isin(by_lead.groups.keys())
    rows = []
    for column, values in derived.items():
        if values is None:
            continue
        new = out["lead_id"].map(values)
        if column == "deal_value":
            new = new.astype("float64")
        if column in out.columns:
            old = out[column]
            changed = int((has_deals & _differs(old, new)).sum())
            out[column] = new.where(has_deals, old)
        else:
            changed = 0
            out[column] = new
        detail = (
            f"{ROLLED_UP[column]}, for the {int(has_deals.sum()):,} leads with deals"
        )
        rows.append(("leads", column, int(has_deals.sum()), changed, detail))
    summary = pd.DataFrame(
        rows, columns=["table", "column", "derived", "changed", "detail"]
    )
    return out, summary
