"""How good is a lead score: AUC, gains and lift by decile, calibration, conversion
by score band, and the threshold that fits a sales team's capacity.

Works for any score: a scorecard's points, a model's probabilities or a score column
exported from the CRM. Everything is computed from one sort of the distinct scores
(no loop per lead). Tied scores are never split arbitrarily: where a decile boundary
falls inside a group of leads with the same score, the group's leads and positives
are shared between the deciles in proportion, which is also how the ROC curve (and
so the AUC) treats ties.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leadkpi.exceptions import ArgumentError
from leadkpi.kpis.uncertainty import wilson_interval
from leadkpi.scoring.labels import as_label, as_score

__all__ = [
    "Evaluation",
    "evaluate",
    "roc_auc",
    "gains_table",
    "calibration_table",
    "band_table",
    "score_bands",
    "recommend_threshold",
    "stack",
    "GAINS_COLUMNS",
    "CALIBRATION_COLUMNS",
    "BAND_COLUMNS",
    "THRESHOLD_COLUMNS",
]

GAINS_COLUMNS = (
    "decile", "leads", "positives", "rate", "lift", "cumulative_gain",
    "cumulative_lift", "score_min", "score_max",
)  # fmt: skip
CALIBRATION_COLUMNS = (
    "bin", "bin_low", "bin_high", "leads", "mean_predicted", "observed_rate",
    "ci_low", "ci_high",
)  # fmt: skip
BAND_COLUMNS = (
    "band", "score_min", "score_max", "leads", "positives", "rate", "ci_low",
    "ci_high", "share_of_leads", "share_of_positives",
)  # fmt: skip
THRESHOLD_COLUMNS = (
    "capacity", "threshold", "fits", "leads_per_month", "share_of_leads",
    "positives", "precision", "recall", "lift",
)  # fmt: skip


@dataclass(frozen=True)
class _Sorted:
    """Distinct scores, highest first, with cumulative leads and positives, and
    every score lowest first (for quantiles)."""

    values: np.ndarray
    leads: np.ndarray  # cumulative, with a leading 0
    positives: np.ndarray  # cumulative, with a leading 0
    ordered: np.ndarray

    @classmethod
    def of(cls, y: np.ndarray, score: np.ndarray) -> _Sorted:
        # a plain sort of all scores beats an argsort; each converting lead's score
        # is then found among the distinct scores (one search per positive)
        ordered = np.sort(score)
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        values = ordered[starts]
        counts = np.diff(np.r_[starts, len(ordered)])
        hits = np.searchsorted(values, np.sort(score[y == 1]))
        pos = np.bincount(hits, minlength=len(values))
        zero = np.zeros(1)
        return cls(
            values[::-1],
            np.concatenate([zero, np.cumsum(counts[::-1], dtype="float64")]),
            np.concatenate([zero, np.cumsum(pos[::-1])]),
            ordered,
        )

    def between(self, cuts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Leads and positives in the ``len(cuts) + 1`` bands that increasing cut
        points make, lowest first; a score equal to a cut point is in the band
        above."""
        at = len(self.values) - np.searchsorted(self.values[::-1], cuts)
        n, total = self.leads[-1], self.positives[-1]  # at a cut: leads not below
        return (
            np.diff(np.r_[0.0, n - self.leads[at], n]),
            np.diff(np.r_[0.0, total - self.positives[at], total]),
        )


def _checked(y_true: object, score: object) -> tuple[np.ndarray, np.ndarray]:
    y = as_label(y_true, "y_true")
    s = as_score(score, "score")
    if len(y) != len(s):
        raise ArgumentError(
            f"y_true has {len(y):,} values but score has {len(s):,}; expected one "
            "score per lead"
        )
    if len(y) == 0 or y.min() == y.max():
        raise ArgumentError(
            f"y_true has only one class ({int(y[0]) if len(y) else 'no rows'}); a "
            "score can only be judged on leads that did and did not convert"
        )
    return y, s


