"""The KPI object: a documented formula over measures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from leadkpi.exceptions import ArgumentError

__all__ = ["KPI", "Unit", "Interval", "kpi"]

#: ``seconds`` is a duration in seconds (``pandas.to_timedelta(value, unit)`` reads
#: it); ``duration``, its former name, is still read as seconds.
Unit = Literal[
    "count", "fraction", "currency", "seconds", "duration", "multiple", "points"
]
#: How the engine puts a 95 % interval around a value (see
#: :mod:`leadkpi.kpis.uncertainty`): ``wilson`` for a proportion (numerator
#: successes out of denominator trials); ``cost_per_count`` for a cost over a count
#: (Poisson count, cost fixed); ``return_on_spend`` for revenue over spend (compound
#: Poisson revenue from the squared deal values, spend fixed; ROI is ROAS − 1);
#: ``wilson_complement`` for 1 − a proportion (retention from churn);
#: ``mean_value`` for revenue per won deal; ``statistic`` when the statistic measure
#: brings its own interval; ``none`` otherwise.
Interval = Literal[
    "wilson",
    "wilson_complement",
    "cost_per_count",
    "return_on_spend",
    "mean_value",
    "statistic",
    "none",
]


@dataclass(frozen=True)
class KPI:
    """A key performance indicator: a documented formula over measures.

    Parameters
    ----------
    id : str
        Stable snake_case identifier.
    name : dict
        Display name by language (``{"en": ..., "es": ...}``) of a KPI of your
        own; the catalogue's KPIs are named by the words files
        (:mod:`leadkpi.present.words`) and leave it empty.
    definition : dict
        One-line definition by language, likewise.
    formula : str
        The formula as text.
    unit : str
        ``count``, ``fraction``, ``currency``, ``duration`` (seconds), ``multiple``
        or ``points``.
    better : {"higher", "lower", None}
        Which direction is good news.
    measures : tuple of str
        Measure ids the formula takes, as keyword arguments.
    func : callable
        The formula: ``func(**{measure: values})``, vectorised.
    numerator, denominator : str, optional
        Measure ids reported beside the value; ``denominator`` is None for plain
        measures.
    interval : str
        How its 95 % interval is computed (see :data:`Interval`).
    n : str, optional
        Measure id whose value is the number of observations behind the value
        (default: the denominator of a proportion or cost-per-count, the numerator
        of a count, the rows of a statistic).
    support : tuple of str
        Extra measures the interval needs (e.g. ``revenue_sq``), computed but not
        passed to ``func``.

    Examples
    --------
    >>> from leadkpi.kpis import formulas as f
    >>> cpl = KPI("cpl", {"en": "CPL"}, {"en": "Spend per lead"}, "spend / leads",
    ...           "currency", "lower", ("spend", "leads"), f.cost_per_lead,
    ...           "spend", "leads", interval="cost_per_count")
    >>> cpl.func(spend=10_000, leads=200)
    50.0
    """

    id: str
    name: dict[str, str]
    definition: dict[str, str]
    formula: str
    unit: Unit
    better: Literal["higher", "lower"] | None
    measures: tuple[str, ...]
    func: Callable[..., object]
    numerator: str | None = None
    denominator: str | None = None
    interval: Interval = "none"
    n: str | None = None
    support: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.unit not in Unit.__args__:
            raise ArgumentError(
                f"KPI {self.id!r}: unit {self.unit!r} is not one of {Unit.__args__}"
            )
        if self.better not in ("higher", "lower", None):
            raise ArgumentError(
                f"KPI {self.id!r}: better={self.better!r}; expected higher, lower "
                "or None"
            )

    @property
    def n_measure(self) -> str | None:
        """The measure that counts the observations behind the value."""
        if self.n is not None:
            return self.n
        if self.interval in ("wilson", "wilson_complement", "cost_per_count"):
            return self.denominator
        if self.unit == "count":
            return self.numerator
        return None


def _identity(measure: str) -> Callable[..., object]:
    def func(**m: object) -> object:
        return m[measure]

    func.__qualname__ = f"identity({measure!r})"
    return func


def kpi(
    id_: str,
    formula: str,
    unit: Unit,
    better: Literal["higher", "lower"] | None,
    func: Callable[..., object] | None = None,
    measures: tuple[str, ...] | None = None,
    **kw: object,
) -> KPI:
    """Shorthand for the catalogue, whose names and definitions are words of
    :mod:`leadkpi.present.words` (the KPI's own ``name`` and ``definition`` stay
    empty).

    Without ``func``, the KPI is its one measure (``measures`` or its id). With a
    ``func`` and no ``measures``, the measures are the first two keyword names of
    the function, numerator then denominator.
    """
    if func is None:
        measure = (measures or (id_,))[0]
        return KPI(
            id_,
            {},
            {},
            formula,
            unit,
            better,
            (measure,),
            _identity(measure),
            numerator=measure,
            **kw,
        )
    if measures is None:
        code = func.__code__
        measures = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
    kw.setdefault("numerator", measures[0])
    kw.setdefault("denominator", measures[1] if len(measures) > 1 else None)
    return KPI(id_, {}, {}, formula, unit, better, tuple(measures), func, **kw)
