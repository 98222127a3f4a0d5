"""Time of the retention and LTV analyses on synthetic data: the retention matrix,
cohort LTV, pooled retention curves, churn per month and the LTV table, by channel.

The tables are built by ``bench_engine.py`` (one customer per won lead) and wrapped
in :class:`leadkpi.LeadData` *marked as already loaded*, so parsing and validation
are not part of the figures. Each analysis is timed on its own (best of ``--runs``).

Run on demand, not by pytest::

    python benchmarks/bench_retention.py                 # 1,000,000 leads
    python benchmarks/bench_retention.py --leads 200000 --runs 3
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engine import as_loaded, build_tables  # noqa: E402
from bench_speed import best  # noqa: E402

from leadkpi.retention import (  # noqa: E402
    churn_table,
    cohort_ltv,
    ltv_table,
    retention_curve,
    retention_matrix,
)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000, help="lead count")
    parser.add_argument("--runs", type=int, default=3, help="timed runs (best kept)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    data = as_loaded(build_tables(args.leads, 50_000, 20_000, 10_000))
    print(f"{args.leads:,} leads, {len(data.customers):,} customers built in "
          f"{time.perf_counter() - t0:.1f} s (validation excluded)")  # fmt: skip
    jobs: dict[str, Callable[[], object]] = {
        "retention matrix": lambda: retention_matrix(data),
        "retention matrix by channel": lambda: retention_matrix(data, by="channel"),
        "cohort LTV by channel": lambda: cohort_ltv(data, by="channel"),
        "retention curve by channel": lambda: retention_curve(data, by="channel"),
        "churn by month x channel": lambda: churn_table(data, by=("month", "channel")),
        "LTV table by channel": lambda: ltv_table(data),
    }
    print(f"{'analysis':<32} {'seconds':>8} {'rows':>8}")
    for name, function in jobs.items():
        seconds, out = best(function, args.runs)
        print(f"{name:<32} {seconds:>8.2f} {len(out):>8,}")


if __name__ == "__main__":
    main()
