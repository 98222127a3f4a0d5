"""Time of reading CRM and ad exports with :func:`leadkpi.read`: recognise, map, type.

Writes a HubSpot contacts export, a Salesforce opportunities report (quoted cells,
US dates, report footer), a Pipedrive deals export and a Microsoft Advertising
campaign report (quoted preamble, every cell quoted, CRLF, copyright footer) of
``--rows`` rows each, then reads each ``--runs`` times with ``profile="auto"`` and
prints the median time and rows per second, the time of recognising the layout alone,
the time of splitting it into text cells with line numbers alone
(:func:`leadkpi.io.text.read_text_table` with the profile's header and footer rules),
and the ratios of both to ``pyarrow.csv.read_csv`` reading the same rows (the body
alone, as a file of its own, typed as pyarrow infers; target <= 3x). One warm-up read
is not counted.

Run on demand, not by pytest::

    python benchmarks/bench_read_crm.py              # 200,000 rows per export
    python benchmarks/bench_read_crm.py --rows 1000000 --runs 3
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.csv as pacsv

from leadkpi import read
from leadkpi.io.profiles.base import RawTable
from leadkpi.io.profiles.registry import detect, get_profile, header_key
from leadkpi.io.profiles.totals import split_totals
from leadkpi.io.text import peek_text, read_text_table

SOURCES = np.array(["Paid Search", "Organic Search", "EMAIL_MARKETING", "Referrals"])
STAGES = np.array(["Closed Won", "Closed Lost", "Prospecting", "Negotiation/Review"])


def _times(n: int, rng: np.random.Generator) -> pd.Series:
    start = pd.Timestamp("2024-01-01")
    minutes = pd.to_timedelta(rng.integers(0, 365 * 24 * 60, n), unit="min")
    return pd.Series(start + minutes)


def hubspot_contacts(n: int, rng: np.random.Generator) -> pd.DataFrame:
    created = _times(n, rng)
    mql = (created + pd.Timedelta(days=2)).where(rng.random(n) < 0.3)
    return pd.DataFrame(
        {
            "Record ID": np.arange(1, n + 1),
            "Email": [f"c{i}@example.com" for i in range(n)],
            "Create Date": created.dt.strftime("%Y-%m-%d %H:%M"),
            "Lifecycle Stage": rng.choice(["Lead", "Marketing Qualified Lead"], n),
            "Became a Marketing Qualified Lead Date": mql.dt.strftime("%Y-%m-%d %H:%M"),
            "Original Source": rng.choice(SOURCES, n),
            "Original Source Drill-Down 1": rng.choice(["google", "newsletter"], n),
            "Contact owner": rng.choice(["Ana Ruiz", "Carmen Ortiz"], n),
            "Industry": rng.choice(["Software", "Retail"], n),
        }
    )


def salesforce_opportunities(n: int, rng: np.random.Generator) -> pd.DataFrame:
    created = _times(n, rng)
    close = created + pd.to_timedelta(rng.integers(1, 90, n), unit="D").to_numpy()
    us = "%-m/%-d/%Y"
    return pd.DataFrame(
        {
            "Opportunity Owner": rng.choice(["Ana Ruiz", "Carmen Ortiz"], n),
            "Opportunity Name": [f"Deal {i}" for i in range(n)],
            "Stage": rng.choice(STAGES, n),
            "Amount Currency": "EUR",
            "Amount": rng.integers(100, 50_000, n).astype(float),
            "Close Date": close.dt.strftime(us),
            "Created Date": created.dt.strftime(us),
            "Opportunity ID": [f"0065g{i:010d}" for i in range(n)],
        }
    )


def pipedrive_deals(n: int, rng: np.random.Generator) -> pd.DataFrame:
    created = _times(n, rng)
    status = rng.choice(["Won", "Lost", "Open"], n)
    won = (created + pd.Timedelta(days=20)).where(status == "Won")
    return pd.DataFrame(
        {
            "Deal - ID": np.arange(1, n + 1),
            "Deal - Title": [f"Deal {i}" for i in range(n)],
            "Deal - Value": rng.integers(0, 50_000, n),
            "Deal - Currency": "EUR",
            "Deal - Stage": rng.choice(["Qualified", "Negotiation"], n),
            "Deal - Status": status,
            "Deal - Deal created": created.dt.strftime("%Y-%m-%d %H:%M:%S"),
            "Deal - Won time": won.dt.strftime("%Y-%m-%d %H:%M:%S"),
            "Person - ID": rng.integers(1, n, n),
        }
    )


def microsoft_campaigns(n: int, rng: np.random.Generator) -> pd.DataFrame:
    day = pd.Series(
        pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 600, n), unit="D")
    )
    return pd.DataFrame(
        {
            "Gregorian date": day.dt.strftime("%-m/%-d/%Y"),
            "Account name": "Nubalia Cloud",
            "Campaign name": rng.choice(["bing_brand", "bing_generic_crm"], n),
            "Campaign status": "Active",
            "Currency code": "EUR",
            "Impressions": rng.integers(0, 5_000, n),
            "Clicks": rng.integers(0, 50, n),
            "Spend": np.round(rng.random(n) * 40, 2),
        }
    )


SALESFORCE_FOOTER = (
    '\n"Opportunities"\n'
    '"Grand Totals ({n:,} records)"\n'
    '"Copyright (c) 2000-2025 salesforce.com, inc. All rights reserved."\n'
    '"Confidential Information - Do Not Distribute"\n'
)
MICROSOFT_PREAMBLE = (
    '"Report Name: Campaign performance"\r\n"Report Time: 1/1/2025,8/23/2026"\r\n'
    '"Time Zone: (GMT+01:00) Brussels, Copenhagen, Madrid, Paris"\r\n'
    '"Report Aggregation: Daily"\r\n"Rows: {n}"\r\n\r\n'
)
MICROSOFT_FOOTER = '\r\n"©2026 Microsoft Corporation. All rights reserved. "\r\n'


def write(folder: Path, n: int, seed: int = 7) -> dict[str, tuple[Path, Path]]:
    """Each export's file, and a file of its header and rows alone (for pyarrow)."""
    rng = np.random.default_rng(seed)
    paths = {
        "hubspot_contacts": folder / "hubspot-crm-exports-all-contacts.csv",
        "salesforce_opportunities": folder / "report1711641600000.csv",
        "pipedrive_deals": folder / "deals-export.csv",
        "microsoft_ads_campaigns": folder / "Campaign_Performance_Report.csv",
    }
    bodies = {name: path.with_suffix(".body.csv") for name, path in paths.items()}
    hubspot_contacts(n, rng).to_csv(paths["hubspot_contacts"], index=False)
    text = salesforce_opportunities(n, rng).to_csv(index=False, quoting=1)
    bodies["salesforce_opportunities"].write_text(text)
    paths["salesforce_opportunities"].write_text(text + SALESFORCE_FOOTER.format(n=n))
    pipedrive_deals(n, rng).to_csv(
        paths["pipedrive_deals"], index=False, encoding="utf-8-sig"
    )
    text = microsoft_campaigns(n, rng).to_csv(
        index=False, quoting=1, lineterminator="\r\n"
    )
    bodies["microsoft_ads_campaigns"].write_bytes(text.encode())
    whole = MICROSOFT_PREAMBLE.format(n=n) + text + MICROSOFT_FOOTER
    paths["microsoft_ads_campaigns"].write_bytes(whole.encode("utf-8-sig"))
    for name in ("hubspot_contacts", "pipedrive_deals"):
        bodies[name] = paths[name]  # no preamble or footer: the file is its body
    return {name: (paths[name], bodies[name]) for name in paths}


