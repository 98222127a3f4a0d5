"""Time of reading each ad platform's export layout, against pyarrow on the same rows.

Builds, from the sample company's spend, one export of ``--rows`` rows per ad platform
in its vendor layout (:func:`leadkpi.datasets._exports.spend_exports`: Google Ads
with a title, a date range and ``Total:`` rows; Microsoft Advertising with quoted
preamble lines, every cell quoted, CRLF and a copyright footer; Meta Ads Manager;
LinkedIn as UTF-16 LE, tab-separated, with a preamble), then prints for each the
median time of

* :func:`leadkpi.read` with ``profile="auto"`` (recognise, split, map, type);
* :func:`leadkpi.io.text.read_text_table` alone, with the profile's header and
  footer rules (split into text cells, every row knowing its line);
* ``pyarrow.csv.read_csv`` on the same file, told the encoding, delimiter and lines
  to skip, dropping the rows that do not fit (the footer), types inferred;

and the ratios to pyarrow (target: the full typed read within 3x). One warm-up
read is not counted. Run on demand, not by pytest::

    PYTHONPATH=$PWD python benchmarks/bench_read_layouts.py --rows 1000000 --runs 1
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path

import pandas as pd
import pyarrow.csv as pacsv
from bench_read_crm import median_time, text_split

from leadkpi import read
from leadkpi.datasets import generate_sample
from leadkpi.datasets._exports import _SOURCE, PLATFORMS, spend_exports
from leadkpi.io.profiles.base import RawTable

PROFILES = {
    "google_ads": "google_ads_campaigns_es",
    "microsoft_ads": "microsoft_ads_campaigns",
    "meta_ads": "meta_ads",
    "linkedin": "linkedin_campaigns",
}


def write(folder: Path, rows: int, seed: int = 7) -> dict[str, Path]:
    """One export of ``rows`` rows per platform."""
    spend = generate_sample(300)["spend"]
    platform = spend["campaign"].map(_SOURCE).map(PLATFORMS)
    parts = [
        spend[platform == name].sample(rows, replace=True, random_state=seed)
        for name in PROFILES
    ]
    big = pd.concat(parts, ignore_index=True).sort_values("date", kind="stable")
    files = spend_exports(big.reset_index(drop=True))
    paths = {}
    for name in PROFILES:
        paths[name] = folder / f"{name}.csv"
        paths[name].write_bytes(files[name])
    return paths


def _pyarrow(path: Path, raw: RawTable) -> pd.DataFrame:
    """The same rows read by pyarrow alone (told what leadkpi found out)."""
    encoding = {"utf-8": "utf8", "utf-16-le": "utf-16-le"}.get(raw.encoding, "utf8")
    return pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(
            skip_rows=raw.header_line - 1, encoding=encoding
        ),
        parse_options=pacsv.ParseOptions(
            delimiter=raw.delimiter, invalid_row_handler=lambda row: "skip"
        ),
    ).to_pandas()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        paths = write(Path(folder), args.rows)
        print(f"writing {len(paths)} exports: {time.perf_counter() - start:.1f} s")
        print(
            f"{'layout':<15}{'rows':>11}{'read s':>8}{'rows/s':>11}{'text s':>8}"
            f"{'pyarrow s':>11}{'read/pa':>9}{'text/pa':>9}"
        )
        for name, path in paths.items():
            seconds, result = median_time(lambda p=path: read(p), args.runs)
            text_s, raw = median_time(
                lambda p=path, n=PROFILES[name]: text_split(p, n), args.runs
            )
            arrow_s, table = median_time(
                lambda p=path, r=raw: _pyarrow(p, r), args.runs
            )
            assert result.profile == PROFILES[name], (name, result.profile)
            assert result.rows_rejected == 0 and len(raw.frame) == result.rows_read
            print(
                f"{name:<15}{result.rows_read:>11,}{seconds:>8.2f}"
                f"{result.rows_read / seconds:>11,.0f}{text_s:>8.2f}{arrow_s:>11.2f}"
                f"{seconds / arrow_s:>9.1f}{text_s / arrow_s:>9.1f}"
            )


if __name__ == "__main__":
    main()
