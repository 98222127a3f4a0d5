"""A whole project: its configuration's sources, read into one LeadData."""

from __future__ import annotations

import os

import pandas as pd

from leadkpi.config import Config, Source, load_config
from leadkpi.data import LeadData
from leadkpi.exceptions import DataFileError
from leadkpi.io import LoadResult, read
from leadkpi.io.canonical import read_canonical

__all__ = ["load", "scan_created"]


def _read_source(source: Source, config: Config) -> LoadResult:
    return read(
        source.path, source.table, profile=source.profile, timezone=config.timezone
    )


def load(config: str | os.PathLike[str] | Config) -> LeadData:
    """Read every source of a project into one :class:`LeadData`.

    Parameters
    ----------
    config : str, path-like or Config
        A ``leadkpi.yaml`` file or a configuration already read.

    Returns
    -------
    LeadData

    Examples
    --------
    >>> data = load("leadkpi.yaml")
    >>> sorted(data.tables)[:3]
    ['customers', 'deals', 'email']
    """
    if not isinstance(config, Config):
        config = load_config(config)
    results = tuple(_read_source(source, config) for source in config.sources)
    tables = {result.kind: result.table for result in results}
    return LeadData(**tables, config=config, loads=results)


def scan_created(config: Config) -> pd.Series:
    """Lead creation times only, read cheaply (for choosing a report period).

    Raises
    ------
    DataFileError
        When the project has no leads source or its file cannot be read.
    """
    source = config.source("leads")
    if source is None:
        raise DataFileError(
            str(config.path), "has no 'leads' source; a report needs one"
        )
    result = read_canonical(
        source.path,
        "leads",
        timezone=config.timezone,
        columns=["lead_id", "created_at"],
    )
    return result.table["created_at"]
