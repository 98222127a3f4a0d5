"""Benchmark: leadkpi's read + validate against a bare pyarrow CSV read.

Generates (once, cached under ``benchmarks/.data/``) a 1,000,000-row, 20-column CRM
lead export with ISO timestamps, Spanish-formatted money (``1.234,56``) and text, then
runs, each in a fresh child process for a clean peak RSS:

* ``pyarrow.csv.read_csv`` on the file (every column as Arrow types it);
* ``leadkpi.io.canonical.read_canonical`` (decode, detect, split with line numbers,
  type every column, validate with pandera, split rejects).

Both readers end in a pandas DataFrame (pyarrow's via ``Table.to_pandas()``), and
each child first reads the file's first 50 lines once so that one-off lazy imports
(pandera's backends, babel's locale data) are not timed. It prints the time ratio
(target <= 3x) and leadkpi's peak memory over the final table's in-memory size
(``df.memory_usage(deep=True).sum()``; target <= 3x), both with and without the
memory the imported libraries already hold before the read starts.

Run from the repository root::

    PYTHONPATH=$PWD python benchmarks/bench_read.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

#: Generated files are kept here (``$LEADKPI_BENCH_DATA`` when set; ignored by git).
DATA = Path(os.environ.get("LEADKPI_BENCH_DATA") or Path(__file__).parent / ".data")


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """Write the synthetic CRM export (vectorised; about a minute for 1M rows)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(seed)

    def pick(options: list[str]) -> np.ndarray:
        return np.asarray(options, dtype=object)[rng.integers(0, len(options), rows)]

    def stamps(base: pd.Series, share: float, hours: float) -> pd.Series:
        later = base + pd.to_timedelta(rng.exponential(hours, rows), unit="h")
        text = later.dt.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        return text.where(rng.random(rows) < share, "")

    ids = np.arange(1, rows + 1)
    created = pd.Series(
        pd.Timestamp("2023-01-01")
        + pd.to_timedelta(rng.integers(0, 3 * 365 * 86_400, rows), unit="s")
    )
    first = pick(["ana", "luis", "marta", "jan", "pablo", "carmen", "lucía", "john"])
    last = pick(["garcía", "díaz", "smith", "müller", "martín", "ortiz", "castro"])
    domain = pick(["umbra.de", "brisa.es", "nubalia.cloud", "acme.com", "foo.io"])
    value = rng.gamma(2.0, 4000.0, rows)
    won = rng.random(rows) < 0.05
    euros = np.floor(value).astype(np.int64)
    cents = np.round((value - np.floor(value)) * 100).astype(np.int64) % 100
    thousands = pd.Series(euros).map("{:,}".format).str.replace(",", ".")
    money = thousands + "," + pd.Series(cents).astype(str).str.zfill(2)
    columns = {
        "lead_id": pd.Series(ids).map("L{:07d}".format),
        "account_id": pd.Series(ids // 3).map("A{:06d}".format),
        "email": pd.Series(first) + "." + pd.Series(last) + "@" + pd.Series(domain),
        "created_at": created.dt.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        "channel": pick(["paid_search", "email", "organic_search", "referral"]),
        "source": pick(["google", "newsletter", "linkedin", "bing", "(direct)"]),
        "medium": pick(["cpc", "email", "organic", "referral", "(none)"]),
        "campaign": pick(["brand_es", "generic_de", "webinar_monthly", "retargeting"]),
        "country": pick(["ES", "DE", "FR", "GB", "US", "MX"]),
        "industry": pick(["Manufacturing", "Logistics", "Retail", "Software"]),
        "company_size": pick(["1-10", "11-50", "51-200", "201-1000", "1000+"]),
        "job_title": pick(["CEO", "Marketing Manager", "CTO", "Head of Sales"]),
        "owner": pick(["Lucía Martín", "Carmen Ortiz", "Jan Novak", "Ana Ruiz"]),
        "score": pd.Series(rng.integers(0, 100, rows)).astype(str),
        "mql_at": stamps(created, 0.4, 48),
        "sql_at": stamps(created, 0.15, 240),
        "won_at": stamps(created, 0.05, 900).where(won, ""),
        "first_response_at": stamps(created, 0.9, 3),
        "deal_value": money.where(won, ""),
        "landing_page": "https://nubalia.cloud/"
        + pd.Series(pick(["demo", "blog", "pricing", "contact"]))
        + "?utm_campaign="
        + pd.Series(pick(["brand_es", "generic_de", "webinar_monthly"])),
    }
    table = pa.table(
        {k: pa.array(np.asarray(v, dtype=object)) for k, v in columns.items()}
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    pacsv.write_csv(table, partial)
    partial.rename(path)


def _status(field: str) -> int:
    """A memory figure of this process from /proc (bytes); VmHWM is the peak RSS.

    Unlike ``getrusage``'s ``ru_maxrss``, it is not inherited from the parent
    process across ``exec``.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _warm_up(mode: str, path: str) -> None:
    """Read the file's first lines once, so one-off lazy imports are not timed."""
    import tempfile

    import pyarrow.csv as pacsv

    from leadkpi.io.canonical import read_canonical

    with open(path, "rb") as handle:
        head = b"".join(handle.readline() for _ in range(50))
    with tempfile.TemporaryDirectory() as folder:
        small = Path(folder) / "leads.csv"
        small.write_bytes(head)
        if mode == "arrow":
            pacsv.read_csv(small).to_pandas()
        else:
            read_canonical(small, "leads", timezone="Europe/Madrid", locale="es")


def child(mode: str, path: str) -> None:
    """Run one reader and print its figures as JSON (runs in a fresh process)."""
    import pyarrow.csv as pacsv

    from leadkpi.io.canonical import read_canonical

    _warm_up(mode, path)
    baseline = _status("VmHWM")
    start = time.perf_counter()
    if mode == "arrow":
        frame = pacsv.read_csv(path).to_pandas()
        loaded, rejected = len(frame), 0
    else:
        result = read_canonical(path, "leads", timezone="Europe/Madrid", locale="es")
        frame, loaded, rejected = result.table, result.rows_loaded, result.rows_rejected
    seconds = time.perf_counter() - start
    peak = _status("VmHWM")
    size = int(frame.memory_usage(deep=True).sum())
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak": peak,
                "baseline": baseline,
                "size": size,
                "loaded": loaded,
                "rejected": rejected,
            }
        )
    )