def _pyarrow(path: Path) -> pd.DataFrame:
    """The body read by pyarrow alone, typed as Arrow infers (as in bench_read.py)."""
    return pacsv.read_csv(path).to_pandas()


def text_split(path: Path, name: str) -> RawTable:
    """The file split into text cells as :func:`leadkpi.read` splits it (totals
    rows inside the table kept aside too)."""
    profile = get_profile(name)
    wanted = {header_key(h) for h in profile.signature}
    raw = read_text_table(
        path,
        encoding=profile.encoding,
        delimiter=profile.delimiter,
        find_header=lambda cells: wanted <= {header_key(c) for c in cells},
        footer=profile.footer,
    )
    return split_totals(profile, raw)[0]


def median_time(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    """Median seconds of ``runs`` calls after a warm-up, and the last result."""
    out = fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        paths = write(Path(folder), args.rows)
        print(
            f"{'export':<26}{'rows':>10}{'loaded':>10}{'read s':>9}"
            f"{'rows/s':>11}{'detect ms':>11}{'text s':>8}{'pyarrow s':>11}"
            f"{'read/pa':>9}{'text/pa':>9}"
        )
        for name, (path, body) in paths.items():
            seconds, result = median_time(lambda p=path: read(p), args.runs)
            detect_s, match = median_time(
                lambda p=path: detect(peek_text(p)[2]), args.runs
            )
            arrow_s, _ = median_time(lambda p=body: _pyarrow(p), args.runs)
            text_s, raw = median_time(
                lambda p=path, n=name: text_split(p, n), args.runs
            )
            assert len(raw.frame) == args.rows, (name, len(raw.frame))
            assert match.profile.name == name == result.profile
            assert result.rows_read == args.rows, (name, result.rows_read)
            print(
                f"{name:<26}{result.rows_read:>10,}{result.rows_loaded:>10,}"
                f"{seconds:>9.2f}{result.rows_read / seconds:>11,.0f}"
                f"{detect_s * 1000:>11.1f}{text_s:>8.2f}{arrow_s:>11.2f}"
                f"{seconds / arrow_s:>9.1f}{text_s / arrow_s:>9.1f}"
            )


if __name__ == "__main__":
    main()
