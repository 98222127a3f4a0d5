"""Scorecard, features, leakage guard, model and scores back into the KPIs."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

import leadkpi
from leadkpi import LeadData
from leadkpi.exceptions import ArgumentError
from leadkpi.scoring import (
    LeadScorer,
    LeakageWarning,
    ScorecardError,
    band_kpis,
    check_leakage,
    evaluate,
    labelled_frame,
    lead_features,
    load_scorecard,
    score,
    split,
    with_scores,
)


def _leads() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lead_id": ["a", "b", "c", "d"],
            "created_at": ["2025-03-01T10:00:00Z"] * 4,
            "job_title": [" ceo ", "Student", None, "CEO"],
            "company_size": ["51-200", "1-10", "51-200", "--"],
            "employees": [120, 5, None, 800],
            "landing_page": ["/precios?x=1", "/blog", "/PRECIOS", None],
            "mql_at": [None, None, "2025-03-02T10:00:00Z", None],
        }
    )


def _touches() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lead_id": ["a", "a", "a", "c", "c", "b"],
            "touched_at": [
                "2025-03-01T10:00:00Z",  # a: at creation, 7 days before its point
                "2025-03-08T10:00:00Z",  # a: at its qualification point
                "2025-03-09T10:00:00Z",  # a: after it: never counted
                "2025-03-01T12:00:00Z",  # c: before its MQL
                "2025-03-03T10:00:00Z",  # c: after its MQL: not counted
                "2025-03-02T10:00:00Z",
            ],
            "channel": ["events"] * 6,
            "campaign": ["w"] * 6,
            "touch_type": ["webinar", "Webinar", "webinar", "webinar", "webinar", "x"],
        }
    )


CARD = {
    "threshold": 25,
    "half_life_days": 7,
    "rules": [
        {"name": "ceo", "column": "job_title", "values": ["CEO"], "points": 20},
        {"name": "student", "column": "job_title", "values": "student", "points": -10},
        {"name": "mid", "column": "company_size", "values": ["51-200"], "points": 10},
        {"name": "big", "column": "employees", "range": [100, None], "points": 5},
        {"name": "pricing", "column": "landing_page", "contains": "/Precios",
         "points": 3},
        {"name": "webinar", "touch": "webinar", "points": 8, "max_points": 10},
    ],
}  # fmt: skip


def test_scorecard_by_hand_rule_by_rule():
    data = LeadData(leads=_leads(), touches=_touches())
    got = score(data, CARD)
    # a: webinar 7 days old (8 * 0.5 = 4) + one at its point (8) = 12, capped at 10
    # c: one webinar 2 h before its MQL at 24 h: 8 * 0.5 ** (22 / 24 / 7)
    webinar_c = 8 * 0.5 ** ((22 / 24) / 7)
    expected = pd.DataFrame(
        {
            "lead_id": ["a", "b", "c", "d"],
            "score": [20 + 10 + 5 + 3 + 10, -10.0, 10 + 3 + webinar_c, 20 + 5.0],
            "mql": [True, False, False, True],
            "ceo": [20.0, 0, 0, 20],
            "student": [0.0, -10, 0, 0],
            "mid": [10.0, 0, 10, 0],
            "big": [5.0, 0, 0, 5],
            "pricing": [3.0, 0, 3, 0],
            "webinar": [10.0, 0, webinar_c, 0],
        }
    )
    pd.testing.assert_frame_equal(got, expected)


def test_scorecard_on_a_plain_frame_without_touch_rules():
    card = {**CARD, "rules": CARD["rules"][:2]}
    got = score(_leads(), card)
    assert got["score"].tolist() == [20, -10, 0, 20]


def test_rule_naming_a_missing_column_names_rule_and_column():
    rule = {"name": "seniority", "column": "job_level", "values": ["VP"], "points": 5}
    message = "rule 'seniority' uses the column 'job_level'"
    with pytest.raises(ScorecardError, match=message):
        score(_leads(), {"threshold": 1, "rules": [rule]})


def test_touch_rule_without_touches_is_refused():
    with pytest.raises(ScorecardError, match="rule 'webinar' counts touches"):
        score(_leads(), CARD)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"name": "x", "points": 1}, "exactly one of values"),
        ({"name": "x", "values": ["a"], "points": 1}, "needs a column"),
        ({"name": "x", "column": "a", "values": ["a"]}, "no points"),
        ({"name": "x", "column": "a", "value": "a", "points": 1}, "unknown key"),
    ],
)
def test_malformed_rules(rule, message):
    with pytest.raises(ScorecardError, match=message):
        load_scorecard({"threshold": 1, "rules": [rule]})


def test_scorecard_from_yaml_file_and_config_section(tmp_path):
    path = tmp_path / "leadkpi.yaml"
    path.write_text(
        "name: x\nscorecard:\n  threshold: 3\n  rules:\n"
        "    - {name: r, column: industry, values: [Retail], points: 3}\n",
        encoding="utf-8",
    )
    card = load_scorecard(path)
    assert (card.threshold, card.names, card.rules[0].values) == (3, ["r"], ("Retail",))


# --- features and the time split ------------------------------------------------


def _history() -> LeadData:
    leads = pd.DataFrame(
        {
            "lead_id": list("abcdef"),
            "created_at": pd.date_range("2025-01-01", periods=6, freq="30D", tz="UTC"),
            "industry": ["Retail", "retail ", "Software", "Select", "Software", "x"],
            "lifecycle_stage": ["customer", "lead", "customer", "lead", "lead", "lead"],
        }
    )
    leads["won_at"] = leads["created_at"] + pd.to_timedelta(
        [10, np.nan, 200, np.nan, 5, np.nan], unit="D"
    )
    leads["mql_at"] = leads["created_at"] + pd.Timedelta(days=2)
    touches = pd.DataFrame(
        {
            "lead_id": ["a", "a", "b"],
            "touched_at": [
                "2025-01-02T00:00:00Z",
                "2025-01-04T00:00:00Z",
                "2025-02-01T00:00:00Z",
            ],
            "channel": "email",
            "campaign": "n",
            "touch_type": ["email_click"] * 3,
        }
    )
    return LeadData(leads=leads, touches=touches)


def test_features_label_horizon_and_engagement_cut():
    leadset = lead_features(
        _history(), within_days=100, engagement_days=7, as_of="2025-08-30"
    )
    # f (created on day 150, as_of is day 241) is too recent for a 100-day horizon
    assert leadset.lead_id.tolist() == list("abcde")
    assert leadset.immature == 1
    # c converted after 200 days: outside the horizon
    assert leadset.y.tolist() == [1, 0, 0, 0, 1]
    # a's second touch (day 3) is after its MQL (day 2): not counted
    assert leadset.X["touches_email_click"].tolist() == [1, 1, 0, 0, 0]
    assert "lifecycle_stage" not in leadset.X  # filled in by sales
    assert "won_at" not in leadset.X and "mql_at" not in leadset.X
    assert set(leadset.excluded["column"]) >= {"lifecycle_stage", "won_at", "lead_id"}


def test_time_split_keeps_the_latest_leads_for_testing():
    leadset = lead_features(_history(), within_days=100, as_of="2025-08-30")
    train, test = split(leadset, test_share=0.4)
    assert train.lead_id.tolist() == ["a", "b", "c"]
    assert test.lead_id.tolist() == ["d", "e"]


def test_a_frame_without_dates_splits_at_random_by_class():
    frame = pd.DataFrame({"size": range(20), "won": ["yes", "no"] * 10})
    train, test = split(labelled_frame(frame, "won"), test_share=0.3)
    assert (len(train), len(test)) == (14, 6)
    assert test.y.sum() == 3
    assert train.created_at is None


# --- leakage guard --------------------------------------------------------------


def test_leakage_guard_names_each_too_good_feature():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 400)
    X = pd.DataFrame(
        {
            "industry": rng.choice(["a", "b", "c"], 400),
            "lead_quality": np.where(y == 1, "Hot", "Cold"),
            "sales_notes_length": y * 100 + rng.integers(0, 5, 400),
        }
    )
    table = check_leakage(X, y)
    assert table.loc[table["suspicious"], "feature"].tolist() == [
        "lead_quality",
        "sales_notes_length",
    ]
    with pytest.warns(LeakageWarning) as caught:
        LeadScorer().fit(X, y)
    named = sorted(str(w.message).split("'")[1] for w in caught)
    assert named == ["lead_quality", "sales_notes_length"]


def test_sample_lifecycle_stage_is_caught_when_not_excluded(sample):
    leadset = lead_features(sample, exclude=())
    table = check_leakage(leadset.X, leadset.y)
    flagged = table.loc[table["suspicious"], "feature"].tolist()
    assert "lifecycle_stage" in flagged
    honest = lead_features(sample)
    assert not check_leakage(honest.X, honest.y)["suspicious"].any()


# --- the estimator --------------------------------------------------------------


def _crm_frame(n: int = 600, seed: int = 0) -> pd.DataFrame:
    """A labelled CRM export without dates: form placeholders, case variants."""
    rng = np.random.default_rng(seed)
    industry = rng.choice(["Software", "SOFTWARE ", "Retail", "Select", "--"], n)
    visits = rng.pareto(1.2, n).round()  # heavy-tailed counts
    logit = (
        -1.5
        + 1.5 * np.isin(industry, ["Software", "SOFTWARE "])
        + 0.3 * np.log1p(visits)
    )
    won = rng.random(n) < 1 / (1 + np.exp(-logit))
    return pd.DataFrame({"Industry": industry, "Visits": visits.astype(str),
                         "Converted": np.where(won, "Yes", "No")})  # fmt: skip


def test_estimator_follows_scikit_learn_conventions():
    leadset = labelled_frame(_crm_frame(), "Converted")
    model = LeadScorer(C=0.5)
    assert clone(model).get_params()["C"] == 0.5
    assert not [a for a in vars(model) if a.endswith("_")]  # nothing learned yet
    assert model.fit(leadset.X, leadset.y) is model
    proba = model.predict_proba(leadset.X)
    assert proba.shape == (600, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert list(model.classes_) == [0, 1]
    pipe = make_pipeline(FunctionTransformer(lambda x: x), LeadScorer())
    scores = cross_val_score(pipe, leadset.X, leadset.y, cv=3, scoring="roc_auc")
    assert scores.mean() > 0.6


def test_estimator_cleans_placeholders_case_and_unseen_categories():
    leadset = labelled_frame(_crm_frame(), "Converted")
    model = LeadScorer().fit(leadset.X, leadset.y)
    names = set(model.coefficients()["feature"])
    assert "Industry=software" in names  # "Software" and "SOFTWARE " are one
    assert "Industry=select" not in names and "Industry=--" not in names
    assert "Visits" in names  # numbers in text, read as numbers
    new = pd.DataFrame({"Industry": ["Mining", "Please select", "software"],
                        "Visits": ["3", "", "1"]})  # fmt: skip
    p = model.predict_proba(new)[:, 1]
    missing = model.predict_proba(pd.DataFrame({"Industry": ["--"], "Visits": ["1"]}))
    assert p[1] == pytest.approx(
        model.predict_proba(pd.DataFrame({"Industry": ["n/a"], "Visits": [""]}))[0, 1]
    )
    assert p[2] > missing[0, 1]


def test_single_class_and_bad_labels_are_refused():
    X = pd.DataFrame({"a": ["x", "y", "z"]})
    with pytest.raises(ArgumentError, match=r"single class \(0\) in 3 leads"):
        LeadScorer().fit(X, [0, 0, 0])
    with pytest.raises(ArgumentError, match=r"found 'Won', 'lost'"):
        LeadScorer().fit(X, ["Won", "lost", "no"])


# --- on the sample, and back into the KPIs ---------------------------------------


@pytest.fixture(scope="module")
def sample() -> LeadData:
    return leadkpi.load("leadkpi.yaml")


def test_model_beats_the_scorecard_on_the_sample(sample):
    train, test = split(lead_features(sample))
    with warnings.catch_warnings():
        warnings.simplefilter("error", LeakageWarning)
        model = LeadScorer().fit(train.X, train.y)
    card = score(sample).set_index("lead_id")["score"]
    by_model = evaluate(test.y, model.predict_proba(test.X)[:, 1])
    by_card = evaluate(test.y, card.reindex(test.lead_id).to_numpy())
    assert by_model.auc > by_card.auc + 0.05
    assert by_model.top_decile_lift > by_card.top_decile_lift
    assert by_model.auc > 0.7


def test_scores_by_band_through_the_engine(sample):
    scores = score(sample)
    view = with_scores(sample, scores, threshold=40, bands=[30, 40])
    leads = view.leads
    # MQLs under the new threshold: 40 points or more, or a later stage reached
    later = leads[["sql_at", "opportunity_at", "won_at"]].notna().any(axis=1)
    expected_mqls = int(((leads["score"] >= 40) | later).sum())
    table = band_kpis(
        sample, ["leads", "avg_lead_score", "mqls", "mql_to_sql_rate"],
        scores=scores, threshold=40, bands=[30, 40], by=(),
    )  # fmt: skip
    assert table["score_band"].unique().tolist() == ["≥ 40", "30–40", "< 30"]
    mqls = table[table["kpi"] == "mqls"]
    assert mqls["value"].sum() == expected_mqls
    top = table[(table["score_band"] == "≥ 40")].set_index("kpi")["value"]
    in_top = leads["score"] >= 40
    assert top["leads"] == in_top.sum()
    assert top["avg_lead_score"] == pytest.approx(leads.loc[in_top, "score"].mean())
    assert top["mqls"] == in_top.sum()  # every lead of the top band is an MQL
    sqls = leads.loc[in_top, "sql_at"].notna().sum()
    assert top["mql_to_sql_rate"] == pytest.approx(sqls / in_top.sum())
