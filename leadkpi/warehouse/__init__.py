"""KPIs computed where the data lives: canonical tables on an Ibis backend
(DuckDB embedded; Spark, BigQuery, Snowflake, Postgres through the same code)."""

from leadkpi.warehouse.connect import RemoteData, RemoteSchemaError, connect, wall_clock

__all__ = ["connect", "RemoteData", "RemoteSchemaError", "wall_clock"]
