"""Parse the numbers that exports write, in any locale, a whole column at a time.

``"1.234,56 €"``, ``"1,234.56"``, ``"$1,200"``, ``"(1,200.00)"``, ``"3,45 %"``,
``"1 234,56"`` with no-break spaces, ``"EUR 12"``, ``"1.234-"``: the decimal mark is
decided per column from the values that can only be read one way (``"1,5"``,
``"1.234.567"``, ``"1.234,5"``); a column that is ambiguous throughout (``"1,234"``)
is read with the locale's mark. Placeholders (``"-"``, ``"--"``, ``"(not set)"``…)
are missing values, not errors. Everything runs on pyarrow compute kernels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "ParsedNumbers",
    "parse_numbers",
    "PLACEHOLDERS",
    "DISTINCT_FROM",
    "repeats",
    "positions",
    "CURRENCY_SYMBOLS",
    "locale_decimal",
    "MAX_COUNT",
]

#: Cells that mean "no value" in exports; they become missing, never rejects.
PLACEHOLDERS = (
    "-", "--", "---", "—", "–", "(not set)", "(none)", "not set", "n/a", "N/A",
    "NA", "n.a.", "null", "NULL", "None", "none", "nan", "NaN", "#N/A", "∞",
)  # fmt: skip
#: Currency symbols (and prefixed dollars) → ISO 4217 code. Plain ``$`` is USD.
CURRENCY_SYMBOLS = {
    "€": "EUR", "$": "USD", "US$": "USD", "£": "GBP", "¥": "JPY", "₹": "INR",
    "R$": "BRL", "C$": "CAD", "CA$": "CAD", "A$": "AUD", "AU$": "AUD", "MX$": "MXN",
    "₩": "KRW", "₽": "RUB", "₺": "TRY", "zł": "PLN", "kr": "SEK", "Fr": "CHF",
}  # fmt: skip

#: Counts beyond this are refused: float64 (which numbers are read into) holds
#: every whole number up to it exactly, and no real export holds a larger one.
MAX_COUNT = 2**53

_PLAIN = r"^-?\d+(\.\d+)?$"
_COMMA_DECIMAL = r"\..*,|^[^.,]*,(\d{1,2}|\d{4,})$|^[^,]*\..*\.|^0,|^,|^\d{4,},"
_DOT_DECIMAL = r",.*\.|^[^.,]*\.(\d{1,2}|\d{4,})$|^[^.]*,.*,|^0\.|^\.|^\d{4,}\."
_AMBIGUOUS = r"^\d{1,3}[.,]\d{3}$"
_WELL_FORMED = {
    ".": r"^-?(\d{1,3}(,\d{3})+(\.\d*)?|\d+(\.\d*)?|\.\d+)-?$",
    ",": r"^-?(\d{1,3}(\.\d{3})+(,\d*)?|\d+(,\d*)?|,\d+)-?$",
}


@dataclass(frozen=True)
class ParsedNumbers:
    """The result of :func:`parse_numbers`.

    Attributes
    ----------
    values : pandas.Series
        float64 values (percentages as fractions), NaN where missing or invalid.
    invalid : pandas.Series
        True where a non-empty, non-placeholder cell is not a number.
    currency : pandas.Series
        ISO 4217 code found in each cell (``"EUR"`` for ``"12 €"``), else missing.
    decimal : str
        The decimal mark used (``"."`` or ``","``).
    warnings : tuple of str
        Set when the column was ambiguous and the locale decided.
    """

    values: pd.Series
    invalid: pd.Series
    currency: pd.Series
    decimal: str
    warnings: tuple[str, ...] = ()


def locale_decimal(locale: str) -> str:
    """The decimal mark of ``locale`` (``"en"`` → ``"."``, ``"es"`` → ``","``).

    Examples
    --------
    >>> locale_decimal("es"), locale_decimal("en_GB")
    (',', '.')
    """
    from babel.core import UnknownLocaleError
    from babel.numbers import get_decimal_symbol

    try:
        return get_decimal_symbol(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return "."


def text_chunks(values: pd.Series) -> pa.Array | pa.ChunkedArray:
    """The values of a Series as pyarrow text, in the chunks they are held in (no
    copy of an Arrow-backed column); :func:`one_array` makes one array of them."""
    if len(values) and not pd.api.types.is_string_dtype(values.dtype):
        values = values.astype("str").where(values.notna())
    try:
        array = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # objects of several kinds
        array = None
    if array is None or not (
        pa.types.is_string(array.type) or pa.types.is_large_string(array.type)
    ):
        if array is not None and pa.types.is_null(array.type):
            return pa.array(values, type=pa.string(), from_pandas=True)
        # objects that are not text (dates from a Parquet DATE column): their text
        values = values.astype("str").where(values.notna())
        array = pa.array(values, type=pa.string(), from_pandas=True)
    return array


def one_array(text: pa.Array | pa.ChunkedArray) -> pa.Array:
    """``text`` as one pyarrow string array."""
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    return text.cast(pa.string()) if text.type != pa.string() else text


def distinct(text: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    """The distinct values of ``text`` and each row's position among them (-1
    where missing), encoded chunk by chunk (the column is never copied whole).

    Examples
    --------
    >>> chunks = pa.chunked_array([["a", "b", "a"], ["c", None, "a"]])
    >>> values, at = distinct(chunks)
    >>> values.to_pylist(), at.tolist()
    (['a', 'b', 'c'], [0, 1, 0, 2, -1, 0])
    """
    encoded = pc.dictionary_encode(text)
    if isinstance(encoded, pa.ChunkedArray):
        chunks = encoded.chunks
        if not chunks:
            return pa.array([], pa.string()), np.zeros(0, dtype=np.intp)
        values = chunks[-1].dictionary
        if any(len(c.dictionary) != len(values) for c in chunks):
            encoded = pc.dictionary_encode(text.combine_chunks())  # one dictionary
            return encoded.dictionary, positions(encoded.indices)
        codes = pa.chunked_array([c.indices for c in chunks], chunks[-1].indices.type)
        return values, positions(codes)
    return encoded.dictionary, positions(encoded.indices)


#: Columns at least this long are parsed one distinct value at a time when a sample
#: of their values repeats (an export's days, currencies, small counts).
DISTINCT_FROM = 64


def repeats(text: pa.Array, size: int = 1024) -> bool:
    """Whether values of ``text`` repeat (at most half distinct in a sample).

    Parsing the distinct values only, then taking the results back to every row,
    pays for the hashing when they do; a column of mostly distinct values (a CRM's
    timestamps) is parsed whole. Two samples are looked at: evenly spaced values,
    and a run of consecutive ones from the middle (an export sorted by day has a
    new day at every evenly spaced value, but each day on many rows).

    Examples
    --------
    >>> repeats(pa.array(["2025-10-01", "2025-10-02"] * 50))
    True
    >>> repeats(pa.array([str(i) for i in range(100)]))
    False
    >>> repeats(pa.array([f"day {i // 8}" for i in range(8000)]))  # sorted by day
    True
    """
    if len(text) < DISTINCT_FROM:
        return False
    at = np.unique(np.linspace(0, len(text) - 1, min(size, len(text))).astype(np.int64))
    sample = pc.drop_null(_taken(text, at))
    if 0 < 2 * len(pc.unique(sample)) <= len(sample):
        return True
    run = pc.drop_null(text.slice(max((len(text) - size) // 2, 0), size))
    return 0 < 2 * len(pc.unique(run)) <= len(run)


def _taken(text: pa.Array | pa.ChunkedArray, at: np.ndarray) -> pa.Array:
    """``text[at]`` (``at`` sorted), taken from each chunk: a take over a chunked
    array would join its chunks first."""
    if not isinstance(text, pa.ChunkedArray):
        return pc.take(text, pa.array(at))
    ends = np.cumsum([len(c) for c in text.chunks])
    which = np.searchsorted(ends, at, side="right")
    parts = []
    for i in np.unique(which):
        start = ends[i] - len(text.chunk(i))
        parts.append(pc.take(text.chunk(i), pa.array(at[which == i] - start)))
    return pa.concat_arrays(parts) if parts else pa.array([], text.type)


def positions(codes: pa.Array) -> np.ndarray:
    """Each row's position among the distinct values (-1 where missing)."""
    return pc.fill_null(codes, -1).to_numpy(zero_copy_only=False).astype(np.intp)


