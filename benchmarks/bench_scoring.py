"""Time of lead scoring: a 30-rule scorecard, fitting the model, evaluating scores.

The leads and touches of the bundled sample are repeated (each copy with its own
lead ids) up to the sizes asked, so that the attributes and engagement are those of
real-looking exports. Figures, best of ``--runs``:

- ``score`` with a 30-rule scorecard (10 built-in rules + 20 more on country,
  channel, industry, size and touch types) on ``--leads`` leads (target < 1 s on
  1,000,000),
- ``LeadScorer.fit`` on ``--fit`` leads' features (target < 30 s on 200,000),
- ``evaluate`` on ``--leads`` random scores and labels (target < 0.5 s on 1,000,000).

Run on demand, not by pytest::

    python benchmarks/bench_scoring.py                       # 1M / 200k
    python benchmarks/bench_scoring.py --leads 100000 --fit 20000 --runs 1
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_speed import best  # noqa: E402

import leadkpi  # noqa: E402
from leadkpi.data import LeadData  # noqa: E402
from leadkpi.scoring import evaluate, lead_features, load_scorecard, score  # noqa: E402
from leadkpi.scoring.model import LeadScorer  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def repeated(data: LeadData, n: int) -> LeadData:
    """The sample's leads (and their touches) repeated up to ``n`` leads."""
    leads, touches = data.leads, data.touches
    copies = -(-n // len(leads))
    copy = np.repeat(np.arange(copies), len(leads))[:n]
    rows = np.tile(np.arange(len(leads)), copies)[:n]
    suffix = pd.Series(copy).astype(str).to_numpy()
    big = leads.iloc[rows].reset_index(drop=True)
    big["lead_id"] = big["lead_id"].to_numpy(dtype=object) + "-" + suffix
    t_copies = np.repeat(np.arange(copies), len(touches))
    t_rows = np.tile(np.arange(len(touches)), copies)
    big_touches = touches.iloc[t_rows].reset_index(drop=True)
    big_touches["lead_id"] = (
        big_touches["lead_id"].to_numpy(dtype=object)
        + "-"
        + pd.Series(t_copies).astype(str).to_numpy()
    )
    return data.with_tables(leads=big, touches=big_touches)


def thirty_rules() -> dict:
    card = load_scorecard()
    rules = [{k: v for k, v in vars(r).items() if v is not None} for r in card.rules]
    rules = [{**r, "values": list(r["values"])} if "values" in r else r for r in rules]
    extra = (
        [("country", c, 3) for c in ("ES", "PT", "FR", "DE", "IT", "NL")]
        + [("channel", c, 5) for c in ("events", "referral", "paid_search")]
        + [("channel", "paid_social", -5)]
        + [("industry", c, 4) for c in ("Logistics", "Manufacturing", "Retail")]
        + [("industry", c, -5) for c in ("Education", "Hospitality")]
        + [("company_size", "1-10", -5)]
    )
    rules += [
        {"name": f"{col}_{val}", "column": col, "values": [val], "points": pts}
        for col, val, pts in extra
    ]
    rules += [
        {"name": "direct_visit", "touch": "direct_visit", "points": 2},
        {"name": "organic_visit", "touch": "organic_visit", "points": 2},
        {"name": "referral_visit", "touch": "referral_visit", "points": 4},
        {"name": "ad_click", "touch": "ad_click", "points": 1, "max_points": 3},
    ]
    assert len(rules) == 30, len(rules)
    return {"threshold": card.threshold, "half_life_days": 30, "rules": rules}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--fit", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    sample = leadkpi.load(ROOT / "leadkpi.yaml")
    card = load_scorecard(thirty_rules())

    data = repeated(sample, args.leads)
    seconds, scores = best(lambda: score(data, card), args.runs)
    print(f"score, 30 rules, {args.leads:,} leads "
          f"({len(data.touches):,} touches): {seconds:.3f} s")  # fmt: skip

    # about 30 % of the sample is too recent to have a label: repeat enough of it
    features = lead_features(repeated(sample, int(args.fit / 0.6) + 1))
    X, y = features.X.iloc[: args.fit], features.y[: args.fit]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        seconds, _ = best(lambda: LeadScorer().fit(X, y), max(1, args.runs - 2))
    print(f"LeadScorer.fit, {len(X):,} leads x {X.shape[1]} columns: {seconds:.3f} s")

    rng = np.random.default_rng(7)
    p = rng.random(args.leads)
    label = (rng.random(args.leads) < p * 0.2).astype("int8")
    seconds, result = best(lambda: evaluate(label, p), args.runs)
    print(f"evaluate, {args.leads:,} scores: {seconds:.3f} s (AUC {result.auc:.3f})")


if __name__ == "__main__":
    main()
