"""Words that reports show, in every language that has a words file.

Report text lives in :mod:`leadkpi.present.words` (one file per language), not in
notebooks, so that one notebook renders in any language. This module looks words up
by key; numbers and dates are formatted by :mod:`leadkpi.present.tables` with babel.
"""

from __future__ import annotations

import re

import pandas as pd
from babel import Locale
from babel.dates import format_date
from IPython.display import Markdown

from leadkpi.exceptions import ArgumentError
from leadkpi.present.words import languages, words

__all__ = [
    "LANGS",
    "LOCALES",
    "check_lang",
    "text",
    "has_text",
    "label",
    "kpi_name",
    "kpi_definition",
    "language_name",
    "month_name",
    "quarter_name",
    "report_title",
    "markdown",
    "escape_markdown",
    "words",
]

#: The report languages: one per words file, English first.
LANGS: tuple[str, ...] = languages()
#: The babel locale used for each report language (from its words file).
LOCALES: dict[str, str] = {lang: words(lang).locale for lang in LANGS}


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported, else raise ArgumentError naming the choices."""
    if lang not in LANGS:
        raise ArgumentError(f"unsupported language {lang!r}; expected one of {LANGS}")
    return lang


def text(key: str, lang: str = "en", **values: object) -> str:
    """A report sentence or heading in ``lang``, with ``{placeholders}`` filled."""
    return words(check_lang(lang)).text[key].format(**values)


def has_text(key: str) -> bool:
    """Whether ``key`` is a sentence of the words files."""
    return key in words("en").text


def label(value: str, lang: str = "en") -> str:
    """Display label of a channel or stage id; unknown values are shown as they are."""
    return words(check_lang(lang)).labels.get(value, value)


def kpi_name(kpi: str, lang: str = "en") -> str:
    """The name of a catalogue KPI in ``lang``; another id is shown as it is."""
    entry = words(check_lang(lang)).kpis.get(kpi)
    return entry["name"] if entry else kpi


def kpi_definition(kpi: str, lang: str = "en") -> str:
    """The one-line definition of a catalogue KPI in ``lang`` (empty if unknown)."""
    entry = words(check_lang(lang)).kpis.get(kpi)
    return entry["definition"] if entry else ""


def language_name(code: str, lang: str = "en") -> str:
    """The name of the language ``code`` in ``lang``, from babel's locale data.

    Examples
    --------
    >>> language_name("es", "en"), language_name("en", "es")
    ('Spanish', 'inglés')
    """
    return Locale.parse(code).get_language_name(LOCALES[check_lang(lang)])


def month_name(period: pd.Period, lang: str = "en") -> str:
    """``October 2026`` / ``octubre de 2026``."""
    day = period.start_time.date()
    pattern = words(check_lang(lang))["meta"]["month_year"]
    return format_date(day, pattern, locale=LOCALES[lang])


def quarter_name(period: pd.Period, lang: str = "en") -> str:
    """``2026Q4`` / ``T4 2026``."""
    pattern = words(check_lang(lang))["meta"]["quarter"]
    return pattern.format(quarter=period.quarter, year=period.qyear)


def report_title(report: str, period: pd.Period, lang: str = "en") -> str:
    """A report's document title: its name, the month and the language.

    ``report`` is a report of ``leadkpi report`` (``monthly``, ``attribution``...);
    another name is shown as it is, its underscores as spaces.

    Examples
    --------
    >>> report_title("monthly", pd.Period("2026-10"), "es")
    'Informe mensual — octubre de 2026 (español)'
    >>> report_title("channel_review", pd.Period("2026-10"))
    'Channel review — October 2026 (English)'
    """
    key = f"report_{report}"
    name = text(key, lang) if has_text(key) else report.replace("_", " ").capitalize()
    language = language_name(check_lang(lang), lang)
    return text(
        "report_title",
        lang,
        report=name,
        month=month_name(period, lang),
        language=language,
    )


#: ASCII punctuation that Markdown may read as syntax; each is backslash-escaped.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:=^])")
#: Characters that HTML would read as markup; each becomes an entity.
_HTML_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_WHITESPACE = re.compile(r"\s+")


def escape_markdown(value: object) -> str:
    r"""``value`` as Markdown that renders as exactly its text, on one line.

    A value from data (a company name, a channel) cannot start a heading, a list,
    a table, a link (``javascript:`` or any other), emphasis, maths or HTML: Markdown
    punctuation is backslash-escaped, ``& < >`` become entities and line breaks and
    runs of white space become one space.

    Examples
    --------
    >>> escape_markdown("# Acme <b>| [x](javascript:alert(1))")
    '\\# Acme &lt;b&gt;\\| \\[x\\]\\(javascript\\:alert\\(1\\)\\)'
    >>> escape_markdown("1.\n\t*net* $5")
    '1\\. \\*net\\* \\$5'
    """
    one_line = _WHITESPACE.sub(" ", str(value)).strip()
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", one_line).translate(_HTML_ENTITIES)


def markdown(
    key: str, lang: str = "en", *, level: int = 0, **values: object
) -> Markdown:
    r"""A report sentence as displayable Markdown; ``level`` > 0 makes it a heading.

    The ``values`` filled into the sentence are escaped with
    :func:`escape_markdown`, so a value from data reads as its text.

    Examples
    --------
    >>> markdown("subtitle", company="**Acme**", month="May", previous="April").data
    '\\*\\*Acme\\*\\* · figures for May, compared with April'
    """
    prefix = "#" * level + " " if level else ""
    escaped = {name: escape_markdown(value) for name, value in values.items()}
    return Markdown(prefix + text(key, lang, **escaped))
