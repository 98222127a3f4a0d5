"""Experiments formatted for a reader (en/es): verdicts in words and a table.

Each function takes a :func:`leadkpi.compare_groups` result and only formats it;
nothing is computed here that the comparison did not return.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from babel.numbers import format_decimal
from IPython.display import Markdown
from pandas.io.formats.style import Styler

from leadkpi.exceptions import ArgumentError
from leadkpi.kpis.values import SMALL_SAMPLE
from leadkpi.present.i18n import (
    LOCALES,
    check_lang,
    escape_markdown,
    label,
    month_name,
    text,
)
from leadkpi.present.tables import aligned, format_value, kpi_names, with_footnotes

__all__ = [
    "verdicts",
    "verdict_notes",
    "experiment_table",
    "experiment_title",
    "format_difference",
]

#: The columns of a compare_groups() result that the verdicts read.
_COLUMNS = (
    "control",
    "value",
    "control_value",
    "n",
    "control_n",
    "difference",
    "ci_low",
    "ci_high",
    "p_value",
    "p_adjusted",
    "mde",
    "outcome",
    "test",
    "unit",
    "reason",
)


def _check(result: pd.DataFrame) -> str:
    group = result.attrs.get("group")
    missing = [c for c in _COLUMNS if c not in result.columns]
    if group not in result.columns or missing:
        raise ArgumentError(
            "expected a leadkpi.compare_groups() result; the frame has no "
            f"{', '.join(missing) or 'group'} column (its attrs name the group)"
        )
    return group


def _heading(group: str, lang: str) -> str:
    """The group column's heading: its name in ``lang`` when it is a known one."""
    return text(group, lang) if group in ("channel", "campaign", "owner") else group


def format_difference(
    difference: float,
    unit: str,
    *,
    lang: str = "en",
    currency: str = "EUR",
    signed: bool = True,
    points: bool = True,
) -> str:
    """A difference of KPI values: ``+2.1 pp`` for rates, ``−€21.59`` for costs.

    Parameters
    ----------
    difference : float
        Value − control value, raw (a fraction for rates).
    unit : str
        The KPI's unit.
    lang : {"en", "es"}
    currency : str
    signed : bool
        Show ``+`` or ``−`` (a minimum detectable effect has none).
    points : bool
        A fraction's difference in percentage points (``pp``, the
        default: two rates differ by points, not by a percentage of each other);
        otherwise as a percentage.

    Examples
    --------
    >>> format_difference(0.021, "fraction"), format_difference(-0.021, "fraction",
    ...                                                          lang="es")
    ('+2.1 pp', '−2,1 pp')
    >>> format_difference(-21.586, "currency")
    '−€21.59'
    """
    if difference is None or not np.isfinite(difference):
        return "–"
    sign = ("+" if difference >= 0 else "−") if signed else ""
    if unit == "fraction" and points:
        locale = LOCALES[check_lang(lang)]
        shown = format_decimal(abs(difference) * 100, "#,##0.0", locale=locale)
        return f"{sign}{shown} {text('percentage_points', lang)}"
    return sign + format_value(abs(difference), unit, lang=lang, currency=currency)


def _p(p: float, lang: str) -> str:
    locale = LOCALES[lang]
    if p < 0.001:
        return text("verdict_p_below", lang, p=format_decimal(0.001, "0.###", locale))
    return text("verdict_p", lang, p=format_decimal(p, "0.000", locale=locale))


