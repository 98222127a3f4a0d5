"""Lead-scoring results as a reader sees them: formatted tables and sentences, in
English or Spanish. Text from the data (rule names, bands, feature names) is
escaped before it reaches HTML or markdown.
"""

from __future__ import annotations

import html
import re

import pandas as pd
from babel.numbers import format_decimal
from IPython.display import Markdown
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler

from leadkpi.data import LeadData
from leadkpi.present.i18n import (
    LOCALES,
    check_lang,
    kpi_name,
    label,
    markdown,
    month_name,
    text,
)
from leadkpi.present.plots import plot_score_bands, theme
from leadkpi.present.sections import Section, section
from leadkpi.present.tables import aligned, format_value, format_values
from leadkpi.scoring.evaluate import Evaluation
from leadkpi.scoring.features import LeadSet
from leadkpi.scoring.kpis import band_kpis, band_rates
from leadkpi.scoring.scorecard import Scorecard

__all__ = [
    "summary_table",
    "rules_table",
    "bands_table",
    "band_kpi_table",
    "intro_note",
    "leakage_note",
    "threshold_note",
    "closing_note",
    "kpi_label",
    "lead_quality_section",
]

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


def _md(value: object) -> str:
    """Data text made safe for markdown (and the HTML it becomes)."""
    return _MARKDOWN.sub(r"\\\1", html.escape(str(value), quote=False))


def _styled(shown: pd.DataFrame, words: list[str]) -> Styler:
    styler = aligned(shown, words).format(escape="html")  # escaped when rendered
    return styler.set_table_attributes('class="leadkpi-table"')


def _heading(column: str, lang: str) -> str:
    return label(f"scoring:{column}", lang)


def summary_table(summary: pd.DataFrame, *, lang: str = "en") -> Styler:
    """AUC, top-decile lift, Brier score, leads and conversions per scorer.

    Parameters
    ----------
    summary : pandas.DataFrame
        ``stack(evaluations, "summary")`` (:func:`leadkpi.scoring.stack`).

    Examples
    --------
    >>> from leadkpi.scoring import evaluate, stack
    >>> both = stack({"scorecard": evaluate([0, 1, 1], [1, 3, 2]),
    ...               "model": evaluate([0, 1, 1], [0.2, 0.9, 0.1])}, "summary")
    >>> summary_table(both, lang="es").data.iloc[:, :2].values.tolist()
    [['Reglas', '1,000'], ['Modelo', '0,500']]
    """
    check_lang(lang)
    first = _heading("scorer", lang)
    shown = pd.DataFrame(
        {
            first: [label(str(v), lang) for v in summary["scorer"]],
            _heading("auc", lang): [_decimal(v, lang) for v in summary["auc"]],
            _heading("top_decile_lift", lang): format_values(
                summary["top_decile_lift"], "multiple", lang=lang
            ).to_numpy(),
            _heading("brier", lang): [_decimal(v, lang, 4) for v in summary["brier"]],
            _heading("n", lang): format_values(
                summary["n"], "count", lang=lang
            ).to_numpy(),
            _heading("positives", lang): format_values(
                summary["positives"], "count", lang=lang
            ).to_numpy(),
            _heading("base_rate", lang): format_values(
                summary["base_rate"], "fraction", lang=lang
            ).to_numpy(),
        }
    )
    return _styled(shown, [first])


def _decimal(value: float, lang: str, digits: int = 3) -> str:
    if pd.isna(value):
        return "–"
    pattern = "0." + "0" * digits
    return format_decimal(value, pattern, locale=LOCALES[lang])


