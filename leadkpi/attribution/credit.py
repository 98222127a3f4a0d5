"""Credit per channel (or campaign) under every model, as one tidy table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from leadkpi.attribution.markov import markov_credit
from leadkpi.attribution.paths import journey_source
from leadkpi.attribution.remote import remote_walks
from leadkpi.attribution.rules import (
    DEFAULT_HALF_LIFE_DAYS,
    DEFAULT_POSITION_WEIGHTS,
    DEFAULT_W_WEIGHTS,
    RULES,
    rule_shares,
)
from leadkpi.attribution.shapley import MAX_CHANNELS, shapley_credit
from leadkpi.attribution.walks import Walks, _level, walks
from leadkpi.exceptions import ArgumentError
from leadkpi.warehouse.connect import RemoteData

if TYPE_CHECKING:
    from leadkpi.data import LeadData

__all__ = ["attribute", "MODELS", "DEFAULT_MODELS", "CREDIT_COLUMNS"]

#: Every model id, rule-based first, then data-driven.
MODELS = (*RULES, "markov_1", "markov_2", "markov_3", "shapley")
#: Models computed when none are named.
DEFAULT_MODELS = (
    "first_touch",
    "last_touch",
    "last_non_direct",
    "linear",
    "time_decay",
    "position",
    "w_shaped",
    "markov_1",
    "shapley",
)
#: Rule models that need touch times and lead dates (not in a path table).
_TIMED = ("time_decay", "w_shaped")
#: Columns after the level's key columns.
CREDIT_COLUMNS = ("model", "conversions", "revenue", "share")


def _models(models: Sequence[str] | str | None, timed: bool) -> tuple[str, ...]:
    if models is None:
        return tuple(m for m in DEFAULT_MODELS if timed or m not in _TIMED)
    chosen = (models,) if isinstance(models, str) else tuple(models)
    unknown = [m for m in chosen if m not in MODELS]
    if unknown:
        raise ArgumentError(
            f"unknown attribution model(s) {unknown}; expected some of {list(MODELS)}"
        )
    if not timed and set(chosen) & set(_TIMED):
        raise ArgumentError(
            f"models {sorted(set(chosen) & set(_TIMED))} need touch times and lead "
            "dates, which a path table does not have; pass a journeys frame"
        )
    return chosen


def _credit(w: Walks, model: str, settings: dict) -> tuple[np.ndarray, np.ndarray]:
    n = len(w.labels)
    if model in RULES:
        share = rule_shares(w, model, **settings["rules"])
        conv = np.bincount(w.state, share * w.conversions[w.journey], n)
        value = np.bincount(w.state, share * w.value[w.journey], n)
        return conv, value
    if model.startswith("markov_"):
        conv, value, _ = markov_credit(w, order=int(model[-1]))
        return conv, value
    return shapley_credit(w, **settings["shapley"])


def attribute(
    source: pd.DataFrame | LeadData | RemoteData,
    *,
    models: Sequence[str] | str | None = None,
    by: str = "channel",
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    position_weights: tuple[float, float] = DEFAULT_POSITION_WEIGHTS,
    w_weights: tuple[float, float, float] = DEFAULT_W_WEIGHTS,
    shapley_game: str = "conversions",
    max_channels: int = MAX_CHANNELS,
    **options: Any,
) -> pd.DataFrame:
    """Conversions and revenue credited to each channel (or campaign), per model.

    Parameters
    ----------
    source : pandas.DataFrame, LeadData or RemoteData
        A :func:`~leadkpi.attribution.journeys` frame, or a path table
        (``path``, ``conversions``, ``value``, ``nulls`` or ``journeys``: the
        form a warehouse ``GROUP BY path`` returns; see
        :func:`~leadkpi.attribution.check_path_table`), or the data to build the
        journeys of. For a :class:`~leadkpi.warehouse.RemoteData` the distinct
        paths are counted on its backend
        (:func:`~leadkpi.attribution.remote.remote_paths`) and the models run on
        them, as on a path table but with the level's own columns (``by`` may be
        ``"campaign"``).
    models : str or sequence of str, optional
        Model ids (:data:`MODELS`): ``first_touch``, ``last_touch``,
        ``last_non_direct``, ``linear``, ``time_decay``, ``position`` (U-shaped),
        ``w_shaped``, ``markov_1`` to ``markov_3`` (removal effect, exact; see
        :mod:`leadkpi.attribution.markov`), ``shapley`` (exact; see
        :mod:`leadkpi.attribution.shapley`). Default :data:`DEFAULT_MODELS`
        (without the two that need times, for a path table).
    by : {"channel", "campaign"}
        Credit channels, or campaigns (with their channel). A path table is
        always attributed to the names on its paths (``by="channel"``).
    half_life_days : float
        Time decay: a touch this many days before the conversion counts half.
    position_weights : (float, float)
        U-shaped: shares of the first and last touches; the rest goes to the
        touches between. Two touches split in the ratio first:last.
    w_weights : (float, float, float)
        W-shaped: shares of the first, lead-creation and opportunity-creation
        touches; the rest is spread over the other touches.
    shapley_game : {"conversions", "rate"}
        The coalition worth Shapley uses (see :mod:`leadkpi.attribution.shapley`).
    max_channels : int
        Most channels Shapley enumerates coalitions over.
    **options
        For data: :func:`~leadkpi.attribution.journeys`'s ``conversion``,
        ``lookback_days``, ``start``, ``end``, ``value_col``.

    Returns
    -------
    pandas.DataFrame
        ``model``, the level's columns (``channel``; or ``channel, campaign``),
        ``conversions`` and ``revenue`` credited, ``share`` (of the model's
        conversions). Under every model ``conversions`` and ``revenue`` sum to
        the observed totals, which ``attrs`` holds (``conversions``,
        ``revenue``) with the journeys' ``dropped`` and ``no_touch`` counts.

    Examples
    --------
    >>> from leadkpi import load
    >>> from leadkpi.attribution import journeys
    >>> credit = attribute(journeys(load("leadkpi.yaml")))
    >>> credit.groupby("model", sort=False)["conversions"].sum().round(6).unique()
    array([205.])
    >>> list(credit.columns)
    ['model', 'channel', 'conversions', 'revenue', 'share']
    """
    source = journey_source(source, options)
    if isinstance(source, RemoteData):
        w, attrs = remote_walks(source, _level(by), options)
    else:
        w, attrs = walks(source, by=by), source.attrs
    chosen = _models(models, timed=w.days_before is not None)
    settings = {
        "rules": {
            "half_life_days": half_life_days,
            "position_weights": position_weights,
            "w_weights": w_weights,
        },
        "shapley": {"game": shapley_game, "max_channels": max_channels},
    }
    columns = ["model", *w.labels.columns, "conversions", "revenue", "share"]
    parts = [
        pd.DataFrame({c: pd.Series(dtype=object) for c in columns[:-3]}).assign(
            conversions=0.0, revenue=0.0, share=0.0
        )
    ]  # the columns, also when there is no journey
    for model in chosen if len(w.journey) else ():  # one vectorised pass per model
        conv, value = _credit(w, model, settings)
        total = conv.sum()
        part = w.labels.assign(
            conversions=conv,
            revenue=value,
            share=conv / total if total else np.nan,
        )
        part.insert(0, "model", model)
        parts.append(part)
    table = pd.concat(parts, ignore_index=True)
    table.attrs = {k: v for k, v in attrs.items() if k != "dropped"} | {
        "dropped": dict(attrs.get("dropped", {})),
        "by": by,
        "conversions": float(w.conversions.sum()),
        "revenue": float(w.value.sum()),
    }
    return table
