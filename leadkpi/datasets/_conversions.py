"""The sample's conversions other than becoming a customer.

Two additions, each drawn from a generator of its own so that every other number
of the sample stays as it was:

- the ad platforms' own conversion counts on the spend rows of the four platforms:
  the leads the campaign brought that day, plus what a platform claims beyond the
  CRM (view-through and cross-device conversions, leads the CRM merged away), so
  that the platform and the CRM disagree as they do in practice. Google Ads counts
  in fractions (data-driven attribution); Meta's results are lead-form leads.
- demo requests: some return visits of leads past their qualification point are
  demo requests (``touch_type`` ``demo_request``). Only visits after a lead's MQL
  and its first week are relabelled, so lead scores and the scoring model's
  features (touches up to the qualification point) do not change, and the
  attribution paths (by channel) neither.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadkpi.datasets._company import CAMPAIGNS

__all__ = ["platform_conversions", "with_demo_requests", "META_RESULT"]

#: Meta's result indicator of a lead-form campaign.
META_RESULT = "actions:onsite_conversion.lead_grouped"
#: Conversions a platform claims per CRM lead, beyond the leads themselves.
_OVERCLAIM = {"google": 0.18, "bing": 0.10, "facebook": 0.35, "linkedin": 0.25}
#: Share of eligible return visits that are demo requests.
_DEMO_SHARE = 0.6
_PLATFORM_SOURCES = tuple(_OVERCLAIM)


def platform_conversions(
    spend: pd.DataFrame, leads: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """``spend`` with ``conversions`` (and Meta's ``conversion_type``) on the rows
    of the four ad platforms; other rows stay without a count (missing, not 0), and
    so do Meta's days without results, which its export leaves empty."""
    source = {c.id: c.source for c in CAMPAIGNS if c.paid}
    day = leads["created_at"].dt.tz_convert("UTC").dt.tz_localize(None).dt.normalize()
    crm = (
        pd.DataFrame({"date": day, "campaign": leads["campaign"]})
        .value_counts()
        .rename("crm")
        .reset_index()
    )
    crm["date"] = crm["date"].astype("datetime64[ns]")
    rows = spend[["date", "campaign"]].merge(crm, on=["date", "campaign"], how="left")
    leads_that_day = rows["crm"].fillna(0).to_numpy("float64")
    platform = spend["campaign"].map(source).to_numpy(dtype=object)
    over = np.array([_OVERCLAIM.get(s, 0.0) for s in platform])
    claimed = leads_that_day + rng.poisson(over * (leads_that_day + 0.5))
    google = platform == "google"
    # data-driven attribution credits parts of a conversion
    credited = np.round(claimed * rng.lognormal(0.0, 0.15, len(spend)), 2)
    counts = np.where(google, credited, claimed)
    # Meta leaves Results (and its indicator) empty on a day without any
    meta = platform == "facebook"
    known = np.isin(platform, _PLATFORM_SOURCES) & ~(meta & (counts == 0))
    conversions = pd.Series(np.where(known, counts, np.nan), index=spend.index)
    kind = pd.Series(np.where(meta & known, META_RESULT, None), index=spend.index)
    return spend.assign(conversions=conversions, conversion_type=kind.astype("str"))


def with_demo_requests(
    touches: pd.DataFrame, leads: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """``touches`` with some return visits after qualification as demo requests."""
    lead = leads.set_index("lead_id")
    created = touches["lead_id"].map(lead["created_at"])
    mql = touches["lead_id"].map(lead["mql_at"])
    after = (touches["touched_at"] > mql) & (
        touches["touched_at"] > created + pd.Timedelta(days=7)
    )
    eligible = (touches["touch_type"] == "direct_visit") & after.fillna(False)
    chosen = eligible.to_numpy() & (rng.random(len(touches)) < _DEMO_SHARE)
    kind = touches["touch_type"].where(~chosen, "demo_request")
    return touches.assign(touch_type=kind)
