"""The speed plots draw on the Axes they are given and create no figure."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from leadkpi.exceptions import ArgumentError
from leadkpi.funnel.durations import DURATION_COLUMNS
from leadkpi.funnel.speed import BUCKET_COLUMNS, bucket_order
from leadkpi.present.plots.speed import plot_response_buckets, plot_stage_durations

HOUR, DAY = 3600.0, 86400.0


def _durations(rows, keys=()):
    columns = [*keys, *DURATION_COLUMNS]
    return pd.DataFrame(rows, columns=columns)


@pytest.fixture
def stages():
    return _durations(
        [
            ["lead", "mql", 10, 5 * HOUR, 2 * HOUR, 10 * HOUR, 20 * HOUR, 7 * HOUR, 0,
             None],
            ["mql", "sql", 8, 4 * DAY, 2 * DAY, 6 * DAY, 9 * DAY, 4.5 * DAY, 1, None],
            ["sql", "opportunity", 0] + [np.nan] * 5 + [2, "every …"],
        ]
    )  # fmt: skip


def test_stage_durations_draws_one_box_per_row_with_durations(stages, draw):
    ax = draw(plot_stage_durations, stages, lang="es")
    assert len(ax.patches) == 2  # the row without durations is left out
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Lead → MQL", "MQL → SQL"]
    assert ax.get_xlabel() == "Tiempo entre etapas (días)"
    # the MQL → SQL box spans p25..p75 in days, at the bottom
    box = ax.patches[1].get_path().get_extents()
    assert (box.x0, box.x1) == pytest.approx((2.0, 6.0))


def test_stage_durations_of_one_pair_by_cell_labels_the_cells(draw):
    table = _durations(
        [
            ["paid_search", "mql", "sql", 3, HOUR, HOUR / 2, 2 * HOUR, 3 * HOUR,
             HOUR, 0, None],
            ["events", "mql", "sql", 3, 2 * HOUR, HOUR, 3 * HOUR, 5 * HOUR,
             2 * HOUR, 0, None],
        ],
        keys=("channel",),
    )  # fmt: skip
    ax = draw(plot_stage_durations, table)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Paid search", "Events & webinars"]
    assert ax.get_xlabel() == "MQL → SQL: Time between stages (hours)"


def test_stage_durations_empty_says_no_data(draw):
    ax = draw(plot_stage_durations, _durations([]))
    assert [t.get_text() for t in ax.texts] == ["no data"]


def test_stage_durations_needs_its_columns():
    table = pd.DataFrame(columns=["from_stage", "to_stage", "count", "median"])
    with pytest.raises(
        ArgumentError, match="lacks the column.*'p25', 'p75', 'p90', 'mean'"
    ):
        plot_stage_durations(table, ax=plt.gca())


def _buckets(owner=None):
    order = bucket_order()
    leads = [5, 20, 10, 8, 6, 4, 0]
    customers = [2, 4, 1, 0, 0, 0, 0]
    rate = [c / n if n else np.nan for c, n in zip(customers, leads, strict=True)]
    table = pd.DataFrame(
        {
            "bucket": pd.Categorical(order, categories=order, ordered=True),
            "leads": leads,
            "share": np.array(leads) / sum(leads),
            "customers": customers,
            "conversion_rate": rate,
            "ci_low": [r * 0.5 for r in rate],
            "ci_high": [min(r * 1.5, 1) for r in rate],
        }
    )[list(BUCKET_COLUMNS)]
    if owner is not None:
        table.insert(0, "owner", owner)
    return table


def test_response_buckets_bars_and_rate_overlay():
    fig, ax = plt.subplots()
    before = plt.get_fignums()
    returned = plot_response_buckets(_buckets(), ax=ax, lang="es")
    assert returned is ax and plt.get_fignums() == before
    # six bars: the flagged bucket has no leads and is not drawn
    assert [p.get_height() for p in ax.patches] == [5, 20, 10, 8, 6, 4]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "< 5 min" and labels[-1] == "Nunca"
    twins = [a for a in fig.axes if a is not ax]
    assert len(twins) == 1  # the rate's twin axis, in the same figure
    points = twins[0].lines[0].get_ydata()
    np.testing.assert_allclose(points, [0.4, 0.2, 0.1, 0, 0, 0])
    assert twins[0].get_ylabel() == "Tasa de conversión de leads (IC 95 %)"


def test_response_buckets_shows_flagged_leads(draw):
    table = _buckets()
    table.loc[6, ["leads", "conversion_rate"]] = [3, 0.0]
    ax = draw(plot_response_buckets, table)
    assert len(ax.patches) == 7
    assert ax.get_xticklabels()[-1].get_text() == "Before creation"


def test_response_buckets_one_cell_only(draw):
    both = pd.concat([_buckets("ana"), _buckets("luis")], ignore_index=True)
    with pytest.raises(ArgumentError, match="several values of owner"):
        plot_response_buckets(both, ax=plt.gca())
    ax = draw(plot_response_buckets, both[both["owner"] == "ana"])
    assert len(ax.patches) == 6


def test_response_buckets_empty_says_no_data(draw):
    ax = draw(plot_response_buckets, _buckets().iloc[:0])
    assert [t.get_text() for t in ax.texts] == ["no data"]
