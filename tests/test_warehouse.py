"""KPIs computed on a backend equal KPIs computed in memory.

The sample company's assembled tables are written to Parquet (and to a DuckDB
file), opened with :func:`leadkpi.connect`, and every catalogue KPI is computed
both ways at several grains; hypothesis then generates small companies, grains and
ranges. tests/test_warehouse_spark.py runs the comparison on a local Spark session.
"""

from __future__ import annotations

import dataclasses
import warnings
from pathlib import Path
from unittest import mock

import ibis
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warehouse import (
    assert_same,
    write_duckdb,
    write_parquet,
)

from leadkpi import LeadData, load
from leadkpi.config import BusinessHours
from leadkpi.exceptions import ArgumentError
from leadkpi.kpis import compute
from leadkpi.kpis import remote as remote_kpis
from leadkpi.kpis.kpi import kpi
from leadkpi.kpis.measures import Measure, Statistic
from leadkpi.kpis.rows import Number, Seconds
from leadkpi.warehouse import RemoteData, RemoteSchemaError, connect

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample() -> LeadData:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load(ROOT / "leadkpi.yaml")


@pytest.fixture(scope="module")
def folder(sample, tmp_path_factory) -> Path:
    return write_parquet(sample, tmp_path_factory.mktemp("warehouse") / "tables")


@pytest.fixture(scope="module")
def remote(sample, folder) -> RemoteData:
    return connect(folder, config=sample.config)


