"""The schema of ``leadkpi.yaml``: every setting, its type and its allowed values.

:func:`check` validates a whole config at once, as pandera's lazy validation does
a table, and raises one :class:`~leadkpi.exceptions.ConfigError` listing every
problem with its line and key path: unknown settings (with the closest known one),
values of the wrong type, unknown currencies (ISO 4217), timezones (IANA) and locales
(CLDR, as babel knows them). What it returns is the config normalised (currency
codes upper case, weekdays as numbers, times as :class:`datetime.time`), ready to be
turned into a :class:`leadkpi.Config`.
"""

from __future__ import annotations

import codecs
import datetime as dt
import difflib
import re
import zoneinfo
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    ValidationError,
    create_model,
    model_validator,
)

from leadkpi.config_errors import (
    Problem,
    config_error,
    line_of,
    problems_of,
    shown,
    suggest,
)
from leadkpi.schemas import TABLES
from leadkpi.stage_labels import misordered

__all__ = [
    "check",
    "check_part",
    "BusinessHoursSpec",
    "ConversionSpec",
    "Project",
    "SourceSpec",
    "WEEKDAYS",
]

#: Weekday names as the config writes them, Monday first.
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _currency(value: str) -> str:
    from babel.numbers import list_currencies

    code = value.strip().upper()
    known = list_currencies()
    if code not in known:
        raise ValueError(
            f"must be an ISO 4217 currency code such as EUR or USD, not {value!r}"
            + _suggest_currency(code, known)
        )
    return code


def _suggest_currency(code: str, known: set[str]) -> str:
    """The code closest to a mistyped one (``EURO``) or to a name (``dollar``)."""
    from babel.numbers import get_currency_name

    if len(code) <= 4:
        return suggest(code, sorted(known))
    names = {get_currency_name(c, locale="en"): c for c in sorted(known)}
    folded = {name.lower(): name for name in names}
    close = difflib.get_close_matches(code.lower(), folded, n=1)
    if not close:
        return ""
    name = folded[close[0]]
    return f"; did you mean {names[name]!r} ({name})?"


def _month(value: int) -> int:
    if not 1 <= value <= 12:
        raise ValueError(f"must be a month 1-12, not {value!r}")
    return value


def _timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"must be an IANA timezone such as Europe/Madrid or UTC, not {value!r}"
            + suggest(value, sorted(zoneinfo.available_timezones()))
        ) from None
    return value