def rules_table(scorecard: Scorecard, *, lang: str = "en") -> Styler:
    """The scorecard's rules: name, condition and points.

    Examples
    --------
    >>> from leadkpi.scoring import load_scorecard
    >>> rules_table(load_scorecard()).data.iloc[0].tolist()
    ['senior_title', 'job_title ∈ CEO, Founder, Managing Director, Head of Sales, \
Sales Director, Marketing Director, VP Sales, Director', '20']
    """
    check_lang(lang)
    conditions = []
    for rule in scorecard.rules:  # a few dozen rules at most
        if rule.values is not None:
            conditions.append(f"{rule.column} ∈ {', '.join(rule.values)}")
        elif rule.contains is not None:
            conditions.append(f"{rule.column} ∋ {rule.contains}")
        elif rule.range is not None:
            low, high = ("" if b is None else f"{b:g}" for b in rule.range)
            conditions.append(f"{low} ≤ {rule.column} < {high}".strip(" ≤<"))
        else:
            cap = "" if rule.max_points is None else f" (≤ {rule.max_points:g})"
            conditions.append(f"touch_type = {rule.touch}{cap}")
    names = [_heading("rule", lang), _heading("condition", lang)]
    shown = pd.DataFrame(
        {
            names[0]: scorecard.names,
            names[1]: conditions,
            _heading("points", lang): [
                _decimal(r.points, lang, 0) for r in scorecard.rules
            ],
        }
    )
    return _styled(shown, names)


def bands_table(bands: pd.DataFrame, *, lang: str = "en") -> Styler:
    """Conversion by score band (``Evaluation.bands``), highest band first.

    Examples
    --------
    >>> from leadkpi.scoring import evaluate
    >>> bands_table(evaluate([0, 1, 1, 0], [1, 2, 3, 4], bands=[3]).bands
    ...             ).data.iloc[:, 0].tolist()
    ['≥ 3', '< 3']
    """
    check_lang(lang)
    first = _heading("band", lang)
    units = (
        ("leads", "count", "leads_in_band"),
        ("positives", "count", "positives"),
        ("rate", "fraction", "rate"),
        ("share_of_leads", "fraction", "share_of_leads"),
        ("share_of_positives", "fraction", "share_of_positives"),
    )
    shown = pd.DataFrame(
        {first: bands["band"].astype(str).to_numpy()}
        | {
            _heading(name, lang): format_values(
                bands[column], unit, lang=lang
            ).to_numpy()
            for column, unit, name in units
        }
    )
    return _styled(shown, [first])


def band_kpi_table(result: pd.DataFrame, *, lang: str = "en") -> Styler:
    """A :func:`leadkpi.scoring.band_kpis` result, one row per band, one column
    per KPI, formatted by unit.

    Examples
    --------
    >>> import leadkpi
    >>> table = leadkpi.band_kpis(leadkpi.load("leadkpi.yaml"), ["leads"],
    ...                           bands=[50, 60])
    >>> band_kpi_table(table).data.iloc[:, 0].tolist()
    ['≥ 60', '50–60', '< 50']
    """
    check_lang(lang)
    first = _heading("band", lang)
    order = list(dict.fromkeys(result["score_band"]))
    kpis = list(dict.fromkeys(result["kpi"]))
    shown = {first: order}
    for kpi in kpis:  # a handful of KPIs
        rows = result[result["kpi"] == kpi].set_index("score_band").reindex(order)
        name = kpi_label(kpi, lang)
        shown[name] = format_values(rows["value"], rows["unit"], lang=lang).to_numpy()
    return _styled(pd.DataFrame(shown), [first])


def kpi_label(kpi: str, lang: str) -> str:
    return kpi_name(kpi, lang)


