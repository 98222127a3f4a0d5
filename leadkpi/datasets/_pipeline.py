"""Deals and customers, derived from the leads that reached them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadkpi.datasets._leads import LeadDraw, to_timestamps
from leadkpi.datasets._text import labels

__all__ = ["deals_table", "customers_table"]

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
