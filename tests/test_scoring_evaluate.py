"""Evaluation of any lead score: against scikit-learn, and by hand with ties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import brier_score_loss, roc_auc_score

from leadkpi.exceptions import ArgumentError
from leadkpi.scoring import (
    band_table,
    calibration_table,
    evaluate,
    gains_table,
    recommend_threshold,
    roc_auc,
    score_bands,
    stack,
)


@st.composite
def labelled_scores(draw):
    n = draw(st.integers(2, 300))
    y = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    if len(set(y)) == 1:
        y[0] = 1 - y[0]
    grid = draw(st.sampled_from([None, 2, 5, 20]))  # None: continuous, else ties
    raw = draw(
        st.lists(
            st.floats(0, 1, allow_nan=False, allow_subnormal=False),
            min_size=n,
            max_size=n,
        )
    )
    p = np.asarray(raw)
    if grid is not None:
        p = np.round(p * grid) / grid
    return np.asarray(y), p


@settings(max_examples=200, deadline=None)
@given(labelled_scores())
def test_auc_and_brier_agree_with_scikit_learn(case):
    y, p = case
    result = evaluate(y, p)
    assert abs(result.auc - roc_auc_score(y, p)) <= 1e-12
    assert abs(result.brier - brier_score_loss(y, p)) <= 1e-12
    assert abs(roc_auc(y, p) - roc_auc_score(y, p)) <= 1e-12


@settings(max_examples=100, deadline=None)
@given(labelled_scores())
def test_gains_invariants(case):
    y, p = case
    gains = gains_table(y, p)
    assert gains["leads"].sum() == pytest.approx(len(y))
    assert gains["positives"].sum() == pytest.approx(y.sum())
    assert gains["cumulative_gain"].iloc[-1] == pytest.approx(1.0)
    assert (np.diff(gains["cumulative_gain"]) >= -1e-12).all()
    assert (gains["score_max"] >= gains["score_min"]).all()


@settings(max_examples=60, deadline=None)
@given(labelled_scores(), st.sampled_from([1, 3, 5, [0.25, 0.5, 0.75], [0.5]]))
def test_bands_and_calibration_agree_with_counting_each_lead(case, bands):
    y, p = case
    result = evaluate(y, p, bands=bands)
    frame = pd.DataFrame({"band": score_bands(p, bands), "y": y, "p": p})
    direct = frame.groupby("band", observed=True).agg(
        leads=("y", "size"),
        positives=("y", "sum"),
        score_min=("p", "min"),
        score_max=("p", "max"),
    )
    direct.index = direct.index.astype(str)
    got = result.bands.set_index("band")[direct.columns]
    pd.testing.assert_frame_equal(got, direct.loc[got.index], check_dtype=False)
    for row in result.calibration.itertuples():
        top = p <= row.bin_high if row.bin_high == 1 else p < row.bin_high
        inside = (p >= row.bin_low) & top
        assert row.leads == inside.sum()
        assert row.observed_rate * row.leads == pytest.approx(y[inside].sum())
        assert row.mean_predicted == pytest.approx(p[inside].mean())


def test_lift_by_decile_by_hand_with_ties():
    # sorted: 9 9 | 8 7 | 7 7 | 5 4 | 3 1 ; the three 7s (one converted) straddle
    # the 2nd/3rd boundary: 1/3 of them (1/3 of a conversion) fall in the 2nd
    y = [1, 0, 1, 0, 1, 0, 0, 0, 0, 0]
    s = [9, 9, 8, 7, 7, 7, 5, 4, 3, 1]
    gains = gains_table(y, s, bins=5)
    expected = pd.DataFrame(
        {
            "decile": [1, 2, 3, 4, 5],
            "leads": [2.0] * 5,
            "positives": [1, 4 / 3, 2 / 3, 0, 0],
            "rate": [0.5, 2 / 3, 1 / 3, 0, 0],
            "lift": [5 / 3, 20 / 9, 10 / 9, 0, 0],
            "cumulative_gain": [1 / 3, 7 / 9, 1, 1, 1],
            "cumulative_lift": [5 / 3, 35 / 18, 10 / 6, 1.25, 1],
            "score_min": [9.0, 7, 7, 4, 1],
            "score_max": [9.0, 8, 7, 5, 3],
        }
    )
    pd.testing.assert_frame_equal(gains, expected, check_dtype=False)


def test_ties_do_not_depend_on_row_order():
    y = np.array([1, 0, 0, 1, 0, 0, 1, 0])
    s = np.array([3, 3, 3, 3, 1, 1, 2, 2])
    order = np.array([7, 3, 0, 5, 1, 6, 2, 4])
    pd.testing.assert_frame_equal(
        gains_table(y, s, bins=4), gains_table(y[order], s[order], bins=4)
    )


def test_calibration_by_hand():
    table = calibration_table([0, 1, 1, 0, 1], [0.1, 0.15, 0.85, 0.95, 0.9], bins=2)
    assert table["leads"].tolist() == [2, 3]
    assert table["mean_predicted"].tolist() == pytest.approx([0.125, 0.9])
    assert table["observed_rate"].tolist() == pytest.approx([0.5, 2 / 3])
    assert (table["ci_low"] <= table["observed_rate"]).all()


def test_bands_and_threshold_by_hand():
    y = [1, 1, 0, 0, 1, 0]
    s = [90, 70, 70, 50, 30, 10]
    bands = band_table(y, s, bands=[40, 80])
    assert bands["band"].tolist() == ["≥ 80", "40–80", "< 40"]
    assert bands["leads"].tolist() == [1, 3, 2]
    assert bands["rate"].tolist() == pytest.approx([1, 1 / 3, 0.5])
    # over 2 months, 1 lead a month is 2 leads: the 90 and the two tied 70s would
    # be 3, so only the 90 fits; 1.5 a month (3 leads) takes the 70s too
    row = recommend_threshold(y, s, capacity=1, months=2).iloc[0]
    assert (row["threshold"], row["leads_per_month"], row["recall"]) == (90, 0.5, 1 / 3)
    row = recommend_threshold(y, s, capacity=1.5, months=2).iloc[0]
    assert (row["threshold"], row["positives"], row["precision"]) == (70, 2, 2 / 3)
    row = recommend_threshold(y, s, capacity=0.1, months=2).iloc[0]
    assert not row["fits"]
    assert row["threshold"] == 90


def test_quantile_bands_keep_ties_together():
    # four tied 1s cannot be split: three bands asked, two given
    bands = score_bands([1, 1, 1, 1, 2, 3], 3)
    assert list(bands.categories) == ["< 2", "≥ 2"]
    assert list(bands.codes) == [0, 0, 0, 0, 1, 1]
    bands = score_bands([5, 1, 4, 2, 3, 6], 3)
    assert list(bands.categories) == ["< 3", "3–5", "≥ 5"]
    assert list(bands.codes) == [2, 0, 1, 0, 1, 2]


def test_points_are_not_probabilities():
    result = evaluate([0, 1, 0, 1], [10, 40, 20, 30])
    assert np.isnan(result.brier)
    assert result.calibration is None
    with pytest.raises(ArgumentError, match="probabilities between 0 and 1"):
        calibration_table([0, 1], [5, 50])


def test_stack_puts_the_scorer_first():
    a = evaluate([0, 1, 0, 1], [0.1, 0.9, 0.2, 0.8])
    table = stack({"model": a, "scorecard": a}, "gains")
    assert table.columns[0] == "scorer"
    assert table["scorer"].unique().tolist() == ["model", "scorecard"]


@pytest.mark.parametrize(
    ("y", "s", "message"),
    [
        ([0, 1, "maybe", "2"], [1, 2, 3, 4], r"not a 0/1 label; found '2', 'maybe'"),
        ([1, 1, 1], [1, 2, 3], "only one class"),
        ([0, 1, 1], [1, 2], "y_true has 3 values but score has 2"),
        ([0, 1], [1, np.nan], "1 of 2 scores are missing"),
    ],
)
def test_bad_input_is_refused(y, s, message):
    with pytest.raises(ArgumentError, match=message):
        evaluate(y, s)


def test_text_labels_are_read():
    result = evaluate(["Yes", "no", "TRUE", "false"], [0.9, 0.1, 0.8, 0.2])
    assert result.auc == 1.0
    assert result.positives == 2
