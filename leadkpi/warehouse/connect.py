"""Tables that stay where they live: a DuckDB file, a Parquet folder, any Ibis backend.

:func:`connect` returns a :class:`RemoteData`, which :func:`leadkpi.kpis.compute`
accepts in place of :class:`~leadkpi.data.LeadData`: the measures run as Ibis
expressions on the backend and only the grain × measure table comes back.

The tables are the canonical tables (:mod:`leadkpi.schemas`) as
:class:`~leadkpi.data.LeadData` holds them once assembled: money in the project
currency, ``channel`` filled, the leads carrying ``won_at`` and ``deal_value`` from
their deals (a pipeline or a view does that step in the warehouse). Timestamps with
a time zone are read on the project's clock (``config.timezone``); timestamps
without one are taken as that clock's wall-clock time already.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from leadkpi.config import Config
from leadkpi.exceptions import ArgumentError, LeadKPIError
from leadkpi.schemas import TABLES

if TYPE_CHECKING:  # Ibis is imported when a connection is made
    import ibis.expr.types as ir
    from ibis.backends import BaseBackend

__all__ = ["connect", "RemoteData", "RemoteSchemaError", "wall_clock"]

#: Column kinds and the Ibis type families that hold them.
_KINDS = {
    "id": ("string", "integer"),
    "string": ("string",),
    "timestamp": ("timestamp",),
    "date": ("date", "timestamp"),
    "month": ("date", "timestamp"),
    "money": ("numeric",),
    "number": ("numeric",),
    "count": ("numeric",),
}


class RemoteSchemaError(LeadKPIError, ValueError):
    """A backend table lacks a required canonical column, or holds one of a type
    that cannot mean what the canonical column means."""


def _family(dtype: Any) -> str:
    if dtype.is_timestamp():
        return "timestamp"
    if dtype.is_date():
        return "date"
    if dtype.is_integer():
        return "integer"
    if dtype.is_numeric():
        return "numeric"
    if dtype.is_string():
        return "string"
    return str(dtype)


def _check(name: str, source: str, table: ir.Table) -> None:
    """Raise :class:`RemoteSchemaError` when ``table`` cannot be canonical ``name``."""
    spec = TABLES[name]
    schema = table.schema()
    absent = [c for c in spec.required if c not in schema]
    if absent:
        hints = []
        for column in absent:
            close = difflib.get_close_matches(column, list(schema), n=1)
            if close:
                hints.append(f"{column!r} (did you mean {close[0]!r}?)")
            else:
                hints.append(repr(column))
        raise RemoteSchemaError(
            f"{source}: the {name} table has no required column "
            f"{', '.join(hints)}; found columns: {', '.join(schema)}"
        )
    for column in spec.columns:
        if column.name not in schema:
            continue
        family = _family(schema[column.name])
        allowed = _KINDS[column.kind]
        fits = family in allowed or ("numeric" in allowed and family == "integer")
        if not fits:
            raise RemoteSchemaError(
                f"{source}: column {column.name!r} of the {name} table is "
                f"{schema[column.name]}; expected {' or '.join(allowed)} "
                f"(a {column.kind} column)"
            )


def _backend(target: object) -> tuple[BaseBackend, str]:
    """An Ibis backend from a connection, a URL or a folder of Parquet files."""
    import ibis

    if not isinstance(target, (str, Path)):
        if hasattr(target, "table") and hasattr(target, "list_tables"):
            return target, getattr(target, "name", type(target).__name__)
        raise ArgumentError(
            f"backend={target!r} is not an Ibis connection, a URL "
            "('duckdb:///crm.duckdb') or a folder of Parquet files"
        )
    text = str(target)
    path = Path(text)
    if "://" not in text:
        if path.is_dir():
            return ibis.duckdb.connect(), f"parquet folder {path}"
        if path.suffix in (".duckdb", ".db"):
            if not path.exists():
                raise ArgumentError(f"backend={text!r}: no such DuckDB file")
            return ibis.duckdb.connect(str(path), read_only=True), f"duckdb {path}"
        raise ArgumentError(
            f"backend={text!r} is neither a folder of Parquet files, a .duckdb "
            "file nor a URL such as 'duckdb:///crm.duckdb'"
        )
    scheme = urlparse(text).scheme
    if scheme == "duckdb":
        file = text.split("://", 1)[1].removeprefix("/") or ":memory:"
        file = "/" + file if text.startswith("duckdb:////") else file
        if file != ":memory:" and not Path(file).exists():
            raise ArgumentError(f"backend={text!r}: no such DuckDB file {file}")
        return ibis.duckdb.connect(file, read_only=file != ":memory:"), text
    return ibis.connect(text), text


def _parquet(folder: Path, name: str) -> Path | None:
    for candidate in (folder / f"{name}.parquet", folder / name):
        if candidate.exists():
            return candidate
    return None


@dataclass
class RemoteData:
    """Canonical tables on an Ibis backend, with the project's settings.

    Build one with :func:`connect`. ``compute`` and the other analyses that
    accept it run their row work on the backend.

    Attributes
    ----------
    backend : ibis backend
        The connection.
    config : Config
        Project settings (timezone, stages, SLA, currency, rules).
    source : str
        Where the tables live, for messages.
    """

    backend: Any
    config: Config
    source: str
    _tables: dict[str, Any] = field(default_factory=dict, repr=False)
    _derived: dict[str, object] = field(default_factory=dict, repr=False)

    def __getattr__(self, name: str) -> Any:
        # leads, deals, …: the table expression, or None when it is not there
        if name in TABLES:
            return self.__dict__.get("_tables", {}).get(name)
        raise AttributeError(name)

    @property
    def tables(self) -> dict[str, ir.Table]:
        """The tables present, by canonical name (Ibis table expressions)."""
        return dict(self._tables)

    @property
    def name(self) -> str:
        """The backend's name (``duckdb``, ``pyspark``, …)."""
        return getattr(self.backend, "name", type(self.backend).__name__)

    def derived(self, key: str, make: Any) -> Any:
        """``make(self)``, computed once per RemoteData."""
        if key not in self._derived:
            self._derived[key] = make(self)
        return self._derived[key]

    def with_config(self, config: Config) -> RemoteData:
        """The same tables under other settings."""
        return RemoteData(self.backend, config, self.source, dict(self._tables))

    def __repr__(self) -> str:
        tables = ", ".join(self._tables) or "no tables"
        return f"RemoteData({self.source}: {tables})"


