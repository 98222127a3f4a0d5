"""Report date ranges written above an export's header, and rows dated by them.

Ad platforms and analytics tools print the period a report covers above its
header ("1 October 2025 - 31 October 2025", "1 de octubre de 2025 - 31 de
octubre de 2025", "# Start date: 20251001"). When a report has no day column,
every row covers that whole period; :func:`date_rows_by_range` then dates each
row at the first day of the period and warns when the period is longer than a
day, so that monthly figures stay right while daily ones are flagged.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Iterable

import pandas as pd

from leadkpi.exceptions import DataFileError, LeadKPIWarning
from leadkpi.io.calendar_words import LANGUAGES, month_words
from leadkpi.io.profiles.base import RawTable

__all__ = [
    "LANGUAGES",
    "MONTHS",
    "date_rows_by_range",
    "month_words",
    "parse_day",
    "report_range",
]

MONTHS: dict[str, int] = month_words()
"""Month words of :data:`LANGUAGES` (kept as a name for callers)."""

#: A leading weekday: a word (abbreviated or not) then a comma, or a short
#: abbreviation with its dot ("ter., ", "Tue, ", "mar. ").
_WEEKDAY = re.compile(r"^\s*[^\W\d_]+\.?,\s*|^\s*[^\W\d_]{2,3}\.\s+(?=\d)")
_ISO = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
_WORDS = re.compile(r"[^\W\d_]+|\d+")
_SPLIT = re.compile(r"\s+[-–—]\s+|\s*[-–—]\s*(?=\d{4}-?\d{2}-?\d{2}$)")


def parse_day(text: str) -> dt.date | None:
    """Read one day written the way report titles write it.

    Accepts ``2025-10-01``, ``20251001``, ``1 October 2025``, ``October 1, 2025``,
    ``1 de octubre de 2025``, abbreviated months (``1 oct. 2025``) in English,
    Spanish, Portuguese, French and German, and a leading weekday
    (``ter., 5 de mai. de 2026``, ``Tue, May 5, 2026``).

    Examples
    --------
    >>> parse_day("1 de octubre de 2025")
    datetime.date(2025, 10, 1)
    >>> parse_day("October 31, 2025")
    datetime.date(2025, 10, 31)
    >>> parse_day("ter., 5 de mai. de 2026"), parse_day("mar. 5 mars 2026")
    (datetime.date(2026, 5, 5), datetime.date(2026, 3, 5))
    >>> parse_day("5. Okt. 2025")
    datetime.date(2025, 10, 5)
    >>> parse_day("no date here") is None
    True
    """
    text = text.strip().strip('"')
    iso = _ISO.fullmatch(text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    else:
        lowered = _WEEKDAY.sub("", text.lower(), count=1)
        words = [w for w in _WORDS.findall(lowered) if w not in ("de", "del")]
        numbers = [int(w) for w in words if w.isdigit()]
        months = [MONTHS[w] for w in words if w in MONTHS]
        if len(months) > 1:  # "mar." as Tuesday before "mars" as March
            months = months[-1:]
        years = [n for n in numbers if n >= 1000]
        days = [n for n in numbers if n < 1000]
        if len(months) != 1 or len(years) != 1 or len(days) != 1:
            return None
        year, month, day = years[0], months[0], days[0]
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _range_in(line: str) -> tuple[dt.date, dt.date] | None:
    parts = _SPLIT.split(line.strip().strip('"'), maxsplit=1)
    if len(parts) != 2:
        return None
    start, end = parse_day(parts[0]), parse_day(parts[1])
    if start is None or end is None or end < start:
        return None
    return start, end


def report_range(
    preamble: Iterable[str], *, start_label: str = "", end_label: str = ""
) -> tuple[dt.date, dt.date] | None:
    """Find the period a report covers in the lines above its header.

    Parameters
    ----------
    preamble : iterable of str
        The lines above the header.
    start_label, end_label : str
        When given, the period is read from two labelled lines (``"Start date"``
        and ``"End date"`` find ``# Start date: 20251001``); otherwise from the
        first line that holds ``<day> - <day>``.

    Returns
    -------
    (datetime.date, datetime.date) or None
        First and last day, or None when no line gives them.

    Examples
    --------
    >>> report_range(["Campaign report", "1 October 2025 - 31 October 2025"])
    (datetime.date(2025, 10, 1), datetime.date(2025, 10, 31))
    >>> report_range(
    ...     ["# Start date: 20251001", "# End date: 20251007"],
    ...     start_label="Start date",
    ...     end_label="End date",
    ... )
    (datetime.date(2025, 10, 1), datetime.date(2025, 10, 7))
    """
    lines = [line.strip().lstrip("#").strip().strip('"') for line in preamble]
    if start_label:
        found = {}
        for label in (start_label, end_label):
            prefix = label.lower() + ":"
            values = [
                parse_day(line[len(prefix) :])
                for line in lines
                if line.lower().startswith(prefix)
            ]
            found[label] = next((v for v in values if v is not None), None)
        start, end = found[start_label], found[end_label]
        if start is None or end is None or end < start:
            return None
        return start, end
    return next((r for r in map(_range_in, lines) if r is not None), None)


def date_rows_by_range(
    frame: pd.DataFrame,
    raw: RawTable,
    *,
    vendor: str,
    start_label: str = "",
    end_label: str = "",
) -> pd.DataFrame:
    """Date the rows of a report without a day column at its period's first day.

    Parameters
    ----------
    frame : pandas.DataFrame
        The renamed text frame; returned unchanged when it has a ``date`` column.
    raw : RawTable
        The export as read (its preamble holds the period).
    vendor : str
        Product name used in messages.
    start_label, end_label : str
        Labels of the period's lines, as in :func:`report_range`.

    Returns
    -------
    pandas.DataFrame
        ``frame`` with a ``date`` column (ISO text), every row at the first day.

    Raises
    ------
    DataFileError
        When there is neither a day column nor a period above the header.

    Warns
    -----
    LeadKPIWarning
        When the period is longer than one day: daily figures then pile up on
        its first day (monthly ones stay right when it is one calendar month).

    Examples
    --------
    >>> from leadkpi.io.text import read_text_table
    >>> raw = read_text_table(
    ...     "tests/fixtures/exports/ga4/channels_october.csv",
    ...     find_header=lambda cells: "Sessions" in cells,
    ... )
    >>> frame = pd.DataFrame({"sessions": ["2702"]})
    >>> import warnings
    >>> with warnings.catch_warnings(record=True):
    ...     dated = date_rows_by_range(
    ...         frame, raw, vendor="GA4", start_label="Start date", end_label="End date"
    ...     )
    >>> dated["date"].tolist()
    ['2025-10-01']
    """
    if "date" in frame.columns:
        return frame
    period = report_range(raw.preamble, start_label=start_label, end_label=end_label)
    if period is None:
        raise DataFileError(
            str(raw.path),
            f"{vendor} report has no day column and no report period above its "
            "header; download it segmented by day",
            line=raw.header_line,
        )
    start, end = period
    if end > start:
        warnings.warn(
            f"{raw.path.name}: {vendor} report has no day column; its rows cover "
            f"{start} to {end} and are dated {start}. Download it segmented by day "
            "for daily figures.",
            LeadKPIWarning,
            stacklevel=2,
        )
    return frame.assign(date=start.isoformat())