def _count(mask: pa.Array) -> int:
    return int(pc.sum(mask).as_py() or 0)


def _decide(
    core: pa.Array, locale: str, name: str, whole: bool
) -> tuple[str, tuple[str, ...]]:
    """Pick the decimal mark from the values that can only be read one way."""
    core = pc.replace_substring(core, "-", "")
    comma = _count(pc.match_substring_regex(core, _COMMA_DECIMAL))
    dot = _count(pc.match_substring_regex(core, _DOT_DECIMAL))
    if comma != dot:
        return ("," if comma > dot else "."), ()
    mark = locale_decimal(locale)
    ambiguous = pc.match_substring_regex(core, _AMBIGUOUS)
    if whole and _count(ambiguous):  # '1.000' in a count is a thousand
        commas = _count(pc.match_substring(pc.filter(core, ambiguous), ","))
        return ("." if 2 * commas >= _count(ambiguous) else ","), ()
    if _count(ambiguous):
        return mark, (
            f"{name}: numbers like '1,234' or '1.234' could be read either way; "
            f"read with {mark!r} as the decimal mark (locale {locale!r}); pass "
            "decimal= to choose",
        )
    return mark, ()


def parse_numbers(
    values: pd.Series,
    *,
    locale: str = "en",
    decimal: str | None = None,
    placeholders: tuple[str, ...] = PLACEHOLDERS,
    whole: bool = False,
) -> ParsedNumbers:
    """Parse a column of locale-formatted numbers, money and percentages.

    Parameters
    ----------
    values : pandas.Series
        Text cells (numbers already typed are read through their text).
    locale : str
        Decides the decimal mark when every value could be read either way.
    decimal : {".", ","}, optional
        Force the decimal mark instead of deciding it from the values.
    placeholders : tuple of str
        Cells meaning "no value" (default :data:`PLACEHOLDERS`).
    whole : bool
        The values are whole numbers (counts): in a column that does not decide
        its decimal mark otherwise, ``"1.000"`` and ``"1,000"`` are a thousand.

    Returns
    -------
    ParsedNumbers
        Values, invalid mask and currency, each with the index of ``values``.

    Examples
    --------
    >>> cells = pd.Series(["1.234,56 €", "(12,5)", "3,45 %", "--", "abc"])
    >>> parsed = parse_numbers(cells)
    >>> parsed.values.round(4).tolist()
    [1234.56, -12.5, 0.0345, nan, nan]
    >>> parsed.invalid.tolist(), parsed.currency.tolist()[0], parsed.decimal
    ([False, False, False, False, True], 'EUR', ',')
    """
    name = str(values.name) if values.name is not None else "values"
    text = text_chunks(values)
    if repeats(text):  # parse each distinct value once (trimmed), then take back
        found, at = distinct(text)
        parsed = parse_numbers(
            pd.Series(found.to_pandas(), name=values.name).astype("str"),
            locale=locale,
            decimal=decimal,
            placeholders=placeholders,
            whole=whole,
        )
        known = at >= 0
        return ParsedNumbers(
            pd.Series(
                np.where(known, parsed.values.to_numpy()[at], np.nan),
                index=values.index,
                name=values.name,
            ),
            pd.Series(known & parsed.invalid.to_numpy()[at], index=values.index),
            _taken_back(parsed.currency, at, values.index),
            parsed.decimal,
            parsed.warnings,
        )
    text = one_array(text)
    text = pc.utf8_trim_whitespace(text)
    missing = pc.or_(
        pc.is_null(text),
        pc.fill_null(pc.is_in(text, pa.array(placeholders + ("",))), True),
    )
    present = pc.if_else(missing, None, text)
    n = len(values)
    no_currency = pd.Series(None, index=values.index, dtype="str")
    plain = pc.match_substring_regex(present, _PLAIN)
    if _count(plain) == n - _count(missing) and decimal in (None, "."):
        dots, warnings = ".", ()
        if decimal is None and _count(pc.match_substring_regex(present, _AMBIGUOUS)):
            dots, warnings = _decide(present, locale, name, whole)
        if dots == ".":
            numbers = pc.cast(present, pa.float64()).to_numpy(zero_copy_only=False)
            invalid = pd.Series(False, index=values.index)
            return ParsedNumbers(
                pd.Series(numbers, index=values.index, name=values.name),
                invalid,
                no_currency,
                ".",
                warnings,
            )
    rows = np.flatnonzero(~_bool(missing))
    if len(rows) == n:
        return _parse_general(values, present, locale, decimal, name, whole)
    # mostly-empty columns (deal values, won dates…): parse the filled cells only
    part = _parse_general(
        values.iloc[rows], pc.take(present, pa.array(rows)), locale, decimal, name,
        whole,
    )  # fmt: skip
    numbers = np.full(n, np.nan)
    numbers[rows] = part.values.to_numpy()
    invalid = np.zeros(n, dtype=bool)
    invalid[rows] = part.invalid.to_numpy()
    currency = no_currency.copy()
    currency.iloc[rows] = part.currency.to_numpy()
    return ParsedNumbers(
        pd.Series(numbers, index=values.index, name=values.name),
        pd.Series(invalid, index=values.index),
        currency,
        part.decimal,
        part.warnings,
    )