def run(mode: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    path = DATA / f"crm_leads_{args.rows}.csv"
    if not path.exists():
        print(f"generating {path} …", flush=True)
        generate(path, args.rows)
    mib = 1 << 20
    print(f"file: {path} ({path.stat().st_size / mib:.0f} MiB, {args.rows:,} rows)")
    arrow, ours = run("arrow", path), run("leadkpi", path)
    for name, r in (("pyarrow.csv.read_csv", arrow), ("leadkpi read_canonical", ours)):
        print(
            f"{name:24s} {r['seconds']:6.2f} s   peak RSS {r['peak'] / mib:7.0f} MiB "
            f"(imports {r['baseline'] / mib:4.0f} MiB)   "
            f"table {r['size'] / mib:6.0f} MiB"
            f"   rows {r['loaded']:,} loaded, {r['rejected']:,} rejected"
        )
    ratio = ours["seconds"] / arrow["seconds"]
    memory = ours["peak"] / ours["size"]
    net = (ours["peak"] - ours["baseline"]) / ours["size"]
    print(f"time ratio leadkpi / pyarrow: {ratio:.2f}x (target <= 3x)")
    print(
        f"leadkpi peak RSS / table size: {memory:.2f}x; net of imports {net:.2f}x "
        "(target <= 3x)"
    )


if __name__ == "__main__":
    main()