def both(data, remote, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compute(data, **kw), compute(remote, **kw)


GRAINS = [
    {"by": ("month",)},
    {"by": ("month", "channel")},
    {"by": ("month", "channel"), "mode": "period"},
    {"by": (), "start": "2026-10", "end": "2026-10"},
    {"by": ("quarter", "campaign")},
    {"by": ("week",), "start": "2026-09", "end": "2026-10"},
    {"by": ("day", "channel"), "start": "2026-10", "end": "2026-10"},
    {"by": ("year", "owner")},
    {"by": ("month", "channel"), "count_by": "account"},
    {"by": ("channel",), "start": "2026-01", "end": "2026-06", "mode": "period"},
]


@pytest.mark.parametrize("grain", GRAINS, ids=lambda g: repr(g))
def test_every_kpi_of_the_sample_is_the_same_on_duckdb(sample, remote, grain):
    expected, got = both(sample, remote, **grain)
    assert len(expected) > 0
    assert_same(expected, got)
    assert got.attrs == expected.attrs


def test_fiscal_quarters_are_the_same_on_duckdb(sample, remote):
    config = dataclasses.replace(sample.config, fiscal_year_start=4)
    expected, got = both(
        sample.with_config(config),
        remote.with_config(config),
        kpis=["leads", "customers", "revenue", "time_to_conversion", "churn_rate"],
        by=("quarter", "channel"),
    )
    assert_same(expected, got)
    assert str(got["quarter"].iloc[0].freqstr) == "Q-MAR"


def test_the_sample_from_a_duckdb_file_with_its_own_table_names(sample, tmp_path):
    file = write_duckdb(sample, tmp_path / "crm.duckdb", {"leads": "crm_leads"})
    data = connect(f"duckdb:///{file}", {"leads": "crm_leads"}, config=sample.config)
    assert "leads" in data.tables and "spend" in data.tables
    kpis = ["leads", "cost_per_lead", "cac", "time_to_conversion", "database_size"]
    expected, got = both(sample, data, kpis=kpis, by=("month", "channel"))
    assert_same(expected, got)
    assert connect(file, {"leads": "crm_leads"}, config=sample.config).leads is not None


def test_a_measure_written_as_a_python_function_is_unknown_with_a_reason(
    sample, remote
):
    def big(table, config):
        return (table["deal_value"] > 10_000).to_numpy(dtype=bool, na_value=False)

    measure = Measure(
        "big_deals", "leads", "won_at", where=big, columns=("deal_value",)
    )
    custom = kpi("big_deals", "count of big_deals", "count", "higher",
                 measures=("big_deals",))  # fmt: skip
    kw = {"kpis": [custom], "by": ("month",), "measures": {"big_deals": measure}}
    expected, got = both(sample, remote, **kw)
    assert expected["value"].sum() > 0
    assert got["value"].isna().all()
    assert "Python function" in got["reason"].iloc[0]
    assert "leadkpi.kpis.rows" in got["reason"].iloc[0]


def test_business_hours_say_they_run_in_memory_only(sample, remote):
    config = dataclasses.replace(sample.config, business_hours=BusinessHours())
    got = compute(remote.with_config(config), "lead_response_time", by=("month",))
    assert got["value"].isna().all()
    assert "business hours" in got["reason"].iloc[0]


# --- connecting ------------------------------------------------------------------


def _leads(**columns) -> pd.DataFrame:
    base = {
        "lead_id": ["a", "b"],
        "created_at": pd.to_datetime(["2026-01-05", "2026-02-01"], utc=True),
    }
    return pd.DataFrame({**base, **columns})


def test_a_missing_required_column_names_the_closest_one():
    con = ibis.duckdb.connect()
    con.create_table("leads", _leads().rename(columns={"created_at": "created"}))
    with pytest.raises(RemoteSchemaError, match=r"created_at.*did you mean 'created'"):
        connect(con)


def test_a_column_of_the_wrong_type_is_refused():
    con = ibis.duckdb.connect()
    con.create_table("leads", _leads(created_at=["yesterday", "today"]))
    with pytest.raises(RemoteSchemaError, match="created_at.*expected timestamp"):
        connect(con)


def test_unknown_tables_and_backends_are_named():
    con = ibis.duckdb.connect()
    con.create_table("crm_leads", _leads())
    with pytest.raises(ArgumentError, match="'lead' is not a canonical table.*'leads'"):
        connect(con, {"lead": "crm_leads"})
    with pytest.raises(ArgumentError, match="no table 'crm_lead'.*'crm_leads'"):
        connect(con, {"leads": "crm_lead"})
    with pytest.raises(ArgumentError, match="no such DuckDB file"):
        connect("duckdb:///nowhere/crm.duckdb")
    with pytest.raises(ArgumentError, match="Parquet files"):
        connect(42)
    data = connect(con, {"leads": "crm_leads"})
    assert data.deals is None
    assert repr(data) == "RemoteData(duckdb: leads)"


# --- generated companies ---------------------------------------------------------

_CHANNELS = ["paid_search", "email", "events", None]
_START = pd.Timestamp("2025-11-01", tz="UTC").value // 10**9


@st.composite
def companies(draw) -> LeadData:
    n = draw(st.integers(1, 60))
    seconds = st.integers(0, 86400 * 120)
    created = np.array(draw(st.lists(seconds, min_size=n, max_size=n))) + _START

    def later(present: float) -> list[object]:
        out = []
        for c in created:
            if draw(st.floats(0, 1)) < present:
                delay = draw(st.integers(-3600, 86400 * 40))
                out.append(pd.Timestamp((c + delay) * 10**9, tz="UTC"))
            else:
                out.append(None)
        return out

    leads = pd.DataFrame(
        {
            "lead_id": [f"L{i}" for i in range(n)],
            "created_at": pd.to_datetime(created * 10**9, utc=True),
            "channel": draw(
                st.lists(st.sampled_from(_CHANNELS), min_size=n, max_size=n)
            ),
            "mql_at": later(0.6),
            "sql_at": later(0.4),
            "won_at": later(0.25),
            "first_response_at": later(0.7),
            "opted_out_at": later(0.1),
            "deal_value": draw(
                st.lists(st.floats(0, 5000, allow_nan=False), min_size=n, max_size=n)
            ),
            "score": draw(st.lists(st.integers(0, 100), min_size=n, max_size=n)),
        }
    )
    days = draw(st.integers(1, 40))
    spend = pd.DataFrame(
        {
            "date": pd.date_range("2025-12-01", periods=days, freq="3D").strftime(
                "%Y-%m-%d"
            ),
            "channel": draw(
                st.lists(
                    st.sampled_from(["paid_search", "events"]),
                    min_size=days,
                    max_size=days,
                )
            ),
            "cost": draw(
                st.lists(
                    st.floats(0, 900, allow_nan=False), min_size=days, max_size=days
                )
            ),
            "clicks": draw(st.lists(st.integers(0, 90), min_size=days, max_size=days)),
        }
    )
    return LeadData(leads=leads, spend=spend)


_KPIS = [
    "leads",
    "mqls",
    "sqls",
    "customers",
    "lead_to_mql_rate",
    "mqls_recorded",
    "cost_per_lead",
    "cpc",
    "lead_response_time",
    "contacted_within_sla_rate",
    "never_contacted_rate",
    "time_to_conversion",
    "time_to_conversion_p90",
    "stage_duration",
    "avg_lead_score",
    "revenue",
    "average_deal_size",
    "roas",
    "database_size",
    "opt_out_rate",
    "revenue_uplift",
]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    data=companies(),
    kpis=st.lists(st.sampled_from(_KPIS), min_size=1, max_size=6, unique=True),
    by=st.sampled_from(
        [(), ("month",), ("month", "channel"), ("week",), ("quarter",), ("channel",)]
    ),
    mode=st.sampled_from(["cohort", "period"]),
    bounds=st.sampled_from([(None, None), ("2025-12", "2026-01"), ("2026-02", None)]),
)
def test_generated_companies_give_the_same_kpis_on_duckdb(
    tmp_path_factory, data, kpis, by, mode, bounds
):
    folder = write_parquet(data, tmp_path_factory.mktemp("generated"))
    remote = connect(folder, config=data.config)
    start, end = bounds
    expected, got = both(
        data, remote, kpis=kpis, by=by, mode=mode, start=start, end=end
    )
    assert_same(expected, got)


