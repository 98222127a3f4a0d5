"""The arrays every attribution model reads: touches as integer codes, per journey
the conversions, value and non-conversions it stands for.

Built from a :func:`~leadkpi.attribution.journeys` frame (each journey stands for
itself: 1 conversion or 1 non-conversion) or from an aggregated path table (each
distinct path stands for its counts). Internal to the package.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from leadkpi.attribution.journeys import DIRECT
from leadkpi.attribution.paths import PATH_SEPARATOR, check_path_table
from leadkpi.exceptions import ArgumentError

__all__ = ["Walks", "walks"]

#: Attribution levels: what a touch is credited to.
LEVELS = {"channel": ("channel",), "campaign": ("channel", "campaign")}


@dataclass(frozen=True)
class Walks:
    """Touches in journey order, as integer codes.

    ``journey``, ``step``, ``state`` have one entry per touch (sorted by journey,
    then step); ``conversions``, ``value``, ``nulls`` one per journey; ``labels``
    names each state code (one column per level key). ``days_before``,
    ``lead_creation`` and ``opportunity_creation`` are None for a path table.
    """

    journey: np.ndarray
    step: np.ndarray
    state: np.ndarray
    labels: pd.DataFrame
    conversions: np.ndarray
    value: np.ndarray
    nulls: np.ndarray
    direct: np.ndarray
    days_before: np.ndarray | None = None
    lead_creation: np.ndarray | None = None
    opportunity_creation: np.ndarray | None = None

    @property
    def starts(self) -> np.ndarray:
        return np.flatnonzero(np.r_[True, self.journey[1:] != self.journey[:-1]])

    @property
    def steps(self) -> np.ndarray:
        """Touches per journey, one entry per touch."""
        return np.bincount(self.journey)[self.journey]

    @property
    def is_last(self) -> np.ndarray:
        return np.r_[self.journey[1:] != self.journey[:-1], len(self.journey) > 0]


def _level(by: str) -> tuple[str, ...]:
    if by not in LEVELS:
        raise ArgumentError(f"by={by!r} is not an attribution level; expected one "
                            f"of {list(LEVELS)}")
    return LEVELS[by]


def _codes(
    frame: pd.DataFrame, keys: tuple[str, ...]
) -> tuple[np.ndarray, pd.DataFrame]:
    """Dense codes of the level's key columns, only for values that occur."""
    combined = np.zeros(len(frame), dtype=np.int64)
    categories = []
    for key in keys:
        column = frame[key]
        if not isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype(str).astype("category")
        categories.append(column.cat.categories)
        combined = combined * len(column.cat.categories) + column.cat.codes.to_numpy()
    used = np.flatnonzero(np.bincount(combined)) if len(combined) else combined
    dense = np.full(int(combined.max()) + 1 if len(combined) else 0, -1)
    dense[used] = np.arange(len(used))
    labels, rest = {}, used
    for key, names in reversed(list(zip(keys, categories, strict=True))):
        labels[key] = np.asarray(names, dtype=object)[rest % len(names)]
        rest = rest // len(names)
    frame_labels = pd.DataFrame({k: labels[k] for k in keys})
    return dense[combined], frame_labels


def _from_journeys(frame: pd.DataFrame, keys: tuple[str, ...]) -> Walks:
    codes, labels = _codes(frame, keys)
    journey = frame["journey"].to_numpy()
    first = frame["step"].to_numpy() == 0
    converted = frame["converted"].to_numpy()[first].astype(float)
    return Walks(
        journey=journey,
        step=frame["step"].to_numpy(),
        state=np.asarray(codes, dtype=np.int64),
        labels=labels,
        conversions=converted,
        value=frame["value"].to_numpy(dtype=float)[first],
        nulls=1.0 - converted,
        direct=(frame["channel"] == DIRECT).to_numpy(),
        days_before=frame["days_before"].to_numpy(dtype=float),
        lead_creation=frame["lead_creation"].to_numpy(),
        opportunity_creation=frame["opportunity_creation"].to_numpy(),
    )


def _from_paths(table: pd.DataFrame, keys: tuple[str, ...]) -> Walks:
    if keys != ("channel",):
        raise ArgumentError(
            "a path table names one state per touch: attribute it by='channel' "
            "(its names may be campaigns)"
        )
    table = check_path_table(table)
    steps = table["path"].str.split(PATH_SEPARATOR.strip(), regex=False)
    touches = steps.explode()
    names = touches.str.strip().to_numpy(dtype=object)
    journey = np.repeat(np.arange(len(table)), steps.str.len().to_numpy())
    codes, uniques = pd.factorize(names, sort=True)
    starts = np.flatnonzero(np.r_[True, journey[1:] != journey[:-1]])
    return Walks(
        journey=journey,
        step=np.arange(len(journey)) - starts[journey],
        state=codes.astype(np.int64),
        labels=pd.DataFrame({"channel": pd.Series(uniques, dtype=object)}),
        conversions=table["conversions"].to_numpy(dtype=float),
        value=table["value"].to_numpy(dtype=float),
        nulls=table["nulls"].to_numpy(dtype=float),
        direct=names == DIRECT,
    )


def walks(source: pd.DataFrame, by: str = "channel") -> Walks:
    """The model arrays of a journeys frame or of a path table."""
    keys = _level(by)
    if "journey" in source.columns and "step" in source.columns:
        return _from_journeys(source, keys)
    if "path" in source.columns:
        return _from_paths(source, keys)
    raise ArgumentError(
        "expected a journeys frame (from leadkpi.attribution.journeys) or a path "
        f"table (path, conversions, value, nulls); got columns {list(source.columns)}"
    )
