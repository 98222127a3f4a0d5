"""A whole project: its configuration's sources, read into one LeadData.

A source's path may be one file, a folder (every export file in it) or a glob pattern
(``exports/leads-*.csv``); a table may have several sources (spend from each ad
platform). All of a table's files are read and concatenated in this order: sources
as listed in the config, and within a source, files in name order (full path,
compared as text, so ``leads-2025-01.csv`` comes before ``leads-2025-02.csv``; name
monthly exports by date). Modification times are not used: copying files changes them.

When the same row appears in more than one file (same key: see :data:`ROW_KEYS`),
the **last** file in that order wins. Every superseded row stays accounted for: it
is moved to its own file's rejects with the reason ``"superseded by <file> line N"``,
so for each file rows read = loaded + rejected still holds, and the rejects table
shows where each superseded row went. :func:`is_superseded` tells those rejects from
rows that failed to parse.
"""

from __future__ import annotations

import dataclasses
import glob
import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from leadkpi.config import Config, Source, load_config
from leadkpi.data import LeadData
from leadkpi.exceptions import ConfigError, DataFileError
from leadkpi.io import LoadResult, read
from leadkpi.io.canonical import read_canonical

if TYPE_CHECKING:  # Ibis is imported when a backend is connected
    from leadkpi.warehouse import RemoteData

#: File name of a project's configuration.
CONFIG_NAME = "leadkpi.yaml"

__all__ = [
    "CONFIG_NAME",
    "EXPORT_SUFFIXES",
    "LINKEDIN_ARCHIVE_FILES",
    "ROW_KEYS",
    "SUPERSEDED",
    "assemble",
    "connect_config",
    "find_config",
    "is_superseded",
    "load",
    "read_file",
    "read_project",
    "read_source",
    "scan_created",
    "source_files",
]

#: File name endings read from a source folder.
EXPORT_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xls", ".parquet")

#: The columns that identify a row across files, by table (those present are used).
ROW_KEYS: dict[str, tuple[str, ...]] = {
    "leads": ("lead_id",),
    "deals": ("deal_id",),
    "customers": ("customer_id",),
    "touches": ("lead_id", "touched_at", "channel", "campaign", "touch_type"),
    "spend": ("date", "channel", "campaign"),
    "email": ("sent_on", "campaign"),
    "web": ("date", "source", "medium", "channel"),
    "costs": ("month", "category", "channel", "campaign", "description"),
    # activity logs have a row per step: a row repeats only with all its dates
    "outreach": (
        "prospect_id",
        "profile_url",
        "email",
        "campaign",
        "activity",
        "direction",
        "contacted_at",
        "request_sent_at",
        "request_accepted_at",
        "message_sent_at",
        "replied_at",
        "meeting_at",
    ),
}

#: How the reason of a superseded row starts.
SUPERSEDED = "superseded by "

_GLOB = set("*?[")


def is_superseded(rejects: pd.DataFrame) -> pd.Series:
    """Which rejects are rows superseded by a later file (not rows that failed)."""
    return rejects["reason"].astype(str).str.startswith(SUPERSEDED)


#: The files of LinkedIn's data export (an unzipped "Get a copy of your data"
#: folder) that describe prospecting; its other files (Profile.csv, Positions.csv,
#: ...) are left out when an ``outreach`` source names the folder.
LINKEDIN_ARCHIVE_FILES = ("invitations.csv", "connections.csv", "messages.csv")


def _linkedin_archive(files: list[Path]) -> list[Path]:
    """An unzipped LinkedIn export folder: its prospecting files only."""
    names = {f.name.lower() for f in files}
    if "invitations.csv" not in names:
        return files
    return [f for f in files if f.name.lower() in LINKEDIN_ARCHIVE_FILES]


