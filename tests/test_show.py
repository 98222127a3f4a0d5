"""leadkpi.show: results formatted by the units their analysis defines."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import leadkpi
from leadkpi.exceptions import ArgumentError
from leadkpi.funnel.durations import DURATION_COLUMNS
from leadkpi.funnel.table import FUNNEL_COLUMNS
from leadkpi.present.show import show
from leadkpi.retention import LTV_TABLE_COLUMNS


def _funnel() -> pd.DataFrame:
    row = {c: [0, 0] for c in FUNNEL_COLUMNS}
    row.update(
        stage=["lead", "mql"], count=[200, 50], from_previous=[np.nan, 0.25],
        from_first=[1.0, 0.25], drop_off=[np.nan, 150], mature=[True, True],
        mode=["period", "period"], reason=[None, None],
    )  # fmt: skip
    return pd.DataFrame(row)


def test_a_funnel_shows_rates_as_percentages_and_drop_off_as_a_count():
    shown = show(_funnel()).data
    assert shown["from_previous"].tolist() == ["–", "25.0%"]
    assert shown["drop_off"].tolist() == ["–", "150"]  # leads, not 15,000 %
    assert shown["count"].tolist() == ["200", "50"]
    assert shown.iloc[:, 0].tolist() == ["Leads", "MQLs"]  # stages by their label


def test_a_table_cut_to_a_few_columns_keeps_its_units():
    between = pd.DataFrame({c: [1] for c in DURATION_COLUMNS}).assign(
        channel="email", median=3 * 86400.0, p90=5400.0, count=12
    )
    shown = show(between[["channel", "count", "median", "p90"]], lang="es").data
    assert shown.iloc[0].tolist() == ["Correo electrónico", "12", "3,0 d", "1 h 30 min"]


def test_a_column_whose_analyses_disagree_stays_as_it_is():
    # "value" is a share in a cohort matrix and money per customer in cohort_ltv
    cells = pd.DataFrame({"cohort": ["2026-01"], "age": [0], "value": [0.5]})
    assert show(cells).data["value"].tolist() == [0.5]


def test_money_needs_the_projects_currency():
    ltv = pd.DataFrame({c: [1.0] for c in LTV_TABLE_COLUMNS}).assign(
        channel="email", cac=1234.5, ltv_to_cac_formula=3.0
    )
    with pytest.raises(ArgumentError, match="currency=data.config.currency"):
        show(ltv)
    shown = show(ltv[["channel", "cac", "ltv_to_cac_formula"]], currency="USD").data
    assert shown.iloc[0].tolist() == ["Email", "US$1,234.50", "3.00×"]


@pytest.fixture(scope="module")
def data():
    return leadkpi.load("leadkpi.yaml")


def test_a_kpi_result_pivots_to_one_column_per_kpi(data):
    result = leadkpi.compute(
        data, ["leads", "cost_per_lead"], by=("month", "channel"), mode="period",
        start="2026-10", end="2026-10",
    )  # fmt: skip
    wide = show(result, wide=True).data
    headers = ["Month", "Channel", "Leads generated", "Cost per lead"]
    assert list(wide.columns) == headers
    search = wide[wide["Channel"] == "Paid search"].iloc[0]
    assert search.tolist() == ["October 2026", "Paid search", "76", "€90.14"]
    # organic search has no spend rows: unknown, never €0.00
    organic = wide[wide["Channel"] == "Organic search"].iloc[0]
    assert organic["Cost per lead"] == "–"


def test_a_long_kpi_result_keeps_its_interval(data):
    result = leadkpi.compute(
        data, "cost_per_lead", by=(), mode="period", start="2026-10", end="2026-10"
    )
    shown = show(result, lang="es").data
    assert shown.iloc[0].tolist()[:2] == ["Coste por lead", "49,86\xa0€"]


def test_wide_needs_a_kpi_result():
    with pytest.raises(ArgumentError, match="wide=True pivots a KPI result"):
        show(_funnel(), wide=True)
