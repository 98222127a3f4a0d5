"""Working time between two instants on a working-week calendar.

Response times can be counted on the calendar or on the project's working week
(:class:`leadkpi.config.BusinessHours`): the working seconds between ``start`` and
``end`` are

    working_days[day(start), day(end)) × day_length + open(end) − open(start)

where ``working_days`` is :func:`numpy.busday_count` (working weekdays that are not
holidays) and ``open(t)`` the working seconds of ``t``'s own day already elapsed at
``t`` (its time of day clipped to the opening hours, 0 on a day off). Everything is
vectorised; there is no loop per row.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from leadkpi.config import BusinessHours

__all__ = ["business_seconds"]


def _seconds(clock: dt.time) -> float:
    return clock.hour * 3600.0 + clock.minute * 60.0 + clock.second


def _wall_clock(times: pd.Series, timezone: str) -> pd.Series:
    """``times`` as naive wall-clock times in ``timezone`` (naive ones are taken as
    already local)."""
    times = pd.Series(times)
    if not pd.api.types.is_datetime64_any_dtype(times.dtype):
        times = pd.to_datetime(times, utc=True)
    if isinstance(times.dtype, pd.DatetimeTZDtype):
        times = times.dt.tz_convert(timezone).dt.tz_localize(None)
    return times.astype("datetime64[ns]")


def business_seconds(
    start: pd.Series,
    end: pd.Series,
    hours: BusinessHours,
    timezone: str,
) -> np.ndarray:
    """Working seconds from ``start`` to ``end`` on a working-week calendar.

    Parameters
    ----------
    start, end : pandas.Series
        Timezone-aware timestamps of the same length (naive ones are read as wall
        clock in the calendar's timezone).
    hours : BusinessHours
        Working weekdays, opening and closing time, holidays and timezone.
    timezone : str
        The timezone of the opening hours when ``hours.timezone`` is None (the
        project timezone).

    Returns
    -------
    numpy.ndarray
        float64 seconds, NaN where either end is missing. Time outside the opening
        hours, on days off and on holidays does not count: a lead created on a
        Saturday and answered on Monday at 09:30 (opening 09:00) waited 1,800 working
        seconds. When ``end`` is before ``start`` the result is the negative of the
        working time from ``end`` to ``start`` (so callers can still flag it).

    Notes
    -----
    Opening hours are wall-clock times in the calendar's timezone, so a day of
    09:00–18:00 lasts 9 working hours on the days clocks change as well (the change
    happens at night, outside the opening hours).

    Examples
    --------
    >>> import datetime as dt
    >>> import pandas as pd
    >>> from leadkpi.config import BusinessHours
    >>> created = pd.Series(pd.to_datetime(["2026-03-07 11:00"]).tz_localize(
    ...     "Europe/Madrid"))                       # a Saturday
    >>> called = pd.Series(pd.to_datetime(["2026-03-09 09:30"]).tz_localize(
    ...     "Europe/Madrid"))                       # the Monday after
    >>> business_seconds(created, called, BusinessHours(), "Europe/Madrid")
    array([1800.])
    """
    zone = hours.timezone or timezone
    first = _wall_clock(start, zone)
    last = _wall_clock(end, zone)
    missing = (first.isna() | last.isna()).to_numpy()
    calendar = np.busdaycalendar(
        weekmask=[int(d in hours.days) for d in range(7)],
        holidays=np.asarray(hours.holidays, dtype="datetime64[D]"),
    )
    opens, closes = _seconds(hours.start), _seconds(hours.end)
    placeholder = np.datetime64("2000-01-01", "ns")

    def split(times: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        values = times.to_numpy(dtype="datetime64[ns]").copy()
        values[missing] = placeholder
        days = values.astype("datetime64[D]")
        clock = (values - days.astype("datetime64[ns]")) / np.timedelta64(1, "s")
        elapsed = np.clip(clock, opens, closes) - opens
        return days, np.where(np.is_busday(days, busdaycal=calendar), elapsed, 0.0)

    first_day, first_open = split(first)
    last_day, last_open = split(last)
    # busday_count(later, earlier) counts (earlier, later], not -[earlier, later)
    forward = first_day <= last_day
    whole = np.where(
        forward,
        np.busday_count(first_day, last_day, busdaycal=calendar),
        -np.busday_count(last_day, first_day, busdaycal=calendar),
    )
    out = whole * (closes - opens) + last_open - first_open
    out = out.astype("float64")
    out[missing] = np.nan
    return out
