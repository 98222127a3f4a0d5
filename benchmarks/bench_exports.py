"""Benchmark: writing the sample company's vendor exports and reading ad exports back.

Prints, for the default sample (6,000 leads, 22 months):

* the time :func:`leadkpi.datasets.write_sample` takes to write all its files;
* for each file, the time :func:`leadkpi.read` takes with its profile (rows/s);

then builds large spend exports (the sample's spend table repeated ``--repeat``
times: about 3,000 rows per repeat, split over four platforms) and prints the time
to format them and to read each back, by profile name and with ``profile="auto"``,
checking that no row is rejected.

Run from the repository root::

    PYTHONPATH=$PWD python benchmarks/bench_exports.py [--repeat 100]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=100, help="spend copies")
    args = parser.parse_args()

    import pandas as pd

    from leadkpi import read
    from leadkpi.datasets import generate_sample, write_sample
    from leadkpi.datasets._exports import spend_exports
    from leadkpi.datasets._write import SOURCES

    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        start = time.perf_counter()
        write_sample(folder)
        print(
            f"write_sample, {len(SOURCES)} files: {time.perf_counter() - start:.2f} s"
        )
        for file, kind, profile, options in SOURCES:
            start = time.perf_counter()
            result = read(folder / file, kind, profile=profile, **options)
            took = time.perf_counter() - start
            print(
                f"  read {file:40s} {result.rows_read:>7,d} rows {took:6.2f} s "
                f"{result.rows_read / took:>9,.0f} rows/s"
            )

        spend = generate_sample(300)["spend"]
        big = pd.concat([spend] * args.repeat, ignore_index=True)
        start = time.perf_counter()
        files = spend_exports(big)
        took = time.perf_counter() - start
        print(f"spend_exports, {len(big):,} rows: {took:.2f} s")
        profiles = {
            "google_ads": "google_ads_campaigns_es",
            "microsoft_ads": "microsoft_ads_campaigns",
            "meta_ads": "meta_ads",
            "linkedin": "linkedin_campaigns",
        }
        for platform, profile in profiles.items():
            path = folder / f"{platform}.csv"
            path.write_bytes(files[platform])
            start = time.perf_counter()
            result = read(path, "spend", profile=profile)
            took = time.perf_counter() - start
            start = time.perf_counter()
            auto = read(path)
            auto_took = time.perf_counter() - start
            assert result.rows_rejected == 0 and auto.profile == profile
            print(
                f"  read {platform:14s} {result.rows_read:>9,d} rows {took:6.2f} s "
                f"({result.rows_read / took:>9,.0f} rows/s); auto {auto_took:5.2f} s"
            )


if __name__ == "__main__":
    main()