def _locale(value: str) -> str:
    from babel import Locale, UnknownLocaleError
    from babel.localedata import locale_identifiers

    try:
        Locale.parse(value.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise ValueError(
            f"must be a locale such as en, es or es_MX, not {value!r}"
            + suggest(value.replace("-", "_"), sorted(locale_identifiers()))
        ) from None
    return value


def _encoding(value: str) -> str:
    try:
        codecs.lookup(value)
    except LookupError:
        raise ValueError(
            f"must be a text encoding such as utf-8, cp1252 or utf-16, not {value!r}"
        ) from None
    return value


def _weekday(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 6:
        return value
    if isinstance(value, str) and value.strip().lower()[:3] in WEEKDAYS:
        return WEEKDAYS.index(value.strip().lower()[:3])
    raise ValueError(f"must be a weekday (mon, tue, … sun, or 0-6), not {shown(value)}")


def _clock(value: Any) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1440:
        return dt.time(*divmod(value, 60))  # YAML reads 9:00 unquoted as minutes
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"must be a time like '09:00', not {shown(value)}") from None


def _pattern(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(
            f"is not a regular expression ({exc}): {shown(value)}"
        ) from None
    return value


def _printable(value: str) -> str:
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError(f"must not hold control characters, not {shown(value)}")
    return value


def _sheet(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(
            f"must be a sheet name or its position (0 first), not {shown(value)}"
        )
    return value


def _listed(kind: str) -> Callable[[Any], Any]:
    """A before-validator that refuses a single value where a list is expected."""

    def refuse_one(value: Any) -> Any:
        if isinstance(value, str | int | float | dt.date | Mapping):
            raise ValueError(f"must be a list of {kind}, not {shown(value)}")
        return value

    return refuse_one


class _Strict(BaseModel):
    """A mapping of settings: unknown keys are refused, numbers read as text."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)
    #: What a key of this mapping is, in messages ("'x' is not a setting").
    noun: ClassVar[str] = "setting"


Text = Annotated[str, Field(min_length=1)]
Currency = Annotated[str, AfterValidator(_currency)]
Timezone = Annotated[str, AfterValidator(_timezone)]
LocaleName = Annotated[str, AfterValidator(_locale)]


Number = Annotated[StrictFloat, Field(allow_inf_nan=False)]
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class SourceSpec(_Strict):
    """One source of a table: a file, folder or glob and its reader options, or a
    table of the backend that ``sources.backend`` names."""

    path: Annotated[str, Field(min_length=1), AfterValidator(_printable)] | None = None
    table: Annotated[str, Field(min_length=1), AfterValidator(_printable)] | None = None
    profile: Text = "auto"
    mapping: dict[str, Any] | None = None
    outside_project: StrictBool = False
    limits: dict[str, Any] | None = None
    encoding: Annotated[str, AfterValidator(_encoding)] | None = None
    delimiter: Annotated[str, Field(min_length=1, max_length=1)] | None = None
    sheet: Annotated[int | str, BeforeValidator(_sheet)] | None = None
    dayfirst: StrictBool | None = None
    decimal: Literal[".", ","] | None = None
    currency: Currency | None = None
    locale: LocaleName | None = None

    @model_validator(mode="after")
    def _file_or_table(self) -> SourceSpec:
        options = sorted(set(self.model_fields_set) - {"path", "table"})
        if self.path is not None and self.table is not None:
            raise ValueError(
                "has both a path and a table: a source is a file, folder or glob "
                "(path) or a table of sources.backend (table)"
            )
        if self.path is None and self.table is None:
            raise ValueError(
                f"needs a path (a file, folder or glob) for its options "
                f"({', '.join(options)})"
                if options
                else "needs a path (a file, folder or glob) or a table of "
                "sources.backend"
            )
        if self.table is not None and options:
            raise ValueError(
                f"reads a backend table, which has no file options: "
                f"{', '.join(options)}"
            )
        return self


def _sources_of_a_table(value: Any) -> Any:
    """A table's sources as a list of mappings: a path alone, or one mapping, is one."""
    entries = value if isinstance(value, list) else [value]
    return [{"path": e} if isinstance(e, str) else e for e in entries]


SourceList = Annotated[list[SourceSpec], BeforeValidator(_sources_of_a_table)]


#: Where tables live as tables of a database: a URL (``duckdb:///crm.duckdb``), a
#: ``.duckdb`` file or a folder of Parquet files (as
#: :func:`leadkpi.warehouse.connect` opens them).
BackendTarget = Annotated[str, Field(min_length=1), AfterValidator(_printable)]


class BackendSpec(_Strict):
    """``backend: {url: …, outside_project: true}``: a backend file or folder
    outside the project folder, read by consent."""

    url: BackendTarget
    outside_project: StrictBool = False


#: The ``sources`` mapping: ``backend`` (optional), then one optional list of sources
#: per canonical table.
class _Tables(_Strict):
    noun: ClassVar[str] = "table"


Sources = create_model(
    "Sources",
    __base__=_Tables,
    **{t: (SourceList | None, None) for t in TABLES},
    backend=(BackendTarget | BackendSpec | None, None),
)


#: What a relative target is measured against: the period before the target's (a
#: month, a quarter, a year) or the same period a year earlier. The target's own
#: period is the reference's kind: a month, a quarter or a (fiscal) year.
Against = Literal[
    "previous_month",
    "same_month_last_year",
    "previous_quarter",
    "same_quarter_last_year",
    "previous_year",
]
#: Largest relative change accepted: a change is a fraction (0.20 is +20 %).
MAX_CHANGE = 10.0


def _change(value: float) -> float:
    if value <= -1:
        raise ValueError(
            f"must be more than -1 (-1 is -100 %: nothing left), not {value!r}"
        )
    if value > MAX_CHANGE:
        raise ValueError(
            f"is a fraction (0.20 is +20 %), so {value!r} would be "
            f"+{value * 100:,.0f} %; write it as a fraction"
        )
    return value


class TargetSpec(BaseModel):
    """A KPI's target: an overall ``value`` and, per dimension, values by level; or
    a ``change`` ``against`` a reference period (a relative target)."""

    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True)
    __pydantic_extra__: dict[str, Annotated[dict[str, Number], Field(min_length=1)]]

    value: Number | None = None
    change: Annotated[Number, AfterValidator(_change)] | None = None
    against: Against | None = None

    @model_validator(mode="before")
    @classmethod
    def _number_alone(cls, value: Any) -> Any:
        return value if isinstance(value, Mapping) else {"value": value}

    @model_validator(mode="after")
    def _not_empty(self) -> TargetSpec:
        relative = self.change is not None or self.against is not None
        if relative:
            if self.change is None:
                raise ValueError(
                    "'against' needs a 'change' (a fraction: 0.20 for +20 %)"
                )
            if self.against is None:
                raise ValueError(
                    "'change' needs 'against': one of "
                    + ", ".join(Against.__args__)
                )
            if self.value is not None or self.model_extra:
                raise ValueError(
                    "is either absolute (value, targets by a dimension) or relative "
                    "(change and against), not both"
                )
        elif self.value is None and not self.model_extra:
            raise ValueError("needs a 'value' or targets by a dimension")
        return self


#: The ``targets`` mapping: KPI id → target.
Targets = dict[str, TargetSpec]


class BusinessHoursSpec(_Strict):
    """The ``business_hours`` setting: the working week response times count on."""

    days: Annotated[
        list[Annotated[int, BeforeValidator(_weekday)]],
        BeforeValidator(_listed("weekdays, e.g. [mon, tue, wed, thu, fri]")),
        Field(min_length=1),
    ] = [0, 1, 2, 3, 4]
    start: Annotated[dt.time, BeforeValidator(_clock)] = dt.time(9)
    end: Annotated[dt.time, BeforeValidator(_clock)] = dt.time(18)
    timezone: Timezone | None = None
    holidays: Annotated[
        list[dt.date], BeforeValidator(_listed("dates, e.g. [2026-12-25]"))
    ] = []

    @model_validator(mode="after")
    def _opens_before_closing(self) -> BusinessHoursSpec:
        if self.end <= self.start:
            raise ValueError(
                f"end {self.end:%H:%M} must be after start {self.start:%H:%M}"
            )
        return self


ChannelRule = dict[str, Annotated[str, AfterValidator(_pattern)]]


def _rule(rule: dict[str, str]) -> dict[str, str]:
    if not rule.get("channel") or len(rule) < 2:
        raise ValueError(
            f"needs a 'channel' and at least one column pattern, not {shown(rule)}"
        )
    return rule


def _stage(value: Any) -> Any:
    """``column``, ``[labels]`` or ``{column: ..., labels: [...]}``."""
    texts = isinstance(value, list) and all(isinstance(v, str) and v for v in value)
    if (isinstance(value, str) and value) or texts:
        return value
    if isinstance(value, Mapping) and isinstance(value.get("column"), str):
        unknown = set(value) - {"column", "labels"}
        labels = value.get("labels", [])
        if not unknown and isinstance(labels, list):
            if all(isinstance(v, str) and v for v in labels):
                return dict(value)
    raise ValueError(
        "must be a lead column, a list of labels or {column: ..., labels: [...]}, "
        f"not {shown(value)}"
    )


def _funnel(stages: dict[str, Any]) -> dict[str, Any]:
    funnel = [stage for stage, value in stages.items() if not isinstance(value, list)]
    if not funnel:
        raise ValueError("names no funnel stage (stage: lead column)")
    wrong = misordered(funnel)
    if wrong:
        raise ValueError(
            f"lists {wrong[0]!r} before {wrong[1]!r}; list the funnel's stages in "
            "the order a lead reaches them (lead, mql, sql, opportunity, customer)"
        )
    return stages


#: ``stage: column``, ``stage: {column: ..., labels: [...]}`` or, for a deal outcome
#: or a stage without a dating column, ``stage: [labels]``.
Stages = Annotated[
    dict[str, Annotated[Any, AfterValidator(_stage)]],
    Field(min_length=1),
    AfterValidator(_funnel),
]


#: Where a conversion event is counted: exactly one of these keys.
_CONVERSION_SOURCES = ("touch_type", "lead_column", "platform")


class ConversionSpec(_Strict):
    """One conversion event: counted from touches of a type, a date column of the
    leads, or the ad platforms' own counts (optionally of some result types)."""

    touch_type: Text | None = None
    lead_column: Text | None = None
    platform: StrictBool | None = None
    types: (
        Annotated[
            list[Text],
            BeforeValidator(_listed("result types")),
            Field(min_length=1),
        ]
        | None
    ) = None
    crm: Text | None = None

    @model_validator(mode="after")
    def _one_source(self) -> ConversionSpec:
        given = [
            k for k in _CONVERSION_SOURCES if getattr(self, k) not in (None, False)
        ]
        if len(given) != 1:
            raise ValueError(
                "needs exactly one of touch_type: <a touch type>, lead_column: "
                "<a date column of the leads> or platform: true"
                + (f", not {' and '.join(given)}" if given else "")
            )
        for key in ("types", "crm"):
            if getattr(self, key) is not None and given != ["platform"]:
                raise ValueError(
                    f"'{key}' applies to a platform event (platform: true)"
                )
        return self


def _event_name(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_]+", value):
        raise ValueError(
            "is not an event name: use letters, digits and _ (demo_request), "
            f"not {shown(value)}"
        )
    return value


#: The ``conversions`` mapping: event name → where it is counted.
Conversions = dict[Annotated[str, AfterValidator(_event_name)], ConversionSpec]


class Project(_Strict):
    """The whole ``leadkpi.yaml``."""

    name: Text = "leadkpi"
    timezone: Timezone = "UTC"
    currency: Currency = "EUR"
    locale: LocaleName = "en"
    sla_hours: Positive = 4.0
    fiscal_year_start: Annotated[StrictInt, AfterValidator(_month)] = 1
    sources: Sources | None = None  # type: ignore[valid-type]
    stages: Stages | None = None
    cumulative_stages: StrictBool = True
    business_hours: BusinessHoursSpec | None = None
    targets: Targets | None = None
    channel_rules: list[Annotated[ChannelRule, AfterValidator(_rule)]] | None = None
    rates: dict[Currency, Positive] | None = None
    ltv_max_months: Positive = 60.0
    gross_margin: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)] | None = None
    conversions: Conversions | None = None