def _sentences(
    result: pd.DataFrame, lang: str, currency: str, quote: Callable[[object], str]
) -> pd.Series:
    group = _check(result)
    check_lang(lang)
    level = format_decimal(
        100 * result.attrs.get("level", 0.95), "#,##0.#", locale=LOCALES[lang]
    )
    comparisons = int(result.attrs.get("comparisons", 0))
    names = kpi_names(result["kpi"], lang=lang)
    groups = result[group].astype("object").tolist()
    out = []
    # one sentence per group: a few rows, not one per lead
    for i, row in enumerate(result[list(_COLUMNS)].itertuples(index=False)):
        outcome = str(row.outcome)
        if outcome == "control":
            out.append("")
            continue
        unit = str(row.unit)
        numbers = dict(
            value=format_value(row.value, unit, lang=lang, currency=currency),
            control_value=format_value(
                row.control_value, unit, lang=lang, currency=currency
            ),
            difference=format_difference(
                row.difference,
                unit,
                lang=lang,
                currency=currency,
            ),
            low=format_difference(
                row.ci_low,
                unit,
                lang=lang,
                currency=currency,
            ),
            high=format_difference(
                row.ci_high,
                unit,
                lang=lang,
                currency=currency,
            ),
            mde=format_difference(
                row.mde,
                unit,
                lang=lang,
                currency=currency,
                signed=False,
            ),
            level=level,
            n=format_decimal(row.n, "#,##0", locale=LOCALES[lang])
            if np.isfinite(row.n)
            else "–",
            control_n=format_decimal(row.control_n, "#,##0", locale=LOCALES[lang])
            if np.isfinite(row.control_n)
            else "–",
            minimum=SMALL_SAMPLE,
        )
        if np.isfinite(row.p_value):
            p = _p(row.p_value, lang)
            if comparisons > 1:
                p = f"{p}; " + text(
                    "verdict_holm", lang, p=_p(row.p_adjusted, lang), m=comparisons
                )
            numbers["p"] = p
        words = dict(
            group=quote(groups[i]),
            control=quote(row.control),
            kpi=quote(names.iloc[i]),
            reason=quote(row.reason if isinstance(row.reason, str) else ""),
        )
        out.append(text(f"verdict_{outcome}", lang, **numbers, **words))
    return pd.Series(out, index=result.index, dtype=object)


def verdicts(
    result: pd.DataFrame, *, lang: str = "en", currency: str = "EUR"
) -> pd.Series:
    """One plain-language sentence per group compared (empty for the control).

    Parameters
    ----------
    result : pandas.DataFrame
        A :func:`leadkpi.compare_groups` result.
    lang : {"en", "es"}
    currency : str

    Returns
    -------
    pandas.Series
        Text, with ``result``'s index.

    Examples
    --------
    >>> from leadkpi import compare_groups, load
    >>> test = compare_groups(load("leadkpi.yaml"), "cost_per_lead",
    ...                       group="campaign", control="gads_generic_crm",
    ...                       groups=["gads_generic_automation"],
    ...                       start="2025-11", end="2026-10")
    >>> print(verdicts(test).iloc[1])  # doctest: +NORMALIZE_WHITESPACE
    gads_generic_automation does better than gads_generic_crm on Cost per lead:
    €95.28 vs €116.86, difference −€21.59 (95 % CI −€41.43 to −€1.74), p = 0.033.
    >>> print(verdicts(test, lang="es").iloc[1].replace("\\xa0", " "))
    ... # doctest: +NORMALIZE_WHITESPACE
    gads_generic_automation funciona mejor que gads_generic_crm en Coste por lead:
    95,28 € frente a 116,86 €, diferencia −21,59 € (IC 95 % de −41,43 € a
    −1,74 €), p = 0,033.
    """
    return _sentences(result, lang, currency, str)


def verdict_notes(
    result: pd.DataFrame, *, lang: str = "en", currency: str = "EUR"
) -> Markdown:
    """The verdicts as a Markdown list, group names escaped (see
    :func:`leadkpi.present.i18n.escape_markdown`).

    Examples
    --------
    >>> import pandas as pd
    >>> from leadkpi import compare_groups
    >>> rows = pd.DataFrame({
    ...     "page": ["*A*", "B"], "kpi": "lead_to_mql_rate", "value": [0.1, 0.2],
    ...     "numerator": [10, 8], "denominator": [100, 40], "unit": "fraction",
    ...     "better": "higher", "n": [100, 40], "ci_low": float("nan"),
    ...     "ci_high": float("nan"), "reason": None})
    >>> print(verdict_notes(compare_groups(rows, "lead_to_mql_rate", group="page",
    ...                                    control="*A*")).data)
    ... # doctest: +NORMALIZE_WHITESPACE
    - No detectable difference in Lead→MQL rate between B and \\*A\\* (20.0% vs
      10.0%, p = 0.110); with these sample sizes only differences above 17.5 pp
      could be seen.
    """
    sentences = _sentences(result, lang, currency, escape_markdown)
    return Markdown("\n".join(f"- {s}" for s in sentences if s))


