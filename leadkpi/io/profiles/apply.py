"""Apply a profile to a raw table: pick, rename and map the columns it names.

The result is still text, one row per row of the file, under canonical (and extra)
column names, ready for :func:`leadkpi.io.parse.parse_table`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from leadkpi.exceptions import DataFileError
from leadkpi.io.profiles.base import Profile, RawTable
from leadkpi.io.profiles.registry import header_key
from leadkpi.io.text import ROW_PROBLEM
from leadkpi.schemas import table_spec
from leadkpi.stage_labels import DEFAULT_STAGE_LABELS, label_map

__all__ = ["apply_profile", "map_values", "with_stage_labels"]

_OUTCOMES = ("won", "lost")


def with_stage_labels(
    profile: Profile, labels: Mapping[str, Sequence[str]] | None = None
) -> Profile:
    """``profile`` reading stage labels as ``labels`` say (default: the defaults).

    A deals export's ``stage`` labels that mean won or lost read ``won`` /
    ``lost``; a leads export's ``lifecycle_stage`` labels read the funnel stage ids.
    The profile's own value maps come first; the labels add to them.

    Examples
    --------
    >>> from leadkpi.io.profiles import get_profile
    >>> profile = with_stage_labels(get_profile("salesforce_opportunities"))
    >>> profile.values["stage"]["Cerrada ganada"]
    'won'
    """
    labels = DEFAULT_STAGE_LABELS if labels is None else labels
    column, stages = (
        ("stage", _OUTCOMES)
        if profile.kind == "deals"
        else ("lifecycle_stage", tuple(s for s in labels if s not in _OUTCOMES))
    )
    if column not in profile.columns:
        return profile
    values = dict(profile.values)
    values[column] = {**label_map(labels, stages), **profile.values.get(column, {})}
    return dataclasses.replace(profile, values=values)


def map_values(values: pd.Series, table: Mapping[str, str]) -> pd.Series:
    """Map ``values`` through ``table`` (trimmed, any case); others kept as found."""
    keys = {str(k).strip().casefold(): v for k, v in table.items()}
    codes, uniques = pd.factorize(values)  # map each distinct value once
    distinct = pd.Series(uniques, dtype="str")
    mapped = distinct.str.strip().str.casefold().map(keys)
    mapped = mapped.where(mapped.notna(), distinct)
    if values.dtype == "str":  # taken back to every row by pyarrow
        mapped = pa.array(mapped, type=pa.large_string(), from_pandas=True)
        out = pc.take(mapped, pa.array(codes, mask=codes < 0))
        return pd.Series(out, index=values.index, dtype=values.dtype)
    out = np.append(mapped.to_numpy(dtype=object), None)[codes]  # -1 takes None
    return pd.Series(out, index=values.index, dtype=values.dtype)


def apply_profile(profile: Profile, raw: RawTable) -> pd.DataFrame:
    """Rename, map and complete a raw table's columns as ``profile`` says.

    Returns the text frame with canonical (and extra) column names, one row per row
    of ``raw.frame``, ready for :func:`leadkpi.io.parse.parse_table`.
    """
    lookup: dict[str, str] = {}
    for name in raw.frame.columns:
        lookup.setdefault(header_key(name), name)
    data: dict[str, pd.Series] = {}
    for column, names in profile.columns.items():
        source = next((lookup[k] for k in map(header_key, names) if k in lookup), None)
        if source is None:
            continue
        values = raw.frame[source]
        if column in profile.values:
            values = map_values(values, profile.values[column])
        data[column] = values
    frame = pd.DataFrame(data, index=raw.frame.index)
    spec = table_spec(profile.kind)
    for column, value in profile.constants.items():
        if column not in frame:
            frame[column] = pd.Series(value, index=frame.index, dtype="str")
    if profile.transform is not None:
        frame = profile.transform(frame, raw)
    frame = frame.drop(columns=[c for c in frame.columns if c.startswith("_")])
    if ROW_PROBLEM in raw.frame:
        frame[ROW_PROBLEM] = raw.frame[ROW_PROBLEM]
    missing = [c for c in spec.required if c not in frame]
    if missing:
        wanted = "; ".join(
            f"{c} (from {' or '.join(repr(n) for n in profile.columns.get(c, ()))})"
            if profile.columns.get(c)
            else c
            for c in missing
        )
        found = ", ".join(repr(c) for c in raw.frame.columns if c != ROW_PROBLEM)
        raise DataFileError(
            str(raw.path),
            f"{profile.title}: required {profile.kind} column(s) missing: {wanted}; "
            f"the file's columns are {found}",
            line=raw.header_line,
        )
    return frame
