"""How much the credit moves with the lookback window or the time-decay half-life."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from leadkpi.attribution.credit import attribute
from leadkpi.attribution.journeys import journeys
from leadkpi.exceptions import ArgumentError

__all__ = ["sensitivity", "PARAMETERS"]

#: The settings whose effect :func:`sensitivity` shows, with default values.
PARAMETERS = {
    "lookback_days": (30, 60, 90, 180),
    "half_life_days": (3, 7, 14, 30),
}


def sensitivity(
    data: object,
    *,
    parameter: str = "lookback_days",
    values: Sequence[float] | None = None,
    model: str | None = None,
    conversion: str = "customer",
    start: str | pd.Period | None = None,
    end: str | pd.Period | None = None,
    lookback_days: float | None = 90,
    by: str = "channel",
) -> pd.DataFrame:
    """Credit per channel under one model, for several values of one setting.

    Parameters
    ----------
    data : LeadData
    parameter : {"lookback_days", "half_life_days"}
        The setting varied: the journeys' lookback window, or the time-decay
        half-life (journeys then use ``lookback_days``).
    values : sequence of float, optional
        Its values; default :data:`PARAMETERS`.
    model : str, optional
        The model to run; default ``linear`` for the lookback (it credits every
        touch the window keeps) and ``time_decay`` for the half-life.
    conversion, start, end, lookback_days, by
        As :func:`~leadkpi.attribution.journeys` and
        :func:`~leadkpi.attribution.attribute`.

    Returns
    -------
    pandas.DataFrame
        :func:`~leadkpi.attribution.attribute`'s columns with the varied setting
        as a column named after it, first.

    Examples
    --------
    >>> from leadkpi import load
    >>> table = sensitivity(load("leadkpi.yaml"), values=(30, 90))
    >>> table.groupby("lookback_days")["conversions"].sum().tolist()
    [205.0, 205.0]
    """
    if parameter not in PARAMETERS:
        raise ArgumentError(
            f"parameter={parameter!r}: expected one of {list(PARAMETERS)}"
        )
    values = PARAMETERS[parameter] if values is None else tuple(values)
    window = {"conversion": conversion, "start": start, "end": end}
    parts = []
    if parameter == "lookback_days":
        model = model or "linear"
        for value in values:  # one full run per setting, not per row
            paths = journeys(data, lookback_days=value, **window)
            parts.append(attribute(paths, models=model, by=by).assign(
                **{parameter: value}))
    else:
        model = model or "time_decay"
        paths = journeys(data, lookback_days=lookback_days, **window)
        for value in values:
            parts.append(attribute(
                paths, models=model, by=by, half_life_days=value
            ).assign(**{parameter: value}))
    table = pd.concat(parts, ignore_index=True)
    return table[[parameter, *table.columns[:-1]]]
