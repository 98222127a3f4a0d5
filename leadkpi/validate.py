"""``leadkpi validate``: read a project or some files and say what loaded and what not.

For each file: its profile and table, rows read / loaded / rejected, the date range of
the table's time column, and the first rejected rows with their line and reason; then
the data-quality findings of :func:`leadkpi.checks`. The exit code is 0 when every
row loaded (findings alone do not fail), 1 when rows were rejected (rows superseded
by a later file do not count), 2 when a file could not be read at all.
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
    files: Sequence[str], kind: str | None, profile: str | None
) -> tuple[list[LoadResult], list[DataFileError], Config]:
    config = Config()
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
                )
            )
        except DataFileError as exc:
            errors.append(exc)
    return results, errors, config


def validate(
    targets: Sequence[str | os.PathLike[str]] = (),
    *,
    kind: str | None = None,
    profile: str | None = None,
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
        The export layout of the files (default ``canonical``); not with a config.
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
        if profile is not None:
            raise LeadKPIError("--profile applies to files; a config names its own")
        config = load_config(names[0])
        if kind is not None:
            config = dataclasses.replace(config, sources=config.sources_of(kind))
        errors: list[DataFileError] = []
        results = read_project(config, errors=errors)
    else:
        results, errors, config = _read_files(names, kind, profile)
    rejected = sum(_describe(result, out) for result in results)
    for error in errors:
        print(f"cannot read {error}", file=out)
    if results:
        try:
            found = checks(assemble(results, config))
        except LeadKPIError as exc:  # e.g. a currency without a rate
            print(f"checks not run: {exc}", file=out)
            return EXIT_UNREADABLE
        _print_checks(found, out)
    if errors:
        return EXIT_UNREADABLE
    return EXIT_REJECTED if rejected else EXIT_CLEAN
