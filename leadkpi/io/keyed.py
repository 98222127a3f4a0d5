"""Read a report written as ``key:, value`` lines into one row, its tables kept aside.

Some exports describe one record rather than a table: Mailchimp's single-campaign
report starts with ``"Title:","…"``, ``"Delivery Date/Time:","…"``, then a heading
(``"Overall Stats"``) and more ``key:, value`` lines, then titled tables (``"Clicks
by URL"`` with its own header and rows, per-subscriber blocks). :func:`read_key_values`
turns the key lines into a one-row :class:`~leadkpi.io.profiles.base.RawTable` whose
columns are the keys as written, so that a profile maps them like any header, and
keeps every later line in ``skipped`` with the role of the section it belongs to.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from leadkpi.exceptions import DataFileError
from leadkpi.io.encoding import check_text, decode, detect, read_without_nuls
from leadkpi.io.limits import ReadLimits
from leadkpi.io.profiles.base import RawTable
from leadkpi.io.result import empty_skipped

__all__ = ["read_key_values", "KEY_LINES", "SECTION"]

#: The key lines are looked for among this many lines from the top.
KEY_LINES = 80
#: Role of the lines of a section no profile names.
SECTION = "report section"
_KEY = re.compile(r"^\s*\S.*:\s*$")


def _text(path: Path, encoding: str | None, limits: ReadLimits) -> tuple[str, str]:
    """The file's text and its encoding (NULs of rich-text cells dropped)."""
    if path.stat().st_size > limits.max_unpacked_bytes:
        raise DataFileError(
            str(path),
            f"is larger than {limits.max_unpacked_bytes:,} bytes for a one-record "
            "report (limits: max_unpacked_bytes)",
        )
    data = path.read_bytes()
    encoding = encoding or detect(path, data[: 1 << 18], len(data) <= 1 << 18)
    if not codecs.lookup(encoding).name.startswith("utf-16") and b"\x00" in data:
        data = read_without_nuls(path)
    encoding, view = decode(path, data, encoding)
    try:
        text = bytes(view).decode("utf-8")
    except UnicodeDecodeError:
        encoding, view = decode(path, data, "cp1252")
        text = bytes(view).decode("utf-8")
    check_text(path, text)
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def _cells(line: str, delimiter: str) -> list[str]:
    return next(csv.reader(io.StringIO(line), delimiter=delimiter), [])


