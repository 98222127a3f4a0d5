"""Scores back into the KPIs: write scores onto the leads, cut them into bands, and
let the engine compute avg_lead_score, MQL counts and mql_to_sql_rate by band.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from leadkpi.data import LeadData
from leadkpi.exceptions import ArgumentError
from leadkpi.kpis.engine import compute
from leadkpi.scoring.evaluate import score_bands

__all__ = ["with_scores", "band_kpis", "band_rates", "BAND", "BAND_KPIS"]

#: The column that holds each lead's score band.
BAND = "score_band"
#: What :func:`band_kpis` computes by default.
BAND_KPIS: tuple[str, ...] = (
    "leads", "avg_lead_score", "mqls", "sqls", "mql_to_sql_rate",
    "lead_conversion_rate",
)  # fmt: skip


def with_scores(
    data: LeadData,
    scores: pd.DataFrame | None = None,
    *,
    score_col: str = "score",
    threshold: float | None = None,
    bands: int | Sequence[float] = 5,
) -> LeadData:
    """The data with scores written onto its leads, and their band.

    Parameters
    ----------
    data : LeadData
    scores : pandas.DataFrame, optional
        ``lead_id`` and ``score_col`` (a :func:`~leadkpi.scoring.score` result or
        a model's probabilities); leads it does not list get no score. Default:
        the leads' own ``score`` column.
    threshold : float, optional
        A new MQL threshold: leads scoring at least this are MQLs (dated by their
        ``mql_at``, or their ``created_at`` when they had none), the others are
        not. Without it ``mql_at`` stays as recorded. Either way, with
        ``cumulative_stages`` (the default) a lead that reached a later stage
        counts as an MQL, as in the funnel.
    bands : int or sequence of float
        Score bands (:func:`leadkpi.scoring.score_bands`), in ``score_band``.

    Examples
    --------
    >>> import leadkpi
    >>> from leadkpi.scoring import score
    >>> data = leadkpi.load("leadkpi.yaml")
    >>> view = with_scores(data, score(data), threshold=40)
    >>> before, after = data.leads["mql_at"], view.leads["mql_at"]
    >>> int(before.notna().sum()), int(after.notna().sum())
    (2402, 1933)
    """
    leads = data.require("leads", "scores by band")
    if scores is None:
        if "score" not in leads.columns:
            raise ArgumentError("the leads have no score column; pass scores=")
        value = leads["score"].to_numpy(dtype="float64", na_value=np.nan)
    else:
        missing = [c for c in ("lead_id", score_col) if c not in scores.columns]
        if missing:
            raise ArgumentError(
                f"scores lacks the column(s) {missing}; it has "
                f"{', '.join(map(str, scores.columns))}"
            )
        if scores["lead_id"].duplicated().any():
            dup = scores.loc[scores["lead_id"].duplicated(), "lead_id"].iloc[0]
            raise ArgumentError(f"scores lists lead_id {dup!r} more than once")
        by_id = scores.set_index("lead_id")[score_col].astype("float64")
        value = by_id.reindex(leads["lead_id"].to_numpy()).to_numpy()
    scored = ~np.isnan(value)
    band = pd.Series(pd.NA, index=leads.index, dtype="string")
    if scored.any():
        band[scored] = np.asarray(score_bands(value[scored], bands), dtype=object)
    view = leads.assign(score=value, **{BAND: band})
    if threshold is not None:
        qualified = scored & (np.nan_to_num(value, nan=-np.inf) >= threshold)
        dated = view["mql_at"].fillna(view["created_at"])
        view["mql_at"] = dated.where(qualified)
    if data.config.cumulative_stages:
        view["mql_at"] = _cumulative(view, data.config.stages, "mql_at")
    return data.with_tables(leads=view)


def _cumulative(leads: pd.DataFrame, stages: Sequence[tuple[str, str]], column: str):
    """``column`` filled, where empty, by the earliest later stage reached (the
    funnel's rule: an SQL that was never an MQL counts as one)."""
    columns = [c for _, c in stages]
    if column not in columns:
        return leads[column]
    later = [c for c in columns[columns.index(column) + 1 :] if c in leads.columns]
    if not later:
        return leads[column]
    return leads[column].fillna(leads[later].min(axis=1))


def band_kpis(
    data: LeadData,
    kpis: Sequence[str] = BAND_KPIS,
    *,
    scores: pd.DataFrame | None = None,
    score_col: str = "score",
    threshold: float | None = None,
    bands: int | Sequence[float] = 5,
    by: Sequence[str] = (),
    **options: object,
) -> pd.DataFrame:
    """KPIs by score band through the engine (:func:`leadkpi.compute`), on the data
    :func:`with_scores` returns; ``by`` adds grain columns after the band and
    ``options`` (``mode``, ``start``, ``end``, ...) go to the engine.

    Examples
    --------
    >>> import leadkpi
    >>> table = band_kpis(leadkpi.load("leadkpi.yaml"), ["mql_to_sql_rate"],
    ...                   bands=[50, 60])
    >>> table[["score_band", "value"]].round(3).to_dict("list")
    {'score_band': ['≥ 60', '50–60', '< 50'], 'value': [0.46, 0.289, 0.545]}
    """
    view = with_scores(
        data, scores, score_col=score_col, threshold=threshold, bands=bands
    )
    result = pd.DataFrame(compute(view, list(kpis), by=(BAND, *by), **options))
    # highest band first, as in the evaluation's band table
    lowest = view.leads.groupby(BAND)["score"].min()
    rank = result[BAND].map(lowest).astype("float64")
    order = np.lexsort((np.arange(len(result)), -rank.to_numpy()))
    return result.iloc[order].reset_index(drop=True)


def band_rates(result: pd.DataFrame, kpi: str = "mql_to_sql_rate") -> pd.DataFrame:
    """One rate of a :func:`band_kpis` result as ``band, rate, ci_low, ci_high``
    (the shape :func:`leadkpi.present.plots.plot_score_bands` draws), highest band
    first.

    Examples
    --------
    >>> import leadkpi
    >>> table = band_kpis(leadkpi.load("leadkpi.yaml"), ["mql_to_sql_rate"],
    ...                   bands=[50, 60])
    >>> list(band_rates(table).columns), len(band_rates(table))
    (['band', 'rate', 'ci_low', 'ci_high'], 3)
    """
    rows = result[result["kpi"] == kpi]
    if rows.empty:
        raise ArgumentError(
            f"no rows for kpi {kpi!r}; the table has {sorted(result['kpi'].unique())}"
        )
    return pd.DataFrame(
        {
            "band": rows[BAND].to_numpy(),
            "rate": rows["value"].to_numpy(dtype="float64"),
            "ci_low": rows["ci_low"].to_numpy(dtype="float64"),
            "ci_high": rows["ci_high"].to_numpy(dtype="float64"),
        }
    )
