"""What the backend tests share: canonical tables written where a backend reads them,
a Spark session, and the comparison of a result in memory with one from a backend."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leadkpi.data import LeadData

#: Why the Spark tests are skipped on a machine without Java (`make java` installs it).
NO_JAVA = "Spark needs Java: `make java` installs Debian's headless runtime"


def write_parquet(data: LeadData, folder: Path) -> Path:
    """The assembled canonical tables of ``data``, one Parquet file each, times in
    microseconds (what warehouses and Spark keep)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in data.tables.items():
        table = pa.Table.from_pandas(frame, preserve_index=False)
        # an empty column is still a column of text, as a warehouse declares it
        fields = [
            f.with_type(pa.string()) if pa.types.is_null(f.type) else f
            for f in table.schema
        ]
        pq.write_table(
            table.cast(pa.schema(fields, metadata=table.schema.metadata)),
            folder / f"{name}.parquet",
            coerce_timestamps="us",
            allow_truncated_timestamps=True,
        )
    return folder


def write_duckdb(
    data: LeadData, file: Path, names: dict[str, str] | None = None
) -> Path:
    """The assembled canonical tables of ``data`` in a DuckDB file, each under
    ``names[table]`` (default: its own name)."""
    import duckdb

    with duckdb.connect(str(file)) as con:
        for name, frame in data.tables.items():
            target = (names or {}).get(name, name)
            con.register("frame", frame)
            con.execute(f'CREATE TABLE "{target}" AS SELECT * FROM frame')
            con.unregister("frame")
    return file


def spark_session():
    """A local Spark session (two cores, few shuffle partitions, no UI), or a
    skipped test when the machine has no Java."""
    if shutil.which("java") is None:
        pytest.skip(NO_JAVA)
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("leadkpi-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "4")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def spark_tables(session, folder: Path, prefix: str = "") -> dict[str, str]:
    """Register each Parquet file of ``folder`` as a Spark view named ``prefix``
    and its name (read from Parquet, so an empty cell stays NULL, not NaN);
    returns the view of each table."""
    views = {}
    for file in sorted(folder.glob("*.parquet")):
        views[file.stem] = f"{prefix}{file.stem}"
        session.read.parquet(str(file)).createOrReplaceTempView(views[file.stem])
    return views


def assert_same(expected: pd.DataFrame, got: pd.DataFrame, rtol: float = 1e-9) -> None:
    """The same rows and columns; numbers equal within ``rtol`` (NaN equal to NaN),
    everything else equal as text (empty equal to empty)."""
    assert list(got.columns) == list(expected.columns)
    assert len(got) == len(expected), (len(expected), len(got))
    keys = [
        c
        for c in expected.columns
        if c not in ("value", "numerator", "denominator", "n", "ci_low", "ci_high")
        and expected[c].dtype.kind != "f"
    ]
    for column in expected.columns:
        a, b = expected[column], got[column]
        if a.dtype.kind in "fiub" and b.dtype.kind in "fiub":
            x, y = a.to_numpy(dtype="float64"), b.to_numpy(dtype="float64")
            bad = ~np.isclose(x, y, rtol=rtol, atol=1e-9, equal_nan=True)
        else:
            na, nb = a.isna().to_numpy(), b.isna().to_numpy()
            text_a = a.astype(str).to_numpy()
            text_b = b.astype(str).to_numpy()
            bad = (na != nb) | (~na & (text_a != text_b))
        if bad.any():
            shown = pd.concat(
                [expected[keys], a.rename("expected"), b.rename("got")], axis=1
            )
            raise AssertionError(
                f"{column}: {int(bad.sum())} of {len(bad)} rows differ\n"
                f"{shown[bad].head(10).to_string()}"
            )