def roc_auc(y_true: object, score: object) -> float:
    """Area under the ROC curve: the chance that a random converting lead outscores
    a random non-converting one (ties count one half).

    Examples
    --------
    >>> roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    """
    y, s = _checked(y_true, score)
    return _auc(_Sorted.of(y, s))


def _auc(order: _Sorted) -> float:
    """Mann–Whitney from the distinct scores: each converting lead beats the
    non-converting leads with lower scores and ties half of those with its own."""
    positives = np.diff(order.positives)
    negatives = np.diff(order.leads) - positives
    total_neg = order.leads[-1] - order.positives[-1]
    below = total_neg - np.cumsum(negatives)  # highest first: what comes after
    wins = float(np.sum(positives * (below + 0.5 * negatives)))
    return wins / float(order.positives[-1] * total_neg)


def gains_table(y_true: object, score: object, *, bins: int = 10) -> pd.DataFrame:
    """Leads ranked by score, cut into ``bins`` equal groups (deciles by default).

    Returns
    -------
    pandas.DataFrame
        One row per decile, best first: ``decile`` (1 = highest scores),
        ``leads`` (n / bins), ``positives``, ``rate``, ``lift`` (rate over the
        base rate), ``cumulative_gain`` (share of all positives in this and better
        deciles), ``cumulative_lift`` and the decile's ``score_min``/``score_max``.
        Leads tied on a boundary are shared between deciles pro rata, so
        ``leads`` and ``positives`` can be fractional.

    Examples
    --------
    >>> t = gains_table([1, 0, 1, 0], [0.9, 0.5, 0.5, 0.1], bins=2)
    >>> t[["decile", "positives", "lift"]].to_dict("list")
    {'decile': [1, 2], 'positives': [1.5, 0.5], 'lift': [1.5, 0.5]}
    """
    y, s = _checked(y_true, score)
    bins = _bins(bins)
    return _gains(_Sorted.of(y, s), bins)


def _bins(bins: int) -> int:
    if int(bins) != bins or bins < 2:
        raise ArgumentError(f"bins={bins!r}: expected a whole number of at least 2")
    return int(bins)


def _gains(order: _Sorted, bins: int) -> pd.DataFrame:
    n, total = order.leads[-1], order.positives[-1]
    edges = np.arange(bins + 1) * n / bins
    cum_pos = np.interp(edges, order.leads, order.positives)
    positives = np.diff(cum_pos)
    leads = np.diff(edges)
    base = total / n
    rate = positives / leads
    # the distinct score at the first and last position of each decile
    first = np.floor(edges[:-1])
    last = np.maximum(np.ceil(edges[1:]) - 1, first)
    at = np.searchsorted(order.leads[1:], np.concatenate([first, last]), "right")
    return pd.DataFrame(
        {
            "decile": np.arange(1, bins + 1),
            "leads": leads,
            "positives": positives,
            "rate": rate,
            "lift": rate / base,
            "cumulative_gain": cum_pos[1:] / total,
            "cumulative_lift": (cum_pos[1:] / edges[1:]) / base,
            "score_min": order.values[at[bins:]],
            "score_max": order.values[at[:bins]],
        }
    )


def calibration_table(
    y_true: object, probability: object, *, bins: int = 10, strategy: str = "quantile"
) -> pd.DataFrame:
    """Reliability table: predicted probability against the observed rate.

    ``bins`` bins of equal counts (``strategy="quantile"``, the default: lead
    scores are mostly small probabilities) or of equal width over [0, 1]
    (``"uniform"``); empty bins are left out. A bin runs from ``bin_low``
    (included) to ``bin_high``.

    Examples
    --------
    >>> t = calibration_table([0, 1, 1, 1], [0.2, 0.2, 0.9, 0.9], bins=2)
    >>> t[["bin", "leads", "mean_predicted", "observed_rate"]].to_dict("list")
    {'bin': [1, 2], 'leads': [2, 2], 'mean_predicted': [0.2, 0.9], \
'observed_rate': [0.5, 1.0]}
    """
    y, p = _checked(y_true, probability)
    _probabilities(p)
    return _calibration(_Sorted.of(y, p), p, _bins(bins), strategy)


