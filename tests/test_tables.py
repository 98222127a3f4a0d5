"""Localised formatting of KPI values and tables."""

import re

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from leadkpi import LeadData, compare, compute
from leadkpi.present.tables import (
    accounting_table,
    dimension_table,
    format_change,
    format_value,
    format_values,
    headline_table,
    rejects_table,
)

NBSP = "\xa0"


def _css(html: str, cell: str) -> str:
    """The CSS that a Styler's HTML gives one cell (``row0_col3``)."""
    rules = re.findall(r"([^{}]*)\{([^{}]*)\}", html)
    return " ".join(props for selectors, props in rules if f"_{cell}" in selectors)


@pytest.mark.parametrize(
    ("value", "unit", "lang", "expected"),
    [
        (0.05, "fraction", "en", "5.0%"),
        (0.05, "fraction", "es", f"5,0{NBSP}%"),
        (1234.5, "currency", "en", "€1,234.50"),
        (1234.5, "currency", "es", f"1.234,50{NBSP}€"),
        (10.309, "multiple", "en", "10.31×"),
        (10.309, "multiple", "es", "10,31×"),
        (12345, "count", "en", "12,345"),
        (45, "duration", "en", "45 s"),
        (720, "duration", "en", "12 min"),
        (7200, "duration", "en", "2 h"),
        (8100, "duration", "es", "2 h 15 min"),
        (86_370, "duration", "en", "1.0 d"),  # 23 h 59.5 min rounds to a day
        (302_400, "duration", "en", "3.5 d"),
        (302_400, "duration", "es", "3,5 d"),
        (float("nan"), "currency", "en", "–"),
    ],
)
def test_format_value(value, unit, lang, expected):
    assert format_value(value, unit, lang=lang, currency="EUR") == expected


def test_format_change():
    assert format_change(0.123) == "+12.3%"
    assert format_change(-0.04, lang="es") == f"−4,0{NBSP}%"
    assert format_change(float("nan")) == "–"


def test_headline_table_colours_good_and_bad_news(small_leads, small_spend):
    data = LeadData(leads=small_leads, spend=small_spend)
    compared = compare(compute(data, ["leads", "cost_per_lead"], by=("month",)))
    html = headline_table(compared, pd.Period("2025-02"), lang="es").to_html()
    assert "Leads generados" in html and "Coste por lead" in html
    assert "febrero de 2025" in html and "enero de 2025" in html
    # both improved (more leads, cheaper leads), but on 3 and 4 leads neither
    # change is beyond noise: 3 → 4 leads has z = 1 / sqrt(7), and CPL's intervals
    # (Poisson on the lead counts) overlap widely; grey, with its legend
    assert "#8a8a8a" in _css(html, "row0_col3")
    assert "#8a8a8a" in _css(html, "row1_col3")
    assert "#c62828" not in html
    assert "en gris: dentro del ruido (no significativa al 95 %)" in html
    assert "Target" not in html and "Objetivo" not in html  # no targets given


def _compared(**columns) -> pd.DataFrame:
    """A hand-made compare() result for February: leads, CPL, conversion."""
    frame = pd.DataFrame(
        {
            "month": pd.PeriodIndex(["2025-02"] * 3, freq="M"),
            "kpi": ["leads", "cost_per_lead", "lead_conversion_rate"],
            "value": [320.0, 75.0, 0.05],
            "unit": ["count", "currency", "fraction"],
            "better": ["higher", "lower", "higher"],
            "previous": [250.0, 70.0, 0.03],
            "change_rate": [0.28, 5 / 70, 2 / 3],
            "improved": pd.array([True, False, True], dtype="boolean"),
            "significant": pd.array([True, pd.NA, False], dtype="boolean"),
        }
    )
    return frame.assign(**columns)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_headline_table_shows_target_status_and_noise(lang):
    targets = {"leads": 300, "cost_per_lead": {"value": 60, "channel": {"x": 1}}}
    styler = headline_table(
        _compared(small_sample=[False, False, True]),
        pd.Period("2025-02"),
        lang=lang,
        targets=targets,
    )
    shown = styler.data
    words = {
        "en": ("met", "missed", "Target"),
        "es": ("cumplido", "no cumplido", "Objetivo"),
    }[lang]
    assert shown.iloc[:, -1].tolist() == [words[0], words[1], ""]
    assert shown.columns[-2] == words[2]
    assert shown.iloc[:, -2].tolist()[:2] == (
        ["300", "€60.00"] if lang == "en" else ["300", f"60,00{NBSP}€"]
    )
    assert shown.iloc[2, 1].endswith("*")  # small sample marked
    html = styler.to_html()
    assert "#1a7f37" in _css(html, "row0_col5")  # met: green
    assert "#c62828" in _css(html, "row1_col5")  # missed: red
    assert "#8a8a8a" in _css(html, "row2_col3")  # within noise: grey
    assert "#c62828" in _css(html, "row1_col3")  # not judged: red
    assert html.count("<caption>") == 1 and "caption-side: bottom" in html
    assert ("30 observations" if lang == "en" else "30 observaciones") in html


