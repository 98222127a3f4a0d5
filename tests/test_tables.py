"""Localised formatting of KPI values and tables."""

import re

import pandas as pd
import pytest

from leadkpi import LeadData, compare, compute
from leadkpi.tables import (
    accounting_table,
    dimension_table,
    format_change,
    format_value,
    headline_table,
    rejects_table,
)

NBSP = "\xa0"


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
        (7200, "duration", "en", "2.0 h"),
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
    # both improved (more leads, cheaper leads): both change cells are green
    green = re.search(r"([^{}]*)\{\s*color: #1a7f37", html).group(1)
    assert "row0_col3" in green and "row1_col3" in green
    assert "#c62828" not in html


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
