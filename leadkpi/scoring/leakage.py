"""The leakage guard: features too good to be true.

Columns filled in by sales after first contact (tags, lead quality, status notes)
make a model look perfect on history and fail in use. Where dates exist,
:func:`leadkpi.scoring.features.lead_features` leaves such data out by timestamp;
everywhere, :func:`check_leakage` measures each feature's AUC on its own, and
:func:`warn_leakage` names every feature above the threshold in a warning.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from leadkpi.exceptions import LeadKPIWarning
from leadkpi.scoring.evaluate import roc_auc
from leadkpi.scoring.labels import as_label

__all__ = ["LeakageWarning", "check_leakage", "warn_leakage"]

_RARE = 20  # categories with fewer leads share one value, so they cannot "memorise"


class LeakageWarning(LeadKPIWarning):
    """A feature predicts the label almost perfectly on its own."""


def _single_score(values: pd.Series, y: np.ndarray) -> np.ndarray:
    """The feature as a score: numbers as they are (missing lowest), categories as
    their observed conversion rate (rare categories pooled)."""
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        number = values.to_numpy(dtype="float64", na_value=np.nan)
        return np.where(np.isnan(number), np.nanmin(number) - 1, number)
    codes, _ = pd.factorize(values.astype("string"), use_na_sentinel=False)
    counts = np.bincount(codes)
    codes = np.where(counts[codes] < _RARE, len(counts), codes)
    rate = np.bincount(codes, weights=y) / np.maximum(np.bincount(codes), 1)
    return rate[codes]


def check_leakage(
    X: pd.DataFrame, y: object, *, threshold: float = 0.95
) -> pd.DataFrame:
    """Each feature's AUC on its own (an AUC below one half counts as its mirror).

    Returns
    -------
    pandas.DataFrame
        ``feature, auc, suspicious`` (``auc > threshold``), highest AUC first.

    Examples
    --------
    >>> X = pd.DataFrame({"stage": ["won", "lost"] * 20, "size": [1, 2, 3, 4] * 10})
    >>> check_leakage(X, [1, 0] * 20).to_dict("list")
    {'feature': ['stage', 'size'], 'auc': [1.0, 0.75], 'suspicious': [True, False]}
    """
    label = as_label(y, "y")
    aucs = []
    for column in X.columns:  # one AUC per feature, not per row
        score = _single_score(X[column], label)
        auc = roc_auc(label, score) if np.ptp(score) > 0 else 0.5
        aucs.append(max(auc, 1 - auc))
    out = pd.DataFrame({"feature": list(X.columns), "auc": aucs})
    out["suspicious"] = out["auc"] > threshold
    return out.sort_values("auc", ascending=False, kind="stable").reset_index(drop=True)


def warn_leakage(
    X: pd.DataFrame, y: object, *, threshold: float = 0.95
) -> pd.DataFrame:
    """:func:`check_leakage`, warning once per suspicious feature, naming it.

    Examples
    --------
    >>> import warnings
    >>> X = pd.DataFrame({"lead_quality": ["hot", "cold"] * 20})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = warn_leakage(X, [1, 0] * 20)
    >>> str(caught[0].message)[:55]
    "feature 'lead_quality' alone has an AUC of 1.000 (above"
    """
    table = check_leakage(X, y, threshold=threshold)
    for row in table[table["suspicious"]].itertuples():  # the few flagged features
        warnings.warn(
            f"feature {row.feature!r} alone has an AUC of {row.auc:.3f} (above "
            f"{threshold:g}): too good to be true? It may be filled in after the "
            "outcome (by sales or the CRM); drop it unless it is known when leads "
            "are scored",
            LeakageWarning,
            stacklevel=3,
        )
    return table
