"""The cost base beyond ad spend: share the ``costs`` rows among channels.

A row of the ``costs`` table (a CRM subscription, an agency fee, SDR salaries, a
trade fair) names its month and, when it belongs to one channel, that channel. A
row without a channel may name an allocation rule:

- ``by_leads``: shared among the channels in proportion to the leads created in
  that month (by ``created_at``, cohort or period mode alike);
- ``by_spend``: in proportion to each channel's ad spend (``spend.cost``) that month;
- ``evenly``: in equal parts among the channels that had leads or spend that month.

A row with a channel keeps it (a rule on it is not needed and is ignored); a row
without a channel or a rule, or whose rule finds no channel in its month (no leads
that month for ``by_leads``), stays without a channel: it counts in totals and shows
as ``(not set)`` when a KPI is cut by channel, never silently in another channel.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from leadkpi.data import LeadData
from leadkpi.schemas import ALLOCATION_RULES

__all__ = [
    "allocate_costs",
    "allocation_weights",
    "share_costs",
    "weights_from_totals",
    "ALLOCATED_COLUMNS",
]

#: Columns :func:`allocate_costs` adds to the costs table's own.
ALLOCATED_COLUMNS = ("row", "share", "allocated")


def _month_start(times: pd.Series) -> np.ndarray:
    """Each time's month, as naive midnight of its first day (local wall clock)."""
    if isinstance(times.dtype, pd.DatetimeTZDtype):
        times = times.dt.tz_localize(None)
    days = times.to_numpy("datetime64[ns]")
    return days.astype("datetime64[M]").astype("datetime64[ns]")


