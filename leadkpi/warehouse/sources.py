"""A project whose ``leadkpi.yaml`` names a backend: its tables, where they live or
read into memory.

``sources: {backend: "duckdb:///crm.duckdb", leads: {table: leads}}`` says that the
canonical ``leads`` table is the backend table ``leads``. :func:`connect_backend`
leaves such tables on the backend (a :class:`~leadkpi.warehouse.RemoteData` for
:func:`leadkpi.compute` and the funnel); :func:`read_backend` reads them into
memory, typed and validated like any file (rows read = loaded + rejected), which is
how :func:`leadkpi.load` gives a report its :class:`~leadkpi.data.LeadData`.

A backend that cannot be opened, a table it does not have and a table that cannot
be the canonical one are :class:`~leadkpi.exceptions.ConfigError` naming the
config's key and line.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from leadkpi.config import Backend, Config  # noqa: F401 (Backend: the example)
from leadkpi.config_errors import Problem, config_error, suggest
from leadkpi.exceptions import ArgumentError, ConfigError, LeadKPIError
from leadkpi.io.parse import parse_table
from leadkpi.io.result import LoadResult
from leadkpi.schemas import TABLES
from leadkpi.warehouse.connect import RemoteData, connect

__all__ = ["connect_backend", "read_backend", "backend_label"]


def _backend(config: Config) -> Backend:
    if config.backend is None:
        raise ConfigError(
            f"config {config.path}: sources names no backend; add one "
            "(sources: {backend: duckdb:///crm.duckdb, leads: {table: leads}})"
        )
    return config.backend


def _folder(target: str) -> Path | None:
    """The folder of Parquet files a backend target names, if it names one."""
    if "://" in target:
        return None
    path = Path(target)
    return path if path.is_dir() else None


def _error(config: Config, problems: list[Problem]) -> ConfigError:
    return config_error(f"config {config.path}", problems)


def connect_backend(config: Config) -> RemoteData:
    """The backend tables that the config names, left on the backend.

    Parameters
    ----------
    config : Config
        A project whose ``sources`` name a ``backend`` and ``{table: …}`` sources
        (:func:`leadkpi.load_config`).

    Returns
    -------
    RemoteData
        The named tables under their canonical names, read on the project's clock,
        for :func:`leadkpi.compute`, :func:`leadkpi.funnel` and the others that
        accept it. Tables the config reads from files are not in it.

    Raises
    ------
    ConfigError
        No backend in the config; a backend that cannot be opened (the line of
        ``sources.backend``); a table the backend does not have (the line of
        ``sources.<table>.table``, with the closest name) or that lacks a
        canonical column.

    Examples
    --------
    >>> import ibis, pandas as pd, pathlib, tempfile
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "crm.duckdb"
    >>> con = ibis.duckdb.connect(str(file))
    >>> _ = con.create_table("crm_leads", pd.DataFrame({
    ...     "lead_id": ["a"], "created_at": pd.to_datetime(["2026-01-05"], utc=True)}))
    >>> con.disconnect()
    >>> config = Config(backend=Backend(str(file), {"leads": "crm_leads"}))
    >>> connect_backend(config)  # doctest: +ELLIPSIS
    RemoteData(duckdb .../crm.duckdb: leads)
    >>> connect_backend(Config(backend=Backend(str(file), {"leads": "crm_lead"})))
    Traceback (most recent call last):
    ...
    leadkpi.exceptions.ConfigError: ... has no table 'crm_lead'; did you mean 'crm_leads'?
    """  # noqa: E501
    backend = _backend(config)
    at = backend.lines
    none = dict.fromkeys(TABLES)
    try:  # no table yet: only whether the backend opens
        opened = connect(backend.target, none, config=config)
    except LeadKPIError as exc:
        raise _error(
            config, [(at.get("backend"), ("sources", "backend"), f"cannot open: {exc}")]
        ) from None
    folder = _folder(backend.target)
    handle = backend.target if folder is not None else opened.backend
    found = None if folder is not None else sorted(opened.backend.list_tables())
    problems: list[Problem] = []
    for name, table in backend.tables.items():
        key = backend.keys.get(name, ("sources", name, "table"))
        if found is not None and table not in found:
            problems.append(
                (
                    at.get(name),
                    key,
                    f"{opened.source} has no table {table!r}" + suggest(table, found),
                )
            )
            continue
        try:  # one table at a time, so that a problem is told at its line
            connect(handle, {**none, name: table}, config=config)
        except (ArgumentError, LeadKPIError) as exc:
            problems.append((at.get(name), key, str(exc)))
    if problems:
        raise _error(config, problems)
    remote = connect(handle, {**none, **backend.tables}, config=config)
    return RemoteData(remote.backend, config, opened.source, remote.tables)


def backend_label(backend: Backend, table: str) -> Path:
    """How a backend table is named in accounting and provenance: the database file
    or folder with the table's name under it, or the URL's scheme and the table
    (never the URL itself, which may hold a password)."""
    target = backend.target
    if "://" not in target:
        return Path(target) / table
    scheme = urlparse(target).scheme
    if scheme == "duckdb":
        file = target.split("://", 1)[1]
        file = file[1:] if file.startswith("//") else file.removeprefix("/")
        return Path(file) / table
    return Path(f"{scheme}:{table}")


def read_backend(
    config: Config, *, columns: dict[str, list[str]] | None = None
) -> list[LoadResult]:
    """Read the backend tables the config names into memory, one
    :class:`~leadkpi.io.LoadResult` per table, typed and validated as a file is.

    Parameters
    ----------
    config : Config
        A project with a ``backend`` (see :func:`connect_backend`).
    columns : dict, optional
        Canonical table → the columns to read (only those tables are read).

    Returns
    -------
    list of LoadResult
        Rows that do not fit the canonical schema are rejects (with their row
        number as line), as for a file: rows read = loaded + rejected.
    """
    backend = _backend(config)
    remote = connect_backend(config)
    out = []
    for name, table in remote.tables.items():
        if columns is not None and name not in columns:
            continue
        if columns is not None:
            table = table.select(*(c for c in columns[name] if c in table.columns))
        frame = _fetch(table)
        label = backend_label(backend, backend.tables[name])
        loaded, rejects = parse_table(
            frame, name, timezone=config.timezone, file=str(label), first_line=1
        )
        out.append(LoadResult(loaded, rejects, name, remote.name, label, len(frame)))
    return out


def _fetch(table: object) -> pd.DataFrame:
    """A backend table as a pandas frame; instants stay instants."""
    return table.to_pandas()  # type: ignore[attr-defined]