def check(
    data: Any,
    *,
    where: str = "config",
    lines: Mapping[tuple, int] | None = None,
    problems: Sequence[Problem] = (),
) -> dict[str, Any]:
    """Validate a whole config; return it normalised, holding only what was given.

    Parameters
    ----------
    data : object
        The config as read from YAML (None for an empty file).
    where : str
        How the file is named in messages (``"config /path/leadkpi.yaml"``).
    lines : mapping, optional
        Key path → line, from :func:`leadkpi.config_yaml.read_yaml`.
    problems : sequence, optional
        Problems already found while reading, ``(line, key path, predicate)``,
        reported together with the schema's.

    Raises
    ------
    ConfigError
        Listing every problem, one line each: line, key path and what is wrong.

    Examples
    --------
    >>> check({"currency": "usd", "business_hours": {"days": ["mon", "tue"]}})
    {'currency': 'USD', 'business_hours': {'days': [0, 1]}}
    >>> check({"timezon": "Europe/Madrid", "currency": "EURO"})
    Traceback (most recent call last):
    ...
    leadkpi.exceptions.ConfigError: config: 2 problems
      'currency' must be an ISO 4217 currency code such as EUR or USD, not 'EURO'; did you mean 'EUR'?
      'timezon' is not a setting; did you mean 'timezone'?
    """  # noqa: E501
    data = {} if data is None else data
    if not isinstance(data, Mapping):
        what = f"must hold settings (name: value lines), not {shown(data)}"
        raise config_error(where, [(1 if lines is not None else None, (), what)])
    found = list(problems)
    spec = None
    try:
        spec = Project.model_validate(data)
    except ValidationError as exc:
        found += [
            (line_of(path, lines or {}), path, predicate)
            for _, path, predicate in problems_of(exc, data, Project, ())
        ]
    if found or spec is None:
        raise config_error(where, found)
    return spec.model_dump(exclude_unset=True)


class _Targets(_Strict):
    targets: Targets


class _BusinessHours(_Strict):
    business_hours: BusinessHoursSpec


class _Conversions(_Strict):
    conversions: Conversions


#: The settings that Python code may give alone, as the model that holds each.
_PARTS: dict[str, type[_Strict]] = {
    "targets": _Targets,
    "business_hours": _BusinessHours,
    "conversions": _Conversions,
}


def check_part(key: str, data: Any) -> Any:
    """Validate one setting given from Python: ``targets`` or ``business_hours``.

    Returns the normalised value (plain data, holding only what was given); raises
    :class:`ConfigError` listing every problem with its key path
    (``'targets.leads' must be a number, not 'many'``).

    Examples
    --------
    >>> check_part("business_hours", {"days": ["mon"], "start": "08:30"})
    {'days': [0], 'start': datetime.time(8, 30)}
    """
    model, wrapped = _PARTS[key], {key: data}
    try:
        spec = model.model_validate(wrapped)
    except ValidationError as exc:
        raise config_error("", problems_of(exc, wrapped, model, ())) from None
    return spec.model_dump(exclude_unset=True)[key]
