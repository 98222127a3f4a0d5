"""Markov removal effect and Shapley value: small chains and games solved by hand,
an independent dense solution, and the Shapley closed form."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadkpi.attribution import attribute
from leadkpi.attribution.markov import markov_credit
from leadkpi.attribution.shapley import shapley_credit, shapley_values
from leadkpi.attribution.walks import walks
from leadkpi.exceptions import ArgumentError


def _table(rows: list[tuple[str, float, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["path", "conversions", "value", "nulls"])


def _credit(table: pd.DataFrame, model: str) -> dict[str, float]:
    credit = attribute(table, models=model)
    return dict(zip(credit["channel"], credit["conversions"].round(12), strict=True))


def test_markov_first_order_by_hand():
    # start→a 1/2, start→b 1/2; a→b 1/2, a→null 1/2; b→conv 2/3, b→null 1/3.
    # P(conv) = 1/2·1/2·2/3 + 1/2·2/3 = 1/2. Without a: 1/2·2/3 = 1/3, so
    # RE_a = 1/3; without b: 0, RE_b = 1. Two conversions split 1/3 : 1.
    table = _table([("a > b", 1, 10, 0), ("a", 0, 0, 1), ("b", 1, 30, 1)])
    conv, value, details = markov_credit(walks(table))
    assert details["conversion_probability"] == pytest.approx(0.5)
    np.testing.assert_allclose(details["removal_effect"], [1 / 3, 1.0])
    np.testing.assert_allclose(conv, [0.5, 1.5])
    # value: a first-order chain pools what b's conversions are worth: 40 over
    # the 3 transitions out of b. From start 1/2·1/2·40/3 + 1/2·40/3 = 10;
    # without a 20/3, RE = 1/3; without b 0. 40 split 1/3 : 1.
    np.testing.assert_allclose(details["removal_effect_value"], [1 / 3, 1.0])
    np.testing.assert_allclose(value, [10.0, 30.0])


def test_markov_self_loops_change_nothing_at_first_order():
    plain = _table([("a > b", 1, 10, 0), ("a", 0, 0, 1), ("b", 1, 30, 1)])
    looped = _table([("a > b", 1, 10, 0), ("a", 0, 0, 1), ("b > b", 1, 30, 1)])
    assert _credit(plain, "markov_1") == _credit(looped, "markov_1")


def test_markov_second_order_by_hand():
    # a > b converts, c > b does not. First order: b is reached from a and c
    # alike, RE_a = RE_c = 1/2, RE_b = 1 → 1/4, 1/4, 1/2. Second order: state
    # (a, b) always converts and (c, b) never, so RE_c = 0: a and b get 1/2 each.
    table = _table([("a > b", 1, 1, 0), ("c > b", 0, 0, 1)])
    assert _credit(table, "markov_1") == {"a": 0.25, "b": 0.5, "c": 0.25}
    assert _credit(table, "markov_2") == {"a": 0.5, "b": 0.5, "c": 0.0}
    assert _credit(table, "markov_3") == {"a": 0.5, "b": 0.5, "c": 0.0}


def _dense_removal(table: pd.DataFrame) -> dict[str, float]:
    """Removal effects from a dense fundamental matrix, built path by path."""
    channels = sorted({c.strip() for p in table["path"] for c in p.split(">")})
    index = {c: i for i, c in enumerate(channels)}
    n = len(channels)
    start, conv, null = n, n + 1, n + 2
    counts = np.zeros((n + 3, n + 3))
    for path, c, _, nulls in table.itertuples(index=False):
        steps = [start] + [index[s.strip()] for s in path.split(">")]
        for a, b in itertools.pairwise(steps):
            counts[a, b] += c + nulls
        counts[steps[-1], conv] += c
        counts[steps[-1], null] += nulls
    probs = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1e-300)

    def p_conv(removed: int | None) -> float:
        alive = [i for i in range(n + 1) if i != removed]
        q = probs[np.ix_(alive, alive)]
        x = np.linalg.solve(np.eye(len(alive)) - q, probs[alive, conv])
        return x[-1]

    base = p_conv(None)
    return {c: 1 - p_conv(i) / base for c, i in index.items()}


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from("abcde"), min_size=1, max_size=5),
            st.integers(0, 5),
            st.integers(0, 5),
        ),
        min_size=1,
        max_size=15,
    ).filter(lambda rows: any(c for _, c, _ in rows))
)
def test_markov_matches_a_dense_solution(rows):
    table = _table([(" > ".join(p), c, 0.0, n) for p, c, n in rows])
    table = table[table["conversions"] + table["nulls"] > 0]
    conv, _, details = markov_credit(walks(table))
    expected = _dense_removal(table)
    labels = walks(table).labels["channel"].tolist()
    np.testing.assert_allclose(
        details["removal_effect"], [expected[c] for c in labels], atol=1e-10
    )
    assert conv.sum() == pytest.approx(table["conversions"].sum())


def test_markov_order_refused():
    with pytest.raises(ArgumentError, match="orders 1 to 3"):
        markov_credit(walks(_table([("a", 1, 0, 0)])), order=4)


def test_shapley_values_of_a_known_game():
    # glove game: player 0 holds a left glove, 1 and 2 right gloves; a pair is
    # worth 1. Shapley: 2/3, 1/6, 1/6.
    worth = np.zeros(8)
    for mask in range(8):
        worth[mask] = float(bool(mask & 1) and bool(mask & 6))
    np.testing.assert_allclose(shapley_values(worth, 3), [2 / 3, 1 / 6, 1 / 6])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from("abcdefg"), min_size=1, max_size=6),
            st.integers(0, 9),
            st.floats(0, 1e4),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_shapley_conversions_game_closed_form(rows):
    # Zhao et al. (2018): with v(S) = conversions of the journeys inside S, each
    # conversion is split equally among the distinct channels of its journey.
    table = _table([(" > ".join(p), c, v, 1.0) for p, c, v in rows])
    conv, value = shapley_credit(walks(table))
    labels = walks(table).labels["channel"].tolist()
    expected_conv, expected_value = dict.fromkeys(labels, 0.0), dict.fromkeys(
        labels, 0.0
    )
    for path, c, v in rows:
        distinct = set(path)
        for ch in distinct:
            expected_conv[ch] += c / len(distinct)
            expected_value[ch] += v / len(distinct)
    np.testing.assert_allclose(conv, [expected_conv[c] for c in labels], atol=1e-9)
    np.testing.assert_allclose(
        value, [expected_value[c] for c in labels], rtol=1e-9, atol=1e-6
    )


def test_shapley_rate_game_by_hand():
    # v(a) = 2/10, v(b) = 1/10, v(ab) = 9/30: φa = (0.2 + 0.3 − 0.1)/2 = 0.2,
    # φb = 0.1, scaled to the 9 conversions: 6 and 3.
    table = _table([("a", 2, 0, 8), ("b", 1, 0, 9), ("a > b > a", 6, 0, 4)])
    conv, _ = shapley_credit(walks(table), game="rate")
    np.testing.assert_allclose(conv, [6.0, 3.0])


def test_shapley_exact_against_permutations():
    # the coalition sum equals the average marginal contribution over all 4!
    # orders of arrival
    rng = np.random.default_rng(3)
    worth = np.r_[0.0, rng.random(15)]
    phi = shapley_values(worth, 4)
    orders = list(itertools.permutations(range(4)))
    expected = np.zeros(4)
    for order in orders:
        mask = 0
        for player in order:
            expected[player] += worth[mask | 1 << player] - worth[mask]
            mask |= 1 << player
    np.testing.assert_allclose(phi, expected / math.factorial(4))


def test_shapley_limits():
    table = _table([(" > ".join("abcdefghijklmnop"), 1, 0, 0)])
    with pytest.raises(ArgumentError, match="16 channels .* max_channels=15"):
        shapley_credit(walks(table))
    conv, _ = shapley_credit(walks(table), max_channels=16)
    np.testing.assert_allclose(conv, 1 / 16)
    with pytest.raises(ArgumentError, match="game='gain'"):
        shapley_credit(walks(table), game="gain")
