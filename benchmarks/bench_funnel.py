"""Time of the funnel analyses on synthetic leads: the funnel table by month ×
channel, the cohort conversion matrix, time between stages and the time-to-stage
curve.

The tables are built with numpy exactly as ``bench_engine.py`` builds them and wrapped
in :class:`leadkpi.LeadData` *marked as already loaded*, so parsing and validation are
not part of the figures. Each analysis is timed on its own (best of ``--runs``), and
the total of the targeted ones is compared with the 3 s target: funnel by month ×
channel + cohort matrix + time between stages.

Time between stages is timed as :func:`leadkpi.funnel.stage_durations` (every
consecutive pair of stages) by month × channel.

Run on demand, not by pytest::

    python benchmarks/bench_funnel.py                 # 1,000,000 leads
    python benchmarks/bench_funnel.py --leads 200000 --runs 3
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engine import as_loaded, build_tables  # noqa: E402
from bench_speed import best  # noqa: E402

from leadkpi.funnel import (  # noqa: E402
    cohort_matrix,
    funnel,
    stage_durations,
    time_to_stage,
)

TARGET_S = 3.0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000, help="lead count")
    parser.add_argument("--runs", type=int, default=2, help="timed runs (best kept)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    data = as_loaded(build_tables(args.leads, 50_000, 20_000, 10_000))
    print(f"{args.leads:,} leads built in {time.perf_counter() - t0:.1f} s "
          "(validation excluded: tables passed as loaded)")  # fmt: skip
    jobs: dict[str, tuple[Callable[[], pd.DataFrame], bool]] = {
        "funnel by month x channel": (
            lambda: funnel(data, by=("month", "channel")),
            True,
        ),
        "cohort matrix (customer)": (lambda: cohort_matrix(data), True),
        "time between stages, month x ch.": (
            lambda: stage_durations(data, by=("month", "channel")),
            True,
        ),
        "cohort matrix by channel": (
            lambda: cohort_matrix(data, by=("channel",)),
            False,
        ),
        "time to stage (customer)": (lambda: time_to_stage(data), False),
        "time to stage, lost competing": (
            lambda: time_to_stage(data, competing="lost_at", by=("channel",)),
            False,
        ),
    }
    print(f"{'analysis':<32} {'seconds':>8} {'rows':>8} {'target':>7}")
    total = 0.0
    for name, (function, targeted) in jobs.items():
        seconds, out = best(function, args.runs)
        total += seconds if targeted else 0.0
        mark = "yes" if targeted else ""
        print(f"{name:<32} {seconds:>8.2f} {len(out):>8,} {mark:>7}")
    verdict = "within" if total < TARGET_S else "over"
    print(f"{'total of the targeted':<32} {total:>8.2f}  {verdict} the "
          f"{TARGET_S:.0f} s target")  # fmt: skip


if __name__ == "__main__":
    main()
