"""Targets beside KPI values: the target that applies to each row, met or missed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from leadkpi.arguments import unknown
from leadkpi.config import Target, parse_targets
from leadkpi.exceptions import ArgumentError
from leadkpi.kpis.definitions import KPIS

__all__ = ["add_targets", "check_targets", "STATUSES"]

#: The values of ``status``: the value is as good as the target or better, or not.
STATUSES = ("met", "missed")


def _specific(
    result: pd.DataFrame, targets: Mapping[str, Target]
) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the dimension target that applies and its rank (lower wins).

    A KPI's dimensions rank in the order its target lists them; rows that no
    dimension target matches get NaN and an infinite rank.
    """
    rows = [
        (kpi, dim, str(value), number, rank)
        for kpi, target in targets.items()
        for rank, (dim, values) in enumerate(target.by.items())
        for value, number in values.items()
    ]
    table = pd.DataFrame(rows, columns=["kpi", "dim", "level", "target", "rank"])
    best = np.full(len(result), np.nan)
    best_rank = np.full(len(result), np.inf)
    kpis = result["kpi"].astype("str").to_numpy()
    for dim, entries in table.groupby("dim", sort=False):
        if dim not in result.columns:
            continue
        keys = pd.DataFrame(
            {"kpi": kpis, "level": result[dim].astype("str").to_numpy()}
        )
        found = keys.merge(entries, on=["kpi", "level"], how="left")
        rank = found["rank"].fillna(np.inf).to_numpy(float)
        better = rank < best_rank
        best = np.where(better, found["target"].to_numpy(float), best)
        best_rank = np.where(better, rank, best_rank)
    return best, best_rank


def check_targets(
    targets: Mapping[str, Any] | None, extra: Iterable[str] = ()
) -> Mapping[str, Target]:
    """Parse ``targets`` and refuse a target for a KPI id that does not exist.

    Valid ids are the catalogue's (:func:`leadkpi.catalogue`) and ``extra`` (your
    own KPIs in the result). A misspelt id is an error, never a target silently
    ignored.

    Examples
    --------
    >>> check_targets({"cost_per_leed": 60})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    leadkpi.exceptions.ArgumentError: targets='cost_per_leed' is not a KPI id; \
did you mean 'cost_per_lead' or ...
    """
    parsed = parse_targets(targets)
    known = [*KPIS, *extra]
    for kpi_id in parsed:
        if kpi_id not in known:
            raise unknown("targets", kpi_id, known, what="a KPI id")
    return parsed


def add_targets(
    result: pd.DataFrame, targets: Mapping[str, Any] | None
) -> pd.DataFrame:
    """Add the target of each row and whether the value met it.

    Parameters
    ----------
    result : pandas.DataFrame
        A :func:`leadkpi.compute` (or :func:`leadkpi.compare`) result: grain columns,
        then ``kpi``, ``value``, …, ``better``.
    targets : mapping or None
        ``Config.targets``, or a mapping of the ``leadkpi.yaml`` shape given from
        Python: KPI id → a number, or ``{"value": 60, "channel": {"paid_search":
        80}}`` (see :func:`leadkpi.config.parse_targets`). Targets are compared as
        given, whatever the grain: monthly targets belong beside monthly results.
        Relative targets (a ``change`` ``against`` a reference period) are left
        out here: :func:`leadkpi.target_progress` evaluates them.

    Returns
    -------
    pandas.DataFrame
        ``result`` (same type, not mutated) plus ``target`` (float, NaN where the KPI
        has none) and ``status``: ``"met"`` when the value is at least the target for
        a KPI where higher is better (at most, where lower is), ``"missed"``
        otherwise, missing when there is no target, no value or no direction. When
        the result has a dimension the target names values of, the value's own
        target wins over the KPI's overall one.

    Raises
    ------
    ConfigError
        When ``targets`` has a bad shape (naming the setting).
    ArgumentError
        When ``result`` lacks the ``kpi``, ``value`` or ``better`` column, or a
        target names a KPI id that neither the catalogue nor ``result`` has
        (:func:`check_targets`).

    Examples
    --------
    >>> from leadkpi import compute, load
    >>> data = load("leadkpi.yaml")
    >>> result = compute(data, ["leads", "cost_per_lead"], by=("month", "channel"),
    ...                  start="2026-10", end="2026-10")
    >>> judged = add_targets(result, {"leads": 50,
    ...                               "cost_per_lead": {"channel": {"events": 300}}})
    >>> judged.loc[judged["channel"] == "events",
    ...            ["kpi", "value", "target", "status"]].round(1)
                 kpi  value  target  status
    6          leads   20.0    50.0  missed
    7  cost_per_lead  279.6   300.0     met
    """
    missing = [c for c in ("kpi", "value", "better") if c not in result.columns]
    if missing:
        raise ArgumentError(
            f"add_targets() needs a KPI result; the frame has no {missing} column(s)"
        )
    parsed = check_targets(targets, result["kpi"].astype("str").unique())
    overall = {k: t.value for k, t in parsed.items() if t.value is not None}
    target = result["kpi"].astype("str").map(overall).to_numpy(float)
    specific, rank = _specific(result, parsed)
    target = np.where(np.isfinite(rank), specific, target)
    value = result["value"].to_numpy(float)
    better = result["better"].astype("object").to_numpy()
    met = np.where(better == "lower", value <= target, value >= target)
    known = (
        np.isfinite(value) & np.isfinite(target) & np.isin(better, ["higher", "lower"])
    )
    status = pd.Series(
        np.where(met, STATUSES[0], STATUSES[1]), index=result.index, dtype="string"
    ).where(known)
    return result.assign(target=target, status=status)
