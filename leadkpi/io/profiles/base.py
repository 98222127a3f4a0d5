"""What a source profile is: one real export layout, declared as data.

A :class:`Profile` says how to find the header of one vendor's export, which of its
columns fill which canonical columns (in every UI language the vendor ships), which
rows are summaries rather than data, and how its values map onto leadkpi's. Reading a
file with a profile is done by :func:`leadkpi.read`; a profile never reads files itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["Profile", "RawTable"]


@dataclass(frozen=True)
class RawTable:
    """An export's rows as text, before any column is typed.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per data row, one text column per header cell, named as in the file.
    lines : numpy.ndarray
        1-based line number in the file of each row of ``frame`` (for rejects).
    preamble : tuple of str
        The lines above the header (report titles, date ranges, comments).
    header_line : int
        1-based line number of the header.
    encoding : str
        The encoding the file was decoded with.
    delimiter : str or None
        The field delimiter (None for XLSX and Parquet).
    skipped : pandas.DataFrame
        Lines below the header that are not data (blank lines, totals, report
        footers): ``line``, ``reason``, ``text``. Never counted as rows read.
    path : Path
        The file.
    """

    frame: pd.DataFrame
    lines: np.ndarray
    preamble: tuple[str, ...]
    header_line: int
    encoding: str
    delimiter: str | None
    skipped: pd.DataFrame
    path: Path


@dataclass(frozen=True)
class Profile:
    """One vendor's export layout.

    Parameters
    ----------
    name : str
        Identifier used in configs (``"google_ads_campaigns"``).
    vendor : str
        Product name shown to users (``"Google Ads"``).
    kind : str
        The canonical table the export fills.
    columns : mapping
        Canonical column → the header names that fill it, in every UI language the
        vendor ships; matched after trimming, case-insensitively. The first header
        present in the file wins. One header may fill several columns (HubSpot's
        "Original Source" gives ``channel`` and ``medium``). A key that is not a
        canonical column is kept as an extra column (``lifecycle_stage``); a key
        starting with ``_`` is a helper for ``transform`` and is dropped after it.
    signature : tuple of str
        Headers that, all present, identify this layout (``profile="auto"``).
    encoding, delimiter : str, optional
        Fixed by the vendor; None means detect from the file.
    footer : tuple of str
        Regular expressions; a row whose first non-empty cell matches one is a
        summary or footer row (``Total``, ``Grand Totals``), skipped and reported.
    totals : mapping
        Totals role → regular expression matched at the start of *any* cell of a
        row (``"campaign total": r"Total: Campaigns"``): such rows are the file's
        own totals, kept aside with their role and reconciled against the loaded
        rows (see :mod:`leadkpi.io.profiles.totals`). The key ``"_first_blank"``
        names a column whose emptiness on the first data row marks a summary row;
        the key ``"_card_column"`` names a column whose filled cells mark a
        carousel card's line (``"carousel card"``), not a row of its own.

    values : mapping
        Canonical column → {source value: canonical value} (e.g. lifecycle stages);
        source values are matched after trimming, case-insensitively, and values
        not in the map are kept as they are.
    constants : mapping
        Canonical column → value filled when the export has no such column
        (``channel: "paid_search"`` for Google Ads).
    dayfirst : bool, optional
        Date order when the vendor fixes it; None means decide from the values.
    transform : callable, optional
        ``transform(frame, raw) -> frame``: a vendor-specific step applied to the
        renamed text frame before typing (e.g. a date taken from the preamble).
    refusal : str
        When set, the layout is recognised only to be refused with this message
        (a report whose rows do not add up to the table's grain, such as search
        terms); it names the report to export instead.
    references : tuple of str
        Where the layout was taken from (documentation pages, public sample files).
    export : str
        What the export is, in the vendor's words (``"contacts"``), for messages
        such as "recognised as HubSpot contacts export".
    layout : {"table", "key-value"}
        ``"key-value"``: the export is one record written as ``key:, value``
        lines (a single-campaign report); its signature keys are looked for down
        the first column, the first of them opens the record, and the file reads
        as one row (see :func:`leadkpi.io.keyed.read_key_values`).
    sections : mapping
        For a key-value report: role → regular expression matching the title of
        a table below the record (``"per-link table": "Clicks by URL"``); its
        lines are kept aside in ``skipped`` with that role.
    """

    name: str
    vendor: str
    kind: str
    columns: Mapping[str, tuple[str, ...]]
    signature: tuple[str, ...]
    encoding: str | None = None
    delimiter: str | None = None
    footer: tuple[str, ...] = ()
    totals: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    constants: Mapping[str, str] = field(default_factory=dict)
    dayfirst: bool | None = None
    transform: Callable[[pd.DataFrame, RawTable], pd.DataFrame] | None = None
    references: tuple[str, ...] = ()
    export: str = ""
    refusal: str = ""
    layout: str = "table"
    sections: Mapping[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """``"HubSpot contacts export"``: the vendor and what it exports."""
        return f"{self.vendor} {self.export or self.kind} export"
