"""Write the sample company: vendor exports where a tool makes them, canonical CSV else.

The CSV layout is what an analyst would download: leads and deals from HubSpot
(contacts and deals exports, see :mod:`leadkpi.datasets._hubspot`), spend from Google
Ads (Spanish UI), Microsoft Advertising, Meta and LinkedIn, e-mail from Mailchimp and
web analytics from GA4, each in its own file and layout (see
:mod:`leadkpi.datasets._exports`); touches, customers and the spend no ad platform
reports (programmatic display, webinars, fairs) and the costs beyond ad spend in
leadkpi's canonical CSV. Every
file is byte for byte the same for the same arguments. :data:`SOURCES` says which
profile reads each file, as ``leadkpi.yaml`` does.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from leadkpi.datasets._csv import to_csv_bytes
from leadkpi.datasets._exports import ga4_export, mailchimp_export, spend_exports
from leadkpi.datasets._generate import TABLE_NAMES, generate_sample
from leadkpi.datasets._hubspot import hubspot_contacts_export, hubspot_deals_export
from leadkpi.datasets._outreach import outreach_export
from leadkpi.exceptions import OutputError

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
    ("costs.csv", "costs", "canonical", {}),
    ("lemlist_activities.csv", "outreach", "lemlist_activities", {}),
)
_PLATFORM_FILES = {
    "google_ads_informe_campanas.csv": "google_ads",
    "microsoft_ads_campaign_performance.csv": "microsoft_ads",
    "meta_ads_campaigns.csv": "meta_ads",
    "linkedin_campaign_performance.csv": "linkedin",
}


def _writable_folder(folder: Path, force: bool) -> None:
    """Refuse a target that is a file, or a folder with files in it unless forced."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file, not a folder; name a folder")
    if not force and folder.is_dir() and any(folder.iterdir()):
        raise OutputError(
            f"{folder} is not empty; name an empty or new folder, or pass --force "
            "(force=True) to replace the sample's files in it"
        )


def _write_all(
    folder: Path, writers: dict[str, Callable[[Path], object]]
) -> list[Path]:
    """Write every file into a fresh hidden folder, then move them all into
    ``folder``: a new folder appears whole (one rename), an existing one has its
    files replaced only once every file has been written. A failure (a full disk,
    no permission) leaves ``folder`` as it was."""
    new = not folder.exists()
    home = folder.parent if new else folder
    home.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=home, prefix=f".{folder.name}.", suffix=".tmp"))
    try:
        for name, write in writers.items():
            write(staging / name)
            os.chmod(staging / name, 0o644)
        if new:
            os.chmod(staging, 0o755)
            os.rename(staging, folder)
        else:
            for name in writers:
                os.replace(staging / name, folder / name)
            staging.rmdir()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [folder / name for name in writers]


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
    # outbound prospecting: drawn apart, from the leads (the other files unchanged)
    data["lemlist_activities.csv"] = outreach_export(tables["leads"])
    for kind in ("touches", "customers", "costs"):
        data[f"{kind}.csv"] = to_csv_bytes(tables[kind], kind)
    return {name: data[name] for name, *_ in SOURCES}


def write_sample(
    directory: str | os.PathLike[str],
    *,
    format: str = "csv",
    force: bool = False,
    **kwargs: Any,
) -> list[Path]:
    """Generate the sample company and write its files.

    Parameters
    ----------
    directory : str or path-like
        Folder to write into: a new or empty folder, or any folder with ``force``.
        All the files are written or none: they are written into a hidden folder
        first and moved in only when every one is complete.
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
        customers, costs``.

    Raises
    ------
    ValueError
        When ``format`` is not one of ``csv`` or ``parquet``.
    leadkpi.exceptions.OutputError
        When ``directory`` is a file, or a folder with files in it and ``force``
        is false (nothing is written).

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
    folder = Path(directory)
    _writable_folder(folder, force)
    tables = generate_sample(**kwargs)
    writers: dict[str, Callable[[Path], object]]
    if format == "csv":
        writers = {
            name: lambda path, data=data: path.write_bytes(data)
            for name, data in _export_bytes(tables).items()
        }
    else:
        writers = {
            f"{kind}.parquet": lambda path, frame=tables[kind]: frame.to_parquet(
                path, index=False
            )
            for kind in TABLE_NAMES
        }
    return _write_all(folder, writers)
