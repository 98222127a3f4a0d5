"""The project configuration: ``leadkpi.yaml``.

A configuration names the input sources and the business settings that KPIs depend on
(timezone, currency, response-time SLA, funnel stages, targets). It is read once, into
an immutable :class:`Config`, and passed to whatever needs it: nothing is global.
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from leadkpi.channels import check_rules
from leadkpi.exceptions import ConfigError
from leadkpi.schemas import TABLES

__all__ = [
    "Source",
    "Config",
    "Target",
    "load_config",
    "parse_targets",
    "DEFAULT_STAGES",
    "BusinessHours",
    "parse_business_hours",
]

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
    """One input: a file, folder or glob of files that fills one canonical table.

    Parameters
    ----------
    table : str
        The canonical table filled.
    path : Path
        A file, a folder (every export in it) or a glob pattern.
    profile : str
        The export layout (a profile name), ``"auto"`` to recognise it, or
        ``"canonical"`` for leadkpi's own column names.
    mapping : mapping, optional
        For a file no profile knows: canonical column → source column, plus optional
        settings (value maps, date format); see :func:`leadkpi.read`.
    options : mapping
        Reader options passed through to :func:`leadkpi.read` (``encoding``,
        ``delimiter``, ``currency``, …).
    """

    table: str
    path: Path
    profile: str = "canonical"
    mapping: Mapping[str, Any] | None = None
    options: Mapping[str, Any] = field(default_factory=dict)


class _Frozen(Mapping[str, Any]):
    """A read-only mapping that pickles and copies (``MappingProxyType`` does not)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        object.__setattr__(self, "_data", dict(data or {}))

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("read-only mapping")

    def __reduce__(self) -> tuple[type, tuple[dict[str, Any]]]:
        return (type(self), (self._data,))

    def __repr__(self) -> str:
        return repr(self._data)


@dataclass(frozen=True)
class Target:
    """The target of one KPI: an overall value, and values for some dimension values.

    Parameters
    ----------
    value : float, optional
        The target wherever no more specific one applies; None when the KPI only has
        targets for some dimension values.
    by : mapping
        Dimension → (dimension value → target), read-only, in the order given: a
        result cut by that dimension takes these values first.

    Examples
    --------
    >>> Target(60.0, {"channel": {"paid_search": 80.0}}).by["channel"]["paid_search"]
    80.0
    """

    value: float | None = None
    by: Mapping[str, Mapping[str, float]] = field(default_factory=lambda: _Frozen({}))

    def __post_init__(self) -> None:
        frozen = {d: _Frozen(dict(v)) for d, v in self.by.items()}
        object.__setattr__(self, "by", _Frozen(frozen))


def _number(raw: Any, where: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise ConfigError(f"'{where}' must be a number, not {raw!r}")
    return float(raw)


def _target(raw: Any, where: str) -> Target:
    if isinstance(raw, Target):
        return raw
    if not isinstance(raw, Mapping):
        return Target(_number(raw, where))
    value = raw.get("value")
    by = {}
    for dim, values in raw.items():
        if dim == "value":
            continue
        if not isinstance(values, Mapping) or not values:
            raise ConfigError(
                f"'{where}.{dim}' must map {dim} values to numbers, not {values!r}"
            )
        by[str(dim)] = {
            str(k): _number(v, f"{where}.{dim}.{k}") for k, v in values.items()
        }
    if value is None and not by:
        raise ConfigError(f"'{where}' needs a 'value' or targets by a dimension")
    return Target(None if value is None else _number(value, f"{where}.value"), by)


def parse_targets(raw: Mapping[str, Any] | None) -> Mapping[str, Target]:
    """Read targets given as a mapping of the ``leadkpi.yaml`` shape.

    Parameters
    ----------
    raw : mapping or None
        KPI id → a number (the target everywhere), a :class:`Target`, or a mapping
        with an optional ``value`` and, per dimension, dimension value → number::

            leads: 300
            cost_per_lead:
              value: 60
              channel: {paid_search: 80, events_webinars: 150}

    Returns
    -------
    mapping of str to Target
        Read-only.

    Raises
    ------
    ConfigError
        Naming the setting (``'targets.cost_per_lead.channel.paid_search'``), the
        value found and what was expected.

    Examples
    --------
    >>> targets = parse_targets({"leads": 300, "cost_per_lead": {"value": 60,
    ...                          "channel": {"paid_search": 80}}})
    >>> targets["leads"]
    Target(value=300.0, by={})
    >>> dict(targets["cost_per_lead"].by["channel"])
    {'paid_search': 80.0}
    """
    if raw is None:
        return _Frozen({})
    if not isinstance(raw, Mapping):
        raise ConfigError(f"'targets' must map KPI ids to targets, not {raw!r}")
    return _Frozen({str(k): _target(v, f"targets.{k}") for k, v in raw.items()})


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class BusinessHours:
    """A working week: the clock that response times can be counted on.

    Parameters
    ----------
    days : tuple of int
        Working weekdays, Monday = 0 (default Monday to Friday).
    start, end : datetime.time
        Opening and closing time of each working day (default 09:00 to 18:00).
    timezone : str, optional
        IANA timezone the hours are in; None means the project timezone.
    holidays : tuple of datetime.date
        Days off, whatever their weekday.

    Examples
    --------
    >>> hours = parse_business_hours({"days": ["mon", "tue"], "start": "08:30"})
    >>> hours.days, hours.start, hours.end
    ((0, 1), datetime.time(8, 30), datetime.time(18, 0))
    """

    days: tuple[int, ...] = (0, 1, 2, 3, 4)
    start: dt.time = dt.time(9, 0)
    end: dt.time = dt.time(18, 0)
    timezone: str | None = None
    holidays: tuple[dt.date, ...] = ()

    def __post_init__(self) -> None:
        if not self.days or any(d not in range(7) for d in self.days):
            raise ConfigError(f"business_hours: days must be weekdays, not {self.days}")
        if self.end <= self.start:
            raise ConfigError(
                f"business_hours: end {self.end} must be after start {self.start}"
            )


def _clock(value: Any, name: str) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, int):  # YAML reads 9:00 unquoted as sexagesimal minutes
        return dt.time(*divmod(value, 60))
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(
            f"business_hours: {name} must be a time like '09:00', not {value!r}"
        ) from None


