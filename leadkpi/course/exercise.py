"""An exercise of the course: its right answer and the classic wrong ones.

An exercise is data: its id (``"2.3"``: lesson 2, exercise 3), how its answer is read
(a number, a fraction that may be given as a percentage, or one of a few choices),
how the right answer is found (a constant or a function of the sample data) and the
mistakes a learner is likely to make, each with the hint that names it. The
notebooks ask the questions; the package keeps the solutions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from leadkpi.data import LeadData

__all__ = ["Exercise", "Mistake", "Kind"]

#: How an answer is read: ``number`` (CPL, days, a count), ``fraction`` (a rate:
#: 0.05, "5 %" or 5 with ``percent=True``) or ``choice`` (one of ``choices``).
Kind = Literal["number", "fraction", "choice"]

#: A right or wrong answer: the value itself or how it follows from the data.
Answer = float | str | Callable[[LeadData], Any]


@dataclass(frozen=True)
class Mistake:
    """A classic wrong answer and the hint that names the mistake behind it.

    Parameters
    ----------
    answer : float, str or callable
        The wrong answer, or a function of the sample data that gives it.
    hint : str
        Id of the hint in :mod:`leadkpi.present.words.course` (``averaged_ratios``,
        ``period_not_cohort``, ``roas_not_roi`` …).
    """

    answer: Answer
    hint: str


@dataclass(frozen=True)
class Exercise:
    """One exercise: how to read its answer, the solution and the likely mistakes.

    Parameters
    ----------
    id : str
        ``"<lesson>.<number>"``.
    kind : {"number", "fraction", "choice"}
        How an answer is read (see :data:`Kind`).
    solution : float, str or callable
        The right answer, or a function of the sample data (a
        :class:`~leadkpi.data.LeadData`) that computes it with leadkpi.
    mistakes : tuple of Mistake
        Wrong answers that have a name, checked in order.
    tolerance : float
        Relative tolerance of a numeric answer (default 0.5 %: an answer rounded
        to three significant figures is right).
    choices : tuple of str
        For ``kind="choice"``: the accepted answers (compared trimmed and
        case-insensitively).
    hint : str, optional
        Hint id shown for a wrong answer that matches no mistake (default: the
        generic ``try_again``).
    """

    id: str
    kind: Kind
    solution: Answer
    mistakes: tuple[Mistake, ...] = ()
    tolerance: float = 0.005
    choices: tuple[str, ...] = ()
    hint: str = "try_again"

    @property
    def lesson(self) -> int:
        """The lesson the exercise belongs to."""
        return int(self.id.split(".")[0])

    @property
    def needs_data(self) -> bool:
        """Whether the solution or a mistake is computed from the sample data."""
        answers = (self.solution, *(m.answer for m in self.mistakes))
        return any(callable(a) for a in answers)
