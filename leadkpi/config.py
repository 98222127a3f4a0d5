"""The project configuration: ``leadkpi.yaml``.

A configuration names the input sources and the business settings that KPIs depend on
(timezone, currency, response-time SLA, funnel stages, targets). It is read once, into
an immutable :class:`Config`, and passed to whatever needs it: nothing is global.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leadkpi.exceptions import ConfigError
from leadkpi.stage_labels import (
    DEFAULT_STAGE_LABELS,
    DEFAULT_STAGES,
    merge_labels,
    misordered,
)

__all__ = [
    "Source",
    "Backend",
    "Config",
    "Target",
    "load_config",
    "parse_targets",
    "DEFAULT_STAGES",
    "BusinessHours",
    "parse_business_hours",
    "ConversionEvent",
    "parse_conversions",
]


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
        The export layout (a profile name), ``"auto"`` (the default) to recognise
        it from its header, or ``"canonical"`` for leadkpi's own column names.
    mapping : mapping, optional
        For a file no profile knows: canonical column → source column, plus optional
        settings (value maps, date format); see :func:`leadkpi.read`.
    options : mapping
        Reader options passed through to :func:`leadkpi.read` (``encoding``,
        ``delimiter``, ``currency``, …).
    within : Path, optional
        The folder every file of the source must stay in, links resolved (the
        project folder, for a source of a config file without
        ``outside_project: true``); None sets no bound.
    """

    table: str
    path: Path
    profile: str = "auto"
    mapping: Mapping[str, Any] | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    within: Path | None = None


@dataclass(frozen=True)
class Backend:
    """Canonical tables that live as tables of a database (``sources.backend``).

    Parameters
    ----------
    target : str
        What :func:`leadkpi.warehouse.connect` opens: a URL
        (``duckdb:////abs/crm.duckdb``, ``postgres://…``), a ``.duckdb`` file or a
        folder of Parquet files; a relative file or folder is resolved against the
        config's folder.
    tables : mapping of str to str
        Canonical table → the backend table that holds it.
    lines : mapping of str to int
        ``"backend"`` and each canonical table → the line of its key in the YAML,
        for messages.
    keys : mapping of str to tuple
        Each canonical table → the key path of its ``table:`` as the YAML writes it
        (``("sources", "spend", 0, "table")`` in a list), for messages.
    """

    target: str
    tables: Mapping[str, str] = field(default_factory=dict)
    lines: Mapping[str, int] = field(default_factory=dict)
    keys: Mapping[str, tuple] = field(default_factory=dict)


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
    """The target of one KPI: an overall value, and values for some dimension values;
    or a change against a reference period.

    Parameters
    ----------
    value : float, optional
        The target wherever no more specific one applies; None when the KPI only has
        targets for some dimension values, or a relative target.
    by : mapping
        Dimension → (dimension value → target), read-only, in the order given: a
        result cut by that dimension takes these values first.
    change : float, optional
        A relative target: the change wanted over the reference, as a fraction
        (0.20 for +20 %, -0.10 for −10 %).
    against : str, optional
        The reference of a relative target (see
        :data:`leadkpi.config_schema.Against`): ``previous_month``,
        ``same_month_last_year``, ``previous_quarter``, ``same_quarter_last_year`` or
        ``previous_year``; :func:`leadkpi.target_progress` evaluates it.

    Examples
    --------
    >>> Target(60.0, {"channel": {"paid_search": 80.0}}).by["channel"]["paid_search"]
    80.0
    >>> Target(change=0.2, against="same_month_last_year").relative
    True
    """

    value: float | None = None
    by: Mapping[str, Mapping[str, float]] = field(default_factory=lambda: _Frozen({}))
    change: float | None = None
    against: str | None = None

    def __post_init__(self) -> None:
        frozen = {d: _Frozen(dict(v)) for d, v in self.by.items()}
        object.__setattr__(self, "by", _Frozen(frozen))

    @property
    def relative(self) -> bool:
        """Whether the target is a change against a reference period."""
        return self.change is not None


def _check_part(key: str, raw: Any) -> Any:
    from leadkpi.config_schema import check_part  # pydantic, imported when needed

    return check_part(key, raw)


