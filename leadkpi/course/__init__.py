"""A self-checking course on lead-generation KPIs.

The lessons are notebooks in ``notebooks/course/en`` and ``notebooks/course/es``; this
package keeps their exercises, solutions and hints. :func:`check` says whether an
answer is right, or names the likely mistake (an average of ratios, a period count
for a cohort one, a percentage for a fraction) in the notebook's language.

Examples
--------
>>> from leadkpi.course import check
>>> print(check("1.5", 30))
Right! 30
"""

from leadkpi.course.check import Feedback, check, exercise, exercises, solution
from leadkpi.course.exercise import Exercise, Mistake

__all__ = [
    "Exercise",
    "Feedback",
    "Mistake",
    "check",
    "exercise",
    "exercises",
    "solution",
]
