"""Labels from data are drawn as plain text in every chart, never as mathtext.

A channel named ``$\\foo$`` made matplotlib parse maths and fail the whole report;
each plot is drawn here with such a value where its labels come from data.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import leadkpi
from leadkpi.present import plots

#: Would fail to parse as mathtext (unknown symbol) if it were read as maths.
HOSTILE = r"$\foo$ & $x^$"


@pytest.fixture(scope="module")
def data():
    return leadkpi.load("leadkpi.yaml")


def _renamed(table: pd.DataFrame, column: str, old: str) -> pd.DataFrame:
    out = table.copy()
    values = out[column].astype("object")
    assert (values == old).any(), f"{old!r} not in {column}"
    out[column] = values.where(values != old, HOSTILE)
    return out


def _texts(ax) -> list[str]:
    shown = [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
    shown += [t.get_text() for t in ax.texts]
    legend = ax.get_legend()
    if legend is not None:
        shown += [t.get_text() for t in legend.get_texts()]
    return shown


def _drawn(function, table, **kwargs) -> list[str]:
    fig, ax = plt.subplots()
    function(table, ax=ax, **kwargs)
    fig.canvas.draw()  # parses every text: mathtext would raise here
    shown = _texts(ax)
    plt.close(fig)
    return shown


def _plain(shown: list[str]) -> bool:
    # matplotlib shows an escaped "\$" as "$": the text reads as the data value
    return any(HOSTILE in text.replace(r"\$", "$") for text in shown)


def test_dimension_bars(data):
    table = leadkpi.compute(data, ["leads"], by=("channel",), start="2026-10")
    shown = _drawn(plots.plot_by_dimension, _renamed(table, "channel", "email"),
                   kpi="leads")  # fmt: skip
    assert _plain(shown), shown


def test_dimension_grid(data):
    table = leadkpi.compute(data, ["leads", "spend"], by=("channel",))
    fig = plots.dimension_grid(_renamed(table, "channel", "email"), ["leads", "spend"])
    fig.canvas.draw()
    assert _plain(_texts(fig.axes[0]))
    plt.close(fig)


def test_retention_curves(data):
    curve = leadkpi.retention_curve(data, by=("channel",), max_age=6)
    shown = _drawn(plots.plot_retention_curves, _renamed(curve, "channel", "email"))
    assert _plain(shown), shown


def test_ltv_bars(data):
    table = leadkpi.ltv_table(data, by=("channel",))
    shown = _drawn(plots.plot_ltv, _renamed(table, "channel", "email"))
    assert _plain(shown), shown


def test_funnel_stages(data):
    table = leadkpi.funnel(data, start="2026-10", end="2026-10")
    shown = _drawn(plots.plot_funnel, _renamed(table, "stage", "mql"))
    assert _plain(shown), shown


def test_time_to_stage_groups(data):
    curve = leadkpi.time_to_stage(data, "sql", by=("channel",))
    shown = _drawn(plots.plot_time_to_stage, _renamed(curve, "channel", "email"))
    assert _plain(shown), shown


def test_stage_duration_boxes(data):
    table = leadkpi.stage_durations(data, by=("channel",))
    shown = _drawn(plots.plot_stage_durations, _renamed(table, "channel", "email"))
    assert _plain(shown), shown


def test_response_buckets(data):
    table = leadkpi.response_buckets(data)
    first = str(table["bucket"].iloc[0])
    shown = _drawn(plots.plot_response_buckets, _renamed(table, "bucket", first))
    assert _plain(shown), shown
