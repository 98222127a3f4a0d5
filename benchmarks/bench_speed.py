"""Time of the time-between-stages and speed-to-lead analyses on synthetic leads.

Builds the synthetic canonical tables of ``bench_engine.py`` (passed as already
loaded, so validation is not part of the figures) and times, best of ``--runs``:

- ``time_between`` lead → customer by month × channel (target: well under 1 s on
  1,000,000 leads),
- ``stage_durations`` (every consecutive pair) by month × channel,
- ``speed_to_lead`` by month × channel, on the calendar and on business hours,
- ``response_buckets`` by channel,
- ``business_seconds`` alone over every lead.

Run on demand, not by pytest::

    python benchmarks/bench_speed.py                 # 1M leads
    python benchmarks/bench_speed.py --leads 100000 1000000 --runs 3
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engine import as_loaded, build_tables  # noqa: E402

from leadkpi.config import BusinessHours  # noqa: E402
from leadkpi.funnel.durations import stage_durations, time_between  # noqa: E402
from leadkpi.funnel.hours import business_seconds  # noqa: E402
from leadkpi.funnel.speed import response_buckets, speed_to_lead  # noqa: E402


def best(function: Callable[[], object], runs: int) -> tuple[float, object]:
    """Smallest wall time of ``runs`` calls, and the last result."""
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = function()
        times.append(time.perf_counter() - t0)
    return min(times), out


def cases(data, business, hours) -> dict[str, Callable[[], object]]:
    """The timed calls on ``data`` (calendar) and ``business`` (business hours)."""
    by = ("month", "channel")
    leads = data.leads
    return {
        "time_between lead→customer, month × channel": lambda: time_between(
            data, by=by
        ),
        "stage_durations (4 pairs), month × channel": lambda: stage_durations(
            data, by=by
        ),
        "speed_to_lead calendar, month × channel": lambda: speed_to_lead(data, by=by),
        "speed_to_lead business hours, month × channel": lambda: speed_to_lead(
            business, by=by
        ),
        "response_buckets, channel": lambda: response_buckets(data, by="channel"),
        "business_seconds, every lead": lambda: business_seconds(
            leads["created_at"], leads["first_response_at"], hours, "UTC"
        ),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--runs", type=int, default=3, help="timed runs (best kept)")
    args = parser.parse_args(argv)
    print("validation excluded (tables passed as loaded); best of", args.runs)
    print(f"{'leads':>10}  {'analysis':<44} {'seconds':>8} {'rows':>7}")
    for n in args.leads:
        tables = build_tables(n, 1_000, 1_000, 1_000)
        data = as_loaded(tables)
        hours = BusinessHours(timezone="Europe/Madrid")
        business = data.with_config(replace(data.config, business_hours=hours))
        for name, function in cases(data, business, hours).items():
            seconds, out = best(function, args.runs)
            print(f"{n:>10,}  {name:<44} {seconds:>8.3f} {len(out):>7,}")


if __name__ == "__main__":
    main()
