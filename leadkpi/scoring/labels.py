"""Labels and scores as they come out of a CRM: checked once, turned into arrays."""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadkpi.exceptions import ArgumentError

__all__ = ["as_label", "as_score", "TRUE_VALUES", "FALSE_VALUES"]

#: Label values read as 1 and as 0 (case-insensitive, surrounding spaces ignored).
TRUE_VALUES: tuple[str, ...] = ("1", "true", "yes", "1.0")
FALSE_VALUES: tuple[str, ...] = ("0", "false", "no", "0.0")


def as_label(values: object, name: str = "y_true") -> np.ndarray:
    """A 0/1 ``int8`` array from 0/1, booleans or true/false/yes/no text.

    Raises
    ------
    ArgumentError
        When a value is missing or is anything else; the message lists the distinct
        values found.

    Examples
    --------
    >>> as_label(["Yes", "no", " TRUE ", 0]).tolist()
    [1, 0, 1, 0]
    """
    array = np.asarray(values).ravel()
    if array.dtype.kind == "b":
        return array.astype("int8")
    if array.dtype.kind in "iuf" and np.isin(array, (0, 1)).all():
        return array.astype("int8")  # 0/1 numbers: no text to read
    # check the distinct values only: labels have a handful
    codes, uniques = pd.factorize(pd.Series(array, dtype=object), use_na_sentinel=False)
    text = pd.Series([str(v) for v in uniques], dtype="string").str.strip()
    text = text.str.casefold().where(pd.notna(pd.Series(uniques, dtype=object)))
    ones = text.isin(TRUE_VALUES).to_numpy(dtype=bool, na_value=False)
    zeros = text.isin(FALSE_VALUES).to_numpy(dtype=bool, na_value=False)
    bad = ~(ones | zeros)
    if bad.any():
        found = sorted(
            "<missing>" if pd.isna(v) else str(v)
            for v in np.asarray(uniques, dtype=object)[bad]
        )
        count = int(bad[codes].sum())
        shown = ", ".join(repr(v) for v in found[:20])
        more = f" and {len(found) - 20} more" if len(found) > 20 else ""
        raise ArgumentError(
            f"{name}: {count:,} value(s) are not a 0/1 label; found "
            f"{shown}{more}; expected 0/1, true/false or yes/no"
        )
    ones = ones[codes]
    return ones.astype("int8")


def as_score(values: object, name: str = "score") -> np.ndarray:
    """A float array of scores; missing or non-numeric values are refused.

    Examples
    --------
    >>> as_score([3, 1.5]).tolist()
    [3.0, 1.5]
    """
    try:
        score = np.asarray(values, dtype="float64").ravel()
    except (TypeError, ValueError):
        raise ArgumentError(f"{name}: expected numbers, got {values!r:.80}") from None
    bad = ~np.isfinite(score)
    if bad.any():
        raise ArgumentError(
            f"{name}: {int(bad.sum()):,} of {len(score):,} scores are missing or "
            f"infinite (first at position {int(np.argmax(bad))}); score every lead "
            "or drop the unscored ones"
        )
    return score
