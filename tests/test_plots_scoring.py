"""Charts of a score's evaluation: what they draw, in both languages."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from leadkpi.exceptions import ArgumentError
from leadkpi.present.plots import plot_calibration, plot_gains, plot_score_bands
from leadkpi.scoring import evaluate, stack

Y = [0, 1, 0, 1, 1, 0, 0, 1, 0, 0]
P = [0.1, 0.9, 0.2, 0.7, 0.6, 0.3, 0.65, 0.8, 0.05, 0.4]


def test_gains_draws_one_line_per_scorer_from_origin_to_one():
    both = stack({"model": evaluate(Y, P), "scorecard": evaluate(Y, P[::-1])}, "gains")
    fig, ax = plt.subplots()
    assert plot_gains(both, ax=ax, lang="es") is ax
    lines = ax.get_lines()
    assert len(lines) == 3  # two scorers and the random diagonal
    x, y = lines[0].get_data()
    assert (x[0], y[0], x[-1], y[-1]) == (0, 0, 1, 1)
    np.testing.assert_allclose(y[1:], both.loc[both["scorer"] == "model",
                               "cumulative_gain"])  # fmt: skip
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["Modelo", "Reglas", "Al azar"]
    assert ax.get_xlabel() == "Porcentaje de leads, mejor puntuados primero"


def test_calibration_points_are_the_table():
    table = evaluate(Y, P, bins=5).calibration
    fig, ax = plt.subplots()
    plot_calibration(table, ax=ax)
    x, y = ax.get_lines()[0].get_data()
    np.testing.assert_allclose(x, table["mean_predicted"])
    np.testing.assert_allclose(y, table["observed_rate"])


def test_score_bands_bar_heights_and_labels():
    bands = evaluate(Y, P, bands=[0.5]).bands
    fig, ax = plt.subplots()
    plot_score_bands(bands, ax=ax)
    heights = [p.get_height() for p in ax.patches]
    assert heights == pytest.approx(bands["rate"].tolist())
    assert [t.get_text() for t in ax.get_xticklabels()] == ["≥ 0.5", "< 0.5"]


def test_wrong_table_names_what_is_missing():
    with pytest.raises(ArgumentError, match="plot_gains needs the columns decile"):
        plot_gains(evaluate(Y, P).bands)


def test_more_scorers_than_the_palette_still_get_their_own_colour():
    many = stack({f"s{i}": evaluate(Y, np.roll(P, i)) for i in range(8)}, "gains")
    fig, ax = plt.subplots()
    plot_gains(many, ax=ax)
    colours = [line.get_color() for line in ax.get_lines()[:8]]
    assert len(set(map(str, colours))) == 8
