"""Read one export file into a canonical table: recognise it, map it, type it."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from leadkpi.exceptions import ConfigError, DataFileError
from leadkpi.io.canonical import file_sha256, read_canonical
from leadkpi.io.dates import parse_dates
from leadkpi.io.keyed import read_key_values
from leadkpi.io.limits import ReadLimits
from leadkpi.io.parse import collect_warnings, parse_table
from leadkpi.io.profiles.apply import apply_profile, with_stage_labels
from leadkpi.io.profiles.base import Profile, RawTable
from leadkpi.io.profiles.generic import mapping_profile
from leadkpi.io.profiles.registry import (
    closest,
    detect,
    get_profile,
    header_key,
)
from leadkpi.io.profiles.totals import reconcile, split_totals
from leadkpi.io.result import REJECT_COLUMNS, LoadResult, loaded_lines
from leadkpi.io.text import ROW_PROBLEM, peek_text, read_text_table
from leadkpi.schemas import TABLES, table_spec
from leadkpi.stage_labels import unrecognised_closed

__all__ = ["read", "OPTIONS"]

#: Reader options accepted as keywords by :func:`read` (and under a config source).
OPTIONS = (
    "encoding",
    "delimiter",
    "sheet",
    "dayfirst",
    "decimal",
    "currency",
    "limits",
)
_HOW = ("encoding", "delimiter", "sheet")  # the options that say how to split a file


def _kind_from_stem(path: Path) -> str | None:
    stem = path.stem.lower()
    return stem if stem in TABLES else None


def _no_match(path: Path, rows: list[list[str]], kind: str | None) -> DataFileError:
    header = max(rows[:20], key=lambda r: sum(bool(c.strip()) for c in r), default=[])
    matches = closest(rows, kind=kind)
    found = ", ".join(repr(c.strip()) for c in header[:15] if c.strip())
    cells = [c for c in header if c.strip()]
    if len(cells) < 2 and not any(m.found or m.known for m in matches):
        # not a table and no cell a known export has: perhaps not an export at all
        # (a key or password file), so none of its content goes into the message
        found = "no table header (content not shown)"
    near = "; ".join(
        f"{m.profile.name} ({m.profile.title}) lacks "
        + ", ".join(repr(h) for h in m.missing)
        for m in matches
    )
    return DataFileError(
        str(path),
        f"columns match no known export{f' of {kind}' if kind else ''}: found "
        f"{found or 'no header'}; closest profiles: {near}. Name a profile with "
        f"profile=..., or describe the file with mapping={{canonical column: "
        f"column in the file}} (see leadkpi.read)",
    )


def _choose(
    path: Path,
    kind: str | None,
    profile: str,
    rows: list[list[str]],
    options: Mapping[str, Any],
) -> tuple[Profile, list[str]]:
    """The profile to read ``path`` with, and the warnings the choice gives."""
    if profile != "auto":
        try:
            return get_profile(profile), []
        except KeyError as exc:
            raise DataFileError(str(path), str(exc.args[0])) from None
    match = detect(rows, kind=kind)
    if match is None:
        other = detect(rows) if kind is not None else None
        if other is not None and other.profile.name != "canonical":
            raise DataFileError(
                str(path),
                f"recognised as {other.profile.title}, which fills "
                f"{other.profile.kind}, not {kind}",
            )
        if (kind or _kind_from_stem(path)) and _looks_canonical(rows, kind, path):
            return _canonical(kind or _kind_from_stem(path)), []
        # a file that is not text at all says so, rather than "no profile matches"
        read_text_table(path, **{k: options.get(k) for k in _HOW})
        raise _no_match(path, rows, kind)
    if match.profile.name == "canonical":
        return match.profile, []
    return match.profile, [f"recognised as {match.profile.title}"]


def _canonical(kind: str | None) -> Profile:
    spec = table_spec(kind or "leads")
    return Profile("canonical", "leadkpi", spec.name, {}, spec.required)


def _looks_canonical(rows: list[list[str]], kind: str | None, path: Path) -> bool:
    """A first line holding some canonical column of the table: canonical, broken."""
    spec = table_spec(kind or _kind_from_stem(path) or "leads")
    first = {header_key(c) for c in (rows[0] if rows else [])}
    return bool(first & set(spec.column_names))


def _needed(profile: Profile, recognised: bool) -> list[tuple[str, ...]]:
    """Header groups the header line must hold, one name of each.

    A recognised export holds its whole signature; a mapping, every column it names.
    A profile named by the user may come with fewer columns selected: it needs the
    signature headers that fill required columns (in any of their names), or at
    least one signature header. (Required columns a ``transform`` fills, such as a
    date read from the preamble, are checked once the profile is applied.)
    """
    if recognised or profile.name == "generic":
        return [(h,) for h in profile.signature]
    required = set(table_spec(profile.kind).required)
    groups = []
    for header in profile.signature:
        for column, names in profile.columns.items():
            if column in required and header in names and names not in groups:
                groups.append(tuple(names))
    return groups or [tuple(profile.signature)]


def _holds(cells: list[str], groups: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The groups none of whose names is among ``cells``."""
    keys = {header_key(c) for c in cells if str(c).strip()}
    return [g for g in groups if not keys & {header_key(h) for h in g}]