def experiment_table(
    result: pd.DataFrame, *, lang: str = "en", currency: str = "EUR"
) -> Styler:
    """One row per group: value, n, difference with its interval, p, MDE, result.

    Parameters
    ----------
    result : pandas.DataFrame
        A :func:`leadkpi.compare_groups` result.
    lang : {"en", "es"}
    currency : str

    Examples
    --------
    >>> from leadkpi import compare_groups, load
    >>> test = compare_groups(load("leadkpi.yaml"), "lead_to_mql_rate",
    ...                       group="campaign", control="gads_generic_crm",
    ...                       groups=["gads_generic_automation"],
    ...                       start="2025-11", end="2026-10")
    >>> experiment_table(test).data.iloc[1].tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['gads_generic_automation', '40.3%', '181', '−5.6 pp', '−14.8 pp – +3.6 pp',
     '0.232', '13.2 pp', 'no detectable difference']
    """
    group = _check(result)
    locale = LOCALES[check_lang(lang)]
    unit = result["unit"].astype("object")

    def differences(column: str, signed: bool = True) -> list[str]:
        return [
            format_difference(d, u, lang=lang, currency=currency, signed=signed)
            for d, u in zip(result[column], unit, strict=True)
        ]

    low, high = differences("ci_low"), differences("ci_high")
    known = np.isfinite(result["ci_low"].to_numpy("float64"))
    p_columns = ["p_value"] + (
        ["p_adjusted"] if result.attrs.get("comparisons", 0) > 1 else []
    )
    table = pd.DataFrame(
        {
            _heading(group, lang): result[group].astype("object"),
            text("value_col", lang): [
                format_value(v, u, lang=lang, currency=currency)
                for v, u in zip(result["value"], unit, strict=True)
            ],
            text("n", lang): [
                format_decimal(n, "#,##0", locale=locale) if np.isfinite(n) else "–"
                for n in result["n"].to_numpy("float64")
            ],
            text("difference", lang): differences("difference"),
            text("interval", lang): np.where(
                known, [f"{a} – {b}" for a, b in zip(low, high, strict=True)], ""
            ),
            **{
                text(c, lang): [
                    format_decimal(p, "0.000", locale=locale) if np.isfinite(p) else ""
                    for p in result[c].to_numpy("float64")
                ]
                for c in p_columns
            },
            text("mde", lang): differences("mde", signed=False),
            text("outcome", lang): [
                label(f"outcome:{o}", lang) for o in result["outcome"]
            ],
        }
    )
    words = [table.columns[0], text("outcome", lang)]
    styler = aligned(table, words).set_table_attributes(
        'class="leadkpi-table leadkpi-experiment"'
    )
    kpi = kpi_names(result["kpi"].iloc[:1], lang=lang).iloc[0] if len(result) else ""
    return with_footnotes(styler, [kpi])


def experiment_title(
    result: pd.DataFrame,
    *,
    company: str,
    start: pd.Period,
    end: pd.Period,
    lang: str = "en",
) -> Markdown:
    """The report's title (the KPI and the group column) and its subtitle (the
    company, the window and the control), values from data escaped.

    Examples
    --------
    >>> from leadkpi import compare_groups, load
    >>> test = compare_groups(load("leadkpi.yaml"), "lead_to_mql_rate",
    ...                       group="campaign", control="gads_generic_crm",
    ...                       start="2026-05", end="2026-10")
    >>> print(experiment_title(test, company="Acme", start=pd.Period("2026-05", "M"),
    ...                        end=pd.Period("2026-10", "M"), lang="es").data)
    # Experimento · Tasa lead→MQL por campaign
    <BLANKLINE>
    Acme · mayo de 2026 – octubre de 2026 · control: gads\\_generic\\_crm
    """
    group = _check(result)
    kpi = kpi_names(pd.Series([result.attrs.get("kpi", "")]), lang=lang).iloc[0]
    title = text(
        "experiment_title", lang, kpi=escape_markdown(kpi), group=escape_markdown(group)
    )
    subtitle = text(
        "experiment_subtitle",
        lang,
        company=escape_markdown(company),
        start=month_name(start, lang),
        end=month_name(end, lang),
        control=escape_markdown(result.attrs.get("control", "")),
    )
    return Markdown(f"# {title}\n\n{subtitle}")
