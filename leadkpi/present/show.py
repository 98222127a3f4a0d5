"""Any leadkpi result, formatted for reading in a notebook.

The analyses return plain tidy tables (durations in seconds, rates as fractions) so
that they can be computed on; :func:`show` is the one place that turns them into
what a reader expects: percentages, money in the project's currency, durations in
the unit one thinks in, months by name. The unit of each column comes from the
analysis that produced the table (its column set), never from guessing by name.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from pandas.io.formats.style import Styler

from leadkpi.exceptions import ArgumentError
from leadkpi.funnel.cohorts import COHORT_COLUMNS as FUNNEL_COHORT_COLUMNS
from leadkpi.funnel.cohorts import TIME_TO_STAGE_COLUMNS
from leadkpi.funnel.durations import DURATION_COLUMNS
from leadkpi.funnel.lost import LOST_COLUMNS, LOST_STAGE_COLUMNS
from leadkpi.funnel.speed import BUCKET_COLUMNS, SPEED_COLUMNS
from leadkpi.funnel.table import FUNNEL_COLUMNS
from leadkpi.present.display import KPIFrame, as_kpi_frame, grain_text, header
from leadkpi.present.i18n import check_lang, kpi_name
from leadkpi.present.tables import aligned, format_values, marked_values
from leadkpi.retention import CURVE_COLUMNS, LTV_COLUMNS, LTV_TABLE_COLUMNS
from leadkpi.retention.churn import CHURN_COLUMNS
from leadkpi.retention.cohorts import COHORT_COLUMNS as RETENTION_COHORT_COLUMNS

__all__ = ["show", "UNITS"]

_F, _C, _S, _M, _N = "fraction", "count", "seconds", "currency", "multiple"

#: Each analysis's result columns, with the unit of the columns shown formatted.
#: A table is read by the largest column set it holds in full.
UNITS: tuple[tuple[tuple[str, ...], Mapping[str, str]], ...] = (
    (
        FUNNEL_COLUMNS,
        {"count": _C, "from_previous": _F, "from_first": _F, "drop_off": _C,
         "skipped": _C, "before_created": _C, "future": _C},
    ),
    (
        FUNNEL_COHORT_COLUMNS,
        {"size": _C, "count": _C, "value": _F, "skipped": _C, "before_created": _C,
         "future": _C},
    ),
    (
        TIME_TO_STAGE_COLUMNS,
        {"at_risk": _C, "events": _C, "censored": _C, "reached": _F, "ci_low": _F,
         "ci_high": _F, "competing": _C},
    ),
    (
        DURATION_COLUMNS,
        {"count": _C, "median": _S, "p25": _S, "p75": _S, "p90": _S, "mean": _S,
         "negative": _C},
    ),
    (
        SPEED_COLUMNS,
        {"leads": _C, "contacted": _C, "within_sla": _C, "within_sla_rate": _F,
         "within_sla_ci_low": _F, "within_sla_ci_high": _F, "never_contacted": _C,
         "never_contacted_rate": _F, "never_contacted_ci_low": _F,
         "never_contacted_ci_high": _F, "median_seconds": _S, "p95_seconds": _S,
         "before_created": _C},
    ),
    (
        BUCKET_COLUMNS,
        {"leads": _C, "share": _F, "customers": _C, "conversion_rate": _F,
         "ci_low": _F, "ci_high": _F},
    ),
    (LOST_COLUMNS, {"lost": _C, "share": _F}),
    (LOST_STAGE_COLUMNS, {"reached": _C, "lost": _C, "lost_share": _F}),
    (
        CHURN_COLUMNS,
        {"customers_at_start": _C, "lost": _C, "churn_rate": _F,
         "retention_rate": _F, "ci_low": _F, "ci_high": _F},
    ),
    (
        LTV_TABLE_COLUMNS,
        {"customers": _C, "mature_customers": _C, "ltv_empirical": _M, "arpa": _M,
         "monthly_churn": _F, "customers_lost": _C, "ltv_formula": _M, "cac": _M,
         "ltv_to_cac_empirical": _N, "ltv_to_cac_formula": _N},
    ),
    (RETENTION_COHORT_COLUMNS, {"size": _C, "count": _C, "value": _F}),
    (LTV_COLUMNS, {"size": _C, "count": _C, "value": _M, "revenue": _M}),
    (CURVE_COLUMNS, {"cohorts": _C, "size": _C, "count": _C, "value": _F}),
)  # fmt: skip


def _units(table: pd.DataFrame, numbers: list[str]) -> dict[str, str]:
    """The unit of each of ``numbers`` (the table's number columns).

    The candidates are the analyses whose result holds every one of them (a table
    cut to a few columns still names its analysis); a column takes the unit its
    candidates agree on, and stays unformatted where they disagree (``value`` is
    a share in a cohort matrix and money in a revenue matrix).
    """
    found = [units for cols, units in UNITS if set(numbers) <= set(cols)]
    out: dict[str, str] = {}
    for column in numbers:
        seen = {units.get(column) for units in found}
        if len(seen) == 1 and None not in seen:
            out[column] = seen.pop()
    return out


def _is_text(values: pd.Series) -> bool:
    """Names, labels and periods: shown by their label, never as numbers."""
    return (
        isinstance(values.dtype, pd.PeriodDtype)
        or values.dtype == object
        or pd.api.types.is_string_dtype(values.dtype)
    )


def _wide(result: KPIFrame, lang: str, currency: str) -> Styler:
    keys = list(result.columns[: result.columns.get_loc("kpi")])
    kpis = list(dict.fromkeys(result["kpi"]))
    cells = result.assign(shown=marked_values(result, lang=lang, currency=currency))
    wide = cells.pivot(index=keys, columns="kpi", values="shown") if keys else (
        cells.set_index("kpi")[["shown"]].T
    )
    wide = wide.reindex(columns=kpis).fillna("–")
    if keys:
        wide = wide.reset_index()
        for key in keys:
            wide[key] = grain_text(wide[key], key, lang)
    names = {k: kpi_name(k, lang) for k in kpis}
    shown = wide.rename(columns={**names, **{k: header(k, lang) for k in keys}})
    styler = aligned(shown, [header(k, lang) for k in keys])
    return styler.set_table_attributes('class="leadkpi-table"')


def show(
    table: pd.DataFrame,
    *,
    wide: bool = False,
    lang: str | None = None,
    currency: str | None = None,
    max_rows: int | None = None,
) -> Styler:
    """A leadkpi result as a formatted table, for a notebook.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`leadkpi.compute` (or :func:`leadkpi.compare`) result, or the table
        of an analysis (:func:`~leadkpi.funnel.funnel`, ``cohort_matrix``,
        ``time_to_stage``, ``time_between``, ``speed_to_lead``,
        ``response_buckets``, ``lost_reasons``, ``lost_by_stage``, ``churn_table``,
        ``ltv_table``, ``retention_matrix``, ``retention_curve``), filtered or cut
        to fewer columns as you like.
    wide : bool
        For a KPI result: one row per cell of the grain and one column per KPI
        (the pivot one reads), instead of one row per KPI with its interval.
    lang : {"en", "es"}, optional
        Language of labels and number formats; default the result's own (a KPI
        result carries the project's locale), else English.
    currency : str, optional
        ISO 4217 code of money columns; default the KPI result's own. An analysis
        table with money columns needs it (``data.config.currency``): money is
        never shown in a currency guessed.
    max_rows : int, optional
        Show only the first rows of a KPI result, saying so under the table.

    Returns
    -------
    pandas.io.formats.style.Styler
        Text cells: rates as percentages, money in ``currency``, durations as
        ``2 h 15 min`` or ``3.5 d``, counts with thousands separators, months by
        name, channels and stages by their labels; ``–`` where a value is missing.
        Columns whose unit the analysis does not define are shown as they are;
        an analysis table keeps its column names (the ones code filters on).

    Raises
    ------
    ArgumentError
        A table with money columns and no ``currency``; ``wide=True`` for a table
        that is not a KPI result.

    Examples
    --------
    >>> import leadkpi
    >>> data = leadkpi.load("leadkpi.yaml")
    >>> between = leadkpi.time_between(data, "lead", "customer", by=("channel",))
    >>> show(between[["channel", "count", "median"]]).data.iloc[0].tolist()
    ['Direct', '11', '62.7 d']
    >>> monthly = leadkpi.compute(data, ["leads", "cost_per_lead"], by=("month",),
    ...                           start="2026-09", end="2026-10", mode="period")
    >>> show(monthly, wide=True, lang="es").data.iloc[1].tolist()
    ['octubre de 2026', '358', '49,86\\xa0€']
    """
    is_kpi = isinstance(table, KPIFrame) and table.is_long()
    if not is_kpi and {"kpi", "value", "unit"} <= set(table.columns):
        table, is_kpi = as_kpi_frame(table), True  # a result that lost its class
    if is_kpi:
        lang = check_lang(lang or table.lang)
        currency = currency or table.currency
        if wide:
            return _wide(table, lang, currency)
        return table.formatted(lang, currency=currency, max_rows=max_rows)
    if wide:
        raise ArgumentError(
            "wide=True pivots a KPI result (kpi, value, unit columns); this table "
            f"has {', '.join(map(str, table.columns))}"
        )
    lang = check_lang(lang or "en")
    words = [c for c in table.columns if _is_text(table[c])]
    units = _units(table, [c for c in table.columns if c not in words])
    money = [c for c, u in units.items() if u == "currency"]
    if money and currency is None:
        raise ArgumentError(
            f"currency= is needed to show the money columns {', '.join(money)} "
            "(pass the project's: currency=data.config.currency)"
        )
    shown = pd.DataFrame(index=table.index)
    plain = []
    for column in table.columns:
        values = table[column]
        if column in units:
            shown[column] = format_values(
                values, units[column], lang=lang, currency=currency or "EUR"
            )
        elif column in words:
            shown[column] = grain_text(values, str(column), lang)
            plain.append(column)
        else:
            shown[column] = values
    # the analysis's own column names, as the code that filters on them uses
    styler = aligned(shown.reset_index(drop=True), plain)
    return styler.set_table_attributes('class="leadkpi-table"')
