"""Checking the arguments every analysis shares, with one kind of error.

A ``by=`` column that does not exist, a ``start``/``end`` that is not a period, an
unknown KPI or target id, a table handed to the wrong chart: each is one
:class:`~leadkpi.exceptions.ArgumentError` that names the argument, the value and
the closest valid ones ("did you mean …"), whichever function received it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Sequence

import pandas as pd

from leadkpi.exceptions import ArgumentError
from leadkpi.periods import GRAINS

__all__ = ["unknown", "check_dims", "parse_bound", "require_columns"]

#: Period texts ``start``/``end`` accept: a year, a quarter, a month, a week, a day.
_BOUND = re.compile(
    r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?|Q[1-4]|-W(0[1-9]|[1-4]\d|5[0-3]))?$"
)
_SHOWN = 15
_EXAMPLES = "'2026' (year), '2026Q3' (quarter), '2026-10' (month) or '2026-10-15'"


def unknown(
    argument: str, value: object, valid: Iterable[object], *, what: str = ""
) -> ArgumentError:
    """The error for ``argument=value`` not among ``valid``, with the closest ones.

    Examples
    --------
    >>> print(unknown("by", "mnth", ["day", "month", "channel"]))
    by='mnth' is not a known value; did you mean 'month'? (valid: day, month, channel)
    """
    choices = [str(v) for v in dict.fromkeys(valid)]
    close = difflib.get_close_matches(str(value), choices, n=3, cutoff=0.6)
    if not close:  # a prefix or a different case is close too
        text = str(value).lower()
        close = [c for c in choices if c.lower().startswith(text[:3]) and text][:3]
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    more = len(choices) - _SHOWN
    shown = ", ".join(choices[:_SHOWN]) + (f" and {more} more" if more > 0 else "")
    return ArgumentError(
        f"{argument}={value!r} is not {what or 'a known value'}{hint} (valid: {shown})"
    )


def check_dims(by: str | Sequence[str], columns: Iterable[str]) -> list[str]:
    """The ``by`` entries, checked: each is a period grain or one of ``columns``.

    Examples
    --------
    >>> check_dims(("month", "channel"), ["channel", "owner"])
    ['month', 'channel']
    >>> check_dims("chanel", ["channel", "owner"])
    Traceback (most recent call last):
    ...
    leadkpi.exceptions.ArgumentError: by='chanel' is not a period grain or a \
column of the data; did you mean 'channel'? (valid: day, week, month, quarter, \
year, channel, owner)
    """
    entries = [by] if isinstance(by, str) else list(by)
    known = [*GRAINS, *columns]
    for entry in entries:
        if entry not in known:
            raise unknown(
                "by", entry, known, what="a period grain or a column of the data"
            )
    return entries


def parse_bound(argument: str, value: object) -> pd.Period | None:
    """``start``/``end`` as a :class:`pandas.Period` (None stays None).

    Accepts a Period, a date or timestamp (its day), or the texts of a year,
    quarter, month, ISO week or day.

    Examples
    --------
    >>> parse_bound("start", "2026-10")
    Period('2026-10', 'M')
    >>> parse_bound("end", "2026-13")
    Traceback (most recent call last):
    ...
    leadkpi.exceptions.ArgumentError: end='2026-13' is not a period; expected \
'2026' (year), '2026Q3' (quarter), '2026-10' (month) or '2026-10-15'
    """
    if value is None or isinstance(value, pd.Period):
        return value
    if isinstance(value, (dt.date, pd.Timestamp)):
        return pd.Period(pd.Timestamp(value).tz_localize(None), freq="D")
    text = str(value).strip()
    if not _BOUND.match(text):
        raise ArgumentError(
            f"{argument}={value!r} is not a period; expected {_EXAMPLES}"
        )
    if "-W" in text:
        year, week = text.split("-W")
        return pd.Period(dt.date.fromisocalendar(int(year), int(week), 1), freq="W")
    return pd.Period(text)


def require_columns(
    table: pd.DataFrame, columns: Sequence[str], function: str, source: str
) -> None:
    """Refuse a table that lacks ``columns``: it is not the one ``function`` draws.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"stage": []}), ["stage", "count"],
    ...                 "plot_funnel", "leadkpi.funnel()")
    Traceback (most recent call last):
    ...
    leadkpi.exceptions.ArgumentError: plot_funnel: table= lacks the column(s) \
'count' (it has: stage); pass the table that leadkpi.funnel() returns
    """
    found = list(getattr(table, "columns", []))
    absent = [c for c in columns if c not in found]
    if absent:
        close = {
            c: difflib.get_close_matches(c, [str(f) for f in found], n=1)
            for c in absent
        }
        hint = "; ".join(
            f"{c!r}: did you mean {m[0]!r}?" for c, m in close.items() if m
        )
        raise ArgumentError(
            f"{function}: table= lacks the column(s) "
            f"{', '.join(repr(c) for c in absent)} (it has: "
            f"{', '.join(map(str, found)) or 'no columns'}); "
            f"{hint + '; ' if hint else ''}pass the table that {source} returns"
        )
