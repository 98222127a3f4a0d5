"""KPI results that show themselves in Jupyter as a formatted, localised table.

:class:`KPIFrame` is a :class:`pandas.DataFrame`: every pandas operation works on it
and its data stay raw numbers (fractions, seconds, floats). Only its HTML rendering
differs: while the frame has the long KPI layout (``kpi``, ``value``, ``unit``
columns) Jupyter shows KPI names, percentages, money, durations and intervals in the
frame's language; after a ``pivot`` or a ``groupby`` it renders as any DataFrame.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from leadkpi.exceptions import ArgumentError
from leadkpi.periods import GRAINS
from leadkpi.present.i18n import LANGS, check_lang, label, month_name, text
from leadkpi.present.tables import (
    aligned,
    change_styles,
    footnotes,
    format_change,
    format_interval,
    format_values,
    kpi_names,
    marked_values,
    status_styles,
    with_footnotes,
)

__all__ = ["KPIFrame", "as_kpi_frame", "shown", "LONG_LAYOUT"]

P = ParamSpec("P")

#: Columns that make a frame a long KPI result, shown formatted.
LONG_LAYOUT = ("kpi", "value", "unit")
#: Columns of the engine's contract that the formatted view leaves out.
_HIDDEN = (
    "numerator",
    "denominator",
    "unit",
    "better",
    "mode",
    "count_by",
    "small_sample",
    "ci_low",
    "ci_high",
    "change",
    "improved",
    "significant",
    "previous_ci_low",
    "previous_ci_high",
    "previous_n",
)
#: Text keys of the shown columns that hold numbers, aligned right.
_NUMBERS = ("value_col", "interval", "n", "previous_value", "change", "target")


def _language(lang: str) -> str:
    """``"es"`` from ``"es"``, ``"es_ES"`` or ``"es-ES"``; ValueError otherwise."""
    return check_lang(str(lang).replace("-", "_").split("_")[0].lower())


class KPIFrame(pd.DataFrame):
    """A long KPI result that renders formatted in Jupyter.

    Parameters
    ----------
    data
        Anything :class:`pandas.DataFrame` accepts; usually a :func:`leadkpi.compute`
        result. Prefer :func:`as_kpi_frame`, which also sets the display settings.

    Attributes
    ----------
    lang : str
        Display language (``"en"`` or ``"es"``).
    currency : str
        ISO 4217 code of ``currency`` values.
    names : mapping or None
        Names of KPIs that are not built in (see
        :func:`leadkpi.present.tables.kpi_names`).

    Notes
    -----
    The settings are pandas ``_metadata``: operations that keep the frame a
    KPIFrame (filters, ``assign``, ``copy``, ``sort_values``) keep them; ``merge``
    and ``concat`` give a KPIFrame with the default settings.
    """

    _metadata = ["lang", "currency", "names"]
    lang: str = "en"
    currency: str = "EUR"
    names: Mapping[str, Any] | None = None

    @property
    def _constructor(self) -> type[KPIFrame]:
        return KPIFrame

    def is_long(self) -> bool:
        """Whether the frame still has the long KPI layout (a ``kpi`` column,
        ``value`` and ``unit``), the shape that :meth:`formatted` shows."""
        return all(c in self.columns for c in LONG_LAYOUT)

    def formatted(
        self,
        lang: str | None = None,
        *,
        currency: str | None = None,
        max_rows: int | None = None,
    ) -> Styler:
        """The result as a formatted, localised table.

        Parameters
        ----------
        lang : {"en", "es"}, optional
            Display language; default the frame's :attr:`lang`.
        currency : str, optional
            Default the frame's :attr:`currency`.
        max_rows : int, optional
            Show only the first ``max_rows`` rows, saying so under the table.

        Returns
        -------
        pandas.io.formats.style.Styler
            Grain columns (months named, channels labelled), the KPI's name, its
            value by unit (``5.0%``, ``€1,234.50``, ``2 h 15 min``, ``10.31×``,
            ``1,234``; ``*`` on small samples), and when present the 95 % interval,
            ``n``, the previous value and change (green good news, red bad news,
            grey within noise), target and status, and the reason a value is
            missing. Its ``data`` is the frame of strings.

        Raises
        ------
        ValueError
            When the frame no longer has the long KPI layout.

        Examples
        --------
        >>> from leadkpi import compute, load
        >>> data = load("leadkpi.yaml")
        >>> result = as_kpi_frame(compute(data, ["leads", "cost_per_lead"],
        ...                       by=("month",), start="2026-10", end="2026-10"))
        >>> shown = result.formatted(lang="es").data
        >>> list(shown.columns)
        ['Mes', 'KPI', 'Valor', 'Intervalo del 95 %', 'n']
        >>> " | ".join(shown.iloc[1]).replace(chr(160), " ")
        'octubre de 2026 | Coste por lead | 49,86 € | 44,95 €–55,46 € | 358'
        """
        if not self.is_long():
            missing = [c for c in LONG_LAYOUT if c not in self.columns]
            raise ArgumentError(
                f"formatted() needs the long KPI layout; the frame has no {missing} "
                "column(s) (pivoted or aggregated frames show as plain DataFrames)"
            )
        lang = _language(lang or self.lang)
        currency = currency or self.currency
        rows = pd.DataFrame(self).reset_index(drop=True)
        rows.attrs = dict(self.attrs)  # the level of a compare() test, for its legend
        total = len(rows)
        if max_rows is not None and total > max_rows:
            rows = rows.head(max_rows)
        shown, styles = _strings(rows, lang=lang, currency=currency, names=self.names)
        numbers = [text(k, lang) for k in _NUMBERS if text(k, lang) in shown.columns]
        styler = aligned(shown, [c for c in shown.columns if c not in numbers])
        for column, css in styles.items():
            styler = styler.apply(lambda _, css=css: css, subset=[column])
        notes = footnotes(rows, lang=lang)
        if len(rows) < total:
            notes.append(text("rows_shown", lang, shown=len(rows), total=total))
        styler = styler.set_table_attributes('class="leadkpi-table leadkpi-result"')
        return with_footnotes(styler, notes)

    def _repr_html_(self) -> str | None:
        if not self.is_long() or self.columns.duplicated().any():
            return super()._repr_html_()
        max_rows = pd.get_option("display.max_rows")
        return self.formatted(max_rows=max_rows).to_html()


def grain_text(values: pd.Series, column: str, lang: str) -> pd.Series:
    """Display text of a grain column: month names, channel labels, other values."""
    uniques = pd.unique(values.dropna())
    if column == "month":
        shown = {v: month_name(v, lang) for v in uniques}
    elif column in GRAINS:
        shown = {v: str(v) for v in uniques}
    else:
        shown = {v: label(str(v), lang) for v in uniques}
    return values.astype("object").map(shown).astype("object").fillna("")


def header(column: str, lang: str) -> str:
    """The heading of a result column in ``lang`` (the column name when it has none)."""
    try:
        return text(column, lang)
    except KeyError:
        return column


def _strings(
    rows: pd.DataFrame, *, lang: str, currency: str, names: Mapping[str, Any] | None
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """The frame of strings shown, and the CSS of its coloured columns."""
    shown: dict[str, pd.Series] = {}
    styles: dict[str, np.ndarray] = {}
    kpi_at = rows.columns.get_loc("kpi")
    for column in rows.columns[:kpi_at]:
        shown[header(column, lang)] = grain_text(rows[column], column, lang)
    shown[text("kpi", lang)] = kpi_names(rows["kpi"], lang=lang, names=names)
    shown[text("value_col", lang)] = marked_values(rows, lang=lang, currency=currency)
    fmt = {"lang": lang, "currency": currency}
    if {"ci_low", "ci_high"} <= set(rows.columns) and rows["ci_low"].notna().any():
        shown[text("interval", lang)] = format_interval(
            rows["ci_low"], rows["ci_high"], rows["unit"], **fmt
        )
    if "n" in rows.columns:
        n = format_values(rows["n"], "count", **fmt)
        shown[text("n", lang)] = n.where(rows["n"].notna(), "")
    if "previous" in rows.columns:
        shown[text("previous_value", lang)] = format_values(
            rows["previous"], rows["unit"], **fmt
        )
    if "change_rate" in rows.columns:
        change = text("change", lang)
        shown[change] = pd.Series(
            [format_change(c, lang=lang) for c in rows["change_rate"]],
            index=rows.index,
        )
        if "improved" in rows.columns:
            styles[change] = change_styles(rows)
    if "target" in rows.columns:
        shown[text("target", lang)] = format_values(
            rows["target"], rows["unit"], **fmt
        ).where(rows["target"].notna(), "")
    if "status" in rows.columns:
        status = text("status", lang)
        words = {s: text(s, lang) for s in ("met", "missed")}
        shown[status] = rows["status"].astype("object").map(words).fillna("")
        styles[status] = status_styles(rows["status"])
    if "reason" in rows.columns and rows["reason"].notna().any():
        shown[text("reason", lang)] = rows["reason"].astype("object").fillna("")
    known = set(GRAINS) | set(LONG_LAYOUT) | set(_HIDDEN)
    known |= {"n", "previous", "change_rate", "target", "status", "reason"}
    for column in rows.columns[kpi_at:]:
        if column not in known:  # a column the caller added: shown as it is
            shown[str(column)] = (
                rows[column].astype("object").where(rows[column].notna(), "")
            )
    table = pd.DataFrame(shown).reset_index(drop=True)
    return table, styles


def as_kpi_frame(
    result: pd.DataFrame,
    *,
    lang: str | None = None,
    currency: str | None = None,
    names: Mapping[str, Any] | None = None,
) -> KPIFrame:
    """Wrap a KPI result so that Jupyter shows it formatted.

    Parameters
    ----------
    result : pandas.DataFrame
        A :func:`leadkpi.kpis.compute` result (or :func:`leadkpi.compare`,
        :func:`leadkpi.kpis.targets.add_targets` of one). Not copied: pandas
        copy-on-write keeps the caller's frame safe.
    lang : str, optional
        Display language, ``"en"`` or ``"es"``; a locale such as ``"es_ES"`` is read
        as its language, and a language without report texts (``"de"``) displays
        in English, so that a project's ``locale`` can be passed as it is. Default:
        the ``locale`` the result carries in ``attrs``, else English.
    currency : str, optional
        ISO 4217 code of ``currency`` values. Default: the result's
        ``attrs["currency"]``, else EUR.
    names : mapping, optional
        Names of custom KPIs: KPI id → :class:`leadkpi.KPI`, ``{"en": …, "es": …}``
        or one name; built-in KPIs are named from the words catalogue, anything
        else by its id. Default: the result's ``attrs["kpi_names"]``.

    Returns
    -------
    KPIFrame
        The same rows and columns.

    Examples
    --------
    >>> from leadkpi import load
    >>> from leadkpi.kpis import compute
    >>> data = load("leadkpi.yaml")
    >>> plain = compute(data, "leads", by=("month",))
    >>> type(plain).__name__, plain.attrs["currency"]
    ('DataFrame', 'EUR')
    >>> result = as_kpi_frame(plain, lang="es")
    >>> type(result).__name__, result.lang, "Leads generados" in result._repr_html_()
    ('KPIFrame', 'es', True)
    """
    attrs = result.attrs
    frame = KPIFrame(result)
    language = str(lang or attrs.get("locale") or "en")
    language = language.replace("-", "_").split("_")[0].lower()
    frame.lang = language if language in LANGS else "en"
    frame.currency = str(currency or attrs.get("currency") or "EUR").upper()
    names = names if names is not None else attrs.get("kpi_names") or None
    frame.names = _plain(names) if names is not None else None
    return frame


def shown(func: Callable[P, pd.DataFrame]) -> Callable[P, KPIFrame]:
    """``func`` with its KPI result shown formatted in Jupyter.

    The analyses return plain frames; the functions that :mod:`leadkpi` offers at
    its top level (:func:`leadkpi.compute`, :func:`leadkpi.conversion_kpis`) are
    the same functions with their result wrapped by :func:`as_kpi_frame`, in the
    language and currency the result carries.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> KPIFrame:
        return as_kpi_frame(func(*args, **kwargs))

    return wrapper


def _plain(names: Mapping[str, Any]) -> dict[str, Any]:
    """Names as plain data (a KPI object holds its formula, which does not pickle)."""
    plain = {}
    for kpi, entry in names.items():
        entry = getattr(entry, "name", entry)
        plain[str(kpi)] = dict(entry) if isinstance(entry, Mapping) else str(entry)
    return plain
