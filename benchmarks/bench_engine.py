"""Time and memory of the KPI engine: every catalogue KPI by month × channel.

Each size runs in a fresh Python process that builds synthetic canonical tables with
numpy, wraps them in :class:`leadkpi.LeadData` *marked as already loaded* (a
``LoadResult`` per table), so schema validation is not part of the figures, then
times :func:`leadkpi.compute` over every built-in KPI (best of ``--runs``). Peak
memory is the child's peak resident set (building the tables included), read with
``getrusage(RUSAGE_CHILDREN)`` after it exits.

Besides leads, spend, web and e-mail rows, the synthetic data has a deals table (one
row per opportunity, ~10 % of leads) and a customers table (one row per won lead).

Run on demand, not by pytest::

    python benchmarks/bench_engine.py                     # 100k, 1M and 3M leads
    python benchmarks/bench_engine.py --leads 1000000 --runs 3
    python benchmarks/bench_engine.py --leads 200000 --spend 5000 --mode period
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DAY = 86_400
START = pd.Timestamp("2024-01-01", tz="UTC").value // 10**9
SPAN_DAYS = 730
CHANNELS = np.array(
    [
        "paid_search",
        "paid_social",
        "organic_search",
        "email",
        "referral",
        "direct",
        "display",
        "events",
        "organic_social",
    ],
    dtype=object,
)
PAID = 4  # spend covers paid_search, paid_social, display, events
CAMPAIGNS_PER_CHANNEL = 4


def _ts(seconds: np.ndarray) -> pd.Series:
    """UTC seconds (NaN = missing) → timezone-aware timestamps."""
    out = pd.to_datetime(seconds, unit="s", utc=True)
    return pd.Series(out).dt.as_unit("ns")


def _later(
    rng: np.random.Generator, base: np.ndarray, p: float, days: float
) -> np.ndarray:
    hit = ~np.isnan(base) & (rng.random(len(base)) < p)
    when = base + rng.exponential(days * DAY, len(base))
    return np.where(hit & (when < START + SPAN_DAYS * DAY), when, np.nan)  # censored


def _labels(prefix: str, codes: np.ndarray) -> pd.Series:
    return pd.Series(np.char.add(prefix, codes.astype(str)), dtype="str")


def build_tables(
    n_leads: int, n_spend: int, n_web: int, n_email: int, seed: int = 1
) -> dict[str, pd.DataFrame]:
    """Synthetic canonical tables of the given sizes (vectorised, seconds for 1M)."""
    rng = np.random.default_rng(seed)
    created = np.sort(START + rng.random(n_leads) * SPAN_DAYS * DAY)
    channel = rng.integers(0, len(CHANNELS), n_leads)
    campaign = channel * CAMPAIGNS_PER_CHANNEL + rng.integers(
        0, CAMPAIGNS_PER_CHANNEL, n_leads
    )
    response = _later(rng, created, 0.9, 0.25)
    mql = _later(rng, created, 0.4, 2)
    sql = _later(rng, mql, 0.4, 4)
    opp = _later(rng, sql, 0.6, 9)
    won = _later(rng, opp, 0.35, 35)
    lost = np.where(np.isnan(won), _later(rng, opp, 0.9, 30), np.nan)
    value = np.where(np.isnan(won), np.nan, rng.lognormal(8, 0.6, n_leads).round())
    leads = pd.DataFrame(
        {
            "lead_id": _labels("L", np.arange(n_leads)),
            "account_id": _labels("A", rng.integers(0, n_leads // 2 + 1, n_leads)),
            "created_at": _ts(created),
            "channel": pd.Series(CHANNELS[channel], dtype="str"),
            "campaign": _labels("c", campaign),
            "utm_campaign": _labels("nurture_", campaign).where(
                rng.random(n_leads) < 0.05
            ),
            "owner": _labels("o", rng.integers(0, 12, n_leads)),
            "score": rng.integers(0, 101, n_leads).astype("float64"),
            "mql_at": _ts(mql),
            "sql_at": _ts(sql),
            "opportunity_at": _ts(opp),
            "won_at": _ts(won),
            "lost_at": _ts(lost),
            "first_response_at": _ts(response),
            "deal_value": value,
            "opted_out_at": _ts(_later(rng, created, 0.05, 150)),
            "replied_at": _ts(_later(rng, response, 0.45, 1)),
            "not_interested_at": _ts(_later(rng, response, 0.15, 3)),
            "workflow_enrolled_at": _ts(_later(rng, created, 0.4, 2)),
            "workflow_goal_at": _ts(_later(rng, mql, 0.3, 1)),
            "hard_bounced_at": _ts(_later(rng, created, 0.02, 120)),
        }
    )
    has_opp = np.flatnonzero(~np.isnan(opp))
    deals = pd.DataFrame(
        {
            "deal_id": _labels("D", np.arange(len(has_opp))),
            "lead_id": leads["lead_id"].iloc[has_opp].reset_index(drop=True),
            "created_at": _ts(opp[has_opp]),
            "won_at": _ts(won[has_opp]),
            "lost_at": _ts(lost[has_opp]),
            "amount": rng.lognormal(8, 0.6, len(has_opp)).round(),
        }
    )
    is_won = np.flatnonzero(~np.isnan(won))
    customers = pd.DataFrame(
        {
            "customer_id": _labels("C", np.arange(len(is_won))),
            "lead_id": leads["lead_id"].iloc[is_won].reset_index(drop=True),
            "started_at": _ts(won[is_won]),
            "ended_at": _ts(_later(rng, won[is_won], 0.5, 300)),
            "recurring_revenue": rng.lognormal(6, 0.5, len(is_won)).round(),
        }
    )

    def days(n: int) -> pd.Series:
        day = START + rng.integers(0, SPAN_DAYS, n) * DAY
        return pd.Series(pd.to_datetime(day, unit="s")).dt.as_unit("ns")

    paid = np.array([0, 1, 6, 7])
    s_channel = paid[rng.integers(0, PAID, n_spend)]
    spend = pd.DataFrame(
        {
            "date": days(n_spend),
            "channel": pd.Series(CHANNELS[s_channel], dtype="str"),
            "campaign": _labels(
                "c",
                s_channel * CAMPAIGNS_PER_CHANNEL
                + rng.integers(0, CAMPAIGNS_PER_CHANNEL, n_spend),
            ),
            "cost": rng.gamma(2.0, 50.0, n_spend).round(2),
            "impressions": pd.array(rng.poisson(5000, n_spend), dtype="Int64"),
            "clicks": pd.array(rng.poisson(60, n_spend), dtype="Int64"),
        }
    )
    sessions = rng.poisson(200, n_web)
    engaged = rng.binomial(sessions, 0.6)
    web = pd.DataFrame(
        {
            "date": days(n_web),
            "channel": pd.Series(
                CHANNELS[rng.integers(0, len(CHANNELS), n_web)], dtype="str"
            ),
            "sessions": sessions,
            "users": rng.binomial(sessions, 0.8),
            "pageviews": sessions + rng.poisson(sessions),
            "engaged_sessions": engaged,
            "bounces": sessions - engaged,
            "engagement_seconds": engaged * 90.0,
            "form_submissions": rng.binomial(sessions, 0.02),
            "landing_page_sessions": rng.binomial(sessions, 0.5),
        }
    ).astype(dict.fromkeys(["sessions", "users", "pageviews"], "Int64"))
    sent = rng.poisson(3000, n_email)
    delivered = rng.binomial(sent, 0.98)
    opens = rng.binomial(delivered, 0.25)
    email = pd.DataFrame(
        {
            "sent_on": days(n_email),
            "campaign": _labels("e", rng.integers(0, 20, n_email)),
            "channel": pd.Series(["email"] * n_email, dtype="str"),
            "sent": sent,
            "delivered": delivered,
            "opens": opens,
            "clicks": rng.binomial(opens, 0.2),
            "unsubscribes": rng.binomial(delivered, 0.002),
        }
    )
    return {
        "leads": leads,
        "deals": deals,
        "customers": customers,
        "spend": spend,
        "web": web,
        "email": email,
    }


def as_loaded(tables: dict[str, pd.DataFrame]):
    """A LeadData whose tables count as loaded: no parsing or validation."""
    from leadkpi import LeadData
    from leadkpi.io.result import REJECT_COLUMNS, LoadResult

    no_rejects = pd.DataFrame(columns=list(REJECT_COLUMNS))
    loads = tuple(
        LoadResult(frame, no_rejects, kind, "frame", Path(f"<{kind}>"), len(frame))
        for kind, frame in tables.items()
    )
    return LeadData(**tables, loads=loads)


def child(spec: dict) -> dict:
    """Build the data, then time ``compute`` (runs in the child process)."""
    from leadkpi import compute

    t0 = time.perf_counter()
    data = as_loaded(
        build_tables(spec["leads"], spec["spend"], spec["web"], spec["email"])
    )
    build_s = time.perf_counter() - t0
    times = []
    for _ in range(spec["runs"]):
        t0 = time.perf_counter()
        result = compute(data, by=("month", "channel"), mode=spec["mode"])
        times.append(time.perf_counter() - t0)
    return {
        "build_s": build_s,
        "compute_s": min(times),
        "rows_out": len(result),
        "kpis": int(result["kpi"].nunique()),
    }


def run(spec: dict) -> dict:
    """Run one size in a fresh process; add its peak RSS in MiB."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(spec)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    out = json.loads(done.stdout.strip().splitlines()[-1])
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out["peak_mb"] = rss / 2**20 if sys.platform == "darwin" else rss / 2**10
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--leads",
        type=int,
        nargs="+",
        default=[100_000, 1_000_000, 3_000_000],
        help="lead counts to time (default 100k 1M 3M)",
    )
    parser.add_argument("--spend", type=int, default=50_000, help="spend rows")
    parser.add_argument("--web", type=int, default=20_000, help="web rows")
    parser.add_argument("--email", type=int, default=10_000, help="email rows")
    parser.add_argument("--runs", type=int, default=2, help="timed runs (best kept)")
    parser.add_argument("--mode", choices=("cohort", "period"), default="cohort")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return
    print(
        f"every catalogue KPI by month x channel, mode={args.mode}; spend "
        f"{args.spend:,}, web {args.web:,}, email {args.email:,} rows; "
        "validation excluded (tables passed as loaded)"
    )
    print(
        f"{'leads':>10} {'compute_s':>10} {'us/lead':>8} {'marginal':>9} "
        f"{'build_s':>8} {'peak_MiB':>9} {'rows':>7} {'kpis':>5}"
    )
    previous = None
    for n in sorted(args.leads):
        spec = {
            "leads": n,
            "spend": args.spend,
            "web": args.web,
            "email": args.email,
            "runs": args.runs,
            "mode": args.mode,
        }
        r = run(spec)
        # microseconds per extra lead since the previous size: flat means linear
        marginal = (
            (r["compute_s"] - previous[1]) / (n - previous[0]) * 1e6
            if previous and n > previous[0]
            else float("nan")
        )
        previous = (n, r["compute_s"])
        print(
            f"{n:>10,} {r['compute_s']:>10.2f} {r['compute_s'] / n * 1e6:>8.2f} "
            f"{marginal:>9.2f} {r['build_s']:>8.1f} {r['peak_mb']:>9.0f} "
            f"{r['rows_out']:>7,} {r['kpis']:>5}"
        )


if __name__ == "__main__":
    main()
