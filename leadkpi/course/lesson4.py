"""Lesson 4 — attribution: who gets the credit when a lead touched several channels.

Four converted journeys are worked by hand under first touch, last touch, linear and
position-based (40 / 20 / 40) credit; :data:`HAND_PATHS` is the same set as the path
table leadkpi's :func:`~leadkpi.attribution.attribute` reads, so the lesson checks
the hand sums with it. Then the models side by side on the sample company, where the
choice of model moves a channel's CAC several-fold.
"""

from __future__ import annotations

import pandas as pd

from leadkpi.attribution import attribution_kpis
from leadkpi.channels import CHANNELS
from leadkpi.course.exercise import Exercise, Mistake
from leadkpi.data import LeadData

__all__ = [
    "EXERCISES",
    "HAND_PATHS",
    "MODELS",
    "START",
    "END",
    "sample_credit",
    "channel_cac",
    "biggest_gain",
]

#: The lesson's four journeys, each converted once, as a path table.
HAND_PATHS: dict[str, list] = {
    "path": [
        "paid_search > email > direct",
        "paid_social > paid_search",
        "email",
        "paid_social > email > email > paid_search",
    ],
    "conversions": [1, 1, 1, 1],
    "nulls": [0, 0, 0, 0],
}
#: The rule-based models the lesson compares.
MODELS = ("first_touch", "last_touch", "linear", "position")
#: Months of the customers the sample exercises credit.
START, END = "2026-01", "2026-10"


def sample_credit(data: LeadData) -> pd.DataFrame:
    """Leads, customers, spend and cost KPIs per channel under :data:`MODELS`,
    for the customers won from :data:`START` to :data:`END`."""
    return attribution_kpis(data, models=MODELS, start=START, end=END)


def channel_cac(data: LeadData, model: str, channel: str = "paid_social") -> float:
    """A channel's CAC over the lesson's months under one model."""
    table = sample_credit(data)
    row = table[(table["model"] == model) & (table["channel"] == channel)]
    return float(row["cac"].iloc[0])


def biggest_gain(data: LeadData, *, towards: str = "first_touch") -> str:
    """The channel that gains the most customers moving from last to first touch
    (``towards="last_touch"``: from first to last)."""
    wide = sample_credit(data).pivot(
        index="channel", columns="model", values="customers"
    )
    away = "last_touch" if towards == "first_touch" else "first_touch"
    return str((wide[towards] - wide[away]).idxmax())


EXERCISES: tuple[Exercise, ...] = (
    # paid_search under last touch: journeys 2 and 4 end on it
    Exercise("4.1", "number", 2.0, mistakes=(Mistake(1.0, "first_not_last"),)),
    # email under linear: 1/3 (journey 1) + 1 (journey 3) + 2/4 (journey 4)
    Exercise(
        "4.2",
        "number",
        1 / 3 + 1 + 2 / 4,
        mistakes=(
            Mistake(1 / 3 + 1 + 1 / 3, "repeated_touch_merged"),
            Mistake(3.0, "credit_not_split"),
        ),
    ),
    # paid_search under position-based: 0.4 + 0.5 (two touches split evenly) + 0.4
    Exercise(
        "4.3",
        "number",
        0.4 + 0.5 + 0.4,
        mistakes=(
            Mistake(0.4 + 0.4 + 0.4, "two_touch_position"),
            Mistake(1 / 3 + 1 / 2 + 1 / 4, "linear_not_position"),
        ),
    ),
    # the model that gives direct the most credit
    Exercise(
        "4.4",
        "choice",
        "last_touch",
        choices=MODELS,
        mistakes=(Mistake("position", "direct_closes"),),
    ),
    # the sample: paid social's CAC under linear credit
    Exercise(
        "4.5",
        "number",
        lambda data: channel_cac(data, "linear"),
        mistakes=(
            Mistake(lambda data: channel_cac(data, "last_touch"), "other_model"),
            Mistake(lambda data: channel_cac(data, "first_touch"), "other_model"),
        ),
    ),
    # the sample: the channel first touch favours most over last touch
    Exercise(
        "4.6",
        "choice",
        biggest_gain,
        choices=CHANNELS,
        mistakes=(
            Mistake(
                lambda data: biggest_gain(data, towards="last_touch"),
                "first_last_swapped",
            ),
        ),
    ),
)
