"""Path tables: one row per distinct path, with its conversions, value and nulls.

This is the form a warehouse query produces (``GROUP BY path``) and the form
ChannelAttribution reads. :func:`path_table` aggregates a journeys frame into it;
:func:`check_path_table` validates one given by a user.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from leadkpi.exceptions import ArgumentError
from leadkpi.warehouse.connect import RemoteData

if TYPE_CHECKING:
    from leadkpi.data import LeadData

__all__ = ["path_table", "check_path_table", "PATH_COLUMNS", "PATH_SEPARATOR"]

#: Columns of a path table, in order.
PATH_COLUMNS = ("path", "conversions", "value", "nulls")
#: Between two touches of a path, as ChannelAttribution writes them.
PATH_SEPARATOR = " > "
#: Keywords that build journeys from data, with their defaults
#: (:func:`~leadkpi.attribution.journeys`'s).
JOURNEY_OPTIONS = {
    "conversion": "customer",
    "lookback_days": 90,
    "start": None,
    "end": None,
    "value_col": "deal_value",
}
#: Journeys' attrs a path table keeps.
_KEPT = ("dropped", "no_touch", "conversion")


def path_table(
    source: pd.DataFrame | LeadData | RemoteData,
    *,
    by: str = "channel",
    **options: Any,
) -> pd.DataFrame:
    """Aggregate journeys into distinct paths.

    Distinct paths are found with a trie built one step at a time over the
    integer codes of all journeys at once (one sort per step depth, not per
    journey); the text of a path is built only once per distinct path. Given a
    :class:`~leadkpi.warehouse.RemoteData`, the journeys are built and grouped by
    path on its backend (:func:`~leadkpi.attribution.remote.remote_paths`) and
    only the distinct paths come back: the same table as for the same data in
    memory.

    Parameters
    ----------
    source : pandas.DataFrame, LeadData or RemoteData
        A :func:`~leadkpi.attribution.journeys` result, or the data to build the
        journeys of (in memory, or on a backend).
    by : {"channel", "campaign"}
        Name each touch by its channel or by its campaign (``channel/campaign``).
    **options
        For data: :func:`~leadkpi.attribution.journeys`'s ``conversion``,
        ``lookback_days``, ``start``, ``end``, ``value_col`` (refused with a
        journeys frame, which was cut already).

    Returns
    -------
    pandas.DataFrame
        ``path`` (names joined by ``" > "``), ``conversions``, ``value``,
        ``nulls`` (journeys on the path that did not convert); most journeys
        first, then by path. ``attrs`` keeps the journeys' (``dropped``,
        ``no_touch``, ``conversion``).

    Examples
    --------
    >>> from leadkpi import load
    >>> from leadkpi.attribution import journeys
    >>> paths = path_table(journeys(load("leadkpi.yaml")))
    >>> list(paths.columns)
    ['path', 'conversions', 'value', 'nulls']
    >>> int(paths["conversions"].sum())
    205
    """
    from leadkpi.attribution.walks import walks  # walks reads this module's checks

    frame = journey_source(source, options)
    if isinstance(frame, RemoteData):
        from leadkpi.attribution.remote import remote_paths

        return remote_paths(frame, by=by, **options)
    w = walks(frame, by=by)
    names = (
        w.labels["channel"].to_numpy(dtype=object)
        if by == "channel"
        else (w.labels["channel"] + "/" + w.labels["campaign"]).to_numpy(dtype=object)
    )
    starts = w.starts if len(w.journey) else np.zeros(0, np.int64)  # no journey
    lengths = np.diff(np.r_[starts, len(w.journey)])
    node = np.zeros(len(starts), dtype=np.int64)
    for depth in range(int(lengths.max()) if len(lengths) else 0):
        active = np.flatnonzero(lengths > depth)
        key = node[active] * (len(names) + 1) + w.state[starts[active] + depth] + 1
        _, node[active] = np.unique(key, return_inverse=True)
    key = lengths.astype(np.int64) * (int(node.max(initial=0)) + 1) + node
    distinct, path_of = np.unique(key, return_inverse=True)
    representative = np.zeros(len(distinct), np.int64)
    representative[path_of[::-1]] = np.arange(len(path_of))[::-1]
    text = np.full(len(representative), "", dtype=object)
    rep_len = lengths[representative]
    for depth in range(int(rep_len.max()) if len(rep_len) else 0):
        active = np.flatnonzero(rep_len > depth)
        step = names[w.state[starts[representative[active]] + depth]]
        text[active] = text[active] + (PATH_SEPARATOR if depth else "") + step

    def count(of: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
        return np.bincount(of, weights, n).astype(float)  # float also when empty

    table = pd.DataFrame(
        {
            "path": pd.Series(text, dtype="str"),
            "conversions": count(path_of, w.conversions, len(text)),
            "value": count(path_of, w.value, len(text)),
            "nulls": count(path_of, w.nulls, len(text)),
        }
    )
    total = table["conversions"] + table["nulls"]
    order = np.lexsort((table["path"].to_numpy(dtype=object), -total.to_numpy()))
    table = table.iloc[order].reset_index(drop=True)
    kept = {k: frame.attrs[k] for k in _KEPT if k in frame.attrs}
    table.attrs = {k: dict(v) if isinstance(v, dict) else v for k, v in kept.items()}
    return table


def journey_source(
    source: pd.DataFrame | LeadData | RemoteData, options: dict[str, Any]
) -> pd.DataFrame | RemoteData:
    """A journeys frame as given, the journeys of in-memory data, or the
    RemoteData itself; ``options`` are :func:`journeys`'s, refused for a frame."""
    from leadkpi.attribution.journeys import journeys

    unknown = sorted(set(options) - set(JOURNEY_OPTIONS))
    if unknown:
        raise ArgumentError(
            f"unknown option(s) {unknown}; the journeys take {list(JOURNEY_OPTIONS)}"
        )
    if isinstance(source, pd.DataFrame):
        if options:
            raise ArgumentError(
                f"{sorted(options)} apply to data, not to a journeys frame or a "
                "path table (its journeys were cut already)"
            )
        return source
    if isinstance(source, RemoteData):
        return source
    return journeys(source, **options)


