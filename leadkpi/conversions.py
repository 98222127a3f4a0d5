"""Conversions other than becoming a customer: counts, cost and rate per event.

A project declares its conversion events under ``conversions:`` in ``leadkpi.yaml``
(:class:`leadkpi.config.ConversionEvent`)::

    conversions:
      demo_request: {touch_type: demo_request}      # touches of that type
      trial_start:  {lead_column: trial_started_at} # a date column of the leads
      platform:     {platform: true}                # the ad platforms' own counts

Each event is one measure, ``conversions``, that the catalogue KPIs
``conversions``, ``cost_per_conversion`` and ``conversion_rate`` read
(:mod:`leadkpi.kpis.catalogue_conversions`): :func:`conversion_kpis` computes them
with the engine, event by event, and :func:`platform_vs_crm` sets what the ad
platforms report beside what the CRM recorded.

How each event counts
    A touch event counts the *leads* that had a touch of its type in the cell (a
    lead who downloads two white papers in a month is one conversion that month),
    dated by ``touched_at``, cut by the touch's own channel and campaign. A lead
    column event counts the leads whose column is set, dated by it (period mode),
    or the leads created in the period that have it set (cohort mode). A platform
    event sums the spend table's ``conversions``: a fraction where the platform
    credits fractions (Google Ads' data-driven attribution), unknown (never 0) for
    a channel or campaign the spend table does not cover.
Result types
    Meta reports a campaign's "Results" of the type its objective chose (leads,
    link clicks, purchases), kept as ``conversion_type``; the other platforms write
    one conversions column without a type. Counts of different types are never
    added up: a platform event without ``types:`` whose rows hold several types is
    split into one event per type (``ad_platforms · actions:link_click``) and one
    for the untyped counts, and one with ``types: [...]`` counts only those. One
    type beside untyped counts (Meta's leads beside Google Ads' conversions) is
    added up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from leadkpi.config import Config, ConversionEvent
from leadkpi.config_errors import config_error, suggest
from leadkpi.data import LeadData
from leadkpi.exceptions import ArgumentError
from leadkpi.io.dates import parse_dates
from leadkpi.kpis.engine import compute, result_attrs
from leadkpi.kpis.kpi import kpi
from leadkpi.kpis.measures import Measure

__all__ = [
    "CONVERSION_KPIS",
    "PLATFORM_VS_CRM_COLUMNS",
    "check_conversions",
    "conversion_events",
    "conversion_kpis",
    "event_measure",
    "platform_vs_crm",
]

#: The catalogue KPIs computed for each event, in order.
CONVERSION_KPIS = ("conversions", "cost_per_conversion", "conversion_rate")
#: Columns of :func:`platform_vs_crm` after the grain.
PLATFORM_VS_CRM_COLUMNS = ("platform", "crm", "difference", "ratio", "reason")
#: Spend rows that carry a platform conversion count (a helper KPI).
KPI_ROWS = kpi(
    "reported_rows",
    "reported_rows",
    "count",
    None,
)
#: Separator between a platform event's name and a result type.
TYPE_SEPARATOR = " · "


def _typed(types: tuple[str, ...]):
    def where(table: pd.DataFrame, config: Config) -> np.ndarray:
        if "conversion_type" not in table.columns:
            return np.zeros(len(table), dtype=bool)
        return table["conversion_type"].isin(list(types)).to_numpy(dtype=bool)

    where.__qualname__ = f"result_types({', '.join(types)!r})"
    return where


def _untyped(table: pd.DataFrame, config: Config) -> np.ndarray:
    if "conversion_type" not in table.columns:
        return np.ones(len(table), dtype=bool)
    return table["conversion_type"].isna().to_numpy()


def _touch_type(value: str):
    def where(table: pd.DataFrame, config: Config) -> np.ndarray:
        found = table["touch_type"].astype("string").str.casefold()
        return (found == value.casefold()).to_numpy(dtype=bool, na_value=False)

    where.__qualname__ = f"touch_type({value!r})"
    return where


def event_measure(event: ConversionEvent) -> Measure:
    """The measure that counts ``event``, under the id ``conversions``.

    Examples
    --------
    >>> event_measure(ConversionEvent("trial", lead_column="trial_started_at"))
    ... # doctest: +ELLIPSIS
    Measure(id='conversions', table='leads', time_column='trial_started_at', ...)
    """
    if event.touch_type is not None:
        return Measure(
            "conversions",
            "touches",
            "touched_at",
            "distinct",
            "lead_id",
            where=_touch_type(event.touch_type),
            columns=("touch_type",),
        )
    if event.lead_column is not None:
        return Measure(
            "conversions", "leads", event.lead_column, cohort_column="created_at"
        )
    if event.types:
        where = _typed(event.types)
    else:
        where = None
    return Measure(
        "conversions",
        "spend",
        "date",
        "sum",
        "conversions",
        where=where,
        columns=("conversion_type",) if event.types else (),
    )


def check_conversions(data: LeadData) -> LeadData:
    """Check that every conversion event names what the data has.

    A touch event needs the touches table and its touch type among the touches'
    types; a lead column event needs the column in the leads table; a platform
    event needs a spend table with a ``conversions`` column (the export's
    ``Conversions``, ``Conv.`` or ``Results``). Every problem is reported at once.

    Returns
    -------
    LeadData
        ``data``, with each lead column event's column read as timestamps in the
        project timezone where it was text (an extra column of an export).

    Raises
    ------
    ConfigError
        Naming the config file, the line of each event, the key and what the data
        has instead (``'conversions.demo_request.touch_type' names touch type
        'demo'; the touches table has demo_request, webinar, ...``).
    """
    problems = []
    crm_events = [e.name for e in data.config.conversions if not e.platform]
    for event in data.config.conversions:
        if event.crm is not None and event.crm not in crm_events:
            problems.append(
                (
                    event.line,
                    ("conversions", event.name, "crm"),
                    f"names {event.crm!r}, which is not a CRM event of conversions: "
                    f"(those with touch_type or lead_column: "
                    f"{', '.join(crm_events) or 'none'})"
                    + suggest(event.crm, crm_events),
                )
            )
        key = ("conversions", event.name, event.source)
        found = _problem(data, event)
        if found is None and event.lead_column is not None:
            data, found = _dated(data, event.lead_column)
        if found:
            problems.append((event.line, key, found))
    if problems:
        path = data.config.path
        raise config_error(f"config {path}" if path else "config", problems)
    return data


def _dated(data: LeadData, column: str) -> tuple[LeadData, str | None]:
    """The leads with ``column`` read as timestamps (an extra column loads as text)."""
    values = data.leads[column]
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return data, None
    config = data.config
    parsed = parse_dates(
        values.astype("string"), timezone=config.timezone, locale=config.locale
    )
    filled = values.notna() & (values.astype("string").str.strip() != "")
    bad = int((parsed.invalid & filled).sum())
    if filled.any() and bad:
        first = values[parsed.invalid & filled].iloc[0]
        return data, (
            f"names lead column {column!r}, whose {bad:,} value(s) are not dates "
            f"(such as {str(first)[:40]!r}); a conversion column dates the "
            "conversion"
        )
    leads = data.leads.assign(**{column: parsed.values})
    return data.with_tables(leads=leads), None


def _problem(data: LeadData, event: ConversionEvent) -> str | None:
    if event.touch_type is not None:
        touches = data.touches
        if touches is None or "touch_type" not in touches.columns:
            return (
                f"names touch type {event.touch_type!r}, but the project has no "
                "touches table with a touch_type column (sources: touches)"
            )
        known = sorted(touches["touch_type"].dropna().astype(str).unique())
        if event.touch_type.casefold() not in {k.casefold() for k in known}:
            return (
                f"names touch type {event.touch_type!r}, which no touch has; the "
                f"touches' types are {', '.join(known) or 'none'}"
                + suggest(event.touch_type, known)
            )
        return None
    if event.lead_column is not None:
        leads = data.leads
        if leads is None:
            return (
                f"names lead column {event.lead_column!r}, but the project has no "
                "leads table"
            )
        if event.lead_column not in leads.columns:
            columns = [str(c) for c in leads.columns]
            return (
                f"names lead column {event.lead_column!r}, which the leads table "
                "does not have" + suggest(event.lead_column, columns)
            )
        return None
    spend = data.spend
    if spend is None or "conversions" not in spend.columns:
        return (
            "counts the ad platforms' conversions, but no spend export has a "
            "conversions column (Google Ads and Microsoft 'Conversions', Meta "
            "'Results', LinkedIn 'Conversions')"
        )
    return None


def conversion_events(
    data: LeadData, events: str | Iterable[str] | None = None
) -> list[tuple[str, ConversionEvent | Measure]]:
    """The events to compute, by display name: a platform event without ``types``
    whose counts hold several result types becomes one event per type.

    Raises
    ------
    ArgumentError
        An event name the config does not declare (with the closest one).
    ConfigError
        An event naming a column or touch type the data does not have.
    """
    check_conversions(data)
    declared = {e.name: e for e in data.config.conversions}
    names = [events] if isinstance(events, str) else list(events or declared)
    for name in names:
        if name not in declared:
            raise ArgumentError(
                f"events: {name!r} is not a conversion event of the config; "
                f"declared: {', '.join(declared) or 'none (add conversions: to '}"
                + ("" if declared else "leadkpi.yaml)")
                + suggest(name, list(declared))
            )
    out = []
    for name in names:
        event = declared[name]
        if not event.platform or event.types:
            out.append((name, event))
            continue
        out.extend(_split_types(data, event))
    return out


def _split_types(data: LeadData, event: ConversionEvent):
    spend = data.spend
    if "conversion_type" not in spend.columns:
        return [(event.name, event)]
    counted = spend.loc[spend["conversions"].notna(), "conversion_type"]
    types = sorted(counted.dropna().astype(str).unique())
    if len(types) < 2:
        return [(event.name, event)]
    out = []
    if counted.isna().any():  # the platforms that report one conversions column
        untyped = Measure(
            "conversions", "spend", "date", "sum", "conversions", where=_untyped
        )
        out.append((event.name, untyped))
    for kind in types:
        out.append(
            (
                f"{event.name}{TYPE_SEPARATOR}{kind}",
                ConversionEvent(event.name, platform=True, types=(kind,)),
            )
        )
    return out


def _measure(event: ConversionEvent | Measure) -> Measure:
    return event if isinstance(event, Measure) else event_measure(event)


def conversion_kpis(
    data: LeadData,
    kpis: str | Sequence[str] = CONVERSION_KPIS,
    *,
    events: str | Iterable[str] | None = None,
    by: str | Sequence[str] = ("month",),
    mode: str = "period",
    start: object = None,
    end: object = None,
) -> pd.DataFrame:
    """Conversions, cost per conversion and conversion rate of each event.

    Parameters
    ----------
    data : LeadData
        The project (its config declares the events).
    kpis : str or sequence of str
        Among ``conversions``, ``cost_per_conversion``, ``conversion_rate``.
    events : str or iterable of str, optional
        Event names; default every event of the config, in its order.
    by, mode, start, end
        As :func:`leadkpi.compute` (``by=("month", "channel")``…). ``mode`` applies
        to lead column events; touch and platform events count in the period.

    Returns
    -------
    pandas.DataFrame
        ``event``, the grain columns, then the columns of :func:`leadkpi.compute`.
        Empty (with those columns) when the config declares no event.

    Raises
    ------
    ArgumentError
        An unknown event or KPI (or any argument :func:`leadkpi.compute` refuses).
    ConfigError
        An event naming a column or touch type the data does not have.

    Examples
    --------
    >>> from leadkpi import load
    >>> data = load("leadkpi.yaml")
    >>> table = conversion_kpis(data, "conversions", events="demo_request",
    ...                         by=(), start="2026-10", end="2026-10")
    >>> list(table.columns[:3])
    ['event', 'kpi', 'value']
    """
    kpis = [kpis] if isinstance(kpis, str) else list(kpis)
    wrong = [k for k in kpis if k not in CONVERSION_KPIS]
    if wrong:
        raise ArgumentError(
            f"kpis: {wrong[0]!r} is not a conversion KPI; expected any of "
            f"{', '.join(CONVERSION_KPIS)}" + suggest(wrong[0], list(CONVERSION_KPIS))
        )
    data = check_conversions(data)
    parts = []
    for name, event in conversion_events(data, events):
        result = compute(
            data,
            kpis,
            by=by,
            mode=mode,
            start=start,
            end=end,
            measures={"conversions": _measure(event)},
        )
        result = pd.DataFrame(result)
        if _measure(event).table == "spend":
            result = _unreported(data, event, result, by, start, end)
        parts.append(result.assign(event=name))
    if not parts:
        empty = pd.DataFrame(compute(data, "leads", by=by, start=start, end=end))
        parts = [empty.iloc[:0].assign(event=pd.Series(dtype="str"))]
    table = pd.concat(parts, ignore_index=True)
    table = table[["event", *[c for c in table.columns if c != "event"]]]
    table["event"] = table["event"].astype("str")
    table.attrs.update(result_attrs(data.config, ()))
    return table


def platform_vs_crm(
    data: LeadData,
    *,
    platform: str | None = None,
    crm: str | Iterable[str] | None = None,
    by: str | Sequence[str] = ("month", "channel", "campaign"),
    start: object = None,
    end: object = None,
) -> pd.DataFrame:
    """What the ad platforms report beside what the CRM recorded, cell by cell.

    Parameters
    ----------
    data : LeadData
        The project.
    platform : str, optional
        The platform event (``platform: true``); default the config's first.
        Without ``types:``, its counts must be of one result type (untyped counts
        beside it are added): several types give no platform count, with a
        reason.
    crm : str or iterable of str, optional
        The CRM events set against it (touch or lead column events), added up;
        default the platform event's ``crm:``, else the config's first CRM event.
    by : str or sequence of str
        Grain, as :func:`leadkpi.compute`; default month, channel and campaign.
    start, end : optional
        First and last period.

    Returns
    -------
    pandas.DataFrame
        The grain columns, then ``platform, crm, difference, ratio, reason``:
        ``difference`` is platform − CRM, ``ratio`` platform / CRM (above 1: the
        platform claims more than the CRM holds). A cell the spend table does not
        cover has no platform count and says why in ``reason``.

    Raises
    ------
    ArgumentError
        No platform or no CRM event in the config, or an unknown event name.

    Examples
    --------
    >>> from leadkpi import load
    >>> side = platform_vs_crm(load("leadkpi.yaml"), by=("channel",),
    ...                        start="2026-10", end="2026-10")
    >>> list(side.columns)
    ['channel', 'platform', 'crm', 'difference', 'ratio', 'reason']
    """
    data = check_conversions(data)
    declared = data.config.conversions
    platforms = [e for e in declared if e.platform]
    crms = [e for e in declared if not e.platform]
    if platform is None:
        if not platforms:
            raise ArgumentError(
                "platform_vs_crm needs a platform event: add "
                "'<name>: {platform: true}' under conversions: in leadkpi.yaml"
            )
        chosen = platforms[0]
    else:
        chosen = _named(platform, platforms, "a platform event")
    if crm is None:
        crm = chosen.crm or [e.name for e in crms[:1]]
    names = [crm] if isinstance(crm, str) else list(crm)
    if not names:
        raise ArgumentError(
            "platform_vs_crm needs a CRM event (touch_type or lead_column) under "
            "conversions: in leadkpi.yaml"
        )
    recorded = [_named(n, crms, "a CRM event") for n in names]
    keys = _keys(data, by)
    side = _count(data, chosen, by, start, end, keys, "platform")
    reported = _reported(data, chosen, by, start, end)
    if keys:
        side = side.merge(reported, on=keys, how="left")
    else:
        side = side.assign(reported=reported["reported"].to_numpy())
    none = (side["reported"].fillna(0) == 0) & side["platform_reason"].isna()
    none = none.to_numpy()
    side.loc[none, "platform"] = np.nan
    side.loc[none, "platform_reason"] = UNREPORTED
    side = side.drop(columns=["reported"])
    mixed = _mixed_types(data, chosen)
    crm_counts = [
        _count(data, e, by, start, end, keys, "crm", mode="period") for e in recorded
    ]
    table = side
    total = None
    for part in crm_counts:
        part = part.drop(columns=["crm_reason"])
        total = part if total is None else _add(total, part, keys)
    table = (
        table.merge(total, on=keys, how="outer")
        if keys
        else pd.concat(
            [table.reset_index(drop=True), total.reset_index(drop=True)], axis=1
        )
    )
    table["crm"] = table["crm"].fillna(0.0)
    reason = table["platform_reason"].astype(object)
    uncovered = table["platform"].isna() & reason.isna()
    if uncovered.any():  # a CRM cell the platform reports nothing for
        reason = reason.where(~uncovered, NOTHING_REPORTED)
    if mixed:
        table["platform"] = np.nan
        reason = pd.Series(mixed, index=table.index, dtype=object)
    platform_count = table["platform"].to_numpy(dtype="float64", na_value=np.nan)
    crm_count = table["crm"].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(
            crm_count > 0,
            platform_count / np.where(crm_count > 0, crm_count, 1.0),
            np.nan,
        )
    out = table[keys].copy() if keys else pd.DataFrame(index=table.index)
    out["platform"] = platform_count
    out["crm"] = crm_count
    out["difference"] = platform_count - crm_count
    out["ratio"] = ratio
    out["reason"] = reason.to_numpy()
    if keys:
        out = out.sort_values(keys, kind="stable", ignore_index=True)
    return out.reset_index(drop=True)


#: Why a cell of CRM conversions has no platform count beside it.
NOTHING_REPORTED = "the ad platforms report nothing for this cell"
#: Why a cell has no platform count although the spend table covers it.
UNREPORTED = "the spend rows of this cell carry no platform conversion count"


def _reported(data, event, by, start, end) -> pd.DataFrame:
    """Per cell, how many spend rows of the event carry a conversion count."""
    base = _measure(event)
    rule = base.where

    def where(table: pd.DataFrame, config: Config) -> np.ndarray:
        keep = table["conversions"].notna().to_numpy()
        return keep if rule is None else keep & rule(table, config)

    counted = Measure(
        "reported_rows",
        "spend",
        "date",
        where=where,
        columns=("conversions", *base.columns),
    )
    result = pd.DataFrame(
        compute(
            data,
            KPI_ROWS,
            by=by,
            start=start,
            end=end,
            measures={"reported_rows": counted},
        )
    )
    keys = _keys(data, by)
    return pd.DataFrame(
        {**{k: result[k] for k in keys}, "reported": result["value"].to_numpy()}
    )


def _unreported(data, event, result, by, start, end) -> pd.DataFrame:
    """``result`` with no value where no spend row of the cell has a count."""
    keys = _keys(data, by)
    rows = _reported(data, event, by, start, end)
    if keys:
        merged = result.merge(rows, on=keys, how="left")
    else:
        merged = result.assign(reported=float(rows["reported"].iloc[0]))
    # a cell without counted rows is missing from ``rows``: none reported there
    none = (merged["reported"].fillna(0) == 0) & merged["reason"].isna()
    none = none.to_numpy()
    if none.any():
        value = merged["value"].to_numpy(dtype="float64", copy=True)
        value[none] = np.nan
        reason = merged["reason"].astype(object).where(~none, UNREPORTED)
        merged = merged.assign(value=value, reason=reason)
        for column in ("ci_low", "ci_high"):
            merged[column] = merged[column].where(~none)
    return merged.drop(columns=["reported"])


def _named(name: str, events: list[ConversionEvent], what: str) -> ConversionEvent:
    found = next((e for e in events if e.name == name), None)
    if found is None:
        names = [e.name for e in events]
        raise ArgumentError(
            f"{name!r} is not {what} of the config; {what}s: "
            f"{', '.join(names) or 'none'}" + suggest(name, names)
        )
    return found


def _keys(data: LeadData, by: str | Sequence[str]) -> list[str]:
    from leadkpi.kpis.grain import data_columns, split_by

    period, dims = split_by(by, data_columns(data))
    return [period, *dims] if period else dims


def _count(data, event, by, start, end, keys, name, mode="period") -> pd.DataFrame:
    result = pd.DataFrame(
        compute(
            data,
            "conversions",
            by=by,
            mode=mode,
            start=start,
            end=end,
            measures={"conversions": _measure(event)},
        )
    )
    return pd.DataFrame(
        {
            **{k: result[k] for k in keys},
            name: result["value"].astype("float64"),
            f"{name}_reason": result["reason"].astype(object),
        }
    )


def _add(left: pd.DataFrame, right: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    if not keys:
        return left.assign(crm=left["crm"].fillna(0) + right["crm"].fillna(0))
    both = left.merge(right, on=keys, how="outer", suffixes=("", "_2"))
    both["crm"] = both["crm"].fillna(0) + both["crm_2"].fillna(0)
    return both.drop(columns=["crm_2"])


def _mixed_types(data: LeadData, event: ConversionEvent) -> str | None:
    """Why the platform counts cannot be added up (several result types), or None."""
    spend = data.spend
    if event.types or spend is None or "conversion_type" not in spend.columns:
        return None
    counted = spend.loc[spend["conversions"].notna(), "conversion_type"]
    types = sorted(counted.dropna().astype(str).unique())
    if len(types) > 1:
        return (
            "the platforms' counts mix result types ("
            + ", ".join(types)
            + "); name the types to compare under the platform event's types:"
        )
    return None
