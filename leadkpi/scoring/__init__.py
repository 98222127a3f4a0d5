"""Lead scoring: a points scorecard, a predictive model, and an honest evaluation of
any score (AUC, gains and lift by decile, calibration, conversion by score band,
threshold for a sales capacity); scores go back into the KPI engine by band.

:class:`LeadScorer` is imported on first use: scikit-learn is slow to import and
only the model needs it.
"""

from typing import Any

from leadkpi.scoring.compare import Comparison, compare_scores
from leadkpi.scoring.evaluate import (
    Evaluation,
    band_table,
    calibration_table,
    evaluate,
    gains_table,
    recommend_threshold,
    roc_auc,
    score_bands,
    stack,
)
from leadkpi.scoring.features import LeadSet, labelled_frame, lead_features, split
from leadkpi.scoring.kpis import band_kpis, band_rates, with_scores
from leadkpi.scoring.labels import as_label
from leadkpi.scoring.leakage import LeakageWarning, check_leakage
from leadkpi.scoring.scorecard import (
    Rule,
    Scorecard,
    ScorecardError,
    load_scorecard,
    score,
)

__all__ = [
    "Comparison",
    "compare_scores",
    "Rule",
    "Scorecard",
    "ScorecardError",
    "load_scorecard",
    "score",
    "LeadScorer",
    "LeadSet",
    "lead_features",
    "labelled_frame",
    "split",
    "LeakageWarning",
    "check_leakage",
    "Evaluation",
    "evaluate",
    "roc_auc",
    "gains_table",
    "calibration_table",
    "band_table",
    "score_bands",
    "recommend_threshold",
    "stack",
    "as_label",
    "with_scores",
    "band_kpis",
    "band_rates",
]


def __getattr__(name: str) -> Any:
    if name == "LeadScorer":
        from leadkpi.scoring.model import LeadScorer

        return LeadScorer
    raise AttributeError(f"module 'leadkpi.scoring' has no attribute {name!r}")
