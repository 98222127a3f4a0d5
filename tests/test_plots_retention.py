"""Retention plots draw on the Axes they are given and create no figure."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from leadkpi import LeadData
from leadkpi.exceptions import ArgumentError
from leadkpi.present.plots.retention import plot_ltv, plot_retention_curves
from leadkpi.retention import ltv_table, retention_curve, retention_matrix


@pytest.fixture
def data():
    """Two channels; x: one January customer still active, one lost in February;
    y: one January customer lost in March, one February customer still active."""
    customers = pd.DataFrame(
        {
            "customer_id": ["c1", "c2", "c3", "c4"],
            "lead_id": ["a", "b", "c", "d"],
            "started_at": [
                "2025-01-10T12:00:00Z",
                "2025-01-12T12:00:00Z",
                "2025-01-15T12:00:00Z",
                "2025-02-14T12:00:00Z",
            ],
            "ended_at": [None, "2025-02-20T12:00:00Z", "2025-03-10T12:00:00Z", None],
            "recurring_revenue": [100.0, 50.0, 200.0, 300.0],
        }
    )
    leads = pd.DataFrame(
        {
            "lead_id": list("abcd"),
            "created_at": ["2024-12-01T10:00:00Z"] * 4,
            "channel": ["x", "x", "y", "y"],
            "won_at": ["2024-12-20T10:00:00Z"] * 4,
        }
    )
    spend = pd.DataFrame({"date": ["2024-12-05"], "channel": ["x"], "cost": [400.0]})
    return LeadData(leads=leads, customers=customers, spend=spend)


def test_one_line_per_cohort_from_mature_cells(data, draw):
    table = retention_matrix(data, as_of="2025-04-15")
    ax = draw(plot_retention_curves, table)
    assert len(ax.lines) == 2  # January and February cohorts
    january = ax.lines[0]
    assert list(january.get_xdata()) == [0, 1, 2]  # April has not ended
    assert list(january.get_ydata()) == pytest.approx([1.0, 2 / 3, 1 / 3])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "January 2025",
        "February 2025",
    ]
    assert ax.get_xlabel() == "Months since start (0 = start month)"


def test_one_line_per_group_from_the_pooled_curve(data, draw):
    curve = retention_curve(data, by="channel", as_of="2025-04-15")
    ax = draw(plot_retention_curves, curve, lang="es")
    assert len(ax.lines) == 2
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["x", "y"]
    assert ax.get_title() == "Clientes aún activos por meses desde el alta"
    assert ax.get_ylabel() == "Activos al cierre del mes"


def test_a_matrix_with_several_groups_is_refused(data):
    table = retention_matrix(data, by="channel", as_of="2025-04-15")
    with pytest.raises(ArgumentError, match="retention_curve"):
        plot_retention_curves(table, ax=plt.gca())


def test_ltv_bars_and_cac_marks(data, draw):
    table = ltv_table(data, horizon=2, as_of="2025-04-15")
    ax = draw(plot_ltv, table, lang="es")
    assert len(ax.patches) == 2 * len(table)  # realised and formula per channel
    assert len(ax.lines) == 1  # the CAC marks
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [
        "CAC",
        "LTV realizado, primeros 2 meses",
        "LTV por fórmula (ingreso / abandono)",
    ]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["x", "y"]
    # x: CAC 400 / 2 = 200; realised LTV (100 + 50 + 100) / 2 = 125 -> 0,62×
    assert "0,62×" in [t.get_text() for t in ax.texts]
    assert {t.get_rotation() for t in ax.texts} == {90.0}  # upright: no overlaps


def test_empty_tables_say_no_data(data, draw):
    empty = data.with_tables(customers=data.customers.iloc[0:0])
    ax = draw(plot_retention_curves, retention_matrix(empty))
    assert [t.get_text() for t in ax.texts] == ["no data"]
    ax = draw(plot_ltv, ltv_table(empty), lang="es")
    assert [t.get_text() for t in ax.texts] == ["sin datos"]
