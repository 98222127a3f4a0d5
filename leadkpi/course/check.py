"""Checking a learner's answer: right, or wrong with a hint that names the mistake.

:func:`check` reads the answer (:mod:`leadkpi.course.answers`), compares it with the
exercise's solution and, when it is wrong, with the exercise's classic mistakes and
with the slips every exercise invites: a percentage given for a fraction (or the
other way round) and a ratio turned upside down. The feedback is in the notebook's
language and displays as one line of Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from babel.numbers import format_decimal

from leadkpi.course.answers import read_number, same
from leadkpi.course.exercise import Answer, Exercise
from leadkpi.course.lessons import EXERCISES
from leadkpi.data import LeadData
from leadkpi.exceptions import ArgumentError
from leadkpi.present.i18n import LOCALES, check_lang, escape_markdown, text

__all__ = ["Feedback", "check", "exercise", "exercises", "solution"]


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer.

    Attributes
    ----------
    exercise : str
        The exercise id.
    correct : bool
        Whether the answer is right.
    hint : str or None
        Id of the hint given (None when right).
    message : str
        The verdict as the learner reads it, in the notebook's language.
    """

    exercise: str
    correct: bool
    hint: str | None
    message: str

    def __bool__(self) -> bool:
        return self.correct

    def __str__(self) -> str:
        return self.message

    def _repr_markdown_(self) -> str:
        if self.correct:
            mark = "✅"
        else:
            mark = "✏️" if self.hint == "unanswered" else "❌"
        return f"{mark} {escape_markdown(self.message)}"


def exercises(lesson: int | None = None) -> tuple[Exercise, ...]:
    """Every exercise of the course in order, or of one ``lesson``.

    Examples
    --------
    >>> [e.id for e in exercises(1)][:3]
    ['1.1', '1.2', '1.3']
    """
    return tuple(e for e in EXERCISES if lesson is None or e.lesson == lesson)


def exercise(exercise_id: str) -> Exercise:
    """The exercise with id ``exercise_id`` (``"2.3"``).

    Raises
    ------
    ArgumentError
        No exercise has that id; the message lists the ids of the course.
    """
    for candidate in EXERCISES:
        if candidate.id == str(exercise_id):
            return candidate
    known = ", ".join(e.id for e in EXERCISES)
    raise ArgumentError(f"no exercise {exercise_id!r}; the course has {known}")


def solution(exercise_id: str, data: LeadData | None = None) -> Any:
    """The right answer of an exercise (computed on ``data``, default the sample).

    Examples
    --------
    >>> solution("1.1")
    50.0
    """
    found = exercise(exercise_id)
    return _value(found.solution, _data(found, data))


def check(
    exercise_id: str,
    answer: object,
    *,
    lang: str = "en",
    percent: bool = False,
    data: LeadData | None = None,
) -> Feedback:
    """Say whether ``answer`` solves an exercise, and if not, what went wrong.

    Parameters
    ----------
    exercise_id : str
        ``"<lesson>.<number>"``, as the notebook names it.
    answer : number, str or None
        The learner's answer: ``0.05``, ``"5 %"``, ``5`` with ``percent=True``,
        ``"1,500.50 €"``, or one of the choices of a choice exercise. ``None``, the
        placeholder of a lesson's answer cell, is "not answered yet": the
        feedback asks for an answer (hint ``unanswered``) instead of failing.
    lang : {"en", "es"}
        Language of the feedback and of the separators in a written number.
    percent : bool
        The number given is a percentage (5 for 5 %).
    data : LeadData, optional
        The data the exercise is about; default the sample company.

    Returns
    -------
    Feedback
        True when right; shown in a notebook as one line with the verdict and,
        when wrong, the hint that names the likely mistake.

    Raises
    ------
    ArgumentError
        Unknown exercise id, or an answer that is not a number where one is
        expected (the message shows what was given).

    Examples
    --------
    >>> bool(check("1.1", 50))
    True
    >>> check("1.1", 0.02).hint
    'upside_down'
    >>> check("1.3", "1030.9 %").hint
    'roas_not_roi'
    >>> print(check("1.1", "50 €", lang="es"))
    ¡Correcto! 50
    >>> print(check("1.1", None))
    Not yet: write your answer in `answer` and run the cell again.
    """
    lang = check_lang(lang)
    found = exercise(exercise_id)
    if answer is None:
        return _wrong(found, "unanswered", lang)
    data = _data(found, data)
    right = _value(found.solution, data)
    if found.kind == "choice":
        return _check_choice(found, answer, right, data, lang)
    value, written_percent = read_number(answer, lang)
    if percent or written_percent:
        value /= 100
    if same(value, right, found.tolerance):
        return _right(found, right, lang)
    for mistake in found.mistakes:
        wrong = _value(mistake.answer, data)
        if same(value, wrong, found.tolerance):
            return _wrong(found, mistake.hint, lang)
    if found.kind == "fraction" and same(value, right * 100, found.tolerance):
        return _wrong(found, "percent_not_fraction", lang)
    if found.kind == "fraction" and same(value * 100, right, found.tolerance):
        return _wrong(found, "fraction_as_percent", lang)
    if right != 0 and value != 0 and same(value, 1 / right, found.tolerance):
        return _wrong(found, "upside_down", lang)
    return _wrong(found, found.hint, lang)


def _check_choice(
    found: Exercise, answer: object, right: str, data: LeadData | None, lang: str
) -> Feedback:
    given = str(answer).strip().casefold()
    accepted = {c.casefold() for c in found.choices}
    if given not in accepted:
        raise ArgumentError(
            f"exercise {found.id} takes one of {', '.join(found.choices)}; got "
            f"{answer!r}"
        )
    if given == str(right).casefold():
        return _right(found, right, lang)
    for mistake in found.mistakes:
        if given == str(_value(mistake.answer, data)).casefold():
            return _wrong(found, mistake.hint, lang)
    return _wrong(found, found.hint, lang)


def _right(found: Exercise, right: object, lang: str) -> Feedback:
    shown = (
        format_decimal(right, "#,##0.####", locale=LOCALES[lang])
        if isinstance(right, float)
        else str(right)
    )
    return Feedback(found.id, True, None, text("course_right", lang, answer=shown))


def _wrong(found: Exercise, hint: str, lang: str) -> Feedback:
    message = text("course_wrong", lang, hint=text(f"course_hint_{hint}", lang))
    return Feedback(found.id, False, hint, message)


def _data(found: Exercise, data: LeadData | None) -> LeadData | None:
    if data is not None or not found.needs_data:
        return data
    from leadkpi.datasets import load_sample

    return load_sample()


def _value(answer: Answer, data: LeadData | None) -> Any:
    if callable(answer):
        value = answer(data)
    else:
        value = answer
    return float(value) if isinstance(value, int | float) else value
