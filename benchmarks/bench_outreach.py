"""Time of folding outreach activity rows into prospects and matching them to leads.

Builds a synthetic activity log (about five steps per prospect, spread over
sequences, with profile URLs written in several ways) and a leads table of the same
size, then times, best of ``--runs``: :func:`leadkpi.outreach.fold_outreach`,
:func:`leadkpi.outreach.match_leads` on the folded prospects, and the outreach KPIs
by month and campaign on the assembled data.

Run on demand, not by pytest::

    python benchmarks/bench_outreach.py                      # 200,000 prospects
    python benchmarks/bench_outreach.py --prospects 20000 --runs 3
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_speed import best  # noqa: E402

import leadkpi  # noqa: E402
from leadkpi.kpis.definitions import SECTIONS  # noqa: E402
from leadkpi.outreach import fold_outreach, join_leads, match_leads  # noqa: E402

STEPS = ("request_sent_at", "request_accepted_at", "message_sent_at", "replied_at")


def activities(prospects: int, seed: int = 7) -> pd.DataFrame:
    """About five activity rows per prospect, one step dated on each."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2026-01-01", tz="UTC")
    ids = np.arange(prospects)
    first = start + pd.to_timedelta(rng.integers(0, 300 * 86400, prospects), "s")
    url = pd.Series(ids.astype(str)).radd("https://www.linkedin.com/in/p-")
    parts = []
    for n, step in enumerate(("contacted_at", *STEPS)):
        keep = rng.random(prospects) < (1.0 if n < 2 else 0.6 / n)
        when = first + pd.to_timedelta(n * rng.integers(3600, 86400, prospects), "s")
        rows = pd.DataFrame(
            {
                "profile_url": np.where(ids % 3 == 0, url + "/", url),
                "campaign": np.char.add("seq-", (ids % 12).astype(str)),
                "owner": np.char.add("sdr-", (ids % 5).astype(str)),
                step: when,
            }
        )[keep]
        parts.append(rows)
    frame = pd.concat(parts, ignore_index=True)
    for column in ("contacted_at", *STEPS):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def leads(prospects: int, seed: int = 8) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids = np.arange(prospects)
    return pd.DataFrame(
        {
            "lead_id": ids.astype(str),
            "email": pd.Series(ids.astype(str)).radd("lead").add("@x.es"),
            "linkedin_url": pd.Series(ids.astype(str)).radd("linkedin.com/in/p-"),
            "created_at": pd.Timestamp("2026-01-01", tz="UTC")
            + pd.to_timedelta(rng.integers(0, 330 * 86400, prospects), "s"),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prospects", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows, known = activities(args.prospects), leads(args.prospects)
    print(f"{len(rows):,} activity rows, {args.prospects:,} prospects and leads")
    seconds, (folded, _) = best(lambda: fold_outreach(rows), args.runs)
    print(f"fold_outreach: {seconds:.2f} s -> {len(folded):,} prospects")
    seconds, match = best(lambda: match_leads(folded, known), args.runs)
    print(f"match_leads: {seconds:.2f} s (match rate {match.rate:.1%})")
    table, _ = join_leads(rows, known)
    data = leadkpi.LeadData(config=leadkpi.Config()).with_tables(outreach=table)
    kpis = list(SECTIONS["outreach"])
    seconds, _ = best(
        lambda: leadkpi.compute(data, kpis, by=("month", "campaign")), args.runs
    )
    print(f"outreach KPIs by month x campaign: {seconds:.2f} s")


if __name__ == "__main__":
    main()
