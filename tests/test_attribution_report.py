"""Attribution as a reader sees it: the chart, the models-side-by-side table, the
note, the sensitivity table and the report notebook."""

from __future__ import annotations

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pandas as pd
import papermill
import pytest

from leadkpi import load
from leadkpi.attribution import attribute, journeys
from leadkpi.attribution.sensitivity import sensitivity
from leadkpi.cli import REPORTS
from leadkpi.exceptions import ArgumentError
from leadkpi.present.attribution_tables import attribution_note, attribution_table
from leadkpi.present.plots import plot_attribution


@pytest.fixture(scope="module")
def data():
    return load("leadkpi.yaml")


def _credit() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "model": ["first_touch", "first_touch", "markov_1", "markov_1"],
            "channel": ["email", "paid_search", "email", "paid_search"],
            "conversions": [3.0, 1.0, 1.5, 2.5],
            "revenue": [30.0, 10.0, 15.0, 25.0],
            "share": [0.75, 0.25, 0.375, 0.625],
            "cac": [np.nan, 200.0, np.nan, 80.0],
        }
    )


def test_plot_draws_one_bar_per_model_and_channel():
    fig, ax = plt.subplots()
    assert plot_attribution(_credit(), ax=ax, lang="es") is ax
    widths = [p.get_width() for p in ax.patches]
    # first touch, then Markov; channels in the report's one order, first on top
    assert widths == [3.0, 1.0, 1.5, 2.5]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Correo electrónico",
        "Búsqueda de pago",
    ]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "Primer contacto",
        "Markov",
    ]
    assert ax.get_xlabel() == "Conversiones atribuidas"


def test_plot_leaves_out_channels_without_values():
    fig, ax = plt.subplots()
    plot_attribution(_credit(), value="cac", ax=ax)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Paid search"]
    assert [p.get_width() for p in ax.patches] == [200.0, 80.0]


def test_plot_refuses_unknown_columns_and_draws_no_data():
    with pytest.raises(ArgumentError, match="could not interpret value='cpa'"):
        plot_attribution(_credit(), value="cpa")
    fig, ax = plt.subplots()
    plot_attribution(_credit().iloc[:0], ax=ax)
    assert ax.texts[0].get_text() == "no data"


def test_table_puts_models_side_by_side():
    shown = attribution_table(_credit(), "cac", lang="es", currency="EUR")
    assert shown.data.to_dict("list") == {
        "Canal": ["Búsqueda de pago"],
        "Primer contacto": ["200,00\xa0€"],
        "Markov": ["80,00\xa0€"],
    }
    counts = attribution_table(_credit(), "conversions")
    assert counts.data["First touch"].tolist() == ["3.0", "1.0"]
    with pytest.raises(ArgumentError, match="value='cpa'"):
        attribution_table(_credit(), "cpa")


def test_table_escapes_channel_names_from_exports():
    credit = _credit().assign(channel=["<b>x</b>", "y", "<b>x</b>", "y"])
    shown = attribution_table(credit, "conversions")
    assert shown.data["Channel"].tolist() == ["&lt;b&gt;x&lt;/b&gt;", "y"]


def test_note_without_customers():
    table = _credit()
    table.attrs = {"customers": 0.0}
    assert attribution_note(table, "March 2025").data == (
        "No customer was won in March 2025: nothing to attribute."
    )


def test_sensitivity_moves_credit_not_totals(data):
    table = sensitivity(data, parameter="half_life_days", values=(1, 60))
    assert list(table.columns[:3]) == ["half_life_days", "model", "channel"]
    totals = table.groupby("half_life_days")["conversions"].sum()
    np.testing.assert_allclose(totals, 205.0)
    email = table[table["channel"] == "email"].set_index("half_life_days")
    assert email.loc[1, "conversions"] > email.loc[60, "conversions"]
    direct = attribute(journeys(data), models="time_decay", half_life_days=60)
    np.testing.assert_allclose(
        table.loc[table["half_life_days"] == 60, "conversions"],
        direct["conversions"],
    )
    with pytest.raises(ArgumentError, match="parameter='decay'"):
        sensitivity(data, parameter="decay")


def test_attribution_report_notebook(root):
    assert REPORTS["attribution"] == "attribution.ipynb"
    path = root / "notebooks" / "attribution.ipynb"
    parameters = papermill.inspect_notebook(str(path))
    assert {"month", "config", "lang", "lookback_days", "half_life_days"} <= set(
        parameters
    )
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "def " not in code and "class " not in code


def test_monthly_report_has_the_attribution_section_before_the_appendix(root):
    nb = nbformat.read(root / "notebooks" / "monthly_report.ipynb", as_version=4)
    ids = [c.get("id") for c in nb.cells]
    at = ids.index("cell-attribution")
    assert "attribution_section" in nb.cells[at].source  # CAC table included
    appendix = next(
        i
        for i, c in enumerate(nb.cells)
        if "sections.quality_section(" in c.source
    )
    assert at < appendix
