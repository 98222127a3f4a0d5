"""The project configuration: ``leadkpi.yaml``.

A configuration names the input sources and the business settings that KPIs depend on
(timezone, currency, response-time SLA, funnel stages, targets). It is read once, into
an immutable :class:`Config`, and passed to whatever needs it: nothing is global.
"""

from __future__ import annotations

import os
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from leadkpi.exceptions import ConfigError
from leadkpi.schemas import TABLES

__all__ = ["Source", "Config", "load_config", "DEFAULT_STAGES"]

#: The default funnel, in order: (stage id, the leads column that dates it).
DEFAULT_STAGES: tuple[tuple[str, str], ...] = (
    ("lead", "created_at"),
    ("mql", "mql_at"),
    ("sql", "sql_at"),
    ("opportunity", "opportunity_at"),
    ("customer", "won_at"),
)


@dataclass(frozen=True)
class Source:
    """One input: a file (or folder) that fills one canonical table."""

    table: str
    path: Path
    profile: str = "canonical"


@dataclass(frozen=True)
class Config:
    """Settings of one leadkpi project.

    Parameters
    ----------
    sources : tuple of Source
        The input files, one per canonical table at most.
    timezone : str
        IANA timezone that periods are cut in (default ``"UTC"``).
    currency : str
        ISO 4217 code of the project currency (default ``"EUR"``).
    sla_hours : float
        Target time to first response, in hours (default 4).
    stages : tuple of (str, str)
        Funnel stages in order, each with the leads column that dates it.
    targets : mapping
        KPI id → target value.
    name : str
        Company or project name shown on reports.
    path : Path, optional
        The file the configuration was read from.
    """

    sources: tuple[Source, ...] = ()
    timezone: str = "UTC"
    currency: str = "EUR"
    sla_hours: float = 4.0
    stages: tuple[tuple[str, str], ...] = DEFAULT_STAGES
    targets: Mapping[str, float] = field(default_factory=dict)
    name: str = "leadkpi"
    path: Path | None = None

    def source(self, table: str) -> Source | None:
        """Return the source of ``table``, or None when the project has none."""
        return next((s for s in self.sources if s.table == table), None)


def _fail(path: Path, message: str) -> ConfigError:
    return ConfigError(f"config {path}: {message}")


def _sources(raw: Any, path: Path) -> tuple[Source, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        raise _fail(path, "'sources' must map table names to files")
    base = path.parent
    out = []
    for table, entry in raw.items():
        if table not in TABLES:
            known = ", ".join(TABLES)
            raise _fail(path, f"unknown table {table!r} in 'sources'; expected {known}")
        if isinstance(entry, str):
            entry = {"path": entry}
        if not isinstance(entry, Mapping) or "path" not in entry:
            raise _fail(path, f"source {table!r} needs a 'path'")
        file = Path(os.path.expanduser(str(entry["path"])))
        out.append(
            Source(
                table=table,
                path=file if file.is_absolute() else base / file,
                profile=str(entry.get("profile", "canonical")),
            )
        )
    return tuple(out)


def _stages(raw: Any, path: Path) -> tuple[tuple[str, str], ...]:
    if raw is None:
        return DEFAULT_STAGES
    if not isinstance(raw, Mapping) or not raw:
        raise _fail(path, "'stages' must map stage names to lead columns, in order")
    return tuple((str(k), str(v)) for k, v in raw.items())


def load_config(path: str | os.PathLike[str]) -> Config:
    """Read a ``leadkpi.yaml`` file.

    Parameters
    ----------
    path : str or path-like
        The YAML file. Relative source paths in it are resolved against its folder.

    Returns
    -------
    Config

    Raises
    ------
    ConfigError
        When the file is missing, is not valid YAML, or has a setting of the wrong
        shape; the message names the file and the setting.

    Examples
    --------
    >>> cfg = load_config("leadkpi.yaml")
    >>> cfg.timezone
    'Europe/Madrid'
    """
    path = Path(path).resolve()
    if not path.is_file():
        raise ConfigError(f"config file {path} not found; pass --config PATH")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise _fail(path, f"not valid YAML ({exc.__class__.__name__}: {exc})") from None
    if not isinstance(raw, Mapping):
        raise _fail(path, "expected a mapping of settings at the top level")
    timezone = str(raw.get("timezone", "UTC"))
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise _fail(path, f"unknown timezone {timezone!r}; use an IANA name") from None
    try:
        sla_hours = float(raw.get("sla_hours", 4))
        targets = {str(k): float(v) for k, v in (raw.get("targets") or {}).items()}
    except (TypeError, ValueError, AttributeError) as exc:
        message = f"'sla_hours' and 'targets' must be numbers ({exc})"
        raise _fail(path, message) from None
    return Config(
        sources=_sources(raw.get("sources"), path),
        timezone=timezone,
        currency=str(raw.get("currency", "EUR")).upper(),
        sla_hours=sla_hours,
        stages=_stages(raw.get("stages"), path),
        targets=targets,
        name=str(raw.get("name", "leadkpi")),
        path=path,
    )
