"""Time of assembling LeadData and running the data-quality checks on many leads.

Steps timed (best of ``--runs``, seconds): reading the files; converting money into
the project currency (with a second currency planted in a tenth of the deals);
deriving every lead's channel from source/medium/UTM (channels removed first);
rolling deals up onto leads; de-duplicating two overlapping monthly exports of the
leads; building :class:`LeadData` from the tables as read; :func:`leadkpi.checks`.

Run on demand, not by pytest::

    python benchmarks/bench_quality.py --leads 1000000 --format parquet
    python benchmarks/bench_quality.py --config path/to/leadkpi.yaml
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_report import generated_config  # noqa: E402

from leadkpi.channels import fill_channels  # noqa: E402
from leadkpi.checks import checks  # noqa: E402
from leadkpi.config import load_config  # noqa: E402
from leadkpi.currency import to_project_currency  # noqa: E402
from leadkpi.data import LeadData  # noqa: E402
from leadkpi.project import _deduplicate, assemble, read_project  # noqa: E402
from leadkpi.rollup import rollup_deals  # noqa: E402


def _best(step: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--format", choices=("csv", "parquet"), default="parquet")
    parser.add_argument("--config", help="an existing project instead of generating")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    if args.config:
        path = Path(args.config)
    else:
        path = generated_config(args.leads, args.format)
    config = load_config(path)
    start = time.perf_counter()
    results = read_project(config)
    read_s = time.perf_counter() - start
    tables = {r.kind: r.table for r in results}
    leads, deals = tables["leads"], tables["deals"]
    print(
        f"{len(leads):,} leads, {len(deals):,} deals, {len(tables['spend']):,} "
        f"spend rows from {path}"
    )

    usd = np.arange(len(deals)) % 10 == 0
    mixed = deals.assign(currency=np.where(usd, "USD", None))
    priced = dataclasses.replace(config, rates={"USD": 0.92})
    bare = leads.drop(columns=["channel"])
    half = len(leads) // 2
    first = dataclasses.replace(
        results[0],
        table=leads.iloc[: half + half // 3],
        rejects=results[0].rejects.iloc[:0],
        rows_read=half + half // 3,
    )
    later = results[0].path.with_name("later.parquet")
    second = dataclasses.replace(
        results[0],
        table=leads.iloc[half:],
        rejects=results[0].rejects.iloc[:0],
        rows_read=len(leads) - half,
        path=later,
    )
    data = assemble(results, config)
    runs = args.runs
    steps = {
        "read_files_s": read_s,
        "currency_s": _best(lambda: to_project_currency(mixed, "deals", priced), runs),
        "channels_s": _best(lambda: fill_channels(bare, config.channel_rules), runs),
        "rollup_s": _best(lambda: rollup_deals(leads, deals), runs),
        "dedup_two_files_s": _best(lambda: _deduplicate([first, second]), runs),
        "leaddata_s": _best(
            lambda: LeadData(**tables, config=config, loads=tuple(results)), runs
        ),
        "checks_s": _best(lambda: checks(data), runs),
    }
    for name, seconds in steps.items():
        print(f"{name:>20} {seconds:8.2f}")


if __name__ == "__main__":
    main()