def _probabilities(p: np.ndarray) -> None:
    if p.min() < 0 or p.max() > 1:
        raise ArgumentError(
            f"score ranges from {p.min():g} to {p.max():g}; calibration needs "
            "probabilities between 0 and 1"
        )


def _calibration(
    order: _Sorted, p: np.ndarray, bins: int, strategy: str = "quantile"
) -> pd.DataFrame:
    if strategy == "uniform":
        edges = np.arange(bins + 1) / bins
    elif strategy == "quantile":
        ordered = order.ordered
        inner = np.quantile(ordered, np.arange(1, bins) / bins, method="higher")
        edges = np.unique(np.concatenate([[0.0], inner[inner > ordered[0]], [1.0]]))
    else:
        raise ArgumentError(f"strategy={strategy!r}: expected 'quantile' or 'uniform'")
    bins = len(edges) - 1
    # counts from the sorted scores; the sum of predictions per bin in one pass
    index = np.searchsorted(edges[1:-1], p, side="right")
    predicted = np.bincount(index, weights=p, minlength=bins)
    leads, observed = order.between(edges[1:-1])
    leads = leads.astype("int64")
    keep = leads > 0
    low, high = wilson_interval(observed[keep], leads[keep])
    return pd.DataFrame(
        {
            "bin": np.arange(1, bins + 1)[keep],
            "bin_low": edges[:-1][keep],
            "bin_high": edges[1:][keep],
            "leads": leads[keep],
            "mean_predicted": predicted[keep] / leads[keep],
            "observed_rate": observed[keep] / leads[keep],
            "ci_low": low,
            "ci_high": high,
        }
    )


def _format_edge(value: float) -> str:
    return f"{value:.3g}" if abs(value) < 1 else f"{value:,.4g}"


def _cuts(ordered: np.ndarray, bands: int | Sequence[float]) -> np.ndarray:
    """Cut points of ``bands`` (see :func:`score_bands`) on scores sorted lowest
    first."""
    if isinstance(bands, int | np.integer):
        if bands < 1:
            raise ArgumentError(f"bands={bands!r}: expected at least 1 band")
        if not len(ordered):
            return np.array([])
        quantiles = np.quantile(ordered, np.arange(1, bands) / bands, method="higher")
        cuts = np.unique(quantiles)
        return cuts[cuts > ordered[0]]
    cuts = np.asarray(bands, dtype="float64")
    if len(cuts) and (np.diff(cuts) <= 0).any():
        raise ArgumentError(
            f"bands={list(bands)!r}: cut points must be strictly increasing"
        )
    return cuts


def _band_names(cuts: np.ndarray) -> list[str]:
    if len(cuts) == 0:
        return ["all"]
    text = [_format_edge(c) for c in cuts]
    return (
        [f"< {text[0]}"]
        + [f"{a}–{b}" for a, b in zip(text[:-1], text[1:], strict=True)]
        + [f"≥ {text[-1]}"]
    )


def score_bands(score: object, bands: int | Sequence[float] = 5) -> pd.Categorical:
    """Score bands: ``bands`` equal-count bands (an int), or cut points.

    Cut points ``[40, 60]`` give the bands ``< 40``, ``40–60`` and ``≥ 60``; a score
    equal to a cut point goes to the band above. Equal-count cut points are
    scores at the quantiles (fewer bands when scores tie). The result is an ordered
    categorical, lowest band first.

    Examples
    --------
    >>> list(score_bands([10, 45, 60, 90], [40, 60]))
    ['< 40', '40–60', '≥ 60', '≥ 60']
    """
    s = as_score(score)
    cuts = _cuts(np.sort(s), bands)
    codes = np.searchsorted(cuts, s, side="right")
    return pd.Categorical.from_codes(codes, categories=_band_names(cuts), ordered=True)