def _check_header(
    path: Path, profile: Profile, rows: list[list[str]], groups: list[tuple[str, ...]]
) -> None:
    """Raise, naming the missing headers, when no line holds every group."""
    if not groups:
        return
    missing = [_holds(row, groups) for row in rows]
    best = min(range(len(rows)), key=lambda i: len(missing[i]), default=None)
    if best is not None and not missing[best]:
        return
    header = rows[best] if best is not None else []
    lacking = missing[best] if best is not None else groups
    found = ", ".join(repr(c.strip()) for c in header if c.strip())
    named = ", ".join(" or ".join(repr(h) for h in g) for g in lacking)
    raise DataFileError(
        str(path),
        f"{profile.title}: column(s) {named} not found; the file's columns are "
        f"{found or 'none'}",
        line=None if best is None else best + 1,
        column=lacking[0][0],
    )


def _file_dayfirst(frame: pd.DataFrame, kind: str, locale: str) -> bool | None:
    """The day/month order of a whole export, from all its date columns at once.

    One export writes every date in its user's locale, so a column whose own values
    are all ambiguous (``03/04/2025``) follows the order the others show
    (``14/03/2025``). None when no value settles it (the parser then asks the locale).
    """
    dated = [
        c.name
        for c in table_spec(kind).columns
        if c.kind in ("date", "timestamp") and c.name in frame
    ]
    if len(dated) < 2:
        return None
    cells = pd.concat([frame[c].astype("str") for c in dated], ignore_index=True)
    parsed = parse_dates(cells.dropna(), kind="date", locale=locale)
    return None if parsed.warnings else parsed.dayfirst


