"""``leadkpi validate``: read a project or some files and say what loaded and what not.

For each file: its profile and table, rows read / loaded / rejected, the date range of
the table's time column, the reconciliation of its rows against the file's own
totals, and the first rejected rows with their line and reason; then the
data-quality findings of :func:`leadkpi.checks`. The exit code is 0 when every row
loaded (findings alone do not fail), 1 when rows were rejected (rows superseded by a
later file do not count), 2 when a file could not be read at all. A file needs no
exchange rate to be validated: files of one currency are checked in it, and checks
that cannot run (several currencies, no rate) say so without failing the files.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import pandas as pd

from leadkpi.checks import checks
from leadkpi.config import Config, load_config
from leadkpi.exceptions import DataFileError, LeadKPIError
from leadkpi.io import LoadResult, read
from leadkpi.project import assemble, is_superseded, read_project
from leadkpi.schemas import TABLES

__all__ = ["EXIT_CLEAN", "EXIT_REJECTED", "EXIT_UNREADABLE", "validate"]

EXIT_CLEAN, EXIT_REJECTED, EXIT_UNREADABLE = 0, 1, 2

#: Rejected rows shown per file.
SHOWN_REJECTS = 5


def _date_range(result: LoadResult) -> str:
    column = TABLES[result.kind].time_column
    if column not in result.table or result.table[column].dropna().empty:
        return f"{column}: no dates"
    values = result.table[column].dropna()
    return f"{column}: {values.min():%Y-%m-%d} to {values.max():%Y-%m-%d}"


def _describe(result: LoadResult, out: TextIO) -> int:
    rejects = result.rejects
    superseded = is_superseded(rejects) if len(rejects) else pd.Series(dtype=bool)
    failed = rejects[~superseded] if len(rejects) else rejects
    print(f"{result.path}", file=out)
    print(f"  profile {result.profile}, table {result.kind}", file=out)
    counts = (
        f"  rows: {result.rows_read:,} read, {result.rows_loaded:,} loaded, "
        f"{result.rows_rejected:,} rejected"
    )
    if superseded.any():
        counts += f" ({int(superseded.sum()):,} superseded by a later file)"
    print(counts, file=out)
    print(f"  {_date_range(result)}", file=out)
    _print_reconciliation(result, out)
    skipped = result.skipped
    if len(skipped):  # preamble totals and footers: not data, but not hidden either
        reasons = skipped["reason"].value_counts(sort=False)
        listed = ", ".join(f"{n:,} {reason}" for reason, n in reasons.items())
        print(f"  lines skipped (not data): {listed}", file=out)
    notes = getattr(result, "warnings", ())  # reader warnings, where it keeps them
    if isinstance(notes, list | tuple) and notes:
        print(f"  reader warnings ({len(notes):,}):", file=out)
        for note in notes[:SHOWN_REJECTS]:
            print(f"    {note}", file=out)
    if len(failed):
        print(f"  first rejects ({len(failed):,} in all):", file=out)
        for row in failed.head(SHOWN_REJECTS).itertuples():
            print(f"    line {row.line}: {row.reason}", file=out)
    return len(failed)


def _print_reconciliation(result: LoadResult, out: TextIO) -> None:
    """The file's own totals against the loaded rows, one line per role."""
    table = result.reconciliation
    if table is None or table.empty:
        return
    print("  totals in the file vs rows loaded:", file=out)
    for role, rows in table.groupby("role", sort=False):
        figures = "; ".join(
            f"{r.metric} {r.file_total:,.2f} vs {r.loaded:,.2f}"
            if r.metric == "cost"
            else f"{r.metric} {r.file_total:,.0f} vs {r.loaded:,.0f}"
            for r in rows.itertuples()
        )
        statuses = set(rows["status"])
        verdict = (
            "MISMATCH"
            if "mismatch" in statuses
            else "larger: removed campaigns are filtered out of the table"
            if "account larger" in statuses
            else "match"
        )
        print(f"    {role}: {figures} ({verdict})", file=out)


