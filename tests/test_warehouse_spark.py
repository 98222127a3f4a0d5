"""KPIs computed on Spark (a local session) equal KPIs computed in memory.

The sample company's assembled tables are written to Parquet and read by Spark as
views; a set of KPIs that asks for every kind of measure (counts, cohort and
period readings, cumulative stages, paid channels, costs shared by their rules,
quantiles, stocks, a baseline, per-day web users) is computed both ways. Skipped,
with the reason, on a machine without Java.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import ibis
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_warehouse import _KPIS as GENERATED_KPIS
from test_warehouse import companies
from warehouse import assert_same, spark_session, spark_tables, write_parquet

from leadkpi import LeadData, load
from leadkpi.kpis import compute
from leadkpi.warehouse import connect

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample() -> LeadData:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load(ROOT / "leadkpi.yaml")


SPARK_KPIS = [
    "leads",
    "lead_to_mql_rate",
    "cost_per_lead",
    "cac",
    "contacted_within_sla_rate",
    "nurture_leads",
    "time_to_conversion",
    "time_to_conversion_p90",
    "stage_duration",
    "database_size",
    "opt_out_rate",
    "pipeline_value",
    "churn_rate",
    "revenue_uplift",
    "visitors",
]


@pytest.fixture(scope="module")
def session():
    return spark_session()


@pytest.fixture(scope="module")
def spark(sample, session, tmp_path_factory):
    spark_tables(session, write_parquet(sample, tmp_path_factory.mktemp("spark")))
    return connect(ibis.pyspark.connect(session), config=sample.config)


@pytest.mark.parametrize(
    "grain",
    [
        {"by": ("month", "channel")},
        {"by": (), "start": "2026-10", "end": "2026-10", "mode": "period"},
    ],
    ids=["month-channel", "one-figure"],
)
def test_the_sample_gives_the_same_kpis_on_spark(sample, spark, grain):
    assert spark.name == "pyspark"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = compute(sample, SPARK_KPIS, **grain)
        got = compute(spark, SPARK_KPIS, **grain)
    assert len(expected) > 0
    assert_same(expected, got)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    data=companies(),
    kpis=st.lists(st.sampled_from(GENERATED_KPIS), min_size=1, max_size=5, unique=True),
    by=st.sampled_from([(), ("month",), ("month", "channel"), ("week",)]),
    mode=st.sampled_from(["cohort", "period"]),
)
def test_generated_companies_give_the_same_kpis_on_spark(
    session, tmp_path_factory, data, kpis, by, mode
):
    folder = write_parquet(data, tmp_path_factory.mktemp("generated"))
    views = spark_tables(session, folder, prefix="generated_")
    remote = connect(ibis.pyspark.connect(session), views, config=data.config)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = compute(data, kpis, by=by, mode=mode)
        got = compute(remote, kpis, by=by, mode=mode)
    assert_same(expected, got)