def allocation_weights(data: LeadData) -> pd.DataFrame:
    """What each allocation rule weighs each channel by, per month.

    Returns
    -------
    pandas.DataFrame
        Long: ``month, channel, allocation, weight`` with one row per month,
        channel and rule whose weight is above 0 (``by_leads``: leads created;
        ``by_spend``: ad spend; ``evenly``: 1 for a channel with leads or spend).
        Counted with integer codes and one :func:`numpy.bincount` per table.

    Examples
    --------
    >>> from leadkpi import load
    >>> weights = allocation_weights(load("leadkpi.yaml"))
    >>> sorted(weights["allocation"].unique())
    ['by_leads', 'by_spend', 'evenly']
    """
    parts = []
    for name, column, value in (
        ("leads", "created_at", None),
        ("spend", "date", "cost"),
    ):
        frame = getattr(data, name)
        if frame is None or "channel" not in frame.columns or not len(frame):
            continue
        weight = (
            frame[value].to_numpy(dtype="float64", na_value=0.0)
            if value
            else np.ones(len(frame))
        )
        month_codes, months = pd.factorize(_month_start(frame[column]))
        channel_codes, channels = pd.factorize(frame["channel"])
        known = (month_codes >= 0) & (channel_codes >= 0)
        cells = month_codes[known] * len(channels) + channel_codes[known]
        size = len(months) * len(channels)
        totals = np.bincount(cells, np.nan_to_num(weight[known]), minlength=size)
        present = np.flatnonzero(totals > 0)
        parts.append(
            pd.DataFrame(
                {
                    "month": np.asarray(months)[present // len(channels)],
                    "channel": np.asarray(channels, dtype=object)[
                        present % len(channels)
                    ],
                    "allocation": "by_spend" if value else "by_leads",
                    "weight": totals[present],
                }
            )
        )
    return weights_from_totals(parts)


def weights_from_totals(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The weights of :func:`allocation_weights` from each table's totals
    (``month, channel, allocation, weight``, weight above 0): adds the
    ``evenly`` rule's weight of 1 for each channel active in a month."""
    columns = ["month", "channel", "allocation", "weight"]
    if not parts:
        return pd.DataFrame(
            {
                "month": pd.Series(dtype="datetime64[ns]"),
                "channel": pd.Series(dtype=object),
                "allocation": pd.Series(dtype=object),
                "weight": pd.Series(dtype="float64"),
            }
        )
    found = pd.concat(parts, ignore_index=True)
    active = found.drop_duplicates(["month", "channel"]).assign(
        allocation="evenly", weight=1.0
    )
    weights = pd.concat([found, active], ignore_index=True)[columns]
    order = ["allocation", "month", "channel"]
    return weights.sort_values(order, kind="stable").reset_index(drop=True)


def allocate_costs(data: LeadData) -> pd.DataFrame:
    """The costs table with each row that has no channel shared by its rule.

    Parameters
    ----------
    data : LeadData
        A project with a ``costs`` table (leads and spend weigh the shares).

    Returns
    -------
    pandas.DataFrame
        The costs table's columns, with a shared row split into one row per
        channel of its month, its ``amount`` (and ``amount_original``) multiplied
        by ``share``; ``row`` is the position of the row in ``data.costs``,
        ``allocated`` is True for the pieces of a shared row. The amounts of each
        ``row`` add up to its amount. Vectorised: one merge of the rows with the
        weights of their month (see :func:`allocation_weights`).

    Raises
    ------
    MissingTableError
        When the project has no ``costs`` table.

    Examples
    --------
    >>> import pandas as pd
    >>> data = LeadData(
    ...     leads=pd.DataFrame({
    ...         "lead_id": ["a", "b", "c", "d"],
    ...         "created_at": ["2026-03-02T10:00:00Z"] * 4,
    ...         "channel": ["email", "email", "email", "paid_search"]}),
    ...     costs=pd.DataFrame({
    ...         "month": ["2026-03"], "amount": ["100"], "category": ["tool"],
    ...         "allocation": ["by_leads"]}))
    >>> allocate_costs(data)[["channel", "amount", "share"]]
           channel  amount  share
    0        email    75.0   0.75
    1  paid_search    25.0   0.25
    """
    costs = data.require("costs", "allocating costs")
    return share_costs(costs, lambda: allocation_weights(data))


def share_costs(
    costs: pd.DataFrame, weights: Callable[[], pd.DataFrame]
) -> pd.DataFrame:
    """The costs table with each row that has no channel shared by its rule.

    Parameters
    ----------
    costs : pandas.DataFrame
        The canonical costs table.
    weights : callable
        Returns the weights of :func:`allocation_weights` (asked for only when a
        row needs sharing): the leads and spend that weigh the shares, however
        they were counted (in memory, or on a backend).

    Returns
    -------
    pandas.DataFrame
        As :func:`allocate_costs`.
    """
    frame = costs.assign(row=np.arange(len(costs)), share=1.0, allocated=False)
    for column in ("channel", "allocation"):
        if column not in frame.columns:
            frame[column] = pd.Series(None, index=frame.index, dtype="str")
    pending = frame["channel"].isna() & frame["allocation"].isin(ALLOCATION_RULES)
    if not pending.any():
        return frame[list(dict.fromkeys([*costs.columns, *frame.columns]))]
    todo = frame[pending.to_numpy()].drop(columns=["channel", "share", "allocated"])
    shared = todo.merge(weights(), on=["month", "allocation"], how="left", sort=False)
    found = shared["weight"].notna()
    total = shared.groupby("row")["weight"].transform("sum")
    shared["share"] = np.where(found, shared["weight"] / total, 1.0)
    shared["allocated"] = found.to_numpy()
    for column in ("amount", "amount_original"):
        if column in shared.columns:
            shared[column] = shared[column] * shared["share"]
    shared = shared.drop(columns=["weight"])
    out = pd.concat([frame[~pending.to_numpy()], shared], ignore_index=True)
    out = out.sort_values("row", kind="stable").reset_index(drop=True)
    kept = dict.fromkeys([*costs.columns, "channel", "allocation", *ALLOCATED_COLUMNS])
    return out[list(kept)]