def lead_quality_section(
    data: LeadData, month: pd.Period, *, lang: str = "en"
) -> Section:
    """The monthly report's lead-quality section, in the order it is shown.

    The leads created in the twelve months up to ``month`` (cohort mode), by the
    band of the score the CRM gave them (:func:`leadkpi.scoring.band_kpis`): a
    heading, a note, a chart of MQL→SQL by band with its 95 % interval, and the
    band KPIs. Needs a ``score`` column in the leads; without it, the heading and
    the "not available" line.

    Returns
    -------
    Section
        ``[heading, note, figure, table]`` (Markdown, Markdown, a matplotlib
        Figure drawn in the leadkpi theme, Styler); numbers ``lead_quality``.

    Examples
    --------
    >>> import leadkpi
    >>> data = leadkpi.load("leadkpi.yaml")
    >>> parts = lead_quality_section(data, pd.Period("2026-10", "M"), lang="es")
    >>> parts[0].data, parts[2].axes[0].get_ylabel()
    ('## Calidad de los leads', 'Tasa MQL→SQL')
    >>> unscored = data.with_tables(leads=data.leads.drop(columns="score"))
    >>> [p.data for p in lead_quality_section(unscored, pd.Period("2026-10", "M"))]
    ['## Lead quality', 'Not available: needs a score column in the leads export \
(see README).']
    """

    def build() -> Section:
        note = markdown("lead_quality_note", lang, month=month_name(month, lang))
        quality = band_kpis(data, mode="cohort", start=month - 11, end=month)
        with theme():
            fig = Figure(figsize=(8, 3.4))  # not pyplot's: shown once, by the caller
            ax = plot_score_bands(band_rates(quality), ax=fig.gca(), lang=lang)
            ax.set_ylabel(kpi_label("mql_to_sql_rate", lang))
        parts = [note, fig, band_kpi_table(quality, lang=lang)]
        return Section(parts, {"lead_quality": quality})

    return section(data, "lead_quality", ["leads.score"], build, lang=lang)


def intro_note(
    train: LeadSet,
    test: LeadSet,
    *,
    month: pd.Period,
    label_name: str,
    days: float,
    lang: str = "en",
) -> Markdown:
    """Which leads the comparison uses and which it leaves out."""
    return markdown(
        "scoring_intro",
        lang,
        month=month_name(month, lang),
        label=_md(label(f"stage:{label_name}", lang)),
        days=f"{days:g}",
        train=format_value(len(train), "count", lang=lang),
        test=format_value(len(test), "count", lang=lang),
        positives=format_value(int(test.y.sum()), "count", lang=lang),
        immature=format_value(train.immature, "count", lang=lang),
    )


def leakage_note(features: list[str], *, limit: float, lang: str = "en") -> Markdown:
    """Which features the leakage guard flagged (or that none was)."""
    if not features:
        return markdown("scoring_leakage_none", lang, limit=f"{limit:g}")
    named = ", ".join(f"`{html.escape(str(f))}`" for f in features)
    return markdown("scoring_leakage_found", lang, features=named, limit=f"{limit:g}")


def threshold_note(threshold: pd.DataFrame, *, lang: str = "en") -> Markdown:
    """The recommended threshold (a :func:`recommend_threshold` row) in a sentence.

    Examples
    --------
    >>> from leadkpi.scoring import recommend_threshold
    >>> row = recommend_threshold([1, 0, 1, 0], [0.9, 0.7, 0.7, 0.1],
    ...                           capacity=1.5, months=2)
    >>> threshold_note(row).data[:52]
    'Passing leads with a model probability of at least 0'
    """
    row = threshold.iloc[0]
    note = markdown(
        "scoring_threshold_note",
        lang,
        threshold=_decimal(row["threshold"], lang),
        per_month=format_value(row["leads_per_month"], "count", lang=lang),
        share=format_value(row["share_of_leads"], "fraction", lang=lang),
        recall=format_value(row["recall"], "fraction", lang=lang),
        lift=format_value(row["lift"], "multiple", lang=lang),
    )
    if bool(row["fits"]):
        return note
    over = text(
        "scoring_threshold_over",
        lang,
        capacity=format_value(row["capacity"], "count", lang=lang),
    )
    return Markdown(note.data + " " + over)


def closing_note(
    model: Evaluation, scorecard: Evaluation, *, lang: str = "en"
) -> Markdown:
    """Both AUCs and top-decile lifts in one sentence."""
    return markdown(
        "scoring_closing",
        lang,
        test=format_value(model.n, "count", lang=lang),
        model_auc=_decimal(model.auc, lang),
        card_auc=_decimal(scorecard.auc, lang),
        model_lift=format_value(model.top_decile_lift, "multiple", lang=lang),
        card_lift=format_value(scorecard.top_decile_lift, "multiple", lang=lang),
    )
