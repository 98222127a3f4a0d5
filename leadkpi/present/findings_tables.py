"""The findings of a month (:mod:`leadkpi.summary_findings`) as sentences, in English
or Spanish.

Numbers are formatted by :mod:`leadkpi.present.tables` (babel); names from data
(channels,
owners) are escaped where the sentences become Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from babel.numbers import format_decimal
from IPython.display import Markdown

from leadkpi.present.i18n import (
    LOCALES,
    check_lang,
    escape_markdown,
    label,
    month_name,
    text,
)
from leadkpi.present.i18n import (
    words as words_of,
)
from leadkpi.present.summary_tables import format_tile_change
from leadkpi.present.tables import format_change, format_value, kpi_names
from leadkpi.summary_findings import Finding

__all__ = ["finding_text", "findings_markdown"]


def _measure(measure: str, lang: str) -> tuple[str, bool]:
    entry = words_of(lang)["measures"].get(measure)
    return (entry["name"], bool(entry["plural"])) if entry else (measure, False)


def _verb(change: float, lang: str, plural: bool, *, held: float = 0.0) -> str:
    if abs(change) < held:
        held_verb = words_of(lang)["verbs"]["held"][plural]
        return held_verb + f" ({format_change(change, lang=lang)})"
    verb = words_of(lang)["verbs"]["rose" if change > 0 else "fell"][plural]
    return f"{verb} {format_change(abs(change), lang=lang)[1:]}"


def _driver_text(finding: Finding, lang: str, currency: str) -> str:
    driver = finding.driver
    if not driver:
        return ""
    component, plural = _measure(driver["component"], lang)
    unit = "currency" if driver["component"] in _MONEY else "count"
    words = text(
        "finding_driver",
        lang,
        component=component,
        verb=words_of(lang)["verbs"][
            "rose" if driver["component_change"] > 0 else "fell"
        ][plural],
        change=format_change(abs(driver["component_change"]), lang=lang)[1:],
        channel=_inline(driver["channel"], lang),
        before=format_value(driver["before"], unit, lang=lang, currency=currency),
        after=format_value(driver["after"], unit, lang=lang, currency=currency),
    )
    if "other" in driver and pd.notna(driver.get("other_change")):
        other, plural = _measure(driver["other"], lang)
        words += text(
            "finding_driver_other",
            lang,
            other=other,
            verb=_verb(driver["other_change"], lang, plural, held=0.10),
        )
    return words


_MONEY = ("spend", "total_cost", "revenue", "paid_revenue", "open_pipeline")


def _inline(value: object, lang: str) -> str:
    """A channel's label inside a sentence: ``paid search`` for ``Paid search``
    (an acronym such as ``SEO`` keeps its capitals)."""
    words = label(str(value), lang)
    if len(words) > 1 and words[1].islower():
        return words[0].lower() + words[1:]
    return words


def _money(value: float, lang: str, currency: str) -> str:
    return format_value(value, "currency", lang=lang, currency=currency)


def finding_text(finding: Finding, *, lang: str = "en", currency: str = "EUR") -> str:
    """One :class:`leadkpi.summary_findings.Finding` as a sentence in ``lang``.

    Examples
    --------
    >>> from leadkpi.summary_findings import Finding
    >>> finding_text(Finding("sla_outlier", subject="Ana", unit="fraction",
    ...     numbers={"rate": 0.049, "others": 0.66, "median_seconds": 85545,
    ...              "sla_hours": 4}), lang="es")  # doctest: +NORMALIZE_WHITESPACE
    'Ana atiende el 4,9\\xa0% de sus leads dentro del SLA de 4 h, frente a una
    mediana del 66,0\\xa0% en el resto del equipo (leads de los últimos 12 meses;
    respuesta mediana: 23 h 46 min).'
    """
    check_lang(lang)
    n = finding.numbers
    if finding.kind == "move":
        kind = n["change_kind"]
        up = n["change"] > 0
        verb = ("rose" if up else "fell") + ("_points" if kind == "points" else "")
        change = format_tile_change(abs(n["change"]), kind, finding.unit, lang=lang)
        return text(
            "finding_move",
            lang,
            kpi=kpi_names(pd.Series([finding.kpi]), lang=lang).iloc[0],
            verb=text(verb, lang),
            change=change.lstrip("+"),
            previous=format_value(n["previous"], finding.unit, lang=lang,
                                  currency=currency),
            value=format_value(n["value"], finding.unit, lang=lang,
                               currency=currency),
            driver=_driver_text(finding, lang, currency),
        )  # fmt: skip
    if finding.kind == "targets_missed":
        items = []
        for item in finding.items:
            values = {
                "kpi": kpi_names(pd.Series([item["kpi"]]), lang=lang).iloc[0],
                "value": format_value(item["value"], item["unit"], lang=lang,
                                      currency=currency),
                "target": format_value(item["target"], item["unit"], lang=lang,
                                       currency=currency),
            }  # fmt: skip
            if item.get("level") is not None:
                key = "finding_target_item_level"
                values["level"] = _inline(item["level"], lang)
            else:
                key = "finding_target_item"
            items.append(text(key, lang, **values))
        return text("finding_targets", lang, items="; ".join(items))
    if finding.kind == "channel_cac":
        values = {
            "best": label(str(finding.subject), lang),
            "best_inline": _inline(finding.subject, lang),
            "worst": _inline(n["worst_channel"], lang),
            "best_cac": _money(n["best"], lang, currency),
            "worst_cac": _money(n["worst"], lang, currency),
            "customers": format_value(n.get("best_customers", np.nan), "count",
                                      lang=lang),
        }  # fmt: skip
        if "best_cost_per_lead" in n:
            cpl = _money(n["best_cost_per_lead"], lang, currency)
            return text("finding_cac_despite", lang, cost_per_lead=cpl, **values)
        return text("finding_cac", lang, **values)
    if finding.kind == "no_customers":
        key = "finding_no_customers" + ("_cheapest" if n["cheapest"] else "")
        words = text(
            key,
            lang,
            channel=label(str(finding.subject), lang),
            channel_inline=_inline(finding.subject, lang),
            cost_per_lead=_money(n["cost_per_lead"], lang, currency),
            leads=format_value(n["leads"], "count", lang=lang),
            spend=_money(n["spend"], lang, currency),
        )
        if n.get("others"):
            others = ", ".join(_inline(o, lang) for o in n["others"])
            words += text("finding_no_customers_others", lang, others=others)
        return words
    if finding.kind == "sla_outlier":
        sla = format_decimal(n["sla_hours"], "#,##0.#", locale=LOCALES[lang])
        return text(
            "finding_sla",
            lang,
            owner=str(finding.subject),
            rate=format_value(n["rate"], "fraction", lang=lang),
            others=format_value(n["others"], "fraction", lang=lang),
            sla=sla,
            median=format_value(n["median_seconds"], "seconds", lang=lang),
        )
    if finding.kind == "data_quality":
        from leadkpi.present.tables import table_name

        names = words_of(lang)["checks"]["names"]
        check = names.get(str(finding.subject), finding.subject)
        table = table_name(n["table"], lang)
        more = n.get("more", 0)
        return text(
            "finding_quality",
            lang,
            severity=text(str(n["severity"]), lang),
            check=check,
            count=format_value(n["count"], "count", lang=lang),
            table=table,
            share=format_value(n["share"], "fraction", lang=lang),
            more=text("finding_quality_more", lang, more=more) if more else "",
        )
    return str(finding)


def findings_markdown(
    findings: Sequence[Finding],
    month: pd.Period,
    *,
    mode: str = "period",
    lang: str = "en",
    currency: str = "EUR",
) -> Markdown:
    """The findings as a bulleted list, with a line saying their window and mode.

    Names from data (channels, owners) are escaped, so that a name reads as its
    text.
    """
    check_lang(lang)
    note = text(
        "findings_note",
        lang,
        month=month_name(pd.Period(month, "M"), lang),
        mode=text(f"mode_short_{mode}", lang),
    )
    if not findings:
        return Markdown(escape_markdown(text("no_summary_findings", lang)))
    lines = [
        "- " + escape_markdown(finding_text(f, lang=lang, currency=currency))
        for f in findings
    ]
    return Markdown("\n".join(lines) + "\n\n*" + escape_markdown(note) + "*")