def _target(spec: Mapping[str, Any]) -> Target:
    own = ("value", "change", "against")
    by = {dim: levels for dim, levels in spec.items() if dim not in own}
    return Target(spec.get("value"), by, spec.get("change"), spec.get("against"))


def parse_targets(raw: Mapping[str, Any] | None) -> Mapping[str, Target]:
    """Read targets given as a mapping of the ``leadkpi.yaml`` shape.

    Parameters
    ----------
    raw : mapping or None
        KPI id → a number (the target everywhere), a :class:`Target`, a mapping
        with an optional ``value`` and, per dimension, dimension value → number, or
        a relative target, a ``change`` (a fraction) ``against`` a reference::

            leads: 300
            cost_per_lead:
              value: 60
              channel: {paid_search: 80, events_webinars: 150}
            revenue: {change: +0.20, against: same_month_last_year}
            cac: {change: -0.10, against: previous_quarter}

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
    Target(value=300.0, by={}, change=None, against=None)
    >>> dict(targets["cost_per_lead"].by["channel"])
    {'paid_search': 80.0}
    >>> parse_targets({"revenue": {"change": 0.2, "against": "previous_year"}})
    {'revenue': Target(value=None, by={}, change=0.2, against='previous_year')}
    """
    if raw is None:
        return _Frozen({})
    given = raw
    if isinstance(raw, Mapping):  # Target objects are read already
        given = {k: v for k, v in raw.items() if not isinstance(v, Target)}
    checked = _check_part("targets", given) if given else {}
    return _Frozen(
        {
            str(k): v if isinstance(v, Target) else _target(checked[str(k)])
            for k, v in raw.items()
        }
    )


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


def parse_business_hours(raw: Any) -> BusinessHours | None:
    """Read the ``business_hours`` setting (None when absent).

    ``days`` are weekday names (``mon`` … ``sun``) or numbers (Monday = 0), ``start``
    and ``end`` times like ``"09:00"``, ``holidays`` ISO dates, ``timezone`` an IANA
    name (default: the project timezone).
    """
    if raw is None:
        return None
    hours = _check_part("business_hours", raw)  # only what was given: defaults below
    for key in ("days", "holidays"):
        if key in hours:
            hours[key] = tuple(sorted(set(hours[key])))
    return BusinessHours(**hours)


@dataclass(frozen=True)
class ConversionEvent:
    """A conversion other than becoming a customer (a demo request, a trial start,
    a webinar registration), counted from exactly one place.

    Parameters
    ----------
    name : str
        The event's id, as the ``conversions:`` mapping names it (``demo_request``).
    touch_type : str, optional
        Count the touches of this ``touch_type`` (the touches table), dated by
        ``touched_at``.
    lead_column : str, optional
        Count the leads that have this date column set (``trial_started_at``),
        dated by it.
    platform : bool
        Count what the ad platforms report (the spend table's ``conversions``).
    types : tuple of str
        For a platform event: the result types counted (Meta's result indicator,
        ``actions:onsite_conversion.lead_grouped``). Empty: every type, each kept
        apart (counts of different types are never added together).
    crm : str, optional
        For a platform event: the CRM event (a touch or lead column event) its
        count is set against in :func:`leadkpi.conversions.platform_vs_crm`;
        default the config's first CRM event.
    line : int, optional
        The line of ``leadkpi.yaml`` that says where the event is counted (its
        ``touch_type``, ``lead_column`` or ``platform`` key), for errors.

    Examples
    --------
    >>> ConversionEvent("demo_request", touch_type="demo_request").source
    'touch_type'
    """

    name: str
    touch_type: str | None = None
    lead_column: str | None = None
    platform: bool = False
    types: tuple[str, ...] = ()
    crm: str | None = None
    line: int | None = None

    def __post_init__(self) -> None:
        given = [
            k
            for k, v in (
                ("touch_type", self.touch_type),
                ("lead_column", self.lead_column),
                ("platform", self.platform or None),
            )
            if v is not None
        ]
        if len(given) != 1:
            raise ConfigError(
                f"conversions: event {self.name!r} needs exactly one of touch_type, "
                f"lead_column or platform: true, not {given or 'none'}"
            )
        if (self.types or self.crm) and not self.platform:
            raise ConfigError(
                f"conversions: event {self.name!r}: types and crm apply to a "
                "platform event"
            )

    @property
    def source(self) -> str:
        """Where the event is counted: ``touch_type``, ``lead_column`` or
        ``platform``."""
        if self.touch_type is not None:
            return "touch_type"
        return "lead_column" if self.lead_column is not None else "platform"


