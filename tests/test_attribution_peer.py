"""leadkpi's attribution against ChannelAttribution, the reference Markov
implementation, on the same path tables.

ChannelAttribution is GPL-3: it is used here, in the test environment, and never
by leadkpi itself. Its ``markov_model`` is a Monte-Carlo estimate; with 10⁷
simulations it lands within about 1 % of leadkpi's exact absorbing-chain
solution per channel. By default it also stops each simulated walk after as many
steps as the longest observed path, which counts walks that cycle between
channels as lost (5 % off on a channel of this table); ``max_step=100`` lifts
that truncation.
"""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pandas as pd
import pytest

from leadkpi import load
from leadkpi.attribution import attribute, journeys, path_table

ca = pytest.importorskip(
    "ChannelAttribution",
    reason="ChannelAttribution is not installed (pip install ChannelAttribution; "
    "it builds from source with g++): the peer cross-check is skipped",
)


def _quiet(function, *args, **kwargs):
    with contextlib.redirect_stdout(io.StringIO()):
        return function(*args, **kwargs)


def _synthetic_paths(seed: int = 7, n: int = 40_000) -> pd.DataFrame:
    """Journeys drawn from a six-channel chain that converts often, so that a
    Monte-Carlo estimate settles quickly."""
    rng = np.random.default_rng(seed)
    channels = np.array(["ads", "email", "events", "organic", "referral", "social"])
    lengths = rng.integers(1, 6, n)
    touches = rng.choice(len(channels), lengths.sum(), p=[.3, .25, .1, .2, .05, .1])
    owner = np.repeat(np.arange(n), lengths)
    lift = np.array([0.10, 0.15, 0.30, 0.05, 0.20, 0.02])
    rate = 1 - np.exp(-np.bincount(owner, lift[touches], n))
    converted = rng.random(n) < rate
    value = np.where(converted, rng.gamma(2.0, 500.0, n).round(2), 0.0)
    path = pd.Series(channels[touches]).groupby(owner).agg(" > ".join)
    frame = pd.DataFrame(
        {"path": path.to_numpy(), "conversions": converted * 1.0, "value": value}
    )
    frame["nulls"] = 1.0 - frame["conversions"]
    return frame.groupby("path", as_index=False).sum()


def test_heuristics_equal_channelattribution():
    paths = path_table(journeys(load("leadkpi.yaml")))
    theirs = _quiet(
        ca.heuristic_models, paths, "path", "conversions", var_value="value",
        flg_pro=False,
    ).set_index("channel_name")
    ours = attribute(paths, models=["first_touch", "last_touch", "linear"])
    assert len(ours) == 3 * len(theirs)
    for model, prefix in (
        ("first_touch", "first_touch"),
        ("last_touch", "last_touch"),
        ("linear", "linear_touch"),
    ):
        mine = ours[ours["model"] == model].set_index("channel")
        their = theirs.reindex(mine.index)
        np.testing.assert_allclose(
            mine["conversions"], their[f"{prefix}_conversions"], atol=1e-9
        )
        np.testing.assert_allclose(
            mine["revenue"], their[f"{prefix}_value"], rtol=1e-9
        )


def test_exact_markov_within_channelattribution_sampling():
    paths = _synthetic_paths()
    theirs = _quiet(
        ca.markov_model, paths, "path", "conversions", var_value="value",
        var_null="nulls", nsim_start=1e7, max_step=100, verbose=False, flg_pro=False,
    ).set_index("channel_name")
    mine = attribute(paths, models="markov_1").set_index("channel")
    their = theirs.reindex(mine.index)["total_conversions"]
    held = mine["share"] >= 0.01
    assert held.all()
    relative = (mine["conversions"] / their - 1).abs()
    assert relative.max() < 0.015, relative.to_dict()
