"""Reading a learner's answer: ``0.05``, ``"5 %"``, ``"1.500,50 €"``, ``"10.31x"``.

Learners type answers the way they read them. A number may come as a string with a
currency sign, a percent sign, a multiplier ``x``/``×`` and the notebook language's
separators; a rate may come as a fraction or as a percentage.
"""

from __future__ import annotations

import math
import numbers
import re

from babel.numbers import NumberFormatError, parse_decimal

from leadkpi.exceptions import ArgumentError
from leadkpi.present.i18n import LOCALES, check_lang

__all__ = ["read_number", "same"]

_DECORATION = re.compile(r"[\s\u00a0\u202f€$£%×xX]+")


def read_number(answer: object, lang: str = "en") -> tuple[float, bool]:
    """The number an answer holds, and whether it was written as a percentage.

    Parameters
    ----------
    answer : number or str
        ``0.05``, ``5``, ``"5 %"``, ``"1,500.5"`` (en), ``"1.500,5"`` (es),
        ``"10.31×"``, ``"€30"``.
    lang : {"en", "es"}
        The notebook's language: which separators a string uses.

    Raises
    ------
    ArgumentError
        When the answer is not a number (the message shows what was given).

    Examples
    --------
    >>> read_number("5 %")
    (5.0, True)
    >>> read_number("1.500,5 €", lang="es")
    (1500.5, False)
    >>> read_number(0.05)
    (0.05, False)
    """
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real | str):
        raise ArgumentError(f"the answer should be a number, not {answer!r}")
    if isinstance(answer, numbers.Real):
        value = float(answer)
        if not math.isfinite(value):
            raise ArgumentError(f"the answer should be a finite number, not {answer!r}")
        return value, False
    percent = "%" in answer
    text = _DECORATION.sub("", answer)
    try:
        value = float(
            parse_decimal(text, locale=LOCALES[check_lang(lang)], strict=True)
        )
    except (NumberFormatError, ValueError):
        try:  # "0.05" typed in a Spanish notebook: Python's own form
            value = float(text)
        except ValueError:
            raise ArgumentError(
                "the answer should be a number such as 0.05, 5 % or 1,500.5; "
                f"got {answer!r}"
            ) from None
    return value, percent


def same(value: float, expected: float, tolerance: float) -> bool:
    """Whether ``value`` equals ``expected`` within the relative ``tolerance``.

    Examples
    --------
    >>> same(50.2, 50, 0.005), same(51, 50, 0.005)
    (True, False)
    """
    return math.isclose(value, expected, rel_tol=tolerance, abs_tol=1e-12)