def _parse(
    frame: pd.DataFrame,
    raw: RawTable,
    kind: str,
    *,
    timezone: str,
    locale: str,
    dayfirst: bool | None,
    decimal: str | None,
    limits: ReadLimits,
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Type ``frame``; rejects carry the file's line and the row as it was written."""
    with collect_warnings() as notes:
        table, rejects = parse_table(
            frame,
            kind,
            timezone=timezone,
            file=raw.path.name,
            lines=raw.lines,
            locale=locale,
            dayfirst=dayfirst,
            decimal=decimal,
            limits=limits,
        )
    lines = rejects["line"].to_numpy(dtype=np.int64)
    position = np.searchsorted(raw.lines, lines)  # raw.lines ascend, file order
    original = raw.frame.drop(columns=[ROW_PROBLEM], errors="ignore")
    original = original.iloc[position] if len(position) else original.iloc[:0]
    original = original.astype("str").where(original.notna(), "")
    original = original.rename(
        columns=lambda c: f"{c} (file)" if c in REJECT_COLUMNS else c
    )
    rejects = pd.concat(
        [rejects[["file", "line", "reason"]], original.reset_index(drop=True)], axis=1
    )
    return table, rejects, notes


def read(
    path: str | os.PathLike[str],
    kind: str | None = None,
    *,
    profile: str = "auto",
    mapping: Mapping[str, Any] | None = None,
    timezone: str = "UTC",
    locale: str = "en",
    stages: Mapping[str, Sequence[str]] | None = None,
    **options: Any,
) -> LoadResult:
    """Read one export file into a canonical table, accounting for every row.

    Parameters
    ----------
    path : str or path-like
        A CSV/TSV/TXT file, an XLSX workbook or a Parquet file.
    kind : str, optional
        The canonical table it fills; default the profile's (for canonical files,
        the file's stem: ``leads.csv`` → ``"leads"``).
    profile : str
        ``"auto"`` recognises the export from its header (the built-in profiles of
        :data:`leadkpi.io.profiles.BUILTIN`, and leadkpi's own canonical layout);
        or a profile name (``"hubspot_contacts"``), ``"canonical"``, ``"generic"``.
    mapping : mapping, optional
        For an export no profile knows: canonical column → the file's column, plus
        ``values``, ``dayfirst``, ``date_format`` and ``currency`` settings (see
        :func:`leadkpi.io.profiles.generic.mapping_profile`). Implies the
        ``generic`` profile.
    timezone : str
        Project timezone that timestamps are converted to.
    locale : str
        Decides ambiguous numbers and dates (``"es"``: ``1.234,56``, day first).
    stages : mapping, optional
        Stage id → the CRM labels that mean it (``{"won": ["Ganado"]}``); default
        :data:`leadkpi.stage_labels.DEFAULT_STAGE_LABELS` (a config's
        ``stage_labels`` add to them).
    **options
        ``encoding``, ``delimiter``, ``sheet`` (XLSX), ``dayfirst``, ``decimal``,
        ``currency`` (ISO code of money columns when the file has no currency
        column) and ``limits`` (a :class:`~leadkpi.io.limits.ReadLimits`, or a
        mapping of the fields to change: plausible years of dates, placeholder
        dates, line, cell and unpacked sizes).

    Returns
    -------
    LoadResult
        ``table``; ``rejects`` (``file, line, reason`` and the row as written);
        ``rows_read == rows_loaded + rows_rejected``; ``skipped`` lines (blank,
        totals rows with their role, report footers, never counted as rows);
        ``reconciliation`` against the file's own totals; ``warnings`` (such as
        "recognised as HubSpot contacts export", or a total that does not
        match); the ``profile`` used.

    Raises
    ------
    DataFileError
        When the file is missing, unreadable, or matches no profile (the message
        lists its columns and the closest profiles), or lacks a required column.
        Also when the file exceeds one of the ``limits`` (the message names it).
    ConfigError
        When a mapping or an option is malformed.

    Examples
    --------
    leadkpi's own layout, and an export recognised from its header:

    >>> result = read("data/sample/touches.csv")
    >>> result.profile, result.rows_read == result.rows_loaded + result.rows_rejected
    ('canonical', True)
    >>> result = read("data/sample/meta_ads_campaigns.csv")
    >>> result.kind, result.profile, result.warnings[0]
    ('spend', 'meta_ads', 'recognised as Meta Ads Manager campaigns export')

    A file no profile knows, described by a mapping (canonical column → the file's
    column; here the file's own names, keeping three columns):

    >>> mapping = {c: c for c in ("lead_id", "touched_at", "channel")}
    >>> result = read("data/sample/touches.csv", mapping=mapping)
    >>> result.profile, list(result.table.columns)
    ('generic', ['lead_id', 'touched_at', 'channel'])
    """
    path = Path(path)
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise ConfigError(
            f"unknown reader option(s) {', '.join(unknown)} for {path}; "
            f"expected {', '.join(OPTIONS)}"
        )
    limits = ReadLimits.coerce(options.get("limits"))
    if kind is not None and kind not in TABLES:
        raise DataFileError(
            str(path), f"unknown table {kind!r}; expected one of {', '.join(TABLES)}"
        )
    if not path.is_file():
        raise DataFileError(str(path), "not found; expected an export file here")
    if profile == "canonical" and mapping is None:
        return _read_canonical(path, kind, timezone, locale, options, limits)
    warnings: list[str] = []
    if mapping is not None or profile == "generic":
        kind = kind or _kind_from_stem(path)
        if kind is None:
            raise DataFileError(
                str(path), f"a mapped file needs kind= one of {', '.join(TABLES)}"
            )
        chosen = mapping_profile(mapping or {}, kind)
    else:
        chosen = None
    rows = _peek(path, options, limits)
    if not any(cell.strip() for row in rows for cell in row):
        raise DataFileError(str(path), "is empty; expected a header line", line=1)
    if chosen is None:
        chosen, warnings = _choose(path, kind, profile, rows, options)
        if chosen.name == "canonical":
            return _read_canonical(
                path, kind, timezone, locale, options, limits, chosen.kind
            )
    if chosen.refusal:
        raise DataFileError(str(path), f"{chosen.title}: {chosen.refusal}")
    if kind is not None and chosen.kind != kind:
        raise DataFileError(
            str(path), f"profile {chosen.name!r} fills {chosen.kind}, not {kind}"
        )
    chosen = with_stage_labels(chosen, stages)
    groups = _needed(chosen, recognised=bool(warnings))
    keyed = chosen.layout == "key-value"  # its keys are down the first column
    _check_header(path, chosen, [[r[0] for r in rows if r]] if keyed else rows, groups)
    with ThreadPoolExecutor(max_workers=1) as pool:  # hashing releases the GIL
        digest = pool.submit(file_sha256, path)
        with collect_warnings() as decoded:  # lines read in another encoding
            raw = _read_raw(path, chosen, groups, options, limits)
        sha256 = digest.result()
    raw, totals = split_totals(chosen, raw)
    with collect_warnings() as profiled:  # a transform's own notes, e.g. no day
        frame = apply_profile(chosen, raw)
    if chosen.kind == "deals" and "stage" in frame:
        profiled.extend(_closed_stages(path, frame["stage"]))
    if chosen.kind == "deals" and "created_at" not in frame:
        profiled.append(
            f"{path.name}: deals have no creation date (only close dates); "
            "created_at is missing, and KPIs that need it (open pipeline, "
            "opportunities by creation) say so instead of a value"
        )
    dayfirst = options.get("dayfirst", chosen.dayfirst)
    if dayfirst is None:
        dayfirst = _file_dayfirst(frame, chosen.kind, locale)
    table, rejects, notes = _parse(
        frame,
        raw,
        chosen.kind,
        timezone=timezone,
        locale=locale,
        dayfirst=dayfirst,
        decimal=options.get("decimal"),
        limits=limits,
    )
    reconciliation, mismatches = reconcile(
        chosen, raw, totals, table, rows_read=len(raw.frame), locale=locale
    )
    result = LoadResult(
        table=table,
        rejects=rejects,
        kind=chosen.kind,
        profile=chosen.name,
        path=path,
        rows_read=len(raw.frame),
        sha256=sha256,
        warnings=(*warnings, *decoded, *profiled, *notes, *mismatches),
        skipped=raw.skipped,
        encoding=raw.encoding,
        delimiter=raw.delimiter,
        lines=loaded_lines(raw.lines, rejects),
        reconciliation=reconciliation if len(reconciliation) else None,
    )
    return _with_currency(result, options.get("currency"))


def _read_raw(
    path: Path,
    profile: Profile,
    groups: list[tuple[str, ...]],
    options: Mapping[str, Any],
    limits: ReadLimits,
) -> RawTable:
    """The export's rows as text: a table below its header, or one key-value
    record (its first signature key opens it)."""
    encoding = options.get("encoding") or profile.encoding
    delimiter = options.get("delimiter") or profile.delimiter
    if profile.layout == "key-value":
        return read_key_values(
            path,
            first_key=profile.signature[0],
            sections=profile.sections,
            encoding=encoding,
            delimiter=delimiter or ",",
            limits=limits,
        )
    return read_text_table(
        path,
        encoding=encoding,
        delimiter=delimiter,
        find_header=lambda cells: not _holds(cells, groups),
        footer=profile.footer,
        sheet=options.get("sheet"),
        limits=limits,
    )


def _closed_stages(path: Path, stage: pd.Series) -> list[str]:
    """A warning when closed-looking stage labels are not recognised as won/lost."""
    unknown = unrecognised_closed(stage)
    if unknown.empty:
        return []
    listed = ", ".join(f"{label!r} ({n:,} row(s))" for label, n in unknown.items())
    recognised = stage.isin(["won", "lost"]).fillna(False)
    loud = (
        "NO deal is read as won or lost"
        if not recognised.any()
        else f"only {int(recognised.sum()):,} deal(s) are read as won or lost"
    )
    return [
        f"{path.name}: {loud}; these stages look closed but are not recognised: "
        f"{listed}. Name them under 'stages:' in leadkpi.yaml (won: [...], "
        "lost: [...]) or pass stages= to leadkpi.read"
    ]


def _peek(
    path: Path, options: Mapping[str, Any], limits: ReadLimits
) -> list[list[str]]:
    """The file's first rows, to recognise it (honouring the options that fix how
    and the read limits)."""
    if not any(options.get(k) for k in _HOW):
        return peek_text(path, limits=limits)[2]
    raw = read_text_table(
        path,
        encoding=options.get("encoding"),
        delimiter=options.get("delimiter"),
        sheet=options.get("sheet"),
        limits=limits,
    )
    head = raw.frame.drop(columns=[ROW_PROBLEM], errors="ignore").head(40)
    return [
        *([line] for line in raw.preamble),
        list(head.columns),
        *head.fillna("").astype("str").values.tolist(),
    ]


def _read_canonical(
    path: Path,
    kind: str | None,
    timezone: str,
    locale: str,
    options: Mapping[str, Any],
    limits: ReadLimits,
    looks_like: str | None = None,
) -> LoadResult:
    kind = kind or _kind_from_stem(path)
    if kind is None:  # a canonical file names its table (leads.csv) or is told it
        hint = f" (its columns look like {looks_like})" if looks_like else ""
        raise DataFileError(
            str(path),
            f"cannot tell which table this file fills{hint}; pass kind= one of "
            f"{', '.join(TABLES)}, or name the file after its table",
        )
    result = read_canonical(
        path,
        kind,
        timezone=timezone,
        locale=locale,
        dayfirst=options.get("dayfirst"),
        decimal=options.get("decimal"),
        encoding=options.get("encoding"),
        delimiter=options.get("delimiter"),
        limits=limits,
    )
    return _with_currency(result, options.get("currency"))


def _with_currency(result: LoadResult, currency: str | None) -> LoadResult:
    """Fill the currency of rows whose file says none (the ``currency`` option)."""
    if not currency or table_spec(result.kind).column("currency") is None:
        return result
    code = str(currency).upper()
    table = result.table
    if "currency" in table:
        filled = table["currency"].fillna(code)
    else:
        filled = pd.Series(code, index=table.index, dtype="str")
    return dataclasses.replace(result, table=table.assign(currency=filled))