def connect(
    backend: object,
    tables: Mapping[str, object] | None = None,
    *,
    config: Config | None = None,
) -> RemoteData:
    """Canonical tables where they live, for :func:`leadkpi.compute` and others.

    Parameters
    ----------
    backend : Ibis connection, str or Path
        An Ibis connection (``ibis.duckdb.connect(...)``, ``ibis.pyspark.connect
        (spark)``, ``ibis.bigquery.connect(...)``, …), a URL that
        :func:`ibis.connect` opens (``"duckdb:///crm.duckdb"``,
        ``"postgres://…"``), a ``.duckdb`` file, or a folder of Parquet files
        (``leads.parquet`` or a ``leads/`` folder of parts, read through DuckDB).
    tables : mapping, optional
        Canonical table name → the backend table or view that holds it: a name
        (``{"leads": "crm_leads"}``) or an Ibis table expression. Default: every
        canonical table found under its own name.
    config : Config, optional
        Project settings; default :class:`~leadkpi.config.Config`.

    Returns
    -------
    RemoteData

    Raises
    ------
    ArgumentError
        An unknown canonical table name, a backend that cannot be opened, or a
        table named in ``tables`` that the backend does not have.
    RemoteSchemaError
        A table without a required column (with the closest name found) or with a
        column whose type cannot hold the canonical kind.

    Examples
    --------
    >>> import ibis, pandas as pd
    >>> con = ibis.duckdb.connect()
    >>> _ = con.create_table("leads", pd.DataFrame({
    ...     "lead_id": ["a", "b"],
    ...     "created_at": pd.to_datetime(["2026-01-05", "2026-02-01"], utc=True)}))
    >>> data = connect(con)
    >>> data
    RemoteData(duckdb: leads)
    >>> from leadkpi.kpis import compute
    >>> compute(data, "leads", by="month")[["month", "value"]]
         month  value
    0  2026-01    1.0
    1  2026-02    1.0
    """
    config = config if config is not None else Config()
    con, source = _backend(backend)
    folder = Path(str(backend)) if isinstance(backend, (str, Path)) else None
    parquet = folder is not None and folder.is_dir()
    unknown_names = [t for t in (tables or {}) if t not in TABLES]
    if unknown_names:
        close = difflib.get_close_matches(unknown_names[0], list(TABLES), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ArgumentError(
            f"tables: {unknown_names[0]!r} is not a canonical table{hint}; "
            f"expected some of {', '.join(TABLES)}"
        )
    found = {} if parquet else set(con.list_tables())
    chosen: dict[str, Any] = {}
    for name in TABLES:
        given = (tables or {}).get(name)
        if given is None and tables is not None and name in tables:
            continue
        if given is not None and not isinstance(given, str):
            chosen[name] = given
            continue
        target = given or name
        if parquet:
            path = _parquet(folder, target)
            if path is None:
                if given is not None:
                    raise ArgumentError(
                        f"tables: no {target}.parquet or {target}/ in {folder}"
                    )
                continue
            pattern = str(path / "**" / "*.parquet") if path.is_dir() else str(path)
            chosen[name] = con.read_parquet(pattern, table_name=f"leadkpi_{name}")
        elif target in found:
            chosen[name] = con.table(target)
        elif given is not None:
            close = difflib.get_close_matches(target, sorted(found), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ArgumentError(
                f"tables: {source} has no table {target!r}{hint} for {name}"
            )
    for name, table in chosen.items():
        _check(name, source, table)
    _session_timezone(con, config.timezone)
    if getattr(con, "name", "") == "pyspark":
        names = {n: (tables or {}).get(n) or n for n in chosen}
        chosen = {
            n: _spark_instants(con, names[n], t, config.timezone)
            for n, t in chosen.items()
        }
    return RemoteData(con, config, source, chosen)


def _spark_instants(con: Any, name: object, table: Any, timezone: str) -> Any:
    """Spark keeps wall-clock times (``TIMESTAMP_NTZ``) and instants
    (``TIMESTAMP``), which Ibis shows alike: the wall-clock columns of a named
    table become the instants they mean on the project's clock."""
    if not isinstance(name, str):
        return table
    import ibis

    fields = con._session.table(name).schema.fields
    naive = [f.name for f in fields if type(f.dataType).__name__ == "TimestampNTZType"]
    if not naive:
        return table

    @ibis.udf.scalar.builtin(
        name="to_utc_timestamp", signature=(("timestamp", "string"), "timestamp")
    )
    def to_utc_timestamp(ts, tz):  # type: ignore[no-untyped-def]
        """Spark's instant of a wall-clock time in a time zone."""

    return table.mutate(**{c: to_utc_timestamp(table[c], timezone) for c in naive})


def _session_timezone(con: Any, timezone: str) -> None:
    """Read timestamps with a time zone on the project's clock where the backend
    converts by its session time zone (DuckDB)."""
    if getattr(con, "name", "") == "duckdb":
        con.raw_sql(f"SET TimeZone = '{timezone}'")


def wall_clock(data: RemoteData, value: ir.Value) -> ir.Value:
    """A timestamp column as the project's naive wall-clock time (a date column as
    its midnight), as :meth:`leadkpi.kpis.grain.Grain.local` reads it in memory.

    DuckDB converts a timestamp with a time zone by the session time zone that
    :func:`connect` sets; Spark's ``TIMESTAMP`` is an instant, shown by Ibis in
    UTC, and is shifted with ``from_utc_timestamp``. Other backends cast, which
    follows their session time zone: set it to ``config.timezone``.
    """
    dtype = value.type()
    if dtype.is_date():
        return value.cast("timestamp")
    if data.name == "pyspark":
        return _from_utc(value, data.config.timezone)
    if dtype.is_timestamp() and dtype.timezone is not None:
        return value.cast("timestamp")
    return value


def _from_utc(value: ir.Value, timezone: str) -> ir.Value:
    import ibis

    @ibis.udf.scalar.builtin(
        name="from_utc_timestamp", signature=(("timestamp", "string"), "timestamp")
    )
    def from_utc_timestamp(ts, tz):  # type: ignore[no-untyped-def]
        """Spark's wall-clock time of an instant in a time zone."""

    return from_utc_timestamp(value, timezone)
