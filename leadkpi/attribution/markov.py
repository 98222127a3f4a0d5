"""Markov-chain attribution by removal effect, solved exactly as an absorbing chain.

Method
------
The journeys are read as walks through a chain: ``start`` → touch states →
``conversion`` or ``null`` (the journey ended without converting). Each
transition's probability is its count over the count of all transitions leaving
the same state (a converted journey weighs its conversions, a path of a path
table its counts). With an order ``k`` > 1 a state is the last ``k`` touches
(shorter at the start of a journey), so the chain remembers where a journey came
from.

The conversion probability from ``start`` is the absorption probability of the
chain in ``conversion``: with ``Q`` the transitions among transient states and
``r`` the probabilities of stepping into ``conversion``, ``x = (I - Q)⁻¹ r`` and
the answer is ``x[start]``. leadkpi solves that sparse linear system
(:func:`scipy.sparse.linalg.splu`), never by simulation, so the result is exact
and the same at every run. The removal effect of channel ``c`` is
``1 - x_without_c[start] / x[start]``, where ``x_without_c`` is solved with every
state that contains ``c`` turned into ``null``. Value uses the same chain with
each step into ``conversion`` weighted by the journey's value.

How credit is split
-------------------
Total conversions (and value) are split over channels in proportion to their
removal effects: ``credit_c = RE_c / Σ RE × total`` (ChannelAttribution's rule).
The alternative, splitting each journey's conversion among its own channels in
proportion to their removal effects, lets a channel's credit depend on which
other channels its journeys happened to hold; leadkpi uses the first rule,
which is what removal effects measure (the conversions lost without the
channel), and which makes totals equal the observed totals.

Repeated channels: with order 1 a repeat is a self-loop, which does not change
any absorption probability; with higher orders repeats are kept as they
happened (``a > a > b`` passes through state ``(a, a)``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from leadkpi.attribution.walks import Walks
from leadkpi.exceptions import ArgumentError

if TYPE_CHECKING:
    from scipy import sparse

__all__ = ["markov_credit", "MAX_ORDER"]

MAX_ORDER = 3


def _states(w: Walks, order: int) -> tuple[np.ndarray, np.ndarray]:
    """State code per touch and, per state, which channels it contains."""
    n = len(w.labels)
    base = n + 1
    key = w.state + 1
    for lag in range(1, order):
        shifted = np.zeros_like(w.state)
        ok = w.step >= lag
        shifted[lag:] = w.state[:-lag] + 1
        key = key + np.where(ok, shifted, 0) * base**lag
    codes, uniques = pd.factorize(key, sort=True)
    contains = np.zeros((len(uniques), n), dtype=bool)
    rest = uniques.copy()
    for _ in range(order):
        digit = rest % base
        has = digit > 0
        contains[np.flatnonzero(has), digit[has] - 1] = True
        rest = rest // base
    return codes.astype(np.int64), contains


def _chain(
    w: Walks, state: np.ndarray, m: int
) -> tuple[sparse.csc_matrix, np.ndarray, np.ndarray]:
    """Q among transient states (m touch states + start = index m), and the
    probabilities of stepping into conversion, plain and value-weighted."""
    # scipy.sparse is imported when a Markov model first runs: importing leadkpi
    # (and every analysis without this model) stays quick
    from scipy import sparse

    weight = (w.conversions + w.nulls)[w.journey]
    last = w.is_last
    first = w.step == 0
    source = np.concatenate([np.full(first.sum(), m), state[~last]])
    target = np.concatenate([state[first], state[1:][~last[:-1]]])
    flow = np.concatenate([weight[first], weight[~last]])
    out = np.bincount(source, flow, m + 1)
    out += np.bincount(state[last], weight[last], m + 1)  # into conversion or null
    conv = np.bincount(state[last], w.conversions[w.journey[last]], m + 1)
    value = np.bincount(state[last], w.value[w.journey[last]], m + 1)
    safe = np.where(out > 0, out, 1.0)
    q = sparse.csc_matrix((flow / safe[source], (source, target)), shape=(m + 1, m + 1))
    return q, conv / safe, value / safe


def _absorbed(q: sparse.csc_matrix, rhs: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """x[start] for each right-hand side, with only the ``keep`` states alive."""
    from scipy import sparse
    from scipy.sparse.linalg import splu

    sub = q[keep][:, keep]
    system = sparse.identity(sub.shape[0], format="csc") - sub
    solved = splu(system.tocsc()).solve(np.ascontiguousarray(rhs[keep]))
    return solved[-1]  # start is the last state kept


def markov_credit(w: Walks, order: int = 1) -> tuple[np.ndarray, np.ndarray, dict]:
    """Conversions and value credited to each channel (state label) by removal
    effect, with the removal effects and conversion probabilities.

    Returns
    -------
    conversions, value : numpy.ndarray
        One entry per label of ``w``; they sum to the observed totals.
    details : dict
        ``removal_effect``, ``removal_effect_value`` (arrays per label) and
        ``conversion_probability`` (from start, all channels present).
    """
    if order not in range(1, MAX_ORDER + 1):
        raise ArgumentError(
            f"order={order!r}: Markov attribution supports orders 1 to {MAX_ORDER}"
        )
    n = len(w.labels)
    state, contains = _states(w, order)
    m = len(contains)
    q, conv, value = _chain(w, state, m)
    rhs = np.column_stack([conv, value])
    alive = np.ones(m + 1, dtype=bool)
    base = _absorbed(q, rhs, alive)
    effects = np.zeros((n, 2))
    for channel in range(n):  # one solve per channel, not per row
        alive[:m] = ~contains[:, channel]
        without = _absorbed(q, rhs, alive)
        with np.errstate(invalid="ignore", divide="ignore"):
            effects[channel] = np.where(base > 0, 1.0 - without / base, 0.0)
    totals = np.array([w.conversions.sum(), w.value.sum()])
    sums = effects.sum(axis=0)
    credit = np.where(sums > 0, effects / np.where(sums > 0, sums, 1.0), 0.0) * totals
    details = {
        "removal_effect": effects[:, 0],
        "removal_effect_value": effects[:, 1],
        "conversion_probability": float(base[0]),
    }
    return credit[:, 0], credit[:, 1], details