# --- quantiles ranked by bucket ---------------------------------------------------

_VALUES = st.one_of(
    st.sampled_from([0.0, 1.0, 1000.0, 1000.25, 1000.5, 1003.0, -2.0, -2.5]),
    st.floats(-1e4, 1e9, allow_nan=False, allow_infinity=False),
    st.integers(0, 50).map(float),
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    values=st.lists(_VALUES, min_size=1, max_size=300),
    stat=st.sampled_from([("median", 0.5), ("quantile", 0.9), ("quantile", 0.1)]),
    negative=st.sampled_from([None, "a negative score"]),
    other_negative=st.sampled_from([None, "mql_at before created_at"]),
    by=st.sampled_from([(), ("month",), ("month", "channel")]),
    buckets=st.booleans(),
    data=st.data(),
)
def test_quantiles_on_a_backend_are_exact(
    tmp_path_factory, values, stat, negative, other_negative, by, buckets, data
):
    # many values in a bucket (1000.x), ties, negatives, tiny and huge values: the
    # ranks read from every cell's values sorted into arrays (small tables), or
    # from the buckets' counts and the ranking of the undecided ones (large
    # tables, forced here), are the order statistics numpy gives; a 90th
    # percentile of the same values shares the queries, and a median of other
    # values (missing in some rows) shares the arrays' query
    n = len(values)
    days = data.draw(st.lists(st.integers(0, 60), min_size=n, max_size=n))
    channels = data.draw(st.lists(st.sampled_from(["a", "b"]), min_size=n, max_size=n))
    # the other values: seconds to the MQL stage, unset or before creation in some
    gaps = st.one_of(st.none(), st.integers(-86400, 40 * 86400))
    others = data.draw(st.lists(gaps, min_size=n, max_size=n))
    leads = pd.DataFrame(
        {
            "lead_id": [f"L{i}" for i in range(n)],
            "created_at": pd.to_datetime(
                (_START + np.array(days) * 86400) * 10**9, utc=True
            ),
            "channel": channels,
            "score": values,
            "mql_at": pd.to_datetime(
                [None if g is None else (_START + d * 86400 + g) * 10**9
                 for d, g in zip(days, others, strict=True)], utc=True,
            ),
        }
    )
    memory = LeadData(leads=leads, config=load(ROOT / "leadkpi.yaml").config)
    name, q = stat
    measures = {
        "score_q": Statistic(
            "score_q", "leads", "created_at", Number("score"), stat=name, q=q,
            columns=("score",), negative=negative,
        ),
        "score_p90": Statistic(
            "score_p90", "leads", "created_at", Number("score"), stat="quantile",
            q=0.9, columns=("score",), negative=negative,
        ),
        "mql_median": Statistic(
            "mql_median", "leads", "created_at", Seconds("created_at", "mql_at"),
            columns=("created_at", "mql_at"), negative=other_negative,
        ),
    }  # fmt: skip
    kpis = [kpi(k, "score quantile", "points", None, measures=(k,)) for k in measures]
    folder = write_parquet(memory, tmp_path_factory.mktemp("scores"))
    remote = connect(folder, config=memory.config)
    kw = {"kpis": kpis, "by": by, "measures": measures}
    limit = -1 if buckets else remote_kpis.SORTED_ARRAY_ROWS
    with mock.patch.object(remote_kpis, "SORTED_ARRAY_ROWS", limit):
        expected, got = both(memory, remote, **kw)
    if negative is None or any(v >= 0 for v in values):  # something to rank
        assert expected["value"].notna().any()
    assert_same(expected, got, rtol=0.0)


@pytest.mark.parametrize("mode", ["cohort", "period"])
def test_quantiles_of_several_values_dated_alike_share_one_query(
    sample, folder, mode
):
    # in cohort mode every duration is dated by its lead's creation: the response
    # times, times to conversion and times in each stage are sorted into arrays
    # by one query; in period mode each is dated by its own stage, one query each
    ids = ["lead_response_time", "time_to_conversion", "stage_duration"]
    remote = connect(folder, config=sample.config)
    run = remote.backend.to_pandas
    arrays = []

    def counted(expr, *args, **kwargs):
        names = expr.schema().names if hasattr(expr, "schema") else []
        if any(name.startswith("__r") for name in names):
            arrays.append(names)
        return run(expr, *args, **kwargs)

    with mock.patch.object(remote.backend, "to_pandas", counted):
        expected, got = both(sample, remote, kpis=ids, by=("month",), mode=mode)
    assert_same(expected, got)
    assert expected["value"].notna().sum() > 10
    assert len(arrays) == (1 if mode == "cohort" else 3)