def test_headline_table_takes_targets_already_added():
    from leadkpi.kpis.targets import add_targets

    compared = add_targets(_compared(), {"lead_conversion_rate": 0.04})
    shown = headline_table(compared, pd.Period("2025-02")).data
    assert shown.iloc[:, -2].tolist() == ["", "", "4.0%"]
    assert shown.iloc[:, -1].tolist() == ["", "", "met"]
    # nothing significant-False and no small samples: no caption
    quiet = _compared(significant=pd.array([True] * 3, dtype="boolean"))
    assert "<caption>" not in headline_table(quiet, pd.Period("2025-02")).to_html()


def test_dimension_table_sorts_by_first_kpi_and_labels_channels(small_leads):
    data = LeadData(
        leads=small_leads.assign(channel=["paid_social"] * 3 + ["email"] * 5)
    )
    html = dimension_table(
        compute(data, "leads", by=("channel",)), "channel", ["leads"]
    ).to_html()
    assert html.index("Email") < html.index("Paid social")


def test_dimension_table_shows_a_missing_kpi_as_missing_not_zero(small_leads):
    data = LeadData(leads=small_leads.assign(channel="email"))
    result = compute(data, ["leads", "cac"], by=("channel",))
    assert result.loc[result["kpi"] == "cac", "value"].isna().all()
    shown = dimension_table(result, "channel", ["leads", "cac"]).data
    assert shown.iloc[0, -1] == "–"


def test_accounting_and_rejects_tables(small_leads):
    broken = small_leads.copy()
    broken.loc[0, "created_at"] = "never"
    data = LeadData(leads=broken)
    assert "Rows read" in accounting_table(data.accounting()).to_html()
    html = rejects_table(data.rejects(), lang="en").to_html()
    assert "First 1 of 1 rejected rows" in html and "never" in html
    empty = rejects_table(LeadData().rejects()).to_html()
    assert "No row was rejected" in empty
    assert "Reason" not in empty  # no empty table header under the caption


def test_the_noise_legend_names_the_level_of_the_test(small_leads, small_spend):
    data = LeadData(leads=small_leads, spend=small_spend)
    compared = compare(compute(data, "leads", by=("month",)), level=0.9)
    html = headline_table(compared, pd.Period("2025-02")).to_html()
    assert "not significant at the 90% level" in html


@settings(max_examples=40, deadline=None)
@example(pairs=[("count", 0.0), ("count", -0.0)], lang="en")
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["count", "fraction", "currency", "duration", "multiple"]),
            st.one_of(st.just(float("nan")), st.floats(-1e6, 1e6)),
        ),
        max_size=12,
    ),
    st.sampled_from(["en", "es"]),
)
def test_format_values_is_format_value_on_each_row(pairs, lang):
    units = pd.Series([u for u, _ in pairs], dtype=object)
    values = pd.Series([v for _, v in pairs], dtype=float)
    expected = [format_value(v, u, lang=lang) for u, v in pairs]
    assert format_values(values, units, lang=lang).tolist() == expected