def source_files(source: Source) -> list[Path]:
    """The files a source names: the file itself, a folder's exports, or a glob's.

    An ``outreach`` source that names an unzipped LinkedIn data export (a folder
    with ``Invitations.csv``) reads its prospecting files only
    (:data:`LINKEDIN_ARCHIVE_FILES`).

    Raises
    ------
    DataFileError
        When a folder or pattern matches no file, or one of its files is a link
        that leads out of ``source.within`` (the project folder).

    Examples
    --------
    >>> from leadkpi.config import load_config
    >>> [p.name for p in source_files(load_config("leadkpi.yaml").source("leads"))]
    ['hubspot-crm-exports-all-contacts.csv']
    """
    path = source.path
    if path.is_dir():
        files = [
            p
            for p in path.iterdir()
            if p.is_file()
            and p.suffix.lower() in EXPORT_SUFFIXES
            and not p.name.startswith((".", "~$"))
        ]
        wanted = f"export files ({', '.join(EXPORT_SUFFIXES)})"
        if source.table == "outreach":
            files = _linkedin_archive(files)
    elif _GLOB & set(str(path)):
        files = [Path(p) for p in glob.glob(str(path)) if Path(p).is_file()]
        wanted = "files matching the pattern"
    else:
        return [path]  # the reader says so if it is missing
    if not files:
        raise DataFileError(
            str(path), f"has no {wanted}; expected the {source.table} exports here"
        )
    if source.within is not None:
        root = source.within.resolve()
        for file in files:
            if not file.resolve().is_relative_to(root):
                raise DataFileError(
                    str(file),
                    f"links to a file outside the project folder {source.within}; "
                    "to read it, say so in its source with 'outside_project: true'",
                )
    return sorted(files, key=str)


def read_file(path: Path, source: Source, config: Config) -> LoadResult:
    """Read one file of a source with its profile, mapping and reader options.

    A source's own ``locale`` option overrides the project's for that file.
    """
    options = dict(source.options)
    locale = options.pop("locale", config.locale)
    return read(
        path,
        source.table,
        profile=source.profile,
        mapping=source.mapping,
        timezone=config.timezone,
        locale=locale,
        stages=config.stage_labels,
        **options,
    )


def _loaded_lines(result: LoadResult) -> np.ndarray:
    """The file line of each loaded row, as its reader recorded it."""
    return np.asarray(result.lines, dtype=np.int64)


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Values as text for the rejects table; timestamps as ISO 8601 in UTC."""
    out = {}
    for column, values in frame.items():
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            utc = values.dt.tz_convert("UTC").dt.tz_localize(None)
            text = np.datetime_as_string(utc.to_numpy("datetime64[s]"), unit="s")
            out[column] = np.where(values.isna(), "", np.char.add(text, "Z"))
        else:
            out[column] = values.astype(str).where(values.notna(), "")
    return pd.DataFrame(out, index=frame.index)


def _deduplicate(results: list[LoadResult]) -> list[LoadResult]:
    """Move rows that a later file repeats into their own file's rejects."""
    if len(results) < 2:
        return results
    kind = results[0].kind
    present = set().union(*(r.table.columns for r in results))
    keys = [c for c in ROW_KEYS[kind] if c in present]
    parts = [
        pd.DataFrame(
            {
                **{k: r.table[k] if k in r.table else pd.NA for k in keys},
                "__file": number,
                "__row": np.arange(len(r.table)),
                "__line": _loaded_lines(r),
            }
        )
        for number, r in enumerate(results)
        if len(r.table)
    ]
    if len(parts) < 2:
        return results
    rows = pd.concat(parts, ignore_index=True)
    last = rows.groupby(keys, dropna=False, sort=False)["__file"].transform("max")
    superseded = rows["__file"] < last
    if not superseded.any():
        return results
    winners = rows[rows["__file"] == last].drop_duplicates(keys, keep="first")
    lost = rows[superseded].merge(
        winners[[*keys, "__file", "__line"]],
        on=keys,
        how="left",
        suffixes=("", "_by"),
    )
    names = pd.Series([r.path.name for r in results])
    lost["reason"] = (
        SUPERSEDED
        + lost["__file_by"].map(names).astype(str)
        + " line "
        + lost["__line_by"].astype("int64").astype(str)
    )
    out = []
    for number, result in enumerate(results):
        mine = lost[lost["__file"] == number]
        if mine.empty:
            out.append(result)
            continue
        gone = result.table.iloc[mine["__row"].to_numpy()]
        values = _as_text(gone).reset_index(drop=True)
        values.insert(0, "reason", mine["reason"].to_numpy())
        values.insert(0, "line", mine["__line"].to_numpy(dtype="int64"))
        values.insert(0, "file", result.path.name)
        keep = np.ones(len(result.table), dtype=bool)
        keep[mine["__row"].to_numpy()] = False
        frames = [f for f in (result.rejects, values) if len(f)]
        out.append(
            dataclasses.replace(
                result,
                table=result.table[keep].reset_index(drop=True),
                rejects=pd.concat(frames, ignore_index=True),
                lines=_loaded_lines(result)[keep],
            )
        )
    return out


