"""The funnel analyses on a backend give the frames they give in memory.

The sample's assembled tables are written to Parquet once per module and read
through DuckDB (:func:`leadkpi.warehouse.connect`); every case compares the
in-memory result with the backend's, frame for frame.
"""

from __future__ import annotations

import pandas as pd
import pytest
from warehouse import spark_session, write_parquet

import leadkpi
from leadkpi.data import LeadData
from leadkpi.funnel import (
    cohort_matrix,
    funnel,
    has_lost_reasons,
    lost_by_stage,
    lost_reasons,
    response_buckets,
    speed_to_lead,
    stage_durations,
    time_between,
    time_to_stage,
)
from leadkpi.kpis.rows import NotOnBackend
from leadkpi.schemas import TABLES
from leadkpi.warehouse import connect


@pytest.fixture(scope="module")
def sample():
    return leadkpi.load_sample()


def _remote(data: LeadData, folder):
    return connect(write_parquet(data, folder), config=data.config)


@pytest.fixture(scope="module")
def remote(sample, tmp_path_factory):
    return _remote(sample, tmp_path_factory.mktemp("parquet"))


@pytest.fixture(scope="module")
def edges(tmp_path_factory):
    """Leads with every flagged case: a skipped MQL, an SQL dated before creation,
    a won date after ``as_of``, a lead created after it, no channel, and no
    opportunity column at all (its stage has a reason)."""
    leads = pd.DataFrame(
        {
            "lead_id": list("abcdefg"),
            "created_at": [
                "2026-01-05T10:00:00Z",
                "2026-01-31T23:30:00Z",  # 1 February in Madrid
                "2026-02-10T09:00:00Z",
                "2026-02-11T09:00:00Z",
                "2026-03-01T09:00:00Z",
                "2026-03-20T09:00:00Z",
                "2026-05-01T09:00:00Z",  # after as_of
            ],
            "channel": ["x", "x", "y", None, "y", "x", "x"],
            "mql_at": [
                "2026-01-06T10:00:00Z",
                None,  # skipped: SQL without MQL
                "2026-02-12T09:00:00Z",
                None,
                "2026-03-02T09:00:00Z",
                None,
                None,
            ],
            "sql_at": [
                "2026-02-20T10:00:00Z",
                "2026-02-02T10:00:00Z",
                "2026-02-01T09:00:00Z",  # before creation
                None,
                None,
                None,
                None,
            ],
            "won_at": [
                "2026-03-15T10:00:00Z",
                "2026-04-20T10:00:00Z",  # after as_of
                None,
                None,
                None,
                None,
                None,
            ],
        }
    )
    config = leadkpi.Config(timezone="Europe/Madrid")
    data = LeadData(leads=leads, config=config)
    return data, _remote(data, tmp_path_factory.mktemp("edges"))


def _same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-9)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"stage": "sql", "by": ("channel",)},
        {"stage": "mql", "by": ["owner", "country"], "max_age": 3},
        {"stage": "customer", "as_of": "2026-03-15", "cumulative": False},
        {
            "stage": "opportunity",
            "by": "industry",
            "start": "2025-06",
            "end": "2026-02",
        },
    ],
)
def test_cohort_matrix_on_duckdb_is_the_matrix_in_memory(sample, remote, kwargs):
    _same(cohort_matrix(sample, **kwargs), cohort_matrix(remote, **kwargs))


@pytest.mark.parametrize("stage", ["mql", "sql", "opportunity", "customer"])
@pytest.mark.parametrize("cumulative", [True, False])
def test_cohort_matrix_flags_on_duckdb(edges, stage, cumulative):
    data, remote = edges
    kwargs = {"by": "channel", "as_of": "2026-04-01", "cumulative": cumulative}
    expected = cohort_matrix(data, stage, **kwargs)
    assert len(expected)
    _same(expected, cohort_matrix(remote, stage, **kwargs))


def test_cohort_matrix_on_duckdb_refuses_what_it_refuses_in_memory(remote):
    with pytest.raises(ValueError, match="stage='won'"):
        cohort_matrix(remote, "won")
    with pytest.raises(ValueError, match="by='chanel'.*channel"):
        cohort_matrix(remote, by="chanel")


def test_cohort_matrix_on_duckdb_without_leads_in_range_is_empty(sample, remote):
    kwargs = {"start": "2030-01"}
    expected = cohort_matrix(sample, **kwargs)
    assert expected.empty
    _same(expected, cohort_matrix(remote, **kwargs))


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"start": "2026-01", "end": "2026-03"},
        {"by": ("month",), "window": 90, "start": "2026-06"},
        {"by": ("channel",), "mode": "period"},
        {"by": ("month", "channel"), "cumulative": False, "as_of": "2026-05-01"},
        {"by": ("quarter",), "window": 30.5},
    ],
)
def test_funnel_on_duckdb_is_the_funnel_in_memory(sample, remote, kwargs):
    expected = funnel(sample, **kwargs)
    assert list(expected["stage"].unique())[0] == "session"
    _same(expected, funnel(remote, **kwargs))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"by": ("channel",)},
        {"by": ("month",), "cumulative": False},
        {"by": ("month", "channel"), "mode": "period"},
        {"window": 20},
        {"by": ("channel",), "window": 40},
    ],
)
def test_funnel_flags_on_duckdb(edges, kwargs):
    data, remote = edges
    kwargs = {"as_of": "2026-04-01", **kwargs}
    expected = funnel(data, **kwargs)
    flagged = expected[["skipped", "before_created", "future"]].sum()
    assert flagged.sum() > 0
    assert expected["reason"].notna().any()  # no opportunity_at column
    _same(expected, funnel(remote, **kwargs))


