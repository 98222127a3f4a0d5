"""Parse the dates and timestamps that exports write, a whole column at a time.

ISO 8601 (``2025-10-01``, ``2025-10-01 14:03``, ``2025-10-01T14:03:05+02:00``),
``01/10/2025`` and ``10/01/2025`` (the order decided from the column's values that
can only be read one way, else by the locale, with a warning), month names in
English, Spanish, Portuguese, French and German with an optional weekday
(``Oct 1, 2025``, ``1 de octubre de 2025``, ``Tue, May 5, 2026``,
``ter., 5 de mai. de 2026``, ``mar. 5 mai 2026``, ``Di., 5. Mai 2026``; the words
are babel's, see :mod:`leadkpi.io.calendar_words`, and a weekday that is not the
date's makes the value invalid), GA4's ``20251001`` and Excel serial days
(``45931``). Naive times are in the project
timezone; times with an offset are converted to it. Each format is recognised with
one regular expression over the column and parsed with vectorised kernels (pyarrow
casts, pandas component assembly); nothing is guessed value by value.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from leadkpi.io.calendar_words import month_prefixes, month_words, weekday_words
from leadkpi.io.limits import ReadLimits
from leadkpi.io.numbers import (
    PLACEHOLDERS,
    distinct,
    one_array,
    repeats,
    text_chunks,
)

__all__ = ["ParsedDates", "parse_dates", "MONTHS", "locale_dayfirst"]

MONTHS: dict[str, int] = month_words()
"""Month words of the UI languages read (babel's locale data) → month number."""

_TIME = (
    r"(?:[ T,]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?"
    r"(?:\s*(?P<ap>[AaPp])\.?\s*[Mm]\.?)?)?"
)
_ISO = (
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"(?:\s*(?:Z|UTC|[+-]\d{2}(?::?\d{2})?))?)?$"
)
_NUMERIC = r"^(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-](?P<y>\d{4}|\d{2})" + _TIME + "$"
#: An optional leading weekday ("Tue, ", "ter., ", "Di., ", "mardi ").
_WEEKDAY = r"(?:(?P<wd>\p{L}+)\.?,?\s+)?"
_NAME_FIRST = (
    r"^" + _WEEKDAY + r"(?P<mon>\p{L}+)\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})"
    + _TIME + "$"
)  # fmt: skip
_DAY_FIRST = (
    r"^" + _WEEKDAY + r"(?P<d>\d{1,2})\.?[\s\-]+(?:de\s+)?(?P<mon>\p{L}+)\.?"
    r"[\s\-]+(?:de\s+)?(?P<y>\d{4}|\d{2})" + _TIME + "$"
)
_COMPACT = r"^(?:19|20)\d{6}$"
_SERIAL = r"^\d{5}(?:\.\d+)?$"
_EXCEL_EPOCH = np.datetime64("1899-12-30", "us")
#: Values are parsed at microsecond resolution (years 1–9999 fit), checked against
#: the plausible years, then stored in nanoseconds, which hold 1678–2261 only.
_NS_RANGE = (np.datetime64("1678-01-01", "us"), np.datetime64("2262-01-01", "us"))
_NAT = np.datetime64("NaT", "us")
_NAMED_EXPECTED = (
    "'5 May 2026' or 'Tue, May 5, 2026' (a weekday, if written, the date's)"
)


@dataclass(frozen=True)
class ParsedDates:
    """The result of :func:`parse_dates`.

    Attributes
    ----------
    values : pandas.Series
        ``datetime64[ns, timezone]`` for timestamps, ``datetime64[ns]`` (midnight)
        for dates; NaT where missing or invalid.
    invalid : pandas.Series
        True where a non-empty cell is not a valid date (``31/02/2025``), or is a
        date outside the plausible years (also in ``outside``).
    expected : str
        What the column's values should look like (for reject messages).
    dayfirst : bool or None
        The day/month order used for ``01/10/2025``-style values, if any.
    warnings : tuple of str
        Set when the locale had to decide the day/month order.
    outside : pandas.Series, optional
        True where a cell is a real date outside ``years`` (``3000-01-01``).
    placeholder : pandas.Series, optional
        True where a cell is one of the placeholder dates (``9999-12-31``), read
        as missing.
    years : tuple of int
        The plausible years the values were checked against.
    """

    values: pd.Series
    invalid: pd.Series
    expected: str
    dayfirst: bool | None = None
    warnings: tuple[str, ...] = ()
    outside: pd.Series | None = None
    placeholder: pd.Series | None = None
    years: tuple[int, int] = ReadLimits.years


def locale_dayfirst(locale: str) -> bool:
    """Whether ``locale`` writes the day before the month (``"es"`` yes, ``"en"`` no).

    Examples
    --------
    >>> locale_dayfirst("es"), locale_dayfirst("en"), locale_dayfirst("en_GB")
    (True, False, True)
    """
    from babel.core import UnknownLocaleError
    from babel.dates import get_date_format

    try:
        pattern = get_date_format("short", locale.replace("-", "_")).pattern
    except (UnknownLocaleError, ValueError, TypeError):
        return True
    return pattern.find("d") < pattern.find("M")


def _ints(struct: pa.Array, field: str) -> np.ndarray:
    values = pc.struct_field(struct, field)
    values = pc.if_else(pc.equal(values, ""), None, values)
    return pc.cast(values, pa.float64()).to_numpy(zero_copy_only=False)


def _assemble(
    year: np.ndarray, month: np.ndarray, day: np.ndarray, struct: pa.Array | None
) -> np.ndarray:
    """Naive datetime64[us] from float components (NaT where they make no date)."""
    n = len(year)
    zeros = np.zeros(n)
    hour = np.nan_to_num(_ints(struct, "H")) if struct is not None else zeros
    minute = np.nan_to_num(_ints(struct, "M")) if struct is not None else zeros
    second = np.nan_to_num(_ints(struct, "S")) if struct is not None else zeros
    if struct is not None:
        ampm = pc.utf8_lower(pc.struct_field(struct, "ap"))
        ampm = ampm.to_numpy(zero_copy_only=False)
        hour = np.where((ampm == "p") & (hour < 12), hour + 12, hour)
        hour = np.where((ampm == "a") & (hour == 12), 0, hour)
    year = np.where(year < 100, np.where(year < 70, 2000 + year, 1900 + year), year)
    ok = (
        (month >= 1) & (month <= 12) & (day >= 1) & (year >= 1) & (year <= 9999)
        & (hour < 24) & (minute < 60) & (second < 60)
    )  # fmt: skip
    ok &= ~(np.isnan(year) | np.isnan(month) | np.isnan(day))
    y = np.where(ok, year, 1970).astype(np.int64)
    m = np.where(ok, month, 1).astype(np.int64)
    start = ((y - 1970) * 12 + m - 1).astype("M8[M]")
    length = ((start + 1).astype("M8[D]") - start.astype("M8[D]")).astype(np.int64)
    ok &= np.where(ok, day, 1) <= length
    d = np.where(ok, day, 1).astype(np.int64) - 1
    seconds = (hour * 3600 + minute * 60 + second).astype(np.int64)
    stamps = (
        start.astype("M8[D]").astype("M8[us]")
        + d.astype("m8[D]")
        + np.where(ok, seconds, 0).astype("m8[s]")
    )
    return np.where(ok, stamps, _NAT)


def _iso(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """ISO values → (UTC-or-naive datetime64[us], whether each had an offset).

    pyarrow's casts are fast when every value parses but slow to fail, so the
    values with an offset are told apart first (cheap substring tests).
    """
    clock = pc.utf8_slice_codeunits(text, 11)
    aware = pc.or_(
        pc.or_(pc.match_substring(clock, "+"), pc.match_substring(clock, "-")),
        pc.or_(pc.ends_with(clock, "Z"), pc.ends_with(clock, "UTC")),
    )
    aware_np = pc.fill_null(aware, False).to_numpy(zero_copy_only=False)
    out = np.full(len(text), _NAT)
    for mask, unit in ((aware_np, pa.timestamp("us", "UTC")), (~aware_np, None)):
        if not mask.any():
            continue
        part = text if mask.all() else pc.filter(text, pa.array(mask))
        if unit is not None:
            part = pc.replace_substring_regex(part, r"\s*UTC$", "Z")
        try:
            cast = pc.cast(part, unit or pa.timestamp("us"))
            stamps = cast.cast(pa.int64()).to_numpy(zero_copy_only=False)
            out[mask] = stamps.astype("datetime64[us]")
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            series = pd.Series(part.to_pandas(), dtype="str")
            parsed = pd.to_datetime(
                series, format="ISO8601", errors="coerce", utc=unit is not None
            )
            if unit is not None:
                parsed = parsed.dt.tz_localize(None)
            out[mask] = parsed.to_numpy(dtype="datetime64[us]")
    return out, aware_np


def _iso_fast(text: pa.Array, sample: pa.Array) -> tuple[np.ndarray, np.ndarray] | None:
    """One cast of the whole column when a sample says it is uniform ISO 8601.

    Returns None (use the general path) when the sample is not uniform or any value
    does not cast.
    """
    if len(sample) == 0 or not pc.all(pc.match_substring_regex(sample, _ISO)).as_py():
        return None
    _, aware = _iso(sample)
    if aware.any() != aware.all():
        return None
    unit = pa.timestamp("us", "UTC") if aware.all() else pa.timestamp("us")
    if aware.all() and pc.any(pc.match_substring(sample, "UTC")).as_py():
        text = pc.replace_substring_regex(text, r"\s*UTC$", "Z")
    try:
        stamps = pc.cast(text, unit).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    stamps = stamps.astype("datetime64[us]")
    return stamps, np.full(len(text), bool(aware.all()))


def _ambiguous(name: str, dayfirst: bool, locale: str) -> str:
    order = "day/month" if dayfirst else "month/day"
    return (
        f"{name}: dates like '01/02/2025' could be day/month or month/day "
        f"throughout; read as {order}/year (locale {locale!r}); pass dayfirst= to "
        "choose"
    )


def _checked_strptime(
    text: pa.Array, layout: str, field: tuple[int, int], part: str
) -> tuple[np.ndarray, np.ndarray]:
    """pyarrow ``strptime`` (which rolls 31/02 over to 03/03) plus a check that the
    parsed ``part`` ("day"/"month") equals the number at ``field`` of the text."""
    parsed = pc.strptime(text, format=layout, unit="us", error_is_null=True)
    digits = pc.replace_substring_regex(
        pc.utf8_slice_codeunits(text, *field), r"\D", ""
    )
    digits = pc.cast(pc.if_else(pc.equal(digits, ""), None, digits), pa.int64())
    got = pc.day(parsed) if part == "day" else pc.month(parsed)
    ok = pc.fill_null(pc.equal(got, digits), False).to_numpy(zero_copy_only=False)
    stamps = parsed.to_numpy(zero_copy_only=False).astype("datetime64[us]")
    return stamps, ok


def _strptime_fast(
    text: pa.Array, sample: pa.Array, dayfirst: bool | None
) -> tuple[np.ndarray, np.ndarray, bool | None, str] | None:
    """Parse a column whose sample looks like ``DD/MM/YYYY[ hh:mm[:ss]]`` or
    ``YYYYMMDD`` with one explicit layout (pyarrow ``strptime``).

    The day/month order, unless given, comes from the sample's values that read
    one way only, else from the layout that reads more values. Returns the stamps,
    which values parsed, the order used and the layout's name; None when the sample
    has another shape or the order is a tie (the general path decides those). Values
    that do not parse are left to the general path.
    """
    first = sample[0].as_py() if len(sample) else ""
    if re.fullmatch(_COMPACT[1:-1], first):
        stamps, ok = _checked_strptime(text, "%Y%m%d", (6, 8), "day")
        return stamps, ok, None, "YYYYMMDD"
    shape = re.fullmatch(
        r"\d{1,2}([/.\-])\d{1,2}\1(\d{4}|\d{2})(?:([ T])\d{1,2}:\d{2}(:\d{2})?)?", first
    )
    if shape is None:
        return None
    sep, year, clock, seconds = shape.groups()
    layout = "{0}" + sep + "{1}" + sep + ("%Y" if len(year) == 4 else "%y")
    if clock:
        layout += clock + "%H:%M" + (":%S" if seconds else "")
    if dayfirst is None:  # the sample's values that read one way only decide
        pairs = [re.match(r"(\d+)\D(\d+)", v) for v in sample.to_pylist()]
        firsts = [(int(m[1]), int(m[2])) for m in pairs if m]
        day_only = any(a > 12 >= b for a, b in firsts)
        month_only = any(b > 12 >= a for a, b in firsts)
        if day_only != month_only:
            dayfirst = day_only
    results = {}
    for order in (True, False) if dayfirst is None else (dayfirst,):
        pair = ("%d", "%m") if order else ("%m", "%d")
        part = "day" if order else "month"
        results[order] = _checked_strptime(text, layout.format(*pair), (0, 2), part)
    if dayfirst is None:
        day_ok, month_ok = results[True][1].sum(), results[False][1].sum()
        if day_ok == month_ok:  # the general path counts impossible dates too
            return None
        dayfirst = bool(day_ok > month_ok)
    expected = "DD/MM/YYYY" if dayfirst else "MM/DD/YYYY"
    return *results[dayfirst], dayfirst, expected


def _numeric(
    text: pa.Array, dayfirst: bool | None, locale: str, name: str
) -> tuple[np.ndarray, bool, tuple[str, ...]]:
    parts = pc.extract_regex(text, _NUMERIC)
    a, b, year = _ints(parts, "a"), _ints(parts, "b"), _ints(parts, "y")
    warnings: tuple[str, ...] = ()
    if dayfirst is None:
        day_votes = int(((a > 12) & (b <= 12)).sum())
        month_votes = int(((b > 12) & (a <= 12)).sum())
        if day_votes != month_votes:
            dayfirst = day_votes > month_votes
        else:
            dayfirst = locale_dayfirst(locale)
            warnings = (_ambiguous(name, dayfirst, locale),)
    day, month = (a, b) if dayfirst else (b, a)
    return _assemble(year, month, day, parts), dayfirst, warnings


def _lookup(words: pa.Array, table: dict[str, int]) -> np.ndarray:
    """``table[word]`` for each word, as floats (NaN where the word is not a key)."""
    keys = pa.array(list(table), pa.string())
    index = pc.index_in(words, value_set=keys).to_numpy(zero_copy_only=False)
    numbers = np.array(list(table.values()), dtype="float64")
    return np.where(np.isnan(index), np.nan, numbers[np.nan_to_num(index).astype(int)])


def _named(text: pa.Array, pattern: str) -> np.ndarray:
    """Dates written with a month word in any UI language (babel's month names),
    after an optional weekday word that must name the date's weekday."""
    parts = pc.extract_regex(text, pattern)
    words = pc.utf8_lower(pc.struct_field(parts, "mon"))
    month = _lookup(words, month_words())
    unknown = np.isnan(month)
    if unknown.any():  # "Sept", "Octo": an unambiguous start of a month word
        start = _lookup(pc.utf8_slice_codeunits(words, 0, 3), month_prefixes())
        month = np.where(unknown, start, month)
    stamps = _assemble(_ints(parts, "y"), month, _ints(parts, "d"), parts)
    weekday = pc.utf8_lower(pc.struct_field(parts, "wd"))
    named = pc.fill_null(pc.not_equal(weekday, ""), False)
    named = named.to_numpy(zero_copy_only=False)
    if named.any():
        masks = np.nan_to_num(_lookup(weekday, weekday_words())).astype(np.int64)
        days = stamps.astype("M8[D]").astype(np.int64)
        right = (masks >> ((days + 3) % 7)) & 1 == 1  # 1970-01-01 was a Thursday
        stamps = np.where(named & ~right, _NAT, stamps)
    return stamps


def _compact(text: pa.Array) -> np.ndarray:
    def piece(start: int, stop: int) -> np.ndarray:
        sliced = pc.utf8_slice_codeunits(text, start, stop)
        return pc.cast(sliced, pa.float64()).to_numpy(zero_copy_only=False)

    return _assemble(piece(0, 4), piece(4, 6), piece(6, 8), None)


def _serial(text: pa.Array) -> np.ndarray:
    days = pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False)
    return _EXCEL_EPOCH + np.round(days * 86_400_000_000).astype("timedelta64[us]")


def parse_dates(
    values: pd.Series,
    *,
    kind: str = "timestamp",
    timezone: str = "UTC",
    dayfirst: bool | None = None,
    locale: str = "en",
    placeholders: tuple[str, ...] = PLACEHOLDERS,
    limits: ReadLimits | None = None,
) -> ParsedDates:
    """Parse a column of dates or timestamps written in any common export format.

    Parameters
    ----------
    values : pandas.Series
        Text cells (or values already typed as datetimes).
    kind : {"timestamp", "date"}
        Timestamps come back timezone-aware in ``timezone``; dates naive, at midnight.
    timezone : str
        Project timezone: naive times are in it, times with an offset move to it.
    dayfirst : bool, optional
        Order of ``01/10/2025``-style values; default: decided from the values that
        can only be read one way (a day above 12), else by ``locale`` (with a
        warning).
    locale : str
        Decides a wholly ambiguous day/month order.
    placeholders : tuple of str
        Cells meaning "no value".
    limits : ReadLimits, optional
        Its ``years`` bound the dates (others are ``invalid`` and ``outside``) and
        its ``placeholder_dates`` (``9999-12-31``…) are missing (``placeholder``).

    Returns
    -------
    ParsedDates
        Values and masks with the index of ``values``.

    Examples
    --------
    >>> cells = pd.Series(["2025-10-01 14:03", "31/01/2025", "Oct 1, 2025", "--"])
    >>> parsed = parse_dates(cells, timezone="Europe/Madrid")
    >>> parsed.values.dt.strftime("%Y-%m-%d %H:%M %z").tolist()
    ['2025-10-01 14:03 +0200', '2025-01-31 00:00 +0100', '2025-10-01 00:00 +0200', nan]
    >>> parse_dates(pd.Series(["31/02/2025"]), kind="date").invalid.tolist()
    [True]

    Dates outside the plausible years, and "end of time" placeholders:

    >>> parsed = parse_dates(pd.Series(["3000-01-01", "9999-12-31"]), kind="date")
    >>> parsed.outside.tolist(), parsed.placeholder.tolist(), parsed.invalid.tolist()
    ([True, False], [False, True], [True, False])
    """
    limits = limits or ReadLimits()
    name = str(values.name) if values.name is not None else "values"
    if isinstance(values.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(
        values.dtype
    ):
        return _from_datetimes(values, kind, timezone, limits)
    text = text_chunks(values)
    if repeats(text):  # an export's days repeat: parse each once (trimmed)
        found, at = distinct(text)
        if 0 < 2 * len(found) <= len(text):
            parsed = parse_dates(
                pd.Series(found.to_pandas(), name=values.name).astype("str"),
                kind=kind,
                timezone=timezone,
                dayfirst=dayfirst,
                locale=locale,
                placeholders=placeholders,
                limits=limits,
            )
            return _spread(parsed, at, values.index)
    text = pc.utf8_trim_whitespace(one_array(text))
    missing = pc.or_(
        pc.is_null(text),
        pc.fill_null(pc.is_in(text, pa.array(placeholders + ("",))), True),
    )
    present = ~missing.to_numpy(zero_copy_only=False)
    naive = np.full(len(text), _NAT)
    aware = np.zeros(len(text), dtype=bool)
    remaining = present.copy()
    expected, used_dayfirst, warnings = "YYYY-MM-DD[ hh:mm[:ss]][±hh:mm]", None, ()
    families = (
        ("iso", _ISO),
        ("numeric", _NUMERIC),
        ("name first", _NAME_FIRST),
        ("day first", _DAY_FIRST),
        ("compact", _COMPACT),
        ("serial", _SERIAL),
    )
    sample = pc.take(text, pa.array(np.flatnonzero(present)[:200]))
    fast = _iso_fast(pc.if_else(missing, None, text), sample)
    if fast is not None:
        return _finish(
            values, *fast, present, kind, timezone, expected, None, (), limits
        )
    formatted = _strptime_fast(pc.if_else(missing, None, text), sample, dayfirst)
    if formatted is not None:
        parsed, ok, used_dayfirst, expected = formatted
        naive[ok], remaining[ok] = parsed[ok], False
    families = sorted(  # the families seen in a sample first: most columns stop early
        families,
        key=lambda f: not pc.any(pc.match_substring_regex(sample, f[1])).as_py(),
    )
    for family, pattern in families:
        if not remaining.any():
            break
        idx = np.flatnonzero(remaining)
        subset = pc.take(text, pa.array(idx))
        hit = pc.fill_null(pc.match_substring_regex(subset, pattern), False)
        hit = hit.to_numpy(zero_copy_only=False)
        if not hit.any():
            continue
        rows, part = idx[hit], pc.filter(subset, pa.array(hit))
        if family == "iso":
            naive[rows], aware[rows] = _iso(part)
        elif family == "numeric":
            naive[rows], used_dayfirst, notes = _numeric(
                part, dayfirst if used_dayfirst is None else used_dayfirst, locale, name
            )
            warnings = warnings or notes
            expected = "DD/MM/YYYY" if used_dayfirst else "MM/DD/YYYY"
        elif family in ("name first", "day first"):
            naive[rows] = _named(part, pattern)
            expected = _NAMED_EXPECTED
        elif family == "compact":
            naive[rows] = _compact(part)
            expected = "YYYYMMDD"
        else:
            naive[rows] = _serial(part)
        remaining[rows] = False
    return _finish(
        values, naive, aware, present, kind, timezone, expected, used_dayfirst,
        warnings, limits,
    )  # fmt: skip


def _spread(parsed: ParsedDates, at: np.ndarray, index: pd.Index) -> ParsedDates:
    """The result for the distinct values, taken back to every row (``at`` is
    each row's position among them; -1 for a missing cell)."""
    known = at >= 0

    def spread(mask: pd.Series | None) -> pd.Series | None:
        if mask is None:
            return None
        return pd.Series(known & mask.to_numpy()[at], index=index)

    values = parsed.values.array.take(at, allow_fill=True)
    return dataclasses.replace(
        parsed,
        values=pd.Series(values, index=index, name=parsed.values.name),
        invalid=spread(parsed.invalid),
        outside=spread(parsed.outside),
        placeholder=spread(parsed.placeholder),
    )


def _wall_clock(naive: np.ndarray, aware: np.ndarray, timezone: str) -> pd.Series:
    """Project-timezone wall clock: naive values as they are, UTC ones moved."""
    index = pd.DatetimeIndex(naive)
    if aware.any():
        moved = index.tz_localize("UTC").tz_convert(timezone).tz_localize(None)
        index = pd.DatetimeIndex(np.where(aware, moved.asi8, index.asi8).view("M8[ns]"))
    return pd.Series(index)


def _localize(wall: pd.Series, timezone: str) -> pd.Series:
    return wall.dt.tz_localize(
        timezone, ambiguous=np.ones(len(wall), dtype=bool), nonexistent="shift_forward"
    )


def _window(
    naive: np.ndarray, limits: ReadLimits
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Drop the values outside ``limits.years`` and its placeholder dates.

    ``naive`` is datetime64[us]. Returns the values left (datetime64[ns], NaT for
    those dropped), which were outside the years and which were placeholders. One
    pass over the column finds its extremes; the masks are computed only when some
    value is outside the years or a placeholder lies within them.
    """
    first, last = limits.years
    low = max(np.datetime64(f"{first:04d}-01-01", "us"), _NS_RANGE[0])
    high = min(np.datetime64(f"{last + 1:05d}-01-01", "us"), _NS_RANGE[1])
    days = np.array(limits.placeholder_dates, dtype="M8[D]").astype("M8[us]")
    none = np.zeros(len(naive), dtype=bool)
    stamps = naive.view(np.int64)
    known = stamps[~np.isnat(naive)]
    inside = (days >= low) & (days < high)
    if not len(known) or (
        known.min() >= low.astype(np.int64)
        and known.max() < high.astype(np.int64)
        and not inside.any()
    ):
        return naive.astype("M8[ns]"), none, none
    placeholder = np.isin(naive.astype("M8[D]").astype("M8[us]"), days)
    outside = ~placeholder & ~np.isnat(naive) & ((naive < low) | (naive >= high))
    kept = np.where(placeholder | outside, _NAT, naive)
    return kept.astype("M8[ns]"), outside, placeholder


def _from_datetimes(
    values: pd.Series, kind: str, timezone: str, limits: ReadLimits
) -> ParsedDates:
    naive = (
        values.dt.tz_convert("UTC").dt.tz_localize(None)
        if isinstance(values.dtype, pd.DatetimeTZDtype)
        else values
    )
    _, outside, placeholder = _window(naive.to_numpy("M8[us]"), limits)
    values = values.where(~(outside | placeholder))
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        typed = values.dt.tz_convert(timezone)
        if kind == "date":
            typed = typed.dt.tz_localize(None)
    else:
        typed = values if kind == "date" else _localize(values, timezone)
    if kind == "date":
        typed = typed.dt.normalize().astype("datetime64[ns]")
    else:
        typed = typed.astype(pd.DatetimeTZDtype("ns", timezone))
    return ParsedDates(
        typed,
        pd.Series(outside, index=values.index),
        "a date" if kind == "date" else "a timestamp",
        outside=pd.Series(outside, index=values.index),
        placeholder=pd.Series(placeholder, index=values.index),
        years=limits.years,
    )


def _finish(
    values: pd.Series,
    naive: np.ndarray,
    aware: np.ndarray,
    present: np.ndarray,
    kind: str,
    timezone: str,
    expected: str,
    dayfirst: bool | None,
    warnings: tuple[str, ...],
    limits: ReadLimits,
) -> ParsedDates:
    naive, outside, placeholder = _window(naive, limits)
    if kind == "date":
        result = _wall_clock(naive, aware, timezone).dt.normalize()
        result = result.astype("datetime64[ns]")
    else:
        utc = naive.copy()
        if not aware.all():
            local = _localize(pd.Series(pd.DatetimeIndex(naive[~aware])), timezone)
            local = local.dt.tz_convert("UTC").dt.tz_localize(None)
            utc[~aware] = local.to_numpy("M8[ns]")
        result = pd.Series(
            pd.DatetimeIndex(utc).tz_localize("UTC").tz_convert(timezone)
        )
        result = result.astype(pd.DatetimeTZDtype("ns", timezone))
    result.index, result.name = values.index, values.name
    invalid = present & result.isna().to_numpy() & ~placeholder
    noun = "date" if kind == "date" else "timestamp"
    return ParsedDates(
        result,
        pd.Series(invalid, index=values.index),
        f"a {noun} like {expected}",
        dayfirst,
        warnings,
        outside=pd.Series(outside, index=values.index),
        placeholder=pd.Series(placeholder, index=values.index),
        years=limits.years,
    )
