"""Lesson 3 — retention, churn and LTV, and LTV against CAC.

The worked examples are the catalogue's: 50 customers at the start of a quarter of
whom 20 are still active at its end (churn 60 %, retention 40 %; the source prints
67 %), the same quarter with new customers won in it (start − end understates
churn), and a 20 € monthly subscription renewed 12 times a year for 3 years
(LTV 720 €). Two exercises are on the sample company: its realised first-year LTV
and its LTV:CAC, all channels together.
"""

from __future__ import annotations

from leadkpi.course.exercise import Exercise, Mistake
from leadkpi.data import LeadData
from leadkpi.retention.ltv import ltv_table

#: Exercises 3.1–3.3: a quarter's customers, worked by hand.
AT_START, STILL_ACTIVE, WON_IN_QUARTER = 50, 20, 15


def _total(data: LeadData, column: str) -> float:
    return float(ltv_table(data, by=())[column].iloc[0])


def realised_ltv(data: LeadData) -> float:
    """Realised revenue per customer in its first 12 months, all channels."""
    return _total(data, "ltv_empirical")


def formula_ltv(data: LeadData) -> float:
    """The formula LTV (ARPA × capped 1 / churn), all channels."""
    return _total(data, "ltv_formula")


def ltv_to_cac(data: LeadData, which: str = "empirical") -> float:
    """LTV:CAC of all channels, on the realised (or the ``formula``) LTV."""
    return _total(data, f"ltv_to_cac_{which}")


_lost = AT_START - STILL_ACTIVE

EXERCISES: tuple[Exercise, ...] = (
    # churn of the quarter: 30 lost of the 50 at the start
    Exercise(
        "3.1",
        "fraction",
        _lost / AT_START,
        mistakes=(
            Mistake(STILL_ACTIVE / AT_START, "retention_not_churn"),
            Mistake((STILL_ACTIVE - AT_START) / AT_START, "end_minus_start"),
        ),
    ),
    # retention of the same quarter; the source's 67 % is a slip
    Exercise(
        "3.2",
        "fraction",
        STILL_ACTIVE / AT_START,
        mistakes=(
            Mistake(_lost / AT_START, "churn_not_retention"),
            Mistake(0.67, "retention_67"),
        ),
        tolerance=0.01,
    ),
    # the same quarter with 15 customers won in it: 35 active at the end
    Exercise(
        "3.3",
        "fraction",
        _lost / AT_START,
        mistakes=(
            Mistake(
                (AT_START - (STILL_ACTIVE + WON_IN_QUARTER)) / AT_START,
                "start_minus_end",
            ),
            Mistake(STILL_ACTIVE / AT_START, "retention_not_churn"),
        ),
    ),
    # a 20 € monthly subscription, 12 renewals a year, 3 years
    Exercise(
        "3.4",
        "number",
        20 * 12 * 3,
        mistakes=(Mistake(20 * 12, "ltv_one_period"),),
    ),
    # the sample's realised first-year LTV, all channels
    Exercise(
        "3.5",
        "number",
        realised_ltv,
        mistakes=(Mistake(formula_ltv, "formula_ltv_explodes"),),
    ),
    # LTV:CAC of all channels, on the realised LTV
    Exercise(
        "3.6",
        "number",
        ltv_to_cac,
        mistakes=(
            Mistake(lambda data: ltv_to_cac(data, "formula"), "formula_ltv_explodes"),
        ),
    ),
)
