"""Text columns built in Arrow: identifiers and values looked up by code."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["labels", "pick"]


def labels(prefix: str, numbers: np.ndarray, total: int) -> pd.Series:
    """Identifiers like ``L000001``: ``prefix`` + number zero-padded to 6+ digits."""
    width = max(6, len(str(total)))
    return prefix + pd.Series(numbers, dtype="int64").astype("str").str.zfill(width)


def pick(values: Sequence[str | None] | pd.Series, codes: np.ndarray) -> pd.Series:
    """``values[codes]`` as a pandas ``str`` Series; None and "" become missing."""
    if isinstance(values, pd.Series):
        table = pa.array(values, type=pa.string())
    else:
        table = pa.array([v or None for v in values], type=pa.string())
    taken = table.take(pa.array(np.asarray(codes, dtype="int64")))
    return pd.Series(pd.array(taken, dtype="str"))
