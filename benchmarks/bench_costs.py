"""Time of the cost base: allocating the costs table and full-cost CAC.

Builds the synthetic leads and spend of ``bench_engine.py`` (passed as already
loaded) and a costs table of ``--cost-rows`` rows over the same months: a third with
a channel, the rest shared ``by_leads``, ``by_spend`` or ``evenly``. Then times, best
of ``--runs``:

- ``allocate_costs`` (one merge of the cost rows with the month × channel weights),
- ``compute(["cac", "paid_cac", "total_cost"], by=("month", "channel"))``, beside
  the same call for ``paid_cac`` alone (what the costs table adds).

Run on demand, not by pytest::

    python benchmarks/bench_costs.py                      # 1M leads, 10,000 cost rows
    python benchmarks/bench_costs.py --leads 100000 --runs 3
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engine import CHANNELS, as_loaded, build_tables  # noqa: E402
from bench_speed import best  # noqa: E402


def cost_table(months: pd.DatetimeIndex, rows: int, seed: int = 2) -> pd.DataFrame:
    """``rows`` cost rows spread over ``months`` (typed, as loaded)."""
    rng = np.random.default_rng(seed)
    fixed = rng.random(rows) < 1 / 3
    rule = np.array(["by_leads", "by_spend", "evenly"], dtype=object)
    return pd.DataFrame(
        {
            "month": months[rng.integers(0, len(months), rows)].to_numpy(),
            "amount": rng.lognormal(7, 1, rows).round(2),
            "category": np.array(["tool", "agency", "salary", "event", "other"])[
                rng.integers(0, 5, rows)
            ],
            "channel": pd.Series(
                np.where(fixed, CHANNELS[rng.integers(0, len(CHANNELS), rows)], None),
                dtype="str",
            ),
            "allocation": pd.Series(
                np.where(fixed, None, rule[rng.integers(0, 3, rows)]), dtype="str"
            ),
        }
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--cost-rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    from leadkpi import allocate_costs, compute

    tables = build_tables(args.leads, args.leads // 20, 1, 1)
    spend = tables["spend"]
    tables = {"leads": tables["leads"], "spend": spend}
    months = pd.date_range(spend["date"].min(), spend["date"].max(), freq="MS")
    tables["costs"] = cost_table(months, args.cost_rows)
    data = as_loaded(tables)
    print(
        f"{args.leads:,} leads, {len(spend):,} spend rows, "
        f"{args.cost_rows:,} cost rows over {len(months)} months; best of {args.runs}"
    )
    seconds, allocated = best(lambda: allocate_costs(data), args.runs)
    print(f"allocate_costs: {seconds:.3f} s ({len(allocated):,} rows allocated)")
    by = ("month", "channel")
    full, _ = best(
        lambda: compute(data, ["cac", "paid_cac", "total_cost"], by=by), args.runs
    )
    paid, _ = best(lambda: compute(data, ["paid_cac"], by=by), args.runs)
    print(f"compute cac, paid_cac, total_cost by month x channel: {full:.3f} s")
    print(f"compute paid_cac alone by month x channel: {paid:.3f} s")


if __name__ == "__main__":
    main()