def parse_business_hours(raw: Any) -> BusinessHours | None:
    """Read the ``business_hours`` setting (None when absent).

    ``days`` are weekday names (``mon`` … ``sun``) or numbers (Monday = 0), ``start``
    and ``end`` times like ``"09:00"``, ``holidays`` ISO dates, ``timezone`` an IANA
    name (default: the project timezone).
    """
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise ConfigError(f"'business_hours' must be a mapping, not {raw!r}")
    unknown = set(raw) - {"days", "start", "end", "timezone", "holidays"}
    if unknown:
        raise ConfigError(
            f"business_hours: unknown setting(s) {sorted(unknown)}; expected days, "
            "start, end, timezone, holidays"
        )
    days = []
    for day in raw.get("days", _WEEKDAYS[:5]):
        key = str(day).lower()[:3]
        if key in _WEEKDAYS:
            days.append(_WEEKDAYS.index(key))
        elif isinstance(day, int) and 0 <= day <= 6:
            days.append(day)
        else:
            raise ConfigError(
                f"business_hours: {day!r} is not a weekday; use mon, tue, … or 0-6"
            )
    timezone = raw.get("timezone")
    if timezone is not None:
        try:
            zoneinfo.ZoneInfo(str(timezone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"business_hours: unknown timezone {timezone!r}; use an IANA name"
            ) from None
    holidays = []
    for day in raw.get("holidays") or []:
        try:
            holidays.append(
                day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
            )
        except ValueError:
            raise ConfigError(
                f"business_hours: holiday {day!r} is not an ISO date (YYYY-MM-DD)"
            ) from None
    return BusinessHours(
        days=tuple(sorted(set(days))),
        start=_clock(raw.get("start", "09:00"), "start"),
        end=_clock(raw.get("end", "18:00"), "end"),
        timezone=None if timezone is None else str(timezone),
        holidays=tuple(sorted(set(holidays))),
    )


@dataclass(frozen=True)
class Config:
    """Settings of one leadkpi project.

    Parameters
    ----------
    sources : tuple of Source
        The inputs; a table may have several (one per ad platform, say), written in
        the YAML as a list under the table's name.
    timezone : str
        IANA timezone that periods are cut in (default ``"UTC"``).
    currency : str
        ISO 4217 code of the project currency (default ``"EUR"``).
    sla_hours : float
        Target time to first response, in hours (default 4).
    stages : tuple of (str, str)
        Funnel stages in order, each with the leads column that dates it.
    cumulative_stages : bool
        Whether a lead that reached a stage also reached every earlier one, even
        when the earlier stage has no date (a lead won without a recorded SQL date
        counts as an SQL in funnels). Default True.
    business_hours : BusinessHours, optional
        Working week that response times can be counted on; None: calendar hours.
    targets : mapping of str to Target
        KPI id → :class:`Target` (an overall value, and values for some dimension
        values), read-only; a mapping of the ``leadkpi.yaml`` shape given here is
        read with :func:`parse_targets`.
    fiscal_year_start : int
        Month (1–12) the fiscal year starts in; periods ``quarter`` and ``year`` follow
        it (default 1, the calendar year).
    channel_rules : tuple of mapping
        Rules that override the default channel grouping, in order; each maps lead
        columns (``source``, ``medium``, ``utm_source``, …) to patterns and names the
        ``channel`` they give.
    rates : mapping
        Conversion rates into the project currency, by ISO 4217 code
        (``{"USD": 0.92}`` means 1 USD = 0.92 of the project currency).
    locale : str
        Locale that decides ambiguous input (dd/mm vs mm/dd dates, decimal commas)
        and formats reports (default ``"en"``).
    name : str
        Company or project name shown on reports.
    ltv_max_months : float
        Cap on the expected customer lifetime in the formula LTV, in months
        (default 60): 1 / churn explodes when churn is rare.
    path : Path, optional
        The file the configuration was read from.
    """

    sources: tuple[Source, ...] = ()
    timezone: str = "UTC"
    currency: str = "EUR"
    sla_hours: float = 4.0
    stages: tuple[tuple[str, str], ...] = DEFAULT_STAGES
    cumulative_stages: bool = True
    business_hours: BusinessHours | None = None
    targets: Mapping[str, Target] = field(default_factory=lambda: _Frozen({}))
    fiscal_year_start: int = 1
    channel_rules: tuple[Mapping[str, Any], ...] = ()
    rates: Mapping[str, float] = field(default_factory=dict)
    locale: str = "en"
    name: str = "leadkpi"
    ltv_max_months: float = 60.0
    path: Path | None = None

    def __post_init__(self) -> None:
        # targets given from Python in the YAML shape become read-only Target data
        object.__setattr__(self, "targets", parse_targets(self.targets))

    def source(self, table: str) -> Source | None:
        """Return the (first) source of ``table``, or None when the project has none."""
        return next((s for s in self.sources if s.table == table), None)

    def sources_of(self, table: str) -> tuple[Source, ...]:
        """Every source that fills ``table`` (e.g. spend from several ad platforms)."""
        return tuple(s for s in self.sources if s.table == table)


def _fail(path: Path, message: str) -> ConfigError:
    return ConfigError(f"config {path}: {message}")


def _sources(raw: Any, path: Path) -> tuple[Source, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        raise _fail(path, "'sources' must map table names to files")
    base = path.parent
    out = []
    for table, entries in raw.items():
        if table not in TABLES:
            known = ", ".join(TABLES)
            raise _fail(path, f"unknown table {table!r} in 'sources'; expected {known}")
        for entry in entries if isinstance(entries, list) else [entries]:
            out.append(_source(table, entry, base, path))
    return tuple(out)


def _source(table: str, entry: Any, base: Path, path: Path) -> Source:
    if isinstance(entry, str):
        entry = {"path": entry}
    if not isinstance(entry, Mapping) or "path" not in entry:
        raise _fail(path, f"source {table!r} needs a 'path'")
    file = Path(os.path.expanduser(str(entry["path"])))
    mapping = entry.get("mapping")
    if mapping is not None and not isinstance(mapping, Mapping):
        raise _fail(path, f"source {table!r}: 'mapping' must be a mapping")
    options = {
        k: v for k, v in entry.items() if k not in ("path", "profile", "mapping")
    }
    return Source(
        table=table,
        path=file if file.is_absolute() else base / file,
        profile=str(entry.get("profile", "canonical")),
        mapping=mapping,
        options=options,
    )


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
    except (TypeError, ValueError, AttributeError) as exc:
        message = f"'sla_hours' and 'targets' must be numbers ({exc})"
        raise _fail(path, message) from None
    try:
        ltv_max_months = float(raw.get("ltv_max_months", 60))
    except (TypeError, ValueError) as exc:
        message = f"'ltv_max_months' must be a number of months ({exc})"
        raise _fail(path, message) from None
    try:
        targets = parse_targets(raw.get("targets"))
    except ConfigError as exc:
        raise _fail(path, str(exc)) from None
    fiscal_year_start = raw.get("fiscal_year_start", 1)
    if not isinstance(fiscal_year_start, int) or not 1 <= fiscal_year_start <= 12:
        raise _fail(
            path, f"'fiscal_year_start' must be a month 1-12, not {fiscal_year_start!r}"
        )
    rules = raw.get("channel_rules") or []
    if not isinstance(rules, list) or not all(isinstance(r, Mapping) for r in rules):
        raise _fail(path, "'channel_rules' must be a list of rules (mappings)")
    try:
        check_rules(rules)
    except ConfigError as exc:
        raise _fail(path, f"'channel_rules': {exc}") from None
    try:
        rates = {str(k).upper(): float(v) for k, v in (raw.get("rates") or {}).items()}
    except (TypeError, ValueError, AttributeError) as exc:
        message = f"'rates' must map currency codes to numbers ({exc})"
        raise _fail(path, message) from None
    cumulative = raw.get("cumulative_stages", True)
    if not isinstance(cumulative, bool):
        raise _fail(
            path, f"'cumulative_stages' must be true or false, not {cumulative!r}"
        )
    try:
        business_hours = parse_business_hours(raw.get("business_hours"))
    except ConfigError as exc:
        raise _fail(path, str(exc)) from None
    return Config(
        sources=_sources(raw.get("sources"), path),
        timezone=timezone,
        currency=str(raw.get("currency", "EUR")).upper(),
        sla_hours=sla_hours,
        stages=_stages(raw.get("stages"), path),
        cumulative_stages=cumulative,
        business_hours=business_hours,
        targets=targets,
        fiscal_year_start=fiscal_year_start,
        channel_rules=tuple(rules),
        rates=rates,
        locale=str(raw.get("locale", "en")),
        name=str(raw.get("name", "leadkpi")),
        ltv_max_months=ltv_max_months,
        path=path,
    )