def _print_checks(found: pd.DataFrame, out: TextIO) -> None:
    if found.empty:
        print("checks: nothing found", file=out)
        return
    print(f"checks: {len(found)} finding(s)", file=out)
    for row in found.itertuples():
        if pd.isna(row.share):
            share = ""
        else:
            share = f" ({row.share:.1%})" if row.share >= 0.001 else " (<0.1%)"
        example = f"; e.g. {row.example}" if row.example else ""
        print(
            f"  [{row.severity}] {row.check} ({row.table}): {row.count:,}{share} "
            f"- {row.detail}{example}",
            file=out,
        )


def _read_files(
    files: Sequence[str],
    kind: str | None,
    profile: str | None,
    config: Config,
) -> tuple[list[LoadResult], list[DataFileError]]:
    results, errors = [], []
    for name in files:
        path = Path(name)
        try:  # the layout is recognised, and the table taken from it, unless given
            results.append(
                read(
                    path,
                    kind,
                    profile=profile or "auto",
                    timezone=config.timezone,
                    locale=config.locale,
                    stages=config.stage_labels,
                )
            )
        except DataFileError as exc:
            errors.append(exc)
    return results, errors


def _file_currency(results: Sequence[LoadResult]) -> str | None:
    """The one currency the files' money is in, or None (none or several)."""
    codes: set[str] = set()
    for result in results:
        if "currency" in result.table:
            codes |= set(result.table["currency"].dropna().astype("str").str.upper())
    return codes.pop() if len(codes) == 1 else None


def validate(
    targets: Sequence[str | os.PathLike[str]] = (),
    *,
    kind: str | None = None,
    profile: str | None = None,
    currency: str | None = None,
    config: str | os.PathLike[str] | None = None,
    out: TextIO,
) -> int:
    """Validate a project (a ``leadkpi.yaml``) or export files; print the result.

    Parameters
    ----------
    targets : sequence of path
        One ``.yaml``/``.yml`` config (default ``leadkpi.yaml``), or export files.
    kind : str, optional
        The table the files fill (default: from each file's name); with a config,
        only that table's sources are read.
    profile : str, optional
        The export layout of the files (default: recognised); not with a config.
    currency : str, optional
        For files: the currency the checks work in (default: the files' own when
        they have one, else the config's); money in another currency needs a rate.
    config : path, optional
        For files: a ``leadkpi.yaml`` whose settings (timezone, locale, currency,
        rates, stage labels) apply to them; its sources are not read.
    out : text stream
        Where the report goes.

    Returns
    -------
    int
        0 clean, 1 rows rejected, 2 a file could not be read.

    Examples
    --------
    >>> import io
    >>> buffer = io.StringIO()
    >>> validate(["leadkpi.yaml"], out=buffer)
    0
    >>> print(buffer.getvalue().splitlines()[2])
      rows: 6,000 read, 6,000 loaded, 0 rejected
    """
    names = [str(t) for t in targets] or ["leadkpi.yaml"]
    if len(names) == 1 and Path(names[0]).suffix.lower() in (".yaml", ".yml"):
        if config is not None or currency is not None:
            raise LeadKPIError("--config and --currency apply to files")
        if profile is not None:
            raise LeadKPIError("--profile applies to files; a config names its own")
        config = load_config(names[0])
        if kind is not None:
            config = dataclasses.replace(config, sources=config.sources_of(kind))
        errors: list[DataFileError] = []
        results = read_project(config, errors=errors)
    else:
        settings = Config() if config is None else load_config(config)
        results, errors = _read_files(names, kind, profile, settings)
        code = currency or (None if config else _file_currency(results))
        if code:
            settings = dataclasses.replace(settings, currency=str(code).upper())
        config = settings
    rejected = sum(_describe(result, out) for result in results)
    for error in errors:
        print(f"cannot read {error}", file=out)
    if results:
        try:
            found = checks(assemble(results, config), personal=True)
        except LeadKPIError as exc:  # e.g. a currency without a rate
            print(f"checks not run: {exc}", file=out)
        else:
            _print_checks(found, out)
    if results and config.conversions and kind is None:
        from leadkpi.conversions import check_conversions  # reads the engine

        # an event naming a touch type or column the data lacks: a config error
        check_conversions(assemble(results, config))
    if errors:
        return EXIT_UNREADABLE
    return EXIT_REJECTED if rejected else EXIT_CLEAN
