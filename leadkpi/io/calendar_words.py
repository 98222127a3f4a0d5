"""Month and weekday words of the UI languages exports are written in, from babel.

Ad platforms, CRMs and analytics tools write dates in their user's UI language:
``ter., 5 de mai. de 2026`` (Portuguese), ``mar. 5 mai 2026`` (French),
``Di., 5. Mai 2026`` (German), ``5 may. 2026`` (Spanish), ``Tue, May 5, 2026``
(English). The words come from babel's locale data (CLDR), in every width
(wide, abbreviated, short) and context (format, stand-alone), never from
hand-written lists; :func:`leadkpi.io.dates.parse_dates` reads data cells with
them and :func:`leadkpi.io.profiles._range.parse_day` the period lines above a
report's header.
"""

from __future__ import annotations

import functools

from babel.dates import get_day_names, get_month_names

__all__ = ["LANGUAGES", "month_words", "month_prefixes", "weekday_words"]

#: UI languages whose month and weekday names exports are read in.
LANGUAGES: tuple[str, ...] = ("en", "es", "pt", "fr", "de")
_WIDTHS = ("wide", "abbreviated", "short", "narrow")
_CONTEXTS = ("format", "stand-alone")


def _word(name: str) -> str:
    """Lower case, without an abbreviation's dot."""
    return name.lower().strip(".").strip()


@functools.cache
def month_words(languages: tuple[str, ...] = LANGUAGES) -> dict[str, int]:
    """Month names and abbreviations → month number, from babel's locale data.

    Lower-cased and without the abbreviation's dot; wide and abbreviated, format and
    stand-alone forms (``"octubre"``, ``"oct"``, ``"out"``, ``"okt"``, ``"déc"``),
    plus the Spanish ``"setiembre"`` and ``"sept"`` that Latin American UIs write.

    Examples
    --------
    >>> words = month_words()
    >>> words["mai"], words["okt"], words["set"], words["setiembre"], words["mär"]
    (5, 10, 9, 9, 3)
    """
    out: dict[str, int] = {"sept": 9, "setiembre": 9}
    for language in languages:
        for width in _WIDTHS[:2]:
            for context in _CONTEXTS:
                names = get_month_names(width, context, locale=language)
                for number, name in names.items():
                    out.setdefault(_word(name), number)
    return out


@functools.cache
def month_prefixes(languages: tuple[str, ...] = LANGUAGES) -> dict[str, int]:
    """The first three letters of each month word → month number, where they
    name one month only (``"sep"`` of ``"Sept."`` or ``"September"``; not ``"jui"``,
    which starts both ``juin`` and ``juillet``).

    Examples
    --------
    >>> prefixes = month_prefixes()
    >>> prefixes["okt"], prefixes["sep"], "jui" in prefixes
    (10, 9, False)
    """
    seen: dict[str, set[int]] = {}
    for word, number in month_words(languages).items():
        if len(word) >= 3:
            seen.setdefault(word[:3], set()).add(number)
    return {p: next(iter(n)) for p, n in seen.items() if len(n) == 1}


@functools.cache
def weekday_words(languages: tuple[str, ...] = LANGUAGES) -> dict[str, int]:
    """Weekday names and abbreviations → the weekdays they may mean, as a bit mask
    (bit 0 Monday … bit 6 Sunday).

    A word may mean two days in two languages: ``"do"`` is Sunday in Spanish
    (``domingo``) and Thursday in German (``Donnerstag``).

    Examples
    --------
    >>> words = weekday_words()
    >>> words["ter"], words["tue"], words["di"] == (1 << 1) | (1 << 6)
    (2, 2, True)
    """
    out: dict[str, int] = {}
    for language in languages:
        for width in _WIDTHS[:3]:
            for context in _CONTEXTS:
                names = get_day_names(width, context, locale=language)
                for number, name in names.items():
                    word = _word(name)
                    out[word] = out.get(word, 0) | (1 << number)
    return out