def read_source(source: Source, config: Config) -> list[LoadResult]:
    """Read every file of one source; one :class:`LoadResult` per file."""
    return [read_file(path, source, config) for path in source_files(source)]


def read_project(
    config: Config, *, errors: list[DataFileError] | None = None
) -> list[LoadResult]:
    """Read every file of every source, de-duplicated table by table.

    Parameters
    ----------
    config : Config
        The project.
    errors : list, optional
        When given, a file (or folder) that cannot be read is appended here as its
        :class:`DataFileError` and the other files are still read; by default the
        first such error is raised.

    Returns
    -------
    list of LoadResult
        One per backend table the config names (``sources.backend``, read by
        :func:`leadkpi.warehouse.sources.read_backend`), then one per file, tables
        in the order of the config, files in the order that decides which copy of
        a repeated row wins (see the module documentation).

    Raises
    ------
    ConfigError
        When the backend cannot be opened or lacks a table the config names.
    """
    out: list[LoadResult] = []
    if config.backend is not None:  # the tables a database holds, then the files
        from leadkpi.warehouse.sources import read_backend

        out.extend(read_backend(config))
    for kind in dict.fromkeys(source.table for source in config.sources):
        results = []
        for source in config.sources_of(kind):
            try:
                paths = source_files(source)
            except DataFileError as exc:
                if errors is None:
                    raise
                errors.append(exc)
                continue
            for path in paths:
                try:
                    results.append(read_file(path, source, config))
                except DataFileError as exc:
                    if errors is None:
                        raise
                    errors.append(exc)
        out.extend(_deduplicate(results))
    return out


def assemble(results: list[LoadResult], config: Config) -> LeadData:
    """One :class:`LeadData` from loaded files: each table's files concatenated."""
    tables: dict[str, pd.DataFrame] = {}
    for kind in dict.fromkeys(result.kind for result in results):
        tables[kind] = _combine([r for r in results if r.kind == kind])
    return LeadData(**tables, config=config, loads=tuple(results))


def _combine(results: list[LoadResult]) -> pd.DataFrame:
    tables = [r.table for r in results if len(r.table)] or [results[0].table]
    if len(tables) == 1:
        return tables[0]
    return pd.concat(tables, ignore_index=True)


