"""The data-quality findings of :func:`leadkpi.checks`, formatted for a report (en/es).

The check names and their Spanish sentences live here, next to the one table that uses
them; the section's heading, note, column headers and severities are report texts in
:mod:`leadkpi.present.i18n`.
"""

from __future__ import annotations

import re

import pandas as pd
from pandas.io.formats.style import Styler

from leadkpi.present.i18n import check_lang, label, text, words
from leadkpi.present.tables import aligned, format_value, table_name
from leadkpi.privacy import mask_emails

__all__ = ["checks_table"]

#: The language the checks write their details in (with figures); in any other
#: language a check's detail is the sentence of the words file.
CHECKS_LANG = "en"
_DAY_SPAN = re.compile(r"^(.*) (\d{4}-\d\d-\d\d) to (\d{4}-\d\d-\d\d)$")
_FILE_LINE = re.compile(r"^(.*?) line (\d+):")

#: Checks whose example starts with a channel id (then a day span or a month).
_CHANNEL_EXAMPLES = ("spend_gaps", "spend_without_leads", "paid_leads_without_spend")


def _example(check: str, example: object, lang: str) -> str:
    """A finding's example in ``lang``: its channel named, a day span and a file's
    line in the words of ``lang``; the rest (ids, dates, file names) as found."""
    shown = str(example)
    forms = words(lang)["checks"]["examples"]
    if check in _CHANNEL_EXAMPLES and shown:
        channel, _, rest = shown.partition(" ")
        shown = f"{label(channel, lang)} {rest}".strip()
        span = _DAY_SPAN.match(shown)
        if span:
            channel, start, end = span.groups()
            shown = forms["day_span"].format(channel=channel, start=start, end=end)
    elif check == "rejected_rows":
        line = _FILE_LINE.match(shown)
        if line:
            said = forms["file_line"].format(file=line[1], line=line[2])
            shown = said + shown[line.end() :]
    return shown


_SEVERITY_STYLE = {
    "error": "color: #c62828; font-weight: 600",
    "warning": "color: #b26a00; font-weight: 600",
    "info": "color: #555",
}


def checks_table(found: pd.DataFrame, *, lang: str = "en", limit: int = 30) -> Styler:
    """The findings of :func:`leadkpi.checks`, localised, most serious first.

    Parameters
    ----------
    found : pandas.DataFrame
        The output of :func:`leadkpi.checks`.
    lang : {"en", "es"}
    limit : int
        Findings shown at most.

    Returns
    -------
    pandas.io.formats.style.Styler
        Severity, check, table, rows, share, detail, example; a one-line caption
        when there is nothing to show.

    Examples
    --------
    >>> from leadkpi import checks, load
    >>> html = checks_table(checks(load("leadkpi.yaml")), lang="es").to_html()
    >>> "Días sin inversión" in html and "9,3" in html
    True
    """
    lang = check_lang(lang)
    shown = found.head(limit)
    said = words(lang)["checks"]
    detail = (
        shown["detail"]
        if lang == CHECKS_LANG
        else shown["check"].map(said["details"]).fillna(shown["detail"])
    )
    table = pd.DataFrame(
        {
            "severity": shown["severity"],
            "check": shown["check"].map(lambda c: said["names"].get(c, c)),
            "table": shown["table"].map(lambda t: table_name(t, lang)),
            "count": [format_value(v, "count", lang=lang) for v in shown["count"]],
            "share": [format_value(v, "fraction", lang=lang) for v in shown["share"]],
            "detail": mask_emails(detail),
            "example": mask_emails(
                pd.Series(
                    [
                        _example(c, e, lang)
                        for c, e in zip(shown["check"], shown["example"], strict=True)
                    ],
                    index=shown.index,
                    dtype=object,
                )
            ),
        }
    )
    styles = table["severity"].map(_SEVERITY_STYLE).fillna("")
    table["severity"] = table["severity"].map(lambda s: text(s, lang))
    table.columns = [text(c, lang) for c in table.columns]
    styler = aligned(table, [c for i, c in enumerate(table.columns) if i not in (3, 4)])
    first = table.columns[0]
    styler = styler.apply(lambda _: styles.to_numpy(), subset=[first])
    if found.empty:
        styler = styler.set_caption(text("no_findings", lang)).hide(axis="columns")
    return styler.set_table_attributes('class="leadkpi-table"')