def parse_conversions(
    raw: Mapping[str, Any] | None, lines: Mapping[tuple, int] | None = None
) -> tuple[ConversionEvent, ...]:
    """Read the ``conversions:`` mapping: event name → where it is counted.

    Parameters
    ----------
    raw : mapping or None
        Event name → ``{touch_type: ...}``, ``{lead_column: ...}`` or
        ``{platform: true}`` (optionally with ``types: [...]``); a
        :class:`ConversionEvent` is kept as it is.
    lines : mapping, optional
        Key path → line, from :func:`leadkpi.config_yaml.read_yaml`.

    Examples
    --------
    >>> events = parse_conversions({"demo_request": {"touch_type": "demo_request"},
    ...                             "platform": {"platform": True}})
    >>> [(e.name, e.source) for e in events]
    [('demo_request', 'touch_type'), ('platform', 'platform')]
    """
    if not raw:
        return ()
    given = {k: v for k, v in raw.items() if not isinstance(v, ConversionEvent)}
    checked = _check_part("conversions", given) if given else {}
    out = []
    for name, value in raw.items():
        if isinstance(value, ConversionEvent):
            out.append(value)
            continue
        spec = checked[str(name)]
        out.append(
            ConversionEvent(
                str(name),
                touch_type=spec.get("touch_type"),
                lead_column=spec.get("lead_column"),
                platform=bool(spec.get("platform", False)),
                types=tuple(spec.get("types") or ()),
                crm=spec.get("crm"),
                line=_event_line(lines or {}, name),
            )
        )
    return tuple(out)


