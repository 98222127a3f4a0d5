"""Funnel stage counts and stage-to-stage conversion, through the KPI engine."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from leadkpi.data import LeadData
from leadkpi.kpis.definitions import KPI, MEASURES, Measure
from leadkpi.kpis.engine import compute
from leadkpi.kpis.formulas import ratio

__all__ = ["funnel", "FUNNEL_COLUMNS"]

FUNNEL_COLUMNS = (
    "stage",
    "count",
    "from_previous",
    "from_first",
    "drop_off",
    "mode",
    "reason",
)


def _stage_kpi(stage: str, column: str) -> tuple[KPI, Measure]:
    cohort = None if column == "created_at" else "created_at"
    measure = Measure(f"stage:{stage}", "leads", column, cohort_column=cohort)
    kpi = KPI(
        stage,
        {"en": stage, "es": stage},
        {"en": f"leads dated by {column}", "es": f"leads fechados por {column}"},
        f"count of {column}",
        "count",
        "higher",
        (measure.id,),
        lambda **m: m[measure.id],
        numerator=measure.id,
    )
    return kpi, measure


def funnel(
    data: LeadData,
    *,
    stages: Sequence[tuple[str, str]] | None = None,
    by: Sequence[str] = (),
    mode: str = "period",
    start: object = None,
    end: object = None,
) -> pd.DataFrame:
    """Count leads at each funnel stage and the conversion between stages.

    Parameters
    ----------
    data : LeadData
        Needs the ``leads`` table.
    stages : sequence of (stage, column), optional
        Stages in order with the leads column that dates each; default the project's
        configured stages (lead → MQL → SQL → opportunity → customer).
    by : sequence of str
        Grain, as for :func:`leadkpi.compute` (e.g. ``("month",)`` or
        ``("channel",)``); default one funnel over the selected range.
    mode : {"period", "cohort"}
        ``period``: stage events dated in the range; ``cohort``: what the leads created
        in the range went on to reach.
    start, end : str or Period, optional
        First and last period included.

    Returns
    -------
    pandas.DataFrame
        The grain columns, then ``stage, count, from_previous`` (conversion from the
        stage before, NaN for the first), ``from_first`` (from the first stage),
        ``drop_off`` (count lost since the stage before), ``mode`` and ``reason``
        (why a stage could not be counted, e.g. its column is missing).

    Examples
    --------
    >>> from leadkpi import load
    >>> table = funnel(load("leadkpi.yaml"), start="2026-10", end="2026-10")
    >>> list(table["stage"])
    ['lead', 'mql', 'sql', 'opportunity', 'customer']
    """
    stages = list(stages if stages is not None else data.config.stages)
    pairs = [_stage_kpi(stage, column) for stage, column in stages]
    measures = {**MEASURES, **{m.id: m for _, m in pairs}}
    result = compute(
        data,
        [k for k, _ in pairs],
        by=by,
        mode=mode,
        start=start,
        end=end,
        measures=measures,
    )
    keys = list(result.columns[: result.columns.get_loc("kpi")])
    table = result[[*keys, "kpi", "value", "reason"]].rename(
        columns={"kpi": "stage", "value": "count"}
    )
    grouped = table.groupby(keys, sort=False)["count"] if keys else table["count"]
    previous = grouped.shift(1)
    if keys:
        first = grouped.transform("first")
    else:
        first = table["count"].iloc[0] if len(table) else float("nan")
    table["from_previous"] = ratio(table["count"], previous)
    table["from_first"] = ratio(table["count"], first)
    table["drop_off"] = previous - table["count"]
    table["mode"] = mode
    return table.reset_index(drop=True)[[*keys, *FUNNEL_COLUMNS]]