def test_funnel_on_duckdb_with_the_default_as_of_and_own_stages(edges):
    data, remote = edges
    stages = [("lead", "created_at"), ("sql", "sql_at"), ("customer", "won_at")]
    for kwargs in ({}, {"stages": stages, "by": "month"}):
        _same(funnel(data, **kwargs), funnel(remote, **kwargs))


@pytest.mark.parametrize(
    ("pair", "kwargs"),
    [
        (("lead", "customer"), {}),
        (("lead", "customer"), {"by": "channel"}),
        (("mql", "sql"), {"by": ("month",), "mode": "period"}),
        (("lead", "mql"), {"by": ("quarter", "owner"), "start": "2025-03"}),
        (("sql", "opportunity"), {"by": ("week",)}),
        (("lead", "first_response_at"), {"by": "country", "end": "2026-06"}),
    ],
)
def test_time_between_on_duckdb_is_the_table_in_memory(sample, remote, pair, kwargs):
    expected = time_between(sample, *pair, **kwargs)
    got = time_between(remote, *pair, **kwargs)
    _same(expected, got)
    # medians are order statistics (or the mean of two): exact, not only close
    assert (expected["median"].to_numpy() == got["median"].to_numpy()).all()


def test_stage_durations_on_duckdb(sample, remote):
    _same(stage_durations(sample, by="month"), stage_durations(remote, by="month"))


@pytest.mark.parametrize(
    ("pair", "kwargs"),
    [
        (("lead", "sql"), {"by": ("month", "channel")}),  # a cell with only negatives
        (("mql", "sql"), {}),
        (("lead", "opportunity"), {"by": "channel"}),  # no such column: a reason
        (("lead", "customer"), {"by": "month", "mode": "period"}),
        (("lead", "sql"), {"start": "2027-01"}),  # nothing selected: empty
    ],
)
def test_time_between_flags_on_duckdb(edges, pair, kwargs):
    data, remote = edges
    expected = time_between(data, *pair, **kwargs)
    _same(expected, time_between(remote, *pair, **kwargs))


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"stage": "sql", "by": "channel"},
        {"stage": "customer", "competing": "lost_at", "start": "2025-06"},
        {"stage": "opportunity", "by": ["owner"], "cumulative": False},
        {"stage": "mql", "as_of": "2026-03-01", "end": "2026-01"},
    ],
)
def test_time_to_stage_on_duckdb_is_the_curve_in_memory(sample, remote, kwargs):
    _same(time_to_stage(sample, **kwargs), time_to_stage(remote, **kwargs))


@pytest.mark.parametrize("stage", ["mql", "sql", "customer"])
def test_time_to_stage_flags_on_duckdb(edges, stage):
    data, remote = edges
    for kwargs in ({"by": "channel"}, {"as_of": "2026-04-01"}):
        _same(
            time_to_stage(data, stage, **kwargs), time_to_stage(remote, stage, **kwargs)
        )
    with pytest.raises(ValueError, match="cannot follow stage 'opportunity'"):
        time_to_stage(remote, "opportunity")
    with pytest.raises(ValueError, match="competing='lost_at' is not a column"):
        time_to_stage(remote, stage, competing="lost_at")


@pytest.mark.parametrize(
    "analysis",
    [
        speed_to_lead,
        response_buckets,
        lost_reasons,
        lost_by_stage,
        has_lost_reasons,
    ],
)
def test_analyses_kept_in_memory_say_so_on_a_backend(remote, analysis):
    with pytest.raises(NotOnBackend) as info:
        analysis(remote)
    message = str(info.value)
    assert message.startswith(f"{analysis.__name__} runs on tables in memory only")
    assert "leadkpi.load(config)" in message
    assert "funnel, cohort_matrix, time_to_stage, time_between" in message


def test_speed_to_lead_on_business_hours_names_them_on_a_backend(remote):
    with pytest.raises(NotOnBackend, match=r"response times on business hours"):
        speed_to_lead(remote, clock="business")


@pytest.fixture(scope="module")
def spark_edges(edges, tmp_path_factory):
    """The edge cases on the tests' Spark session (it takes ~10 s to start),
    loaded from Parquet so that missing dates stay NULL, under a view name of
    their own (other modules register ``leads``)."""
    pytest.importorskip("pyspark")
    import ibis

    session = spark_session()
    data, _ = edges
    folder = write_parquet(data, tmp_path_factory.mktemp("spark"))
    view = "funnel_edges_leads"
    session.read.parquet(str(folder / "leads.parquet")).createOrReplaceTempView(view)
    con = ibis.pyspark.connect(session)
    tables = {**dict.fromkeys(TABLES), "leads": view}  # no other module's views
    return data, connect(con, tables, config=data.config)


def test_funnel_cohorts_and_durations_on_spark(spark_edges):
    data, remote = spark_edges
    assert remote.name == "pyspark"
    when = {"as_of": "2026-04-01"}
    _same(
        funnel(data, by=("channel",), window=40, **when),
        funnel(remote, by=("channel",), window=40, **when),
    )
    _same(
        cohort_matrix(data, "mql", by="channel", **when),
        cohort_matrix(remote, "mql", by="channel", **when),
    )
    _same(
        time_between(data, "lead", "sql", by=("month", "channel")),
        time_between(remote, "lead", "sql", by=("month", "channel")),
    )
    _same(
        time_to_stage(data, "sql", by="channel", **when),
        time_to_stage(remote, "sql", by="channel", **when),
    )