def _event_line(lines: Mapping[tuple, int], name: str) -> int | None:
    """The line of an event's source key (``touch_type: …``), else of its name."""
    for key in ("touch_type", "lead_column", "platform"):
        if ("conversions", name, key) in lines:
            return lines[("conversions", name, key)]
    return lines.get(("conversions", name))


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
    stage_labels : mapping of str to tuple of str
        Stage id (``won``, ``lost``, ``mql``…) → the CRM labels that mean it: the
        multilingual defaults of :data:`leadkpi.stage_labels.DEFAULT_STAGE_LABELS`
        plus the labels given under ``stages:`` (see :func:`load_config`).
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
    gross_margin : float, optional
        Share of revenue left after the cost of sales (0–1), for the ROI on gross
        margin (``gross_margin_roi``); None (the default): that KPI is unknown.
    conversions : tuple of ConversionEvent
        Conversion events other than becoming a customer (form fills, demo
        requests, trial starts, the ad platforms' own counts); a mapping of the
        ``leadkpi.yaml`` shape given here is read with :func:`parse_conversions`.
    backend : Backend, optional
        The database whose tables fill some canonical tables (``sources.backend``
        and ``{table: …}`` sources); :func:`leadkpi.load` reads them,
        :func:`leadkpi.project.connect_config` leaves them there.
    path : Path, optional
        The file the configuration was read from.
    """

    sources: tuple[Source, ...] = ()
    timezone: str = "UTC"
    currency: str = "EUR"
    sla_hours: float = 4.0
    stages: tuple[tuple[str, str], ...] = DEFAULT_STAGES
    stage_labels: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(DEFAULT_STAGE_LABELS)
    )
    cumulative_stages: bool = True
    business_hours: BusinessHours | None = None
    targets: Mapping[str, Target] = field(default_factory=lambda: _Frozen({}))
    fiscal_year_start: int = 1
    channel_rules: tuple[Mapping[str, Any], ...] = ()
    rates: Mapping[str, float] = field(default_factory=dict)
    locale: str = "en"
    name: str = "leadkpi"
    ltv_max_months: float = 60.0
    gross_margin: float | None = None
    conversions: tuple[ConversionEvent, ...] = ()
    backend: Backend | None = None
    path: Path | None = None

    def __post_init__(self) -> None:
        # targets given from Python in the YAML shape become read-only Target data
        object.__setattr__(self, "targets", parse_targets(self.targets))
        if isinstance(self.conversions, Mapping):
            object.__setattr__(
                self, "conversions", parse_conversions(self.conversions)
            )
        else:
            object.__setattr__(self, "conversions", tuple(self.conversions))
        wrong = misordered([stage for stage, _ in self.stages])
        if wrong:
            raise ConfigError(
                f"stages: {wrong[0]!r} is listed before {wrong[1]!r}; list the "
                "funnel's stages in the order a lead reaches them"
            )

    def source(self, table: str) -> Source | None:
        """Return the (first) source of ``table``, or None when the project has none."""
        return next((s for s in self.sources if s.table == table), None)

    def sources_of(self, table: str) -> tuple[Source, ...]:
        """Every source that fills ``table`` (e.g. spend from several ad platforms)."""
        return tuple(s for s in self.sources if s.table == table)


#: The key of a source that may read a file outside the project folder.
OUTSIDE_PROJECT = "outside_project"


def _source(table: str, entry: Mapping[str, Any], config: Path) -> Source:
    base = config.parent
    file = Path(os.path.expanduser(entry["path"]))
    located = file if file.is_absolute() else base / file
    bounded = entry.get(OUTSIDE_PROJECT) is not True
    if bounded and _outside(located, base):
        raise ConfigError(
            f"config {config}: source {table!r}: {entry['path']!r} is outside the "
            f"project folder {base}; to read it, say so in that source with "
            f"'{OUTSIDE_PROJECT}: true'"
        )
    own = ("path", "profile", "mapping", OUTSIDE_PROJECT)
    return Source(
        table=table,
        path=located,
        profile=entry.get("profile", "auto"),
        mapping=entry.get("mapping"),
        options={k: v for k, v in entry.items() if k not in own},
        within=base if bounded else None,
    )


def _backend(
    target: str | None,
    sources: Mapping[str, Any],
    given: Any,
    lines: Mapping[tuple, int],
    config: Path,
) -> Backend | None:
    """``sources.backend`` and the ``{table: …}`` sources, checked together: a
    backend table needs a backend, and fills its canonical table alone."""
    from leadkpi.config_errors import config_error, line_of

    written = (given or {}).get("sources") or {}
    tables: dict[str, str] = {}
    where: dict[str, int] = {}
    keys: dict[str, tuple] = {}
    problems = []
    for name, entries in sources.items():
        entries = entries or []
        listed = isinstance(written.get(name), list)
        for i, entry in enumerate(entries):
            if entry.get("table") is None:
                continue
            key = ("sources", name, *((i,) if listed else ()), "table")
            line = line_of(key, lines)
            if target is None:
                problems.append(
                    (
                        line,
                        key,
                        "names a backend table, but sources has no backend "
                        "(backend: duckdb:///crm.duckdb, a .duckdb file or a "
                        "folder of Parquet files)",
                    )
                )
            elif len(entries) > 1:
                problems.append(
                    (
                        line,
                        key,
                        f"is one of {len(entries)} sources of {name}; a "
                        "backend table fills its table alone",
                    )
                )
            else:
                tables[name] = entry["table"]
                where[name] = line or 0
                keys[name] = key
    if problems:
        raise config_error(f"config {config}", problems)
    if target is None:
        return None
    where["backend"] = line_of(("sources", "backend"), lines) or 0
    consent = isinstance(target, Mapping) and target.get(OUTSIDE_PROJECT) is True
    url = target["url"] if isinstance(target, Mapping) else target
    located = _located(url, config.parent)
    file = _backend_file(located)
    if file is not None and not consent and _outside(file, config.parent):
        key = ("sources", "backend")
        raise config_error(
            f"config {config}",
            [
                (
                    line_of(key, lines),
                    key,
                    f"{url!r} is outside the project folder {config.parent}; to "
                    f"read it, say so: backend: {{url: {url!r}, "
                    f"{OUTSIDE_PROJECT}: true}}",
                )
            ],
        )
    return Backend(located, tables, where, keys)


def _backend_file(target: str) -> Path | None:
    """The file or folder a located backend target reads, None for a server."""
    if "://" not in target:
        return Path(target)
    scheme, rest = target.split("://", 1)
    if scheme == "duckdb" and rest.removeprefix("/") not in ("", ":memory:"):
        return Path(rest[1:] if rest.startswith("//") else rest.removeprefix("/"))
    return None


def _located(target: str, base: Path) -> str:
    """A backend target with a relative file or folder resolved against ``base``:
    ``duckdb:///crm.duckdb`` is ``crm.duckdb`` next to the config,
    ``duckdb:////srv/crm.duckdb`` an absolute path; other URLs are kept."""
    if "://" in target:
        scheme, rest = target.split("://", 1)
        file = rest.removeprefix("/")
        relative = scheme == "duckdb" and rest.startswith("/") and file
        if relative and not file.startswith("/") and file != ":memory:":
            return f"duckdb:///{(base / os.path.expanduser(file)).resolve()}"
        return target
    file = Path(os.path.expanduser(target))
    return str(file if file.is_absolute() else (base / file).resolve())


def _outside(located: Path, base: Path) -> bool:
    """Whether a source path (a glob's fixed part; links and ``..`` resolved)
    leaves the folder ``base``."""
    parts = located.parts
    fixed = next((i for i, p in enumerate(parts) if set(p) & set("*?[")), len(parts))
    resolved = Path(*parts[:fixed]).resolve()
    return not resolved.is_relative_to(base.resolve())


#: The settings a :class:`Config` takes as the schema returns them.
_AS_GIVEN = (
    "name",
    "timezone",
    "currency",
    "locale",
    "sla_hours",
    "fiscal_year_start",
    "cumulative_stages",
    "rates",
    "ltv_max_months",
    "gross_margin",
)


def _stages(
    raw: Mapping[str, Any] | None,
) -> tuple[tuple[tuple[str, str], ...], dict[str, tuple[str, ...]]]:
    """Funnel stages (id, dating column) and stage labels from a checked ``stages:``.

    Each entry is ``stage: column``, ``stage: {column: ..., labels: [...]}`` or,
    for a deal outcome or a stage without a dating column, ``stage: [labels]``
    (``won: [Ganado]``). Labels are added to the multilingual defaults.
    """
    if not raw:
        return DEFAULT_STAGES, merge_labels()
    funnel, labels = [], {}
    for stage, value in raw.items():
        if isinstance(value, str):
            funnel.append((stage, value))
        elif isinstance(value, list):
            labels[stage] = value
        else:
            funnel.append((stage, value["column"]))
            labels[stage] = value.get("labels") or []
    return tuple(funnel), merge_labels(labels)


def load_config(path: str | os.PathLike[str]) -> Config:
    """Read a ``leadkpi.yaml`` file.

    The file is checked against :mod:`leadkpi.config_schema` as a whole: unknown
    settings (with the closest known one), values of the wrong type, unknown
    currencies, timezones and locales are reported together, each with its line.

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
        When the file is missing, unreadable, too large, not valid YAML, or has
        settings that are unknown or of the wrong shape; the message names the file
        and, for each problem, the line and the setting.

    Examples
    --------
    >>> cfg = load_config("leadkpi.yaml")
    >>> cfg.timezone
    'Europe/Madrid'
    """
    from leadkpi.config_schema import check  # pydantic, imported when first needed
    from leadkpi.config_yaml import read_yaml

    path = Path(path).resolve()
    file = read_yaml(path)
    raw = check(
        file.data, where=f"config {path}", lines=file.lines, problems=file.problems
    )
    settings = {key: raw[key] for key in _AS_GIVEN if raw.get(key) is not None}
    stages, stage_labels = _stages(raw.get("stages"))
    sources = dict(raw.get("sources") or {})
    target = sources.pop("backend", None)
    return Config(
        sources=tuple(
            _source(table, entry, path)
            for table, entries in sources.items()
            for entry in entries or ()
            if entry.get("path") is not None
        ),
        backend=_backend(target, sources, file.data, file.lines, path),
        stages=stages,
        stage_labels=stage_labels,
        business_hours=parse_business_hours(raw.get("business_hours")),
        targets=parse_targets(raw.get("targets")),
        channel_rules=tuple(raw.get("channel_rules") or ()),
        conversions=parse_conversions(raw.get("conversions"), file.lines),
        path=path,
        **settings,
    )