def check_path_table(table: pd.DataFrame) -> pd.DataFrame:
    """Validate a path table and return it in the canonical columns.

    Accepts ``path`` and ``conversions`` with either ``nulls`` (journeys that did
    not convert) or ``journeys`` (all journeys on the path); ``value`` is
    optional (0). A row with a missing or empty path, a negative or missing
    count, or more conversions than journeys is refused, naming the row.

    Examples
    --------
    >>> check_path_table(pd.DataFrame({"path": ["a > b"], "conversions": [3],
    ...                                "journeys": [2]}))
    Traceback (most recent call last):
    ...
    leadkpi.exceptions.ArgumentError: path table row 0 ('a > b'): conversions = 3 \
is above journeys = 2
    """
    missing = [c for c in ("path", "conversions") if c not in table.columns]
    if missing or not {"nulls", "journeys"} & set(table.columns):
        raise ArgumentError(
            "a path table needs columns path, conversions and nulls (or journeys); "
            f"it has {list(table.columns)}"
        )
    path = table["path"].astype("str")
    conv = pd.to_numeric(table["conversions"], errors="coerce")
    value = (
        pd.to_numeric(table["value"], errors="coerce")
        if "value" in table.columns
        else pd.Series(0.0, index=table.index)
    )
    if "nulls" in table.columns:
        nulls = pd.to_numeric(table["nulls"], errors="coerce")
        counts = {"conversions": conv, "nulls": nulls}
    else:
        total = pd.to_numeric(table["journeys"], errors="coerce")
        counts = {"conversions": conv, "journeys": total}
        nulls = total - conv
    blank = table["path"].isna() | (path.str.strip() == "")
    _refuse(table, blank, "path", "is empty", path)
    for name, values in counts.items():
        _refuse(table, values.isna() | (values < 0), name, "is not a count ≥ 0", path)
    _refuse(table, value.isna(), "value", "is not a number", path)
    if "journeys" in counts:
        bad = conv > counts["journeys"]
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ArgumentError(
                f"path table row {i} ({path.iloc[i]!r}): conversions = "
                f"{conv.iloc[i]:g} is above journeys = {counts['journeys'].iloc[i]:g}"
            )
    return pd.DataFrame(
        {
            "path": path.to_numpy(),
            "conversions": conv.to_numpy(float),
            "value": value.to_numpy(float),
            "nulls": nulls.to_numpy(float),
        }
    )


def _refuse(
    table: pd.DataFrame,
    bad: pd.Series,
    column: str,
    problem: str,
    path: pd.Series,
) -> None:
    if not bad.any():
        return
    i = int(np.flatnonzero(bad.to_numpy())[0])
    shown = table[column].iloc[i] if column in table.columns else None
    shown = shown.item() if isinstance(shown, np.generic) else shown
    raise ArgumentError(
        f"path table row {i} ({path.iloc[i]!r}): {column} = {shown!r} {problem}"
        f" ({int(bad.sum())} such rows)"
    )
