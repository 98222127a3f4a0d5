"""Attribution paths counted on a backend: the same path table (and credit) as the
journeys built in memory, on DuckDB and on Spark."""

from __future__ import annotations

from pathlib import Path

import ibis
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from warehouse import spark_session, spark_tables, write_parquet

from leadkpi import LeadData, load
from leadkpi.attribution import NO_TOUCH, attribute, journeys, path_table
from leadkpi.attribution.remote import remote_paths
from leadkpi.config import Config
from leadkpi.exceptions import ArgumentError
from leadkpi.warehouse import connect

MADRID = Config(timezone="Europe/Madrid")
#: Every option set the sample is compared under (with both levels).
OPTIONS = [
    {},
    {"conversion": "mql", "lookback_days": None},
    {"conversion": "lead", "lookback_days": 7, "start": "2026-02", "end": "2026-05"},
    {"conversion": "sql", "lookback_days": 30.5, "start": "2026-03"},
    {"conversion": "opportunity", "lookback_days": 1, "end": "2026-04"},
    {"conversion": "customer", "lookback_days": 365, "value_col": "score"},
]


def _same(local: pd.DataFrame, remote: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(local, remote, check_exact=False, rtol=1e-9)
    assert remote.attrs == local.attrs


@pytest.fixture(scope="module")
def sample():
    return load(Path(__file__).resolve().parents[1] / "leadkpi.yaml")


@pytest.fixture(scope="module")
def sample_folder(sample, tmp_path_factory):
    return write_parquet(sample, tmp_path_factory.mktemp("paths") / "tables")


@pytest.fixture(scope="module")
def on_duckdb(sample, sample_folder):
    return connect(sample_folder, config=sample.config)


@pytest.mark.parametrize("by", ["channel", "campaign"])
@pytest.mark.parametrize(
    "options", OPTIONS, ids=lambda o: "-".join(map(str, o.values()))
)
def test_sample_paths_equal_on_duckdb(sample, on_duckdb, by, options):
    local = path_table(journeys(sample, **options), by=by)
    remote = path_table(on_duckdb, by=by, **options)
    assert len(remote) > 0
    _same(local, remote)


def test_sample_credit_equal_on_duckdb(sample, on_duckdb):
    models = ["first_touch", "last_non_direct", "linear", "position", "markov_2"]
    for by in ("channel", "campaign"):
        local = attribute(journeys(sample, conversion="sql"), models=models, by=by)
        remote = attribute(on_duckdb, models=models, by=by, conversion="sql")
        pd.testing.assert_frame_equal(local, remote, check_exact=False, rtol=1e-9)
        assert remote.attrs == local.attrs
    markov = attribute(on_duckdb, models="markov_1")
    assert markov["conversions"].sum() == pytest.approx(205)


def _small(con) -> tuple[LeadData, object]:
    """a: search(1) > email(3) > direct(5) > social(8, after its win on 6);
    b: social(2), never converts; c: won on 9 without a touch; d: social and email
    at the same instant (email first by name); x: a touch of no lead."""
    day = "2025-03-{:02d}T10:00:00Z".format
    data = LeadData(
        leads=pd.DataFrame(
            {
                "lead_id": ["a", "b", "c", "d"],
                "created_at": [day(3), day(2), day(9), day(4)],
                "won_at": [day(6), None, day(9), day(10)],
                "deal_value": [1000.0, None, 500.0, 200.0],
            }
        ),
        touches=pd.DataFrame(
            {
                "lead_id": ["a", "a", "a", "a", "b", "d", "d", "x"],
                "touched_at": [day(d) for d in (1, 3, 5, 8, 2, 4, 4, 4)],
                "channel": [
                    *("search", "email", "direct", "social"),
                    *("social", "social", "email", "email"),
                ],
                "campaign": ["s1", "e1", "", "so1", "so1", "so2", "e1", "e1"],
            }
        ),
    )
    return data, _tables(con, data)


def _tables(con, data: LeadData):
    for name in ("leads", "touches"):
        con.create_table(name, data.tables[name], overwrite=True)
    return connect(con, config=data.config)


@pytest.fixture(scope="module")
def duck():
    return ibis.duckdb.connect()


def test_small_paths_by_hand(duck):
    data, remote = _small(duck)
    table = path_table(remote, lookback_days=None)
    assert table.to_dict("list") == {
        "path": [NO_TOUCH, "email > social", "search > email > direct", "social"],
        "conversions": [1.0, 1.0, 1.0, 0.0],
        "value": [500.0, 200.0, 1000.0, 0.0],
        "nulls": [0.0, 0.0, 0.0, 1.0],
    }
    assert table.attrs == {
        "dropped": {
            "unknown_lead": 1,
            "undated": 0,
            "after_conversion": 1,
            "outside_period": 0,
            "before_lookback": 0,
        },
        "no_touch": 1,
        "conversion": "customer",
    }
    short = path_table(remote, lookback_days=4, by="campaign")
    assert short.to_dict("list") == {  # c, and d whose touches are too early
        "path": [f"{NO_TOUCH}/{NO_TOUCH}", "email/e1 > direct/", "social/so1"],
        "conversions": [2.0, 1.0, 0.0],
        "value": [700.0, 1000.0, 0.0],
        "nulls": [0.0, 0.0, 1.0],
    }
    assert short.attrs["dropped"]["before_lookback"] == 3
    assert short.attrs["no_touch"] == 2
    _same(path_table(data, lookback_days=4, by="campaign"), short)
    nothing = path_table(remote, start="2025-05")
    _same(path_table(data, start="2025-05"), nothing)
    assert nothing.empty and list(nothing.columns) == [
        "path",
        "conversions",
        "value",
        "nulls",
    ]


def test_wall_clock_columns_give_the_same_paths(duck):
    """Timestamps without a time zone are the project's wall-clock time: touches
    so written, with the leads' dates as instants or also as wall-clock time,
    give the paths of the instants."""
    data, remote = _small(duck)
    expected = path_table(remote, lookback_days=4, by="campaign")
    local = {
        name: data.tables[name].assign(
            **{
                c: data.tables[name][c]
                .dt.tz_convert("Europe/Madrid")
                .dt.tz_localize(None)
                for c in data.tables[name].columns
                if isinstance(data.tables[name][c].dtype, pd.DatetimeTZDtype)
            }
        )
        for name in ("leads", "touches")
    }
    duck.create_table("touches_local", local["touches"], overwrite=True)
    duck.create_table("leads_local", local["leads"], overwrite=True)
    for leads in ("leads", "leads_local"):
        tables = {"touches": "touches_local", "leads": leads}
        got = path_table(
            connect(duck, tables, config=MADRID), lookback_days=4, by="campaign"
        )
        _same(expected, got)


def test_options_are_checked(duck, sample):
    _, remote = _small(duck)
    with pytest.raises(ArgumentError, match="conversion='won'"):
        path_table(remote, conversion="won")
    with pytest.raises(ArgumentError, match="lookback_days"):
        path_table(remote, lookback_days=0)
    with pytest.raises(ArgumentError, match=r"unknown option\(s\) \['lookback'\]"):
        path_table(remote, lookback=3)
    with pytest.raises(ArgumentError, match="not to a journeys frame"):
        path_table(journeys(sample), conversion="mql")
    with pytest.raises(ArgumentError, match="by='stage'"):
        path_table(remote, by="stage")
    leads_only = connect(duck, {"touches": None}, config=remote.config)
    with pytest.raises(ArgumentError, match="need the touches table"):
        path_table(leads_only)


#: Hours from 2025-03-25 00:00 UTC: across the change to summer time in Madrid
#: (30 March) and the turn of the month in Madrid (31 March 22:00 UTC).
START = pd.Timestamp("2025-03-25", tz="UTC")


@st.composite
def _lead_data(draw) -> LeadData:
    """A few leads with touches at whole or half hours, many at the same instant
    (and some identical), a few of no lead, channels and campaigns missing."""
    n = draw(st.integers(1, 8))
    hours = st.integers(0, 2 * 14 * 24).map(lambda h: h / 2)
    channels = st.sampled_from(["search", "email", "direct", "social", None])
    campaigns = st.sampled_from(["c1", "c2", "", None])
    leads, touches = [], []
    for i in range(n):
        lead = f"L{i}"
        won = draw(st.one_of(st.none(), hours))
        created = draw(hours)
        value = draw(st.one_of(st.none(), st.floats(0, 1e5, allow_nan=False)))
        leads.append((lead, created, won, value))
        base = draw(hours)
        for _ in range(draw(st.integers(0, 6))):
            at = base + draw(st.sampled_from([0.0, 0.0, 0.5, 24.0, 72.0, -30.0]))
            touches.append((lead, at, draw(channels), draw(campaigns)))
    for _ in range(draw(st.integers(0, 2))):
        touches.append(("nobody", draw(hours), "email", "c1"))
    if not touches:
        touches.append(("L0", 0.0, "email", "c1"))

    def stamp(hour):
        return None if hour is None else START + pd.Timedelta(hours=hour)

    return LeadData(
        leads=pd.DataFrame(
            {
                "lead_id": [x[0] for x in leads],
                "created_at": pd.to_datetime([stamp(x[1]) for x in leads], utc=True),
                "won_at": pd.to_datetime([stamp(x[2]) for x in leads], utc=True),
                "deal_value": pd.Series([x[3] for x in leads], dtype=float),
            }
        ),
        touches=pd.DataFrame(
            {
                "lead_id": [t[0] for t in touches],
                "touched_at": [stamp(t[1]) for t in touches],
                "channel": pd.Series([t[2] for t in touches], dtype="str"),
                "campaign": pd.Series([t[3] for t in touches], dtype="str"),
            }
        ),
        config=MADRID,
    )


@settings(max_examples=40, deadline=None)
@given(
    _lead_data(),
    st.sampled_from(["customer", "lead"]),
    st.sampled_from([None, 0.5, 3]),
    st.sampled_from([(None, None), ("2025-03", "2025-03"), ("2025-04", None)]),
    st.sampled_from(["channel", "campaign"]),
)
def test_paths_equal_on_generated_data(duck, data, conversion, lookback, period, by):
    """Ties at the same instant are broken by channel and campaign on both sides;
    touches that tie on all three are the same name on the path, whatever their
    rows' order, so the tables are equal."""
    remote = _tables(duck, data)
    options = {
        "conversion": conversion,
        "lookback_days": lookback,
        "start": period[0],
        "end": period[1],
    }
    local = path_table(data, by=by, **options)
    _same(local, path_table(remote, by=by, **options))
    # leads split by hash into queries of their own: paths met in several add up
    _same(local, remote_paths(remote, by=by, partitions=3, **options))
    if len(local) and by == "channel":
        credit = attribute(remote, models=["markov_1", "last_non_direct"], **options)
        expected = attribute(data, models=["markov_1", "last_non_direct"], **options)
        pd.testing.assert_frame_equal(
            expected, credit, check_exact=False, rtol=1e-9, atol=1e-9
        )


@pytest.fixture(scope="module")
def spark(sample, sample_folder):
    session = spark_session()  # skips without Java
    spark_tables(session, sample_folder)
    return connect(ibis.pyspark.connect(session), config=sample.config)


def test_sample_paths_equal_on_spark(spark, sample):
    assert spark.name == "pyspark"
    options = {"conversion": "mql", "lookback_days": 30, "start": "2026-02"}
    expected = path_table(journeys(sample, **options), by="campaign")
    _same(expected, path_table(spark, by="campaign", **options))
    # Spark's hashes are signed: the partitions still cover every lead once
    _same(expected, remote_paths(spark, by="campaign", partitions=3, **options))


def test_sample_paths_in_partitions_equal_on_duckdb(sample, on_duckdb):
    expected = path_table(journeys(sample), by="campaign")
    for parts in (2, 7):
        _same(expected, remote_paths(on_duckdb, by="campaign", partitions=parts))
    with pytest.raises(ArgumentError, match="partitions=0"):
        remote_paths(on_duckdb, partitions=0)
