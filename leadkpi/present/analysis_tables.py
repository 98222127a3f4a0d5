"""Speed-to-lead and LTV results formatted for a report (en/es).

Each function takes the tidy table that the analysis returned and only formats it:
labels localised, numbers by their unit, rows in a useful order. Nothing is computed
here that the analysis did not return.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown
from pandas.io.formats.style import Styler

from leadkpi.exceptions import ArgumentError
from leadkpi.present.i18n import check_lang, label, markdown, month_name, text
from leadkpi.present.tables import aligned, format_values

__all__ = ["speed_table", "speed_note", "ltv_display_table", "ltv_note"]

#: speed_to_lead columns shown, with the unit each is formatted in.
_SPEED = (
    ("leads", "count"),
    ("within_sla_rate", "fraction"),
    ("median_seconds", "seconds"),
    ("p95_seconds", "seconds"),
    ("never_contacted_rate", "fraction"),
)
#: ltv_table columns shown, with their units.
_LTV = (
    ("customers", "count"),
    ("ltv_empirical", "currency"),
    ("arpa", "currency"),
    ("monthly_churn", "fraction"),
    ("customers_lost", "count"),
    ("ltv_formula", "currency"),
    ("cac", "currency"),
    ("ltv_to_cac_empirical", "multiple"),
    ("ltv_to_cac_formula", "multiple"),
)


def _dimension(table: pd.DataFrame, first: str) -> str:
    keys = list(table.columns[: table.columns.get_loc(first)])
    if len(keys) != 1:
        raise ArgumentError(
            f"expected one grouping column before {first!r}, got {keys}"
        )
    return keys[0]


def _formatted(
    table: pd.DataFrame,
    columns: tuple[tuple[str, str], ...],
    *,
    lang: str,
    currency: str = "EUR",
) -> Styler:
    dim = _dimension(table, columns[0][0])
    shown = pd.DataFrame(
        {text(dim, lang): [label(str(v), lang) for v in table[dim]]}
        | {
            label(column, lang): format_values(
                table[column], unit, lang=lang, currency=currency
            ).to_numpy()
            for column, unit in columns
        }
    )
    styler = aligned(shown, [text(dim, lang)])
    return styler.set_table_attributes('class="leadkpi-table"')


def speed_table(table: pd.DataFrame, *, lang: str = "en") -> Styler:
    """Speed to lead per owner (or channel): leads, share within the SLA, median and
    95th-percentile response time, share never contacted; slowest first.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`leadkpi.funnel.speed_to_lead` result by one dimension.
    lang : {"en", "es"}

    Examples
    --------
    >>> from leadkpi import load, speed_to_lead
    >>> data = load("leadkpi.yaml")
    >>> by_owner = speed_to_lead(data, by=("owner",), start="2026-01", end="2026-10")
    >>> speed_table(by_owner).data.iloc[0, :3].tolist()
    ['Raúl Delgado', '413', '4.4%']
    """
    check_lang(lang)
    rows = table.sort_values("median_seconds", ascending=False, na_position="last")
    return _formatted(rows.reset_index(drop=True), _SPEED, lang=lang)


def speed_note(table: pd.DataFrame, *, lang: str = "en") -> Markdown:
    """The sentence under the speed-to-lead chart: the clock the response times
    were counted on and the SLA, as the :func:`leadkpi.funnel.speed_to_lead` table
    says.

    Examples
    --------
    >>> from leadkpi import load, speed_to_lead
    >>> note = speed_note(speed_to_lead(load("leadkpi.yaml")), lang="es")
    >>> "en horas naturales; el SLA es de 4 h" in note.data
    True
    """
    clock = text(f"clock_{table['clock'].iloc[0]}", lang)
    return markdown(
        "speed_note", lang, clock=clock, sla=f"{table['sla_hours'].iloc[0]:g}"
    )


def ltv_display_table(
    table: pd.DataFrame, *, lang: str = "en", currency: str = "EUR"
) -> Styler:
    """LTV by acquisition channel: customers, realised LTV, monthly revenue, churn
    and the lost customers it rests on, formula LTV, CAC and both LTV:CAC ratios
    (realised first); highest realised LTV first.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`leadkpi.retention.ltv_table` result by one dimension.
    lang : {"en", "es"}
    currency : str

    Examples
    --------
    >>> from leadkpi import load, ltv_table
    >>> shown = ltv_display_table(ltv_table(load("leadkpi.yaml")))
    >>> list(shown.data.columns[:3])
    ['Channel', 'Customers', 'Realised LTV']
    """
    check_lang(lang)
    rows = table.sort_values("ltv_empirical", ascending=False, na_position="last")
    return _formatted(rows.reset_index(drop=True), _LTV, lang=lang, currency=currency)


def ltv_note(
    table: pd.DataFrame,
    *,
    cap: float,
    lang: str = "en",
    month: pd.Period | None = None,
) -> Markdown:
    """The sentence under the LTV table: realised LTV first, the lifetime cap
    (``config.ltv_max_months``), and the cells whose churn estimate rests on fewer
    than 30 lost customers (``few_lost``), their labels escaped by
    :func:`leadkpi.present.i18n.markdown`. With ``month`` (the table's ``end``), the
    window its CAC counts, set apart from a month's CAC.

    Examples
    --------
    >>> from leadkpi import load, ltv_table
    >>> note = ltv_note(ltv_table(load("leadkpi.yaml")), cap=60)
    >>> "fewer than 30 lost customers" in note.data
    True
    """
    dim = _dimension(table, "customers")
    few = [label(str(v), lang) for v in table.loc[table["few_lost"], dim]]
    if not few:
        note = markdown("ltv_note_ok", lang, cap=f"{cap:g}")
    else:
        note = markdown("ltv_note_few", lang, cap=f"{cap:g}", cells=", ".join(few))
    if month is None:
        return note
    window = markdown("ltv_cac_window", lang, month=month_name(month, lang))
    return Markdown(f"{note.data} {window.data}")


