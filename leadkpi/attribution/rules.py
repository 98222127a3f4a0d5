"""Rule-based attribution: each touch's share of its journey's credit.

Every rule returns one share per touch; the shares of a journey sum to 1, so a
converted journey hands out exactly one conversion and its whole value. Repeated
channels are separate touches: a journey ``email > email > search`` under the
linear rule gives email 2/3 and search 1/3.
"""

from __future__ import annotations

import numpy as np

from leadkpi.attribution.walks import Walks
from leadkpi.exceptions import ArgumentError

__all__ = [
    "RULES",
    "DEFAULT_POSITION_WEIGHTS",
    "DEFAULT_W_WEIGHTS",
    "DEFAULT_HALF_LIFE_DAYS",
    "rule_shares",
]

#: U-shaped model: share of the first and of the last touch; the rest is spread
#: evenly over the touches between (40 / 20 / 40).
DEFAULT_POSITION_WEIGHTS = (0.4, 0.4)
#: W-shaped model: shares of the first touch, the lead-creation touch and the
#: opportunity-creation touch; the rest (10 %) is spread over the other touches.
DEFAULT_W_WEIGHTS = (0.3, 0.3, 0.3)
#: Time-decay model: a touch this many days before the end counts half as much.
DEFAULT_HALF_LIFE_DAYS = 7.0


def _per_journey(w: Walks, values: np.ndarray) -> np.ndarray:
    return np.bincount(w.journey, weights=values, minlength=len(w.conversions))


def _normalised(w: Walks, weights: np.ndarray) -> np.ndarray:
    return weights / _per_journey(w, weights)[w.journey]


def _first(w: Walks) -> np.ndarray:
    return (w.step == 0).astype(float)


def _last(w: Walks) -> np.ndarray:
    return w.is_last.astype(float)


def _last_non_direct(w: Walks) -> np.ndarray:
    """The last touch that is not ``direct``; the last touch when all are."""
    position = np.where(w.direct, -1, w.step)
    last = np.full(len(w.conversions), -1)
    np.maximum.at(last, w.journey, position)
    last = np.where(last < 0, np.bincount(w.journey) - 1, last)
    return (w.step == last[w.journey]).astype(float)


def _linear(w: Walks) -> np.ndarray:
    return 1.0 / w.steps


def _time_decay(w: Walks, half_life_days: float) -> np.ndarray:
    if w.days_before is None:
        raise ArgumentError("time_decay needs touch times: a journeys frame, not a "
                            "path table")
    if not half_life_days > 0:
        raise ArgumentError(
            f"half_life_days must be a positive number, not {half_life_days!r}"
        )
    return _normalised(w, np.exp2(-w.days_before / half_life_days))


def _position(w: Walks, weights: tuple[float, float]) -> np.ndarray:
    first, last = weights
    if min(first, last) < 0 or first + last > 1:
        raise ArgumentError(
            f"position_weights={weights!r}: first and last shares must be ≥ 0 and "
            "sum to at most 1"
        )
    if first + last == 0:
        return _linear(w)
    steps = w.steps
    middle = (1.0 - first - last) / np.maximum(steps - 2, 1)
    share = np.where(w.step == 0, first, np.where(w.is_last, last, middle))
    # one touch takes everything; two split in the ratio first:last (40/40 → 50/50)
    share = np.where(steps == 2, share / (first + last), share)
    return np.where(steps == 1, 1.0, share)


def _w_shaped(w: Walks, weights: tuple[float, float, float]) -> np.ndarray:
    """First, lead-creation and opportunity-creation touches take their shares
    (added up when one touch plays two roles); the rest is spread evenly over the
    other touches. A role missing from a journey (no opportunity before the
    conversion) or a journey without other touches hands its share back: the
    journey's shares are rescaled to sum to 1."""
    if w.lead_creation is None:
        raise ArgumentError("w_shaped needs lead and opportunity dates: a journeys "
                            "frame, not a path table")
    if min(weights) < 0 or sum(weights) > 1:
        raise ArgumentError(
            f"w_weights={weights!r}: shares must be ≥ 0 and sum to at most 1"
        )
    first, lead, opp = weights
    key = (
        first * (w.step == 0)
        + lead * w.lead_creation
        + opp * w.opportunity_creation
    )
    other = (key == 0).astype(float)
    others = _per_journey(w, other)[w.journey]
    spread = np.where(others > 0, (1.0 - sum(weights)) / np.maximum(others, 1), 0.0)
    return _normalised(w, key + other * spread)


#: Rule id → function of (walks, settings) giving each touch's share.
RULES = {
    "first_touch": lambda w, s: _first(w),
    "last_touch": lambda w, s: _last(w),
    "last_non_direct": lambda w, s: _last_non_direct(w),
    "linear": lambda w, s: _linear(w),
    "time_decay": lambda w, s: _time_decay(w, s["half_life_days"]),
    "position": lambda w, s: _position(w, s["position_weights"]),
    "w_shaped": lambda w, s: _w_shaped(w, s["w_weights"]),
}


def rule_shares(
    w: Walks,
    model: str,
    *,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    position_weights: tuple[float, float] = DEFAULT_POSITION_WEIGHTS,
    w_weights: tuple[float, float, float] = DEFAULT_W_WEIGHTS,
) -> np.ndarray:
    """Each touch's share of its journey's credit under rule ``model``."""
    settings = {
        "half_life_days": half_life_days,
        "position_weights": tuple(position_weights),
        "w_weights": tuple(w_weights),
    }
    return RULES[model](w, settings)
