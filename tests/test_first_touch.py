"""Time to conversion from the first touch, beside the one from lead creation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leadkpi import LeadData, catalogue, compute

DAY = 86_400
KPIS = [
    "time_to_conversion_from_first_touch",
    "time_to_conversion_from_first_touch_p90",
]


@pytest.fixture
def data() -> LeadData:
    """Five leads created on 2 January and won later; their touches:

    - a: touched 3 days before creation and a day after; won 2 days after creation:
      5 days from the first touch;
    - b: touched at creation, won 4 days later: 4 days;
    - c: won a day after creation but first touched 3 days after: won before the
      first touch, a data error left out and counted;
    - d: no touches: no first touch, not counted;
    - e: touched 10 days before creation, won 6 days after: 16 days.
    """
    created = pd.Timestamp("2025-01-02T09:00:00Z")
    day = pd.Timedelta(days=1)
    leads = pd.DataFrame(
        {
            "lead_id": ["a", "b", "c", "d", "e"],
            "created_at": [created] * 5,
            "won_at": [created + n * day for n in (2, 4, 1, 3, 6)],
        }
    )
    touches = pd.DataFrame(
        {
            "lead_id": ["a", "a", "b", "c", "e"],
            "touched_at": [created + n * day for n in (-3, 1, 0, 3, -10)],
            "touch_type": ["ad_click", "email", "form", "webinar", "ad_click"],
        }
    )
    return LeadData(leads=leads, touches=touches)


@pytest.mark.parametrize("mode", ["cohort", "period"])
def test_from_first_touch_by_hand(data, mode):
    got = compute(data, [*KPIS, "time_to_conversion"], by=("month",), mode=mode)
    row = got.set_index("kpi")
    median = row.loc["time_to_conversion_from_first_touch"]
    assert median["value"] == 5 * DAY  # median of 4, 5 and 16 days
    assert median["n"] == 3 and median["unit"] == "seconds"
    assert median["reason"] == "1 left out: won_at before the first touch"
    p90 = row.loc["time_to_conversion_from_first_touch_p90"]
    assert p90["value"] == pytest.approx((5 + 0.8 * 11) * DAY) and p90["n"] == 3
    # from lead creation it is another number: median of 1, 2, 3, 4, 6 days
    assert row.loc["time_to_conversion", "value"] == 3 * DAY


def test_first_touch_is_the_earliest_touch(data):
    first = data.leads.set_index("lead_id")["first_touch_at"]
    created = pd.Timestamp("2025-01-02T09:00:00Z")
    assert first["a"] == created - pd.Timedelta(days=3)
    assert pd.isna(first["d"])
    note = data.derivations.set_index("column").loc["first_touch_at"]
    assert (note["derived"], note["changed"]) == (4, 0)


def test_without_touches_it_is_unknown_with_a_reason(data):
    plain = LeadData(leads=data.leads.drop(columns=["first_touch_at"]))
    got = compute(plain, KPIS, by=())
    assert got["value"].isna().all()
    assert (got["reason"] == "the leads table has no first_touch_at column").all()


def test_in_the_catalogue_in_both_languages():
    en, es = catalogue("en", KPIS), catalogue("es", KPIS)
    assert en["name"].iloc[0] == "Time to conversion from first touch"
    assert es["name"].iloc[0] == "Tiempo hasta la conversión desde el primer contacto"
    assert np.all(en["unit"] == "seconds")
    assert en["needs"].iloc[0] == "leads.won_at, leads.created_at, leads.first_touch_at"
