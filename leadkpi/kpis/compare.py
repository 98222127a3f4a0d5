"""Period-over-period comparison of an engine result."""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadkpi.kpis.formulas import ratio
from leadkpi.periods import GRAINS

__all__ = ["compare"]


def compare(result: pd.DataFrame, to: str = "previous_period") -> pd.DataFrame:
    """Add the previous value of each KPI and how it changed.

    Parameters
    ----------
    result : pandas.DataFrame
        A :func:`leadkpi.compute` result with a period column; the earlier periods
        compared with must be in it (compute a range that includes them).
    to : {"previous_period", "previous_year"}
        Compare with the period before, or the same period a year earlier.

    Returns
    -------
    pandas.DataFrame
        ``result`` plus ``previous``, ``change`` (value − previous), ``change_rate``
        (change / |previous|, NaN when previous is 0 or missing) and ``improved``
        (True/False by the KPI's direction, missing when it has none or no change).
    """
    grains = [g for g in GRAINS if g in result.columns]
    if not grains:
        raise ValueError("compare() needs a result computed with a period in by=")
    if to not in ("previous_period", "previous_year"):
        raise ValueError(f"to must be 'previous_period' or 'previous_year', not {to!r}")
    period = grains[0]
    dims = [c for c in result.columns[: result.columns.get_loc("kpi")] if c != period]
    earlier = result[[period, *dims, "kpi", "value"]].rename(
        columns={"value": "previous"}
    )
    if to == "previous_period":
        earlier[period] = earlier[period] + 1
    else:
        freq = earlier[period].dt.freq
        shifted = earlier[period].dt.start_time + pd.DateOffset(years=1)
        earlier[period] = shifted.dt.to_period(freq)
    out = result.merge(earlier, on=[period, *dims, "kpi"], how="left")
    out["change"] = out["value"] - out["previous"]
    out["change_rate"] = ratio(out["change"], out["previous"].abs())
    sign = np.sign(out["change"])
    direction = out["better"].map({"higher": 1.0, "lower": -1.0})
    known = sign.notna() & direction.notna() & (sign != 0)
    out["improved"] = pd.Series(pd.NA, index=out.index, dtype="boolean")
    out.loc[known, "improved"] = (sign * direction)[known] > 0
    return out
