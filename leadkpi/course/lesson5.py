"""Lesson 5 — speed to lead and lead scoring.

Response-time buckets and their conversion on a mature cohort, the share of leads
answered within the SLA (never-contacted leads count in the denominator), then a
scorecard the learner writes as data (:data:`SCORECARD`) scored with
:func:`leadkpi.score` and judged on the latest leads with
:func:`leadkpi.scoring.evaluate`, next to the predictive model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadkpi.course.exercise import Exercise, Mistake
from leadkpi.data import LeadData
from leadkpi.funnel import response_buckets, speed_to_lead
from leadkpi.periods import parse_month
from leadkpi.scoring import Evaluation, evaluate, lead_features, score, split

__all__ = [
    "EXERCISES",
    "SCORECARD",
    "COHORT",
    "SLA_MONTHS",
    "MQL_MONTH",
    "bucket_value",
    "sla_rate",
    "mqls",
    "scorecard_evaluation",
]

#: The learner's scorecard, as the lesson asks them to write it.
SCORECARD: dict = {
    "threshold": 30,
    "rules": [
        {
            "name": "decision_maker",
            "column": "job_title",
            "values": [
                "CEO",
                "Founder",
                "Managing Director",
                "Head of Sales",
                "Sales Director",
                "Marketing Director",
            ],
            "points": 20,
        },
        {
            "name": "mid_market",
            "column": "company_size",
            "values": ["51-200", "201-1000", "1000+"],
            "points": 15,
        },
        {
            "name": "demo_page",
            "column": "landing_page",
            "contains": "/demo",
            "points": 10,
        },
        {"name": "webinar", "touch": "webinar", "points": 10, "max_points": 20},
        {
            "name": "student",
            "column": "job_title",
            "values": ["Student"],
            "points": -30,
        },
    ],
}
#: Leads whose outcome is known: the response-bucket exercise's cohort.
COHORT = ("2025-01", "2025-12")
#: Months of the SLA exercise.
SLA_MONTHS = ("2026-01", "2026-10")
#: Month of the MQL count exercise.
MQL_MONTH = "2026-10"


def bucket_value(data: LeadData, column: str, bucket: str = "under_5m") -> float:
    """A column of :func:`~leadkpi.response_buckets` for one bucket of
    :data:`COHORT`."""
    start, end = COHORT
    table = response_buckets(data, start=start, end=end).set_index("bucket")
    return float(table.loc[bucket, column])


def sla_rate(data: LeadData, *, of_contacted: bool = False) -> float:
    """Share of the leads of :data:`SLA_MONTHS` first answered within the SLA
    (``of_contacted``: the slip of dividing by the contacted leads only)."""
    start, end = SLA_MONTHS
    row = speed_to_lead(data, start=start, end=end).iloc[0]
    if of_contacted:
        return float(row["within_sla"] / row["contacted"])
    return float(row["within_sla_rate"])


def mqls(data: LeadData, *, strict: bool = False) -> int:
    """Leads created in :data:`MQL_MONTH` that :data:`SCORECARD` makes MQLs
    (``strict``: the slip of a score above, not at or above, the threshold)."""
    scores = score(data, SCORECARD)
    month = parse_month(MQL_MONTH)
    created = pd.to_datetime(data.leads["created_at"])
    inside = (created.dt.tz_localize(None).dt.to_period("M") == month).to_numpy()
    if strict:
        return int((scores["score"].to_numpy()[inside] > SCORECARD["threshold"]).sum())
    return int(scores["mql"].to_numpy()[inside].sum())


def scorecard_evaluation(data: LeadData) -> Evaluation:
    """:data:`SCORECARD` judged on the latest 30 % of the leads whose outcome is
    known (customer within 180 days), as :func:`leadkpi.scoring.compare_scores`
    judges it."""
    _, test = split(lead_features(data))
    points = score(data, SCORECARD).set_index("lead_id")["score"]
    given = points.reindex(test.lead_id).to_numpy(dtype="float64")
    return evaluate(test.y, np.nan_to_num(given, nan=0.0))


def _top_decile(data: LeadData, column: str) -> float:
    return float(scorecard_evaluation(data).gains[column].iloc[0])


EXERCISES: tuple[Exercise, ...] = (
    # conversion of the leads answered within five minutes, 2025 cohort
    Exercise(
        "5.1",
        "fraction",
        lambda data: bucket_value(data, "conversion_rate"),
        mistakes=(Mistake(lambda data: bucket_value(data, "share"), "share_not_rate"),),
    ),
    # share of the 2026 leads answered within the 4-hour SLA
    Exercise(
        "5.2",
        "fraction",
        sla_rate,
        mistakes=(
            Mistake(
                lambda data: sla_rate(data, of_contacted=True),
                "never_contacted_left_out",
            ),
        ),
    ),
    # MQLs among October 2026's leads under the learner's scorecard
    Exercise(
        "5.3",
        "number",
        mqls,
        tolerance=0.0,
        mistakes=(
            Mistake(lambda data: mqls(data, strict=True), "threshold_inclusive"),
        ),
    ),
    # the scorecard's AUC on the test leads
    Exercise(
        "5.4",
        "number",
        lambda data: scorecard_evaluation(data).auc,
        tolerance=0.01,
    ),
    # the scorecard's top-decile lift on the test leads
    Exercise(
        "5.5",
        "number",
        lambda data: _top_decile(data, "lift"),
        tolerance=0.01,
        mistakes=(
            Mistake(lambda data: _top_decile(data, "cumulative_gain"), "gain_not_lift"),
            Mistake(lambda data: _top_decile(data, "rate"), "rate_not_lift"),
        ),
    ),
)
