"""How much an export may hold, and which dates are plausible: the reader's limits.

A report's exports come from tools that anyone can feed, so the readers bound what
one file may cost (line and cell lengths, the bytes an XLSX or Parquet file unpacks
to, its number of cells) and what a date may be. :class:`ReadLimits` holds these
bounds as data with defaults that every real export fits; :func:`leadkpi.read`
takes one (or a mapping of the fields to change, as a config source's ``limits:``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from leadkpi.exceptions import ConfigError, DataFileError

__all__ = ["ReadLimits", "END_OF_TIME", "NO_DATE", "check_cells"]

#: Dates that systems write for "no end" (a row valid until further notice): the
#: usual high date of SQL Server and SCD-2 tables, Salesforce's latest valid date,
#: Oracle's.
END_OF_TIME = ("9999-12-31", "4000-12-31", "4712-12-31")
#: Dates that systems write for "no date": .NET's and Go's zero date, Excel's day
#: zero, SQL Server's default, the Unix epoch.
NO_DATE = ("0001-01-01", "1899-12-30", "1900-01-01", "1970-01-01")


@dataclass(frozen=True)
class ReadLimits:
    """Bounds a file must keep to before leadkpi reads it.

    Parameters
    ----------
    years : tuple of int
        First and last plausible year of a date (inclusive). A date outside is
        rejected with its line; dates can never lie outside 1678–2261 (what a
        nanosecond timestamp holds), whatever this says.
    placeholder_dates : tuple of str
        ISO days that stand for "no date" or "no end" (:data:`END_OF_TIME`,
        :data:`NO_DATE`): read as missing, with a warning naming their lines.
    max_line_bytes : int
        Longest line of a CSV/TSV file, in bytes.
    max_cell_chars : int
        Longest cell, in characters (Salesforce's long text areas hold 131,072).
    max_unpacked_bytes : int
        Most bytes an XLSX workbook's parts or a Parquet file's row groups may
        unpack to.
    max_cells : int
        Most cells (rows × columns) of an XLSX sheet or a Parquet file.

    Examples
    --------
    >>> ReadLimits().years
    (1990, 2100)
    >>> ReadLimits.coerce({"years": [2000, 2030]}).years
    (2000, 2030)
    """

    years: tuple[int, int] = (1990, 2100)
    placeholder_dates: tuple[str, ...] = END_OF_TIME + NO_DATE
    max_line_bytes: int = 8 << 20
    max_cell_chars: int = 131_072
    max_unpacked_bytes: int = 2 << 30
    max_cells: int = 50_000_000

    def __post_init__(self) -> None:
        years = tuple(self.years)
        if (
            len(years) != 2
            or not all(isinstance(y, int) and 1 <= y <= 9999 for y in years)
            or years[0] > years[1]
        ):
            raise ConfigError(
                f"limits: years = {self.years!r}; expected [first, last] years "
                "between 1 and 9999, first <= last"
            )
        object.__setattr__(self, "years", years)
        days = tuple(str(d) for d in self.placeholder_dates)
        for day in days:
            try:
                dt.date.fromisoformat(day)
            except ValueError:
                raise ConfigError(
                    f"limits: placeholder_dates holds {day!r}; expected YYYY-MM-DD"
                ) from None
        object.__setattr__(self, "placeholder_dates", days)
        for name in (
            "max_line_bytes",
            "max_cell_chars",
            "max_unpacked_bytes",
            "max_cells",
        ):
            self._positive(name)

    def _positive(self, name: str) -> None:
        value = getattr(self, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(
                f"limits: {name} = {value!r}; expected a whole number above 0"
            )

    @classmethod
    def coerce(cls, value: ReadLimits | Mapping[str, Any] | None) -> ReadLimits:
        """A ReadLimits from itself, None (the defaults) or a mapping of fields.

        Raises
        ------
        ConfigError
            For an unknown field or a value of the wrong kind.
        """
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        if not isinstance(value, Mapping):
            raise ConfigError(
                f"limits = {value!r}; expected a mapping of "
                f"{', '.join(f.name for f in dataclasses.fields(cls))}"
            )
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(value) - known)
        if unknown:
            raise ConfigError(
                f"limits: unknown field(s) {', '.join(map(str, unknown))}; expected "
                f"{', '.join(sorted(known))}"
            )
        fields = dict(value)
        for name in ("years", "placeholder_dates"):
            if name in fields:
                if isinstance(fields[name], str | bytes) or not hasattr(
                    fields[name], "__iter__"
                ):
                    raise ConfigError(
                        f"limits: {name} = {fields[name]!r}; expected a list"
                    )
                fields[name] = tuple(fields[name])
        return cls(**fields)


def check_cells(
    path: Path, frame: pd.DataFrame, lines: np.ndarray, limits: ReadLimits
) -> None:
    """Raise when a text cell of ``frame`` is longer than ``limits.max_cell_chars``.

    Raises
    ------
    DataFileError
        Naming the file, the line and column of the first such cell, its length
        and the limit.
    """
    for name, values in frame.items():
        if not pd.api.types.is_string_dtype(values.dtype):
            continue
        array = pa.array(values, type=pa.large_string(), from_pandas=True)
        length = pc.utf8_length(array)
        longest = pc.max(length).as_py()
        if longest is None or longest <= limits.max_cell_chars:
            continue
        at = int(pc.index(length, longest).as_py())
        raise DataFileError(
            str(path),
            f"a cell holds {longest:,} characters; the limit is "
            f"{limits.max_cell_chars:,} (limits: max_cell_chars)",
            line=int(lines[at]) if at < len(lines) else None,
            column=str(name),
        )
