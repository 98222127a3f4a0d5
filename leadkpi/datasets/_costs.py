"""The sample company's costs beyond ad spend: tools, agency, sales team, events.

Fixed monthly amounts, the same every month (no randomness, so the other tables do
not change when this one does), plus the trade fairs' travel and stand staff in the
months the company exhibits. Shared costs name an allocation rule instead of a
channel (see :func:`leadkpi.allocate_costs`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["costs_table", "MONTHLY_COSTS", "FAIR_MONTHS"]

#: (category, channel, allocation, amount in EUR, description), every month.
MONTHLY_COSTS: tuple[tuple[str, str | None, str | None, float, str], ...] = (
    ("tool", None, "by_leads", 1_180.0, "CRM and marketing automation subscription"),
    ("tool", "events", None, 290.0, "Webinar platform licence"),
    ("agency", None, "by_spend", 2_400.0, "Paid media agency retainer"),
    ("salary", None, "by_leads", 8_600.0, "SDR team salaries (two SDRs)"),
)
#: Months (1-12) with a trade fair, and its travel and stand staff cost in EUR.
FAIR_MONTHS: dict[int, float] = {3: 4_800.0, 10: 5_600.0}


def costs_table(days: np.ndarray) -> pd.DataFrame:
    """One row per month and cost, for every month that ``days`` touches.

    Examples
    --------
    >>> from leadkpi.datasets._calendar import day_grid
    >>> table = costs_table(day_grid("2026-02-01", "2026-03-31"))
    >>> table.groupby("month")["amount"].sum().tolist()
    [12470.0, 17270.0]
    """
    months = np.unique(days.astype("datetime64[M]"))
    fixed = pd.DataFrame(
        MONTHLY_COSTS,
        columns=["category", "channel", "allocation", "amount", "description"],
    )
    rows = fixed.merge(pd.DataFrame({"month": months}), how="cross")
    fair = pd.Series(months.astype("int64") % 12 + 1).map(FAIR_MONTHS)
    fairs = pd.DataFrame(
        {
            "category": "event",
            "channel": "events",
            "allocation": None,
            "amount": fair[fair.notna()].to_numpy(),
            "description": "Trade fair travel and stand staff",
            "month": months[fair.notna().to_numpy()],
        }
    )
    table = pd.concat([rows, fairs], ignore_index=True)
    table["month"] = table["month"].astype("datetime64[ns]")
    table["campaign"] = None
    text = ["category", "channel", "campaign", "allocation", "description"]
    table[text] = table[text].astype("str")
    return table.sort_values("month", kind="stable", ignore_index=True)
