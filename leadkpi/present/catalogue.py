"""The KPI catalogue as a table, in any report language."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from leadkpi.exceptions import ArgumentError
from leadkpi.kpis.definitions import KPIS
from leadkpi.kpis.kpi import KPI
from leadkpi.kpis.measure_catalogue import MEASURES
from leadkpi.kpis.measures import (
    AnyMeasure,
    Baseline,
    Measure,
    Setting,
    Statistic,
    Stock,
    Total,
)
from leadkpi.present.i18n import LANGS, kpi_definition, kpi_name

__all__ = ["catalogue", "CATALOGUE_COLUMNS"]

CATALOGUE_COLUMNS = ("id", "name", "definition", "formula", "unit", "better", "needs")


def _tables(
    ids: Iterable[str], measures: Mapping[str, AnyMeasure], seen: set[str]
) -> list[str]:
    out: list[str] = []
    for mid in ids:
        m = measures.get(mid)
        if m is None or mid in seen:
            continue
        seen.add(mid)
        if isinstance(m, Baseline):
            out += _tables([m.of], measures, seen)
        elif isinstance(m, Total):
            out += _tables(m.parts, measures, seen)
        elif isinstance(m, Setting):
            out.append(f"config.{m.attribute}")
        elif isinstance(m, (Measure, Statistic, Stock)):
            out += [f"{m.table}.{c}" for c in m.needs()]
    return out


def catalogue(
    lang: str = "en",
    kpis: Iterable[str | KPI] | None = None,
    *,
    measures: Mapping[str, AnyMeasure] | None = None,
) -> pd.DataFrame:
    """List KPIs with their name, definition, formula, unit, direction and inputs.

    Parameters
    ----------
    lang : {"en", "es"}
        Language of names and definitions.
    kpis : iterable of str or KPI, optional
        KPI ids or your own :class:`KPI` objects; default every built-in KPI.
    measures : mapping, optional
        Measures of custom KPIs, merged over the built-in ones.

    Returns
    -------
    pandas.DataFrame
        One row per KPI: ``id, name, definition, formula, unit, better, needs``
        (``needs`` lists the ``table.column`` inputs).

    Examples
    --------
    >>> table = catalogue("es", ["cost_per_lead", "churn_rate"])
    >>> table["name"].tolist()
    ['Coste por lead', 'Tasa de abandono']
    >>> table["needs"].iloc[0]
    'spend.date, spend.cost, leads.created_at'
    """
    if lang not in LANGS:
        raise ArgumentError(f"lang must be one of {LANGS}, not {lang!r}")
    merged = {**MEASURES, **(measures or {})}
    chosen = (
        list(KPIS.values())
        if kpis is None
        else [
            k if isinstance(k, KPI) else KPIS[k] if k in KPIS else _unknown(k)
            for k in kpis
        ]
    )
    rows = [
        {
            "id": k.id,
            "name": k.name.get(lang) or k.name.get("en") or kpi_name(k.id, lang),
            "definition": k.definition.get(lang)
            or k.definition.get("en")
            or kpi_definition(k.id, lang),
            "formula": k.formula,
            "unit": k.unit,
            "better": k.better,
            "needs": ", ".join(dict.fromkeys(_tables(k.measures, merged, set()))),
        }
        for k in chosen
    ]
    return pd.DataFrame(rows, columns=list(CATALOGUE_COLUMNS))


def _unknown(kpi: str) -> KPI:
    raise ArgumentError(f"unknown KPI {kpi!r}; known: {', '.join(KPIS)}")
