"""Attribution results formatted for a report (en/es): models side by side.

Each function takes the tidy table that :mod:`leadkpi.attribution` returned and only
formats it; nothing is computed here that the analysis did not return.
"""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import Markdown
from pandas.io.formats.style import Styler

from leadkpi.exceptions import ArgumentError
from leadkpi.present.i18n import check_lang, label, text
from leadkpi.present.tables import aligned, format_values

__all__ = ["attribution_table", "attribution_note"]

#: Unit of each column an attribution table can show; credited counts are fractions
#: of a lead or customer, shown with one decimal.
_UNITS = {
    "conversions": "points",
    "share": "fraction",
    "revenue": "currency",
    "leads": "points",
    "customers": "points",
    "spend": "currency",
    "cpl": "currency",
    "cac": "currency",
    "roas": "multiple",
    "roi": "fraction",
}


def attribution_table(
    table: pd.DataFrame,
    value: str = "cac",
    *,
    lang: str = "en",
    currency: str = "EUR",
) -> Styler:
    """One row per channel, one column per model: ``value`` under each model.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`leadkpi.attribution.attribution_kpis` or
        :func:`~leadkpi.attribution.attribute` result.
    value : str
        The column shown (``cac``, ``cpl``, ``roas``, ``roi``, ``customers``,
        ``conversions``, ``share``, ``revenue`` …).
    lang : {"en", "es"}
    currency : str

    Examples
    --------
    >>> from leadkpi import load
    >>> from leadkpi.attribution import attribution_kpis
    >>> kpis = attribution_kpis(load("leadkpi.yaml"), models=["first_touch",
    ...     "markov_1"], start="2026-10", end="2026-10")
    >>> shown = attribution_table(kpis, lang="es")
    >>> list(shown.data.columns)
    ['Canal', 'Primer contacto', 'Markov']
    """
    check_lang(lang)
    if value not in table.columns or value not in _UNITS:
        raise ArgumentError(
            f"value={value!r}: expected a column of the table among {list(_UNITS)}; "
            f"it has {list(table.columns)}"
        )
    keys = ["channel", "campaign"] if "campaign" in table.columns else ["channel"]
    models = list(dict.fromkeys(table["model"]))
    wide = table.pivot_table(
        index=keys, columns="model", values=value, sort=True, dropna=False
    )[models].reset_index()
    wide = wide[wide[models].notna().any(axis=1)].reset_index(drop=True)
    names = [text(k, lang) for k in keys]
    shown = pd.DataFrame(
        {
            name: [html.escape(label(str(v), lang)) for v in wide[key]]
            for name, key in zip(names, keys, strict=True)
        }
        | {
            label(m, lang): format_values(
                wide[m], _UNITS[value], lang=lang, currency=currency
            ).to_numpy()
            for m in models
        }
    )
    return aligned(shown, names).set_table_attributes('class="leadkpi-table"')


def attribution_note(
    table: pd.DataFrame, span: str, *, lang: str = "en"
) -> Markdown:
    """What the attribution covered and what it left out, from the table's
    ``attrs`` (set by :func:`~leadkpi.attribution.attribution_kpis`); ``span``
    names the months covered ("October 2026").

    Examples
    --------
    >>> from leadkpi import load
    >>> from leadkpi.attribution import attribution_kpis
    >>> kpis = attribution_kpis(load("leadkpi.yaml"), models="linear",
    ...                         start="2026-10", end="2026-10")
    >>> attribution_note(kpis, "October 2026").data[:40]
    'The 9 customers won in October 2026, the'
    """
    facts = table.attrs
    customers = facts.get("customers", 0)
    if not customers:
        return Markdown(text("attribution_none", lang, span=span))
    lookback = facts.get("lookback_days")
    dropped = facts.get("dropped", {})
    shown_lookback = "∞" if lookback is None else f"{lookback:g}"
    return Markdown(
        text("attribution_note", lang, customers=f"{customers:g}", span=span,
             lookback=shown_lookback)
        + "\n\n"
        + text(
            "attribution_dropped", lang,
            after=dropped.get("after_conversion", 0),
            early=dropped.get("before_lookback", 0),
            lookback=shown_lookback,
            no_touch=facts.get("no_touch", 0),
        )
    )  # fmt: skip