def band_table(
    y_true: object, score: object, *, bands: int | Sequence[float] = 5
) -> pd.DataFrame:
    """Conversion by score band, highest band first, with a 95 % Wilson interval.

    Examples
    --------
    >>> t = band_table([0, 1, 1, 0], [10, 45, 60, 90], bands=[40, 60])
    >>> t[["band", "leads", "rate"]].to_dict("list")
    {'band': ['≥ 60', '40–60', '< 40'], 'leads': [2, 1, 1], 'rate': [0.5, 1.0, 0.0]}
    """
    y, s = _checked(y_true, score)
    return _bands(_Sorted.of(y, s), bands)


def _bands(order: _Sorted, bands: int | Sequence[float]) -> pd.DataFrame:
    cuts = _cuts(order.ordered, bands)
    leads, positives = order.between(cuts)
    leads = leads.astype("int64")
    keep = leads > 0
    # the lowest and highest distinct score of each band that has leads
    rising = order.values[::-1]
    edges = np.r_[0, np.searchsorted(rising, cuts), len(rising)]
    ci_low, ci_high = wilson_interval(positives[keep], leads[keep])
    out = pd.DataFrame(
        {
            "band": np.asarray(_band_names(cuts))[keep],
            "score_min": rising[edges[:-1][keep]],
            "score_max": rising[edges[1:][keep] - 1],
            "leads": leads[keep],
            "positives": positives[keep],
            "rate": positives[keep] / leads[keep],
            "ci_low": ci_low,
            "ci_high": ci_high,
            "share_of_leads": leads[keep] / len(order.ordered),
            "share_of_positives": positives[keep] / order.positives[-1],
        }
    )
    return out.iloc[::-1].reset_index(drop=True)


def recommend_threshold(
    y_true: object, score: object, *, capacity: float, months: float
) -> pd.DataFrame:
    """The lowest score threshold whose leads fit a sales capacity.

    Parameters
    ----------
    y_true, score : array-like
        Outcome and score of the leads of ``months`` months.
    capacity : float
        Leads per month that sales can work.
    months : float
        How many months the leads span.

    Returns
    -------
    pandas.DataFrame
        One row: ``capacity, threshold`` (pass leads scoring at least this),
        ``fits`` (False when even the top score alone exceeds the capacity; the
        threshold is then the top score), ``leads_per_month, share_of_leads,
        positives, precision`` (conversion above the threshold), ``recall`` (share
        of all positives above it) and ``lift``.

    Examples
    --------
    >>> t = recommend_threshold([1, 0, 1, 0], [9, 7, 7, 1], capacity=1.5, months=2)
    >>> t[["threshold", "leads_per_month", "recall"]].to_dict("records")
    [{'threshold': 7.0, 'leads_per_month': 1.5, 'recall': 1.0}]
    """
    y, s = _checked(y_true, score)
    return _threshold(_Sorted.of(y, s), capacity, months)


def _threshold(order: _Sorted, capacity: float, months: float) -> pd.DataFrame:
    if not (np.isfinite(capacity) and capacity > 0):
        raise ArgumentError(f"capacity={capacity!r}: expected leads per month > 0")
    if not (np.isfinite(months) and months > 0):
        raise ArgumentError(f"months={months!r}: expected a number of months > 0")
    per_month = order.leads[1:] / months
    fitting = np.flatnonzero(per_month <= capacity)
    j = int(fitting[-1]) if len(fitting) else 0
    n, total = order.leads[-1], order.positives[-1]
    leads, positives = order.leads[j + 1], order.positives[j + 1]
    return pd.DataFrame(
        {
            "capacity": [float(capacity)],
            "threshold": [order.values[j]],
            "fits": [bool(len(fitting))],
            "leads_per_month": [leads / months],
            "share_of_leads": [leads / n],
            "positives": [positives],
            "precision": [positives / leads],
            "recall": [positives / total],
            "lift": [(positives / leads) / (total / n)],
        }
    )


