"""Calendar periods: parsing a requested month and cutting timestamps into periods."""

from __future__ import annotations

import re

import pandas as pd

from leadkpi.exceptions import PeriodError

__all__ = [
    "GRAINS",
    "period_freq",
    "parse_month",
    "to_period",
    "months_with_data",
    "latest_complete_month",
    "check_month",
    "resolve_month",
]

#: Period grains and their pandas frequency.
GRAINS: dict[str, str] = {
    "day": "D",
    "week": "W-SUN",
    "month": "M",
    "quarter": "Q",
    "year": "Y",
}

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str | pd.Period) -> pd.Period:
    """Parse ``"YYYY-MM"`` into a monthly :class:`pandas.Period`.

    Raises
    ------
    PeriodError
        When the text is not a real month, with an example of what is accepted.

    Examples
    --------
    >>> parse_month("2026-10")
    Period('2026-10', 'M')
    """
    if isinstance(text, pd.Period):
        return text.asfreq("M")
    match = _MONTH.match(str(text).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise PeriodError(f"invalid month {text!r}: expected YYYY-MM, e.g. 2026-10")
    return pd.Period(f"{match.group(1)}-{match.group(2)}", freq="M")


_MONTH_ABBR = (
    "JAN",
    "FEB",
    "MAR",
    "APR",
    "MAY",
    "JUN",
    "JUL",
    "AUG",
    "SEP",
    "OCT",
    "NOV",
    "DEC",
)


def period_freq(grain: str, fiscal_year_start: int = 1) -> str:
    """The pandas frequency of ``grain``; quarters and years follow the fiscal year.

    A fiscal year that starts in April ends in March, so its quarters are
    ``Q-MAR`` and pandas names each fiscal year (and its quarters) after the
    calendar year it ends in: April 2025 falls in ``2026Q1``.

    Examples
    --------
    >>> period_freq("month"), period_freq("quarter"), period_freq("year", 4)
    ('M', 'Q-DEC', 'Y-MAR')
    """
    if grain not in GRAINS:
        raise ValueError(
            f"unknown period grain {grain!r}; expected one of {list(GRAINS)}"
        )
    if not 1 <= int(fiscal_year_start) <= 12:
        raise PeriodError(
            f"fiscal_year_start={fiscal_year_start!r}: expected a month 1-12"
        )
    if grain in ("quarter", "year"):
        last = _MONTH_ABBR[(int(fiscal_year_start) - 2) % 12]
        return f"{GRAINS[grain]}-{last}"
    return GRAINS[grain]


def to_period(
    times: pd.Series, grain: str = "month", fiscal_year_start: int = 1
) -> pd.Series:
    """Cut timestamps (or dates) into periods of ``grain``, in their local time.

    Timezone-aware values are cut in their own timezone (the project timezone after
    loading), so a lead created at 00:30 on 1 March in Madrid belongs to March.
    Quarters and years start in month ``fiscal_year_start`` (see
    :func:`period_freq`).

    Examples
    --------
    >>> times = pd.Series(pd.to_datetime(["2025-03-31", "2025-04-01"]))
    >>> to_period(times, "quarter", fiscal_year_start=4).astype(str).tolist()
    ['2025Q4', '2026Q1']
    """
    freq = period_freq(grain, fiscal_year_start)
    if isinstance(times.dtype, pd.DatetimeTZDtype):
        times = times.dt.tz_localize(None)
    return times.dt.to_period(freq)


def months_with_data(times: pd.Series) -> list[pd.Period]:
    """The months in which ``times`` has at least one value, in order."""
    return sorted(to_period(times.dropna(), "month").unique())


def latest_complete_month(times: pd.Series) -> pd.Period:
    """The last month that the data covers to its end.

    A month counts as complete when the data reaches its last day; otherwise the
    month before the last one with data is taken.

    Raises
    ------
    PeriodError
        When there is no data at all.
    """
    times = times.dropna()
    if times.empty:
        raise PeriodError("no data: cannot choose a month")
    last = times.max()
    if last.tzinfo is not None:
        last = last.tz_localize(None)
    month = last.to_period("M")
    return month if last.normalize() >= month.end_time.normalize() else month - 1


def _describe(months: list[pd.Period]) -> str:
    if not months:
        return "none"
    contiguous = len(months) == (months[-1] - months[0]).n + 1
    if contiguous and len(months) > 2:
        return f"{months[0]} to {months[-1]}"
    return ", ".join(str(m) for m in months)


def check_month(month: str | pd.Period, times: pd.Series) -> pd.Period:
    """Parse ``month`` and check that ``times`` has data in it.

    Raises
    ------
    PeriodError
        When the month is malformed or empty; the message lists the months with data.
    """
    period = parse_month(month)
    months = months_with_data(times)
    if period not in months:
        raise PeriodError(
            f"no leads in {period}; months with data: {_describe(months)}"
        )
    return period


def resolve_month(month: str | pd.Period | None, times: pd.Series) -> pd.Period:
    """The month a report is about: ``month`` checked against the data, or, when it
    is empty, the latest complete month of ``times``.

    Examples
    --------
    >>> times = pd.Series(pd.to_datetime(["2026-09-03", "2026-10-31"]))
    >>> resolve_month("", times), resolve_month("2026-09", times)
    (Period('2026-10', 'M'), Period('2026-09', 'M'))
    """
    if month is None or str(month).strip() == "":
        return latest_complete_month(times)
    return check_month(month, times)
