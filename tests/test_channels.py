"""Channel grouping: default rules, project rules first, UTM from URLs, fill counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadkpi.channels import (
    CHANNELS,
    ChannelFill,
    derive_channels,
    fill_channels,
    utm_from_url,
)
from leadkpi.exceptions import ConfigError

CASES = [
    # source, medium, expected
    ("google", "cpc", "paid_search"),
    ("Bing", "PPC", "paid_search"),
    ("newsite", "paidsearch", "paid_search"),
    ("facebook", "cpc", "paid_social"),
    ("linkedin", "paid_social", "paid_social"),
    ("google", "organic", "organic_search"),
    ("duckduckgo", "referral", "organic_search"),
    ("linkedin", "social", "organic_social"),
    ("t.co", "referral", "organic_social"),
    ("newsletter", "email", "email"),
    ("g2.com", "referral", "referral"),
    ("(direct)", "(none)", "direct"),
    ("criteo", "display", "display"),
    ("dv360", "cpm", "display"),
    ("livestorm", "webinar", "events"),
    ("saas_summit", "event", "events"),
    ("acme", "fax", "other"),
]


def test_default_rules_hand_checked():
    rows = pd.DataFrame(CASES, columns=["source", "medium", "expected"])
    got = derive_channels(rows)
    assert got.tolist() == rows["expected"].tolist()
    assert set(rows["expected"]) <= set(CHANNELS)


def test_utm_columns_stand_in_for_empty_source_and_medium():
    rows = pd.DataFrame(
        {
            "source": [None, "google", None],
            "medium": [None, None, None],
            "utm_source": ["linkedin", "x", None],
            "utm_medium": ["cpc", "cpc", None],
        }
    )
    # row 1: source wins over utm_source, medium falls back to utm_medium
    assert derive_channels(rows).tolist()[:2] == ["paid_social", "paid_search"]
    assert pd.isna(derive_channels(rows).iloc[2])  # nothing to go on: unknown


def test_project_rules_come_first_and_all_patterns_must_match():
    rows = pd.DataFrame(
        {"source": ["google", "google"], "medium": ["cpc", "cpc"],
         "campaign": ["brand_q1", "generic"]}
    )  # fmt: skip
    rules = [{"source": "google", "campaign": "^brand", "channel": "brand_search"}]
    assert derive_channels(rows, rules).tolist() == ["brand_search", "paid_search"]


@pytest.mark.parametrize(
    "rule",
    [{"medium": "cpc"}, {"channel": "x"}, {"medium": "(", "channel": "x"}],
)
def test_bad_rules_are_config_errors(rule):
    with pytest.raises(ConfigError, match="channel rule 1"):
        derive_channels(pd.DataFrame({"medium": ["cpc"]}), [rule])


def test_utm_from_url_decodes_and_ignores_other_parameters():
    urls = pd.Series(
        [
            "https://a.io/x?utm_source=Google&utm_medium=cpc&utm_campaign=brand%2Fes",
            "https://a.io/x?ref=1&UTM_SOURCE=news+letter#utm_medium=no",
            "https://a.io/x",
            None,
        ],
        index=[10, 11, 12, 13],
    )
    expected = pd.DataFrame(
        {
            "utm_source": ["Google", "news letter", np.nan, np.nan],
            "utm_medium": ["cpc", np.nan, np.nan, np.nan],
            "utm_campaign": ["brand/es", np.nan, np.nan, np.nan],
        },
        dtype=object,
        index=[10, 11, 12, 13],
    )
    pd.testing.assert_frame_equal(utm_from_url(urls), expected)


def test_fill_keeps_explicit_channels_and_counts():
    leads = pd.DataFrame(
        {
            "lead_id": list("abcde"),
            "channel": ["events", None, None, "", None],
            "source": ["google", "google", "acme", None, None],
            "medium": ["cpc", "cpc", "fax", None, None],
            "landing_page": [
                None,
                None,
                None,
                "https://a.io/?utm_source=facebook&utm_medium=paid_social",
                "https://a.io/",
            ],
        }
    )
    before = leads.copy()
    filled, fill = fill_channels(leads)
    assert filled["channel"].tolist()[:4] == [
        "events",
        "paid_search",
        "other",
        "paid_social",
    ]
    assert pd.isna(filled["channel"].iloc[4])
    assert filled["utm_source"].iloc[3] == "facebook"
    assert fill == ChannelFill(
        rows=5, explicit=1, derived=3, other=1, unknown=1, utm_from_url=1
    )
    pd.testing.assert_frame_equal(leads, before)  # the caller's frame is untouched


def test_sample_channels_are_reproduced_by_the_default_rules(sample_config):
    from leadkpi import load

    data = load(sample_config)
    for table in ("leads", "web"):
        frame = getattr(data, table)
        derived = derive_channels(frame.drop(columns="channel"))
        assert derived.tolist() == frame["channel"].tolist()


_text = st.sampled_from(["google", "cpc", "facebook", "", None, "email", "zzz"])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(_text, _text, _text), min_size=1, max_size=20))
def test_derived_channel_depends_on_the_row_only(rows):
    frame = pd.DataFrame(rows, columns=["source", "medium", "utm_source"])
    whole = derive_channels(frame)
    one_by_one = [derive_channels(frame.iloc[[i]]).iloc[0] for i in range(len(frame))]
    assert whole.fillna("?").tolist() == pd.Series(one_by_one).fillna("?").tolist()
    assert whole.dropna().isin(CHANNELS).all()
