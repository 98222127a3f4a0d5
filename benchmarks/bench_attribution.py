"""Time of multi-touch attribution on synthetic leads and touches.

Builds the synthetic leads of ``bench_engine.py`` and about four touches per lead
(visits before creation, the creation touch, nurture touches after it), passed as
already loaded so validation is not part of the figures. Then times, best of
``--runs``, side by side:

- ``journeys`` (touches + leads → each lead's ordered touches to the win),
- every rule model and first-order Markov on those journeys (``attribute``),
- the whole pipeline above (target: under 5 s for 1,000,000 leads / 4,000,000
  touches),
- ``path_table`` (distinct paths), beside a plain pandas groupby-join of the same
  path text,
- exact first-order Markov on the path table, beside ChannelAttribution's sampled
  ``markov_model`` at its defaults when it is installed (GPL-3: a benchmark-only
  peer, never a leadkpi dependency); the ratio is printed.

Run on demand, not by pytest::

    python benchmarks/bench_attribution.py                    # 1M leads
    python benchmarks/bench_attribution.py --leads 100000 --runs 3
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engine import as_loaded, build_tables  # noqa: E402
from bench_speed import best  # noqa: E402

from leadkpi.attribution import attribute, journeys, path_table  # noqa: E402
from leadkpi.attribution.rules import RULES  # noqa: E402

CHANNELS = np.array(
    ["direct", "display", "email", "events", "organic_search", "organic_social",
     "paid_search", "paid_social", "referral"]
)  # fmt: skip
DAY = 86_400 * 10**9


def build_touches(leads: pd.DataFrame, seed: int = 2) -> pd.DataFrame:
    """About four touches per lead: Poisson(1.5) visits in the 60 days before
    creation, the creation touch, Poisson(1.5) nurture touches in the 90 after."""
    rng = np.random.default_rng(seed)
    n = len(leads)
    created = leads["created_at"].array.as_unit("ns").asi8
    before, after = rng.poisson(1.5, n), rng.poisson(1.5, n)
    lead = np.concatenate(
        [np.repeat(np.arange(n), before), np.arange(n), np.repeat(np.arange(n), after)]
    )
    offset = np.concatenate(
        [
            -rng.random(before.sum()) * 60 * DAY,
            np.zeros(n),
            rng.random(after.sum()) * 90 * DAY,
        ]
    )
    weights = np.array([0.06, 0.08, 0.25, 0.05, 0.2, 0.04, 0.16, 0.12, 0.04])
    channel = rng.choice(len(CHANNELS), len(lead), p=weights)
    campaign = channel * 3 + rng.integers(0, 3, len(lead))
    return pd.DataFrame(
        {
            "lead_id": leads["lead_id"].to_numpy()[lead],
            "touched_at": pd.to_datetime(created[lead] + offset.astype("int64"),
                                         utc=True),
            "channel": pd.Series(CHANNELS[channel], dtype="str"),
            "campaign": pd.Series(
                np.char.add("c", campaign.astype(str)), dtype="str"
            ),
        }
    )


def naive_paths(frame: pd.DataFrame) -> pd.DataFrame:
    """The path table as a plain pandas groupby-join (for comparison)."""
    first = frame[frame["step"] == 0]
    text = frame["channel"].astype(str).groupby(frame["journey"]).agg(" > ".join)
    table = pd.DataFrame(
        {
            "path": text.to_numpy(),
            "conversions": first["converted"].to_numpy(dtype=float),
            "value": first["value"].to_numpy(),
        }
    )
    table["nulls"] = 1.0 - table["conversions"]
    return table.groupby("path", as_index=False).sum()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000, help="lead count")
    parser.add_argument("--runs", type=int, default=3, help="timed runs (best kept)")
    args = parser.parse_args(argv)

    tables = build_tables(args.leads, 10, 10, 10)
    leads = tables["leads"]
    touches = build_touches(leads)
    data = as_loaded({"leads": leads, "touches": touches})
    models = [*RULES, "markov_1"]
    print(f"{len(data.leads):,} leads, {len(data.touches):,} touches")

    def pipeline():
        return attribute(journeys(data, lookback_days=90), models=models)

    t_journeys, frame = best(lambda: journeys(data, lookback_days=90), args.runs)
    print(
        f"journeys: {t_journeys:7.3f} s  ({len(frame):,} touches kept, "
        f"{frame['journey'].iloc[-1] + 1:,} journeys)"
    )
    t_models, credit = best(lambda: attribute(frame, models=models), args.runs)
    print(f"7 rule models + Markov order 1: {t_models:7.3f} s")
    for model in models:
        t_one, _ = best(lambda m=model: attribute(frame, models=m), args.runs)
        print(f"  {model:<16} {t_one:7.3f} s")
    t_all, _ = best(pipeline, args.runs)
    cpu = time.process_time()
    pipeline()
    cpu = time.process_time() - cpu
    print(f"pipeline touches → journeys → all rule models + Markov: {t_all:7.3f} s "
          f"wall, {cpu:.3f} s CPU (target < 5 s at 1M leads / 4M touches)")

    t_paths, paths = best(lambda: path_table(frame), args.runs)
    t_naive, naive = best(lambda: naive_paths(frame), 1)
    assert len(naive) == len(paths)
    print(f"path_table: {t_paths:7.3f} s ({len(paths):,} distinct paths); "
          f"pandas groupby-join: {t_naive:7.3f} s")
    t_markov, _ = best(lambda: attribute(paths, models="markov_1"), args.runs)
    print(f"exact Markov order 1 on the path table: {t_markov:7.3f} s")
    for order in (2, 3):
        t_order, _ = best(lambda o=order: attribute(paths, models=f"markov_{o}"), 1)
        print(f"exact Markov order {order} on the path table: {t_order:7.3f} s")
    try:
        import ChannelAttribution as ca
    except ImportError:
        print("ChannelAttribution not installed: no peer timing")
        return
    def peer():
        with contextlib.redirect_stdout(io.StringIO()):
            return ca.markov_model(paths, "path", "conversions", var_value="value",
                                   var_null="nulls", verbose=False, flg_pro=False)
    t_peer, _ = best(peer, 1)
    print(f"ChannelAttribution markov_model (defaults, sampled): {t_peer:7.3f} s; "
          f"ratio peer / leadkpi exact: {t_peer / t_markov:.1f}×")


if __name__ == "__main__":
    main()
