"""Days, the daily lead volume of each source, and working hours in Madrid.

Times are handled as float seconds since 1970-01-01 (NaN when missing): wall-clock
seconds in the company's timezone while stages are scheduled, UTC seconds once
converted with :func:`local_to_utc`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadkpi.datasets._company import TIMEZONE, Campaign

__all__ = [
    "DAY",
    "HOUR",
    "day_grid",
    "weekday_factor",
    "lead_intensity",
    "clock_times",
    "local_to_utc",
    "to_working_hours",
]

DAY = 86_400.0
HOUR = 3_600.0

# Relative lead volume by weekday (Monday first) and by local hour of the day.
_WEEKDAY = np.array([1.12, 1.18, 1.14, 1.05, 0.82, 0.3, 0.28])
_HOURS_WEEKDAY = np.array(
    [0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 1.8, 3.0, 3.4, 3.3,
     2.8, 2.0, 2.2, 2.6, 2.6, 2.2, 1.6, 1.2, 1.0, 0.9, 0.7, 0.4]
)  # fmt: skip
_HOURS_WEEKEND = np.array(
    [0.3, 0.2, 0.1, 0.05, 0.05, 0.1, 0.2, 0.4, 0.8, 1.2, 1.5, 1.6,
     1.5, 1.3, 1.2, 1.2, 1.3, 1.4, 1.4, 1.4, 1.3, 1.1, 0.8, 0.5]
)  # fmt: skip
# Seasonality by month (January first); the second half of December is set apart.
_MONTH = np.array([0.95, 1.0, 1.05, 0.95, 1.05, 1.0, 0.85, 0.5, 1.05, 1.1, 1.1, 1.0])
_LATE_DECEMBER = 0.42
_GROWTH_PER_YEAR = 0.35
_WORK_START, _WORK_END = 9 * HOUR, 19 * HOUR


def day_grid(start: str, end: str) -> np.ndarray:
    """Every calendar day from ``start`` to ``end`` inclusive, as ``datetime64[D]``.

    Raises
    ------
    ValueError
        When ``end`` is not after ``start``.
    """
    first, last = np.datetime64(start, "D"), np.datetime64(end, "D")
    if last <= first:
        raise ValueError(f"end={end!r} must be after start={start!r}")
    return np.arange(first, last + 1, dtype="datetime64[D]")


def _parts(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Year, month (1-12), day of month and weekday (Monday = 0) of each day."""
    months = days.astype("datetime64[M]")
    year = months.astype("int64") // 12 + 1970
    month = months.astype("int64") % 12 + 1
    dom = (days - months).astype("int64") + 1
    weekday = (days.astype("int64") + 3) % 7
    return year, month, dom, weekday


def weekday_factor(days: np.ndarray) -> np.ndarray:
    """Relative lead volume of each day's weekday."""
    return _WEEKDAY[_parts(days)[3]]


def _activity(days: np.ndarray, campaign: Campaign) -> np.ndarray:
    """How active a source is on each day (0 = not running)."""
    year, month, dom, weekday = _parts(days)
    offset = (year - year[0]) * 12 + month - month[0]
    first, last = campaign.months
    running = (offset >= first) & (offset < (last if last is not None else 10**6))
    if campaign.pattern == "webinar":
        shape = np.where((dom >= 6) & (dom <= 20), 1.0, 0.08) * (month != 8)
    elif campaign.pattern == "newsletter":
        shape = np.array([0.08, 1.0, 0.6, 0.25, 0.08, 0.08, 0.08])[weekday]
    elif campaign.pattern == "window":
        at, since, until = campaign.window
        shape = ((month == at) & (dom >= since) & (dom <= until)).astype(float)
    else:
        shape = np.ones(len(days))
    return running * shape


def lead_intensity(
    days: np.ndarray, campaigns: tuple[Campaign, ...], rng: np.random.Generator
) -> np.ndarray:
    """Expected relative number of leads per day (rows) and source (columns).

    The product of growth, seasonality, weekday, each source's schedule and weight,
    and a monthly budget wobble per source (larger for paid campaigns).
    """
    year, month, dom, weekday = _parts(days)
    elapsed = (days - days[0]).astype("int64") / 365.0
    season = _MONTH[month - 1] * np.where(
        (month == 12) & (dom >= 16), _LATE_DECEMBER, 1
    )
    season = season * np.where((month == 1) & (dom <= 6), 0.6, 1.0)
    base = (1 + _GROWTH_PER_YEAR * elapsed) * season * _WEEKDAY[weekday]
    offset = (year - year[0]) * 12 + month - month[0]
    spread = np.array([0.15 if c.paid else 0.07 for c in campaigns])
    wobble = np.exp(rng.normal(0.0, 1.0, (offset.max() + 1, len(campaigns))) * spread)
    weights = np.array([c.weight for c in campaigns])
    activity = np.column_stack([_activity(days, c) for c in campaigns])
    return base[:, None] * activity * weights[None, :] * wobble[offset]


def clock_times(days: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Local wall-clock seconds on the given days, with office-hour patterns."""
    weekend = _parts(days)[3] >= 5
    hour = np.where(
        weekend,
        rng.choice(24, len(days), p=_HOURS_WEEKEND / _HOURS_WEEKEND.sum()),
        rng.choice(24, len(days), p=_HOURS_WEEKDAY / _HOURS_WEEKDAY.sum()),
    )
    seconds = hour * HOUR + rng.integers(0, 3600, len(days))
    return days.astype("int64") * DAY + seconds


def local_to_utc(local: np.ndarray) -> np.ndarray:
    """Convert wall-clock seconds in the company's timezone to UTC seconds.

    Missing values stay NaN; clock changes resolve to standard time (repeated hour)
    or shift forward (skipped hour).
    """
    out = np.full(local.shape, np.nan)
    known = ~np.isnan(local)
    wall = pd.DatetimeIndex(local[known].astype("int64").astype("datetime64[s]"))
    zoned = wall.tz_localize(
        TIMEZONE, ambiguous=np.zeros(known.sum(), bool), nonexistent="shift_forward"
    )
    utc = zoned.tz_convert("UTC").tz_localize(None).to_numpy("datetime64[s]")
    out[known] = utc.astype("int64")
    return out


def to_working_hours(local: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Move times outside working hours (Mon-Fri 9-19) to the next working morning.

    A moved time lands up to 90 minutes after 9:00; other times are unchanged.
    """
    day = np.floor(local / DAY)
    clock = local - day * DAY
    weekday = (day + 3) % 7
    inside = (weekday < 5) & (clock >= _WORK_START) & (clock < _WORK_END)
    day = day + (clock >= _WORK_END)
    weekday = (day + 3) % 7
    day = day + np.where(weekday == 5, 2, np.where(weekday == 6, 1, 0))
    moved = day * DAY + _WORK_START + rng.uniform(0, 1.5 * HOUR, local.shape).round()
    return np.where(inside | np.isnan(local), local, moved)
