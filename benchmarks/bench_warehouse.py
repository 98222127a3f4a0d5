"""Time and memory of KPIs computed where the data lives: DuckDB over Parquet.

The canonical tables (leads, touches, spend; as :class:`leadkpi.LeadData` holds
them once assembled) are generated as Parquet by DuckDB SQL alone: ``range()`` and
hash-based pseudo-random columns, so the same size gives the same rows on every
run (for one DuckDB version), at any size, without a Python loop or a pandas frame.
The folder is kept and reused when it holds the same size.

Then, each step in a fresh Python process (its peak resident set is its own):

1. every catalogue KPI (or ``--kpis``) by month x channel through
   :func:`leadkpi.warehouse.connect` and :func:`leadkpi.kpis.compute`, DuckDB
   limited to ``--memory-limit`` (median of ``--runs``; peak RSS of the process,
   DuckDB's own peak use and spill; the number of backend queries and the
   slowest);
2. at ``--compare-leads`` (default 1M, and never more than ``--leads``), side by
   side: the pandas engine on a ``LeadData`` built from the same Parquet (compute
   timed, not the build) against the DuckDB path, reading the Parquet and with
   the tables loaded in DuckDB's memory first (compute timed, not the load), with
   a check that each gives the same frame as pandas;
3. at both sizes, hand-written DuckDB SQL for the month x channel counts (leads,
   MQLs, SQLs, opportunities, customers, spend) against ``compute`` of those KPIs,
   taking turns, with a check that they give the same figures;
4. with ``--paths``, the path table from the touches on the backend, when the
   attribution path builder accepts remote data.

Run on demand, not by pytest::

    python benchmarks/bench_warehouse.py                   # 100M leads, 400M touches
    python benchmarks/bench_warehouse.py --leads 1000000 --runs 5
    python benchmarks/bench_warehouse.py --leads 100000000 --paths
    python benchmarks/bench_warehouse.py --kpis leads,mqls,cost_per_lead --runs 1
    python benchmarks/bench_warehouse.py --leads 2000 --runs 1          # a smoke run

Generated tables are kept in ``benchmarks/.data/`` (``$LEADKPI_BENCH_DATA`` when
set) unless ``--folder`` says where: about 55 bytes a lead with its touches
(zstd), 5.5 GB for 100M leads and 400M touches.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: Generated tables are kept here between runs (ignored by git).
DATA_CACHE = ROOT / "benchmarks" / ".data"
#: Bump when the generated rows change, so that an old folder is made again.
GENERATOR_VERSION = 1
TIMEZONE = "Europe/Madrid"
START = "2023-01-01"  # three years of leads, in UTC
START_EPOCH = 1_672_531_200
SPAN_DAYS = 1_096
DAY = 86_400
HOUR = 3_600
TWO_64 = "18446744073709551616.0"

# fmt: off
#: The sample company's channels: share of leads, campaigns (0 = none), funnel
#: rates (lead → MQL → SQL → opportunity → won), cost per lead on paid channels.
CHANNELS = (
    # channel,        share, campaigns, mql,  sql, opp,  won,  cpl
    ("paid_search",    0.22,  50,       0.40, 0.45, 0.55, 0.28, 95.0),
    ("organic_search", 0.18,   0,       0.35, 0.45, 0.55, 0.28, 0.0),
    ("paid_social",    0.14,  45,       0.25, 0.35, 0.45, 0.20, 60.0),
    ("organic_social", 0.05,  10,       0.30, 0.40, 0.50, 0.25, 0.0),
    ("email",          0.08,  40,       0.45, 0.45, 0.55, 0.28, 0.0),
    ("referral",       0.07,   0,       0.50, 0.50, 0.60, 0.33, 0.0),
    ("direct",         0.12,   0,       0.40, 0.45, 0.55, 0.30, 0.0),
    ("display",        0.06,  30,       0.20, 0.35, 0.45, 0.25, 140.0),
    ("events",         0.08,  25,       0.55, 0.55, 0.65, 0.40, 180.0),
)
# fmt: on
#: Channels whose campaigns are paid for (rows of the spend table).
PAID = tuple(c for c in CHANNELS if c[7] > 0)
#: KPIs that count, and the hand-written SQL of the same figures.
COUNTS = ("leads", "mqls", "sqls", "opportunities", "customers", "spend")


# --- generation (DuckDB SQL only) -----------------------------------------------


#: Keys of the draws of one row are below this (touch draws: 1000 + touch number).
KEYS = 65_536


def _u(key: str | int, row: str = "i") -> str:
    """A uniform draw in [0, 1) for each row, keyed by ``key`` (< :data:`KEYS`).

    One integer per row and key is hashed: DuckDB's ``hash(a, b)`` combines the
    two hashes so that its high bits follow ``a`` alone, and draws from it with
    different keys would be correlated.
    """
    return f"(hash(CAST({row} AS BIGINT) * {KEYS} + ({key})) / {TWO_64})"


def _case(codes: str, values: list[object]) -> str:
    """The value of each code (0, 1, …) from a short list, as SQL."""
    arms = " ".join(f"WHEN {i} THEN {v!r}" for i, v in enumerate(values))
    return f"(CASE {codes} {arms} END)"


def _channel_code(u: str) -> str:
    """A channel code drawn by share from a uniform draw."""
    bounds, total = [], 0.0
    for i, row in enumerate(CHANNELS[:-1]):
        total += row[1]
        bounds.append(f"WHEN {u} < {total:.6f} THEN {i}")
    return f"(CASE {' '.join(bounds)} ELSE {len(CHANNELS) - 1} END)"


def _campaign(code: str, u: str) -> str:
    """A campaign of the channel ``code`` (NULL for a channel without any)."""
    count = _case(code, [c[2] for c in CHANNELS])
    prefix = _case(code, ["nurture" if c[0] == "email" else c[0] for c in CHANNELS])
    return (
        f"(CASE WHEN {count} > 0 THEN {prefix} || '_' || "
        f"lpad(CAST(CAST(floor({u} * {count}) AS INTEGER) AS VARCHAR), 3, '0') END)"
    )


def _seconds(expr: str) -> str:
    return f"to_seconds(CAST(round({expr}) AS BIGINT))"


def _delay(key: int, mean_seconds: float) -> str:
    """An exponential delay of the given mean, keyed by ``key``."""
    return _seconds(f"-ln(1 - {_u(key)}) * {mean_seconds}")


def _lead_columns(n: int, touches_per_lead: int) -> str:
    """Per lead ``i``: created_at, channel code, touch count (shared by both tables)."""
    span = SPAN_DAYS * DAY
    return (
        f"to_timestamp({START_EPOCH} + floor((i + {_u(0)}) * {span} / {n})) "
        "AS created_at, "
        f"{_channel_code(_u(1))} AS ch, "
        f"1 + CAST(floor({_u(3)} * {2 * touches_per_lead - 1}) AS INTEGER) "
        "AS n_touches"
    )


#: Days between two touches of a lead, at most.
TOUCH_GAP_DAYS = 4


def _touch_offset(j: str) -> str:
    """How long before its lead's creation touch ``j`` of ``n_touches`` came:
    touch 0 first, each later one closer, so the first touch is known per lead."""
    return _seconds(
        f"((n_touches - 1 - {j}) + {_u(f'1000 + {j}')}) * {TOUCH_GAP_DAYS * DAY}"
    )


def leads_sql(n: int, touches_per_lead: int) -> str:
    """The leads table of ``n`` leads, as one SELECT."""
    mql, sql, opp, won = ([c[k] for c in CHANNELS] for k in (3, 4, 5, 6))
    end = f"TIMESTAMPTZ '{START} 00:00:00+00' + INTERVAL {SPAN_DAYS} DAY"
    gauss = f"sqrt(-2 * ln(1 - {_u(20)})) * cos(2 * pi() * {_u(21)})"

    def seen(column: str) -> str:  # censored: what had not happened by the end
        return f"CASE WHEN {column} <= {end} THEN {column} END AS {column}"

    return f"""
    WITH base AS (
        SELECT i, {_lead_columns(n, touches_per_lead)} FROM range({n}) t(i)
    ), stages AS (
        SELECT *,
            CASE WHEN {_u(4)} < {_case("ch", mql)}
                 THEN created_at + {_delay(5, 3 * DAY)} END AS mql_at
        FROM base
    ), s2 AS (
        SELECT *, CASE WHEN {_u(6)} < {_case("ch", sql)}
                       THEN mql_at + {_delay(7, 6 * DAY)} END AS sql_at
        FROM stages
    ), s3 AS (
        SELECT *, CASE WHEN {_u(8)} < {_case("ch", opp)}
                       THEN sql_at + {_delay(9, 10 * DAY)} END AS opportunity_at
        FROM s2
    ), s4 AS (
        SELECT *,
            CASE WHEN {_u(10)} < {_case("ch", won)}
                 THEN opportunity_at + {_delay(11, 40 * DAY)} END AS won_at,
            CASE WHEN {_u(10)} >= {_case("ch", won)} AND {_u(12)} < 0.85
                 THEN opportunity_at + {_delay(13, 30 * DAY)} END AS lost_at
        FROM s3
    )
    SELECT
        'L' || i AS lead_id,
        'A' || CAST(CAST(floor({_u(14)} * {n // 2 + 1}) AS BIGINT) AS VARCHAR)
            AS account_id,
        created_at,
        {_case("ch", [c[0] for c in CHANNELS])} AS channel,
        {_campaign("ch", _u(2))} AS campaign,
        CASE WHEN ch IN ({", ".join(str(CHANNELS.index(c)) for c in PAID)},
                         {[c[0] for c in CHANNELS].index("email")})
             THEN {_campaign("ch", _u(2))} END AS utm_campaign,
        CAST(floor(100 * {_u(15)}) AS DOUBLE) AS score,
        {seen("mql_at")}, {seen("sql_at")}, {seen("opportunity_at")},
        {seen("won_at")}, {seen("lost_at")},
        CASE WHEN {_u(16)} < 0.9 THEN created_at + {_delay(17, 5 * HOUR)} END
            AS first_response_at,
        CASE WHEN won_at <= {end} THEN round(exp(8 + 0.6 * {gauss})) END
            AS deal_value,
        CASE WHEN {_u(18)} < 0.05 AND created_at + {_delay(19, 200 * DAY)} <= {end}
             THEN created_at + {_delay(19, 200 * DAY)} END AS opted_out_at,
        created_at - {_touch_offset("0")} AS first_touch_at
    FROM s4
    """


def touches_sql(n: int, touches_per_lead: int) -> str:
    """About ``touches_per_lead`` touches per lead (1 to twice that, less one): the
    last one from the lead's own channel and campaign, the others drawn by share."""
    return f"""
    WITH base AS (
        SELECT i, {_lead_columns(n, touches_per_lead)} FROM range({n}) t(i)
    ), t AS (
        SELECT *, unnest(range(n_touches)) AS j FROM base
    ), c AS (
        SELECT *,
            CASE WHEN j = n_touches - 1 THEN ch
                 ELSE {_channel_code(_u("2000 + j"))} END AS tch,
            CASE WHEN j = n_touches - 1 THEN {_u(2)}
                 ELSE {_u("3000 + j")} END AS tu
        FROM t
    )
    SELECT 'L' || i AS lead_id,
           created_at - {_touch_offset("j")} AS touched_at,
           {_case("tch", [c[0] for c in CHANNELS])} AS channel,
           {_campaign("tch", "tu")} AS campaign
    FROM c
    """


def spend_sql(n: int) -> str:
    """One row per day x paid campaign; cost scaled to the leads expected, so that
    cost per lead stays near each channel's figure at any size."""
    rows = ", ".join(
        f"({CHANNELS.index(c)}, {c[2]}, {n * c[1] / SPAN_DAYS / c[2] * c[7]!r})"
        for c in PAID
    )
    noise = _u("k", f"(ch + 100) * {SPAN_DAYS} + d")
    return f"""
    WITH paid(ch, campaigns, daily) AS (VALUES {rows}),
    cells AS (
        SELECT d, ch, k, daily FROM paid,
            range({SPAN_DAYS}) days(d), range(campaigns) camps(k)
    ), drawn AS (
        SELECT *, daily * (0.4 + 1.2 * {noise}) AS cost FROM cells
    )
    SELECT CAST(DATE '{START}' + CAST(d AS INTEGER) AS DATE) AS date,
           {_case("ch", [c[0] for c in CHANNELS])} AS channel,
           {_case("ch", [c[0] for c in CHANNELS])} || '_' ||
               lpad(CAST(k AS VARCHAR), 3, '0') AS campaign,
           round(cost, 2) AS cost,
           CAST(round(cost * 80) AS BIGINT) AS impressions,
           CAST(round(cost * 80 * 0.012) AS BIGINT) AS clicks,
           round(cost / {_case("ch", [c[7] or 1.0 for c in CHANNELS])} * 0.9, 1)
               AS conversions
    FROM drawn
    """


def default_folder(n: int, touches_per_lead: int) -> Path:
    base = Path(os.environ.get("LEADKPI_BENCH_DATA") or DATA_CACHE)
    return base / f"warehouse-{n}-{touches_per_lead}"


def _manifest(n: int, touches_per_lead: int) -> dict[str, int]:
    return {"leads": n, "touches_per_lead": touches_per_lead,
            "generator": GENERATOR_VERSION}  # fmt: skip


def generate(spec: dict) -> dict:
    """Write leads, touches and spend as Parquet in ``spec["folder"]`` (child)."""
    import duckdb

    folder = Path(spec["folder"])
    n, per = spec["leads"], spec["touches_per_lead"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").unlink(missing_ok=True)
    con = duckdb.connect()
    con.execute(f"SET memory_limit='{spec['memory_limit']}'")
    con.execute(f"SET threads={spec['threads']}")
    con.execute("SET preserve_insertion_order=false")
    con.execute(f"SET temp_directory='{folder / '.duckdb-tmp'}'")
    out: dict[str, Any] = {}
    for name, query in (
        ("spend", spend_sql(n)),
        ("leads", leads_sql(n, per)),
        ("touches", touches_sql(n, per)),
    ):
        t0 = time.perf_counter()
        part = folder / f"{name}.parquet.part"
        con.execute(f"COPY ({query}) TO '{part}' (FORMAT parquet, COMPRESSION zstd)")
        part.replace(folder / f"{name}.parquet")
        out[f"{name}_s"] = time.perf_counter() - t0
        out[f"{name}_rows"] = con.execute(
            f"SELECT count(*) FROM '{folder / f'{name}.parquet'}'"
        ).fetchone()[0]
        out[f"{name}_bytes"] = (folder / f"{name}.parquet").stat().st_size
    (folder / "manifest.json").write_text(json.dumps(_manifest(n, per)))
    return {**out, "peak_mb": _peak_rss_mb()}


def is_generated(folder: Path, n: int, touches_per_lead: int) -> bool:
    manifest = folder / "manifest.json"
    return manifest.is_file() and json.loads(manifest.read_text()) == _manifest(
        n, touches_per_lead
    )


# --- measuring ----------------------------------------------------------------


def _peak_rss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 2**20 if sys.platform == "darwin" else rss / 2**10


class DuckDBPeak:
    """DuckDB's own peak memory and spill while a block runs, sampled from
    ``duckdb_memory()`` through a second cursor every ``every`` seconds."""

    def __init__(self, connection: Any, every: float = 0.1) -> None:
        self.cursor = connection.cursor()
        self.every = every
        self.memory = 0
        self.spilled = 0
        self._stop = threading.Event()

    def _sample(self) -> None:
        while not self._stop.is_set():
            used, spilled = self.cursor.execute(
                "SELECT sum(memory_usage_bytes), sum(temporary_storage_bytes) "
                "FROM duckdb_memory()"
            ).fetchone()
            self.memory = max(self.memory, int(used or 0))
            self.spilled = max(self.spilled, int(spilled or 0))
            self._stop.wait(self.every)

    def __enter__(self) -> DuckDBPeak:
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.cursor.close()


def _timed(runs: int, call: Callable[[], Any]) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - t0)
    return times, result


def _config() -> Any:
    from leadkpi.config import Config

    return Config(timezone=TIMEZONE, currency="EUR")


def _remote(spec: dict) -> Any:
    """The Parquet folder as RemoteData, DuckDB held to the limits asked; with
    ``in_memory``, the tables are first loaded into DuckDB's own memory (as the
    pandas engine holds them in a LeadData)."""
    import ibis

    from leadkpi.warehouse import connect

    if spec.get("in_memory"):
        con = ibis.duckdb.connect()
        for name in ("leads", "touches", "spend"):
            path = Path(spec["folder"]) / f"{name}.parquet"
            con.raw_sql(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{path}')")
        data = connect(con, config=_config())
    else:
        data = connect(spec["folder"], config=_config())
    data.backend.raw_sql(f"SET memory_limit='{spec['memory_limit']}'")
    data.backend.raw_sql(f"SET threads={spec['threads']}")
    data.backend.raw_sql("SET enable_progress_bar=false")
    data.backend.raw_sql(f"SET temp_directory='{Path(spec['folder']) / '.duckdb-tmp'}'")
    # DuckDB may spill up to 90 % of the free disk by default: on a shared disk,
    # a query that outgrows the limit fails instead of filling it
    data.backend.raw_sql(f"SET max_temp_directory_size='{spec['max_spill']}'")
    return data


def backend_compute_available() -> bool:
    """Whether ``compute`` runs on RemoteData in this checkout."""
    import importlib.util

    return importlib.util.find_spec("leadkpi.kpis.remote") is not None


class QueryLog:
    """Every query a backend runs for a result (``to_pandas``), with its time and
    the measure columns it returns: where a ``compute`` spends its time."""

    def __init__(self, backend: Any) -> None:
        self.queries: list[tuple[float, str]] = []
        run = backend.to_pandas

        def timed(expr: Any, *args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            out = run(expr, *args, **kwargs)
            names = expr.schema() if hasattr(expr, "schema") else [expr.get_name()]
            columns = ",".join(c for c in names if not c.startswith("__d"))
            self.queries.append((time.perf_counter() - t0, columns[:70]))
            return out

        backend.to_pandas = timed  # this connection only

    def summary(self, runs: int = 1, top: int = 5) -> dict:
        """Queries and seconds a run; the slowest of the last run."""
        last = self.queries[len(self.queries) - len(self.queries) // runs :]
        slowest = sorted(last, reverse=True)[:top]
        return {
            "queries": len(last),
            "query_s": sum(t for t, _ in self.queries) / runs,
            "slowest": [[round(t, 2), what] for t, what in slowest],
        }


def remote_kpis(spec: dict) -> dict:
    """Every catalogue KPI by month x channel on DuckDB (child)."""
    from leadkpi.kpis import compute

    t0 = time.perf_counter()
    data = _remote(spec)
    connect_s = time.perf_counter() - t0
    log = QueryLog(data.backend)
    with DuckDBPeak(data.backend.con) as peak:
        times, result = _timed(
            spec["runs"], lambda: compute(data, spec["kpis"], by=("month", "channel"))
        )
    if spec.get("save"):
        result.to_pickle(spec["save"])
    return {
        **log.summary(spec["runs"]),
        "times": times,
        "connect_s": connect_s,
        "rows_out": len(result),
        "kpis": int(result["kpi"].nunique()),
        "valued": int(result.groupby("kpi")["value"].count().gt(0).sum()),
        "duckdb_peak_mb": peak.memory / 2**20,
        "spilled_mb": peak.spilled / 2**20,
        "peak_mb": _peak_rss_mb(),
    }


def counts_sql(folder: str) -> str:
    """Leads, MQLs, SQLs, opportunities, customers (cohort: by the month each lead
    was created, a later stage counting as the earlier ones) and spend, by month x
    channel, written by hand."""
    leads = f"read_parquet('{Path(folder) / 'leads.parquet'}')"
    spend = f"read_parquet('{Path(folder) / 'spend.parquet'}')"
    return f"""
    WITH l AS (
        SELECT date_trunc('month', CAST(created_at AS TIMESTAMP)) AS month, channel,
               count(*) AS leads,
               count(coalesce(mql_at, sql_at, opportunity_at, won_at)) AS mqls,
               count(coalesce(sql_at, opportunity_at, won_at)) AS sqls,
               count(coalesce(opportunity_at, won_at)) AS opportunities,
               count(won_at) AS customers
        FROM {leads} GROUP BY ALL
    ), s AS (
        SELECT date_trunc('month', CAST(date AS TIMESTAMP)) AS month, channel,
               sum(cost) AS spend
        FROM {spend} GROUP BY ALL
    )
    SELECT month, channel,  -- a cell with spend and no leads counts 0 leads
           coalesce(leads, 0) AS leads, coalesce(mqls, 0) AS mqls,
           coalesce(sqls, 0) AS sqls, coalesce(opportunities, 0) AS opportunities,
           coalesce(customers, 0) AS customers, spend
    FROM l FULL JOIN s USING (month, channel) ORDER BY month, channel
    """


def sql_vs_compute(spec: dict) -> dict:
    """Hand-written SQL against ``compute`` of the counting KPIs (child), taking
    turns so that caches favour neither."""
    from leadkpi.kpis import compute

    data = _remote(spec)
    con = data.backend.con
    query = counts_sql(spec["folder"])
    sql_times, kpi_times = [], []
    for _ in range(spec["runs"]):
        t, hand = _timed(1, lambda: con.execute(query).df())
        sql_times += t
        if not spec["compute"]:
            continue
        t, ours = _timed(1, lambda: compute(data, COUNTS, by=("month", "channel")))
        kpi_times += t
    if not spec["compute"]:
        return {"sql_times": sql_times, "cells": len(hand), "peak_mb": _peak_rss_mb()}
    wide = ours.pivot_table(
        index=["month", "channel"], columns="kpi", values="value", dropna=False
    )
    hand["month"] = hand["month"].dt.to_period("M")
    hand = hand.set_index(["month", "channel"])
    cells = wide.index.intersection(hand.index)
    same = bool(
        len(cells) == len(wide.dropna(how="all")) == len(hand)
        and all(
            _close(wide.loc[cells, k].to_numpy(), hand.loc[cells, k].to_numpy())
            for k in COUNTS
        )
    )
    return {"sql_times": sql_times, "kpi_times": kpi_times, "same": same,
            "cells": len(hand), "peak_mb": _peak_rss_mb()}  # fmt: skip


def _close(a: Any, b: Any, rtol: float = 1e-9) -> bool:
    import numpy as np

    a, b = np.asarray(a, dtype="float64"), np.asarray(b, dtype="float64")
    both = np.isnan(a) & np.isnan(b)
    zero_or_nan = np.where(np.isnan(b), 0.0, b)
    return bool(
        np.all(both | (np.abs(a - b) <= rtol * np.abs(zero_or_nan)))
        and np.array_equal(np.isnan(a), np.isnan(b))
    )


def pandas_kpis(spec: dict) -> dict:
    """The same KPIs on the pandas engine, from a LeadData of the same Parquet
    (child): the build is timed apart from the compute."""
    import pyarrow.parquet as pq

    from leadkpi import LeadData
    from leadkpi.kpis import compute

    folder = Path(spec["folder"])
    t0 = time.perf_counter()
    tables = {  # dates as datetime64: LeadData does not read datetime.date objects
        name: pq.read_table(folder / f"{name}.parquet").to_pandas(date_as_object=False)
        for name in ("leads", "touches", "spend")
    }
    data = LeadData(**tables, config=_config())
    build_s = time.perf_counter() - t0
    times, result = _timed(
        spec["runs"], lambda: compute(data, spec["kpis"], by=("month", "channel"))
    )
    if spec.get("save"):
        result.to_pickle(spec["save"])
    return {"times": times, "build_s": build_s, "rows_out": len(result),
            "peak_mb": _peak_rss_mb()}  # fmt: skip


def path_builder() -> Callable[[Any], Any] | None:
    """The attribution path builder that takes RemoteData, if this checkout has
    one: ``path_table(data)``, or ``path_table(journeys(data))``."""
    import inspect

    from leadkpi import attribution

    def takes_remote(function: Callable[..., Any]) -> bool:
        first = next(iter(inspect.signature(function).parameters.values()), None)
        return first is not None and "RemoteData" in str(first.annotation)

    if takes_remote(attribution.path_table):
        return attribution.path_table
    if takes_remote(attribution.journeys):
        return lambda data: attribution.path_table(attribution.journeys(data))
    return None


def remote_paths(spec: dict) -> dict:
    """The path table of every lead's touches, built on DuckDB (child)."""
    build = path_builder()
    if build is None:
        return {"available": False}
    data = _remote(spec)
    with DuckDBPeak(data.backend.con) as peak:
        times, paths = _timed(spec["runs"], lambda: build(data))
    return {
        "available": True,
        "times": times,
        "paths": len(paths),
        "journeys": int(paths[["conversions", "nulls"]].sum().sum())
        if {"conversions", "nulls"} <= set(paths.columns)
        else -1,
        "duckdb_peak_mb": peak.memory / 2**20,
        "spilled_mb": peak.spilled / 2**20,
        "peak_mb": _peak_rss_mb(),
    }


STEPS = {
    "generate": generate,
    "remote": remote_kpis,
    "sql": sql_vs_compute,
    "pandas": pandas_kpis,
    "paths": remote_paths,
}


def run(step: str, spec: dict) -> dict:
    """Run one step in a fresh process and return what it printed."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps({**spec, "step": step})],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"{step} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare_frames(pandas_pickle: str, duckdb_pickle: str) -> str:
    """One line: whether the pandas and DuckDB frames agree (values within 1e-9
    relative, same rows, columns and dtypes)."""
    import pandas as pd

    ours, theirs = pd.read_pickle(duckdb_pickle), pd.read_pickle(pandas_pickle)
    try:
        pd.testing.assert_frame_equal(ours, theirs, rtol=1e-9, atol=0.0)
    except AssertionError as error:
        first = str(error).strip().splitlines()
        return "DuckDB and pandas DIFFER: " + " ".join(first[:4])
    return (
        f"DuckDB and pandas agree: {len(ours):,} rows x {ours.shape[1]} columns "
        "(values within 1e-9 relative, same dtypes)"
    )


def _median(times: list[float]) -> float:
    return statistics.median(times)


def _line(label: str, r: dict, n: int) -> str:
    s = _median(r["times"])
    duck = (
        f" duckdb_peak {r['duckdb_peak_mb']:>6.0f} MiB spilled {r['spilled_mb']:.0f}"
        if "duckdb_peak_mb" in r
        else ""
    )
    return (
        f"{label:<22} {s:>8.2f} s  {s / n * 1e9:>7.1f} ns/lead  "
        f"peak {r['peak_mb']:>6.0f} MiB{duck}"
    )


def _queries(r: dict) -> None:
    slowest = "; ".join(f"{what} {t:.1f} s" for t, what in r["slowest"][:3])
    print(
        f"  {r['queries']} backend queries a compute, {r['query_s']:.1f} s in them; "
        f"slowest: {slowest}"
    )


def _sql_line(n: int, s: dict, remote: bool) -> None:
    print(
        f"{'hand-written SQL':<22} {_median(s['sql_times']):>8.3f} s  "
        f"({', '.join(COUNTS)} by month x channel, {n:,} leads, {s['cells']} cells)"
    )
    if remote:
        print(f"{'compute (same KPIs)':<22} {_median(s['kpi_times']):>8.3f} s")
        print(
            "time ratio compute / hand-written SQL: "
            f"{_median(s['kpi_times']) / _median(s['sql_times']):.2f}; "
            + ("same figures" if s["same"] else "figures DIFFER")
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--leads", type=int, default=100_000_000, help="leads (default 100M)"
    )
    parser.add_argument(
        "--touches-per-lead", type=int, default=4, help="mean touches per lead"
    )
    parser.add_argument(
        "--folder",
        type=Path,
        help="where the Parquet tables are (default benchmarks/.data/"
        "warehouse-<leads>-<touches>, or under $LEADKPI_BENCH_DATA)",
    )
    parser.add_argument(
        "--compare-leads",
        type=int,
        default=1_000_000,
        help="leads of the pandas comparison, and of a second hand-written SQL "
        "one (default 1M, at most --leads; 0 skips both)",
    )
    parser.add_argument(
        "--kpis",
        type=lambda text: text.split(","),
        help="KPI ids, comma-separated (default every catalogue KPI)",
    )
    parser.add_argument("--runs", type=int, default=3, help="timed runs (median)")
    parser.add_argument("--memory-limit", default="4GB", help="DuckDB memory_limit")
    parser.add_argument("--threads", type=int, default=2, help="DuckDB threads")
    parser.add_argument(
        "--max-spill", default="20GB", help="DuckDB max_temp_directory_size"
    )
    parser.add_argument(
        "--paths", action="store_true", help="also build the path table on DuckDB"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        spec = json.loads(args.child)
        print(json.dumps(STEPS[spec.pop("step")](spec)))
        return

    limits = {
        "memory_limit": args.memory_limit,
        "threads": args.threads,
        "max_spill": args.max_spill,
    }

    def tables(n: int, folder: Path | None) -> dict:
        folder = folder or default_folder(n, args.touches_per_lead)
        spec = {"folder": str(folder), "leads": n,
                "touches_per_lead": args.touches_per_lead, **limits}  # fmt: skip
        if is_generated(folder, n, args.touches_per_lead):
            print(f"tables of {n:,} leads reused from {folder}")
            return spec
        g = run("generate", spec)
        gb = sum(g[f"{t}_bytes"] for t in ("leads", "touches", "spend")) / 1e9
        print(
            f"generated {g['leads_rows']:,} leads ({g['leads_s']:.0f} s, "
            f"{g['leads_bytes'] / 1e9:.2f} GB), {g['touches_rows']:,} touches "
            f"({g['touches_s']:.0f} s, {g['touches_bytes'] / 1e9:.2f} GB), "
            f"{g['spend_rows']:,} spend rows; {gb:.2f} GB in {folder}; peak "
            f"{g['peak_mb']:.0f} MiB"
        )
        per_lead = (g["leads_bytes"] + g["touches_bytes"]) / n  # spend: fixed
        free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
        print(
            f"  {per_lead:.0f} bytes a lead (its touches included): the "
            f"{free / 1e9:.0f} GB free there hold about "
            f"{math.floor(free / per_lead / 1e6):,}M more leads"
        )
        return spec

    print(
        f"{'every catalogue KPI' if args.kpis is None else ', '.join(args.kpis)} "
        "by month x channel on DuckDB (memory_limit "
        f"{args.memory_limit}, {args.threads} threads), median of {args.runs}; "
        f"timezone {TIMEZONE}"
    )
    spec = {**tables(args.leads, args.folder), "runs": args.runs, "kpis": args.kpis}
    remote = backend_compute_available()
    n = min(args.compare_leads, args.leads)
    small = (
        spec
        if n in (0, args.leads)
        else {**tables(n, None), "runs": args.runs, "kpis": args.kpis}
    )
    with tempfile.TemporaryDirectory() as tmp:
        saved = {k: str(Path(tmp) / f"{k}.pkl") for k in ("pandas", "duckdb")}
        d = None
        if not remote:
            print("compute on RemoteData not available in this checkout: KPIs skipped")
        else:
            r = run("remote", {**spec, "save": saved["duckdb"]})
            print(
                f"{r['kpis']} KPIs ({r['valued']} with values), {r['rows_out']:,} rows"
            )
            print(_line(f"duckdb {args.leads:,}", r, args.leads))
            _queries(r)
            d = r if small is spec else None
        if n > 0:
            print(f"side by side at {n:,} leads:")
            p = run("pandas", {**small, "save": saved["pandas"]})
            print(
                _line("pandas compute", p, n)
                + f"  (LeadData build {p['build_s']:.1f} s, not counted)"
            )
            if remote:
                if d is None:
                    d = run("remote", {**small, "save": saved["duckdb"]})
                    print(_line("duckdb compute", d, n))
                    _queries(d)
                ratio = _median(p["times"]) / _median(d["times"])
                print(f"time ratio pandas / duckdb: {ratio:.2f}")
                print(compare_frames(saved["pandas"], saved["duckdb"]))
                m = run("remote", {**small, "in_memory": True, "save": saved["duckdb"]})
                print(
                    _line("duckdb in memory", m, n)
                    + f"  (tables loaded in {m['connect_s']:.1f} s, not counted)"
                )
                _queries(m)
                ratio = _median(p["times"]) / _median(m["times"])
                print(f"time ratio pandas / duckdb in memory: {ratio:.2f}")
                print(compare_frames(saved["pandas"], saved["duckdb"]))
    for size, at in {n: small, args.leads: spec}.items():
        if size > 0:
            _sql_line(size, run("sql", {**at, "compute": remote}), remote)

    if args.paths:
        r = run("paths", spec)
        if not r["available"]:
            print("path builder not available")
        else:
            print(f"path table: {r['paths']:,} paths from {r['journeys']:,} journeys")
            print(_line("duckdb path table", r, args.leads))


if __name__ == "__main__":
    main()
