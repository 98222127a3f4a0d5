"""Scorecard against model on the same leads: the whole comparison in one call."""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from leadkpi.data import LeadData
from leadkpi.scoring.evaluate import Evaluation, evaluate, stack
from leadkpi.scoring.features import LeadSet, lead_features, split
from leadkpi.scoring.leakage import LeakageWarning
from leadkpi.scoring.scorecard import Scorecard, load_scorecard, score

__all__ = ["Comparison", "compare_scores"]

_MONTH_DAYS = 30.44


@dataclass(frozen=True)
class Comparison:
    """What :func:`compare_scores` found: the sets, the fitted model, the
    scorecard, one :class:`Evaluation` per scorer (``scorecard``, ``model``) on
    the test set, and the features the leakage guard left out."""

    train: LeadSet
    test: LeadSet
    model: Any
    scorecard: Scorecard
    evaluations: dict[str, Evaluation]
    leaky: list[str]
    months: float

    def table(self, name: str) -> pd.DataFrame:
        """One of the evaluations' tables for both scorers (:func:`stack`)."""
        return stack(self.evaluations, name)


def compare_scores(
    data: LeadData,
    *,
    scorecard: Scorecard | Mapping[str, Any] | str | os.PathLike[str] | None = None,
    label: str = "customer",
    within_days: float = 180,
    as_of: pd.Timestamp | str | None = None,
    test_share: float = 0.3,
    capacity: float | None = None,
    leakage_auc: float = 0.95,
) -> Comparison:
    """Fit the model on the older leads and judge it and the scorecard on the
    latest ones (:func:`leadkpi.scoring.split`).

    Features the leakage guard flags (AUC alone above ``leakage_auc``) are left
    out of the model and listed in ``leaky``. ``capacity`` (leads a month) adds
    a threshold recommendation to each evaluation, over the months the test set
    spans.

    Examples
    --------
    >>> import leadkpi
    >>> found = compare_scores(leadkpi.load("leadkpi.yaml"), capacity=60)
    >>> found.evaluations["model"].auc > found.evaluations["scorecard"].auc
    True
    """
    from leadkpi.scoring.model import LeadScorer  # scikit-learn: only when used

    leads = lead_features(data, label=label, within_days=within_days, as_of=as_of)
    train, test = split(leads, test_share=test_share)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LeakageWarning)  # reported as `leaky`
        model = LeadScorer(leakage_auc=leakage_auc).fit(train.X, train.y)
    leaky = model.leakage_.loc[model.leakage_["suspicious"], "feature"].tolist()
    if leaky:
        kept = train.X.drop(columns=leaky)
        model = LeadScorer(leakage_auc=None).fit(kept, train.y)
    card = scorecard if isinstance(scorecard, Scorecard) else load_scorecard(scorecard)
    points = score(data, card).set_index("lead_id")["score"]
    created = test.created_at
    span = (created.max() - created.min()) / pd.Timedelta(days=_MONTH_DAYS)
    months = float(max(span, 1.0))
    options = {"capacity": capacity, "months": months if capacity else None}
    scores = {
        "scorecard": points.reindex(test.lead_id).to_numpy(dtype="float64"),
        "model": model.predict_proba(test.X.drop(columns=leaky))[:, 1],
    }
    evaluations = {
        name: evaluate(test.y, np.nan_to_num(s, nan=0.0), **options)
        for name, s in scores.items()
    }
    return Comparison(train, test, model, card, evaluations, leaky, months)
