"""Journeys, path tables and rule-based attribution, on hand-worked examples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadkpi import LeadData, load
from leadkpi.attribution import (
    MODELS,
    NO_TOUCH,
    attribute,
    attribution_kpis,
    check_path_table,
    journeys,
    path_table,
)
from leadkpi.attribution.rules import RULES, rule_shares
from leadkpi.attribution.walks import walks
from leadkpi.exceptions import ArgumentError

DAY = "2025-03-{:02d}T10:00:00Z"


def _data(touches: list[tuple], leads: list[tuple], spend=None) -> LeadData:
    """touches: (lead, day of March, channel, campaign); leads: (lead, created day,
    opportunity day or None, won day or None, value)."""
    def day(d):
        return None if d is None else DAY.format(d)

    return LeadData(
        leads=pd.DataFrame(
            {
                "lead_id": [x[0] for x in leads],
                "created_at": [day(x[1]) for x in leads],
                "opportunity_at": [day(x[2]) for x in leads],
                "won_at": [day(x[3]) for x in leads],
                "deal_value": [x[4] for x in leads],
            }
        ),
        touches=pd.DataFrame(
            {
                "lead_id": [t[0] for t in touches],
                "touched_at": [day(t[1]) for t in touches],
                "channel": [t[2] for t in touches],
                "campaign": [t[3] for t in touches],
            }
        ),
        spend=spend,
    )


@pytest.fixture
def small() -> LeadData:
    """a: search(1) > email(3) [lead created 3] > direct(5) [opp 5] > social(8),
    won on 6 for 1000 (social after the win); b: social(2), never converts;
    c: won on 9 for 500 without any touch; d: two touches at the same instant."""
    return _data(
        [
            ("a", 1, "search", "s1"),
            ("a", 3, "email", "e1"),
            ("a", 5, "direct", ""),
            ("a", 8, "social", "so1"),
            ("b", 2, "social", "so1"),
            ("d", 4, "social", "so2"),
            ("d", 4, "email", "e1"),
            ("x", 4, "email", "e1"),  # unknown lead
        ],
        [
            ("a", 3, 5, 6, 1000.0),
            ("b", 2, None, None, None),
            ("c", 9, None, 9, 500.0),
            ("d", 4, None, 10, 200.0),
        ],
    )


def test_journeys_order_ends_and_counts(small):
    j = journeys(small, lookback_days=None, timezone="UTC")
    assert list(j.columns)[:7] == [
        "journey", "lead_id", "step", "steps", "touched_at", "channel", "campaign"
    ]
    assert j["lead_id"].tolist() == ["a", "a", "a", "b", "c", "d", "d"]
    assert j["channel"].astype(str).tolist() == [
        "search", "email", "direct", "social", NO_TOUCH, "email", "social"
    ]  # ties at the same instant: by channel name
    assert j["step"].tolist() == [0, 1, 2, 0, 0, 0, 1]
    assert j["steps"].tolist() == [3, 3, 3, 1, 1, 2, 2]
    assert j["converted"].tolist() == [True] * 3 + [False] + [True] * 3
    assert j["value"].tolist() == [1000.0] * 3 + [0.0, 500.0, 200.0, 200.0]
    assert j["days_before"].tolist() == [5.0, 3.0, 1.0, 0.0, 0.0, 6.0, 6.0]
    assert j["lead_creation"].tolist() == [False, True, False, True, True, False, True]
    assert j["opportunity_creation"].tolist() == [False, False, True] + [False] * 4
    assert j.attrs["dropped"] == {
        "unknown_lead": 1, "undated": 0, "after_conversion": 1,
        "before_lookback": 0, "outside_period": 0,
    }
    assert j.attrs["no_touch"] == 1


def test_journeys_lookback_and_period(small):
    j = journeys(small, lookback_days=4, timezone="UTC")
    assert j.loc[j["lead_id"] == "a", "channel"].astype(str).tolist() == [
        "email", "direct"
    ]
    assert j.attrs["dropped"]["before_lookback"] == 3  # a's search, d's two
    assert j.loc[j["lead_id"] == "d", "channel"].astype(str).tolist() == [NO_TOUCH]
    assert j.attrs["no_touch"] == 2
    none = journeys(small, start="2025-04", timezone="UTC")
    assert none.empty


def test_journeys_conversion_event(small):
    j = journeys(small, conversion="opportunity", lookback_days=None, timezone="UTC")
    a = j[j["lead_id"] == "a"]
    assert a["channel"].astype(str).tolist() == ["search", "email", "direct"]
    assert bool(a["converted"].all())
    assert j.loc[j["lead_id"] == "d", "converted"].eq(False).all()


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"conversion": "won"}, "conversion='won' is not a conversion event"),
        ({"lookback_days": 0}, "lookback_days must be a positive"),
    ],
)
def test_journeys_bad_arguments(small, kwargs, expected):
    with pytest.raises(ArgumentError, match=expected):
        journeys(small, **kwargs)


def test_journeys_need_touches():
    with pytest.raises(ArgumentError, match="need the touches table"):
        journeys(LeadData(leads=pd.DataFrame({"lead_id": ["a"], "created_at": [
            "2025-01-01T00:00:00Z"]})))


def _shares(model: str, **kwargs) -> list[float]:
    """Shares of the four touches of one converted journey: search (day 1, first),
    email (day 3, lead creation), direct (day 5, opportunity), email (day 6)."""
    data = _data(
        [
            ("a", 1, "search", ""),
            ("a", 3, "email", ""),
            ("a", 5, "direct", ""),
            ("a", 6, "email", ""),
        ],
        [("a", 3, 5, 7, 100.0)],
    )
    w = walks(journeys(data, lookback_days=None, timezone="UTC"))
    return np.round(rule_shares(w, model, **kwargs), 10).tolist()


def test_rule_shares_by_hand():
    assert _shares("first_touch") == [1, 0, 0, 0]
    assert _shares("last_touch") == [0, 0, 0, 1]
    assert _shares("last_non_direct") == [0, 0, 0, 1]
    assert _shares("linear") == [0.25] * 4
    assert _shares("position") == [0.4, 0.1, 0.1, 0.4]
    assert _shares("position", position_weights=(0.3, 0.5)) == [0.3, 0.1, 0.1, 0.5]
    assert _shares("w_shaped") == [0.3, 0.3, 0.3, 0.1]
    # days before the win (day 7): 6, 4, 2, 1; half-life 2 days
    weights = np.exp2(-np.array([6, 4, 2, 1]) / 2)
    assert _shares("time_decay", half_life_days=2) == np.round(
        weights / weights.sum(), 10
    ).tolist()


def test_last_non_direct_and_short_journeys():
    data = _data(
        [
            ("a", 1, "email", ""),
            ("a", 2, "direct", ""),
            ("b", 1, "direct", ""),
            ("c", 1, "search", ""),
            ("c", 2, "email", ""),
        ],
        [("a", 1, None, 3, 1.0), ("b", 1, None, 3, 1.0), ("c", 1, 2, 3, 1.0)],
    )
    w = walks(journeys(data, lookback_days=None, timezone="UTC"))
    assert rule_shares(w, "last_non_direct").tolist() == [1, 0, 1, 0, 1]
    # two touches: 40/40 becomes 50/50; one touch takes everything
    assert rule_shares(w, "position").tolist() == [0.5, 0.5, 1, 0.5, 0.5]
    # a: first + lead creation (0.6) and the rest 0.1 → 6/7, 1/7; c: first and
    # lead creation 0.6, opportunity 0.3 (no other touch): 2/3, 1/3
    np.testing.assert_allclose(
        rule_shares(w, "w_shaped"), [6 / 7, 1 / 7, 1, 2 / 3, 1 / 3]
    )


@st.composite
def _journey_data(draw):
    n = draw(st.integers(1, 12))
    channels = ["search", "email", "direct", "social", "events"]
    touches, leads = [], []
    for i in range(n):
        lead = f"L{i}"
        days = draw(st.lists(st.integers(1, 20), min_size=0, max_size=6))
        for d in days:
            touches.append((lead, d, draw(st.sampled_from(channels)), "c"))
        created = draw(st.integers(1, 20))
        won = draw(st.one_of(st.none(), st.integers(1, 28)))
        opp = None if won is None else draw(st.one_of(st.none(), st.integers(1, won)))
        leads.append((lead, created, opp, won, draw(st.floats(0, 1e5))))
    if not touches:
        touches.append(("L0", 1, "email", "c"))
    return _data(touches, leads)


@settings(max_examples=60, deadline=None)
@given(_journey_data(), st.sampled_from([None, 5]))
def test_credit_invariants(data, lookback):
    j = journeys(data, lookback_days=lookback, timezone="UTC")
    w = walks(j)
    for model in RULES:  # each converted journey's credit sums to 1
        per_journey = np.bincount(w.journey, rule_shares(w, model))
        np.testing.assert_allclose(per_journey, 1.0)
    credit = attribute(j, models=[m for m in MODELS if m != "markov_3"])
    totals = credit.groupby("model")[["conversions", "revenue"]].sum()
    converted = j[j["step"] == 0]
    np.testing.assert_allclose(totals["conversions"], converted["converted"].sum())
    np.testing.assert_allclose(
        totals["revenue"], converted["value"].sum(), rtol=1e-9, atol=1e-6
    )
    assert (credit.loc[credit["model"] != "shapley", "conversions"] > -1e-9).all()


def test_path_table_from_journeys(small):
    j = journeys(small, lookback_days=None, timezone="UTC")
    table = path_table(j)
    assert table.to_dict("list") == {
        "path": [NO_TOUCH, "email > social", "search > email > direct", "social"],
        "conversions": [1.0, 1.0, 1.0, 0.0],
        "value": [500.0, 200.0, 1000.0, 0.0],
        "nulls": [0.0, 0.0, 0.0, 1.0],
    }
    by_campaign = path_table(j, by="campaign")
    assert "search/s1 > email/e1 > direct/" in by_campaign["path"].tolist()


def test_path_table_gives_the_journeys_credit():
    data = load("leadkpi.yaml")
    j = journeys(data)
    models = ["first_touch", "last_touch", "linear", "position", "markov_2", "shapley"]
    from_journeys = attribute(j, models=models)
    from_paths = attribute(path_table(j), models=models)
    pd.testing.assert_frame_equal(
        from_journeys.sort_values(["model", "channel"]).reset_index(drop=True),
        from_paths.sort_values(["model", "channel"]).reset_index(drop=True),
        check_exact=False,
        rtol=1e-9,
        check_dtype=False,
    )


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"path": ["a", "b"], "conversions": [1, -2], "nulls": [0, 3]},
         r"row 1 \('b'\): conversions = -2 is not a count"),
        ({"path": ["a > b"], "conversions": [3], "journeys": [2]},
         r"row 0 \('a > b'\): conversions = 3 is above journeys = 2"),
        ({"path": ["a", " "], "conversions": [1, 1], "nulls": [0, 0]},
         r"row 1 \(' '\): path = ' ' is empty"),
        ({"path": ["a"], "conversions": [1]}, "needs columns path, conversions"),
        ({"path": ["a"], "conversions": [1], "nulls": [1], "value": ["x"]},
         r"row 0 \('a'\): value = 'x' is not a number"),
    ],
)
def test_path_table_refused(table, message):
    with pytest.raises(ArgumentError, match=message):
        check_path_table(pd.DataFrame(table))


def test_path_table_needs_times_for_timed_models():
    table = pd.DataFrame({"path": ["a > b"], "conversions": [1], "nulls": [1]})
    assert attribute(table)["model"].nunique() == 7
    with pytest.raises(ArgumentError, match=r"\['time_decay'\] need touch times"):
        attribute(table, models=["linear", "time_decay"])
    with pytest.raises(ArgumentError, match="unknown attribution model"):
        attribute(table, models="markov")


def test_attribution_kpis_by_hand(small):
    spend = pd.DataFrame(
        {
            "date": ["2025-03-01", "2025-03-02", "2025-02-01"],
            "channel": ["search", "email", "search"],
            "campaign": ["s1", "e1", "s1"],
            "cost": [300.0, 100.0, 999.0],
        }
    )
    data = _data(
        [
            ("a", 1, "search", "s1"),
            ("a", 3, "email", "e1"),
            ("b", 2, "email", "e1"),
        ],
        [("a", 3, None, 6, 1000.0), ("b", 2, None, None, None)],
        spend=spend,
    )
    kpis = attribution_kpis(data, models="first_touch", start="2025-03",
                            end="2025-03", lookback_days=None)
    row = kpis.set_index("channel")
    # leads: a's journey to creation (day 3) is search > email → search;
    # b's is email. Customers: a → search.
    assert row.loc["search", ["spend", "leads", "customers", "revenue"]].tolist() == [
        300.0, 1.0, 1.0, 1000.0
    ]
    assert row.loc["search", ["cpl", "cac", "roas", "roi"]].tolist() == [
        300.0, 300.0, 1000 / 300, 700 / 300
    ]
    assert row.loc["email", "cpl"] == 100.0
    assert np.isnan(row.loc["email", "cac"])  # no customer credited: NaN, not inf


def test_sample_runs_every_model_by_campaign():
    data = load("leadkpi.yaml")
    j = journeys(data, start="2026-01", end="2026-10")
    credit = attribute(j, by="campaign", models=[m for m in MODELS if m != "shapley"])
    assert list(credit.columns[:3]) == ["model", "channel", "campaign"]
    sums = credit.groupby("model")["conversions"].sum()
    np.testing.assert_allclose(sums, j.loc[j["step"] == 0, "converted"].sum())
    with pytest.raises(ArgumentError, match="limited to max_channels=15"):
        attribute(j, by="campaign", models="shapley")


def test_missing_and_empty_campaign_are_one_name():
    data = _data(
        [("a", 1, "email", ""), ("a", 2, "email", None), ("b", 3, "search", "s")],
        [("a", 1, None, 4, 10.0), ("b", 1, None, None, None)],
    )
    j = journeys(data, lookback_days=None, timezone="UTC")
    assert j["campaign"].astype(str).tolist() == ["", "", "s"]
    assert path_table(j, by="campaign")["path"].tolist() == [
        "email/ > email/", "search/s"
    ]


def test_path_table_of_no_journey():
    data = _data([("a", 1, "email", "")], [("a", 1, None, None, None)])
    table = path_table(journeys(data, start="2026-01", timezone="UTC"))
    assert table.empty
    assert table.dtypes.astype(str).tolist() == ["str", "float64", "float64", "float64"]
