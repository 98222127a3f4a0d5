"""A predictive lead scorer that follows scikit-learn's conventions.

:class:`LeadScorer` takes any frame of lead attributes (text and numbers, as a CRM
exports them) and a 0/1 label, and learns the probability of converting with a
regularised logistic regression: text is cleaned (form placeholders such as
"Select" or "--" become missing, case and spaces are ignored), rare and unseen
categories share one column, counts are log-scaled. Before fitting, every single
feature whose AUC alone exceeds ``leakage_auc`` is named in a warning
(:func:`leadkpi.scoring.leakage.check_leakage`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from leadkpi.exceptions import ArgumentError
from leadkpi.scoring.labels import as_label
from leadkpi.scoring.leakage import warn_leakage

__all__ = ["LeadScorer", "LeadEncoder", "LeadFrameCleaner", "PLACEHOLDERS"]

#: Cell values read as missing (case-insensitive, after stripping spaces).
PLACEHOLDERS: tuple[str, ...] = (
    "", "-", "--", "—", "n/a", "na", "none", "null", "select", "-- select --",
    "please select", "select...", "(not set)", "not set", "unknown", "?",
)  # fmt: skip


def _frame(X: object) -> pd.DataFrame:
    if isinstance(X, pd.DataFrame):
        return X
    array = np.asarray(X)
    if array.ndim != 2:
        raise ArgumentError(
            f"X: expected a 2-D table of leads, got shape {array.shape}"
        )
    return pd.DataFrame(array, columns=[f"x{i}" for i in range(array.shape[1])])


class LeadFrameCleaner(TransformerMixin, BaseEstimator):
    """Lead attributes as a model can read them: text columns stripped, casefolded
    and with ``placeholders`` as missing; number and yes/no columns as floats.

    A column is text when it is neither numeric nor boolean; a text column whose
    values are all numbers once placeholders are removed is read as numbers.
    """

    def __init__(self, placeholders: Sequence[str] = PLACEHOLDERS) -> None:
        self.placeholders = placeholders

    def fit(self, X: object, y: object = None) -> LeadFrameCleaner:
        frame = _frame(X)
        cleaned = self._clean(frame, None)
        self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        self.numeric_ = [
            c for c in cleaned.columns if pd.api.types.is_float_dtype(cleaned[c])
        ]
        self.categorical_ = [c for c in cleaned.columns if c not in self.numeric_]
        return self

    def transform(self, X: object) -> pd.DataFrame:
        check_is_fitted(self, "numeric_")
        frame = _frame(X)
        missing = [c for c in self.feature_names_in_ if c not in frame.columns]
        if missing:
            raise ArgumentError(
                f"X lacks the column(s) {missing} that the model was fitted on"
            )
        return self._clean(frame[list(self.feature_names_in_)], self.numeric_)

    def _clean(self, frame: pd.DataFrame, numeric: list[str] | None) -> pd.DataFrame:
        empty = {p.strip().casefold() for p in self.placeholders}
        out = {}
        for column in frame.columns:  # columns, not rows
            values = frame[column]
            if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(
                values
            ):
                out[column] = values.astype("float64")
                continue
            # clean the distinct values only, then spread them back by code
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
            text = pd.Series(uniques, dtype="string").str.strip().str.casefold()
            text = text.mask(text.isin(empty))
            number = pd.to_numeric(text, errors="coerce")
            as_number = (
                column in numeric
                if numeric is not None
                else bool(text.notna().any())
                and int(number.notna().sum()) == int(text.notna().sum())
            )
            if as_number:
                table = number.to_numpy(dtype="float64", na_value=np.nan)
            else:
                table = text.to_numpy(dtype=object, na_value=np.nan)
            out[column] = np.append(table, np.nan)[codes]
        return pd.DataFrame(out, index=frame.index)


class LeadEncoder(TransformerMixin, BaseEstimator):
    """Cleaned lead attributes as a sparse design matrix.

    Text columns become one column per category seen at least ``min_frequency``
    times, plus ``(other)`` (rarer and unseen categories) and ``(missing)``;
    number columns are log-scaled by sign (heavy-tailed counts), missing values
    set to the median with a ``(missing)`` indicator, then standardised.
    """

    def __init__(
        self, placeholders: Sequence[str] = PLACEHOLDERS, min_frequency: int = 20
    ) -> None:
        self.placeholders = placeholders
        self.min_frequency = min_frequency

    def fit(self, X: object, y: object = None) -> LeadEncoder:
        self.cleaner_ = LeadFrameCleaner(self.placeholders).fit(X)
        clean = self.cleaner_.transform(X)
        self.categories_ = {}
        for column in self.cleaner_.categorical_:  # columns, not rows
            counts = clean[column].value_counts(dropna=True)
            kept = counts[counts >= self.min_frequency].index
            self.categories_[column] = np.sort(np.asarray(kept, dtype=object))
        self.medians_, self.means_, self.scales_ = {}, {}, {}
        for column in self.cleaner_.numeric_:
            value = _signed_log(clean[column].to_numpy(dtype="float64"))
            median = np.nanmedian(value) if np.isfinite(value).any() else 0.0
            filled = np.where(np.isnan(value), median, value)
            self.medians_[column] = median
            self.means_[column] = filled.mean()
            self.scales_[column] = filled.std() or 1.0
        self.feature_names_in_ = self.cleaner_.feature_names_in_
        return self

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        check_is_fitted(self, "categories_")
        names = []
        for column in self.cleaner_.numeric_:
            names += [column, f"{column}=(missing)"]
        for column, kept in self.categories_.items():
            names += [f"{column}={v}" for v in kept]
            names += [f"{column}=(other)", f"{column}=(missing)"]
        return np.asarray(names, dtype=object)

    def transform(self, X: object) -> sparse.csr_matrix:
        check_is_fitted(self, "categories_")
        clean = self.cleaner_.transform(X)
        n = len(clean)
        blocks = []
        for column in self.cleaner_.numeric_:
            value = _signed_log(clean[column].to_numpy(dtype="float64"))
            missing = np.isnan(value)
            value = np.where(missing, self.medians_[column], value)
            value = (value - self.means_[column]) / self.scales_[column]
            blocks.append(sparse.csr_matrix(np.column_stack([value, missing])))
        for column, kept in self.categories_.items():
            text = clean[column]
            codes = pd.Index(kept).get_indexer(text.to_numpy(dtype=object))
            codes = np.where(codes >= 0, codes, len(kept))  # rare or unseen
            codes = np.where(text.isna().to_numpy(), len(kept) + 1, codes)
            blocks.append(
                sparse.csr_matrix(
                    (np.ones(n), (np.arange(n), codes)), shape=(n, len(kept) + 2)
                )
            )
        if not blocks:
            return sparse.csr_matrix((n, 0))
        return sparse.hstack(blocks, format="csr")


def _signed_log(values: np.ndarray) -> np.ndarray:
    return np.sign(values) * np.log1p(np.abs(values))


class LeadScorer(ClassifierMixin, BaseEstimator):
    """Probability that a lead converts, from its attributes.

    Parameters
    ----------
    C : float
        Inverse strength of the L2 regularisation of the logistic regression.
    min_frequency : int
        Categories seen fewer times than this in training share one column with
        the categories unseen at fit time.
    placeholders : sequence of str
        Text read as missing (default :data:`PLACEHOLDERS`).
    leakage_auc : float or None
        Warn about every single feature whose AUC alone exceeds this; ``None``
        to skip the check.
    class_weight : dict, "balanced" or None
        Passed to :class:`sklearn.linear_model.LogisticRegression`.
    max_iter : int
        Iterations of the solver.
    random_state : int, optional
        Stored as given; used by the solver where it draws.

    Attributes
    ----------
    classes_ : ndarray
        ``[0, 1]``.
    pipeline_ : sklearn.pipeline.Pipeline
        The fitted cleaning, encoding and regression steps.
    feature_names_in_ : ndarray
        The columns of X at fit time.
    leakage_ : pandas.DataFrame
        The single-feature AUCs checked before fitting.

    Examples
    --------
    >>> import leadkpi
    >>> from leadkpi.scoring import lead_features, split
    >>> train, test = split(lead_features(leadkpi.load("leadkpi.yaml")))
    >>> model = LeadScorer().fit(train.X, train.y)
    >>> model.predict_proba(test.X).shape
    (1246, 2)
    """

    def __init__(
        self,
        *,
        C: float = 0.1,
        min_frequency: int = 20,
        placeholders: Sequence[str] = PLACEHOLDERS,
        leakage_auc: float | None = 0.95,
        class_weight: dict | str | None = None,
        max_iter: int = 1000,
        random_state: int | None = None,
    ) -> None:
        self.C = C
        self.min_frequency = min_frequency
        self.placeholders = placeholders
        self.leakage_auc = leakage_auc
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.random_state = random_state

    def _pipeline(self) -> Pipeline:
        regression = LogisticRegression(
            C=self.C,
            class_weight=self.class_weight,
            max_iter=self.max_iter,
            random_state=self.random_state,
        )
        encoder = LeadEncoder(self.placeholders, self.min_frequency)
        return Pipeline([("encode", encoder), ("model", regression)])

    def fit(self, X: object, y: object) -> LeadScorer:
        """Learn from leads ``X`` and their 0/1 outcome ``y``; returns ``self``.

        Raises
        ------
        ArgumentError
            When ``y`` has values other than 0/1/true/false/yes/no, only one
            class, or a length other than X's.
        """
        frame = _frame(X)
        label = as_label(y, "y")
        if len(label) != len(frame):
            raise ArgumentError(f"X has {len(frame):,} rows but y has {len(label):,}")
        if len(label) == 0 or label.min() == label.max():
            only = int(label[0]) if len(label) else "none"
            raise ArgumentError(
                f"y has a single class ({only}) in {len(label):,} leads; a model "
                "needs leads that did and did not convert"
            )
        cleaner = LeadFrameCleaner(self.placeholders).fit(frame)
        if self.leakage_auc is not None:
            self.leakage_ = warn_leakage(
                cleaner.transform(frame), label, threshold=self.leakage_auc
            )
        self.pipeline_ = self._pipeline().fit(frame, label)
        self.classes_ = np.array([0, 1])
        self.feature_names_in_ = cleaner.feature_names_in_
        self.n_features_in_ = len(self.feature_names_in_)
        return self

    def predict_proba(self, X: object) -> np.ndarray:
        """Probabilities of not converting and of converting, one row per lead."""
        check_is_fitted(self, "pipeline_")
        return self.pipeline_.predict_proba(_frame(X))

    def predict(self, X: object) -> np.ndarray:
        """1 where the probability of converting is at least one half."""
        return (self.predict_proba(X)[:, 1] >= 0.5).astype("int64")

    def decision_function(self, X: object) -> np.ndarray:
        """Log-odds of converting."""
        check_is_fitted(self, "pipeline_")
        return self.pipeline_.decision_function(_frame(X))

    def coefficients(self) -> pd.DataFrame:
        """``feature, coefficient`` of the fitted regression (on scaled features),
        largest effect first.
        """
        check_is_fitted(self, "pipeline_")
        names = self.pipeline_.named_steps["encode"].get_feature_names_out()
        coef = self.pipeline_[-1].coef_[0]
        out = pd.DataFrame({"feature": names, "coefficient": coef})
        return out.iloc[np.argsort(-np.abs(coef), kind="stable")].reset_index(drop=True)
