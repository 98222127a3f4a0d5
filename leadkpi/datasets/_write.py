"""Write the sample company: vendor exports where a tool makes them, canonical CSV else.

The CSV layout is what an analyst would download: leads and deals from HubSpot
(contacts and deals exports, see :mod:`leadkpi.datasets._hubspot`), spend from Google
Ads (Spanish UI), Microsoft Advertising, Meta and LinkedIn, e-mail from Mailchimp and
web analytics from GA4, each in its own file and layout (see
:mod:`leadkpi.datasets._exports`); touches, customers and the spend no ad platform
reports (programmatic display, webinars, fairs) in leadkpi's canonical CSV. Every
file is byte for byte the same for the same arguments. :data:`SOURCES` says which
profile reads each file, as ``leadkpi.yaml`` does.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from leadkpi.datasets._csv import to_csv_bytes
from leadkpi.datasets._exports import ga4_export, mailchimp_export, spend_exports
from leadkpi.datasets._generate import TABLE_NAMES, generate_sample
from leadkpi.datasets._hubspot import hubspot_contacts_export, hubspot_deals_export

__all__ = ["write_sample", "FORMATS", "SOURCES"]

FORMATS = ("csv", "parquet")

#: The files of the CSV layout, in the order written: (file name, table, profile,
#: reader options). ``leadkpi.yaml`` lists the same sources. The HubSpot exports'
#: times are the portal's wall clock: read them in the project's timezone
#: (``Europe/Madrid``), as :func:`leadkpi.load` does.
SOURCES: tuple[tuple[str, str, str, dict[str, str]], ...] = (
    ("hubspot-crm-exports-all-contacts.csv", "leads", "hubspot_contacts", {}),
    ("hubspot-crm-exports-all-deals.csv", "deals", "hubspot_deals", {}),
    ("touches.csv", "touches", "canonical", {}),
    ("google_ads_informe_campanas.csv", "spend", "google_ads_campaigns_es", {}),
    ("microsoft_ads_campaign_performance.csv", "spend", "microsoft_ads_campaigns", {}),
    ("meta_ads_campaigns.csv", "spend", "meta_ads", {}),
    ("linkedin_campaign_performance.csv", "spend", "linkedin_campaigns", {}),
    ("spend.csv", "spend", "canonical", {}),
    ("mailchimp_campaign_reports.csv", "email", "mailchimp_campaigns", {}),
    ("ga4_traffic_by_day.csv", "web", "ga4_report", {}),
    ("customers.csv", "customers", "canonical", {}),
)
_PLATFORM_FILES = {
    "google_ads_informe_campanas.csv": "google_ads",
    "microsoft_ads_campaign_performance.csv": "microsoft_ads",
    "meta_ads_campaigns.csv": "meta_ads",
    "linkedin_campaign_performance.csv": "linkedin",
}


def _replace(path: Path, write: Callable[[str], object]) -> None:
    """Write through a temporary file in the same folder, then rename over ``path``."""
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    os.close(handle)
    try:
        write(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _export_bytes(tables: dict[str, Any]) -> dict[str, bytes]:
    """The bytes of every file of the CSV layout, by file name."""
    spend = spend_exports(tables["spend"])
    data = {name: spend[platform] for name, platform in _PLATFORM_FILES.items()}
    data["spend.csv"] = to_csv_bytes(spend["other"], "spend")
    data["mailchimp_campaign_reports.csv"] = mailchimp_export(tables["email"])
    data["ga4_traffic_by_day.csv"] = ga4_export(tables["web"])
    data["hubspot-crm-exports-all-contacts.csv"] = hubspot_contacts_export(
        tables["leads"]
    )
    data["hubspot-crm-exports-all-deals.csv"] = hubspot_deals_export(
        tables["deals"], tables["leads"]
    )
    for kind in ("touches", "customers"):
        data[f"{kind}.csv"] = to_csv_bytes(tables[kind], kind)
    return {name: data[name] for name, *_ in SOURCES}


def write_sample(
    directory: str | os.PathLike[str], *, format: str = "csv", **kwargs: Any
) -> list[Path]:
    """Generate the sample company and write its files.

    Parameters
    ----------
    directory : str or path-like
        Folder to write into; created when missing. Existing files of the same
        names are replaced, each one atomically.
    format : {"csv", "parquet"}
        ``csv`` writes the exports an analyst would download (see :data:`SOURCES`),
        byte-identical for the same arguments; ``parquet`` writes one canonical
        ``<table>.parquet`` per table with typed columns.
    **kwargs
        Passed to :func:`generate_sample` (``n_leads``, ``start``, ``end``,
        ``seed``).

    Returns
    -------
    list of pathlib.Path
        The files written: for ``csv`` in the order of :data:`SOURCES`, for
        ``parquet`` in the order ``leads, deals, touches, spend, email, web,
        customers``.

    Raises
    ------
    ValueError
        When ``format`` is not one of ``csv`` or ``parquet``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     paths = write_sample(folder, n_leads=200)
    ...     [p.name for p in paths][3:5]
    ['google_ads_informe_campanas.csv', 'microsoft_ads_campaign_performance.csv']
    """
    if format not in FORMATS:
        raise ValueError(f"format={format!r} is not one of {', '.join(FORMATS)}")
    tables = generate_sample(**kwargs)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    if format == "csv":
        for name, data in _export_bytes(tables).items():
            path = folder / name
            _replace(path, lambda file, data=data: Path(file).write_bytes(data))
            paths.append(path)
        return paths
    for kind in TABLE_NAMES:
        path = folder / f"{kind}.parquet"
        frame = tables[kind]
        _replace(path, lambda file, frame=frame: frame.to_parquet(file, index=False))
        paths.append(path)
    return paths