def find_config(start: str | os.PathLike[str] | None = None) -> Path:
    """The nearest ``leadkpi.yaml``: in ``start`` (default: the working folder) or
    the closest folder above it that has one.

    Raises
    ------
    ConfigError
        When neither ``start`` nor any folder above it has a ``leadkpi.yaml``.

    Examples
    --------
    >>> find_config().name
    'leadkpi.yaml'
    """
    here = Path(start if start is not None else os.getcwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    raise ConfigError(
        f"no {CONFIG_NAME} in {here} or any folder above it; pass the config's path, "
        "run `leadkpi init DIR` to start a project, or use leadkpi.load_sample()"
    )


def load(config: str | os.PathLike[str] | Config | None = None) -> LeadData:
    """Read every source of a project into one :class:`LeadData`.

    Each table's files (all its sources, folders and patterns expanded) are read,
    concatenated, and de-duplicated with the last file winning (see the module
    documentation); then :class:`LeadData` converts money, derives channels and
    rolls deals up onto leads. Tables that the config's ``sources.backend`` holds
    (``leads: {table: leads}``) are read from it, typed and validated as files
    are; :func:`connect_config` leaves them there instead.

    Parameters
    ----------
    config : str, path-like or Config, optional
        A ``leadkpi.yaml`` file or a configuration already read; None or ``""``:
        the nearest ``leadkpi.yaml`` (see :func:`find_config`).

    Returns
    -------
    LeadData

    Raises
    ------
    DataFileError
        When a file, folder or pattern cannot be read.
    ConfigError
        When the backend cannot be opened or lacks a table the config names
        (with the key and line); when a conversion event names a column or
        touch type the data does not have
        (:func:`leadkpi.conversions.check_conversions`).

    Examples
    --------
    >>> data = load("leadkpi.yaml")
    >>> sorted(data.tables)[:3]
    ['costs', 'customers', 'deals']
    """
    if config is None or config == "":
        config = find_config()
    if not isinstance(config, Config):
        config = load_config(config)
    data = assemble(read_project(config), config)
    if config.conversions:
        from leadkpi.conversions import check_conversions  # reads the engine

        data = check_conversions(data)  # a text date column read as dates
    return data


def connect_config(
    config: str | os.PathLike[str] | Config | None = None,
) -> RemoteData:
    """The project's backend tables, left where they live.

    For a ``leadkpi.yaml`` whose ``sources`` name a ``backend``
    (``{backend: "duckdb:///crm.duckdb", leads: {table: leads}}``): what
    :func:`load` would read into memory, as a
    :class:`~leadkpi.warehouse.RemoteData` that :func:`leadkpi.compute`,
    :func:`leadkpi.funnel`, :func:`leadkpi.cohort_matrix` and
    :func:`leadkpi.time_between` evaluate on the backend. Tables the config reads
    from files are not in it.

    Parameters
    ----------
    config : str, path-like or Config, optional
        As for :func:`load`.

    Raises
    ------
    ConfigError
        No backend in the config, a backend that cannot be opened or a table it
        lacks, each with the key and line of the config.
    """
    from leadkpi.warehouse.sources import connect_backend

    if config is None or config == "":
        config = find_config()
    if not isinstance(config, Config):
        config = load_config(config)
    return connect_backend(config)


def scan_created(config: Config) -> pd.Series:
    """Lead creation times only, read cheaply (for choosing a report period).

    Canonical files are read for ``lead_id`` and ``created_at`` only; a lead in
    several files counts once.

    Raises
    ------
    DataFileError
        When the project has no leads source or its file cannot be read.
    """
    sources = config.sources_of("leads")
    backend = config.backend is not None and "leads" in config.backend.tables
    if not sources and not backend:
        raise DataFileError(
            str(config.path), "has no 'leads' source; a report needs one"
        )
    frames = []
    if backend:
        from leadkpi.warehouse.sources import read_backend

        columns = {"leads": ["lead_id", "created_at"]}
        frames += [r.table for r in read_backend(config, columns=columns)]
    for source in sources:
        for path in source_files(source):
            if source.profile == "canonical":
                result = read_canonical(
                    path,
                    "leads",
                    timezone=config.timezone,
                    columns=["lead_id", "created_at"],
                    locale=source.options.get("locale", config.locale),
                )
            else:
                result = read_file(path, source, config)
            frames.append(result.table[["lead_id", "created_at"]])
    leads = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    leads = leads.drop_duplicates("lead_id", keep="last")
    return leads["created_at"].reset_index(drop=True)
