"""Deals and customers, derived from the leads that reached them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadkpi.datasets._leads import LeadDraw, to_timestamps
from leadkpi.datasets._text import labels

__all__ = ["deals_table", "customers_table", "with_lost_reasons", "LOST_REASONS"]

#: The "Closed Lost Reason" options of the sample's CRM, and how often each is
#: chosen for a lost deal whose lead was called within a day / later or never.
LOST_REASONS: dict[str, tuple[float, float]] = {
    "Price too high": (0.28, 0.16),
    "Chose a competitor": (0.24, 0.18),
    "No budget this year": (0.18, 0.12),
    "Missing feature": (0.14, 0.08),
    "No response": (0.08, 0.38),
    "Timing: not now": (0.08, 0.08),
}

_NEGOTIATION_AFTER = pd.Timedelta(days=21)


def deals_table(draw: LeadDraw, end: pd.Timestamp) -> pd.DataFrame:
    """One deal per lead that reached the opportunity stage, in order of creation.

    ``amount`` is the annual contract value (12 x monthly recurring revenue): won for
    won deals, proposed for lost and open ones. Open deals are in ``proposal`` for
    their first three weeks, then in ``negotiation``.
    """
    leads = draw.leads
    rows = np.flatnonzero(leads["opportunity_at"].notna().to_numpy())
    rows = rows[np.argsort(draw.funnel.opportunity[rows], kind="stable")]
    deals = leads.iloc[rows].reset_index(drop=True)
    age = end - deals["opportunity_at"]
    stage = np.select(
        [deals["won_at"].notna(), deals["lost_at"].notna(), age < _NEGOTIATION_AFTER],
        ["won", "lost", "proposal"],
        "negotiation",
    )
    return pd.DataFrame(
        {
            "deal_id": labels("D", np.arange(1, len(rows) + 1), len(rows)),
            "lead_id": deals["lead_id"],
            "created_at": deals["opportunity_at"],
            "won_at": deals["won_at"],
            "lost_at": deals["lost_at"],
            "amount": 12 * draw.funnel.monthly_revenue[rows],
            "stage": pd.Series(stage, dtype="str"),
            "owner": deals["owner"],
        }
    )


def customers_table(draw: LeadDraw) -> pd.DataFrame:
    """One customer per won lead, in order of the start of its subscription.

    ``recurring_revenue`` is monthly; ``ended_at`` is empty while still subscribed.
    """
    leads, funnel = draw.leads, draw.funnel
    rows = np.flatnonzero(~np.isnan(funnel.won))
    rows = rows[np.argsort(funnel.won[rows], kind="stable")]
    won = leads.iloc[rows].reset_index(drop=True)
    return pd.DataFrame(
        {
            "customer_id": labels("C", np.arange(1, len(rows) + 1), len(rows)),
            "lead_id": won["lead_id"],
            "account_id": won["account_id"],
            "started_at": won["won_at"],
            "ended_at": to_timestamps(funnel.churned[rows]),
            "recurring_revenue": funnel.monthly_revenue[rows],
        }
    )


def with_lost_reasons(
    deals: pd.DataFrame, leads: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """``deals`` with a ``lost_reason`` for each lost deal (empty for the others).

    A lead that sales called late (after a day) or never more often goes quiet:
    "No response" is then the most common reason (an effect to find).
    """
    by_id = leads.set_index("lead_id")
    waited = deals["lead_id"].map(by_id["first_response_at"] - by_id["created_at"])
    late = waited.isna() | (waited > pd.Timedelta(days=1))
    names = np.array(list(LOST_REASONS), dtype=object)
    weights = np.array(list(LOST_REASONS.values()))  # (reasons, 2)
    cumulative = np.cumsum(weights / weights.sum(axis=0), axis=0)
    column = late.to_numpy(dtype=int)
    pick = (rng.random(len(deals))[:, None] > cumulative[:, column].T).sum(axis=1)
    reason = np.where(
        deals["lost_at"].notna(), names[np.minimum(pick, len(names) - 1)], None
    )
    return deals.assign(lost_reason=pd.Series(reason, index=deals.index, dtype="str"))
