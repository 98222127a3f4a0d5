"""Deals and touches rolled up onto their leads: opportunity, won date and deal
value; the first touch.

A CRM keeps opportunities in a deals table; the funnel reads stage dates from the leads
table. When both are present, each lead that has deals takes its stage dates and value
from them, so the two tables cannot tell different stories. With a touches table,
each lead's first interaction (``first_touch_at``) is its earliest touch.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["ROLLED_UP", "rollup_deals", "first_touches"]

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
    derived = pd.DataFrame(index=pd.Index(by_lead.size().index, name="lead_id"))
    if "created_at" in linked:  # a closed-deals export may have no creation date
        derived["opportunity_at"] = by_lead["created_at"].min()
    if "won_at" in linked:
        derived["won_at"] = by_lead["won_at"].min()
        if "amount" in linked:
            won = linked[linked["won_at"].notna()]
            value = won.groupby("lead_id", sort=False)["amount"].sum(min_count=1)
            derived["deal_value"] = value.reindex(derived.index).astype("float64")
    # one lookup of every lead in the deals' leads, reused for each column
    position = derived.index.get_indexer(out["lead_id"])
    has_deals = pd.Series(position >= 0, index=out.index)
    n_with = int(has_deals.sum())
    rows = []
    for column in derived.columns:
        if len(derived):
            taken = derived[column].iloc[np.where(has_deals, position, 0)]
            new = pd.Series(taken.array, index=out.index).where(has_deals)
        else:
            new = pd.Series(np.nan, index=out.index).astype(derived[column].dtype)
        if column in out.columns:
            old = out[column]
            changed = int((has_deals & _differs(old, new)).sum())
            out[column] = new.where(has_deals, old)
        else:
            changed = 0
            out[column] = new
        detail = f"{ROLLED_UP[column]}, for the {n_with:,} leads with deals"
        rows.append(("leads", column, n_with, changed, detail))
    summary = pd.DataFrame(
        rows, columns=["table", "column", "derived", "changed", "detail"]
    )
    return out, summary


def first_touches(
    leads: pd.DataFrame, touches: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each lead's ``first_touch_at``: the earliest ``touched_at`` of its touches.

    A lead without touches has none (NaT). A ``first_touch_at`` column the leads
    file brings is replaced (``changed`` counts its values replaced).

    Returns
    -------
    leads : pandas.DataFrame
        A copy with ``first_touch_at``.
    summary : pandas.DataFrame
        One row: ``table, column, derived, changed, detail``.

    Examples
    --------
    >>> leads = pd.DataFrame({"lead_id": ["a", "b"]})
    >>> touches = pd.DataFrame({"lead_id": ["a", "a"], "touched_at": pd.to_datetime(
    ...     ["2026-03-05", "2026-03-01"])})
    >>> first_touches(leads, touches)[0]["first_touch_at"].tolist()
    [Timestamp('2026-03-01 00:00:00'), NaT]
    """
    first = touches.groupby("lead_id", sort=False)["touched_at"].min()
    position = first.index.get_indexer(leads["lead_id"])
    found = position >= 0
    taken = first.array.take(np.where(found, position, 0)) if len(first) else None
    new = (
        pd.Series(taken, index=leads.index).where(found)
        if taken is not None
        else pd.Series(pd.NaT, index=leads.index, dtype=touches["touched_at"].dtype)
    )
    own = leads["first_touch_at"] if "first_touch_at" in leads.columns else None
    changed = 0 if own is None else int(own.notna().sum())  # replaced, any type
    out = leads.assign(first_touch_at=new)
    detail = f"earliest touch, for the {int(found.sum()):,} leads with touches"
    summary = pd.DataFrame(
        [("leads", "first_touch_at", int(found.sum()), changed, detail)],
        columns=["table", "column", "derived", "changed", "detail"],
    )
    return out, summary
