"""A points scorecard as data, and the scores it gives, rule by rule.

A :class:`Scorecard` is a list of :class:`Rule` objects plus an MQL threshold, read
from YAML or a dict (:func:`load_scorecard`); the default lives in the package's
``scorecard.yaml``. :func:`score` evaluates it on the leads (and touches) of a
:class:`~leadkpi.LeadData` or on any frame of leads, one vectorised pass per rule.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from leadkpi.data import LeadData
from leadkpi.exceptions import ArgumentError, ConfigError
from leadkpi.scoring.features import epoch_seconds, qualification_point, touch_rows

__all__ = ["Rule", "Scorecard", "load_scorecard", "score", "ScorecardError"]

_DAY = 86_400.0
_RULE_KEYS = {"name", "column", "values", "contains", "range", "touch", "points"} | {
    "max_points"
}


class ScorecardError(ArgumentError):
    """A scorecard rule that is malformed or cannot be applied to the data."""


@dataclass(frozen=True)
class Rule:
    """One line of a scorecard.

    Exactly one condition: ``values`` (the column equals one of them, ignoring case
    and surrounding spaces), ``contains`` (the column's text contains it),
    ``range`` (``low <= column < high``; ``None`` for an open end) on a leads
    ``column``; or ``touch`` (a touch type): ``points`` per touch of that type
    before the lead's qualification point, decayed with age when the scorecard
    has a half-life, capped at ``max_points``.
    """

    name: str
    points: float
    column: str | None = None
    values: tuple[str, ...] | None = None
    contains: str | None = None
    range: tuple[float | None, float | None] | None = None
    touch: str | None = None
    max_points: float | None = None

    def __post_init__(self) -> None:
        conditions = [
            k for k in ("values", "contains", "range", "touch") if getattr(self, k)
        ]
        if len(conditions) != 1:
            raise ScorecardError(
                f"rule {self.name!r}: expected exactly one of values, contains, range "
                f"or touch; got {conditions or 'none'}"
            )
        if self.touch is None and not self.column:
            raise ScorecardError(f"rule {self.name!r}: {conditions[0]} needs a column")


@dataclass(frozen=True)
class Scorecard:
    """Rules, the MQL ``threshold`` and the engagement ``half_life_days``
    (``None``: engagement points do not decay)."""

    rules: tuple[Rule, ...]
    threshold: float
    half_life_days: float | None = None

    @property
    def names(self) -> list[str]:
        return [r.name for r in self.rules]


def _rule(raw: Any, index: int) -> Rule:
    if not isinstance(raw, Mapping):
        raise ScorecardError(f"rule {index + 1}: expected a mapping, got {raw!r:.60}")
    name = str(raw.get("name", f"rule_{index + 1}"))
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise ScorecardError(
            f"rule {name!r}: unknown key(s) {sorted(unknown)}; expected some of "
            f"{sorted(_RULE_KEYS)}"
        )
    if "points" not in raw:
        raise ScorecardError(f"rule {name!r}: no points")
    values = raw.get("values")
    if values is not None:
        values = tuple(
            str(v) for v in ([values] if isinstance(values, str) else values)
        )
    bounds = raw.get("range")
    if bounds is not None:
        if not isinstance(bounds, list | tuple) or len(bounds) != 2:
            raise ScorecardError(f"rule {name!r}: range must be [low, high]")
        bounds = tuple(None if b is None else float(b) for b in bounds)
    cap = raw.get("max_points")
    return Rule(
        name=name,
        points=float(raw["points"]),
        column=raw.get("column"),
        values=values,
        contains=None if raw.get("contains") is None else str(raw["contains"]),
        range=bounds,
        touch=None if raw.get("touch") is None else str(raw["touch"]),
        max_points=None if cap is None else float(cap),
    )


def load_scorecard(
    source: str | os.PathLike[str] | Mapping[str, Any] | None = None,
) -> Scorecard:
    """Read a scorecard from a YAML file, a dict, or the default.

    A YAML file may hold the scorecard itself or a project config with a
    ``scorecard:`` section.

    Examples
    --------
    >>> card = load_scorecard()
    >>> card.threshold, card.names[0]
    (40.0, 'senior_title')
    >>> load_scorecard({"threshold": 5, "rules": [
    ...     {"name": "big", "column": "company_size", "values": ["1000+"],
    ...      "points": 5}]}).rules[0].values
    ('1000+',)
    """
    if source is None:
        text = resources.files("leadkpi.scoring").joinpath("scorecard.yaml")
        raw = yaml.safe_load(text.read_text(encoding="utf-8"))
    elif isinstance(source, Mapping):
        raw = source
    else:
        path = Path(source)
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"{path}: cannot read the scorecard: {exc}") from None
    if isinstance(raw, Mapping) and "scorecard" in raw:
        raw = raw["scorecard"]
    if not isinstance(raw, Mapping) or not isinstance(raw.get("rules"), list):
        raise ScorecardError("a scorecard needs a list of rules under 'rules'")
    if "threshold" not in raw:
        raise ScorecardError("a scorecard needs an MQL 'threshold'")
    half_life = raw.get("half_life_days")
    return Scorecard(
        rules=tuple(_rule(r, i) for i, r in enumerate(raw["rules"])),
        threshold=float(raw["threshold"]),
        half_life_days=None if half_life is None else float(half_life),
    )


def _clean_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes of a text column and its distinct values stripped and casefolded
    (code -1: missing)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    text = pd.Series(np.asarray(uniques, dtype=object).astype(str), dtype="string")
    return codes, text.str.strip().str.casefold().to_numpy(dtype=object)


class _Columns:
    """Each leads column factorised once: rules compare distinct values only."""

    def __init__(self, leads: pd.DataFrame) -> None:
        self._leads = leads
        self._cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def text(self, rule: Rule) -> tuple[np.ndarray, np.ndarray]:
        column = self._column(rule)
        if column not in self._cache:
            self._cache[column] = _clean_codes(self._leads[column])
        return self._cache[column]

    def number(self, rule: Rule) -> np.ndarray:
        values = pd.to_numeric(self._leads[self._column(rule)], errors="coerce")
        return values.to_numpy(dtype="float64", na_value=np.nan)

    def _column(self, rule: Rule) -> str:
        if rule.column not in self._leads.columns:
            raise ScorecardError(
                f"scorecard rule {rule.name!r} uses the column {rule.column!r}, which "
                f"the leads table does not have; it has "
                f"{', '.join(map(str, self._leads.columns))}"
            )
        return rule.column


def _attribute_points(rule: Rule, columns: _Columns) -> np.ndarray:
    if rule.range is not None:
        value = columns.number(rule)
        low, high = rule.range
        hit = np.isfinite(value)
        if low is not None:
            hit &= value >= low
        if high is not None:
            hit &= value < high
        return np.where(hit, rule.points, 0.0)
    codes, uniques = columns.text(rule)
    if rule.values is not None:
        matches = np.isin(uniques, [v.strip().casefold() for v in rule.values])
    else:
        needle = rule.contains.casefold()
        matches = np.array([needle in u for u in uniques], dtype=bool)  # distinct
    table = np.append(np.where(matches, rule.points, 0.0), 0.0)
    return table[codes]  # code -1 (missing) picks the trailing 0


def _touch_points(
    rules: list[Rule],
    leads: pd.DataFrame,
    touches: pd.DataFrame,
    cutoff: pd.Series,
    half_life: float | None,
) -> dict[str, np.ndarray]:
    kinds, names = _clean_codes(touches["touch_type"])
    wanted = list(dict.fromkeys(rule.touch.strip().casefold() for rule in rules))
    slot = {kind: i for i, kind in enumerate(wanted)}
    kind_slot = np.array([slot.get(name, -1) for name in names] + [-1])  # distinct
    # only the touches of a type some rule counts are matched to their lead
    counted = np.flatnonzero(kind_slot[kinds] >= 0)
    row = touch_rows(leads["lead_id"], touches["lead_id"].iloc[counted])
    age = (
        epoch_seconds(cutoff)[row] - epoch_seconds(touches["touched_at"])[counted]
    ) / _DAY
    before = np.flatnonzero((row >= 0) & (age >= 0))
    weight = np.ones(len(before))
    if half_life:
        weight = np.power(0.5, age[before] / half_life)
    # decayed touches per lead and type, all types in one pass
    cell = row[before] * len(wanted) + kind_slot[kinds[counted[before]]]
    per_type = np.bincount(cell, weights=weight, minlength=len(leads) * len(wanted))
    per_type = per_type.reshape(len(leads), len(wanted))
    out = {}
    for rule in rules:
        points = per_type[:, slot[rule.touch.strip().casefold()]] * rule.points
        if rule.max_points is not None:
            points = np.minimum(points, rule.max_points)
        out[rule.name] = points
    return out


def score(
    data: LeadData | pd.DataFrame,
    scorecard: Scorecard | Mapping[str, Any] | str | os.PathLike[str] | None = None,
    *,
    engagement_days: float = 7,
    stop_at: tuple[str, ...] = ("mql_at",),
) -> pd.DataFrame:
    """Score every lead with a scorecard, explained rule by rule.

    Parameters
    ----------
    data : LeadData or pandas.DataFrame
        The project's leads (and touches, for touch rules), or any frame of leads
        with a ``lead_id`` column (touch rules then need a LeadData).
    scorecard : Scorecard, dict, path, optional
        The rules; default the package's ``scorecard.yaml``.
    engagement_days, stop_at
        Touches count up to each lead's qualification point
        (:func:`leadkpi.scoring.features.qualification_point`).

    Returns
    -------
    pandas.DataFrame
        ``lead_id, score, mql`` (score at or above the threshold), then one column
        per rule with the points it gave; ``score`` is their sum.

    Raises
    ------
    ScorecardError
        When a rule names a column that the leads do not have (naming the rule and
        the column), or has touch rules without a touches table.

    Examples
    --------
    >>> import leadkpi
    >>> scores = score(leadkpi.load("leadkpi.yaml"))
    >>> list(scores.columns[:5])
    ['lead_id', 'score', 'mql', 'senior_title', 'manager_title']
    >>> bool((scores.iloc[:, 3:].sum(axis=1) == scores["score"]).all())
    True
    """
    card = scorecard if isinstance(scorecard, Scorecard) else load_scorecard(scorecard)
    leads = data.require("leads", "scoring") if isinstance(data, LeadData) else data
    if "lead_id" not in leads.columns:
        raise ArgumentError("score needs a lead_id column in the leads")
    columns = _Columns(leads)
    points = {
        r.name: _attribute_points(r, columns) for r in card.rules if r.touch is None
    }
    touch_rules = [r for r in card.rules if r.touch is not None]
    if touch_rules:
        touches = data.touches if isinstance(data, LeadData) else None
        if touches is None:
            raise ScorecardError(
                f"scorecard rule {touch_rules[0].name!r} counts touches, but there is "
                "no touches table; load one or drop the touch rules"
            )
        cutoff = qualification_point(
            leads, engagement_days=engagement_days, stop_at=stop_at
        )
        points |= _touch_points(
            touch_rules, leads, touches, cutoff, card.half_life_days
        )
    # one (rules x leads) block, handed to the frame transposed: no copy
    matrix = np.empty((len(card.rules), len(leads)))
    for i, name in enumerate(card.names):
        matrix[i] = points[name]
    total = matrix.sum(axis=0)
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "lead_id": leads["lead_id"].reset_index(drop=True),
                    "score": total,
                    "mql": total >= card.threshold,
                }
            ),
            pd.DataFrame(matrix.T, columns=card.names, copy=False),
        ],
        axis=1,
    )