@dataclass(frozen=True)
class Evaluation:
    """Everything :func:`evaluate` measured about one score.

    ``calibration`` is ``None`` and ``brier`` NaN when the score is not a
    probability (values outside [0, 1]); ``threshold`` is ``None`` without a
    capacity.
    """

    n: int
    positives: int
    auc: float
    brier: float
    gains: pd.DataFrame
    calibration: pd.DataFrame | None
    bands: pd.DataFrame
    threshold: pd.DataFrame | None

    @property
    def base_rate(self) -> float:
        return self.positives / self.n

    @property
    def top_decile_lift(self) -> float:
        """Lift of the first row of :attr:`gains` (the top decile by default)."""
        return float(self.gains["lift"].iloc[0])

    def summary(self) -> pd.DataFrame:
        """One row: ``n, positives, base_rate, auc, brier, top_decile_lift``."""
        return pd.DataFrame(
            {
                "n": [self.n],
                "positives": [self.positives],
                "base_rate": [self.base_rate],
                "auc": [self.auc],
                "brier": [self.brier],
                "top_decile_lift": [self.top_decile_lift],
            }
        )


def evaluate(
    y_true: object,
    score: object,
    *,
    bins: int = 10,
    bands: int | Sequence[float] = 5,
    capacity: float | None = None,
    months: float | None = None,
) -> Evaluation:
    """Judge a lead score against what the leads went on to do.

    Parameters
    ----------
    y_true : array-like
        1 for a lead that converted, 0 otherwise (booleans and true/false/yes/no
        text are read too; anything else is refused, listing the values found).
    score : array-like
        Any score where higher means more likely to convert; a probability gets a
        calibration table and a Brier score.
    bins : int
        Groups of the gains table (10: deciles) and of the calibration table.
    bands : int or sequence of float
        Score bands for conversion by band: equal-count bands, or cut points
        (see :func:`score_bands`).
    capacity, months : float, optional
        Leads per month that sales can work, and the months the leads span: adds
        the threshold recommendation (:func:`recommend_threshold`).

    Returns
    -------
    Evaluation

    Raises
    ------
    ArgumentError
        On labels other than 0/1/true/false/yes/no, a single class, missing
        scores or lengths that differ.

    Examples
    --------
    >>> import leadkpi
    >>> from leadkpi.scoring import evaluate
    >>> leads = leadkpi.load("leadkpi.yaml").leads
    >>> result = evaluate(leads["sql_at"].notna(), leads["score"].fillna(0))
    >>> round(result.auc, 3), round(result.top_decile_lift, 2)
    (0.848, 3.16)
    """
    y, s = _checked(y_true, score)
    bins = _bins(bins)
    order = _Sorted.of(y, s)
    probabilistic = bool(s.min() >= 0 and s.max() <= 1)
    threshold = None
    if capacity is not None:
        if months is None:
            raise ArgumentError("capacity needs months: how many months the leads span")
        threshold = _threshold(order, capacity, months)
    return Evaluation(
        n=len(y),
        positives=int(y.sum()),
        auc=_auc(order),
        brier=float(np.mean((s - y) ** 2)) if probabilistic else float("nan"),
        gains=_gains(order, bins),
        calibration=_calibration(order, s, bins) if probabilistic else None,
        bands=_bands(order, bands),
        threshold=threshold,
    )


def stack(evaluations: Mapping[str, Evaluation], table: str) -> pd.DataFrame:
    """One of the evaluations' tables for several scores, with a ``scorer`` column
    first, for plotting or showing them side by side.

    Examples
    --------
    >>> a = evaluate([0, 1, 0, 1], [1, 2, 3, 4], bins=2)
    >>> b = evaluate([0, 1, 0, 1], [4, 3, 2, 1], bins=2)
    >>> stack({"a": a, "b": b}, "summary")[["scorer", "auc"]].to_dict("list")
    {'scorer': ['a', 'b'], 'auc': [0.75, 0.25]}
    """
    names = ("gains", "calibration", "bands", "threshold", "summary")
    if table not in names:
        raise ArgumentError(f"table={table!r}: expected one of {names}")
    frames = []
    for name, result in evaluations.items():
        frame = result.summary() if table == "summary" else getattr(result, table)
        if frame is not None:
            frames.append(frame.assign(scorer=name))
    if not frames:
        raise ArgumentError(f"none of the evaluations has a {table} table")
    out = pd.concat(frames, ignore_index=True)
    return out[["scorer", *out.columns[:-1]]]
