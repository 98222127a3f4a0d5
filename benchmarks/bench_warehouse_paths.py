"""Time and memory of the attribution path table counted on DuckDB.

Generates leads and touches in a DuckDB file with DuckDB's own SQL (no pandas
frame of that size is ever built): ``--leads`` leads created over 2025, 8 % of
them won up to 120 days later, 1 to 7 touches each (4 on average) from 60 days
before creation to 90 after, over 9 channels and 60 campaigns. Then, in a fresh
process, times ``path_table`` on the file (best of ``--runs``, by channel and by
campaign; wall and CPU time, which counts DuckDB's threads) and prints the
process's peak resident memory; with ``--pandas`` the same tables are read into
:class:`~leadkpi.data.LeadData` and the in-memory path table is timed and
compared, to check both give the same table.

Run on demand, not by pytest::

    python benchmarks/bench_warehouse_paths.py --leads 2500000     # ~10 M touches
    python benchmarks/bench_warehouse_paths.py --leads 100000 --pandas
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GENERATE = """
SET TimeZone = 'UTC';
SELECT setseed(0.42);
CREATE TABLE leads AS
SELECT
    lead_id, created_at,
    CASE WHEN won THEN created_at + to_seconds(delay) END AS won_at,
    CASE WHEN won THEN value END AS deal_value
FROM (
    SELECT
        'L' || i AS lead_id,
        TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_seconds(i % 31536000)
            AS created_at,
        random() < 0.08 AS won,
        CAST(random() * 120 * 86400 AS BIGINT) AS delay,
        round(1000 + random() * 20000, 2) AS value
    FROM range({leads}) t(i)
);
CREATE TABLE touches AS
SELECT
    lead_id,
    created_at + to_seconds(CAST((random() * 150 - 60) * 86400 AS BIGINT))
        AS touched_at,
    ['direct', 'display', 'email', 'events', 'organic_search', 'organic_social',
     'paid_search', 'paid_social', 'referral'][1 + CAST(floor(random() * 9) AS INT)]
        AS channel,
    'c' || CAST(floor(random() * 60) AS INT) AS campaign
FROM (
    SELECT lead_id, created_at,
           unnest(range(CAST(1 + floor(random() * 7) AS BIGINT))) AS k
    FROM leads
);
"""


def generate(file: Path, leads: int) -> None:
    import duckdb

    with duckdb.connect(str(file)) as con:
        con.execute(GENERATE.format(leads=leads))
        touches = con.execute("SELECT count(*) FROM touches").fetchone()[0]
    print(f"generated {leads:,} leads, {touches:,} touches in {file}")


def measure(file: Path, runs: int, with_pandas: bool) -> None:
    import pandas as pd

    from leadkpi import LeadData
    from leadkpi.attribution import path_table
    from leadkpi.config import Config
    from leadkpi.warehouse import connect

    config = Config(timezone="Europe/Madrid")
    data = connect(file, config=config)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tables = {}
    for by in ("channel", "campaign"):
        times, cpu = [], []
        for _ in range(runs):
            start, clock = time.perf_counter(), time.process_time()
            tables[by] = path_table(data, by=by)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - clock)
        print(
            f"DuckDB path_table by {by}: best {min(times):.2f} s of {runs}, "
            f"CPU {min(cpu):.2f} s on {os.cpu_count()} cores "
            f"({len(tables[by]):,} distinct paths, "
            f"{tables[by]['conversions'].sum():,.0f} conversions, "
            f"dropped {tables[by].attrs['dropped']})"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS {rss / 1024:,.0f} MiB (after connecting: {rss0 / 1024:,.0f} MiB)")
    if not with_pandas:
        return
    con = data.backend
    local = LeadData(
        leads=con.table("leads").to_pandas(),
        touches=con.table("touches").to_pandas(),
        config=config,
    )
    for by in ("channel", "campaign"):
        start, clock = time.perf_counter(), time.process_time()
        expected = path_table(local, by=by)
        took = time.perf_counter() - start
        took_cpu = time.process_time() - clock
        pd.testing.assert_frame_equal(expected, tables[by], rtol=1e-9)
        print(
            f"pandas path_table by {by} (journeys included): {took:.2f} s, "
            f"CPU {took_cpu:.2f} s, equal"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS with the tables in memory {rss / 1024:,.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=2_500_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--file", type=Path, help="reuse (or keep) this DuckDB file")
    parser.add_argument("--pandas", action="store_true", help="also in memory")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.file, args.runs, args.pandas)
        return
    with tempfile.TemporaryDirectory() as tmp:
        file = args.file or Path(tmp) / "paths.duckdb"
        if not file.exists():
            generate(file, args.leads)
        command = [sys.executable, __file__, "--measure", "--file", str(file)]
        command += ["--runs", str(args.runs)] + (["--pandas"] if args.pandas else [])
        subprocess.run(command, check=True)  # a fresh process: its own peak memory


if __name__ == "__main__":
    main()
