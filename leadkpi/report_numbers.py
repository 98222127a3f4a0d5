"""The numbers a report shows, carried into its JSON sidecar.

A report notebook displays :class:`ReportNumbers` once, with the tables its
sections drew (the KPI trend, the funnel, the cohorts, …). It renders as nothing in
the HTML and carries the tables as JSON under :data:`MIMETYPE`, which
:func:`leadkpi.report.render` copies into the sidecar's ``numbers``: every number a
report shows can be read, compared and tested without parsing HTML.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["ReportNumbers", "MIMETYPE", "as_records"]

#: The output mimetype under which displayed ReportNumbers carry their JSON.
MIMETYPE = "application/vnd.leadkpi.numbers+json"


def as_records(frame: pd.DataFrame) -> dict[str, Any]:
    """A frame as JSON-ready ``{"columns": [...], "rows": [[...], ...]}``.

    Periods, timestamps and categories become text, missing values ``None``;
    numbers are kept at full precision.

    Examples
    --------
    >>> frame = pd.DataFrame({"month": pd.period_range("2026-09", periods=2, freq="M"),
    ...                       "value": [1.5, np.nan]})
    >>> as_records(frame)
    {'columns': ['month', 'value'], 'rows': [['2026-09', 1.5], ['2026-10', None]]}
    """
    frame = pd.DataFrame(frame)
    columns = []
    for name in frame.columns:
        values = frame[name]
        if pd.api.types.is_bool_dtype(values.dtype):
            out = [None if pd.isna(v) else bool(v) for v in values.astype(object)]
        elif pd.api.types.is_numeric_dtype(values.dtype):
            numbers = values.to_numpy(dtype="float64", na_value=np.nan)
            out = [None if np.isnan(v) else float(v) for v in numbers]
        else:
            out = [None if pd.isna(v) else str(v) for v in values.astype(object)]
        columns.append(out)
    rows = [list(row) for row in zip(*columns, strict=True)] if columns else []
    return {"columns": [str(c) for c in frame.columns], "rows": rows}


class ReportNumbers:
    """The tables behind a report, by section name, for the sidecar.

    Parameters
    ----------
    *sections : Section
        Report sections (:class:`leadkpi.present.sections.Section`); their ``numbers``
        are taken in order. A section that was not available adds nothing.
    **tables : pandas.DataFrame
        Each section's table as the analysis returned it.

    Examples
    --------
    >>> numbers = ReportNumbers(leads=pd.DataFrame({"kpi": ["leads"], "value": [3.0]}))
    >>> bundle = numbers._repr_mimebundle_()
    >>> bundle[MIMETYPE]["leads"]["rows"]
    [['leads', 3.0]]
    """

    def __init__(self, *sections: Any, **tables: pd.DataFrame) -> None:
        self.tables = {}
        for part in sections:
            self.tables.update(part.numbers)
        self.tables.update(tables)

    def to_dict(self) -> dict[str, Any]:
        """Section name → :func:`as_records` of its table."""
        return {name: as_records(table) for name, table in self.tables.items()}

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> Mapping[str, Any]:
        data = self.to_dict()
        json.dumps(data, allow_nan=False)  # fails here, not in the sidecar
        return {MIMETYPE: data, "text/plain": ""}