def read_key_values(
    path: str | Path,
    *,
    first_key: str,
    sections: Mapping[str, str] | None = None,
    encoding: str | None = None,
    delimiter: str = ",",
    limits: ReadLimits | None = None,
) -> RawTable:
    """Read a ``key:, value`` report into one row; later tables go to ``skipped``.

    Parameters
    ----------
    path : str or Path
        The report.
    first_key : str
        The key that opens the record (``"Title:"``); the lines above it are the
        preamble.
    sections : mapping, optional
        Role → regular expression matching the title of a section below the key
        lines (``{"per-link table": "Clicks by URL"}``); the lines of a section
        are skipped with its role, those of other sections as
        :data:`SECTION`.
    encoding : str, optional
        Default: detected, as for any export.
    delimiter : str
        The field delimiter.
    limits : ReadLimits, optional
        Its ``max_unpacked_bytes`` bounds the file (default
        :class:`~leadkpi.io.limits.ReadLimits`).

    Returns
    -------
    RawTable
        ``frame``: one row whose columns are the keys as written and whose cells
        are their values; ``lines``: the line of ``first_key``; ``skipped``:
        blank lines, headings between key lines (``heading``), and every line of
        the titled sections below with its role.

    Raises
    ------
    DataFileError
        When ``first_key`` is not among the first :data:`KEY_LINES` lines, a key
        appears twice (an A/B test report holds one block per combination), or
        the file is a workbook or Parquet file.

    Examples
    --------
    >>> raw = read_key_values(
    ...     "tests/fixtures/exports/mailchimp/campaign_report_single.csv",
    ...     first_key="Title:",
    ...     sections={"per-link table": "Clicks by URL"},
    ... )
    >>> raw.frame[["Title:", "Total Recipients:"]].iloc[0].tolist()
    ['Newsletter 2026-05-05', '3,212']
    >>> raw.skipped["reason"].value_counts().to_dict()
    {'per-link table': 5, 'blank': 2, 'heading': 1}
    """
    path = Path(path)
    limits = limits or ReadLimits()
    if path.suffix.lower() in (".xlsx", ".xlsm", ".parquet"):
        raise DataFileError(
            str(path),
            "a report of 'key:, value' lines is read from its CSV export; expected "
            "a .csv file",
        )
    text, encoding = _text(path, encoding, limits)
    lines = pd.Series(text.removesuffix("\n").split("\n"), dtype="str")
    head = [_cells(line, delimiter) for line in lines.iloc[:KEY_LINES]]
    wanted = first_key.strip().casefold()
    start = next(
        (i for i, c in enumerate(head) if c and c[0].strip().casefold() == wanted),
        None,
    )
    if start is None:
        raise DataFileError(
            str(path),
            f"no {first_key!r} line in its first {KEY_LINES} lines; expected a "
            "report of 'key:, value' lines",
        )
    # the record: key lines, with blank lines and headings among them, until the
    # first heading that a table header follows (a line of cells that are no keys)
    is_key = [len(c) >= 1 and bool(_KEY.match(c[0])) for c in head]
    end = len(head) if len(lines) <= KEY_LINES else KEY_LINES
    for i in range(start + 1, len(head) - 1):
        header = sum(bool(x.strip()) for x in head[i + 1]) > 1
        if not is_key[i] and not is_key[i + 1] and header:
            end = i
            break
    keys: dict[str, str] = {}
    where: dict[str, int] = {}
    skipped = []
    for i in range(start, end):
        cells = head[i]
        if is_key[i]:
            key = cells[0].strip()
            if key in keys:
                raise DataFileError(
                    str(path),
                    f"{key!r} appears twice (lines {where[key] + 1} and {i + 1}): "
                    "an A/B test report holds one block of stats per combination; "
                    "export each combination's report, or the campaign list",
                    line=i + 1,
                    column=key,
                )
            keys[key], where[key] = (cells[1] if len(cells) > 1 else ""), i
        else:
            reason = "blank" if not "".join(cells).strip() else "heading"
            skipped.append((i + 1, reason, lines.iloc[i]))
    frame = pd.DataFrame({k: [v.strip() or None] for k, v in keys.items()}, dtype="str")
    tail = _sections(lines.iloc[end:], end, sections or {})
    parts = [pd.DataFrame(skipped, columns=["line", "reason", "text"]), tail]
    skipped_frame = pd.concat([p for p in parts if len(p)], ignore_index=True)
    if not len(skipped_frame):
        skipped_frame = empty_skipped()
    return RawTable(
        frame=frame,
        lines=np.array([start + 1], dtype=np.int64),
        preamble=tuple(lines.iloc[:start]),
        header_line=start + 1,
        encoding=encoding,
        delimiter=delimiter,
        skipped=skipped_frame.astype({"line": "int64", "reason": "str", "text": "str"}),
        path=path,
    )


def _sections(lines: pd.Series, offset: int, roles: Mapping[str, str]) -> pd.DataFrame:
    """The lines below the record, each with the role of its section.

    A section starts at a one-cell line after a blank line (or at the first line);
    its role is the first of ``roles`` whose pattern matches the title.
    """
    if not len(lines):
        return empty_skipped()
    stripped = lines.str.strip()
    blank = (stripped == "").to_numpy()
    after_blank = np.concatenate([[True], blank[:-1]])
    one_cell = ~stripped.str.contains(r'","|^[^"].*,', regex=True).to_numpy()
    title = after_blank & one_cell & ~blank
    names = stripped.str.strip('"').where(title)
    role = pd.Series(SECTION, index=lines.index, dtype="str").where(title)
    for name, pattern in reversed(list(roles.items())):  # the first listed wins
        hit = names.str.fullmatch(f"(?i:{pattern})", na=False)
        role = role.where(~hit, name)
    role = role.ffill().fillna(SECTION)
    reason = np.where(blank, "blank", role.to_numpy())
    return pd.DataFrame(
        {
            "line": np.arange(len(lines), dtype=np.int64) + offset + 1,
            "reason": reason,
            "text": lines.to_numpy(),
        }
    )