def _taken_back(currency: pd.Series, at: np.ndarray, index: pd.Index) -> pd.Series:
    """The currency of each distinct value taken back to every row."""
    if currency.isna().all():  # plain numbers: no take of a million nulls
        return pd.Series(pa.nulls(len(at), pa.large_string()), index=index, dtype="str")
    return pd.Series(currency.array.take(at, allow_fill=True), index=index)


def _currency_codes(tokens: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Map what is left around the digits to ISO codes; flag what is not currency."""
    encoded = pc.dictionary_encode(tokens)
    codes, ok = [], []
    for token in encoded.dictionary.to_pylist():
        code = CURRENCY_SYMBOLS.get(token)
        if code is None and len(token) == 3 and token.isascii() and token.isupper():
            code = token
        codes.append(code)
        ok.append(token == "" or code is not None)
    indices = encoded.indices
    code = pa.DictionaryArray.from_arrays(indices, pa.array(codes, pa.string()))
    return code.cast(pa.string()), pc.take(pa.array(ok, pa.bool_()), indices)


def _parse_general(
    values: pd.Series,
    present: pa.Array,
    locale: str,
    decimal: str | None,
    name: str,
    whole: bool,
) -> ParsedNumbers:
    unified = pc.replace_substring(present, "−", "-")  # the Unicode minus sign
    tokens = pc.replace_substring_regex(unified, r"[\d.,\s\p{Zs}()%+\-'’]+", "")
    currency, known = _currency_codes(tokens)
    core = pc.replace_substring_regex(unified, r"[^\d.,\-]+", "")
    negative = pc.or_(
        pc.or_(pc.starts_with(core, "-"), pc.ends_with(core, "-")),
        pc.match_substring(unified, "("),
    )
    percent = pc.match_substring(unified, "%")
    warnings: tuple[str, ...] = ()
    if decimal is None:
        decimal, warnings = _decide(pc.unique(core), locale, name, whole)
    well_formed = pc.and_(pc.match_substring_regex(core, _WELL_FORMED[decimal]), known)
    core = pc.replace_substring(core, "-", "")
    other = "," if decimal == "." else "."
    normal = pc.replace_substring(core, other, "")
    if decimal == ",":
        normal = pc.replace_substring(normal, ",", ".")
    normal = pc.if_else(well_formed, normal, None)
    numbers = pc.cast(normal, pa.float64()).to_numpy(zero_copy_only=False)
    numbers = np.where(_bool(negative), -numbers, numbers)
    numbers = np.where(_bool(percent), numbers / 100, numbers)
    invalid = _bool(pc.and_(pc.is_valid(present), pc.invert(well_formed)))
    numbers = np.where(invalid, np.nan, numbers)
    return ParsedNumbers(
        pd.Series(numbers, index=values.index, name=values.name, dtype="float64"),
        pd.Series(invalid, index=values.index),
        _str_series(pc.if_else(well_formed, currency, None), values.index),
        decimal,
        warnings,
    )


def _str_series(array: pa.Array, index: pd.Index) -> pd.Series:
    series = array.to_pandas().astype("str")
    series.index = index  # positional: the array is in the order of index
    return series


def _bool(mask: pa.Array) -> np.ndarray:
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False)
