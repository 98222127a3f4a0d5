"""compare_groups(): a rate or cost KPI between groups, each against a control."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from leadkpi import LeadData, compare_groups, compute
from leadkpi.exceptions import ArgumentError
from leadkpi.kpis.groups import OUTCOMES, holm
from leadkpi.kpis.uncertainty import cost_per_count_interval, wilson_interval
from leadkpi.present.experiment_tables import (
    experiment_table,
    format_difference,
    verdict_notes,
    verdicts,
)

Z = stats.norm.ppf(0.975)


def _rates(groups: list[tuple[str, int, int]], kpi: str = "lead_to_mql_rate"):
    """An engine result by ``page``: (page, MQLs, leads) per group."""
    page, hits, trials = (list(x) for x in zip(*groups, strict=True))
    hits, trials = np.array(hits, float), np.array(trials, float)
    low, high = wilson_interval(hits, trials)
    return pd.DataFrame(
        {
            "page": page,
            "kpi": kpi,
            "value": hits / trials,
            "numerator": hits,
            "denominator": trials,
            "unit": "fraction",
            "better": "higher",
            "n": trials,
            "small_sample": trials < 30,
            "ci_low": low,
            "ci_high": high,
            "reason": None,
        }
    )


def _costs(groups: list[tuple[str, float, int]]):
    """An engine result by ``campaign``: (campaign, spend, leads) per group."""
    name, spend, leads = (list(x) for x in zip(*groups, strict=True))
    spend, leads = np.array(spend, float), np.array(leads, float)
    low, high = cost_per_count_interval(spend, leads)
    return pd.DataFrame(
        {
            "campaign": name,
            "kpi": "cost_per_lead",
            "value": spend / leads,
            "numerator": spend,
            "denominator": leads,
            "unit": "currency",
            "better": "lower",
            "n": leads,
            "small_sample": leads < 30,
            "ci_low": low,
            "ci_high": high,
            "reason": None,
        }
    )


# Worked by hand: A 40 MQLs of 1,000 leads (4.0 %), B 61 of 1,000 (6.1 %).
# pooled 101 / 2000 = 0.0505, se0 = sqrt(0.0505 · 0.9495 · 2/1000) = 0.0097929,
# z = 0.021 / se0 = 2.1444, p = 0.0320; unpooled se = sqrt(0.04 · 0.96/1000 +
# 0.061 · 0.939/1000) = 0.0097816, 95 % CI 0.021 ± 1.96 · se = [0.00183, 0.04017];
# MDE = (1.95996 + 0.84162) · se0 = 0.027436.
def test_two_groups_by_hand_and_against_scipy():
    out = compare_groups(
        _rates([("A", 40, 1000), ("B", 61, 1000)]),
        "lead_to_mql_rate",
        group="page",
        control="A",
    )
    assert out["page"].tolist() == ["A", "B"]
    assert out["outcome"].tolist() == ["control", "better"]
    b = out.iloc[1]
    assert b["difference"] == pytest.approx(0.021)
    assert b["p_value"] == pytest.approx(0.0320, abs=5e-5)
    assert b["ci_low"] == pytest.approx(0.00183, abs=5e-6)
    assert b["ci_high"] == pytest.approx(0.04017, abs=5e-6)
    assert b["mde"] == pytest.approx(0.027436, abs=5e-6)
    assert b["test"] == "two_proportion" and bool(b["significant"])
    assert b["relative_difference"] == pytest.approx(0.021 / 0.04)
    # independently: the pooled z-test is the chi-square test without continuity
    # correction (z² = χ²), and the formulas written out with scipy.stats.norm
    chi2, p_chi2, _, _ = stats.chi2_contingency(
        [[40, 960], [61, 939]], correction=False
    )
    assert b["p_value"] == pytest.approx(p_chi2, rel=1e-9)
    pooled = 101 / 2000
    se0 = np.sqrt(pooled * (1 - pooled) * (1 / 1000 + 1 / 1000))
    assert b["p_value"] == pytest.approx(2 * stats.norm.sf(0.021 / se0), rel=1e-9)
    assert (0.021 / se0) ** 2 == pytest.approx(chi2, rel=1e-9)
    se = np.sqrt(0.04 * 0.96 / 1000 + 0.061 * 0.939 / 1000)
    assert b["ci_high"] - b["ci_low"] == pytest.approx(2 * Z * se, rel=1e-9)
    assert b["mde"] == pytest.approx((Z + stats.norm.ppf(0.8)) * se0, rel=1e-9)
    assert out.attrs["comparisons"] == 1 and b["p_adjusted"] == b["p_value"]


def test_verdicts_in_both_languages():
    out = compare_groups(
        _rates([("A", 40, 1000), ("B", 61, 1000)]),
        "lead_to_mql_rate",
        group="page",
        control="A",
    )
    en, es = verdicts(out).iloc[1], verdicts(out, lang="es").iloc[1]
    assert en == (
        "B does better than A on Lead→MQL rate: 6.1% vs 4.0%, difference +2.1 pp "
        "(95 % CI +0.2 pp to +4.0 pp), p = 0.032."
    )
    assert es.replace("\xa0", " ") == (
        "B funciona mejor que A en Tasa lead→MQL: 6,1 % frente a 4,0 %, diferencia "
        "+2,1 pp (IC 95 % de +0,2 pp a +4,0 pp), p = 0,032."
    )
    assert verdicts(out).iloc[0] == ""  # the control has no verdict of its own


def test_no_difference_says_what_could_be_seen():
    # 40/1000 vs 45/1000: pooled 0.0425, se0 = 0.009022, p = 0.58, MDE = 2.53 pp
    out = compare_groups(
        _rates([("A", 40, 1000), ("B", 45, 1000)]),
        "lead_to_mql_rate",
        group="page",
        control="A",
    )
    b = out.iloc[1]
    assert b["outcome"] == "no_difference" and not bool(b["significant"])
    assert b["mde"] == pytest.approx(2.801585 * np.sqrt(0.0425 * 0.9575 * 0.002))
    assert verdicts(out).iloc[1] == (
        "No detectable difference in Lead→MQL rate between B and A (4.5% vs 4.0%, "
        "p = 0.579); with these sample sizes only differences above 2.5 pp could be "
        "seen."
    )
    assert b["p_value"] == pytest.approx(
        stats.chi2_contingency([[40, 960], [45, 955]], correction=False)[1]
    )


def test_holm_by_hand():
    # sorted 0.01, 0.03, 0.04 of m = 3: 0.03, max(0.03, 0.06), max(0.06, 0.04)
    assert holm([0.01, 0.04, 0.03, np.nan]).round(10).tolist()[:3] == [0.03, 0.06, 0.06]
    assert np.isnan(holm([0.01, 0.04, 0.03, np.nan])[3])
    assert holm([0.5, 0.9]).tolist() == [1.0, 1.0]  # capped at 1, never below a step
    assert holm([]).tolist() == []


def test_more_than_two_groups_are_holm_corrected_and_said_so():
    frame = _rates([("A", 40, 1000), ("B", 61, 1000), ("C", 45, 1000), ("D", 62, 1000)])
    out = compare_groups(frame, "lead_to_mql_rate", group="page", control="A")
    assert out.attrs["comparisons"] == 3
    p = out["p_value"].to_numpy()[1:]
    assert out["p_adjusted"].to_numpy()[1:] == pytest.approx(holm(p))
    assert (out["p_adjusted"].to_numpy()[1:] >= p).all()
    # B alone would be significant (p 0.032) but not after the correction
    assert out.loc[1, "p_value"] < 0.05 < out.loc[1, "p_adjusted"]
    assert out.loc[1, "outcome"] == "no_difference"
    assert "Holm's correction for 3 comparisons" in verdicts(out).iloc[1]
    assert "corrección de Holm por 3 comparaciones" in verdicts(out, lang="es").iloc[1]
    # groups= picks and orders the comparisons
    picked = compare_groups(
        frame, "lead_to_mql_rate", group="page", control="A", groups=["D", "B"]
    )
    assert picked["page"].tolist() == ["A", "D", "B"]
    assert picked.attrs["comparisons"] == 2


def test_a_group_below_30_observations_gets_no_verdict():
    out = compare_groups(
        _rates([("A", 40, 1000), ("B", 10, 29), ("C", 10, 30)]),
        "lead_to_mql_rate",
        group="page",
        control="A",
    )
    small, enough = out.iloc[1], out.iloc[2]
    assert small["outcome"] == "too_small"
    assert np.isnan(small["p_value"]) and np.isnan(small["mde"])
    assert np.isnan(small["ci_low"]) and pd.isna(small["significant"])
    assert "fewer than 30" in small["reason"]
    assert np.isfinite(enough["p_value"]) and enough["outcome"] == "better"
    assert out.attrs["comparisons"] == 1  # the small group is not a test
    assert verdicts(out).iloc[1] == (
        "No verdict for B: 29 observations against 1,000 in A; a comparison needs "
        "at least 30 in each group."
    )
    assert "p =" not in verdicts(out).iloc[1]
    small_control = compare_groups(
        _rates([("A", 5, 20), ("B", 40, 100)]),
        "lead_to_mql_rate",
        group="page",
        control="A",
    )
    assert small_control.loc[1, "outcome"] == "too_small"


def test_one_group_is_not_an_experiment():
    out = compare_groups(
        _rates([("A", 40, 1000)]), "lead_to_mql_rate", group="page", control="A"
    )
    assert out["outcome"].tolist() == ["one_group"]
    assert out["p_value"].isna().all()
    assert verdict_notes(out).data == (
        "- No verdict: an experiment needs at least two groups with data, and only A "
        "has any."
    )
    assert "solo A los tiene" in verdict_notes(out, lang="es").data


def test_cost_kpi_tested_by_the_intervals():
    # A: 12,000 € for 200 leads (60 €), B: 9,000 € for 200 leads (45 €)
    frame = _costs([("A", 12_000, 200), ("B", 9_000, 200)])
    out = compare_groups(frame, "cost_per_lead", group="campaign", control="A")
    b = out.iloc[1]
    lo, hi = cost_per_count_interval(np.array([12_000, 9_000.0]), np.array([200, 200]))
    se = np.sqrt(((hi - lo) / (2 * Z)) ** 2 @ np.ones(2))
    assert b["test"] == "intervals"
    assert b["difference"] == pytest.approx(-15.0)
    assert b["p_value"] == pytest.approx(2 * stats.norm.sf(15.0 / se))
    assert b["mde"] == pytest.approx((Z + stats.norm.ppf(0.8)) * se)
    assert b["outcome"] == "better"  # lower is better for a cost
    assert b["ci_low"] == pytest.approx(-15.0 - Z * se)
    sentence = verdicts(out).iloc[1]
    assert sentence.startswith(
        "B does better than A on Cost per lead: €45.00 vs €60.00, difference −€15.00 "
    )
    worse = compare_groups(frame, "cost_per_lead", group="campaign", control="B")
    assert worse.loc[1, "outcome"] == "worse"


def test_a_group_without_a_value_is_unavailable():
    frame = _costs([("A", 12_000, 200), ("B", 9_000, 200)])
    frame.loc[1, ["value", "ci_low", "ci_high"]] = np.nan
    frame.loc[1, "reason"] = "the spend table has no rows for campaign 'B'"
    out = compare_groups(frame, "cost_per_lead", group="campaign", control="A")
    assert out.loc[1, "outcome"] == "unavailable"
    assert verdicts(out).iloc[1] == (
        "No verdict for B: the spend table has no rows for campaign 'B'."
    )


def test_bad_arguments_name_what_is_wrong():
    frame = _rates([("A", 40, 1000), ("B", 61, 1000)])
    with pytest.raises(
        ArgumentError,
        match=r"control='a' is not a page with data.*"
        r"did you mean 'A'",
    ):
        compare_groups(frame, "lead_to_mql_rate", group="page", control="a")
    with pytest.raises(ArgumentError, match="groups='Z'"):
        compare_groups(
            frame, "lead_to_mql_rate", group="page", control="A", groups=["Z"]
        )
    with pytest.raises(ArgumentError, match="kpi='lead_to_mql_rat'"):
        compare_groups(frame, "lead_to_mql_rat", group="page", control="A")
    with pytest.raises(ArgumentError, match="group='pages'"):
        compare_groups(frame, "lead_to_mql_rate", group="pages", control="A")
    with pytest.raises(ArgumentError, match="level must be between 0 and 1"):
        compare_groups(frame, "lead_to_mql_rate", group="page", control="A", level=95)
    with pytest.raises(ArgumentError, match="power must be between 0 and 1"):
        compare_groups(frame, "lead_to_mql_rate", group="page", control="A", power=80)
    counts = frame.assign(kpi="leads", unit="count")
    with pytest.raises(ArgumentError, match="'leads' is a count"):
        compare_groups(counts, "leads", group="page", control="A")
    cut = frame.assign(channel=["x", "y"])[["channel", *frame.columns]]
    cut = cut[["page", "channel", *frame.columns[1:]]]
    with pytest.raises(ArgumentError, match="also cut by channel"):
        compare_groups(cut, "lead_to_mql_rate", group="page", control="A")
    with pytest.raises(ArgumentError, match="takes LeadData or"):
        compare_groups([1, 2], "lead_to_mql_rate", group="page", control="A")


def _nurtured() -> LeadData:
    """80 leads: 40 nurtured (20 became MQLs), 40 not (8 became MQLs)."""
    created = pd.Timestamp("2025-03-03T10:00Z") + pd.to_timedelta(
        np.arange(80), unit="h"
    )
    nurtured = np.arange(80) < 40
    mql = np.r_[np.arange(40) < 20, np.arange(40) < 8]
    return LeadData(
        leads=pd.DataFrame(
            {
                "lead_id": [f"L{i}" for i in range(80)],
                "created_at": created,
                "nurtured": nurtured,
                "mql_at": pd.Series(created + pd.Timedelta(days=1)).where(mql),
            }
        )
    )


def test_leaddata_and_a_boolean_column():
    data = _nurtured()
    out = compare_groups(data, "lead_to_mql_rate", group="nurtured", control=False)
    assert out["nurtured"].tolist() == ["False", "True"]
    assert out["value"].tolist() == [0.2, 0.5]
    assert out["n"].tolist() == [40, 40]
    p = stats.chi2_contingency([[8, 32], [20, 20]], correction=False)[1]
    assert out.loc[1, "p_value"] == pytest.approx(p)
    assert out.loc[1, "outcome"] == "better"
    # the same from a result computed beforehand
    result = compute(data, ["lead_to_mql_rate"], by=("nurtured",))
    again = compare_groups(result, "lead_to_mql_rate", group="nurtured", control=False)
    pd.testing.assert_frame_equal(out, again)


def test_the_table_shows_every_group():
    out = compare_groups(
        _rates([("A", 40, 1000), ("<b>B</b>", 61, 1000)]),
        "lead_to_mql_rate",
        group="page",
        control="A",
    )
    styler = experiment_table(out)
    assert styler.data.iloc[1].tolist() == [
        "<b>B</b>",
        "6.1%",
        "1,000",
        "+2.1 pp",
        "+0.2 pp – +4.0 pp",
        "0.032",
        "2.7 pp",
        "better",
    ]
    html = styler.to_html()
    assert "&lt;b&gt;B&lt;/b&gt;" in html and "<b>B</b>" not in html
    es = experiment_table(out, lang="es").data
    assert es.iloc[1, -1] == "mejor" and "Diferencia detectable" in es.columns
    assert set(out["outcome"]) <= set(OUTCOMES)


def test_format_difference():
    assert format_difference(-0.0214, "fraction") == "−2.1 pp"
    assert format_difference(0.0214, "fraction", lang="es") == "+2,1 pp"
    assert format_difference(0.0214, "fraction", signed=False) == "2.1 pp"
    assert format_difference(np.nan, "currency") == "–"
    assert format_difference(3600.0, "seconds") == "+1 h"


_GROUP = st.tuples(st.integers(0, 500), st.integers(30, 2_000)).filter(
    lambda t: t[0] <= t[1]
)


@settings(max_examples=60, deadline=None)
@given(a=_GROUP, b=_GROUP)
def test_swapping_groups_flips_the_sign(a, b):
    frame = _rates([("A", *a), ("B", *b)])
    ab = compare_groups(frame, "lead_to_mql_rate", group="page", control="A").iloc[1]
    ba = compare_groups(frame, "lead_to_mql_rate", group="page", control="B").iloc[1]
    assert ab["difference"] == pytest.approx(-ba["difference"], abs=1e-12)
    np.testing.assert_allclose(
        [ab["p_value"], ab["mde"], ab["ci_low"]],
        [ba["p_value"], ba["mde"], -ba["ci_high"]],
        atol=1e-12,
    )


@settings(max_examples=60, deadline=None)
@given(a=_GROUP, b=_GROUP, k=st.integers(2, 20))
def test_mde_decreases_as_n_grows(a, b, k):
    small = _rates([("A", *a), ("B", *b)])
    large = _rates([("A", a[0] * k, a[1] * k), ("B", b[0] * k, b[1] * k)])
    mde = [
        compare_groups(f, "lead_to_mql_rate", group="page", control="A").loc[1, "mde"]
        for f in (small, large)
    ]
    if a[0] + b[0] in (0, a[1] + b[1]):  # no variation at all: nothing to detect
        assert mde[0] == mde[1] == 0 or np.isnan(mde).all()
    else:
        assert mde[1] < mde[0]
        assert mde[1] == pytest.approx(mde[0] / np.sqrt(k))


def test_experiment_report_notebook(root):
    import nbformat
    import papermill

    from leadkpi.cli import REPORTS

    assert REPORTS["experiment"] == "experiment.ipynb"
    path = root / "notebooks" / "experiment.ipynb"
    parameters = papermill.inspect_notebook(str(path))
    assert {"month", "config", "lang", "kpi", "group", "control", "variants"} <= set(
        parameters
    )
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "def " not in code and "class " not in code
    assert "leadkpi.compare_groups(" in code
