"""One KPI's result columns from the joined measures: value, n and interval."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from leadkpi.kpis import uncertainty as u
from leadkpi.kpis.grain import Grain
from leadkpi.kpis.kpi import KPI
from leadkpi.kpis.measures import Measure

__all__ = ["kpi_columns", "SMALL_SAMPLE"]

#: Below this many observations a value is flagged ``small_sample``.
SMALL_SAMPLE = 30


def _column(joined: pd.DataFrame, name: str | None) -> np.ndarray:
    if name is None or name not in joined:
        return np.full(len(joined), np.nan)
    return joined[name].to_numpy(dtype="float64", na_value=np.nan)


def kpi_columns(
    kpi: KPI,
    joined: pd.DataFrame,
    reasons: dict[str, str],
    row_reasons: dict[str, pd.Series],
    grain: Grain,
    catalogue: Mapping,
) -> dict[str, np.ndarray]:
    """The result columns of one KPI, one value per row of ``joined``."""
    rows = len(joined)
    missing = [reasons[m] for m in kpi.measures if m in reasons]
    nan = np.full(rows, np.nan)
    if missing:
        value = numerator = denominator = n = low = high = nan
        why = np.full(rows, "; ".join(dict.fromkeys(missing)), dtype=object)
    else:
        raw = kpi.func(**{m: joined[m] for m in kpi.measures})
        value = np.asarray(raw, dtype="float64") * np.ones(rows)
        value = np.where(np.isfinite(value), value, np.nan)
        numerator = _column(joined, kpi.numerator)
        denominator = _column(joined, kpi.denominator)
        n = _n(kpi, joined, catalogue)
        low, high = _interval(kpi, joined, value, numerator, denominator)
        why = np.full(rows, None, dtype=object)
        for m in kpi.measures:
            negative = getattr(catalogue[m], "negative", None)
            if negative and f"{m}__negative" in joined:
                left = _column(joined, f"{m}__negative")
                text = np.char.add(
                    np.char.add(left.astype("int64").astype(str), " left out: "),
                    negative,
                ).astype(object)
                why = np.where(left > 0, text, why)
            if m in row_reasons:
                extra = row_reasons[m].to_numpy(dtype=object)
                why = np.where(pd.isna(why), extra, why)
    modal = any(getattr(catalogue[m], "modal", False) for m in kpi.measures)
    counts = any(
        isinstance(catalogue[m], Measure) and catalogue[m].agg == "count"
        for m in kpi.measures
    )

    def text(x: object) -> np.ndarray:
        return np.full(rows, x, dtype=object)

    return {
        "kpi": text(kpi.id),
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "unit": text(kpi.unit),
        "better": text(kpi.better),
        "mode": text(grain.mode if modal else "period"),
        "count_by": text(grain.count_by if counts else None),
        "n": np.asarray(n, dtype="float64"),
        "small_sample": np.asarray(n, dtype="float64") < SMALL_SAMPLE,
        "ci_low": np.asarray(low, dtype="float64") * np.ones(rows),
        "ci_high": np.asarray(high, dtype="float64") * np.ones(rows),
        "reason": why,
    }


def _n(kpi: KPI, joined: pd.DataFrame, catalogue: Mapping) -> np.ndarray:
    if kpi.interval == "statistic":
        return _column(joined, f"{kpi.measures[0]}__n")
    return _column(joined, kpi.n_measure)


def _interval(
    kpi: KPI,
    joined: pd.DataFrame,
    value: np.ndarray,
    numerator: np.ndarray,
    denominator: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    nan = np.full(len(joined), np.nan)
    kind = kpi.interval
    if kind == "wilson":
        return u.wilson_interval(numerator, denominator)
    if kind == "wilson_complement":
        low, high = u.wilson_interval(numerator, denominator)
        return 1.0 - high, 1.0 - low
    if kind == "cost_per_count":
        return u.cost_per_count_interval(numerator, denominator)
    if kind == "return_on_spend":
        revenue = kpi.numerator or "revenue"
        low, high = u.return_on_spend_interval(
            _column(joined, revenue),
            _column(joined, f"{revenue}_sq"),
            _column(joined, "spend"),
        )
        shift = 1.0 if kpi.unit == "fraction" else 0.0  # ROI = ROAS − 1
        low, high = low - shift, high - shift
        return np.where(np.isnan(value), np.nan, low), np.where(
            np.isnan(value), np.nan, high
        )
    if kind == "mean_value":
        return u.mean_interval(numerator, _column(joined, "revenue_sq"), denominator)
    if kind == "statistic":
        m = kpi.measures[0]
        return _column(joined, f"{m}__lo"), _column(joined, f"{m}__hi")
    return nan, nan
