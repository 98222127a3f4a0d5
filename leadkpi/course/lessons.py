"""The exercises of every lesson, in course order."""

from __future__ import annotations

from leadkpi.course import lesson1, lesson2, lesson3, lesson4, lesson5
from leadkpi.course.exercise import Exercise

#: Every exercise of the course, lesson by lesson.
EXERCISES: tuple[Exercise, ...] = (
    *lesson1.EXERCISES,
    *lesson2.EXERCISES,
    *lesson3.EXERCISES,
    *lesson4.EXERCISES,
    *lesson5.EXERCISES,
)
