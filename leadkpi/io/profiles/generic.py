"""The ``generic`` profile: any export, described by a column mapping in the config.

A mapping turns into a :class:`Profile` like the built-in ones, so a mapped file is
read, typed, validated and accounted for exactly like a HubSpot or Google Ads export.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

import pandas as pd

from leadkpi.exceptions import ConfigError
from leadkpi.io.profiles.base import Profile, RawTable
from leadkpi.schemas import table_spec

__all__ = ["mapping_profile", "MAPPING_SETTINGS"]

#: Keys of a mapping that are settings rather than canonical columns.
MAPPING_SETTINGS = ("columns", "values", "dayfirst", "date_format", "currency")


def _format_dates(
    frame: pd.DataFrame, raw: RawTable, *, fmt: str, columns: tuple[str, ...]
) -> pd.DataFrame:
    """Rewrite dates written as ``fmt`` in ISO 8601; others stay as found (rejected)."""
    out = {}
    for name in columns:
        if name not in frame:
            continue
        text = frame[name]
        parsed = pd.to_datetime(text, format=fmt, errors="coerce")
        iso = parsed.dt.strftime("%Y-%m-%dT%H:%M:%S").astype("object")
        out[name] = iso.where(parsed.notna(), text)
    return frame.assign(**out)


def mapping_profile(mapping: Mapping[str, Any], kind: str) -> Profile:
    """Build the profile that a column mapping describes.

    Parameters
    ----------
    mapping : mapping
        Canonical column → the file's column, either under ``columns:`` or at the
        top level, plus optional settings:

        ``values``
            ``{column: {value in the file: canonical value}}`` (matched trimmed and
            case-insensitively; values not listed are kept as they are).
        ``dayfirst``
            True for ``31/01/2025`` dates, False for ``01/31/2025``.
        ``date_format``
            A :func:`~datetime.datetime.strptime` format for every date and
            timestamp column (``"%d.%m.%Y %H:%M"``).
        ``currency``
            ISO 4217 code of the money columns, when the file has no currency
            column. (To map a currency *column*, write the mapping under
            ``columns:``.)

        A key that is not a canonical column of ``kind`` is kept as an extra column
        under that name.
    kind : str
        The canonical table the file fills.

    Returns
    -------
    Profile
        Named ``"generic"``; its signature is every source column named, so a file
        that lacks one is reported with the columns it has.

    Raises
    ------
    ConfigError
        When the mapping is not a mapping of names, or omits a required column of
        ``kind``.

    Examples
    --------
    The mapping of a CRM that no profile knows, as written in ``leadkpi.yaml``::

        sources:
          leads:
            path: exports/contacts.csv
            mapping:
              lead_id: Contact ID
              created_at: Signed up
              source: How did you hear about us
              lifecycle: Stage
              values:
                lifecycle: {Marketing Qualified: mql, Sales Accepted: sql}
              dayfirst: true
              currency: USD

    >>> profile = mapping_profile(
    ...     {"lead_id": "Contact ID", "created_at": "Signed up", "currency": "USD"},
    ...     "leads")
    >>> profile.columns["created_at"], profile.constants
    (('Signed up',), {'currency': 'USD'})
    """
    if not isinstance(mapping, Mapping):
        raise ConfigError(
            f"a {kind} mapping must map canonical columns to the file's columns, "
            f"not {type(mapping).__name__}"
        )
    spec = table_spec(kind)
    nested = mapping.get("columns")
    if nested is not None and not isinstance(nested, Mapping):
        raise ConfigError(f"mapping 'columns' must be a mapping, not {nested!r}")
    flat = {k: v for k, v in mapping.items() if k not in MAPPING_SETTINGS}
    columns = {**flat, **(nested or {})}
    bad = {k: v for k, v in columns.items() if not isinstance(v, str) or not v.strip()}
    if bad:
        name, value = next(iter(bad.items()))
        raise ConfigError(
            f"mapping of {kind}: {name!r} must name one column of the file, "
            f"not {value!r}"
        )
    missing = [c for c in spec.required if c not in columns]
    if missing:
        raise ConfigError(
            f"mapping of {kind} lacks the required column(s) {', '.join(missing)}; "
            f"write e.g. '{missing[0]}: <column in your file>'"
        )
    values = mapping.get("values") or {}
    if not isinstance(values, Mapping) or not all(
        isinstance(v, Mapping) for v in values.values()
    ):
        raise ConfigError(
            "mapping 'values' must be {column: {value in the file: canonical value}}"
        )
    unknown = sorted(set(values) - set(columns))
    if unknown:
        raise ConfigError(
            f"mapping 'values' names {', '.join(unknown)}, which the mapping does "
            f"not map to a column of the file"
        )
    constants = {}
    if mapping.get("currency") is not None:
        constants["currency"] = str(mapping["currency"]).upper()
    transform = None
    if mapping.get("date_format"):
        dated = tuple(c.name for c in spec.columns if c.kind in ("timestamp", "date"))
        transform = partial(
            _format_dates, fmt=str(mapping["date_format"]), columns=dated
        )
    dayfirst = mapping.get("dayfirst")
    return Profile(
        name="generic",
        vendor="generic",
        kind=kind,
        export="mapped",
        columns={name: (source.strip(),) for name, source in columns.items()},
        signature=tuple(dict.fromkeys(s.strip() for s in columns.values())),
        values={name: dict(m) for name, m in values.items()},
        constants=constants,
        dayfirst=None if dayfirst is None else bool(dayfirst),
        transform=transform,
    )
