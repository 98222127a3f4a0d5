"""Generate the sample company's eight canonical tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadkpi.datasets._calendar import DAY, day_grid
from leadkpi.datasets._contact import contact_columns, landing_sessions
from leadkpi.datasets._conversions import platform_conversions, with_demo_requests
from leadkpi.datasets._costs import costs_table
from leadkpi.datasets._email import email_table
from leadkpi.datasets._leads import draw_leads
from leadkpi.datasets._pipeline import customers_table, deals_table, with_lost_reasons
from leadkpi.datasets._touches import touches_table
from leadkpi.datasets._traffic import spend_table, web_table
from leadkpi.exceptions import ArgumentError
from leadkpi.schemas import table_spec

__all__ = ["generate_sample", "TABLE_NAMES"]

TABLE_NAMES = (
    "leads",
    "deals",
    "touches",
    "spend",
    "email",
    "web",
    "customers",
    "costs",
)


def generate_sample(
    n_leads: int = 6000,
    *,
    start: str = "2025-01-01",
    end: str = "2026-10-31",
    seed: int = 20250101,
) -> dict[str, pd.DataFrame]:
    """Generate the sample company's exports as canonical tables.

    Parameters
    ----------
    n_leads : int
        Number of leads. Spend and e-mail volumes scale with it; the number of rows
        of ``spend``, ``email`` and ``web`` depends only on the dates.
    start, end : str
        First and last day covered (``YYYY-MM-DD``, inclusive). No timestamp falls
        before ``start`` 00:00 or after ``end`` 23:59:59 UTC: leads created near
        the end have had no time to progress.
    seed : int
        Seed of :func:`numpy.random.default_rng`; the same arguments always give
        the same tables.

    Returns
    -------
    dict of str to pandas.DataFrame
        Keys ``leads, deals, touches, spend, email, web, customers, costs``; each
        frame has the columns of :mod:`leadkpi.schemas` in their order, with
        timezone-aware
        UTC timestamps, ``datetime64[ns]`` dates, float money and ``Int64``
        counts. Missing values are NaN / NaT.

    Raises
    ------
    ValueError
        When ``n_leads`` is below 1 or ``end`` is not after ``start``.

    Examples
    --------
    >>> tables = generate_sample(300)
    >>> len(tables["leads"])
    300
    >>> tables["leads"]["lead_id"].iloc[0]
    'L000001'
    >>> bool(tables["deals"]["lead_id"].isin(tables["leads"]["lead_id"]).all())
    True
    """
    if int(n_leads) < 1:
        raise ArgumentError(f"n_leads={n_leads!r} must be at least 1")
    days = day_grid(start, end)
    last_second = (float(days[-1].astype("int64")) + 1) * DAY - 1
    # the 8th: columns added later; the 9th: lost reasons; the 10th: conversions
    # other than customers (the first ones unchanged by each addition)
    rngs = np.random.default_rng(seed).spawn(10)
    draw = draw_leads(int(n_leads), days, last_second, rngs[:3])
    spend = spend_table(draw, days, rngs[3])
    tables = {
        "leads": draw.leads,
        "deals": deals_table(draw, pd.Timestamp(last_second, unit="s", tz="UTC")),
        "touches": touches_table(draw, days, last_second, rngs[4]),
        "spend": spend,
        "email": email_table(draw, days, rngs[5]),
        "web": web_table(draw, days, spend, rngs[6]),
        "customers": customers_table(draw),
        "costs": costs_table(days),  # fixed amounts: draws nothing
    }
    tables["leads"] = contact_columns(draw, last_second, rngs[7])
    tables["deals"] = with_lost_reasons(tables["deals"], tables["leads"], rngs[8])
    tables["web"] = landing_sessions(tables["web"], rngs[7])
    tables["email"] = tables["email"].assign(channel="email")
    tables["spend"] = platform_conversions(tables["spend"], draw.leads, rngs[9])
    tables["touches"] = with_demo_requests(tables["touches"], tables["leads"], rngs[9])
    # columns of the spec the generator does not draw (``currency``) stay empty
    return {
        name: tables[name].reindex(columns=list(table_spec(name).column_names))
        for name in TABLE_NAMES
    }
